// Scans folders and files: decides which files git would commit (asking git when allowed, reading the
// ignore files otherwise), attaches the .env rules from git state, and scans the contents on worker
// threads. The CLI and the editor's workspace scan both call scanPaths().
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { classifyEnvFileName } from './envFiles';
import { scanFile, type EnvFileRule, type FileScanOptions, type FileScanResult } from './fileScan';
import type { FileFinding } from './findings';
import { GitUnavailableError, createGitRunner, findRepositoryRoot, listRepositoryFiles, queryPathStates, type GitRunner } from './git';
import { findRepositoryTopOnDisk, isIgnoredByFiles, walkFiles } from './ignoreWalker';
import type { WorkerRequest, WorkerResponse } from './scanWorker';

export interface ScanOptions extends FileScanOptions {
  /** Skip what git ignores (default). Off (`--no-gitignore`): scan every file and report no .env rules. */
  useGitignore: boolean;
  /** May we start git? False in untrusted workspaces: ignore rules then come from the files alone. */
  allowGit: boolean;
  git?: GitRunner;
  /** Extra exclusions (the editor's files.exclude and exclude globs), on paths relative to the scanned folder. */
  isExcluded?: (relativePath: string) => boolean;
  signal?: AbortSignal;
  onProgress?: (filesDone: number, filesTotal: number) => void;
  /** Number of worker threads; 0 scans on the calling thread. Default: one per core for large trees. */
  workers?: number;
  workerScript?: string;
}

export interface ScanResult {
  findings: FileFinding[];
  filesScanned: number;
  bytesScanned: number;
  skipped: Array<{ file: string; reason: string }>;
  /** Things the user should know that did not stop the scan (git missing, an unreadable .gitignore). */
  problems: Array<{ path: string; message: string }>;
  /** Tops of the git repositories the scan asked git about (the editor watches their index). */
  repositories: string[];
}

interface ScanJob {
  path: string;
  envRule?: EnvFileRule;
}

/** Below this many files, starting workers costs more than it saves. */
const WORKER_THRESHOLD = 400;
const BATCH_SIZE = 64;

function envRuleFor(path: string, state: { ignored: boolean; tracked: boolean }): EnvFileRule | undefined {
  if (classifyEnvFileName(basename(path)) !== 'env') return undefined;
  if (!state.ignored) return 'unignored-env-file';
  return state.tracked ? 'tracked-env-file' : undefined;
}

async function listFolder(folder: string, options: ScanOptions, git: GitRunner, result: ScanResult): Promise<ScanJob[]> {
  const problems = result.problems;
  const keep = (relativePath: string) => !options.isExcluded?.(relative(folder, relativePath).split('\\').join('/'));
  let gitWorks = options.useGitignore && options.allowGit;
  if (gitWorks) {
    try {
      const top = await findRepositoryRoot(git, folder);
      if (top) {
        result.repositories.push(top);
        return (await listRepository(folder, git)).filter((job) => keep(job.path));
      }
    } catch (error) {
      if (!(error instanceof GitUnavailableError)) throw error;
      problems.push({ path: folder, message: `${error.message}; ignore rules are read from the .gitignore files instead` });
      gitWorks = false;
    }
  }
  // Not a repository (or git may not run): walk the tree, but hand nested repositories to git when it can run.
  const jobs: ScanJob[] = [];
  const nestedRepositories: string[] = [];
  for (const path of await walkFiles(folder, {
    useGitignore: options.useGitignore,
    signal: options.signal,
    onProblem: (problemPath, message) => problems.push({ path: problemPath, message }),
    claimRepository: gitWorks ? (dir) => nestedRepositories.push(dir) > 0 : undefined,
  })) {
    if (!keep(path)) continue;
    jobs.push({ path, envRule: options.useGitignore ? envRuleFor(path, { ignored: false, tracked: false }) : undefined });
  }
  result.repositories.push(...nestedRepositories);
  for (const repository of nestedRepositories) {
    jobs.push(...(await listRepository(repository, git)).filter((job) => keep(job.path)));
  }
  return jobs;
}

/** What git would commit in the repository at (or above) `dir`, limited to `dir`. */
async function listRepository(dir: string, git: GitRunner): Promise<ScanJob[]> {
  const { candidates, trackedIgnored } = await listRepositoryFiles(git, dir);
  // Tracked files that an ignore rule covers are listed too (git commits them); the set marks them.
  return candidates.map((relativePath) => {
    const path = join(dir, relativePath);
    const tracked = trackedIgnored.has(relativePath);
    return { path, envRule: envRuleFor(path, { ignored: tracked, tracked }) };
  });
}

/** A single file named on the command line or opened in the editor: its own ignore and tracking state. */
async function singleFileJob(path: string, options: ScanOptions, git: GitRunner, problems: ScanResult['problems']): Promise<ScanJob | undefined> {
  if (!options.useGitignore) return { path };
  const state = await fileGitState(path, options.allowGit, git, problems);
  if (state.ignored && !state.tracked) return undefined;
  return { path, envRule: envRuleFor(path, state) };
}

/** Ignore and tracking state of one file. Without git, tracking is unknown and taken as untracked. */
export async function fileGitState(
  path: string,
  allowGit: boolean,
  git: GitRunner,
  problems?: ScanResult['problems'],
): Promise<{ ignored: boolean; tracked: boolean; repositoryRoot?: string }> {
  if (allowGit) {
    try {
      const root = await findRepositoryRoot(git, dirname(path));
      if (!root) return { ignored: false, tracked: false };
      const relativePath = relative(root, path).split('\\').join('/');
      const state = (await queryPathStates(git, root, [relativePath])).get(relativePath)!;
      return { ...state, repositoryRoot: root };
    } catch (error) {
      if (!(error instanceof GitUnavailableError)) throw error;
      problems?.push({ path, message: `${error.message}; ignore rules are read from the .gitignore files instead` });
    }
  }
  const ignored = await isIgnoredByFiles(path, (problemPath, message) => problems?.push({ path: problemPath, message }));
  return { ignored, tracked: false, repositoryRoot: await findRepositoryTopOnDisk(dirname(path)) };
}

export async function scanPaths(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const git = options.git ?? createGitRunner();
  const result: ScanResult = { findings: [], filesScanned: 0, bytesScanned: 0, skipped: [], problems: [], repositories: [] };
  const jobs: ScanJob[] = [];
  for (const input of paths) {
    const path = resolve(input);
    const stat = await fs.lstat(path); // throws for a missing path: the CLI reports it as an I/O error
    if (stat.isDirectory()) jobs.push(...(await listFolder(path, options, git, result)));
    else if (stat.isFile()) {
      const job = await singleFileJob(path, options, git, result.problems);
      if (job) jobs.push(job);
    }
  }
  const results = await scanJobs(jobs, options);
  results.forEach((fileResult, i) => {
    if (!fileResult) return; // not reached before cancellation
    result.bytesScanned += fileResult.bytes;
    if (fileResult.skipped) result.skipped.push({ file: jobs[i].path, reason: fileResult.skipped });
    else result.filesScanned++;
    result.findings.push(...fileResult.findings);
  });
  result.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return result;
}

/** Results in job order; entries stay empty for jobs not reached before cancellation. */
async function scanJobs(jobs: readonly ScanJob[], options: ScanOptions): Promise<Array<FileScanResult | undefined>> {
  const fileOptions: FileScanOptions = { includeLowConfidence: options.includeLowConfidence, maxFileSize: options.maxFileSize };
  const workerCount = options.workers ?? (jobs.length >= WORKER_THRESHOLD ? Math.min(availableParallelism(), 8) : 0);
  const results: Array<FileScanResult | undefined> = new Array(jobs.length);
  let done = 0;
  if (workerCount === 0) {
    for (let i = 0; i < jobs.length; i++) {
      if (options.signal?.aborted) break;
      results[i] = scanFile(jobs[i].path, fileOptions, jobs[i].envRule);
      options.onProgress?.(++done, jobs.length);
      // Reads are synchronous; give the event loop (an editor's, on this path) a turn now and then.
      if (i % 50 === 49) await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
    return results;
  }

  const script = options.workerScript ?? join(__dirname, 'scanWorker.js');
  const workers = Array.from({ length: workerCount }, () => new Worker(script));
  let nextBatch = 0;
  const batchCount = Math.ceil(jobs.length / BATCH_SIZE);
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolvePool, rejectPool) => {
            const sendNext = () => {
              if (nextBatch >= batchCount || options.signal?.aborted) {
                resolvePool();
                return;
              }
              const batchId = nextBatch++;
              const request: WorkerRequest = {
                batchId,
                files: jobs.slice(batchId * BATCH_SIZE, (batchId + 1) * BATCH_SIZE),
                options: fileOptions,
              };
              worker.postMessage(request);
            };
            worker.on('message', (response: WorkerResponse) => {
              response.results.forEach((fileResult, i) => (results[response.batchId * BATCH_SIZE + i] = fileResult));
              done += response.results.length;
              options.onProgress?.(done, jobs.length);
              sendNext();
            });
            worker.on('error', rejectPool);
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
