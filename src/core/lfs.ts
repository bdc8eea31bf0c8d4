// Git LFS: what a commit records for a file tracked with `filter=lfs` is a small pointer, and the contents go to the
// local LFS store at `git add`, then to the LFS server at `git push`. A scan of staged or committed blobs reads the
// pointer, so a key in an LFS-tracked JSON config, notebook or CSV export would pass both hooks (red team F27).
//
// Decisions:
// - git-lfs itself is never run (it is a configured filter program, which the scans never run): the pointer is parsed
//   here (git-lfs docs/spec.md: "version https://git-lfs.github.com/spec/v1", "oid sha256:<64 hex>", "size <n>", in
//   that order, a few lines under 1 KB) and the object read from the local store, where git-lfs keeps it:
//   `<lfs.storage, or the common git dir's lfs>/objects/<oid[0:2]>/<oid[2:4]>/<oid>`.
// - The object must hash to its oid before it is scanned (anything else at that name is not the committed contents).
// - An object this machine does not have (a pointer fetched without its object, a store on another disk) is a file
//   the scan could not read: reported as not scanned, which fails the check, never passed as clean.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readRegularFile, UnsafePathError } from './fixes/safeFiles';
import type { GitRunner } from './git';

const POINTER_HEADER = 'version https://git-lfs.github.com/spec/v1\n';
/** git-lfs writes pointers well under this; anything longer is contents, not a pointer. */
const MAX_POINTER_SIZE = 1024;
const POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*?oid sha256:([0-9a-f]{64})\n(?:[a-z0-9.-]+ [^\n]*\n)*?size (\d{1,15})\n/;

export interface LfsPointer {
  oid: string;
  size: number;
}

/** The pointer a blob is, or undefined for ordinary contents. Cheap for every blob: a length and a prefix test first. */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length > MAX_POINTER_SIZE || bytes.length < POINTER_HEADER.length) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith(POINTER_HEADER)) return undefined;
  const match = POINTER.exec(text);
  return match ? { oid: match[1], size: Number(match[2]) } : undefined;
}

/** Where git-lfs keeps this repository's objects: `lfs.storage` (relative to the common git dir), else `<common dir>/lfs`. */
export async function lfsObjectsDir(git: GitRunner, root: string): Promise<string | undefined> {
  const common = await git.run(root, ['rev-parse', '--git-common-dir']);
  if (common.exitCode !== 0) return undefined;
  const commonDir = resolve(root, common.stdout.toString('utf8').replace(/\r?\n$/, ''));
  const storage = await git.run(root, ['config', '--get', 'lfs.storage']);
  const configured = storage.exitCode === 0 ? storage.stdout.toString('utf8').replace(/\r?\n$/, '') : '';
  const base = configured === '' ? join(commonDir, 'lfs') : isAbsolute(configured) ? configured : resolve(commonDir, configured);
  return join(base, 'objects');
}

export type LfsContents = { bytes: Buffer } | { missing: string } | { tooLarge: true };

/** The contents a pointer stands for, from the local store, checked against its oid. */
export async function readLfsObject(objectsDir: string | undefined, pointer: LfsPointer, maxSize: number): Promise<LfsContents> {
  if (pointer.size > maxSize) return { tooLarge: true };
  if (!objectsDir) return { missing: UNKNOWN_STORE };
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(objectPath(objectsDir, pointer));
  } catch (error) {
    return error instanceof UnsafePathError ? { missing: NOT_REGULAR } : { missing: `a Git LFS pointer whose object cannot be read: ${(error as Error).message}` };
  }
  return verified(pointer, bytes);
}

/**
 * The same, synchronously, for the history scan, which settles each blob inside cat-file's data callback. The object
 * is opened without following a symbolic link and must be a regular file (a FIFO would block the scan).
 */
export function readLfsObjectSync(objectsDir: string | undefined, pointer: LfsPointer, maxSize: number): LfsContents {
  if (pointer.size > maxSize) return { tooLarge: true };
  if (!objectsDir) return { missing: UNKNOWN_STORE };
  let descriptor: number | undefined;
  let bytes: Buffer | undefined;
  try {
    descriptor = openSync(objectPath(objectsDir, pointer), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(descriptor).isFile()) return { missing: NOT_REGULAR };
    bytes = readFileSync(descriptor);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { missing: NOT_REGULAR };
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { missing: `a Git LFS pointer whose object cannot be read: ${(error as Error).message}` };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  return verified(pointer, bytes);
}

const NOT_REGULAR = 'a Git LFS pointer whose object is not a regular file (a symbolic link or a special file is not read)';
const UNKNOWN_STORE = 'a Git LFS pointer, and where this repository keeps LFS objects is unknown';

function objectPath(objectsDir: string, pointer: LfsPointer): string {
  return join(objectsDir, pointer.oid.slice(0, 2), pointer.oid.slice(2, 4), pointer.oid);
}

function verified(pointer: LfsPointer, bytes: Buffer | undefined): LfsContents {
  if (!bytes) return { missing: `a Git LFS pointer whose object is not on this machine (${pointer.oid.slice(0, 12)}…); fetch it with git lfs fetch, or scan the file itself` };
  if (createHash('sha256').update(bytes).digest('hex') !== pointer.oid) return { missing: `a Git LFS pointer whose local object does not match its oid (${pointer.oid.slice(0, 12)}…)` };
  return { bytes };
}
