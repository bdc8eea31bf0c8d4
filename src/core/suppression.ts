// An inline marker silences findings on its own line or on the line after it, so it can sit in a trailing
// comment or in a comment line above (eslint-disable-line and eslint-disable-next-line, as one marker).
// Lines end at '\n'; a '\r' before it is just part of the line, which cannot affect a substring search.
//
// Only the lines that can silence a finding are read: a finding's own line and the one before it. An editor
// rescans the whole document on every edit, and searching all of it for a marker that is almost never there
// would cost more than finding the keys.

export const SUPPRESSION_MARKER = 'anthropic-key-hygiene-ignore';
// A Uint8Array rather than a Buffer: Buffer.includes takes either, and the web build (no Buffer) loads this module.
const MARKER_BYTES = Uint8Array.from(SUPPRESSION_MARKER, (char) => char.charCodeAt(0));
const NEWLINE = 0x0a;

/** The few searches suppression needs, over a string (UTF-16 offsets) or raw bytes (byte offsets); the marker
 * and '\n' are ASCII, so bytes need no decoding. */
interface Searchable {
  readonly length: number;
  /** Whether the whole marker lies within [from, to). */
  hasMarker(from: number, to: number): boolean;
  nextNewline(from: number): number;
  /** Last '\n' at or before `at` (at >= 0), or -1. */
  lastNewline(at: number): number;
}

function searchableText(text: string): Searchable {
  return {
    length: text.length,
    // slice() shares the characters (no copy), so this reads only the range.
    hasMarker: (from, to) => to - from >= SUPPRESSION_MARKER.length && text.slice(from, to).includes(SUPPRESSION_MARKER),
    nextNewline: (from) => text.indexOf('\n', from),
    lastNewline: (at) => text.lastIndexOf('\n', at),
  };
}

function searchableBytes(buf: Buffer): Searchable {
  return {
    length: buf.length,
    hasMarker: (from, to) => to - from >= MARKER_BYTES.length && buf.subarray(from, to).indexOf(MARKER_BYTES) >= 0,
    nextNewline: (from) => buf.indexOf(NEWLINE, from),
    // Buffer.lastIndexOf reads a negative position as "from the end", so callers never pass one.
    lastNewline: (at) => buf.lastIndexOf(NEWLINE, at),
  };
}

/** True when the line holding `offset` (UTF-16 units) or the line before it contains the marker. */
export function isSuppressed(text: string, offset: number): boolean {
  return suppressingLines(searchableText(text), offset).suppressed;
}

/** The same for raw bytes and a byte offset. */
export function isSuppressedInBuffer(buf: Buffer, byteOffset: number): boolean {
  return suppressingLines(searchableBytes(buf), byteOffset).suppressed;
}

/** The line holding `offset` ([lineStart, lineEnd], lineEnd being its '\n' or the end of the text, which counts as
 * part of it) and whether that line or the one before holds the marker. */
function suppressingLines(source: Searchable, offset: number): { lineStart: number; lineEnd: number; suppressed: boolean } {
  const lineStart = lineStartOf(source, offset);
  const newline = source.nextNewline(Math.max(0, offset));
  const lineEnd = newline < 0 ? source.length : newline;
  const searchFrom = lineStart === 0 ? 0 : lineStartOf(source, lineStart - 1);
  return { lineStart, lineEnd, suppressed: source.hasMarker(searchFrom, lineEnd) };
}

function lineStartOf(source: Searchable, offset: number): number {
  // lastIndexOf at position -1 would still look at index 0, so the first line is handled explicitly.
  return offset <= 0 ? 0 : source.lastNewline(offset - 1) + 1;
}

/**
 * Drops the items whose `start` is suppressed. Items on the same line share one look at its lines, so a file with
 * thousands of findings on one long (minified) line stays linear; a text with no findings costs nothing.
 */
export function withoutSuppressed<T extends { start: number }>(source: string | Buffer, items: readonly T[]): T[] {
  if (items.length === 0) return [];
  const searchable = typeof source === 'string' ? searchableText(source) : searchableBytes(source);
  // Callers pass items sorted by start; any other order still works, it only shares fewer looks.
  let line = { lineStart: 0, lineEnd: -1, suppressed: false };
  return items.filter((item) => {
    if (item.start < line.lineStart || item.start > line.lineEnd) line = suppressingLines(searchable, item.start);
    return !line.suppressed;
  });
}
