// Keys in UTF-16: in a text file saved as UTF-16 (PowerShell and some Windows editors write it, with or without a
// byte order mark), and in binary data that embeds UTF-16 strings (Windows executables, resources, some databases).
// The byte scan sees neither: every other byte of such text is NUL, so `sk-ant-` never appears as bytes.
//
// Decisions:
// - A file is UTF-16 text when it starts with a byte order mark, or when VS Code would open it as UTF-16: its first
//   512 bytes have a zero at every odd offset and nowhere else (little-endian), or at every even offset and nowhere
//   else (big-endian) (VS Code's detectEncodingByZeroByte, src/vs/workbench/services/textfile/common/encoding.ts).
//   Such a file is decoded and scanned as text, and positions are lines and columns of the decoded text, as the
//   editor shows it.
// - Any other file with a NUL byte is binary, but may still hold a UTF-16 key: the bytes are searched for the UTF-16
//   form of `k-ant-`, and only a window around each hit is decoded (both byte orders, at the hit's alignment), so
//   memory and time stay linear however large the file.

import { findTextFindings, type TextFindingOptions } from './textFindings';
import type { TextFinding } from './findings';

export type Utf16Order = 'utf16le' | 'utf16be';

/** How many leading bytes VS Code looks at to tell UTF-16 from binary. */
const ZERO_BYTE_DETECTION_LENGTH = 512;

/** UTF-16 text (by its byte order mark, or as VS Code would guess it), and where its text starts. */
export function detectUtf16(bytes: Uint8Array): { order: Utf16Order; textStart: number } | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { order: 'utf16le', textStart: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { order: 'utf16be', textStart: 2 };
  let couldBeLe = true;
  let couldBeBe = true;
  let sawZero = false;
  const length = Math.min(bytes.length, ZERO_BYTE_DETECTION_LENGTH);
  for (let i = 0; i < length && (couldBeLe || couldBeBe); i++) {
    const zero = bytes[i] === 0;
    if (zero) sawZero = true;
    const odd = i % 2 === 1;
    if (odd !== zero) couldBeLe = false; // little-endian ASCII: the high byte, at the odd offset, is the zero one
    if (odd === zero) couldBeBe = false;
  }
  if (!sawZero) return undefined;
  if (couldBeLe) return { order: 'utf16le', textStart: 0 };
  if (couldBeBe) return { order: 'utf16be', textStart: 0 };
  return undefined;
}

/** `length` bytes from `start` read as UTF-16 text in the given order (a trailing odd byte is dropped). */
export function decodeUtf16(bytes: Buffer, order: Utf16Order, start = 0, end = bytes.length): string {
  const evenEnd = start + ((end - start) & ~1);
  if (order === 'utf16le') return bytes.toString('utf16le', start, evenEnd);
  const swapped = Buffer.from(bytes.subarray(start, evenEnd));
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** `k-ant-` in UTF-16LE without its last zero byte: in UTF-16BE the same bytes follow a zero byte instead. */
const UTF16_NEEDLE = Uint8Array.from('k\0-\0a\0n\0t\0-', (char) => char.charCodeAt(0));
/** Units decoded before a hit: the key's own `s` and the character before it, and room for a suppression marker on
 * the same or the previous line. */
const CONTEXT_UNITS = 512;
/** Units decoded per window. */
const WINDOW_UNITS = 1 << 16;
/** The longest token and the character after it, in units: a token starting this close to a window's end may run
 * past it, so it is left to the window that starts at it. Above the scanner's maximum (`sk-ant-` + a 16-letter kind
 * word + 2 digits + `-` + 1024 body characters). */
const TOKEN_REACH_UNITS = 1100;

/**
 * Keys in UTF-16 form anywhere in binary bytes, as findings whose start and end are byte offsets. Only credentials:
 * the client-exposure rule reads code, which binary data is not.
 */
export function findUtf16KeysInBinary(bytes: Buffer, options: TextFindingOptions): TextFinding[] {
  const found: TextFinding[] = [];
  // Each byte order at each alignment is a text of its own; a window read at one alignment says nothing of the other.
  for (const order of ['utf16le', 'utf16be'] as const) {
    for (const alignment of [0, 1]) {
      // Keys starting below `ownedUpTo` were in a window already read: they are not taken twice.
      let ownedUpTo = 0;
      for (let hit = bytes.indexOf(UTF16_NEEDLE); hit >= 0; hit = bytes.indexOf(UTF16_NEEDLE, Math.max(hit + 1, ownedUpTo))) {
        // The unit holding `k`: its low byte is the hit in UTF-16LE, the byte before it in UTF-16BE.
        const kUnit = order === 'utf16le' ? hit : hit - 1;
        if (kUnit < 2 || kUnit % 2 !== alignment) continue;
        const windowStart = Math.max(alignment, kUnit - 2 * CONTEXT_UNITS);
        const windowEnd = Math.min(bytes.length, windowStart + 2 * WINDOW_UNITS);
        const ownedEnd = windowEnd >= bytes.length - 1 ? bytes.length : windowEnd - 2 * TOKEN_REACH_UNITS;
        const text = decodeUtf16(bytes, order, windowStart, windowEnd);
        for (const finding of findTextFindings(text, options)) {
          if (finding.ruleId !== 'hardcoded-key') continue;
          const start = windowStart + 2 * finding.start;
          if (start >= ownedUpTo && start < ownedEnd) found.push({ ...finding, start, end: windowStart + 2 * finding.end });
        }
        ownedUpTo = ownedEnd;
      }
    }
  }
  // An ASCII key in UTF-16 reads the same in both byte orders, one byte apart: report each key once. The reading in
  // the wrong order borrows a byte of the next character at one end, so it can run one character long: the
  // published (high-confidence) reading wins, else the shorter.
  found.sort((a, b) => a.start - b.start);
  const once: TextFinding[] = [];
  for (const finding of found) {
    const previous = once[once.length - 1];
    if (!previous || finding.start - previous.start > 1) once.push(finding);
    else if (better(finding, previous)) once[once.length - 1] = finding;
  }
  return once;
}

function better(a: TextFinding, b: TextFinding): boolean {
  if (a.severity !== b.severity) return a.severity === 'error';
  return a.end - a.start < b.end - b.start;
}

/**
 * Lines and columns (1-based, columns in UTF-16 units) of byte offsets into UTF-16 text that starts at `textStart`,
 * counted over the units themselves, for a file too large to decode whole. An offset at a newline belongs to the
 * line that newline ends; offsets past the end are clamped.
 */
export function utf16Positions(bytes: Buffer, order: Utf16Order, textStart: number, byteOffsets: readonly number[]): Array<{ line: number; column: number }> {
  const ascending = byteOffsets.map((_, index) => index).sort((a, b) => byteOffsets[a] - byteOffsets[b]);
  const positions: Array<{ line: number; column: number }> = new Array(byteOffsets.length);
  // The byte of a unit that holds an ASCII character's code, and the one that is zero.
  const low = order === 'utf16le' ? 0 : 1;
  let line = 1;
  let lineStart = textStart;
  let at = textStart;
  for (const index of ascending) {
    const offset = Math.max(textStart, Math.min(byteOffsets[index], bytes.length));
    for (; at < offset && at + 1 < bytes.length; at += 2) {
      if (bytes[at + low] === 0x0a && bytes[at + 1 - low] === 0) {
        line++;
        lineStart = at + 2;
      }
    }
    positions[index] = { line, column: Math.floor((offset - lineStart) / 2) + 1 };
  }
  return positions;
}
