import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import {
  lineColumnAt,
  lineColumnAtByte,
  positionsForByteOffsets,
  positionsForOffsets,
} from '../../../src/core/positions';

/** The byte offset of a UTF-16 offset in the UTF-8 encoding of `text`. */
function byteOffset(text: string, offset: number): number {
  return Buffer.byteLength(text.slice(0, offset));
}

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    const text = 'first\nsecond line\nthird';
    assert.deepEqual(lineColumnAt(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('line')), { line: 2, column: 8 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('third')), { line: 3, column: 1 });
    assert.deepEqual(lineColumnAt(text, text.length), { line: 3, column: 6 });
  });

  it('counts a newline as the last column of the line it ends', () => {
    assert.deepEqual(lineColumnAt('ab\ncd', 2), { line: 1, column: 3 });
    assert.deepEqual(lineColumnAt('ab\ncd', 3), { line: 2, column: 1 });
  });

  it('gives CRLF text the same lines as LF text', () => {
    const text = 'one\r\ntwo\r\nthree';
    assert.deepEqual(lineColumnAt(text, text.indexOf('three')), { line: 3, column: 1 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('two') + 1), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('\r')), { line: 1, column: 4 });
  });

  it('counts columns in UTF-16 code units, an emoji being two', () => {
    const text = 'x\né😀 key';
    assert.deepEqual(lineColumnAt(text, text.indexOf('key')), { line: 2, column: 5 });
  });

  it('does not count a byte order mark as a column', () => {
    const text = '\uFEFFkey\nnext';
    assert.deepEqual(lineColumnAt(text, 1), { line: 1, column: 1 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('next')), { line: 2, column: 1 });
  });

  it('clamps offsets outside the text', () => {
    assert.deepEqual(lineColumnAt('ab\nc', 99), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt('ab\nc', -5), { line: 1, column: 1 });
  });
});

describe('lineColumnAtByte', () => {
  it('counts lines by newline bytes and columns in UTF-16 units of the decoded line', () => {
    const text = 'x\r\né😀 key';
    assert.deepEqual(lineColumnAtByte(Buffer.from(text), byteOffset(text, text.indexOf('key'))), { line: 2, column: 5 });
  });

  it('does not count a UTF-8 byte order mark as a column', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ab key')]);
    assert.deepEqual(lineColumnAtByte(bytes, 3 + 3), { line: 1, column: 4 });
    assert.deepEqual(lineColumnAtByte(bytes, 3), { line: 1, column: 1 });
  });

  it('only skips the byte order mark on the first line', () => {
    const text = 'a\n\uFEFFkey';
    assert.deepEqual(lineColumnAtByte(Buffer.from(text), byteOffset(text, text.indexOf('key'))), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('key')), { line: 2, column: 2 });
  });
});

describe('positionsForOffsets and positionsForByteOffsets', () => {
  it('answer many offsets, in any order, in the order asked', () => {
    const text = 'é\nab😀cd\n\nlast';
    const offsets = [text.indexOf('last'), 0, text.indexOf('c'), text.indexOf('a'), text.indexOf('c')];
    const expected = offsets.map((offset) => lineColumnAt(text, offset));
    assert.deepEqual(positionsForOffsets(text, offsets), expected);
    assert.deepEqual(positionsForByteOffsets(Buffer.from(text), offsets.map((offset) => byteOffset(text, offset))), expected);
    assert.deepEqual(expected[2], { line: 2, column: 5 });
  });

  it('return nothing for no offsets', () => {
    assert.deepEqual(positionsForOffsets('abc', []), []);
    assert.deepEqual(positionsForByteOffsets(Buffer.from('abc'), []), []);
  });

  it('agree with each other for any text and any offset on a code point boundary', () => {
    const lineBreaksAndWideCharacters = fc.constantFrom('\n', '\r\n', '\r', '\uFEFF', 'é', '😀');
    const text = fc.array(fc.oneof(lineBreaksAndWideCharacters, fc.string({ unit: 'binary', maxLength: 6 })));
    fc.assert(
      fc.property(text, fc.array(fc.nat()), (parts, picks) => {
        const joined = parts.join('');
        // Offsets between parts are code point boundaries ('binary' strings hold whole code points).
        const boundaries = [0];
        for (const part of parts) boundaries.push(boundaries[boundaries.length - 1] + part.length);
        const offsets = picks.map((pick) => boundaries[pick % boundaries.length]);
        const fromText = positionsForOffsets(joined, offsets);
        assert.deepEqual(fromText, offsets.map((offset) => lineColumnAt(joined, offset)));
        assert.deepEqual(
          positionsForByteOffsets(Buffer.from(joined), offsets.map((offset) => byteOffset(joined, offset))),
          fromText,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('count columns on long lines of mostly ASCII with wide characters among it, as the decoder would', () => {
    const text = 'a'.repeat(5000) + '😀' + 'é'.repeat(3000) + '→'.repeat(10) + 'b'.repeat(9000) + 'KEY';
    const bytes = Buffer.from(`first line\n${text}`);
    const offset = bytes.indexOf('KEY');
    assert.deepEqual(positionsForByteOffsets(bytes, [offset]), [{ line: 2, column: text.indexOf('KEY') + 1 }]);
  });

  it('count invalid UTF-8 as the decoder does, one replacement character per bad sequence', () => {
    const bytes = Buffer.concat([Buffer.from('a'.repeat(5000)), Buffer.from([0xff, 0xc3]), Buffer.from('é' + 'b'.repeat(5000) + 'KEY')]);
    const offset = bytes.indexOf('KEY');
    assert.deepEqual(positionsForByteOffsets(bytes, [offset]), [{ line: 1, column: bytes.toString('utf8', 0, offset).length + 1 }]);
  });

  it('stay linear with many offsets on one long line', () => {
    const text = 'é'.repeat(2_000_000);
    const bytes = Buffer.from(text);
    const offsets = Array.from({ length: 100_000 }, (_, index) => index * 40);
    const started = Date.now();
    const positions = positionsForByteOffsets(bytes, offsets);
    positionsForOffsets(text, offsets);
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(positions[positions.length - 1], { line: 1, column: (offsets[offsets.length - 1] >> 1) + 1 });
  });
});
