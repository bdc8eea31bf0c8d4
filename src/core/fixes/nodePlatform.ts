// The fix engine's platform (platform.ts) in the Node build: native paths, safeFiles.ts' writes (lstat before every
// read, O_NOFOLLOW, temporary file + fsync + rename, compare right before the swap, lock files beside the target)
// and git's own answers (gitState.ts: git or nothing inside a repository; the .gitignore files in an untrusted one).
import { existsSync, promises as fs } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { gitStateOf, type FixGitContext } from './gitState';
import { sameBytes, type FixFiles, type FixPlatform, type PathOps } from './platform';
import { folderStaysInside, readRegularFile, withFileLocks, writeFileAtomic } from './safeFiles';

export const nodePaths: PathOps = {
  join,
  dirname,
  basename,
  inside(root, path) {
    const inside = relative(root, path);
    if (inside === '') return '';
    return !isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep) ? inside.split(sep).join('/') : undefined;
  },
};

/** A Buffer over the same memory (safeFiles compares and writes Buffers). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Files on disk, as safeFiles.ts reads and writes them. */
export const nodeFixFiles: FixFiles = {
  readRegularFile,
  writeFileAtomic: (path, bytes, options) =>
    writeFileAtomic(path, asBuffer(bytes), { expected: options.expected === undefined ? undefined : asBuffer(options.expected), newFileMode: options.newFileMode }),
  async removeIfHolds(path, bytes) {
    const now = await readRegularFile(path);
    if (now && sameBytes(now, bytes)) await fs.unlink(path);
  },
  withFileLocks: (paths, action) => withFileLocks(paths, action),
  folderStaysInside,
  async ensureFolder(path) {
    if (!existsSync(path)) await fs.mkdir(path, { recursive: true });
  },
  exists: async (path) => existsSync(path),
};

export function nodeFixPlatform(context: FixGitContext): FixPlatform {
  return { paths: nodePaths, files: nodeFixFiles, gitState: (path) => gitStateOf(path, context) };
}
