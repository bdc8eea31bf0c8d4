// Scans folders and files: decides which files git would commit (asking git when allowed, reading the
// ignore files otherwise), attaches the .env rules from git state, and scans the contents on worker
// threads. The CLI and the editor's workspace scan both call scanPaths().
//
// Decisions:
// - Every path asked for is either scanned or accounted for: a file not read is in `skipped` with its reason, marked
//   `failed` when its contents could hold a key (unreadable, too large, a FIFO where git lists a file, a symbolic link
//   or FIFO named on its own); a folder that could not be listed, or a repository git cannot answer for, is in
//   `problems`. isScanComplete() says whether anything asked for went unread (the CLI then exits 2).
// - Inside a repository only git decides what is committed; when git cannot answer there, the folder is a problem
//   and is not scanned by guesswork (git.ts explains why). Outside every repository the walk needs no git.
// - Inside a repository git also finds the files worth reading (issue 15): `git grep` looks for every needle the
//   content rules need (scanNeedles.ts) in git's own threads, and only the files it names (and env files, judged by
//   name) are read here. The others are still listed, counted and sized (accountFile), so the report is the same,
//   byte for byte, as reading them all; when git grep gives no trustworthy answer every file is read, as before.
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { classifyEnvFileName, envFileRule } from './envFiles';
import { SUBMODULE_NOT_CHECKED_OUT_REASON, accountFile, addFindings, scanFile, type EnvFileRule, type FileScanOptions, type FileScanResult } from './fileScan';
import type { FileFinding } from './findings';
import { IGNORE_CASE } from './glob';
import {
  GitStateError,
  GitUnavailableError,
  createGitRunner,
  findRepositoryRoot,
  findRepositoryTopOnDisk,
  gitMissingError,
  grepCandidates,
  listRepositoryFiles,
  queryPathStates,
  type GitRunner,
} from './git';
import { isIgnoredByFiles, walkFolders } from './ignoreWalker';
import { findKeysInName } from './nameFindings';
import { toFsPath } from './rawPaths';
import { TEXT_NEEDLES } from './scanNeedles';
import type { WorkerRequest, WorkerResponse } from './scanWorker';

export { GitStateError };

export interface ScanOptions extends FileScanOptions {
  /** Skip what git ignores (default). Off (`--no-gitignore`): scan every file and report no .env rules. */
  useGitignore: boolean;
  /** May we start git? False in untrusted workspaces: ignore rules then come from the files alone. */
  allowGit: boolean;
  /**
   * Inside a repository, let git grep find the files worth reading (default true). False reads every file; the report
   * is the same either way. The environment variable ANTHROPIC_KEY_HYGIENE_SCAN=read-all sets the default to false,
   * to compare the two (npm run bench:editor).
   */
  searchWithGit?: boolean;
  git?: GitRunner;
  /** Extra exclusions (the editor's files.exclude and exclude globs), on paths relative to the scanned folder. */
  isExcluded?: (relativePath: string) => boolean;
  signal?: AbortSignal;
  onProgress?: (filesDone: number, filesTotal: number) => void;
  /** Number of worker threads; 0 scans on the calling thread only. Default: for large trees, one per core but one
   * (the calling thread scans alongside them once the listing is complete). */
  workers?: number;
  workerScript?: string;
  /**
   * For folders that are walked (not repositories, which git lists in one go): start the worker threads as soon as
   * the walk has found a few hundred files rather than the WORKER_THRESHOLD that makes them pay. A worker takes
   * ~100 ms to start here, which then overlaps the rest of the walk (the CLI's folder scans: ~40 ms of 720 on the
   * bench corpus). They are given files only once the tree passes WORKER_THRESHOLD; a tree in between leaves them
   * idle, at the cost of starting them (~10-20 ms here).
   */
  startWorkersEarly?: boolean;
}

/** A path that was not read, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
  /** Set when not reading it is a failure, not a decision: its contents could hold a key (see FileScanResult). */
  failed?: boolean;
}

export interface ScanResult {
  findings: FileFinding[];
  filesScanned: number;
  bytesScanned: number;
  skipped: SkippedFile[];
  /** What kept part of the scan from running: a folder that could not be listed, a repository git cannot answer for,
   * ignore rules that could not be read. Each one makes the scan incomplete. */
  problems: Array<{ path: string; message: string }>;
  /** Tops of the git repositories the scan asked git about (the editor watches their index). */
  repositories: string[];
  /** Files with findings not listed (past MAX_FINDINGS_PER_FILE, or MAX_FINDINGS_PER_SCAN for the scan): how many. */
  truncated?: Array<{ file: string; omitted: number }>;
}

/** Whether everything asked for was read: no problem, and no file skipped for a failure. */
export function isScanComplete(result: Pick<ScanResult, 'problems' | 'skipped'>): boolean {
  return result.problems.length === 0 && !result.skipped.some((skip) => skip.failed);
}

/** The skip reason of a file named on its own (a CLI argument, an opened document) that the ignore rules cover. */
export const IGNORED_FILE_REASON = 'git ignores it';
/** The skip reason of a symbolic link named on its own: the scan never follows one. */
export const SYMBOLIC_LINK_REASON = 'a symbolic link (not followed; name the file it points to)';

interface ScanJob {
  path: string;
  envRule?: EnvFileRule;
  /** git grep found no needle in it: accounted for, not read (see accountFile). */
  noNeedle?: boolean;
}

/** Whether git grep chooses the files to read: the option, else the environment's default. */
function searchesWithGit(options: ScanOptions): boolean {
  return options.searchWithGit ?? process.env.ANTHROPIC_KEY_HYGIENE_SCAN !== 'read-all';
}

/**
 * Workers are given files once the listing has found this many (and start then, unless startWorkersEarly started
 * them before). A worker takes ~80 ms of CPU to start here (a Node environment of its own), about what the calling
 * thread needs to scan 2,000 small files; below that it would arrive when the work is done. Measured on the bench
 * corpus (2 cores): 2,000 files scan faster on the calling thread alone.
 */
const WORKER_THRESHOLD = 2500;
/** With startWorkersEarly: workers start once the walk has found this many files. Below it a tree is small enough
 * that starting a worker it will not use (~20 ms of wall time here for a five-file tree) is most of the scan. */
const EARLY_START_THRESHOLD = 256;
/** Index bytes per file, for a short path (62 bytes of stat data and hash, then the path and its padding). */
const INDEX_ENTRY_BYTES = 72;
/** Worker threads at most, besides the calling thread, which scans too once the listing is complete. */
const MAX_WORKERS = 7;
const BATCH_SIZE = 64;
/** Batches each worker holds: while it scans one the next is already queued, so it never waits for the main thread. */
const BATCHES_IN_FLIGHT = 2;
/** Files the calling thread scans per event-loop turn while workers run: short enough to keep them supplied. */
const CALLING_THREAD_SLICE = 16;
/** How long the calling thread scans before it gives the event loop a turn when no worker waits on it: an editor's
 * extension host must never stall for long (issue 15 measures it). */
const SCAN_SLICE_MS = 8;

/** The one decision (envFiles.ts), which reads the base name of a path itself and settles most paths with one test. */
const envRuleFor = envFileRule;

/** Where the listing hands its jobs. */
interface JobSink {
  /** `from`: 'walk' when found by the walk, which goes on in this thread; 'git' when git hands them over while its own
   * processes go on searching (this thread is idle meanwhile, so it scans them at once). */
  add(jobs: ScanJob[], from?: 'walk' | 'git'): void;
  /** The listing expects a large tree (before git lists it): workers may start now. */
  expectLarge(): void;
  /** A path asked for that will not be read. */
  skip(skipped: SkippedFile): void;
}

/** Lists what to scan in a folder, handing jobs to `add` as they are found (the walk hands them folder by folder). */
/** `excludeRoot`: the folder the exclude globs are relative to, the one asked for (a nested repository is listed on its
 * own, but `--exclude vendor/lib/fixtures/**` still means the same files). */
async function listFolder(folder: string, options: ScanOptions, git: GitRunner, result: ScanResult, sink: JobSink, excludeRoot = folder): Promise<void> {
  const problems = result.problems;
  const isExcluded = options.isExcluded;
  const rootPrefix = excludeRoot.endsWith(sep) ? excludeRoot : excludeRoot + sep;
  // Paths under the folder asked for are cut, not resolved: path.relative for each of 20,000 listed files was a
  // noticeable share of the extension host's time (issue 15).
  const keep = (path: string) =>
    !isExcluded?.((path.startsWith(rootPrefix) ? path.slice(rootPrefix.length) : relative(excludeRoot, path)).split('\\').join('/'));
  const askGit = options.useGitignore && options.allowGit;
  /** Set when git is missing outside every repository: the walk does without it, a nested repository cannot. */
  let gitMissing: GitUnavailableError | undefined;
  if (askGit) {
    let top: string | undefined;
    try {
      top = await findRepositoryRoot(git, folder);
    } catch (error) {
      if (error instanceof GitStateError) {
        problems.push({ path: folder, message: error.message });
        return;
      }
      if (!(error instanceof GitUnavailableError)) throw error;
      // Inside a repository only git can say what it tracks and ignores: not scanned rather than guessed.
      const onDisk = await findRepositoryTopOnDisk(folder);
      if (onDisk) {
        problems.push({ path: folder, message: gitMissingError(onDisk, error).message });
        return;
      }
      gitMissing = error;
    }
    if (top) {
      result.repositories.push(top);
      const realFolder = await fs.realpath(folder);
      // Only for the whole repository: a folder inside a large one may be small. With git grep choosing, how many files
      // will be read is known only once it has answered.
      if (!searchesWithGit(options) && resolve(top) === realFolder && (await indexLooksLarge(top))) sink.expectLarge();
      const listed = await listRepositoryOrReport(folder, git, problems, searchesWithGit(options), (jobs) => sink.add(jobs.filter((job) => keep(job.path)), 'git'));
      if (listed === undefined) return;
      // Nothing to scan may mean the folder itself is ignored: say so, as for a file named on its own.
      if (listed.count === 0 && listed.nested.length === 0 && (await folderIsIgnored(git, top, realFolder))) sink.skip({ file: folder, reason: IGNORED_FILE_REASON });
      await listNested(listed.nested, options, git, result, sink, keep, excludeRoot);
      return;
    }
  }
  // Not a repository (or git may not run): walk the tree, but hand nested repositories to git when it can run.
  const nestedRepositories: string[] = [];
  const walked = await walkFolders(
    folder,
    {
      useGitignore: options.useGitignore,
      signal: options.signal,
      onProblem: (problemPath, message) => problems.push({ path: problemPath, message }),
      claimRepository: askGit ? (dir) => nestedRepositories.push(dir) > 0 : undefined,
    },
    (files) => {
      const jobs: ScanJob[] = [];
      for (const path of files) {
        if (!keep(path)) continue;
        jobs.push({ path, envRule: options.useGitignore ? envRuleFor(path, { ignored: false, tracked: false }) : undefined });
      }
      sink.add(jobs, 'walk');
    },
  );
  if (walked.rootIgnored) sink.skip({ file: folder, reason: IGNORED_FILE_REASON });
  for (const repository of nestedRepositories) {
    if (gitMissing) {
      // Inside a repository only git can say what it tracks and ignores: not scanned rather than guessed.
      problems.push({ path: repository, message: gitMissingError(repository, gitMissing).message });
      continue;
    }
    const listed = await listRepositoryOrReport(repository, git, problems, searchesWithGit(options), (jobs) => sink.add(jobs.filter((job) => keep(job.path)), 'git'));
    if (listed === undefined) continue;
    result.repositories.push(repository);
    await listNested(listed.nested, options, git, result, sink, keep, excludeRoot);
  }
}

/**
 * The submodules and repositories found inside a listed repository, each listed with git in its own folder, as a
 * nested repository met by the walk is (red team F20: they were skipped as folders, and a key in a submodule's files
 * or in a vendored clone passed a scan of the superproject with exit 0).
 */
async function listNested(
  nested: readonly string[],
  options: ScanOptions,
  git: GitRunner,
  result: ScanResult,
  sink: JobSink,
  keep: (path: string) => boolean,
  excludeRoot: string,
): Promise<void> {
  for (const folder of nested) {
    if (!keep(folder)) continue;
    // An uninitialised submodule is an empty folder (or none): git there would answer for the superproject. The name is
    // looked up by its exact bytes: one that is not UTF-8 is a repository all the same, which listFolder then reports
    // as one git cannot be run in (it was called not checked out, and the key in it passed with exit 0).
    const hasGit = await fs.lstat(toFsPath(join(folder, '.git'))).then(
      () => true,
      () => false,
    );
    if (!hasGit) {
      sink.skip({ file: folder, reason: SUBMODULE_NOT_CHECKED_OUT_REASON });
      continue;
    }
    await listFolder(folder, options, git, result, sink, excludeRoot);
  }
}

/** listRepository, with a repository git cannot answer for reported as a problem (undefined) rather than thrown. */
async function listRepositoryOrReport(
  dir: string,
  git: GitRunner,
  problems: ScanResult['problems'],
  searchWithGit: boolean,
  add: (jobs: ScanJob[]) => void,
): Promise<RepositoryListing | undefined> {
  try {
    return await listRepository(dir, git, searchWithGit, add);
  } catch (error) {
    if (!(error instanceof GitStateError)) throw error;
    problems.push({ path: dir, message: error.message });
    return undefined;
  }
}

/** Whether git ignores a folder of the repository at `top` (both real paths). */
async function folderIsIgnored(git: GitRunner, top: string, folder: string): Promise<boolean> {
  const relativePath = relative(top, folder).split(sep).join('/');
  if (relativePath === '') return false;
  return (await queryPathStates(git, top, [relativePath])).get(relativePath)!.ignored;
}

/**
 * Whether a repository's index lists at least about WORKER_THRESHOLD files, from its size alone (an entry is 62 bytes
 * plus its path, padded): reason to start workers before git lists the files (~100-300 ms on large trees here),
 * which a repository that small cannot repay. A work tree whose .git is a file (worktrees, submodules) gives no hint.
 */
async function indexLooksLarge(top: string): Promise<boolean> {
  try {
    return (await fs.stat(join(top, '.git', 'index'))).size >= WORKER_THRESHOLD * INDEX_ENTRY_BYTES;
  } catch {
    return false;
  }
}

/**
 * What git would commit in the repository at (or above) `dir`, limited to `dir`, handed to `add` as it becomes known;
 * returns how many files git lists. With `searchWithGit`, git grep runs beside the listing and each file it names is
 * handed over at once (read while git searches the rest); the files it did not name follow, marked to be accounted
 * for rather than read. When grep gives no answer they follow unmarked, and every file is read. Before the listing
 * is complete only files git grep named are handed over, and only those whose name no env rule takes (their job does
 * not depend on what the listing says), and not where names ignore case; a failing listing throws GitStateError, and
 * hands over nothing more (the files read before it stand: they are files git grep read in this repository).
 */
/** What listRepository found: how many files, and the nested repositories (absolute folders) to list on their own. */
interface RepositoryListing {
  count: number;
  nested: string[];
}

async function listRepository(dir: string, git: GitRunner, searchWithGit: boolean, add: (jobs: ScanJob[]) => void): Promise<RepositoryListing> {
  // git prints normalised '/'-separated paths and `dir` is absolute and normalised, so joining is concatenation (path.join's
  // normalisation of 20,000 paths cost ~40 ms here).
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const toPath = (relativePath: string) => prefix + (sep === '/' ? relativePath : relativePath.split('/').join(sep));
  /** Listed files not handed over yet, by git's path; filled once the listing is complete. */
  const waiting = new Map<string, ScanJob>();
  let listed = false;
  /** Every path the listing holds, once it is complete. */
  let known: ReadonlySet<string> = new Set();
  /**
   * Set when git grep names a path the listing does not hold. grep walks the disk and ls-files reads the index, and on a
   * case-insensitive file system (core.ignoreCase: macOS and Windows by default) a file renamed by case alone is
   * `Notes.txt` in the index and `notes.txt` on disk: grep's answer then says nothing of the listed name, so every
   * file it did not name is read (the key in it was accounted for unread, and missed).
   */
  let namedUnknown = false;
  const named: string[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (!listed) return;
    const jobs: ScanJob[] = [];
    for (const relativePath of named) {
      const job = waiting.get(relativePath);
      if (job) {
        jobs.push(job);
        waiting.delete(relativePath);
      } else if (!known.has(relativePath)) namedUnknown = true;
    }
    named.length = 0;
    if (jobs.length > 0) add(jobs);
  };
  /**
   * Files git grep named before the listing was complete, handed over at once: a file whose name no env rule can take
   * needs nothing the listing says (its job is its path), so it is read while git still lists and searches. Waiting
   * for the listing left this thread idle for 100-150 ms of a 20,000-file scan (issue 15).
   */
  const early = new Set<string>();
  let earlyBatch: string[] = [];
  let listingFailed = false;
  const flushEarly = () => {
    if (earlyBatch.length === 0 || listingFailed) return;
    const jobs = earlyBatch.map((relativePath) => ({ path: toPath(relativePath) }));
    earlyBatch = [];
    add(jobs);
  };
  // The paths grep names are collected and handed over once per turn of the event loop, not one call per file.
  const onNamed = (relativePath: string) => {
    // Not where names ignore case (macOS and Windows): there grep's spelling (the disk's) may differ from the index's,
    // and a file read early under one would be read again under the other (red team, this session).
    if (!listed && !IGNORE_CASE && classifyEnvFileName(relativePath) !== 'env') {
      early.add(relativePath);
      if (earlyBatch.push(relativePath) === 1) setImmediate(flushEarly);
      return;
    }
    named.push(relativePath);
    if (listed && !flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const grep = searchWithGit ? grepCandidates(git, dir, TEXT_NEEDLES, onNamed) : Promise.resolve(undefined);
  let listing: Awaited<ReturnType<typeof listRepositoryFiles>>;
  try {
    listing = await listRepositoryFiles(git, dir);
  } catch (error) {
    listingFailed = true;
    await grep;
    throw error;
  }
  const { candidates, trackedIgnored, flagged, untracked, nested } = listing;
  known = listing.listed;
  for (const relativePath of early) if (!known.has(relativePath)) namedUnknown = true;
  const envJobs: ScanJob[] = [];
  for (const relativePath of candidates) {
    if (early.has(relativePath)) continue;
    const path = toPath(relativePath);
    // Tracked files that an ignore rule covers are listed too (git commits them); the set marks them.
    const tracked = trackedIgnored.has(relativePath);
    // A tracked env file is reported as tracked whether or not a rule ignores it: only `git rm --cached` stops git
    // committing it (red team F26.1).
    const envRule = envRuleFor(path, { ignored: tracked, tracked: tracked || !untracked.has(relativePath) });
    // An env file is read whatever it holds (its rule's finding covers its first line), and so is a file git grep may
    // pass over (tracked but ignored, or flagged in the index: see listRepositoryFiles).
    if (envRule !== undefined || !searchWithGit || tracked || flagged.has(relativePath)) envJobs.push({ path, envRule });
    else waiting.set(relativePath, { path });
  }
  listed = true;
  flushEarly();
  if (envJobs.length > 0) add(envJobs);
  flush();
  const needled = await grep;
  flush();
  const rest = [...waiting.values()];
  waiting.clear();
  if (rest.length > 0) add(needled && !namedUnknown ? rest.map((job) => ({ ...job, noNeedle: true })) : rest);
  return { count: candidates.length, nested: nested.map(toPath) };
}

/** A single file named on the command line or opened in the editor: its own ignore and tracking state. */
async function singleFileJob(path: string, options: ScanOptions, git: GitRunner, result: ScanResult): Promise<ScanJob | SkippedFile | undefined> {
  if (!options.useGitignore) return { path };
  let state: FileGitState;
  try {
    state = await fileGitState(path, options.allowGit, git, result.problems);
  } catch (error) {
    if (!(error instanceof GitStateError)) throw error;
    result.problems.push({ path, message: error.message });
    return undefined;
  }
  if (state.repositoryRoot && state.trackingKnown && !result.repositories.includes(state.repositoryRoot)) result.repositories.push(state.repositoryRoot);
  // A file named on its own and ignored is not read; say so rather than count it nowhere.
  if (state.ignored && !state.tracked) return { file: path, reason: IGNORED_FILE_REASON };
  return { path, envRule: envRuleFor(path, state) };
}

/** What git says of one path. */
export interface FileGitState {
  ignored: boolean;
  tracked: boolean;
  /** False only when git was not allowed to run (an untrusted workspace): `tracked` is then a guess (false), and
   * `ignored` comes from the .gitignore files. */
  trackingKnown: boolean;
  /** The top of the repository holding the path, if any. */
  repositoryRoot?: string;
}

/**
 * Ignore and tracking state of one file (which need not exist yet; its folder is looked up from the nearest one that
 * does). With git allowed, throws GitStateError when the file is inside a repository and git cannot answer; outside
 * every repository nothing is tracked or ignored, with or without git. Without git (`allowGit` false: an untrusted
 * workspace), the .gitignore files decide and tracking is unknown; `problems` hears of ignore files it could not read.
 */
export async function fileGitState(path: string, allowGit: boolean, git: GitRunner, problems?: ScanResult['problems']): Promise<FileGitState> {
  if (!allowGit) {
    const ignored = await isIgnoredByFiles(path, (problemPath, message) => problems?.push({ path: problemPath, message }));
    return { ignored, tracked: false, trackingKnown: false, repositoryRoot: await findRepositoryTopOnDisk(dirname(path)) };
  }
  // git runs in a folder that exists; paths are compared as git sees them, with symbolic links in folders resolved.
  const { folder, rest } = await nearestExistingFolder(dirname(path));
  let root: string | undefined;
  try {
    root = await findRepositoryRoot(git, folder);
  } catch (error) {
    if (!(error instanceof GitUnavailableError)) throw error;
    // Missing git: inside a repository that leaves the answer unknown; outside every one nothing is tracked or ignored.
    const onDisk = await findRepositoryTopOnDisk(folder);
    if (onDisk) throw gitMissingError(onDisk, error);
    return { ignored: false, tracked: false, trackingKnown: true };
  }
  if (!root) return { ignored: false, tracked: false, trackingKnown: true };
  const relativePath = [relative(root, folder), ...rest, basename(path)].filter((part) => part !== '').join('/').split(sep).join('/');
  // git answered for a work tree that does not hold the file (core.worktree set elsewhere, GIT_WORK_TREE): what it
  // says of that tree says nothing of this file, so no answer rather than "untracked" (red team F26.5).
  if (relativePath === '..' || relativePath.startsWith('../')) {
    throw new GitStateError(`git's work tree for ${folder} is ${root} (core.worktree or GIT_WORK_TREE), which does not hold ${path}: git cannot say whether it tracks or ignores it. Unset core.worktree, or run from inside ${root}`, folder);
  }
  const state = (await queryPathStates(git, root, [relativePath])).get(relativePath)!;
  return { ...state, trackingKnown: true, repositoryRoot: root };
}

/** The nearest existing folder at or above `dir` (its real path), and the names below it that do not exist yet. */
async function nearestExistingFolder(dir: string): Promise<{ folder: string; rest: string[] }> {
  const rest: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    try {
      return { folder: await fs.realpath(current), rest };
    } catch (error) {
      if (dirname(current) === current || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      rest.unshift(basename(current));
    }
  }
}

export async function scanPaths(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const git = options.git ?? createGitRunner();
  const result: ScanResult = { findings: [], filesScanned: 0, bytesScanned: 0, skipped: [], problems: [], repositories: [] };
  // Files are scanned while the tree is still being listed.
  const scanner = new JobScanner(options);
  try {
    for (const input of paths) {
      const path = resolve(input);
      const stat = await fs.lstat(path); // throws for a missing path: the CLI reports it as an I/O error
      scanner.nameRoot = stat.isDirectory() ? path : dirname(path);
      if (stat.isDirectory()) await listFolder(path, options, git, result, scanner);
      else if (stat.isFile()) {
        const job = await singleFileJob(path, options, git, result);
        if (job && 'file' in job) scanner.skip(job);
        else if (job) scanner.add([job]);
      } else if (stat.isSymbolicLink()) {
        scanner.skip({ file: path, reason: SYMBOLIC_LINK_REASON, failed: true });
      } else {
        // Named on purpose, and never opened: a FIFO would block the scan until something wrote to it.
        const kind = stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device';
        scanner.skip({ file: path, reason: `not a regular file (${kind})`, failed: true });
      }
    }
    await scanner.finish();
  } finally {
    await scanner.close();
  }
  result.filesScanned = scanner.filesScanned;
  result.bytesScanned = scanner.bytesScanned;
  result.skipped = scanner.skipped;
  result.findings = scanner.findings;
  if (scanner.truncated.length > 0) result.truncated = scanner.truncated.sort((a, b) => compareStrings(a.file, b.file));
  // Jobs arrive in walk order, not sorted: sort what is reported per file.
  result.skipped.sort((a, b) => compareStrings(a.file, b.file));
  result.findings.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column);
  return result;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface PoolWorker {
  worker: Worker;
  batchesInFlight: number;
}

/**
 * Scans jobs while they are still being listed: worker threads start once there are enough jobs to be worth it (or
 * at the first job, as many as options.workers says; or, with startWorkersEarly, once a walk has found a few hundred
 * files, so that their start overlaps the rest of the walk) and get batches as the listing finds files; the calling
 * thread joins in when the listing is complete, or does all the work for a small tree. Results are totalled as they
 * arrive (scanPaths sorts them); jobs not reached before a cancellation are not counted.
 */
class JobScanner {
  readonly jobs: ScanJob[] = [];
  /** Jobs whose file is read (not only accounted for): what makes worker threads worth starting. */
  private readJobs = 0;
  /** Totals over the files scanned so far (not the jobs skipped by a cancellation). */
  filesScanned = 0;
  bytesScanned = 0;
  readonly skipped: SkippedFile[] = [];
  readonly findings: FileFinding[] = [];
  readonly truncated: Array<{ file: string; omitted: number }> = [];
  private readonly fileOptions: FileScanOptions;
  private readonly pool: PoolWorker[] = [];
  /** The first job not yet handed to a worker. */
  private next = 0;
  private done = 0;
  private listing = true;
  /** Whether files go to the workers (the pool may exist earlier, see startWorkersEarly). */
  private dispatching = false;
  private failure: Error | undefined;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  /** The calling thread's scan of jobs git hands over while it still searches (scanWhileListing). */
  private background: Promise<void> | undefined;
  /** Wakes scanWhileListing when jobs arrive or the listing ends. */
  private wake: (() => void) | undefined;

  constructor(private readonly options: ScanOptions) {
    this.fileOptions = { includeLowConfidence: options.includeLowConfidence, maxFileSize: options.maxFileSize };
  }

  expectLarge(): void {
    if (this.options.startWorkersEarly) this.spawnWorkers();
  }

  /**
   * The folder whose contents the current input lists (scanPaths sets it per input): a path's name below it is what git
   * would commit, and is searched for keys (red team F3). Above it, the path is this machine's.
   */
  nameRoot: string | undefined;

  skip(skipped: SkippedFile): void {
    this.skipped.push(skipped);
    this.checkName(skipped.file);
  }

  add(jobs: readonly ScanJob[], from?: 'walk' | 'git'): void {
    for (const job of jobs) {
      this.jobs.push(job);
      if (!job.noNeedle) this.readJobs++;
      this.checkName(job.path);
    }
    if (from === 'walk' && this.options.startWorkersEarly && this.jobs.length >= EARLY_START_THRESHOLD) this.spawnWorkers();
    this.startWorkers();
    this.dispatch();
    // git searches in its own processes while it hands files over: this thread would only wait, so it scans.
    if (from === 'git') this.background ??= this.scanWhileListing();
    this.wake?.();
    this.reportProgress();
  }

  /** A key in the committed part of `path`'s name is a finding of its own, whether or not the file is read. */
  private checkName(path: string): void {
    // Almost no path holds a key: one substring search settles it before any path arithmetic.
    if (!path.includes('k-ant-')) return;
    const below = this.nameRoot === undefined ? basename(path) : relative(this.nameRoot, path);
    // The folder asked for itself (skipped as ignored, say) has no name below it: its own is this machine's.
    if (below === '') return;
    const name = below.startsWith('..') ? basename(path) : below.split(sep).join('/');
    const found = findKeysInName(name, path);
    if (found.length === 0) return;
    const omitted = addFindings(this.findings, { findings: found });
    if (omitted > 0) this.truncated.push({ file: path, omitted });
  }

  /**
   * Scans jobs on the calling thread while git is still listing and searching (issue 15), in slices of a few
   * milliseconds so the event loop (an editor's) is never held for long; workers, once started, take batches too.
   */
  private async scanWhileListing(): Promise<void> {
    while (this.listing && !this.failure && !this.options.signal?.aborted) {
      if (this.next === this.jobs.length) {
        await new Promise<void>((resolveWake) => (this.wake = resolveWake));
        this.wake = undefined;
        continue;
      }
      const sliceEnd = performance.now() + SCAN_SLICE_MS;
      const first = this.next;
      while (this.next < this.jobs.length && performance.now() < sliceEnd) {
        const index = this.next++;
        this.record(index, this.scanJob(this.jobs[index]));
      }
      this.done += this.next - first;
      this.reportProgress();
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
  }

  /** Called when the listing is complete; resolves when every job is scanned (or the scan is cancelled). */
  async finish(): Promise<void> {
    this.listing = false;
    this.wake?.();
    await this.background;
    if (!this.dispatching) {
      // Workers started early but never given files (a small tree) are stopped by close().
      await this.scanInline();
      return;
    }
    this.dispatch();
    this.reportProgress();
    await this.scanAlongside();
    await new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.checkSettled();
    });
  }

  /**
   * Once the listing is complete the calling thread scans too, a few files per event-loop turn, so that with one
   * worker per core but one every core is busy; between its slices it hands results and new batches to the workers.
   */
  private async scanAlongside(): Promise<void> {
    for (;;) {
      const waiting = this.jobs.length - this.next;
      if (waiting === 0 || this.failure || this.options.signal?.aborted) return;
      const first = this.next;
      this.next += Math.min(CALLING_THREAD_SLICE, waiting);
      for (let i = first; i < this.next; i++) this.record(i, this.scanJob(this.jobs[i]));
      this.done += this.next - first;
      this.reportProgress();
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
  }

  /** One job on the calling thread: read and scanned, or only accounted for. */
  private scanJob(job: ScanJob): FileScanResult {
    return job.noNeedle ? accountFile(job.path, this.fileOptions, job.envRule) : scanFile(job.path, this.fileOptions, job.envRule);
  }

  async close(): Promise<void> {
    const workers = this.pool.map((entry) => entry.worker);
    this.pool.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private startWorkers(): void {
    const explicit = this.options.workers;
    // A folder's size is unknown until it is listed: use workers as soon as the jobs so far make them worth it.
    if (this.dispatching || this.jobs.length === 0 || (explicit === undefined && this.readJobs < WORKER_THRESHOLD)) return;
    this.spawnWorkers();
    this.dispatching = this.pool.length > 0;
  }

  private spawnWorkers(): void {
    if (this.pool.length > 0) return;
    const count = this.options.workers ?? Math.min(availableParallelism() - 1, MAX_WORKERS);
    const script = this.options.workerScript ?? join(__dirname, 'scanWorker.js');
    for (let i = 0; i < count; i++) {
      const entry: PoolWorker = { worker: new Worker(script), batchesInFlight: 0 };
      entry.worker.on('message', (response: WorkerResponse) => this.receive(entry, response));
      entry.worker.on('error', (error) => this.fail(error));
      // A worker that dies without an error event (killed, out of memory) would otherwise leave the scan waiting.
      entry.worker.on('exit', (code) => {
        if (this.pool.includes(entry)) this.fail(new Error(`scan worker stopped (exit code ${code})`));
      });
      this.pool.push(entry);
    }
  }

  /** Hands out batches: full ones while the listing runs, whatever is left once it is complete. */
  private dispatch(): void {
    if (!this.dispatching) return;
    for (const entry of this.pool) {
      while (entry.batchesInFlight < BATCHES_IN_FLIGHT && !this.failure && !this.options.signal?.aborted) {
        const waiting = this.jobs.length - this.next;
        // An idle worker takes a partial batch rather than wait for the walk to find more.
        const enough = waiting >= BATCH_SIZE || (waiting > 0 && (!this.listing || entry.batchesInFlight === 0));
        if (!enough) break;
        const first = this.next;
        this.next += Math.min(BATCH_SIZE, waiting);
        entry.batchesInFlight++;
        const request: WorkerRequest = { first, files: this.jobs.slice(first, this.next), options: this.fileOptions };
        entry.worker.postMessage(request);
      }
    }
  }

  private receive(entry: PoolWorker, response: WorkerResponse): void {
    entry.batchesInFlight--;
    // The files not listed had nothing to report: they count as scanned.
    this.filesScanned += response.count - response.notable.length;
    this.bytesScanned += response.bytes;
    for (const { index, result } of response.notable) this.record(response.first + index, result, false);
    this.done += response.count;
    this.reportProgress();
    this.dispatch();
    this.checkSettled();
  }

  /** Adds one file's result to the totals (bytes too, unless the caller counted them already). */
  private record(jobIndex: number, fileResult: FileScanResult, countBytes = true): void {
    if (countBytes) this.bytesScanned += fileResult.bytes;
    const file = this.jobs[jobIndex].path;
    if (fileResult.skipped) this.skipped.push(fileResult.failed ? { file, reason: fileResult.skipped, failed: true } : { file, reason: fileResult.skipped });
    else this.filesScanned++;
    // Past the scan's cap the findings that arrive first are listed (workers report in no fixed order).
    const omitted = addFindings(this.findings, fileResult);
    if (omitted > 0) this.truncated.push({ file, omitted });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.checkSettled();
  }

  private checkSettled(): void {
    if (!this.settle) return;
    if (this.failure) {
      this.settle.reject(this.failure);
      return;
    }
    const handedOut = this.next === this.jobs.length || this.options.signal?.aborted;
    if (handedOut && this.pool.every((entry) => entry.batchesInFlight === 0)) this.settle.resolve();
  }

  /** Progress as done/known; done never equals the total before the listing is complete (it would read as the end). */
  private reportProgress(): void {
    if (this.listing && this.done >= this.jobs.length) return;
    this.options.onProgress?.(this.done, this.jobs.length);
  }

  /** The jobs left after the listing, on the calling thread alone, in slices (reads are synchronous: the event loop,
   * an editor's on this path, gets a turn between them). */
  private async scanInline(): Promise<void> {
    while (this.next < this.jobs.length && !this.options.signal?.aborted) {
      const sliceEnd = performance.now() + SCAN_SLICE_MS;
      while (this.next < this.jobs.length && performance.now() < sliceEnd) {
        const index = this.next++;
        this.record(index, this.scanJob(this.jobs[index]));
        this.done++;
      }
      this.options.onProgress?.(this.done, this.jobs.length);
      if (this.next < this.jobs.length) await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
  }
}
