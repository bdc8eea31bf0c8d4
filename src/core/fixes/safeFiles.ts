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
// - A lock file beside the target (`.anthropic-key-hygiene-<hash of the name>.lock`, created with O_EXCL; not a
//   `.env*` name, so no scan mistakes it for an env file) serialises our own writers: two `fix` runs, or Fix All and
//   a quick fix, cannot both decide that `ANTHROPIC_API_KEY` is free. A lock left by a process that is gone, or older
//   than any fix takes, is taken over; anything at the lock's name that is not a lock we write (a link, a folder, a
//   file that does not hold a pid, perhaps committed by a repository) is refused with its path, never read through.
// - The temporary file is named `<name>.anthropic-key-hygiene-<pid>-<hex>.tmp`: for `.env` that is a `.env.*` name,
//   which the scan flags and the pre-commit hook refuses to commit, should a crash leave one behind (it holds the
//   whole new env file). Each write first removes the leftovers of processes that are gone.
// - Ownership is kept: run as root (sudo, a container on a bind mount), the new file gets the old one's owner and
//   group (a new one, its folder's), so the user can still read their own .env; run as another user, a file that
//   belongs to someone else is refused rather than taken over.
// - Paths may hold bytes that are not UTF-8 (rawPaths.ts): every call to the file system gets their exact bytes.
import { constants, promises as fs, type Stats } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { toFsPath } from '../rawPaths';
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
    return await fs.lstat(toFsPath(path));
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
  const message = err?.message ?? String(error);
  // Node's messages often start with the code already ("ENOSPC: no space left on device, write").
  const code = err?.code && !message.startsWith(err.code) ? `${err.code}: ` : '';
  const wrapped = new Error(`${path}: ${code}${message}`);
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
    handle = await fs.open(toFsPath(path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new UnsafePathError(path, 'was replaced while it was being read');
    }
    return await handle.readFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePathError(path, describeNonRegular(await fs.lstat(toFsPath(path))));
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
  const owner = await ownerFor(path, current);
  const mode = current ? current.mode & 0o7777 : (options.newFileMode ?? 0o600);
  await removeStaleTemporaries(path);
  const temporary = join(dirname(path), `${basename(path)}${TEMPORARY_INFIX}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fs.open(toFsPath(temporary), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    await handle.writeFile(bytes);
    // The umask may have taken bits off `mode`; an existing file's mode is kept exactly.
    await handle.chmod(mode);
    if (owner) await handle.chown(owner.uid, owner.gid);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Compare right before the swap: what is on disk now must be what the fix planned on.
    const now = await readRegularFile(path);
    if (!sameBytes(now, options.expected)) throw new ChangedOnDiskError(path);
    await fs.rename(toFsPath(temporary), toFsPath(path));
    renamed = true;
    await syncFolder(dirname(path));
  } catch (error) {
    throw withPath(error, path);
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await fs.unlink(toFsPath(temporary)).catch(() => undefined);
  }
}

const TEMPORARY_INFIX = '.anthropic-key-hygiene-';

/**
 * Whose the new file must be. Run as root: the old file's owner, or for a new file its folder's (undefined when that
 * is root anyway). Run as anyone else, the new file is ours, which is right only when the old one was ours too: a file
 * that belongs to another user (a shared, group-writable folder) is refused rather than taken over.
 */
async function ownerFor(path: string, current: Stats | undefined): Promise<{ uid: number; gid: number } | undefined> {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined; // Windows: no owners to keep here
  if (uid === 0) {
    const from = current ?? (await fs.stat(toFsPath(dirname(path))).catch(() => undefined));
    return from && (from.uid !== 0 || from.gid !== 0) ? { uid: from.uid, gid: from.gid } : undefined;
  }
  if (current && current.uid !== uid) throw new UnsafePathError(path, 'belongs to another user; replacing it would make it yours (run the fix as its owner)');
  return undefined;
}

/** Removes temporary files a killed fix left beside `path` (their process is gone): they may hold the keys. */
async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `${basename(path)}${TEMPORARY_INFIX}`;
  let names: string[];
  try {
    names = await fs.readdir(toFsPath(dirname(path)));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)-[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processIsAlive(pid)) continue;
    const leftover = join(dirname(path), name);
    const stat = await lstatOrUndefined(leftover);
    if (stat?.isFile()) await fs.unlink(toFsPath(leftover)).catch(() => undefined);
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

/** The lock file that serialises our writers of `path`: beside it, named by a hash of its name (so it is no `.env*`
 * name a scan would flag, and any name, however odd, gives a plain one). */
export function lockPathFor(path: string): string {
  const hash = createHash('sha256').update(basename(path)).digest('hex').slice(0, 12);
  return join(dirname(path), `.anthropic-key-hygiene-${hash}.lock`);
}

/** A lock older than this is stale whatever process it names: a fix holds one for milliseconds. */
const STALE_LOCK_MS = 10 * 60 * 1000;

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
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
  let tookOver = false;
  for (;;) {
    try {
      const handle = await fs.open(toFsPath(lock), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } catch (error) {
        // A full disk can refuse the pid after the lock file was created: do not leave a lock nobody holds.
        await handle.close().catch(() => undefined);
        await fs.unlink(toFsPath(lock)).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw withPath(error, lock);
      const holder = await lockHolder(lock);
      // Gone meanwhile (its holder finished): try again at once. Not a stale lock to remove: by now the path may be a
      // third writer's new lock.
      if (holder.pid === 0) continue;
      // A lock whose process is gone (a killed fix), or too old for any fix, is stale: take it over, once.
      if (!tookOver && (!processIsAlive(holder.pid) || holder.ageMs > STALE_LOCK_MS)) {
        tookOver = true;
        await fs.unlink(toFsPath(lock)).catch(() => undefined);
        continue;
      }
      // Our own process holds it (a quick fix while Fix All runs) or another live one: wait for it, a while.
      if (Date.now() >= deadline) throw new FileBusyError(path, `process ${holder.pid}, lock file ${lock}; if no fix is running, delete that file`);
      await new Promise((resolveWait) => setTimeout(resolveWait, LOCK_POLL_MS));
    }
  }
}

/**
 * The process a lock names and its age. Read like any file a repository could have put there: never through a link,
 * never blocking, a few bytes at most; anything but a regular file holding a pid is not a lock of ours, and is
 * refused with its path (a repository cannot switch the fix off, nor hang it, by committing one).
 */
async function lockHolder(lock: string): Promise<{ pid: number; ageMs: number }> {
  const stat = await lstatOrUndefined(lock);
  // Gone meanwhile: the holder finished; the next attempt takes it.
  if (!stat) return { pid: 0, ageMs: 0 };
  if (!stat.isFile() || stat.size > 32) {
    const what = stat.isFile() ? 'holds more than a process id' : describeNonRegular(stat).split(';')[0];
    throw new UnsafePathError(lock, `is in the way of the fix's lock and is not one (it ${what}); delete it if no fix is running`);
  }
  const text = (await readRegularFile(lock))?.toString('latin1') ?? '';
  const ageMs = Date.now() - stat.mtimeMs;
  // The holder creates the lock, then writes its pid: a lock seen empty and fresh is being taken right now. It counts
  // as held by a live process (this one's pid), so the caller waits for it instead of refusing.
  if (text === '' && ageMs < FRESH_LOCK_MS) return { pid: process.pid, ageMs };
  const pid = /^(\d{1,10})\n$/.exec(text)?.[1];
  if (!pid) throw new UnsafePathError(lock, "is in the way of the fix's lock and does not hold a process id; delete it if no fix is running");
  return { pid: Number(pid), ageMs };
}

/** How long an empty lock file is taken for one whose holder is still writing its pid. */
const FRESH_LOCK_MS = 2_000;

/**
 * Whether `path`'s folder lies inside `root` once symbolic links are resolved: a `.env` in a folder that is a
 * link out of the tree would put the key somewhere the user never looked. The folder may not exist yet (a new env
 * file in a new folder): then its nearest existing ancestor is checked.
 */
export async function folderStaysInside(path: string, root: string): Promise<boolean> {
  const realRoot = await fs.realpath(toFsPath(root), 'utf8');
  let dir = dirname(path);
  for (;;) {
    try {
      const inside = relative(realRoot, await fs.realpath(toFsPath(dir), 'utf8'));
      return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) return false;
      dir = dirname(dir);
    }
  }
}
