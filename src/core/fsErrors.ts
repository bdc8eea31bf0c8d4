// File-system errors in words, without the path: Node's own message repeats the absolute path it failed on
// ("EACCES: permission denied, open '/abs/path'"), which the report already names (relative, with any control
// characters escaped), and names the system call rather than what went wrong for the user.
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs';
import { toFsPath } from './rawPaths';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a folder in its path is a file',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'path too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EAGAIN: 'it would block',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EOVERFLOW: 'too large to read',
  ESTALE: 'stale file handle (a network file system)',
  ERR_FS_FILE_TOO_LARGE: 'too large to read',
  ERR_STRING_TOO_LONG: 'too large to decode',
};

/** What went wrong, in words (`permission denied`), for an error from the fs API; the code for an unknown one. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return REASONS[code];
  if (code) return `error ${code}`;
  return error instanceof Error ? error.message : String(error);
}

/** Thrown by readRegularFileSync for a path that is not a regular file (a folder, a FIFO, a device). */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor() {
    super('not a regular file');
  }
}

/**
 * A small file's text, read without ever blocking or reading a special file: opened non-blocking (a FIFO's open would
 * otherwise wait for a writer), then checked to be a regular file before any read (reading a FIFO would wait, and
 * take data meant for someone else). `followSymlinks: false` refuses a symbolic link (ELOOP).
 */
export function readRegularFileSync(path: string, followSymlinks: boolean): string {
  const fd = openSync(toFsPath(path), fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | (followSymlinks ? 0 : fsConstants.O_NOFOLLOW));
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFileError();
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
