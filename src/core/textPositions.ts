// Offsets to 1-based lines and columns, counted as VS Code counts them: lines end at '\n' (a '\r' before it is
// the last character of its line, so CRLF files get the same line numbers), columns are UTF-16 code units, and
// a byte order mark at the start of the text is not a column (editors hide it).
// Positions are computed only for hits: counting newlines with indexOf is far cheaper than splitting the text
// into lines.
//
// Node-free, so the web build shares it; positions.ts adds the positions of byte offsets (which need Node's
// Buffer) and re-exports these.

export interface LineColumn {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

const BOM_CHAR = '\uFEFF';

/** Position of a UTF-16 offset in a string. Offsets past the end are clamped to it. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  return positionsForOffsets(text, [offset])[0];
}

/**
 * Positions of many UTF-16 offsets in one forward pass over the text (any order; results follow the input
 * order). Use it for the start and end of every finding in a file rather than calling lineColumnAt per offset.
 */
export function positionsForOffsets(text: string, offsets: readonly number[]): LineColumn[] {
  const bomLength = text.startsWith(BOM_CHAR) ? BOM_CHAR.length : 0;
  return forwardPass(offsets, text.length, (from) => text.indexOf('\n', from), (lineStart, offset) => {
    const from = lineStart === 0 ? Math.min(bomLength, offset) : lineStart;
    return offset - from;
  });
}

/**
 * Walks the offsets in ascending order, advancing line by line with `nextNewline`; `columnsBefore(lineStart,
 * offset)` gives the 0-based column, and is called with non-decreasing offsets.
 */
export function forwardPass(
  offsets: readonly number[],
  length: number,
  nextNewline: (from: number) => number,
  columnsBefore: (lineStart: number, offset: number) => number,
): LineColumn[] {
  const order = offsets.map((_, index) => index).sort((a, b) => offsets[a] - offsets[b]);
  const positions: LineColumn[] = new Array(offsets.length);
  let line = 1;
  let lineStart = 0;
  let newline = nextNewline(0);
  for (const index of order) {
    const offset = Math.max(0, Math.min(offsets[index], length));
    // An offset at a '\n' belongs to the line that the '\n' ends.
    while (newline >= 0 && newline < offset) {
      line++;
      lineStart = newline + 1;
      newline = nextNewline(lineStart);
    }
    positions[index] = { line, column: columnsBefore(lineStart, offset) + 1 };
  }
  return positions;
}
