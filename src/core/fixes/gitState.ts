// What the fixes need to know from git before they write a key next to a file, asked one way for every route.
// Git's answer or nothing: when git cannot answer inside a repository the scan's fileGitState throws, and a fix
// that does not know whether a file is tracked stores no key in it.
import type { GitRunner } from '../git';
import { fileGitState } from '../workspaceScan';
import type { KnownGitState } from './platform';

export interface FixGitContext {
  git: GitRunner;
  /** False in an untrusted workspace: git must not run there, so tracking state is unknown. */
  allowGit: boolean;
}

export type { KnownGitState } from './platform';

export async function gitStateOf(path: string, context: FixGitContext): Promise<KnownGitState> {
  const state = (await fileGitState(path, context.allowGit, context.git)) as KnownGitState & { trackingKnown?: boolean };
  return { ...state, trackingKnown: state.trackingKnown ?? context.allowGit };
}
