// File names on Linux are bytes, not text: a name may hold bytes that are not valid UTF-8 (a file made by an old tool
// in latin1, a name from a zip archive). Node reads such a name as a string with U+FFFD in place of each bad byte,
// and that string names no file: opening it fails. The scan keeps every path as a string (findings, sorting,
// relative paths and globs all work on strings) using Python's "surrogateescape" convention (PEP 383): a byte that is
// not part of valid UTF-8 becomes the lone surrogate U+DC80..U+DCFF (0xDC00 + the byte). Valid UTF-8 can never
// decode to a lone surrogate, so the mapping is exact both ways, and every path that is valid UTF-8 (nearly all of
// them) stays the very string Node would have made.
//
// Where such a string meets the file system or git it is turned back into its bytes (toFsPath, encodePath); where it
// is printed, the report escapes each such character as `\xNN` (see report/formats.ts).

import { isUtf8 } from 'node:buffer';

const ESCAPE_BASE = 0xdc00;
/** A lone low surrogate in the escape range: not preceded by a high surrogate (which would make it half a pair). */
const ESCAPED_BYTE = /(?:^|[^\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** The string for a path's bytes: their UTF-8 text, each byte that is not part of valid UTF-8 as U+DC80..U+DCFF. */
export function decodePathBytes(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  let text = '';
  let runStart = 0;
  for (let i = 0; i < buf.length; ) {
    const length = validSequenceLength(buf, i);
    if (length > 0) {
      i += length;
      continue;
    }
    // Everything before this byte was valid UTF-8: decode it in one go, then escape the byte.
    text += buf.toString('utf8', runStart, i) + String.fromCharCode(ESCAPE_BASE + buf[i]);
    i++;
    runStart = i;
  }
  return text + buf.toString('utf8', runStart);
}

/**
 * The length of the valid UTF-8 sequence starting at `i`, or 0. The ranges are RFC 3629's (section 4, "Syntax of
 * UTF-8 Byte Sequences"): no overlong forms, no surrogates (ED A0..BF), nothing above U+10FFFF.
 */
function validSequenceLength(buf: Buffer, i: number): number {
  const lead = buf[i];
  if (lead < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf) => at < buf.length && buf[at] >= low && buf[at] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const [low, high] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

/** Whether a path string holds escaped bytes (and so names a file Node cannot open by the string). */
export function hasEscapedBytes(path: string): boolean {
  return ESCAPED_BYTE.test(path);
}

/** The bytes a path string stands for: the inverse of decodePathBytes. */
export function encodePath(path: string): Buffer {
  if (!hasEscapedBytes(path)) return Buffer.from(path, 'utf8');
  const parts: Buffer[] = [];
  let runStart = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < path.length) {
      const next = path.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a surrogate pair: one character, encoded with the rest of the run
        continue;
      }
    }
    if (code >= 0xdc80 && code <= 0xdcff) {
      parts.push(Buffer.from(path.slice(runStart, i), 'utf8'), Buffer.from([code - ESCAPE_BASE]));
      runStart = i + 1;
    }
  }
  parts.push(Buffer.from(path.slice(runStart), 'utf8'));
  return Buffer.concat(parts);
}

/** What to hand the fs API for a path string: the string itself, or its bytes when it holds escaped bytes. */
export function toFsPath(path: string): string | Buffer {
  return hasEscapedBytes(path) ? encodePath(path) : path;
}
