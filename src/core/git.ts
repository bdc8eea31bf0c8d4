// Runs git so that repository configuration cannot execute anything: a cloned repository can set
// core.fsmonitor (a command git runs on status-like calls) or hooks; we only ever read, so both are
// switched off on the command line, which overrides every config file.
//
// Decisions:
// - Inside a repository (a `.git` at or above the path on disk), git is the only authority on what it tracks and
//   ignores. When git cannot answer there (not installed, a repository owned by another user that git refuses as
//   "dubious ownership", any failed call), that is a GitStateError naming the cause and the fix, never a guess from
//   the .gitignore files: a guess misses a tracked .env and would let a fix write a key into it.
// - Outside every repository nothing is tracked and git applies no ignore rules, so a missing git there is only a
//   GitUnavailableError, which the callers may do without.
// - Paths are bytes: git's output is read as bytes (`-z`) and decoded with rawPaths (a name that is not valid UTF-8
//   survives), and never trimmed (a name may end in a space).
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, promises as fs, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { decodePathBytes, encodePath, hasEscapedBytes, toFsPath } from './rawPaths';

/** The `-c` overrides of every git call (the history scan's streamed processes use them too). */
export const SAFE_CONFIG: readonly string[] = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.untrackedCache=false'];

/** git itself could not be started (not installed, not on PATH). */
export class GitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitUnavailableError';
  }
}

/**
 * git cannot say what it tracks or ignores in a repository: the message names the cause and what to do. Whatever
 * depends on that answer (which files a scan reads, whether a .env is tracked) must stop rather than guess.
 */
export class GitStateError extends Error {
  constructor(
    message: string,
    /** The repository (or, when git cannot even find it, the folder) the failure concerns. */
    readonly repository: string,
  ) {
    super(message);
    this.name = 'GitStateError';
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
  /** Runs git handing its output over as it comes (`stdout` is then empty in the result). Optional: callers fall back
   * to run(). */
  stream?(cwd: string, args: readonly string[], onStdout: (chunk: Buffer) => void): Promise<GitResult>;
}

/** How long one git call may take before it is stopped and reported: long enough for `ls-files` of a very large
 * repository, short enough that a `.gitignore`, exclude file or config include that is a FIFO (git blocks opening it)
 * ends as an error instead of a scan that never finishes (red team F5). */
export const GIT_CALL_TIMEOUT_MS = 120_000;

/**
 * git's absolute path, found on PATH's absolute entries only. Started by bare name, git would be looked up by the
 * operating system: on Windows that looks in the child's working folder first (libuv's search_path), so a `git.exe` or
 * `git.com` committed to the repository being scanned would run (red team F21). Undefined when no git is on PATH.
 */
export function resolveGitExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const windows = process.platform === 'win32';
  const extensions = windows ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((extension) => /^\.(?:exe|com)$/i.test(extension)) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    // A relative entry ('', '.', 'bin') is resolved against the working folder: the repository. Never that.
    if (!isAbsolute(dir)) continue;
    for (const extension of extensions) {
      const candidate = join(dir, `git${extension}`);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!windows) accessSync(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // Not there, or not executable: the next entry.
      }
    }
  }
  return undefined;
}

/**
 * The variables by which a git process is told which repository, index, object store or work tree to use instead of
 * finding them from its working folder: git's own list of them (local_repo_env in git's environment.c), which git
 * clears itself before it runs a command in another repository (a submodule).
 */
const REPOSITORY_VARIABLES = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
];

/**
 * The environment of every git call, the history scan's streamed processes included. `inheritRepository`: keep the
 * variables that choose a repository (REPOSITORY_VARIABLES), as the checks a git hook runs need (inside a hook git
 * sets GIT_INDEX_FILE to the index the commit is made from, and GIT_DIR). Without it they are dropped: a scan of
 * folders asks each folder's own repository, and a GIT_DIR or GIT_WORK_TREE left in the environment (an editor started
 * from a hook, a shell that exported one) would otherwise make every git call answer for that one repository instead.
 */
export function gitEnvironment(options: { inheritRepository?: boolean } = {}): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  if (!options.inheritRepository) for (const name of REPOSITORY_VARIABLES) delete inherited[name];
  return {
    ...inherited,
    // Never take the index lock for a read (an editor must not block the user's git).
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    // Read the objects a commit records, not what a refs/replace/* ref substitutes (a replace ref could show the
    // check a clean blob while the commit holds the key: red team F14).
    GIT_NO_REPLACE_OBJECTS: '1',
    // A partial clone must not fetch from the network to answer a scan.
    GIT_NO_LAZY_FETCH: '1',
    // On Windows, nothing git starts is looked up in the repository.
    NoDefaultCurrentDirectoryInExePath: '1',
    LC_ALL: 'C',
  };
}

function stoppedMessage(args: readonly string[], cwd: string, timeoutMs: number): string {
  return `git ${args.filter((arg) => !arg.startsWith('-')).slice(0, 1).join('')} in ${cwd} did not answer within ${timeoutMs / 1000} s and was stopped: a .gitignore, an exclude file or a config include that is a named pipe (FIFO) makes git wait forever; replace it with a regular file`;
}

export interface GitRunnerOptions {
  /**
   * Start at most one git process per turn of the event loop. Starting a process forks the calling one, which in an
   * editor's extension host (hundreds of megabytes) holds its event loop for about 10 ms each: a scan starting four at
   * once held it for 40 ms and more (issue 15 measures its longest stall). The first start of a turn is not delayed
   * (a single query, such as a pasted key's file state, must not wait a turn in which other extensions' handlers run);
   * the others wait for turns of their own. The CLI has no use for it.
   */
  spreadSpawns?: boolean;
  /** Keep the variables that choose a repository (see gitEnvironment): the staged and history scans, which run in git's
   * hooks and answer for the repository git designates. */
  inheritRepository?: boolean;
}

export function createGitRunner(gitPath = 'git', observer?: GitSpawnObserver, timeoutMs = GIT_CALL_TIMEOUT_MS, options: GitRunnerOptions = {}): GitRunner {
  // Resolved once per runner: PATH does not change under a running scan.
  let executable: string | undefined;
  // Whether a process was started in this turn, and the starts waiting for a turn of their own: each is released by
  // an immediate queued in the turn before (an immediate queued by an immediate runs in the next turn, after timers
  // and I/O), so one start per turn, in the order asked.
  let startedThisTurn = false;
  const waiting: Array<() => void> = [];
  const nextTurn = () => {
    startedThisTurn = false;
    const start = waiting.shift();
    if (start === undefined) return;
    startedThisTurn = true;
    setImmediate(nextTurn);
    start();
  };
  const startTurn = (): Promise<void> => {
    if (startedThisTurn) return new Promise((resolve) => waiting.push(resolve));
    startedThisTurn = true;
    setImmediate(nextTurn);
    return Promise.resolve();
  };
  const whenStarting = options.spreadSpawns ? startTurn : () => Promise.resolve();
  return {
    async run(cwd, args, input) {
      await whenStarting();
      observer?.(args);
      return new Promise((resolve, reject) => {
        executable ??= gitPath === 'git' ? resolveGitExecutable() : gitPath;
        if (executable === undefined) {
          reject(new GitUnavailableError('git was not found on PATH'));
          return;
        }
        // The working folder of a process is a string in Node: a folder whose name is not UTF-8 cannot be one.
        if (hasEscapedBytes(cwd)) {
          reject(new GitStateError(`git cannot be run in ${cwd}: its name is not valid UTF-8`, cwd));
          return;
        }
        const child = execFile(
          executable,
          [...SAFE_CONFIG, ...args],
          {
            cwd,
            encoding: 'buffer',
            maxBuffer: 1024 * 1024 * 1024,
            timeout: timeoutMs,
            env: gitEnvironment({ inheritRepository: options.inheritRepository }),
            windowsHide: true,
          },
          (error, stdout, stderr) => {
            // A non-zero exit gives a numeric code; a failure to start (or to read) gives a string one.
            const code = (error as NodeJS.ErrnoException | null)?.code as unknown;
            if (error && (error as { killed?: boolean }).killed) {
              reject(new GitStateError(stoppedMessage(args, cwd, timeoutMs), cwd));
            } else if (code === 'ENOENT') {
              // libuv reports a missing working folder as ENOENT too, with git's name in the message: tell them apart.
              reject(folderIsMissing(cwd) ? new Error(`cannot run git in ${cwd}: no such folder`) : new GitUnavailableError(`git was not found (${executable})`));
            } else if (error && typeof code !== 'number') {
              reject(error);
            } else {
              resolve({ stdout, exitCode: typeof code === 'number' ? code : 0, stderr: stderr.toString('utf8') });
            }
          },
        );
        // git may exit (or be stopped at the deadline) before it reads all its input: the write then fails with EPIPE,
        // which must not crash the process; the exit code or the deadline already says what went wrong.
        child.stdin?.on('error', () => undefined);
        if (input !== undefined) child.stdin?.end(input);
      });
    },
    async stream(cwd, args, onStdout) {
      await whenStarting();
      observer?.(args);
      return new Promise((resolve, reject) => {
        executable ??= gitPath === 'git' ? resolveGitExecutable() : gitPath;
        if (executable === undefined) {
          reject(new GitUnavailableError('git was not found on PATH'));
          return;
        }
        if (hasEscapedBytes(cwd)) {
          reject(new GitStateError(`git cannot be run in ${cwd}: its name is not valid UTF-8`, cwd));
          return;
        }
        const child = spawn(executable, [...SAFE_CONFIG, ...args], {
          cwd,
          env: gitEnvironment({ inheritRepository: options.inheritRepository }),
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
        // The same deadline as run(): a FIFO among the ignore files would otherwise hold the scan forever.
        let stopped = false;
        const deadline = setTimeout(() => {
          stopped = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => onStdout(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(deadline);
          if (error.code === 'ENOENT') reject(folderIsMissing(cwd) ? new Error(`cannot run git in ${cwd}: no such folder`) : new GitUnavailableError(`git was not found (${executable})`));
          else reject(error);
        });
        // 'close', not 'exit': every byte of output has been handed over by then.
        child.on('close', (code) => {
          clearTimeout(deadline);
          if (stopped) reject(new GitStateError(stoppedMessage(args, cwd, timeoutMs), cwd));
          else resolve({ stdout: Buffer.alloc(0), exitCode: code ?? -1, stderr: Buffer.concat(stderr).toString('utf8') });
        });
      });
    },
  };
}

/** Splits a stream of NUL-terminated paths as it arrives: `push` each chunk, each complete path goes to `onPath`. */
export function nulSplitter(onPath: (path: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest = Buffer.alloc(0);
  return {
    push(chunk) {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let end = data.indexOf(0, start); end >= 0; end = data.indexOf(0, start)) {
        if (end > start) onPath(decodePathBytes(data.subarray(start, end)));
        start = end + 1;
      }
      rest = Buffer.from(data.subarray(start));
    },
    end() {
      if (rest.length > 0) onPath(decodePathBytes(rest));
      rest = Buffer.alloc(0);
    },
  };
}

function folderIsMissing(dir: string): boolean {
  try {
    return !statSync(dir).isDirectory();
  } catch {
    return true;
  }
}

/** The nearest folder at or above `start` holding `.git` (a folder or a worktree's file), looking at the disk only. */
export async function findRepositoryTopOnDisk(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      await fs.lstat(toFsPath(join(dir, '.git')));
      return dir;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

/** A shell word for a path: as is when it is plain, else single-quoted (POSIX sh). */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.split("'").join(`'\\''`)}'`;
}

/** git's words for a repository it refuses because another user owns it (setup.c, die_upon_dubious_ownership). */
const DUBIOUS_OWNERSHIP = "detected dubious ownership in repository at '";

/** Why a git call failed, and what to do: the message of a GitStateError. */
export function describeGitFailure(args: readonly string[], dir: string, result: GitResult): string {
  const at = result.stderr.indexOf(DUBIOUS_OWNERSHIP);
  if (at >= 0) {
    const start = at + DUBIOUS_OWNERSHIP.length;
    // git prints the path between quotes, up to the end of its line.
    const lineEnd = result.stderr.indexOf('\n', start);
    const quoted = result.stderr.slice(start, lineEnd < 0 ? undefined : lineEnd);
    const repository = quoted.endsWith("'") ? quoted.slice(0, -1) : quoted;
    return (
      `git refuses to read the repository at ${repository} because another user owns it ("dubious ownership"), so ` +
      `which files it tracks and ignores is unknown. If you trust this repository, run: ` +
      `git config --global --add safe.directory ${shellQuote(repository)}`
    );
  }
  const firstLine = result.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
  const detail = firstLine.replace(/^(?:fatal|error): /, '').trim();
  return (
    `git ${args[0]} failed in ${dir} (exit code ${result.exitCode}${detail ? `: ${detail}` : ''}), so which files git ` +
    `tracks and ignores there is unknown. Run git status there to see what git needs.`
  );
}

/** The GitStateError of a repository whose git is missing. */
export function gitMissingError(repository: string, error: GitUnavailableError): GitStateError {
  const message =
    `${error.message}, and ${repository} is a git repository: which files git tracks and ignores there cannot be known ` +
    `without it. Install git (or put it on PATH) and run again.`;
  return new GitStateError(message, repository);
}

/**
 * The top of the repository holding `dir`, or undefined when `dir` is in no repository. Throws GitStateError when
 * git runs but cannot answer and `dir` is inside a repository (or git says it found one), and GitUnavailableError
 * when git cannot be started at all: the caller decides, as outside every repository a walk needs no git while
 * inside one it is a GitStateError (gitMissingError).
 */
export async function findRepositoryRoot(git: GitRunner, dir: string): Promise<string | undefined> {
  const args = ['rev-parse', '--show-toplevel'];
  const result = await git.run(dir, args);
  // The path and one newline; the path itself may end in spaces, so nothing else is stripped.
  if (result.exitCode === 0) return decodePathBytes(withoutFinalNewline(result.stdout)) || undefined;
  const onDisk = await findRepositoryTopOnDisk(dir);
  // Only "not a repository" with no .git in sight means outside; a .git git will not read is a failure, not an answer.
  if (!onDisk && result.stderr.includes('not a git repository')) return undefined;
  throw new GitStateError(describeGitFailure(args, dir, result), onDisk ?? dir);
}

function withoutFinalNewline(output: Buffer): Buffer {
  return output.length > 0 && output[output.length - 1] === 0x0a ? output.subarray(0, output.length - 1) : output;
}

/** Runs a git command whose failure leaves the caller without an answer: any exit code but `okCodes` throws a
 * GitStateError (a missing git too). */
export async function runOrThrow(git: GitRunner, dir: string, args: readonly string[], input?: Buffer, okCodes: readonly number[] = [0]): Promise<GitResult> {
  let result: GitResult;
  try {
    result = await git.run(dir, args, input);
  } catch (error) {
    if (error instanceof GitUnavailableError) throw gitMissingError(dir, error);
    throw error;
  }
  if (!okCodes.includes(result.exitCode)) throw new GitStateError(describeGitFailure(args, dir, result), dir);
  return result;
}

/** Splits NUL-terminated git output (`-z`) into paths, bytes that are not UTF-8 kept (see rawPaths). */
export function splitNul(output: Buffer): string[] {
  // Nearly always every path is UTF-8: decoded in one go and split, the same strings (a NUL byte is only ever the NUL
  // character in UTF-8) for a fraction of the cost of 20,000 decodes (~30 ms of a scan's listing, issue 15).
  if (isUtf8(output)) return output.toString('utf8').split('\0').filter((path) => path !== '');
  const paths: string[] = [];
  let start = 0;
  for (let end = output.indexOf(0, start); end >= 0; end = output.indexOf(0, start)) {
    if (end > start) paths.push(decodePathBytes(output.subarray(start, end)));
    start = end + 1;
  }
  if (start < output.length) paths.push(decodePathBytes(output.subarray(start)));
  return paths;
}

/**
 * Files git would commit under `dir` (tracked, plus untracked that no ignore rule covers), relative to `dir`; the
 * tracked files that an ignore rule covers (ignoring does not untrack them); and the tracked files whose index entry
 * is flagged (assume-unchanged, skip-worktree, a merge conflict), for which git may read the index rather than the
 * work tree: `git grep --untracked` passes over the first and may misjudge the second, so both are always read
 * (issue 15; the differential test found the first). Submodules and untracked repositories inside it are `nested`
 * (relative folders), not candidates: their files are another repository's, which the caller lists with git there
 * (red team F20: they were skipped as folders, silently). `listed`: every path listed, candidates and nested.
 */
export async function listRepositoryFiles(
  git: GitRunner,
  dir: string,
): Promise<{ candidates: string[]; trackedIgnored: Set<string>; flagged: Set<string>; untracked: Set<string>; nested: string[]; listed: Set<string> }> {
  const [all, trackedIgnored] = await Promise.all([
    // -v: each entry after a tag and a space (`H ` tracked, `? ` untracked; any other letter a flagged entry); --stage:
    // a tracked entry as `<mode> <object> <stage>\t<path>`, whose mode tells a submodule (a gitlink, 160000), listed
    // by its path like a file. One call, not two: each process started costs the editor's extension host a fork of
    // itself (about 10 ms there, issue 15). --stage lists a conflicted path once per stage: kept once below.
    runOrThrow(git, dir, ['ls-files', '-z', '-v', '--stage', '--cached', '--others', '--exclude-standard']),
    runOrThrow(git, dir, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']),
  ]);
  const candidates: string[] = [];
  const listed = new Set<string>();
  const flagged = new Set<string>();
  const untracked = new Set<string>();
  const nested: string[] = [];
  for (const tagged of splitNul(all.stdout)) {
    const tag = tagged[0];
    const path = tag === '?' ? tagged.slice(2) : tagged.slice(tagged.indexOf('\t') + 1);
    if (listed.has(path)) continue;
    listed.add(path);
    // An untracked repository inside this one is listed as its folder, with a trailing slash; a submodule by its path.
    if (path.endsWith('/') || (tag !== '?' && tagged.startsWith('160000 ', 2))) {
      nested.push(path.endsWith('/') ? path.slice(0, -1) : path);
      continue;
    }
    candidates.push(path);
    if (tag === '?') untracked.add(path);
    else if (tag !== 'H') flagged.add(path);
  }
  return { candidates, trackedIgnored: new Set(splitNul(trackedIgnored.stdout)), flagged, untracked, nested: [...new Set(nested)], listed };
}

/**
 * The files under `dir` (tracked as in the work tree, and untracked files no ignore rule covers: the set
 * listRepositoryFiles lists) whose bytes hold any of `needles` or a NUL byte, relative to `dir`, each also handed to
 * `onPath` as soon as git names it; or undefined when git cannot give that answer, and the caller reads every file
 * instead (issue 15).
 *
 * How git is run, and why:
 * - One search, in git's own threads, with a Perl-compatible pattern per needle and one for a NUL byte (UTF-16 text
 *   and binary data, where needles are spread out by zero bytes), which only such a pattern can name. Measured on the
 *   bench corpus (20,000 files, LC_ALL=C as gitEnvironment sets, so PCRE2 runs without its UTF checks): 0.18 s wall
 *   and 0.28 s of CPU, against 0.29–0.35 s and 0.55 s for the `-F` search and a `-P '\x00'` search run at once,
 *   which read every file twice. git built without PCRE2 refuses `-P`: no answer then.
 * - `-a`: git must not skip a file it takes for binary (by its content or by a `binary` attribute): the engine decides.
 *   `--no-textconv`: the bytes on disk, never a textconv driver's output (a repository's .gitattributes could name
 *   one, and its command would run). A work-tree grep runs no clean or smudge filter; the tests check both.
 * - `--untracked` (untracked files git would not ignore) and `--no-recurse-submodules` (a `submodule.recurse` setting
 *   would otherwise recurse, which git refuses together with `--untracked`): one call per repository, as the listing.
 * - `-z -l`, `--no-color`, `grep.fullName=false`: NUL-terminated paths relative to `dir`, whatever the user's config.
 * - Anything on stderr means a file git could not read (or some other trouble): the answer is not trusted then, so
 *   that a file git skipped is read, and reported if unreadable, exactly as without git grep.
 */
export async function grepCandidates(git: GitRunner, dir: string, needles: readonly string[], onPath?: (path: string) => void): Promise<Set<string> | undefined> {
  const common = ['-c', 'grep.fullName=false', 'grep', '-z', '-l', '-a', '--untracked', '--no-textconv', '--no-recurse-submodules', '--no-color'];
  const found = new Set<string>();
  const name = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    onPath?.(path);
  };
  const patterns = [...needles.map(literalPattern), '\\x00'];
  const answered = await grepStream(git, dir, [...common, '-P', ...patterns.flatMap((pattern) => ['-e', pattern])], name);
  return answered ? found : undefined;
}

/** A Perl-compatible pattern matching exactly `text`: every character but a letter or a digit escaped (in PCRE a
 * backslash before any other ASCII character means that character). */
function literalPattern(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, (char) => `\\${char}`);
}

/** One git grep, its paths streamed to `onPath`; whether it answered (exit 0 or 1, nothing on stderr). */
async function grepStream(git: GitRunner, dir: string, args: string[], onPath: (path: string) => void): Promise<boolean> {
  const splitter = nulSplitter(onPath);
  let result: GitResult;
  try {
    // Streamed where the runner can: the caller reads each file while git searches the rest.
    if (git.stream) result = await git.stream(dir, args, (chunk) => splitter.push(chunk));
    else {
      result = await git.run(dir, args);
      splitter.push(result.stdout);
    }
  } catch {
    return false;
  }
  splitter.end();
  // 0: some file matched; 1: none did. Anything else (128: no PCRE, a bad repository) is no answer.
  return (result.exitCode === 0 || result.exitCode === 1) && result.stderr.trim() === '';
}

/**
 * A pathspec that matches exactly `path` (relative to the top). Arguments reach git as UTF-8, so a path holding bytes
 * that are not UTF-8 cannot be spelled literally: each such byte becomes `?` in a glob pathspec (git's wildmatch
 * matches bytes), and the caller keeps only the exact matches from git's output.
 */
export function exactPathspec(path: string): string {
  if (!hasEscapedBytes(path)) return `:(top,literal)${path}`;
  let glob = '';
  for (const char of path) {
    const code = char.charCodeAt(0);
    glob += char.length === 1 && code >= 0xdc80 && code <= 0xdcff ? '?' : '*?[\\'.includes(char) ? `\\${char}` : char;
  }
  return `:(top,glob)${glob}`;
}

/** Ignore and tracking state of specific paths (relative to `dir`, the top of a repository). Throws GitStateError
 * when git cannot tell. */
export async function queryPathStates(
  git: GitRunner,
  dir: string,
  paths: readonly string[],
): Promise<Map<string, { ignored: boolean; tracked: boolean }>> {
  const states = new Map(paths.map((path) => [path, { ignored: false, tracked: false }]));
  if (paths.length === 0) return states;
  const input = Buffer.concat(paths.flatMap((path) => [encodePath(path), Buffer.from([0])]));
  // --no-index: report what the rules say even for tracked files (we report "tracked but ignored" separately).
  // check-ignore exits 1 when nothing is ignored; anything above is a real error.
  const [ignored, tracked] = await Promise.all([
    runOrThrow(git, dir, ['check-ignore', '-z', '--stdin', '--no-index'], input, [0, 1]),
    runOrThrow(git, dir, ['ls-files', '-z', '--cached', '--', ...paths.map(exactPathspec)]),
  ]);
  for (const path of splitNul(ignored.stdout)) {
    const state = states.get(path);
    if (state) state.ignored = true;
  }
  for (const path of splitNul(tracked.stdout)) {
    const state = states.get(path);
    if (state) state.tracked = true;
  }
  return states;
}
