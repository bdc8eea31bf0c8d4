// Makes git ignore one file (an env file that holds or is about to hold keys), the same way for the quick fix
// "Add to .gitignore", "Keep .env Files Out of Git", and every fix that stores a key in an env file, on either
// platform (platform.ts). ignoreFile.ts binds it to the Node platform with its original signature.
//
// Decisions:
// - The pattern names exactly that file (`/config/.env`, escaped: exactGitignorePattern), appended to the
//   .gitignore at the repository's top (where users look for it), keeping every existing byte, written
//   atomically where the platform can and never through a link.
// - Git is asked again afterwards (in the browser: the .gitignore files are read again). A later or deeper rule can
//   re-include the file (`!.env` in a sub-folder's .gitignore); then the line is taken out again (the file restored
//   byte for byte) and the pattern goes into the .gitignore of the file's own folder, which outranks every other. If
//   the file is still not ignored, that is rolled back too and the caller is told why: a key is never stored on a
//   promise git does not keep.
// - Outside a repository nothing is committed and git applies no rules, so the line is added (for a later
//   `git init`) and not checked.
import type { TextEdit } from './edits';
import { exactGitignorePattern, planGitignoreEntry } from './envFile';
import { concatBytes, utf8, type FixPlatform, type KnownGitState } from './platform';

export type IgnoreOutcome =
  | { status: 'already-ignored'; state: KnownGitState }
  | { status: 'added'; gitignore: string; pattern: string; state: KnownGitState }
  | { status: 'refused'; reason: IgnoreRefusal; detail?: string };

export type IgnoreRefusal =
  /** Git was not allowed to run (an untrusted workspace): whether the file is tracked is unknown. */
  | 'tracking-unknown'
  /** Git tracks the file: ignoring it would not stop commits. */
  | 'tracked'
  /** No pattern can name the file (a line break in its name). */
  | 'unnamable'
  /** The .gitignore to edit is not a regular file inside the tree (a link, a folder). */
  | 'unsafe-gitignore'
  /** A rule git applies after ours re-includes the file. */
  | 'still-not-ignored';

export interface GitignoreFixOptions {
  platform: FixPlatform;
  /** Where the .gitignore goes outside a repository (the scan root or workspace folder). */
  fallbackRoot: string;
  /** Add the line even when git tracks the file (the "Add to .gitignore" fix; untracking is a second step).
   * A fix that stores keys leaves this off: ignoring a tracked file does not stop it being committed. */
  allowTracked?: boolean;
  /** Add the line even when git may not run, checking it against the .gitignore files alone. A fix that stores
   * keys leaves this off where git could answer later (destination.ts decides). */
  allowUnknownTracking?: boolean;
  /** Plan only: say what would be appended, write nothing. */
  dryRun?: boolean;
}

/** One planned append to a .gitignore, for a dry run's diff. */
export interface GitignoreAppend {
  gitignore: string;
  before: string | undefined;
  edit: TextEdit;
}

/**
 * Makes git ignore `path`, or says why it cannot. A tracked file is refused (ignoring does not untrack); the
 * caller decides whether to untrack it.
 */
export async function ensureGitIgnores(path: string, options: GitignoreFixOptions, planned?: (append: GitignoreAppend) => void): Promise<IgnoreOutcome> {
  const { platform } = options;
  const { paths, files } = platform;
  const state = await platform.gitState(path);
  if (!state.trackingKnown && !options.allowUnknownTracking) return { status: 'refused', reason: 'tracking-unknown' };
  if (state.tracked && !options.allowTracked) return { status: 'refused', reason: 'tracked' };
  if (state.ignored) return { status: 'already-ignored', state };

  const top = state.repositoryRoot ?? options.fallbackRoot;
  const candidates = [top, paths.dirname(path)].filter((folder, index, all) => all.indexOf(folder) === index);
  let lastDetail: string | undefined;
  for (const folder of candidates) {
    const inside = paths.inside(folder, path);
    const pattern = inside === undefined ? undefined : exactGitignorePattern(inside);
    if (!pattern) return { status: 'refused', reason: 'unnamable' };
    const gitignore = paths.join(folder, '.gitignore');
    if (!(await files.folderStaysInside(gitignore, top))) return { status: 'refused', reason: 'unsafe-gitignore', detail: `${gitignore} lies outside ${top}` };
    const result = await files.withFileLocks([gitignore], async () => {
      let beforeBytes: Uint8Array | undefined;
      try {
        beforeBytes = await files.readRegularFile(gitignore);
      } catch (error) {
        return { status: 'refused' as const, reason: 'unsafe-gitignore' as const, detail: (error as Error).message };
      }
      const before = beforeBytes === undefined ? undefined : utf8.decode(beforeBytes);
      const edit = appendEdit(before, pattern);
      if (options.dryRun) {
        planned?.({ gitignore, before, edit });
        return { status: 'added' as const, gitignore, pattern, state: { ...state, ignored: true } };
      }
      const afterBytes = concatBytes(beforeBytes, utf8.encode(edit.newText));
      await files.writeFileAtomic(gitignore, afterBytes, { expected: beforeBytes, newFileMode: 0o644 });
      // Outside a repository git applies no rules: nothing to check.
      if (!state.repositoryRoot) return { status: 'added' as const, gitignore, pattern, state: { ...state, ignored: true } };
      const after = await platform.gitState(path);
      if (after.ignored) return { status: 'added' as const, gitignore, pattern, state: after };
      // Take the line out again, byte for byte: it did not do what it was for.
      if (beforeBytes === undefined) await files.removeIfHolds(gitignore, afterBytes);
      else await files.writeFileAtomic(gitignore, beforeBytes, { expected: afterBytes });
      return undefined;
    });
    if (result) return result;
    lastDetail = `a rule after ${pattern} in ${gitignore} re-includes ${paths.basename(path)}`;
  }
  return { status: 'refused', reason: 'still-not-ignored', detail: lastDetail };
}

/** The append that adds `pattern`, even when an identical line is already there (a later rule outranked it: ours
 * must come last). */
function appendEdit(before: string | undefined, pattern: string): TextEdit {
  const text = before ?? '';
  const edit = planGitignoreEntry(before, pattern);
  if (edit) return edit;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: text.length, end: text.length, newText: `${text.endsWith('\n') ? '' : eol}${pattern}${eol}` };
}
