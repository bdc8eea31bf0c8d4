// An inline marker silences findings on its own line or on the line after it, so it can sit in a trailing
// comment or in a comment line above (eslint-disable-line and eslint-disable-next-line, as one marker).
// Lines end at '\n'; a '\r' before it is just part of the line, which cannot affect a substring search.

export const SUPPRESSION_MARKER = 'anthropic-key-hygiene-ignore';
const MARKER_BYTES = Buffer.from(SUPPRESSION_MARKER, 'latin1');
const NEWLINE = 0x0a;

/** The few searches suppression needs, over a string (UTF-16 offsets) or raw bytes (byte offsets); the marker
 * and '\n' are ASCII, so bytes need no decoding. */
interface Searchable {
  readonly length: number;
  nextMarker(from: number): number;
  nextNewline(from: number): number;
  /** Last '\n' at or before `at` (at >= 0), or -1. */
  lastNewline(at: number): number;
}

function searchableText(text: string): Searchable {
  return {
    length: text.length,
    nextMarker: (from) => text.indexOf(SUPPRESSION_MARKER, from),
    nextNewline: (from) => text.indexOf('\n', from),
    lastNewline: (at) => text.lastIndexOf('\n', at),
  };
}

function searchableBytes(buf: Buffer): Searchable {
  return {
    length: buf.length,
    nextMarker: (from) => buf.indexOf(MARKER_BYTES, from),
    nextNewline: (from) => buf.indexOf(NEWLINE, from),
    // Buffer.lastIndexOf reads a negative position as "from the end", so callers never pass one.
    lastNewline: (at) => buf.lastIndexOf(NEWLINE, at),
  };
}

/** True when the line holding `offset` (UTF-16 units) or the line before it contains the marker. */
export function isSuppressed(text: string, offset: number): boolean {
  return isSuppressedIn(searchableText(text), offset);
}

/** The same for raw bytes and a byte offset. */
export function isSuppressedInBuffer(buf: Buffer, byteOffset: number): boolean {
  return isSuppressedIn(searchableBytes(buf), byteOffset);
}

function isSuppressedIn(source: Searchable, offset: number): boolean {
  const ownLineStart = lineStartOf(source, offset);
  const searchFrom = ownLineStart === 0 ? 0 : lineStartOf(source, ownLineStart - 1);
  const nextNewline = source.nextNewline(offset);
  const lineEnd = nextNewline < 0 ? source.length : nextNewline;
  const marker = source.nextMarker(searchFrom);
  return marker >= 0 && marker + SUPPRESSION_MARKER.length <= lineEnd;
}

function lineStartOf(source: Searchable, offset: number): number {
  // lastIndexOf at position -1 would still look at index 0, so the first line is handled explicitly.
  return offset <= 0 ? 0 : source.lastNewline(offset - 1) + 1;
}

/**
 * Drops the items whose `start` is suppressed, for many items at once: one pass over the markers instead of one
 * search per item, so a file with thousands of findings on one long line stays linear. A text without the
 * marker costs a single indexOf.
 */
export function withoutSuppressed<T extends { start: number }>(source: string | Buffer, items: readonly T[]): T[] {
  if (items.length === 0) return [];
  const searchable = typeof source === 'string' ? searchableText(source) : searchableBytes(source);
  const ranges = suppressedRanges(searchable);
  if (ranges.length === 0) return [...items];
  return items.filter((item) => !inRanges(ranges, item.start));
}

/** [from, to) ranges: from the start of each marker's line to the end of the line after it. */
function suppressedRanges(source: Searchable): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let marker = source.nextMarker(0);
  while (marker >= 0) {
    const ownLineEnd = endOfLine(source, marker);
    const nextLineEnd = ownLineEnd < source.length ? endOfLine(source, ownLineEnd + 1) : ownLineEnd;
    const from = lineStartOf(source, marker);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1]) last[1] = nextLineEnd;
    else ranges.push([from, nextLineEnd]);
    // Further markers on the same line add nothing; skipping them keeps a line full of markers linear.
    marker = ownLineEnd < source.length ? source.nextMarker(ownLineEnd + 1) : -1;
  }
  return ranges;
}

function endOfLine(source: Searchable, from: number): number {
  const newline = source.nextNewline(from);
  return newline < 0 ? source.length : newline;
}

function inRanges(ranges: ReadonlyArray<[number, number]>, offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const [from, to] = ranges[middle];
    if (offset < from) high = middle - 1;
    else if (offset > to) low = middle + 1;
    else return true;
  }
  return false;
}
