import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { findBase64Credentials, findBase64CredentialsInBuffer } from '../../../src/core/base64Keys';
import { findCredentials, findCredentialsInBuffer } from '../../../src/core/credentials';
import { KEY_FORMS_CHUNK_LENGTH, findKeyForms, findKeyFormsInBuffer } from '../../../src/core/keyForms';
import { ANTHROPIC_PREFIX, KEY_ALPHABET, fakeKey, randomBody, seededRandom } from '../../support/fakeKeys';

/** What the two searches give one after the other: the answer the chunked walk must give, chunks or not. */
function separately(text: string) {
  return [...findCredentials(text), ...findBase64Credentials(text)];
}

function separatelyInBuffer(buf: Buffer) {
  return [...findCredentialsInBuffer(buf), ...findBase64CredentialsInBuffer(buf)];
}

/** Every form a key takes in the scanned text (issue 13), built at run time from a fake key. */
function keyForms(seed: number): string[] {
  const key = fakeKey(seed, seed % 3 === 0 ? 'admin' : 'api');
  const body = key.slice(ANTHROPIC_PREFIX.length);
  return [
    key,
    `"${key}"`,
    `\\n${key}\\n`,
    `Bearer%20${key}%22`,
    `\x1b[32m${key}\x1b[0m`,
    `"${key.slice(0, 40)}" + "${key.slice(40)}"`,
    `${key.slice(0, 60)}\n${key.slice(60)}\n`,
    Buffer.from(key).toString('base64'),
    Buffer.from(`u:${key}`).toString('base64'),
    Buffer.from(`ab:${key}`).toString('base64url'),
    // Wrapped at 76 columns, as `base64` writes it.
    (Buffer.from(`x${key}`).toString('base64').match(/.{1,76}/g) ?? []).join('\n'),
    // Near misses: inside a longer token, a truncated key.
    `x${key}`,
    `${ANTHROPIC_PREFIX}api03-${body.slice(0, 50)}`,
  ];
}

describe('keyForms', () => {
  it('finds what the two searches find one after the other, with keys in every form across chunk edges (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 0, max: 1_000_000 }), fc.nat(12)), { maxLength: 8 }),
        fc.integer({ min: 1, max: 400 }),
        (pieces, chunkLength) => {
          const text = pieces.map(([filler, seed, form]) => filler + keyForms(seed)[form]).join(' ');
          assert.deepEqual(findKeyForms(text, undefined, chunkLength), separately(text));
          const bytes = Buffer.from(text);
          assert.deepEqual(findKeyFormsInBuffer(bytes, undefined, chunkLength), separatelyInBuffer(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds a key whose needle is cut by a chunk edge at every character, written out and in base64', () => {
    for (const form of [fakeKey(7), Buffer.from(fakeKey(8)).toString('base64'), Buffer.from(`:${fakeKey(9)}`).toString('base64'), Buffer.from(`u:${fakeKey(10)}`).toString('base64')]) {
      const text = `const value = "${form}";\n`;
      const expected = separately(text);
      assert.equal(expected.length, 1);
      // Chunk edges at every character of the form's first 20, by moving the edge rather than the key.
      const at = text.indexOf(form);
      for (let edge = at; edge <= at + 20; edge++) {
        assert.deepEqual(findKeyForms(text, undefined, edge), expected, `edge at ${edge}`);
        assert.deepEqual(findKeyFormsInBuffer(Buffer.from(text), undefined, edge), separatelyInBuffer(Buffer.from(text)), `edge at ${edge} (bytes)`);
      }
    }
  });

  it('gives the same findings in large texts, where the default chunks cut it, as the two searches', () => {
    const random = seededRandom(13);
    const lines: string[] = [];
    for (let i = 0, length = 0; length < 3 * KEY_FORMS_CHUNK_LENGTH; i++) {
      lines.push(i % 500 === 250 ? keyForms(i)[i % 13] : `const line${i} = ${JSON.stringify(randomBody(random, 60))};`);
      length += lines[i].length + 1;
    }
    const text = lines.join('\n');
    const expected = separately(text);
    assert.ok(expected.length > 5, `${expected.length} keys`);
    assert.deepEqual(findKeyForms(text), expected);
    // A two-byte string (one non-ASCII character) is cut into chunks of the same number of characters.
    const twoByte = '\u2192' + text.slice(1);
    assert.deepEqual(findKeyForms(twoByte), separately(twoByte));
    assert.deepEqual(findKeyFormsInBuffer(Buffer.from(text)), separatelyInBuffer(Buffer.from(text)));
  });

  it('takes the search for -ant- in large bytes where - is rarer than k, across chunk edges too', () => {
    // A minified-bundle-like text: no dashes but those of the keys, many k's.
    const random = seededRandom(14);
    const filler = () => randomBody(random, 400).replace(/[-_]/g, 'k');
    const parts: string[] = [];
    // Over a MB (the size from which the needle is chosen), with a key every ~280 KB.
    for (let i = 0; i < 4000; i++) parts.push(filler() + (i % 700 === 0 ? `;x="${fakeKey(i)}";` : ';'));
    const text = parts.join('');
    const bytes = Buffer.from(text);
    const planted = [0, 700, 1400, 2100, 2800, 3500].map((seed) => text.indexOf(fakeKey(seed)));
    const expected = separatelyInBuffer(bytes);
    assert.deepEqual(
      expected.map((match) => match.start),
      planted,
    );
    assert.deepEqual(findKeyFormsInBuffer(bytes), expected);
    // Chunk edges through the first key's needle, at every byte.
    for (const chunkLength of [4099, ...Array.from({ length: 8 }, (_, i) => planted[1] - 2 + i)]) {
      assert.deepEqual(findKeyFormsInBuffer(bytes, undefined, chunkLength), expected, `chunks of ${chunkLength}`);
    }
  });

  it('walks megabytes of dense needles in small chunks in linear time', () => {
    const inputs = [`${ANTHROPIC_PREFIX}api03-`.repeat(300_000), `\\n${ANTHROPIC_PREFIX}api03- `.repeat(200_000), 'c2stYW50LNrLWFudCzay1hbnQt'.repeat(150_000), KEY_ALPHABET.repeat(60_000)];
    for (const text of inputs) {
      const timed = (chunkLength: number) => {
        const started = process.hrtime.bigint();
        findKeyForms(text, undefined, chunkLength);
        findKeyFormsInBuffer(Buffer.from(text), undefined, chunkLength);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      timed(KEY_FORMS_CHUNK_LENGTH);
      const whole = Math.max(5, timed(KEY_FORMS_CHUNK_LENGTH));
      // Chunks of 4 KB: a thousand times more chunks, each a few calls more, and no search runs past its chunk.
      const small = timed(4096);
      assert.ok(small < 4 * whole + 50, `${text.slice(0, 12)}…: ${small.toFixed(1)} ms in 4 KB chunks, ${whole.toFixed(1)} ms whole`);
    }
  });
});
