// What the fixes need to know from git before they write a key next to a file, asked one way for every route.
// Git's answer or nothing: when git cannot answer inside a repository the scan's fileGitState throws, and a fix
// that does not know whether a file is tracked stores no key in it.
import type { GitRunner } from '../git';
import { fileGitState } from '../workspaceScan';

export interface FixGitContext {
  git: GitRunner;
  /** False in an untrusted workspace: git must not run there, so tracking state is unknown. */
  allowGit: boolean;
}

export interface KnownGitState {
  ignored: boolean;
  tracked: boolean;
  /** False when git was not allowed to run: the ignore verdict then comes from the .gitignore files alone. */
  trackingKnown: boolean;
  repositoryRoot?: string;
}

export async function gitStateOf(path: string, context: FixGitContext): Promise<KnownGitState> {
  const state = (await fileGitState(path, context.allowGit, context.git)) as KnownGitState & { trackingKnown?: boolean };
  return { ...state, trackingKnown: state.trackingKnown ?? context.allowGit };
}
