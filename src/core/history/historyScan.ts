// Scans git history for keys: every key that any commit of the selected history ever added, with the first commit
// that holds it, the path and line there, whether that commit is pushed, and whether the key is still in the working
// tree. The CLI's `scan --history` and `scan --unpushed` (the pre-push check) and the editor's Scan Git History run it.
//
// How (two git processes, streaming, whatever the size of the history):
//   git log --date-order --reverse -c --raw -z …   lists each commit (oldest first; parents before children) with the
//                                                   blob of every file it adds or changes, and its message;
//   git cat-file --batch                            reads each distinct blob once, fed the ids as the log finds them.
// A blob id seen before is not read again (a file unchanged across 10,000 commits is one blob), so the work is the
// distinct contents of the history, as trufflehog's git source does. Reading blobs in the order the log meets them
// measured as fast here as reading every object of the repository in pack order (`cat-file --batch-all-objects`),
// which would also read trees and unreachable objects and need a second pass to find which commit holds each hit.
//
// Decisions:
// - "Introduced by" is the first commit, in that order, whose diff adds the key: for a merge the combined diff (-c),
//   which lists only what the merge itself changed from every parent, so a key merged in from a branch is charged to
//   the branch's commit, and a key only the merge adds (an "evil merge") to the merge. The root commit's diff is its
//   whole tree (--root). A key is one key by its hint (`sk-ant-api03-R2D…igAA`), the identity the rest of the product
//   uses (the report, the rotation memory): two keys sharing a hint are counted once.
// - A range (`main..feature`, `--unpushed`) reports what the commits in it add, not what they inherit: a key added
//   before the range and still in its files is not news to whoever pushes it.
// - Commit messages are read too: a key pasted into one is in every clone of a pushed branch.
// - Pushed: the commit is reachable from a remote-tracking branch (`git rev-list --not --remotes`, exact), named by
//   `git name-rev` (`origin/main`). Only what this clone knows: fetch first for a current answer.
// - Nothing is guessed. A shallow clone's history is partial: said, and an error (exit 2) when the scan reaches its
//   edge. A blob git cannot read (corrupt, missing) or that is over the size limit is named with its path and commit,
//   and the scan goes on. A partial clone is refused on a git that would fetch what it lacks from the network.
// - git runs as src/core/git.ts runs it (no hooks, no fsmonitor, no prompts), with no filter, textconv, external diff
//   or signature check: nothing the repository configures is executed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scanContents, tooLargeReason, type FileScanOptions } from '../fileScan';
import type { CredentialKind, FileFinding } from '../findings';
import { GitUnavailableError, createGitRunner, findRepositoryRoot, resolveGitExecutable, type GitRunner, type GitSpawnObserver } from '../git';
import { lfsObjectsDir, parseLfsPointer, readLfsObjectSync } from '../lfs';
import { scanPaths } from '../workspaceScan';
import { displayText, maskSecrets } from '../hint';
import { findKeysInName } from '../nameFindings';
import { formatMessage } from '../messages';
import { BlobReader, type BlobOutcome } from './blobReader';
import { gitErrorLine, startGit } from './gitProcess';
import { LogParser, LOG_FORMAT, LogProtocolError, type LogCommit } from './logParser';
import { historyFindingMessage } from './historyMessages';
import { allRefTargets, scanRefTargets, tagTargets, type RefSighting } from './refScan';
import { selectRevisions, type HistoryMode, type RevisionSelection } from './revisions';

export type { HistoryMode } from './revisions';

export type HistoryLocation = 'file' | 'commit-message' | 'ref-name' | 'tag-message';

export interface HistoryScanOptions extends FileScanOptions {
  /** Any folder inside the work tree. */
  cwd: string;
  mode: HistoryMode;
  gitPath?: string;
  /** Called for every git process started (the editor proves no git runs in an untrusted workspace). */
  observer?: GitSpawnObserver;
  /** Paths (relative to the repository's top, `/` separators) not to scan. */
  isExcluded?: (path: string) => boolean;
  /** Also tell whether each key is still in the working tree (a scan of the files git would commit). Default true. */
  checkWorkingTree?: boolean;
  /** Keys still in the working tree, by hint; default: scanned here (see workingTreeHints). */
  workingTreeHints?: (root: string) => Promise<ReadonlySet<string>>;
  onProgress?: (progress: HistoryProgress) => void;
  signal?: AbortSignal;
}

export interface HistoryProgress {
  commitsDone: number;
  /** Known only when progress was asked for before the scan started (it costs one more walk). */
  commitsTotal?: number;
  blobsRead: number;
  bytesRead: number;
}

/** What a finding says about the commit that introduced its key. Never holds a key: the subject of a commit whose
 * message holds one is masked. */
export interface HistoryCommit {
  id: string;
  shortId: string;
  author: string;
  /** ISO 8601, UTC: when the commit was authored. */
  date: string;
  subject: string;
}

export interface HistoryFinding extends FileFinding {
  /** Relative to the repository's top, `/` separators, as the commit names it; '' for a commit message. */
  path: string;
  /** Where: a file of the commit, the commit's message, a ref's name, or an annotated tag's message (the last two
   * are not in any commit: `commit` is the one the ref leads to, or an empty id when it leads to none). */
  location: HistoryLocation;
  /** For a ref's name or a tag's message: the ref (`refs/tags/v1.0`), masked and escaped for display. */
  ref?: string;
  commit: HistoryCommit;
  /** The commit is reachable from a remote-tracking branch. */
  pushed: boolean;
  /** The remote-tracking branch that holds it (`origin/main`), when pushed. */
  pushedTo?: string;
  /** A scan of the working tree finds the same key now; undefined when not checked. */
  inWorkingTree?: boolean;
}

export interface HistoryProblem {
  /** What could not be scanned: `path (commit a1b2c3d)`, an object id, or '' for the whole scan. */
  subject: string;
  message: string;
}

export interface HistoryScanResult {
  root: string;
  findings: HistoryFinding[];
  /** What was scanned, in words: `all refs`, `@{upstream}..HEAD (origin/main)`. */
  scope: string;
  commitsScanned: number;
  /** Distinct blobs read. */
  blobsScanned: number;
  bytesScanned: number;
  /** Blobs not scanned because of their size, named by path and commit; a failure of the scan (see problems). */
  skipped: Array<{ file: string; reason: string }>;
  /** Everything that was asked for and could not be scanned; any one makes the CLI exit 2. */
  problems: HistoryProblem[];
  /** Worth knowing, not a failure: no commits yet, submodules (their history is their own repository's). */
  notes: string[];
  /** The repository is a shallow clone. */
  shallow: boolean;
}

export class HistoryScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryScanError';
  }
}

export class HistoryScanCancelled extends Error {
  constructor() {
    super('The history scan was cancelled.');
    this.name = 'HistoryScanCancelled';
  }
}

/** Tree entry modes whose blob holds contents worth scanning: regular files, executables, and symbolic links (a key
 * can be a link's target). A submodule (160000) records a commit of another repository. */
const SCANNED_MODES = new Set(['100644', '100755', '100664', '120000']);
const SUBMODULE_MODE = '160000';
const NULL_ID = /^0+$/;
/** Lowest git that honours GIT_NO_LAZY_FETCH, so a partial clone can be read without fetching. */
const NO_LAZY_FETCH_GIT = [2, 44];
const SHORT_ID_LENGTH = 7;
const PROGRESS_INTERVAL_MS = 100;
const KEY_NEEDLE = Buffer.from('k-ant-', 'latin1');
const NAME_REV_BATCH = 500;

/** A blob asked of cat-file: the first file that adds it (most blobs are met once, so this is their addition too),
 * or, for a parent's version the range does not reach, only where it is (`context`). */
interface BlobRequest extends Addition {
  context: boolean;
}

/** The earliest sighting of a key so far. */
interface Sighting {
  ordinal: number;
  /** Among sightings in one commit: files before the message, then the order met. */
  rank: number;
  commit: LogCommit;
  path: string;
  location: 'file' | 'commit-message';
  finding: FileFinding;
  kind: CredentialKind;
  hint: string;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScanResult> {
  // git's absolute path from PATH, never a bare name a Windows lookup would find in the repository (red team F21).
  const gitPath = options.gitPath ?? resolveGitExecutable();
  if (gitPath === undefined) throw new GitUnavailableError('git was not found on PATH');
  // The history of the repository git designates, inside a pre-push hook too (see gitEnvironment).
  const git = createGitRunner(gitPath, options.observer, undefined, { inheritRepository: true });
  const root = await findRepositoryRoot(git, options.cwd);
  if (!root) throw new HistoryScanError(`${options.cwd} is not inside a git work tree; the history scan reads a repository's commits`);
  checkCancelled(options.signal);
  // Independent questions, asked at once: a few milliseconds each, but a dozen of them add up on a small history.
  const [, selection, shallowBoundary] = await Promise.all([refuseLazyFetch(git, root), selectRevisions(git, root, options.mode), readShallowBoundary(git, root)]);
  const result: HistoryScanResult = {
    root,
    findings: [],
    scope: selection.description,
    commitsScanned: 0,
    blobsScanned: 0,
    bytesScanned: 0,
    skipped: [],
    problems: [],
    notes: [],
    shallow: false,
  };
  if (selection.nothing) {
    result.notes.push(`Nothing to scan: ${selection.nothing}.`);
    return result;
  }
  result.shallow = shallowBoundary.size > 0;
  const commitsTotal = options.onProgress ? await countCommits(git, root, selection) : undefined;
  checkCancelled(options.signal);

  const lfsDir = await lfsObjectsDir(git, root);
  const sightings = await readHistory(gitPath, root, selection, options, result, shallowBoundary, commitsTotal, lfsDir);
  const findings = [...sightings.values()].sort((a, b) => a.ordinal - b.ordinal || a.rank - b.rank);
  if (findings.length > 0) {
    const [pushed, inWorkingTree] = await Promise.all([
      pushedState(git, gitPath, root, new Set(findings.map((sighting) => sighting.commit.id)), options),
      options.checkWorkingTree === false ? undefined : (options.workingTreeHints ?? defaultWorkingTreeHints(options))(root),
    ]);
    result.findings = findings.map((sighting) => toFinding(sighting, pushed.get(sighting.commit.id), inWorkingTree));
  }
  // Keys a push sends outside any commit: ref names and annotated tag messages (red team F15, F23).
  const mode = options.mode;
  const targets =
    mode.kind === 'history' && mode.revisions.length === 0
      ? await allRefTargets(git, root)
      : mode.kind === 'unpushed' && mode.revisions.length > 0
        ? await tagTargets(git, root, mode.revisions.filter((revision) => !revision.startsWith('^')), mode.refNames ?? [])
        : undefined;
  if (targets) {
    const refSightings = await scanRefTargets(git, root, targets, options);
    if (refSightings.length > 0) result.findings.push(...(await refFindings(git, root, refSightings)));
  }
  return result;
}

/** Findings for keys in ref names and tag messages, each with the commit its ref leads to. */
async function refFindings(git: GitRunner, root: string, sightings: readonly RefSighting[]): Promise<HistoryFinding[]> {
  const ids = [...new Set(sightings.flatMap((sighting) => (sighting.commitId ? [sighting.commitId] : [])))];
  const commits = new Map<string, HistoryCommit>();
  if (ids.length > 0) {
    const shown = await git.run(root, ['log', '--no-walk=unsorted', '--no-show-signature', '--format=%H%x00%an%x00%at%x00%s%x00', '--stdin'], ids.join('\n') + '\n');
    const fields = shown.stdout.toString('utf8').split('\0');
    for (let index = 0; index + 3 < fields.length; index += 4) {
      const id = fields[index].trim();
      commits.set(id, commitSummary({ id, author: fields[index + 1], time: Number(fields[index + 2]), subject: fields[index + 3] }));
    }
  }
  const noCommit: HistoryCommit = { id: '', shortId: '', author: '', date: '', subject: '' };
  const seen = new Set<string>();
  const findings: HistoryFinding[] = [];
  for (const sighting of sightings) {
    const { kind, hint } = sighting.finding.credential!;
    const identity = `${sighting.location} ${sighting.ref} ${kind} ${hint}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const ref = displayText(sighting.ref);
    // A remote-tracking branch is one the remote has: its name is pushed. Any other ref, this clone cannot tell.
    const remote = sighting.location === 'ref-name' && sighting.ref.startsWith('refs/remotes/');
    const commit = (sighting.commitId && commits.get(sighting.commitId)) || noCommit;
    const message = historyFindingMessage({ kind, hint, location: sighting.location, commit, ref, pushedTo: remote ? ref : undefined });
    findings.push({
      ...sighting.finding,
      file: '',
      message: formatMessage(message),
      messageId: message.id,
      messageArgs: message.args,
      path: '',
      location: sighting.location,
      ref,
      commit,
      pushed: remote,
      ...(remote ? { pushedTo: ref } : {}),
    });
  }
  return findings;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HistoryScanCancelled();
}

/** A partial clone lacks objects that git would fetch on first read; only a git that can be told not to may read it. */
async function refuseLazyFetch(git: GitRunner, root: string): Promise<void> {
  const promisor = await git.run(root, ['config', '--get-regexp', '^(remote\\..*\\.promisor|extensions\\.partialclone)$']);
  if (promisor.exitCode !== 0 || promisor.stdout.toString('utf8').trim() === '') return;
  const version = (await git.run(root, ['--version'])).stdout.toString('utf8');
  const [major, minor] = (/(\d+)\.(\d+)/.exec(version) ?? ['', '0', '0']).slice(1).map(Number);
  if (major > NO_LAZY_FETCH_GIT[0] || (major === NO_LAZY_FETCH_GIT[0] && minor >= NO_LAZY_FETCH_GIT[1])) return;
  throw new HistoryScanError(
    `this is a partial clone (objects were left on the server), and this git (${version.trim()}) would download each missing one ` +
      `from the network while the history is read. Scan a full clone, or use git ${NO_LAZY_FETCH_GIT.join('.')} or later, which can be told not to fetch.`,
  );
}

/** The commits at the edge of a shallow clone (their parents are not here); empty for a full clone. */
async function readShallowBoundary(git: GitRunner, root: string): Promise<Set<string>> {
  const shallow = await git.run(root, ['rev-parse', '--is-shallow-repository']);
  if (shallow.stdout.toString('utf8').trim() !== 'true') return new Set();
  const path = await git.run(root, ['rev-parse', '--path-format=absolute', '--git-path', 'shallow']);
  try {
    const text = await readFile(path.stdout.toString('utf8').replace(/\n$/, ''), 'utf8');
    return new Set(text.split('\n').filter((line) => line.length > 0));
  } catch (error) {
    throw new HistoryScanError(`this is a shallow clone, and its list of boundary commits could not be read: ${(error as Error).message}`);
  }
}

async function countCommits(git: GitRunner, root: string, selection: RevisionSelection): Promise<number | undefined> {
  const result = await git.run(root, ['rev-list', '--count', ...selection.leading, '--stdin', ...selection.trailing], selection.stdin.join('\n') + '\n');
  return result.exitCode === 0 ? Number(result.stdout.toString('utf8').trim()) : undefined;
}

/** What is known of a blob: asked of cat-file and not read yet, read with no key (null), or read with its keys. */
type BlobState = typeof PENDING | null | BlobKeys;
const PENDING = 'pending';
/** The keys of one blob: identity (`kind hint`) → where in the blob (the first place it is). */
type BlobKeys = Map<string, FileFinding>;

/** A file a commit adds or changes: its new blob, and what each parent had at the path. */
interface Addition {
  id: string;
  parents: string[];
  path: string;
  commit: LogCommit;
  ordinal: number;
}

/**
 * Runs the log and the blob reader side by side; returns the earliest sighting of each key.
 *
 * A commit adds a key to a file when the file's new blob holds it and no parent's version of the file did (the
 * combined diff's parent ids). For the whole history that changes nothing, since a key's first sighting is always
 * such an addition; for a range it keeps out the keys the range only inherits (a file edited near a key pushed
 * long ago). The parents' versions are read too when the range does not reach them (once each, like every blob).
 */
function readHistory(
  gitPath: string,
  root: string,
  selection: RevisionSelection,
  options: HistoryScanOptions,
  result: HistoryScanResult,
  shallowBoundary: ReadonlySet<string>,
  commitsTotal: number | undefined,
  lfsDir: string | undefined,
): Promise<Map<string, Sighting>> {
  const sightings = new Map<string, Sighting>();
  // Every blob met, read once: its id is all that is kept of one without keys.
  const blobs = new Map<string, BlobState>();
  // Additions waiting for a blob to be read (the new one, or a parent's version).
  const waiting = new Map<string, Addition[]>();
  const submodules = new Set<string>();
  const boundaryReached: string[] = [];
  let ordinal = 0;
  let rank = 0;
  let lastProgress = 0;

  const consider = (sighting: Omit<Sighting, 'rank'>, rankBase: number) => {
    const key = `${sighting.kind} ${sighting.hint}`;
    const candidate = { ...sighting, rank: rankBase + rank++ };
    const known = sightings.get(key);
    if (!known || candidate.ordinal < known.ordinal || (candidate.ordinal === known.ordinal && candidate.rank < known.rank)) sightings.set(key, candidate);
  };
  const keysIn = (file: string, bytes: Buffer): FileFinding[] => {
    // Most blobs hold no key: two memchr-speed searches settle that before the file scan's per-file work (its
    // encoding checks, and the client-exposure rule, which history does not report). A key is ASCII: it shows as
    // `k-ant-` in any ASCII-compatible text, and in UTF-16 (the one other form the scan reads) with NUL bytes.
    if (bytes.indexOf(KEY_NEEDLE) < 0 && bytes.indexOf(0) < 0) return [];
    const scanned = scanContents(file, bytes, options);
    return scanned.findings.filter((finding) => finding.ruleId === 'hardcoded-key' && finding.credential);
  };
  const identity = (finding: FileFinding) => `${finding.credential!.kind} ${finding.credential!.hint}`;
  const progress = (force = false) => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    options.onProgress({ commitsDone: result.commitsScanned, commitsTotal, blobsRead: result.blobsScanned, bytesRead: result.bytesScanned });
  };
  const where = (request: { path: string; commit: LogCommit }) => `${displayText(request.path)} (commit ${request.commit.id.slice(0, SHORT_ID_LENGTH)})`;
  const wait = (id: string, addition: Addition) => {
    const list = waiting.get(id);
    if (list) list.push(addition);
    else waiting.set(id, [addition]);
  };
  /** Charges the keys an addition brings to its commit, once its blob and its parents' are read. */
  const settle = (addition: Addition) => {
    const state = blobs.get(addition.id);
    if (state === PENDING) return wait(addition.id, addition);
    if (!state) return;
    for (const parent of addition.parents) if (blobs.get(parent) === PENDING) return wait(parent, addition);
    const inherited = new Set<string>();
    for (const parent of addition.parents) {
      const keys = blobs.get(parent);
      if (keys instanceof Map) for (const known of keys.keys()) inherited.add(known);
    }
    for (const [known, finding] of state) {
      if (inherited.has(known)) continue;
      consider({ ordinal: addition.ordinal, commit: addition.commit, path: addition.path, location: 'file', finding, kind: finding.credential!.kind, hint: finding.credential!.hint }, 0);
    }
  };

  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      log.kill();
      reader.stop();
      reject(error);
    };
    const onAbort = () => fail(new HistoryScanCancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const resolveBlob = (id: string, state: null | BlobKeys) => {
      blobs.set(id, state);
      const list = waiting.get(id);
      if (!list) return;
      waiting.delete(id);
      for (const addition of list) settle(addition);
    };
    const reader: BlobReader<BlobRequest> = new BlobReader<BlobRequest>({
      gitPath,
      cwd: root,
      observer: options.observer,
      maxSize: options.maxFileSize,
      onDrain: () => log.child.stdout.resume(),
      onBlob: (request, outcome: BlobOutcome) => {
        let keys: BlobKeys | null = null;
        switch (outcome.kind) {
          case 'blob': {
            // A Git LFS pointer stands for contents that went to the LFS server: scan those (red team F27).
            let bytes = outcome.bytes;
            const pointer = parseLfsPointer(bytes);
            if (pointer) {
              const contents = readLfsObjectSync(lfsDir, pointer, options.maxFileSize);
              if (!('bytes' in contents)) {
                const reason = 'tooLarge' in contents ? `${tooLargeReason(options.maxFileSize)} (--max-file-size raises it)` : contents.missing;
                result.problems.push({ subject: where(request), message: `not scanned: ${reason}` });
                break;
              }
              bytes = contents.bytes;
            }
            result.blobsScanned++;
            result.bytesScanned += bytes.length;
            for (const finding of keysIn(join(root, request.path), bytes)) {
              keys ??= new Map();
              if (!keys.has(identity(finding))) keys.set(identity(finding), finding);
            }
            break;
          }
          case 'too-large':
            result.skipped.push({ file: join(root, request.path), reason: `${tooLargeReason(options.maxFileSize)} (commit ${request.commit.id.slice(0, SHORT_ID_LENGTH)})` });
            result.problems.push({ subject: where(request), message: `not scanned: ${tooLargeReason(options.maxFileSize)} (--max-file-size raises it)` });
            break;
          case 'missing':
            result.problems.push({ subject: where(request), message: `not scanned: git cannot read its blob ${request.id} (missing or corrupt; git fsck tells more)` });
            break;
          case 'unreadable':
            result.problems.push({ subject: where(request), message: `not scanned: git cannot read its blob ${request.id}: ${outcome.reason}` });
            break;
          case 'not-a-blob':
            result.problems.push({ subject: where(request), message: `not scanned: the commit records a ${outcome.type} (${request.id}) where a file's contents belong` });
            break;
        }
        resolveBlob(request.id, keys);
        if (keys && !request.context) settle(request);
        progress();
      },
    });
    /** Asks cat-file for a blob not met before; false when it was met (asked, or read) already. */
    const ask = (request: BlobRequest): boolean => {
      if (blobs.has(request.id)) return false;
      blobs.set(request.id, PENDING);
      reader.request(request);
      return true;
    };

    const parser = new LogParser({
      commit: (commit) => {
        ordinal++;
        result.commitsScanned++;
        if (shallowBoundary.has(commit.id)) boundaryReached.push(commit.id);
        if (commit.message.includes('k-ant-')) {
          for (const finding of keysIn('', Buffer.from(commit.message, 'utf8'))) {
            consider({ ordinal, commit, path: '', location: 'commit-message', finding, kind: finding.credential!.kind, hint: finding.credential!.hint }, 1 << 30);
          }
        }
        progress();
      },
      entry: (entry, commit) => {
        if (NULL_ID.test(entry.id)) return;
        // A submodule's contents are another repository's history; its path is this one's.
        if (entry.mode === SUBMODULE_MODE) submodules.add(entry.path);
        if (options.isExcluded?.(entry.path)) return;
        // A key in the path is committed like one in the contents (red team F3), a submodule's path too: charged to
        // the first commit that records the path, as the earliest sighting wins.
        if (entry.path.includes('k-ant-')) {
          for (const finding of findKeysInName(entry.path, entry.path)) {
            consider({ ordinal, commit, path: entry.path, location: 'file', finding, kind: finding.credential!.kind, hint: finding.credential!.hint }, 0);
          }
        }
        if (!SCANNED_MODES.has(entry.mode)) return;
        const parents = entry.parents.filter((parent) => SCANNED_MODES.has(parent.mode) && !NULL_ID.test(parent.id)).map((parent) => parent.id);
        // The parents' versions first, so they are read (in order) before the new one needs them.
        for (const parent of parents) ask({ id: parent, parents: [], path: entry.path, commit, ordinal, context: true });
        const addition = { id: entry.id, parents, path: entry.path, commit, ordinal };
        // A blob met for the first time is settled when it is read; one met before (a revert, a copy) now.
        if (!ask({ ...addition, context: false })) settle(addition);
      },
    });

    const args = [
      'log',
      '--date-order',
      '--reverse',
      '-c',
      '--raw',
      '-z',
      '--no-abbrev',
      '--root',
      '--no-renames',
      // Nothing the repository configures may run or change the output: no external diff or textconv, no signature
      // check (log.showSignature would run gpg), no colour, no mailmap, messages in UTF-8.
      '--no-ext-diff',
      '--no-textconv',
      '--no-show-signature',
      '--no-color',
      '--no-mailmap',
      '--encoding=UTF-8',
      `--format=${LOG_FORMAT}`,
      ...selection.leading,
      '--stdin',
      ...selection.trailing,
    ];
    const log = startGit(
      gitPath,
      root,
      args,
      (chunk) => {
        if (failed) return;
        try {
          parser.push(chunk);
          if (!reader.flush()) log.child.stdout.pause();
        } catch (error) {
          fail(error instanceof LogProtocolError ? new HistoryScanError(error.message) : (error as Error));
        }
      },
      options.observer,
    );
    log.child.stdin.end(selection.stdin.map((line) => line + '\n').join(''));

    log.done.then(
      async ({ exitCode, signal, stderr }) => {
        if (failed) return;
        try {
          parser.end();
        } catch (error) {
          if (exitCode === 0) return fail(new HistoryScanError((error as Error).message));
        }
        if (exitCode !== 0) {
          const reason = gitErrorLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${exitCode}`);
          // Before any commit: the revisions were wrong (a typo, an unknown branch); that is the whole answer.
          if (result.commitsScanned === 0) return fail(new HistoryScanError(`git log failed: ${reason}`));
          result.problems.push({ subject: '', message: `git log stopped after ${result.commitsScanned} commits: ${reason}; later commits were not scanned` });
        }
        try {
          await reader.end();
        } catch (error) {
          return fail(error as Error);
        }
        if (failed) return;
        options.signal?.removeEventListener('abort', onAbort);
        if (boundaryReached.length > 0) {
          result.problems.push({
            subject: '',
            message:
              `this is a shallow clone: the history before ${boundaryReached.length === 1 ? 'commit' : `${boundaryReached.length} commits such as`} ` +
              `${boundaryReached[0].slice(0, SHORT_ID_LENGTH)} is not here, so it was not scanned, and keys in the files of that commit are ` +
              `charged to it. Fetch the whole history (git fetch --unshallow) and scan again`,
          });
        }
        if (submodules.size > 0) {
          const names = [...submodules].sort().map(displayText);
          result.notes.push(
            `${names.length === 1 ? 'A submodule' : `${names.length} submodules`} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) ` +
              `${names.length === 1 ? 'is its own repository' : 'are their own repositories'}: scan ${names.length === 1 ? 'its' : 'their'} history there.`,
          );
        }
        progress(true);
        resolve(sightings);
      },
      (error: Error) => fail(error),
    );
  });
}

/** The commits a remote-tracking branch holds, each with the name of one that does (`origin/main`). */
async function pushedState(git: GitRunner, gitPath: string, root: string, commits: ReadonlySet<string>, options: HistoryScanOptions): Promise<Map<string, string>> {
  const pushed = new Map<string, string>();
  const remotes = await git.run(root, ['for-each-ref', '--count=1', '--format=%(refname)', 'refs/remotes/']);
  if (remotes.exitCode !== 0 || remotes.stdout.length === 0) return pushed;
  // Every commit reachable from these and from no remote-tracking branch is unpushed (exact, unlike name-rev's
  // date heuristics). The list may be long (a branch never pushed); it is streamed, and only these are kept.
  const unpushed = new Set<string>();
  let rest = '';
  const listing = startGit(
    gitPath,
    root,
    ['rev-list', '--stdin', '--not', '--remotes'],
    (chunk) => {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (commits.has(line)) unpushed.add(line);
    },
    options.observer,
  );
  listing.child.stdin.end([...commits].join('\n') + '\n');
  const { exitCode, stderr } = await listing.done;
  if (commits.has(rest)) unpushed.add(rest);
  if (exitCode !== 0) throw new HistoryScanError(`git rev-list failed while checking what is pushed: ${gitErrorLine(stderr)}`);
  const held = [...commits].filter((commit) => !unpushed.has(commit));
  if (held.length === 0) return pushed;
  // The branch to name: name-rev picks one remote-tracking branch that holds each commit (`origin/main~3`), or says
  // "undefined" when its date heuristics give up; those are asked of for-each-ref --contains, one at a time.
  // Ids go on the command line, so a few hundred at a time: thousands of findings must not exceed its length.
  const lines: string[] = [];
  for (let start = 0; start < held.length; start += NAME_REV_BATCH) {
    const batch = held.slice(start, start + NAME_REV_BATCH);
    const names = await git.run(root, ['name-rev', '--name-only', '--refs=refs/remotes/*', '--exclude=refs/remotes/*/HEAD', ...batch]);
    const named = names.exitCode === 0 ? names.stdout.toString('utf8').split('\n') : [];
    lines.push(...batch.map((_, index) => named[index] ?? ''));
  }
  for (const [index, commit] of held.entries()) {
    let name = lines[index]?.replace(/^remotes\//, '').replace(/[~^].*$/, '');
    if (!name || name === 'undefined') {
      const containing = await git.run(root, ['for-each-ref', '--count=1', '--format=%(refname:short)', `--contains=${commit}`, 'refs/remotes/']);
      name = containing.stdout.toString('utf8').trim();
    }
    // A branch name is repository text: one named after a key must not print it (red team F23).
    pushed.set(commit, name ? displayText(name) : 'a remote-tracking branch');
  }
  return pushed;
}

/** The hints of the keys a plain scan of the working tree finds (the files git would commit). */
function defaultWorkingTreeHints(options: HistoryScanOptions): (root: string) => Promise<ReadonlySet<string>> {
  return async (root) => {
    const scanned = await scanPaths([root], {
      useGitignore: true,
      allowGit: true,
      includeLowConfidence: options.includeLowConfidence,
      maxFileSize: options.maxFileSize,
      signal: options.signal,
    });
    return new Set(scanned.findings.filter((finding) => finding.credential).map((finding) => finding.credential!.hint));
  };
}

function toFinding(sighting: Sighting, pushedTo: string | undefined, inWorkingTreeHints: ReadonlySet<string> | undefined): HistoryFinding {
  const { commit, finding } = sighting;
  const summary = commitSummary(commit);
  const message = historyFindingMessage({ kind: sighting.kind, hint: sighting.hint, location: sighting.location, commit: summary, pushedTo });
  return {
    ...finding,
    message: formatMessage(message),
    messageId: message.id,
    messageArgs: message.args,
    // A path is repository text too: a file named after a key must not print it.
    path: maskSecrets(sighting.path),
    file: maskSecrets(finding.file),
    location: sighting.location,
    commit: summary,
    pushed: pushedTo !== undefined,
    ...(pushedTo !== undefined ? { pushedTo } : {}),
    ...(inWorkingTreeHints ? { inWorkingTree: inWorkingTreeHints.has(sighting.hint) } : {}),
  };
}

/**
 * What a finding shows of a commit. A subject may hold the very key its message holds: it is masked (hints only).
 * Subject and author are text from the repository, printed inside messages: control characters in them (a carriage
 * return, an escape sequence) could fake a line of output, so they are escaped.
 */
export function commitSummary(commit: Pick<LogCommit, 'id' | 'author' | 'time' | 'subject'>): HistoryCommit {
  return {
    id: commit.id,
    shortId: commit.id.slice(0, SHORT_ID_LENGTH),
    author: displayText(commit.author),
    date: new Date(commit.time * 1000).toISOString(),
    subject: displayText(commit.subject),
  };
}

export { displayText };
