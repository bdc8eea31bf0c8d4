// A git process whose output is read as a stream: the history scan reads hundreds of megabytes from `git log` and
// `git cat-file`, which `createGitRunner` (src/core/git.ts) would buffer whole. It starts git the way that runner
// does, so repository configuration cannot execute anything: core.fsmonitor and hooks switched off on the command
// line (which overrides every config file), no untracked cache, no optional locks, no terminal prompt, the C locale,
// no lazy fetch in a partial clone (git 2.44 and later; older ones are refused by historyScan.ts) and no replace refs
// (`refs/replace/*` could show the scan another object than the one a commit records). The settings are git.ts's own
// (SAFE_CONFIG, gitEnvironment): one list for both runners.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitUnavailableError, SAFE_CONFIG, gitEnvironment, type GitSpawnObserver } from '../git';

/** The overrides every git call gets (git.ts), under the name the history scan's tests use. */
export const SAFE_GIT_CONFIG = SAFE_CONFIG;

export interface GitStream {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has ended and its output is drained: its exit code (or signal) and stderr. */
  readonly done: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

/** The longest stderr kept: git's errors are a few lines, and a flood of warnings must not grow memory. */
const STDERR_LIMIT = 64 * 1024;

/**
 * Starts `git <args>` in `cwd` with the safe configuration. `onStdout` receives every chunk of output; the caller
 * pauses `child.stdout` for back-pressure. A git that cannot be started rejects `done` with GitUnavailableError.
 */
export function startGit(gitPath: string, cwd: string, args: readonly string[], onStdout: (chunk: Buffer) => void, observer?: GitSpawnObserver): GitStream {
  observer?.(args);
  const child = spawn(gitPath, [...SAFE_GIT_CONFIG, ...args], { cwd, env: gitEnvironment({ inheritRepository: true }), windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
  });
  child.stdout.on('data', onStdout);
  // A reader that stops early (cancelled, or a stage that failed) closes stdin: git then gets EPIPE, not a crash here.
  child.stdin.on('error', () => undefined);
  const done = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new GitUnavailableError(`git was not found (${gitPath})`) : error);
    });
    // 'close', not 'exit': stdout has been read to its end by then.
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stderr }));
  });
  return {
    child,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** git's first error line (`fatal: …`), without the prefix: what a message quotes. */
export function gitErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const fatal = lines.find((line) => line.startsWith('fatal: ')) ?? lines.find((line) => line.startsWith('error: ')) ?? lines[0] ?? '';
  return fatal.replace(/^(?:fatal|error): /, '').trim();
}
