// Where the scanned code comes from, as SARIF's versionControlProvenance (§3.14.11): the repository's address, the
// commit checked out and its branch. GitHub code scanning and other SARIF viewers use it to tie results to the code.
//
// Decisions:
// - Read with git plumbing through the shared runner (no hooks, no fsmonitor); any git failure leaves the provenance
//   out rather than guessing it: it is a courtesy, and the scan's own results do not depend on it.
// - A remote address can carry a user name and a token (`https://user:token@host/…`): both are dropped, so the SARIF
//   file never holds a credential. scp-like addresses (`git@host:owner/repo.git`) become `ssh://` URIs, as SARIF
//   requires an absolute URI; anything else unparseable is left out.
import type { VersionControlDetails } from 'sarif';
import type { GitRunner } from '../git';

/** The provenance of the repository whose top is `root`, or undefined when git cannot say enough. */
export async function sarifProvenance(git: GitRunner, root: string): Promise<VersionControlDetails | undefined> {
  try {
    const remote = await gitLine(git, root, ['config', '--get', 'remote.origin.url']);
    const repositoryUri = remote === undefined ? undefined : repositoryUriOf(remote);
    if (!repositoryUri) return undefined;
    const revisionId = await headRevision(git, root);
    const branch = await gitLine(git, root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return { repositoryUri, ...(revisionId ? { revisionId } : {}), ...(branch ? { branch } : {}) };
  } catch {
    // git missing or refusing: no provenance (the scan itself has already said what git could not answer).
    return undefined;
  }
}

/** The commit checked out (40 or 64 hex digits), or undefined before the first commit or when git cannot say. */
export async function headRevision(git: GitRunner, root: string): Promise<string | undefined> {
  return gitLine(git, root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => undefined);
}

async function gitLine(git: GitRunner, root: string, args: string[]): Promise<string | undefined> {
  const result = await git.run(root, args);
  if (result.exitCode !== 0) return undefined;
  const text = result.stdout.toString('utf8').replace(/\r?\n$/, '');
  return text === '' || text.includes('\n') ? undefined : text;
}

/** SCP-like syntax as git documents it (git-clone(1), "GIT URLS"): `[user@]host:path`, no `//` after the colon. */
const SCP_LIKE = /^(?:[^@/:\s]+@)?([^@/:\s]+):(?!\/\/)([^\s]+)$/;

/** An absolute URI for a remote address, without any user name or password; undefined when it is not one. */
export function repositoryUriOf(remote: string): string | undefined {
  const scp = SCP_LIKE.exec(remote);
  // A Windows drive path (`C:\repo`) also matches the shape; a one-letter host is never a real one.
  if (scp && scp[1].length > 1) return `ssh://${scp[1]}/${scp[2].replace(/^\/+/, '')}`;
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:', 'git:', 'file:'].includes(url.protocol)) return undefined;
  url.username = '';
  url.password = '';
  return url.href;
}
