import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { SUPPRESSION_MARKER, isSuppressed, isSuppressedInBuffer, withoutSuppressed } from '../../../src/core/suppression';

const marker = SUPPRESSION_MARKER;

describe('isSuppressed', () => {
  it('is true for an offset on the marker’s own line', () => {
    const text = `const key = load(); // ${marker}\nnext();`;
    assert.equal(isSuppressed(text, text.indexOf('load')), true);
    assert.equal(isSuppressed(text, 0), true);
  });

  it('is true for an offset on the line after the marker', () => {
    const text = `first();\n// ${marker}\nconst key = load();\nlast();`;
    assert.equal(isSuppressed(text, text.indexOf('load')), true);
    assert.equal(isSuppressed(text, text.indexOf('const')), true);
  });

  it('is false two lines below the marker, above it, and without it', () => {
    const text = `// ${marker}\nmiddle();\nconst key = load();`;
    assert.equal(isSuppressed(text, text.indexOf('load')), false);
    const below = `const key = load();\n// ${marker}`;
    assert.equal(isSuppressed(below, below.indexOf('load')), false);
    assert.equal(isSuppressed('const key = load();', 12), false);
  });

  it('treats CRLF line ends like LF', () => {
    const text = `// ${marker}\r\nconst key = load();\r\nmiddle();\r\nagain();`;
    assert.equal(isSuppressed(text, text.indexOf('load')), true);
    assert.equal(isSuppressed(text, text.indexOf('again')), false);
  });

  it('handles offsets at the very start and end of the text and on an empty first line', () => {
    assert.equal(isSuppressed(`\n${marker}`, 0), false);
    assert.equal(isSuppressed(`\n${marker}`, 1), true);
    assert.equal(isSuppressed(`\nx`, 2), false);
    assert.equal(isSuppressed(`${marker}\nx`, `${marker}\nx`.length), true);
    assert.equal(isSuppressed('', 0), false);
  });

  it('counts a position on a newline as part of the line that newline ends', () => {
    const text = `a\nb // ${marker}\nc\nd`;
    assert.equal(isSuppressed(text, 1), false); // the '\n' ending line 1, above the marker line
    assert.equal(isSuppressed(text, text.indexOf('c') - 1), true); // the '\n' ending the marker line
    assert.equal(isSuppressed(text, text.indexOf('d') - 1), true); // the '\n' ending line 3, below the marker
  });

  it('needs the whole marker on one of the two lines', () => {
    const half = marker.length >> 1;
    const text = `${marker.slice(0, half)}\n${marker.slice(half)}\nkey();`;
    assert.equal(isSuppressed(text, text.indexOf('key')), false);
  });

  it('answers the same for bytes and byte offsets', () => {
    const text = `é😀 // ${marker}\nconst key = load();\nnot();`;
    const bytes = Buffer.from(text);
    for (const word of ['load', 'not', 'é']) {
      const offset = text.indexOf(word);
      assert.equal(isSuppressedInBuffer(bytes, Buffer.byteLength(text.slice(0, offset))), isSuppressed(text, offset));
    }
  });
});

describe('withoutSuppressed', () => {
  const lines = fc.array(fc.constantFrom('', 'x', marker, `a ${marker} b`, 'key();', '\r', 'é😀', marker + marker), { maxLength: 12 });

  it('keeps exactly the items that isSuppressed does not silence', () => {
    fc.assert(
      fc.property(lines, fc.array(fc.nat()), (textLines, rawOffsets) => {
        const text = textLines.join('\n');
        const items = rawOffsets.map((offset) => ({ start: offset % (text.length + 1) })).sort((a, b) => a.start - b.start);
        assert.deepEqual(
          withoutSuppressed(text, items),
          items.filter((item) => !isSuppressed(text, item.start)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('works on bytes with byte offsets', () => {
    fc.assert(
      fc.property(lines, fc.array(fc.nat()), (textLines, rawOffsets) => {
        const bytes = Buffer.from(textLines.join('\n'));
        const items = rawOffsets.map((offset) => ({ start: offset % (bytes.length + 1) })).sort((a, b) => a.start - b.start);
        assert.deepEqual(
          withoutSuppressed(bytes, items),
          items.filter((item) => !isSuppressedInBuffer(bytes, item.start)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('keeps exactly those items in any order, and keeps the order', () => {
    fc.assert(
      fc.property(lines, fc.array(fc.nat()), (textLines, rawOffsets) => {
        const text = textLines.join('\n');
        const items = rawOffsets.map((offset) => ({ start: offset % (text.length + 1) }));
        assert.deepEqual(
          withoutSuppressed(text, items),
          items.filter((item) => !isSuppressed(text, item.start)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('returns a copy of every item when the text has no marker', () => {
    const items = [{ start: 0 }, { start: 3 }];
    const kept = withoutSuppressed('plain text', items);
    assert.deepEqual(kept, items);
    assert.notEqual(kept, items);
  });

  it('stays linear on a long line full of markers and items', () => {
    const text = `${marker} `.repeat(200_000);
    const items = Array.from({ length: 100_000 }, (_, index) => ({ start: index * 50 }));
    const started = Date.now();
    assert.deepEqual(withoutSuppressed(text, items), []);
    assert.ok(Date.now() - started < 5000);
  });
});
