// Makes git ignore one file, bound to the Node platform: the rules (exact pattern, every existing byte kept, git asked
// again and the line taken out when a later rule re-includes the file) are gitignoreFix.ts', shared with the web
// build; this keeps the signature the CLI, the engine and the Node build's commands use.
import { ensureGitIgnores as ensureGitIgnoresOn, type GitignoreAppend, type IgnoreOutcome } from './gitignoreFix';
import type { FixGitContext } from './gitState';
import { nodeFixPlatform } from './nodePlatform';

export type { GitignoreAppend, IgnoreOutcome, IgnoreRefusal } from './gitignoreFix';

export interface IgnoreOptions extends FixGitContext {
  /** Where the .gitignore goes outside a repository (the scan root or workspace folder). */
  fallbackRoot: string;
  /** Add the line even when git tracks the file (the "Add to .gitignore" fix; untracking is a second step).
   * A fix that stores keys leaves this off: ignoring a tracked file does not stop it being committed. */
  allowTracked?: boolean;
  /** Add the line even when git may not run, checking it against the .gitignore files alone. A fix that stores
   * keys leaves this off: an untracked-looking file may be tracked. */
  allowUnknownTracking?: boolean;
  /** Plan only: say what would be appended, write nothing. */
  dryRun?: boolean;
}

/**
 * Makes git ignore `path`, or says why it cannot. A tracked file is refused (ignoring does not untrack); the
 * caller decides whether to untrack it.
 */
export function ensureGitIgnores(path: string, options: IgnoreOptions, planned?: (append: GitignoreAppend) => void): Promise<IgnoreOutcome> {
  const { git, allowGit, ...rest } = options;
  return ensureGitIgnoresOn(path, { ...rest, platform: nodeFixPlatform({ git, allowGit }) }, planned);
}
