// Offsets to 1-based lines and columns, counted as VS Code counts them: lines end at '\n' (a '\r' before it is
// the last character of its line, so CRLF files get the same line numbers), columns are UTF-16 code units, and
// a byte order mark at the start of the text is not a column (editors hide it).
// Positions are computed only for hits: counting newlines with indexOf is far cheaper than splitting the text
// into lines, and columns in bytes are counted between a line start and the offset without decoding them.

import { isAscii, isUtf8 } from 'node:buffer';
import { forwardPass, type LineColumn } from './textPositions';

// Positions in text are textPositions.ts' (Node-free, shared with the web build); this module adds those in bytes.
export { lineColumnAt, positionsForOffsets, type LineColumn } from './textPositions';

const NEWLINE = 0x0a;
const UTF8_BOM_LENGTH = 3;

/** Position of a byte offset in UTF-8 bytes; the column is counted in the decoded line. */
export function lineColumnAtByte(buf: Buffer, byteOffset: number): LineColumn {
  return positionsForByteOffsets(buf, [byteOffset])[0];
}

/** Positions of many byte offsets in one forward pass over UTF-8 bytes (any order; results follow the input). */
export function positionsForByteOffsets(buf: Buffer, offsets: readonly number[]): LineColumn[] {
  const bomLength = hasUtf8Bom(buf) ? UTF8_BOM_LENGTH : 0;
  // Columns on one line are counted incrementally from the previous offset on that line, so many hits on one
  // long (minified) line decode it once rather than once per hit.
  let countedLineStart = -1;
  let countedTo = 0;
  let countedColumns = 0;
  return forwardPass(offsets, buf.length, (from) => buf.indexOf(NEWLINE, from), (lineStart, offset) => {
    if (lineStart !== countedLineStart) {
      countedLineStart = lineStart;
      countedTo = lineStart === 0 ? bomLength : lineStart;
      countedColumns = 0;
    }
    if (offset > countedTo) {
      countedColumns += utf16Length(buf, countedTo, offset);
      countedTo = offset;
    }
    return countedColumns;
  });
}

/** Bytes checked at once with isAscii before counting byte by byte. */
const ASCII_BLOCK = 4096;

/**
 * The UTF-16 length of the UTF-8 bytes [from, to), as `buf.toString('utf8', from, to).length` gives it but without
 * decoding: decoding runs at only 130-300 MB/s, and one key on an 8 MB minified line would decode the whole line.
 * Valid UTF-8 has one UTF-16 unit per character, two for the 4-byte forms (a surrogate pair), so counting lead
 * bytes is exact; isAscii and isUtf8 run at memory speed. Invalid bytes are decoded after all, so that their
 * replacement characters count exactly as the decoder makes them.
 */
function utf16Length(buf: Buffer, from: number, to: number): number {
  const bytes = buf.subarray(from, to);
  if (isAscii(bytes)) return bytes.length;
  if (!isUtf8(bytes)) return bytes.toString('utf8').length;
  let units = 0;
  for (let block = 0; block < bytes.length; block += ASCII_BLOCK) {
    const end = Math.min(bytes.length, block + ASCII_BLOCK);
    units += isAscii(bytes.subarray(block, end)) ? end - block : mixedUtf16Length(bytes, block, end);
  }
  return units;
}

/** Units of a run of valid UTF-8 with some non-ASCII in it. Text with scattered non-ASCII (a minified bundle with
 * accented strings) has it in nearly every block, so four bytes are tested at once and only words with a high bit
 * set are counted byte by byte. */
function mixedUtf16Length(bytes: Buffer, from: number, to: number): number {
  let units = 0;
  let i = from;
  // A 32-bit view must start at a multiple of 4 in the underlying memory.
  while (i < to && (bytes.byteOffset + i) % 4 !== 0) units += utf16UnitsOfByte(bytes[i++]);
  const wordCount = (to - i) >> 2;
  // Even an empty view needs an aligned start, and i stops short of alignment when the run ends first.
  if (wordCount > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, wordCount);
    for (let w = 0; w < wordCount; w++) {
      const word = words[w];
      if ((word & 0x80808080) === 0) {
        units += 4;
        continue;
      }
      // Byte order does not matter: every byte of the word is counted.
      units +=
        utf16UnitsOfByte(word & 0xff) + utf16UnitsOfByte((word >>> 8) & 0xff) + utf16UnitsOfByte((word >>> 16) & 0xff) + utf16UnitsOfByte(word >>> 24);
    }
  }
  for (i += wordCount * 4; i < to; i++) units += utf16UnitsOfByte(bytes[i]);
  return units;
}

/** Continuation bytes (10xxxxxx) add nothing; a 4-byte lead (11110xxx) starts a surrogate pair. */
function utf16UnitsOfByte(byte: number): number {
  if ((byte & 0xc0) === 0x80) return 0;
  return byte >= 0xf0 ? 2 : 1;
}

function hasUtf8Bom(buf: Buffer): boolean {
  return buf.length >= UTF8_BOM_LENGTH && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}
