// Positions in text (the web build's only kind): lines end at \n, columns count UTF-16 units, a BOM is no column.
import * as assert from 'node:assert/strict';
import { lineColumnAt, positionsForOffsets } from '../../../src/core/textPositions';

describe('textPositions', () => {
  it('counts lines at \\n (CRLF lines too) and columns in UTF-16 units, the BOM not being one', () => {
    const text = '\uFEFFab\r\n😀x\nlast';
    assert.deepEqual(lineColumnAt(text, 1), { line: 1, column: 1 }, 'right after the BOM');
    assert.deepEqual(lineColumnAt(text, 4), { line: 1, column: 4 }, 'the \\r is the last character of its line');
    assert.deepEqual(lineColumnAt(text, 7), { line: 2, column: 3 }, 'an emoji is two units');
    assert.deepEqual(positionsForOffsets(text, [9, 0, 100]), [
      { line: 3, column: 1 },
      { line: 1, column: 1 },
      { line: 3, column: 5 },
    ], 'in the order asked, past the end clamped');
  });
});
