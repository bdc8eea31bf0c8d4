// How a fix reads and writes the files it touches (.env, .gitignore, sources): like a database, not like an editor.
//
// Decisions (git's index.lock and npm's write-file-atomic are the models):
// - Never through a symbolic link, never into anything but a regular file: a `.env` that is a link could point at
//   another repository's tracked file or out of the tree, a folder or FIFO named `.env` cannot hold a key. Every
//   path is checked with lstat before it is read, and read with O_NOFOLLOW | O_NONBLOCK (a FIFO swapped in between
//   the check and the open cannot block us); the opened file must be the one lstat saw.
// - Atomic: the new content goes to a temporary file beside the target (O_EXCL, O_NOFOLLOW, the target's mode, or
//   0600 for a new file), is fsynced, then renamed over the target; the folder is fsynced after. An interrupt or
//   a full disk leaves the old file whole and at worst a stray temporary file, never a half-written one.
// - Compare and swap: the caller says what it expects the file to hold (the bytes it planned on, or "absent"), and
//   the write is refused when the file holds anything else: an edit saved while a fix was planned is never lost.
// - A lock file beside the target (`<name>.anthropic-key-hygiene.lock`, created with O_EXCL) serialises our own
//   writers: two `fix` runs, or Fix All and a quick fix, cannot both decide that `ANTHROPIC_API_KEY` is free. A
//   lock left by a process that is gone is taken over.
import { constants, promises as fs, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ChangedOnDiskError, FileBusyError, UnsafePathError } from './fileErrors';

// The errors are shared with the web build's file operations (fileErrors.ts); importers of this module keep them.
export { ChangedOnDiskError, FileBusyError, UnsafePathError };

function describeNonRegular(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'is a symbolic link; fixes never write through a link (replace it with a regular file)';
  if (stat.isDirectory()) return 'is a folder, not a file';
  if (stat.isFIFO()) return 'is a named pipe (FIFO), not a file';
  if (stat.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/** lstat, with "absent" as undefined. */
async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw withPath(error, path);
  }
}

/** Node's fs errors name the syscall but not always the path; a user needs the path. */
function withPath(error: unknown, path: string): Error {
  const err = error as NodeJS.ErrnoException;
  if (err instanceof UnsafePathError || err instanceof ChangedOnDiskError || err instanceof FileBusyError) return err;
  if (typeof err?.message === 'string' && err.message.includes(path)) return err;
  const wrapped = new Error(`${path}: ${err?.code ? `${err.code}: ` : ''}${err?.message ?? String(error)}`);
  (wrapped as NodeJS.ErrnoException).code = err?.code;
  return wrapped;
}

/**
 * The bytes of a regular file, or undefined when nothing is at `path`. Throws UnsafePathError for a link, a folder,
 * a FIFO or a device, and for a file swapped between the check and the open.
 */
export async function readRegularFile(path: string): Promise<Buffer | undefined> {
  const before = await lstatOrUndefined(path);
  if (!before) return undefined;
  if (!before.isFile()) throw new UnsafePathError(path, describeNonRegular(before));
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new UnsafePathError(path, 'was replaced while it was being read');
    }
    return await handle.readFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePathError(path, describeNonRegular(await fs.lstat(path)));
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw withPath(error, path);
  } finally {
    await handle?.close();
  }
}

/** The same as readRegularFile, as UTF-8 text (a byte order mark is kept: callers preserve every byte). */
export async function readRegularText(path: string): Promise<string | undefined> {
  return (await readRegularFile(path))?.toString('utf8');
}

export interface AtomicWriteOptions {
  /** What the file must hold right before the write: its bytes, or undefined for "must not exist". */
  expected: Buffer | undefined;
  /** Mode of a new file; an existing file keeps its own. Default 0o600 (owner only: it may hold keys). */
  newFileMode?: number;
}

/**
 * Replaces `path` with `content` atomically (temporary file + rename), if and only if it still holds
 * `options.expected`. Throws ChangedOnDiskError when it does not, UnsafePathError when it is not a regular file.
 */
export async function writeFileAtomic(path: string, content: Buffer | string, options: AtomicWriteOptions): Promise<void> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const current = await lstatOrUndefined(path);
  if (current && !current.isFile()) throw new UnsafePathError(path, describeNonRegular(current));
  const mode = current ? current.mode & 0o7777 : (options.newFileMode ?? 0o600);
  const temporary = join(dirname(path), `.${basename(path)}.anthropic-key-hygiene-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    await handle.writeFile(bytes);
    // The umask may have taken bits off `mode`; an existing file's mode is kept exactly.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Compare right before the swap: what is on disk now must be what the fix planned on.
    const now = await readRegularFile(path);
    if (!sameBytes(now, options.expected)) throw new ChangedOnDiskError(path);
    await fs.rename(temporary, path);
    renamed = true;
    await syncFolder(dirname(path));
  } catch (error) {
    throw withPath(error, path);
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await fs.unlink(temporary).catch(() => undefined);
  }
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.equals(b);
}

/** fsync of a folder makes a rename in it durable; some file systems refuse it, which costs only durability. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // EISDIR/EINVAL on some platforms and file systems: the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The lock file that serialises our writers of `path`. */
export function lockPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}.anthropic-key-hygiene.lock`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `action` holding the lock of every path in `paths` (taken in sorted order, so two fixes that need the same
 * files cannot deadlock). Throws FileBusyError when another live process holds one.
 */
export async function withFileLocks<T>(paths: readonly string[], action: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const held: string[] = [];
  try {
    for (const path of [...new Set(paths)].sort()) {
      const lock = lockPathFor(path);
      await takeLock(lock, path, waitMs);
      held.push(lock);
    }
    return await action();
  } finally {
    for (const lock of held.reverse()) await fs.unlink(lock).catch(() => undefined);
  }
}

/** How long a writer waits for another to finish before it gives up (a fix holds the lock for milliseconds). */
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 50;

async function takeLock(lock: string, path: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let tookOverStale = false;
  for (;;) {
    try {
      const handle = await fs.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } catch (error) {
        // A full disk can refuse the pid after the lock file was created: do not leave a lock nobody holds.
        await handle.close().catch(() => undefined);
        await fs.unlink(lock).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw withPath(error, lock);
      const holder = Number.parseInt((await fs.readFile(lock, 'utf8').catch(() => '')).trim(), 10);
      // A lock whose process is gone (killed mid-fix) is stale: take it over, once.
      if (!tookOverStale && Number.isInteger(holder) && holder > 0 && holder !== process.pid && !processIsAlive(holder)) {
        tookOverStale = true;
        await fs.unlink(lock).catch(() => undefined);
        continue;
      }
      // Our own process holds it (a quick fix while Fix All runs) or another live one: wait for it, a while.
      if (Date.now() >= deadline) throw new FileBusyError(path, Number.isInteger(holder) ? `process ${holder}` : `lock file ${lock}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, LOCK_POLL_MS));
    }
  }
}

/**
 * Whether `path`'s folder lies inside `root` once symbolic links are resolved: a `.env` in a folder that is a
 * link out of the tree would put the key somewhere the user never looked. Both must exist (the folder may not,
 * for a new env file in a new folder: then its nearest existing ancestor is checked).
 */
export async function folderStaysInside(path: string, root: string): Promise<boolean> {
  const realRoot = await fs.realpath(root);
  let dir = dirname(path);
  for (;;) {
    try {
      const inside = relative(realRoot, await fs.realpath(dir));
      return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) return false;
      dir = dirname(dir);
    }
  }
}
