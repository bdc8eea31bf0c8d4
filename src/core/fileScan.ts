// Scans one file's bytes: the unit of work shared by the CLI, the worker threads and the editor's
// workspace scan. Works on raw bytes so the common case (UTF-8, no key) never decodes anything.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileFinding, TextFinding } from './findings';
import { findBufferFindings, findTextFindings, type TextFindingOptions } from './textFindings';
import { lineColumnAt, positionsForByteOffsets } from './positions';
import type { EnvFileRule } from './envFiles';
import { formatMessage } from './messages';
import { findingSeverity } from './rules';

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
  /** Why the file was not scanned (binary, too large, unreadable); undefined when it was. */
  skipped?: string;
}

/** Why a file over the size limit was not scanned: `larger than the 1024 MB limit` (whole bytes below a megabyte). */
export function tooLargeReason(maxFileSize: number): string {
  const megabyte = 1024 * 1024;
  const limit = maxFileSize >= megabyte ? `${+(maxFileSize / megabyte).toFixed(2)} MB` : `${Math.floor(maxFileSize)} bytes`;
  return `larger than the ${limit} limit`;
}

/** git's own heuristic: a NUL byte in the first 8000 bytes means binary. */
const BINARY_SNIFF_LENGTH = 8000;

function utf16Encoding(bytes: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return undefined;
}

function decodeUtf16(bytes: Buffer, encoding: 'utf16le' | 'utf16be'): string {
  if (encoding === 'utf16le') return bytes.toString('utf16le', 2);
  const swapped = Buffer.from(bytes.subarray(2));
  swapped.swap16();
  return swapped.toString('utf16le');
}

function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, BINARY_SNIFF_LENGTH).includes(0);
}

/** Length of the first line in UTF-16 units, for the range of a file-level finding. */
function firstLineLength(text: string): number {
  const end = text.search(/\r?\n/);
  return end === -1 ? text.length : end;
}

/** Findings for one file's contents. `envRule` adds the file-level finding on its first line. */
export function scanContents(file: string, bytes: Buffer, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  const findings: FileFinding[] = [];
  const utf16 = utf16Encoding(bytes);
  // Only a .env finding needs the first line (its range); decoding it for every file would cost more than the scan.
  let firstLine = '';
  if (utf16) {
    const text = decodeUtf16(bytes, utf16);
    if (envRule) firstLine = text.slice(0, 4096);
    for (const finding of findTextFindings(text, textOptions(file, options, envRule))) {
      findings.push(locate(file, finding, lineColumnAt(text, finding.start), lineColumnAt(text, finding.end)));
    }
  } else {
    if (isBinary(bytes)) return { findings: envRule ? [envFinding(file, envRule, 0)] : [], bytes: bytes.length, skipped: 'binary' };
    if (envRule) firstLine = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
    const textFindings = findBufferFindings(bytes, textOptions(file, options, envRule));
    if (textFindings.length > 0) {
      const positions = positionsForByteOffsets(bytes, textFindings.flatMap((finding) => [finding.start, finding.end]));
      textFindings.forEach((finding, i) => findings.push(locate(file, finding, positions[2 * i], positions[2 * i + 1])));
    }
  }
  if (envRule) findings.unshift(envFinding(file, envRule, firstLineLength(firstLine)));
  return { findings, bytes: bytes.length };
}

/** Keys in .env files are reported too: the scan only reads .env files git would commit (or already tracks). */
function textOptions(file: string, options: FileScanOptions, envRule: EnvFileRule | undefined): TextFindingOptions {
  return { includeLowConfidence: options.includeLowConfidence, fileName: file, reportKeysInEnvFiles: true, envFileRule: envRule };
}

function locate(
  file: string,
  finding: TextFinding,
  start: { line: number; column: number },
  end: { line: number; column: number },
): FileFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: finding.message,
    messageId: finding.messageId,
    messageArgs: finding.messageArgs,
    ...(finding.credential ? { credential: finding.credential } : {}),
  };
}

function envFinding(file: string, ruleId: EnvFileRule, firstLineLength: number): FileFinding {
  const message = { id: ruleId, args: {} };
  return {
    ruleId,
    severity: findingSeverity(ruleId),
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: firstLineLength + 1,
    message: formatMessage(message),
    messageId: message.id,
    messageArgs: message.args,
  };
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

/**
 * Reads and scans one file; never throws (an unreadable file is reported as skipped). Synchronous on purpose:
 * it runs on worker threads (and on the calling thread a few files at a time), and in this workload (many small
 * files) the promise-based fs API costs several times the read itself. open + one read into a reused buffer + close
 * is the least work per file.
 */
export function scanFile(file: string, options: FileScanOptions, envRule?: EnvFileRule): FileScanResult {
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: git lists symbolic links as files, but following one could leave the scanned tree.
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    // Read first, stat only when the file fills the read buffer: most files are small, and fstat is a
    // syscall (and a Stats object) per file that this workload cannot afford.
    scratch ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
    let buffer = scratch;
    // One read: a read of a regular file returns fewer bytes than asked only at the file's end, so a short read is
    // the whole file. The read that would return 0 to confirm it costs a fifth of this function's I/O on the bench
    // corpus (4 µs a file here). Only a file that fills the buffer is read on.
    let length = readSync(fd, buffer, 0, buffer.length, 0);
    // Some network and FUSE mounts (direct I/O) return reads in page-sized pieces: a length on a page boundary
    // reads on to make sure (rare for ordinary files, so nearly free).
    if (length > 0 && length % PAGE_SIZE === 0 && length < buffer.length) length = readFully(fd, buffer, length);
    if (length === buffer.length) {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { findings: [], bytes: 0, skipped: 'not a regular file' };
      if (stat.size > options.maxFileSize) {
        return { findings: envRule ? [envFinding(file, envRule, 0)] : [], bytes: 0, skipped: tooLargeReason(options.maxFileSize) };
      }
      // The file may grow between fstat and read; what is there at the read is what gets scanned.
      const size = Math.max(stat.size, length) + 1;
      if (!large || large.length < size) {
        // With room to grow: a tree's bundles come in all sizes, and each larger one would otherwise fault in
        // fresh memory again.
        const capacity = Math.max(size, Math.min(LARGE_KEEP_LIMIT, 2 * (large?.length ?? READ_BUFFER_SIZE)));
        const grown = Buffer.allocUnsafe(capacity);
        if (capacity <= LARGE_KEEP_LIMIT) large = grown;
        buffer = grown.subarray(0, size);
      } else {
        buffer = large.subarray(0, size);
      }
      scratch.copy(buffer, 0, 0, length);
      length = readFully(fd, buffer, length);
    } else if (length > options.maxFileSize) {
      return { findings: envRule ? [envFinding(file, envRule, 0)] : [], bytes: 0, skipped: tooLargeReason(options.maxFileSize) };
    }
    return scanContents(file, buffer.subarray(0, length), options, envRule);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A file deleted between listing and reading (e.g. a tracked file removed from the work tree) is simply gone.
    if (code === 'ENOENT') return { findings: [], bytes: 0, skipped: 'deleted' };
    if (code === 'ELOOP') return { findings: [], bytes: 0, skipped: 'symbolic link' };
    if (code === 'EISDIR') return { findings: [], bytes: 0, skipped: 'not a regular file' }; // e.g. a submodule git lists
    return { findings: [], bytes: 0, skipped: `unreadable: ${(error as Error).message}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
