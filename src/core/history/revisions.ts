// Which commits a history scan reads, as arguments and standard input for `git log` and `git rev-list`.
//
// - `scan --history` with no revision: every ref (`--all`, as `git log --all` sees them: branches, tags, remote-tracking
//   branches, refs/stash) and every older stash entry, which only the reflog of refs/stash keeps (`git stash list`).
// - `scan --history REV...`: those revisions and ranges, exactly as git reads them (`main..feature`, `v1.0...`, `^x`).
// - `scan --unpushed`: what `git push` would send. With an upstream, `@{upstream}..HEAD`; without one, the commits of
//   HEAD that no remote-tracking branch holds. With revisions (the pre-push hook passes the commits being pushed),
//   those, less what the remote being pushed to holds (--remote; without it, what any remote-tracking branch holds).
// Revisions go to git on standard input (`--stdin`), one per line, never as arguments: a revision that starts with `-`
// could otherwise be read as an option. git 2.39 reads no options from --stdin (later versions read a few, such as
// --not), and a revision starting with `-` is refused here anyway.
import type { GitRunner } from '../git';

export type HistoryMode =
  | { kind: 'history'; revisions: readonly string[] }
  /** `remote`: the remote being pushed to (the pre-push hook's first argument); only its branches are left out. */
  | { kind: 'unpushed'; revisions: readonly string[]; remote?: string };

/** A remote's name as `--remotes=<name>` can take it: no glob characters, nothing git could read as an option. A URL
 * (a push to an address rather than a named remote) is not one: then only the ids the hook passes are left out. */
export function isRemoteName(name: string | undefined): name is string {
  return name !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/** What `git log` and `git rev-list` are given: options before `--stdin`, lines on stdin, options after it. */
export interface RevisionSelection {
  /** Before `--stdin`: `--all`, when every ref is read. */
  leading: string[];
  /** One revision per line. */
  stdin: string[];
  /** After `--stdin`: `--not --remotes`, when commits a remote-tracking branch holds are left out. */
  trailing: string[];
  /** Says what is scanned, for the summary: `all refs and 3 stash entries`, `@{upstream}..HEAD (origin/main)`. */
  description: string;
  /** Set when there is nothing to scan (no commits yet), with the reason. */
  nothing?: string;
}

export class RevisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionError';
  }
}

/** A revision from the command line, refused when git could read it as something else. */
export function checkRevision(revision: string): string {
  if (revision === '') throw new RevisionError('an empty revision');
  if (revision.startsWith('-')) throw new RevisionError(`'${revision}' is not a revision (it starts with '-')`);
  if (/[\n\r\0]/.test(revision)) throw new RevisionError(`a revision cannot hold a line break or a NUL byte`);
  return revision;
}

async function exists(git: GitRunner, root: string, revision: string): Promise<boolean> {
  const result = await git.run(root, ['rev-parse', '-q', '--verify', `${revision}^{commit}`]);
  return result.exitCode === 0;
}

async function hasAnyRef(git: GitRunner, root: string): Promise<boolean> {
  const result = await git.run(root, ['for-each-ref', '--count=1', '--format=%(refname)']);
  if (result.exitCode !== 0) throw new RevisionError(`git for-each-ref failed: ${result.stderr.trim()}`);
  return result.stdout.length > 0;
}

/** The commits of the stash entries (`stash@{0}`, `stash@{1}`…), oldest kept by the reflog only. */
export async function stashCommits(git: GitRunner, root: string): Promise<string[]> {
  if (!(await exists(git, root, 'refs/stash'))) return [];
  const result = await git.run(root, ['log', '--walk-reflogs', '--format=%H', '--no-show-signature', 'refs/stash', '--']);
  // A refs/stash without a reflog (made by hand) still counts through --all.
  if (result.exitCode !== 0) return [];
  return result.stdout.toString('utf8').split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}

export async function selectRevisions(git: GitRunner, root: string, mode: HistoryMode): Promise<RevisionSelection> {
  const revisions = mode.revisions.map(checkRevision);
  if (mode.kind === 'history') {
    if (revisions.length > 0) return { leading: [], stdin: revisions, trailing: [], description: revisions.join(' ') };
    if (!(await hasAnyRef(git, root))) return { leading: [], stdin: [], trailing: [], description: 'all refs', nothing: 'the repository has no commits yet' };
    const stashes = await stashCommits(git, root);
    const description = stashes.length > 1 ? `all refs and ${stashes.length} stash entries` : 'all refs';
    return { leading: ['--all'], stdin: stashes, trailing: [], description };
  }
  if (revisions.length > 0) {
    // An exclusion this clone cannot resolve (the remote's id of a branch someone else pushed to) excludes nothing git
    // could read anyway; left in, it would fail the whole log. What remote-tracking branches hold is still left out.
    const usable: string[] = [];
    for (const revision of revisions) if (!revision.startsWith('^') || (await exists(git, root, revision.slice(1)))) usable.push(revision);
    // Pushing to one remote, only what that remote holds is not sent: a commit another remote's branch holds (a
    // colleague's fork, an internal mirror) is still going to this one (red team F2).
    if (mode.remote !== undefined) {
      const trailing = isRemoteName(mode.remote) ? ['--not', `--remotes=${mode.remote}`] : [];
      const less = isRemoteName(mode.remote) ? `, less what ${mode.remote}'s branches hold` : '';
      return { leading: [], stdin: usable, trailing, description: `${usable.join(' ')}${less}` };
    }
    return { leading: [], stdin: usable, trailing: ['--not', '--remotes'], description: `${usable.join(' ')}, less what remote-tracking branches hold` };
  }
  if (!(await exists(git, root, 'HEAD'))) return { leading: [], stdin: [], trailing: [], description: 'HEAD', nothing: 'the current branch has no commits yet, so there is nothing to push' };
  const upstream = await git.run(root, ['rev-parse', '--symbolic-full-name', '@{upstream}']);
  const upstreamRef = upstream.stdout.toString('utf8').trim();
  if (upstream.exitCode === 0 && upstreamRef !== '' && (await exists(git, root, upstreamRef))) {
    const short = upstreamRef.replace(/^refs\/remotes\//, '').replace(/^refs\/heads\//, '');
    return { leading: [], stdin: ['HEAD', `^${upstreamRef}`], trailing: [], description: `@{upstream}..HEAD (${short})` };
  }
  return { leading: [], stdin: ['HEAD'], trailing: ['--not', '--remotes'], description: 'HEAD, less what remote-tracking branches hold (no upstream is set)' };
}
