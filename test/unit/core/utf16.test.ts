// UTF-16 keys: text files saved as UTF-16 (with or without a byte order mark) and UTF-16 strings inside binary data.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeUtf16, detectUtf16, findUtf16KeysInBinary, utf16Positions } from '../../../src/core/utf16';
import { findTextFindings } from '../../../src/core/textFindings';
import { fakeKey } from '../../support/fakeKeys';

const options = { includeLowConfidence: true };

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  bytes.swap16();
  return bytes;
}

describe('detectUtf16', () => {
  it('knows UTF-16 by its byte order mark, or as VS Code guesses it from zero bytes in the first 512', () => {
    assert.deepEqual(detectUtf16(Buffer.from([0xff, 0xfe, 0x61, 0])), { order: 'utf16le', textStart: 2 });
    assert.deepEqual(detectUtf16(Buffer.from([0xfe, 0xff, 0, 0x61])), { order: 'utf16be', textStart: 2 });
    assert.deepEqual(detectUtf16(Buffer.from('hello\n', 'utf16le')), { order: 'utf16le', textStart: 0 });
    assert.deepEqual(detectUtf16(utf16be('hello\n')), { order: 'utf16be', textStart: 0 });
  });

  it('calls text without zero bytes, and binary with them anywhere else, not UTF-16', () => {
    assert.equal(detectUtf16(Buffer.from('plain text')), undefined);
    assert.equal(detectUtf16(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])), undefined);
    assert.equal(detectUtf16(Buffer.from('// one \0 NUL in a comment\n')), undefined);
    assert.equal(detectUtf16(Buffer.alloc(0)), undefined);
  });
});

describe('findUtf16KeysInBinary', () => {
  const key = fakeKey(901);

  it('finds a key stored as UTF-16 in either byte order at either alignment, at its byte offset, once', () => {
    for (const encode of [(text: string) => Buffer.from(text, 'utf16le'), utf16be]) {
      for (const padding of [0, 1, 2, 3]) {
        const bytes = Buffer.concat([Buffer.from([0, 1, 2, 3].slice(0, padding)), Buffer.from([0xde, 0xad, 0, 0]), encode(` ${key}"`), Buffer.from([0, 7, 0])]);
        const found = findUtf16KeysInBinary(bytes, options);
        assert.equal(found.length, 1, `padding ${padding}`);
        const start = found[0].start;
        assert.ok(Math.abs(start - (padding + 4 + 2)) <= 1, `starts at the key: ${start}`);
        assert.equal(found[0].end - start, 2 * key.length);
        assert.equal(found[0].credential?.kind, 'api-key');
      }
    }
  });

  it('finds keys far apart in a large buffer, reading only windows around them', () => {
    const chunk = Buffer.alloc(1 << 20, 0x41);
    chunk[10] = 0; // binary
    const keys = [fakeKey(902), fakeKey(903), fakeKey(904)];
    const bytes = Buffer.concat([chunk, Buffer.from(keys[0], 'utf16le'), chunk, Buffer.from(` ${keys[1]}`, 'utf16le'), Buffer.from(`;${keys[2]}`, 'utf16le'), chunk]);
    assert.deepEqual(findUtf16KeysInBinary(bytes, options).map((finding) => finding.credential?.hint.slice(-4)), keys.map((k) => k.slice(-4)));
  });

  it('agrees with decoding the whole buffer in both byte orders at both alignments, wherever keys and noise fall (window edges included)', () => {
    /** The reference: every reading of the whole buffer, decoded at once. */
    const wholeReadings = (bytes: Buffer) => {
      const readings: Array<{ start: number; end: number; high: boolean }> = [];
      for (const order of ['utf16le', 'utf16be'] as const) {
        for (const alignment of [0, 1]) {
          for (const finding of findTextFindings(decodeUtf16(bytes, order, alignment), options)) {
            if (finding.ruleId === 'hardcoded-key') readings.push({ start: alignment + 2 * finding.start, end: alignment + 2 * finding.end, high: finding.severity === 'error' });
          }
        }
      }
      // One key read in both orders lies one byte apart: keep the published reading, else the shorter.
      readings.sort((a, b) => a.start - b.start);
      const kept: typeof readings = [];
      for (const reading of readings) {
        const last = kept[kept.length - 1];
        if (!last || reading.start - last.start > 1) kept.push(reading);
        else if (reading.high !== last.high ? reading.high : reading.end - reading.start < last.end - last.start) kept[kept.length - 1] = reading;
      }
      return kept.map((reading) => [reading.start, reading.end]);
    };
    const pieces = fc.oneof(
      fc.integer({ min: 0, max: 20 }).map((seed) => ({ utf16: fakeKey(910 + seed) })),
      fc.integer({ min: 1, max: 200_000 }).map((length) => ({ noise: length })),
      fc.constantFrom({ utf16: ' ' }, { utf16: 'sk-ant-' }, { utf16: '\n' }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const buffers = parts.map((part) => ('noise' in part ? Buffer.alloc(part.noise, 0x2e) : Buffer.from(part.utf16, 'utf16le')));
        const bytes = Buffer.concat([Buffer.from([0, 0]), ...buffers]);
        assert.deepEqual(findUtf16KeysInBinary(bytes, options).map((finding) => [finding.start, finding.end]), wholeReadings(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it('stays linear on a buffer full of UTF-16 key prefixes', () => {
    const bytes = Buffer.from('sk-ant-api03-'.repeat(800_000), 'utf16le'); // 20 MB
    const started = Date.now();
    assert.deepEqual(findUtf16KeysInBinary(bytes, options), []);
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });
});

describe('utf16Positions', () => {
  it('counts lines and columns in UTF-16 units of the decoded text, after a byte order mark', () => {
    const text = 'one\r\ntwo\n😀 x';
    for (const [bytes, order] of [[Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf16le'], [Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), 'utf16be']] as const) {
      const x = 2 + 2 * text.indexOf('x');
      assert.deepEqual(utf16Positions(bytes, order, 2, [x, 2, 2 + 2 * text.indexOf('\n')]), [
        { line: 3, column: 4 },
        { line: 1, column: 1 },
        { line: 1, column: 5 },
      ]);
    }
  });
});
