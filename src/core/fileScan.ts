// Scans one file's bytes: the unit of work shared by the CLI, the worker threads and the editor's
// workspace scan. Works on raw bytes so the common case (UTF-8, no key) never decodes anything.
//
// Decisions:
// - No file is skipped as binary. A key is ASCII, so the byte scan finds it in any ASCII-compatible encoding and in
//   the ASCII runs of binary data alike (one NUL byte in a comment once hid a whole file); a file with NUL bytes is
//   also searched for the UTF-16 form (see utf16.ts). Positions are those of the text the editor would show: lines
//   and columns of the decoded text for UTF-16 text, of the bytes read as UTF-8 otherwise.
// - Only regular files are read: a FIFO or device is opened non-blocking and recognised by fstat before any read
//   (opening a FIFO blocks until a writer comes, and reading one takes data meant for someone else). A symbolic link
//   is scanned as git stores it, as the path it points to, never followed.
// - At most MAX_FINDINGS_PER_FILE findings per file are listed; the rest are counted (`omitted`). A file of nothing
//   but keys once needed gigabytes for its findings and then could not be printed.
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readSync, readlinkSync, type Stats } from 'node:fs';
import type { FileFinding } from './findings';
import { describeFsError } from './fsErrors';
import { findBufferFindings, findTextFindings } from './textFindings';
import { positionsForByteOffsets, positionsForOffsets } from './positions';
import type { EnvFileRule } from './envFiles';
import { MAX_FINDINGS_PER_FILE, envFinding, findingOptions, firstLineLength, locateAll, tooLargeReason } from './locatedFindings';
import { toFsPath } from './rawPaths';
import { decodeUtf16, detectUtf16, findUtf16KeysInBinary, utf16Positions } from './utf16';

export interface FileScanOptions {
  includeLowConfidence: boolean;
  /** Files larger than this many bytes are skipped and reported as skipped. */
  maxFileSize: number;
}

/** A file-level rule decided by the caller from git state (the scan itself only sees bytes). */
export type { EnvFileRule } from './envFiles';

export interface FileScanResult {
  findings: FileFinding[];
  bytes: number;
  /** Why the file was not scanned (too large, unreadable, not a regular file); undefined when it was. */
  skipped?: string;
  /** Set when not scanning it is a failure (its contents could hold a key and were not read), not a decision. */
  failed?: boolean;
  /** Findings beyond MAX_FINDINGS_PER_FILE, counted but not listed. */
  omitted?: number;
}

export { MAX_FINDINGS_PER_FILE, tooLargeReason };
/** The skip reason of a submodule that is not checked out: an empty folder, nothing of it on disk to read. */
export const SUBMODULE_NOT_CHECKED_OUT_REASON = 'a submodule that is not checked out (nothing on disk to read)';
/** Findings listed per scan at most (about 40 MB of them); beyond it they are only counted, per file. A tree of many
 * files full of keys would otherwise grow without bound, a thousand at a time. */
export const MAX_FINDINGS_PER_SCAN = 100_000;

/** Adds a file's findings to a scan's, keeping the scan within MAX_FINDINGS_PER_SCAN; returns how many were not
 * listed (the file's own omitted ones included). */
export function addFindings(into: FileFinding[], fileResult: Pick<FileScanResult, 'findings' | 'omitted'>): number {
  const room = Math.max(0, MAX_FINDINGS_PER_SCAN - into.length);
  const listed = Math.min(room, fileResult.findings.length);
  for (let i = 0; i < listed; i++) into.push(fileResult.findings[i]);
  return (fileResult.omitted ?? 0) + fileResult.findings.length - listed;
}
/** UTF-16 text up to this size is decoded whole (and so also checked for client exposure); larger is read in windows. */
const UTF16_WHOLE_DECODE_LIMIT = 256 << 20;


/** Findings for one file's contents. `envRule` adds the file-level finding on its first line. */
export function scanContents(file: string, bytes: Buffer, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  const overflow = { count: 0 };
  const textOptions = findingOptions(file, options, overflow, envRule);
  const findings: FileFinding[] = [];
  // Keys in an ASCII-compatible form, in any file (UTF-8 text, and the ASCII runs of anything else).
  const byteFindings = findBufferFindings(bytes, textOptions);
  locateAll(file, byteFindings, findings, (offsets) => positionsForByteOffsets(bytes, offsets));
  const utf16 = detectUtf16(bytes);
  let firstLine: string;
  if (utf16 && bytes.length <= UTF16_WHOLE_DECODE_LIMIT) {
    const text = decodeUtf16(bytes, utf16.order, utf16.textStart);
    firstLine = text.slice(0, 4096);
    locateAll(file, findTextFindings(text, textOptions), findings, (offsets) => positionsForOffsets(text, offsets));
  } else if (utf16) {
    firstLine = decodeUtf16(bytes, utf16.order, utf16.textStart, Math.min(bytes.length, utf16.textStart + 8192));
    const keys = findUtf16KeysInBinary(bytes, textOptions);
    locateAll(file, keys, findings, (offsets) => utf16Positions(bytes, utf16.order, utf16.textStart, offsets));
  } else {
    firstLine = envRule ? bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '') : '';
    // NUL bytes mean binary data (UTF-8 text never holds one), which may embed UTF-16 strings.
    if (bytes.indexOf(0) >= 0) locateAll(file, findUtf16KeysInBinary(bytes, textOptions), findings, (offsets) => positionsForByteOffsets(bytes, offsets));
  }
  if (findings.length > 1) findings.sort((a, b) => a.line - b.line || a.column - b.column);
  if (envRule) findings.unshift(envFinding(file, envRule, firstLineLength(firstLine)));
  const omitted = overflow.count + Math.max(0, findings.length - MAX_FINDINGS_PER_FILE);
  if (findings.length > MAX_FINDINGS_PER_FILE) findings.length = MAX_FINDINGS_PER_FILE;
  return omitted > 0 ? { findings, bytes: bytes.length, omitted } : { findings, bytes: bytes.length };
}

/** Reads from `offset` until the buffer is full or the file ends; returns the length read. */
function readFully(fd: number, buffer: Buffer, offset: number): number {
  let length = offset;
  for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, length);
  return length;
}

/**
 * Nearly every file fits in this; one buffer per thread is reused for them instead of allocating per file. Its
 * memory is only reserved: a page becomes resident when a read first reaches it, so a tree of small files keeps a
 * small footprint, and bundles of a few megabytes reuse the same pages instead of faulting in fresh memory each
 * (a page fault costs about 12 µs on this VM: 25 ms for an 8 MB bundle).
 */
export const READ_BUFFER_SIZE = 16 << 20;
const PAGE_SIZE = 4096;
let scratch: Buffer | undefined;
/**
 * The buffer for the last file larger than the scratch buffer, reused by the next: fresh memory costs a page fault
 * per 4 KB on first touch, which for a multi-megabyte bundle costs more than reading and scanning it. Buffers above
 * LARGE_KEEP_LIMIT are not kept, so one huge file does not pin its size for the rest of the scan.
 */
let large: Buffer | undefined;
const LARGE_KEEP_LIMIT = 64 << 20;

/** Why a file that is not a regular file was not read, and whether that is a failure (see FileScanResult.failed). */
function notRegularFile(stat: Stats): FileScanResult {
  // A folder where git lists a file is a submodule (or a nested repository): its own repository's business.
  if (stat.isDirectory()) return { findings: [], bytes: 0, skipped: 'a folder (a submodule or a nested repository)' };
  const kind = stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
  // Listed as a file git would commit, but something else now: whatever it stands in for was not read.
  return { findings: [], bytes: 0, skipped: kind === 'not a regular file' ? kind : `not a regular file (${kind})`, failed: true };
}

/**
 * Reads and scans one file; never throws (an unreadable file is reported as skipped). Synchronous on purpose:
 * it runs on worker threads (and on the calling thread a few files at a time), and in this workload (many small
 * files) the promise-based fs API costs several times the read itself. open + fstat + one read into a reused buffer +
 * close is the least work per file that never reads a FIFO.
 */
export function scanFile(file: string, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a symbolic link is not followed (ELOOP, below). O_NONBLOCK: opening a FIFO does not wait for a
    // writer; on a regular file it changes nothing.
    fd = openSync(toFsPath(file), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return notRegularFile(stat);
    if (stat.size > options.maxFileSize) {
      return { findings: envRule ? [envFinding(file, envRule, 0)] : [], bytes: 0, skipped: tooLargeReason(options.maxFileSize), failed: true };
    }
    scratch ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
    // One byte more than the size: a file that grew since fstat shows it, and is read on.
    const wanted = stat.size + 1;
    let buffer = wanted <= scratch.length ? scratch : largeBuffer(wanted);
    // One read: a read of a regular file returns fewer bytes than asked only at the file's end, so a short read is
    // the whole file. The read that would return 0 to confirm it costs a fifth of this function's I/O on the bench
    // corpus (4 µs a file here).
    let length = readSync(fd, buffer, 0, buffer.length, 0);
    // Some network and FUSE mounts (direct I/O) return reads in page-sized pieces: a length short of the size, or on a
    // page boundary, reads on to make sure (rare for ordinary files, so nearly free).
    if (length > 0 && (length < stat.size || length % PAGE_SIZE === 0) && length < buffer.length) length = readFully(fd, buffer, length);
    if (length === buffer.length) {
      // It grew while we read: read the rest into a larger buffer, up to the size limit.
      const grown = largeBuffer(Math.min(options.maxFileSize + 1, 2 * buffer.length));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
      length = readFully(fd, buffer, length);
      if (length > options.maxFileSize) {
        return { findings: envRule ? [envFinding(file, envRule, 0)] : [], bytes: 0, skipped: tooLargeReason(options.maxFileSize), failed: true };
      }
    }
    return scanContents(file, buffer.subarray(0, length), options, envRule);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A file deleted between listing and reading (e.g. a tracked file removed from the work tree) is simply gone.
    if (code === 'ENOENT') return { findings: [], bytes: 0, skipped: 'deleted' };
    if (code === 'ELOOP') return scanSymbolicLink(file, options, envRule);
    return { findings: [], bytes: 0, skipped: `unreadable: ${describeFsError(error)}`, failed: true };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A file git grep found none of the scan's needles in (issue 15): counted as scanned, with its size as its bytes, as
 * reading it would have counted it, but not read. Anything that is not a regular file within the size limit (a link,
 * a FIFO, a folder, a file deleted or grown too large since) goes to scanFile, which reports it exactly as ever: the
 * result is what scanFile would give, so a scan with git grep and one without say the same.
 */
export function accountFile(file: string, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  let stat: Stats;
  try {
    stat = lstatSync(toFsPath(file));
  } catch {
    return scanFile(file, options, envRule);
  }
  return stat.isFile() && stat.size <= options.maxFileSize && envRule === undefined ? { findings: [], bytes: stat.size } : scanFile(file, options, envRule);
}

/** A symbolic link, scanned as git stores it: the path it points to is its contents (a key can hide there too). */
function scanSymbolicLink(file: string, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  try {
    return scanContents(file, readlinkSync(toFsPath(file), { encoding: 'buffer' }), options, envRule);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { findings: [], bytes: 0, skipped: 'deleted' };
    return { findings: [], bytes: 0, skipped: `unreadable: ${describeFsError(error)}`, failed: true };
  }
}

/** A buffer of at least `size` bytes for a file larger than the scratch buffer, reused by the next such file. */
function largeBuffer(size: number): Buffer {
  if (large && large.length >= size) return large.subarray(0, size);
  // With room to grow: a tree's bundles come in all sizes, and each larger one would otherwise fault in fresh
  // memory again.
  const capacity = Math.max(size, Math.min(LARGE_KEEP_LIMIT, 2 * (large?.length ?? READ_BUFFER_SIZE)));
  const grown = Buffer.allocUnsafe(capacity);
  if (capacity <= LARGE_KEEP_LIMIT) large = grown;
  return grown.subarray(0, size);
}
