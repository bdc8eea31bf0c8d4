// Paths as bytes: the surrogateescape mapping must be exact both ways for any bytes, and invisible for UTF-8.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodePathBytes, encodePath, hasEscapedBytes, toFsPath } from '../../../src/core/rawPaths';

describe('decodePathBytes and encodePath', () => {
  it('give back the exact bytes of any name, valid UTF-8 or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        assert.deepEqual([...encodePath(decodePathBytes(bytes))], [...bytes]);
      }),
      { numRuns: 3000 },
    );
  });

  it('decode valid UTF-8 exactly as Node does, escaping nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        assert.equal(decodePathBytes(bytes), bytes.toString('utf8'));
        assert.equal(hasEscapedBytes(decodePathBytes(bytes)), false);
      }),
      { numRuns: 1000 },
    );
  });

  it('escape each byte that is not part of valid UTF-8 as U+DC80..U+DCFF (RFC 3629 ranges)', () => {
    const cases: Array<[number[], string]> = [
      [[0x61, 0xff, 0x62], 'a\udcffb'],
      [[0xc0, 0xaf], '\udcc0\udcaf'], // an overlong '/'
      [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'], // an encoded surrogate
      [[0xf4, 0x90, 0x80, 0x80], '\udcf4\udc90\udc80\udc80'], // above U+10FFFF
      [[0xe2, 0x82], '\udce2\udc82'], // a sequence cut short
      [[0xf0, 0x9f, 0x92, 0x80, 0x80], '\u{1f480}\udc80'], // a valid 4-byte character, then a stray continuation byte
    ];
    for (const [bytes, expected] of cases) assert.equal(decodePathBytes(Buffer.from(bytes)), expected, bytes.join(' '));
  });

  it('treat the low half of a surrogate pair as an ordinary character, never as an escaped byte', () => {
    const skull = '\u{1f480}'; // D83D DC80: its low half lies in the escape range
    assert.equal(hasEscapedBytes(skull), false);
    assert.deepEqual([...encodePath(`a${skull}b`)], [...Buffer.from(`a${skull}b`)]);
    assert.equal(toFsPath(`/tmp/${skull}`), `/tmp/${skull}`);
    assert.deepEqual(toFsPath('/tmp/\udc80'), Buffer.from([...Buffer.from('/tmp/'), 0x80]));
  });
});
