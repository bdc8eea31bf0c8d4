// Runs git so that repository configuration cannot execute anything: a cloned repository can set
// core.fsmonitor (a command git runs on status-like calls) or hooks; we only ever read, so both are
// switched off on the command line, which overrides every config file.
import { execFile } from 'node:child_process';

const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.untrackedCache=false'];

export class GitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitUnavailableError';
  }
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
  stderr: string;
}

/** Called for every git process started; lets the editor prove no git runs in an untrusted workspace. */
export type GitSpawnObserver = (args: readonly string[]) => void;

export interface GitRunner {
  run(cwd: string, args: readonly string[], input?: Buffer | string): Promise<GitResult>;
}

export function createGitRunner(gitPath = 'git', observer?: GitSpawnObserver): GitRunner {
  return {
    run(cwd, args, input) {
      observer?.(args);
      return new Promise((resolve, reject) => {
        const child = execFile(
          gitPath,
          [...SAFE_CONFIG, ...args],
          {
            cwd,
            encoding: 'buffer',
            maxBuffer: 1024 * 1024 * 1024,
            // GIT_OPTIONAL_LOCKS=0: never take the index lock for a read (an editor must not block the user's git).
            env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
            windowsHide: true,
          },
          (error, stdout, stderr) => {
            // A non-zero exit gives a numeric code; a failure to start (or to read) gives a string one.
            const code = (error as NodeJS.ErrnoException | null)?.code as unknown;
            if (code === 'ENOENT') {
              reject(new GitUnavailableError(`git was not found (${gitPath})`));
            } else if (error && typeof code !== 'number') {
              reject(error);
            } else {
              resolve({ stdout, exitCode: typeof code === 'number' ? code : 0, stderr: stderr.toString('utf8') });
            }
          },
        );
        if (input !== undefined) child.stdin?.end(input);
      });
    },
  };
}

/** The top of the repository holding `dir`, or undefined when `dir` is not inside a work tree. */
export async function findRepositoryRoot(git: GitRunner, dir: string): Promise<string | undefined> {
  const result = await git.run(dir, ['rev-parse', '--show-toplevel']);
  if (result.exitCode !== 0) return undefined;
  return result.stdout.toString('utf8').trim() || undefined;
}

/** Splits NUL-terminated git output (`-z`) into paths. */
export function splitNul(output: Buffer): string[] {
  const text = output.toString('utf8');
  return text.split('\0').filter((path) => path.length > 0);
}

/**
 * Files git would commit under `dir` (tracked, plus untracked that no ignore rule covers), relative to
 * `dir`, and the tracked files that an ignore rule covers (ignoring does not untrack them).
 */
export async function listRepositoryFiles(
  git: GitRunner,
  dir: string,
): Promise<{ candidates: string[]; trackedIgnored: Set<string> }> {
  const [all, trackedIgnored] = await Promise.all([
    git.run(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate']),
    git.run(dir, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']),
  ]);
  for (const result of [all, trackedIgnored]) {
    if (result.exitCode !== 0) throw new Error(`git ls-files failed: ${result.stderr.trim()}`);
  }
  return { candidates: splitNul(all.stdout), trackedIgnored: new Set(splitNul(trackedIgnored.stdout)) };
}

/** Ignore and tracking state of specific paths (relative to `dir`), for a single opened file. */
export async function queryPathStates(
  git: GitRunner,
  dir: string,
  paths: readonly string[],
): Promise<Map<string, { ignored: boolean; tracked: boolean }>> {
  const states = new Map(paths.map((path) => [path, { ignored: false, tracked: false }]));
  if (paths.length === 0) return states;
  // --no-index: report what the rules say even for tracked files (we report "tracked but ignored" separately).
  const [ignored, tracked] = await Promise.all([
    git.run(dir, ['check-ignore', '-z', '--stdin', '--no-index'], paths.join('\0') + '\0'),
    git.run(dir, ['ls-files', '-z', '--cached', '--', ...paths.map((path) => `:(literal)${path}`)]),
  ]);
  // check-ignore exits 1 when nothing is ignored; anything above is a real error.
  if (ignored.exitCode > 1) throw new Error(`git check-ignore failed: ${ignored.stderr.trim()}`);
  for (const path of splitNul(ignored.stdout)) states.get(path)!.ignored = true;
  for (const path of splitNul(tracked.stdout)) {
    const state = states.get(path);
    if (state) state.tracked = true;
  }
  return states;
}
