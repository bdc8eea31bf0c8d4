import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { BASE64_PREFIX_NEEDLES, ENCODED_PREFIXES, decodeBase64, findBase64Credentials, findBase64CredentialsInBuffer } from '../../../src/core/base64Keys';
import type { CredentialMatch } from '../../../src/core/findings';
import { ANTHROPIC_PREFIX, fakeKey, randomBody, seededRandom } from '../../support/fakeKeys';

const key = fakeKey(41);
const admin = fakeKey(42, 'admin');

/** `data` base64-encoded, and the range of the characters that encode `data[from, to)` (RFC 4648: byte i starts in
 * character floor(4i/3); the last byte of a range ends in character ceil(4e/3) - 1). */
function encode(data: string, from: number, to: number): { text: string; start: number; end: number } {
  return { text: Buffer.from(data, 'latin1').toString('base64'), start: Math.floor((4 * from) / 3), end: Math.ceil((4 * to) / 3) };
}

/** The one finding expected for `secret` at [start, end) of the encoded text, as strings and as bytes report it. */
function expectOne(text: string, start: number, end: number, secret = key): void {
  const expected: CredentialMatch[] = [
    { start, end, kind: secret.startsWith(ANTHROPIC_PREFIX + 'admin') ? 'admin-key' : 'api-key', confidence: 'high', encoding: 'base64', key: secret },
  ];
  assert.deepEqual(findBase64Credentials(text), expected);
  assert.deepEqual(findBase64CredentialsInBuffer(Buffer.from(text, 'latin1')), expected);
}

describe('base64Keys', () => {
  it('derives the three encodings of sk-ant- from base64 itself', () => {
    assert.deepEqual(BASE64_PREFIX_NEEDLES, ['c2stYW50L', 'NrLWFudC', 'zay1hbnQt']);
    for (const prefix of ENCODED_PREFIXES) {
      // Whatever comes before the prefix in its group, these characters do not change.
      for (const filler of ['\0\0', 'ab', '\xff\xff']) {
        const encoded = Buffer.from(filler.slice(0, prefix.alignment) + ANTHROPIC_PREFIX + 'x', 'latin1').toString('base64');
        assert.equal(encoded.slice(prefix.offsetInGroup, prefix.offsetInGroup + prefix.fixed.length), prefix.fixed);
      }
    }
  });

  for (const before of ['', 'u:', 'ab:']) {
    it(`finds a key encoded with ${before.length} byte(s) before it in its group, at its exact characters`, () => {
      const data = before + key;
      const { text, start, end } = encode(data, before.length, data.length);
      const line = `value: ${text}\n`;
      expectOne(line, 7 + start, 7 + end);
    });
  }

  it('finds the data of a Kubernetes Secret', () => {
    const encoded = Buffer.from(key).toString('base64');
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: anthropic\ndata:\n  ANTHROPIC_API_KEY: ${encoded}\n`;
    const start = yaml.indexOf(encoded);
    expectOne(yaml, start, start + encoded.length);
  });

  it('finds a key in an HTTP Basic header (user:key), and an Admin key', () => {
    const credentials = Buffer.from(`admin:${admin}`).toString('base64');
    const header = `curl -H "Authorization: Basic ${credentials}" https://example.invalid`;
    const { start, end } = encode(`admin:${admin}`, 6, 6 + admin.length);
    const at = header.indexOf(credentials);
    expectOne(header, at + start, at + end, admin);
  });

  it('finds the output of echo | base64, wrapped at 76 columns, with its trailing newline', () => {
    const encoded = Buffer.from(`${key}\n`).toString('base64');
    const wrapped = encoded.slice(0, 76) + '\n' + encoded.slice(76);
    const text = `$ echo ${'$'}KEY | base64\n${wrapped}\n$ `;
    const start = text.indexOf(wrapped);
    // The key's last bytes are encoded on the second line, one character further on for the line break.
    expectOne(text, start, start + Math.ceil((4 * key.length) / 3) + 1);
  });

  it('finds a key in an indented block wrapped at 64 columns (PEM), and in the URL-safe alphabet', () => {
    const encoded = Buffer.from(`{"key":"${key}"}`).toString('base64url');
    const block = `data: |\n    ${encoded.slice(0, 64)}\n    ${encoded.slice(64)}\n`;
    const found = findBase64Credentials(block);
    assert.equal(found.length, 1);
    assert.equal(found[0].key, key);
    assert.equal(findBase64CredentialsInBuffer(Buffer.from(block)).length, 1);
  });

  it('finds two keys in one encoded blob, and counts byte offsets after multi-byte text', () => {
    const encoded = Buffer.from(JSON.stringify({ a: key, b: admin, pad: randomBody(seededRandom(3), 3000) })).toString('base64');
    assert.deepEqual(
      findBase64Credentials(encoded).map((match) => match.key),
      [key, admin],
    );
    const text = `é→ ${Buffer.from(key).toString('base64')}`;
    const [match] = findBase64CredentialsInBuffer(Buffer.from(text));
    assert.equal(match.start, Buffer.byteLength('é→ '));
  });

  it('leaves out the base64 of a key that is not one: a placeholder, a truncated key, a hint', () => {
    for (const notAKey of [`${ANTHROPIC_PREFIX}api03-${'x'.repeat(93)}AA`, key.slice(0, 80), `${ANTHROPIC_PREFIX}api03-R2D...igAA`, `${ANTHROPIC_PREFIX}api03-your-key-here`]) {
      const text = `data: ${Buffer.from(notAKey).toString('base64')}\n`;
      assert.deepEqual(findBase64Credentials(text), [], notAKey.slice(0, 20));
      assert.deepEqual(findBase64CredentialsInBuffer(Buffer.from(text)), []);
    }
  });

  it('does not glue the next line onto encoded text whose line is not a full wrap width', () => {
    const encoded = Buffer.from(key).toString('base64');
    // The next line starts with base64 characters; joined, the key would run on and change.
    const text = `${encoded}\nM/ more text\n`;
    const [match] = findBase64Credentials(text);
    assert.equal(match.key, key);
    assert.equal(match.end, Math.ceil((4 * key.length) / 3));
    // A line that is not base64 at all ends it too, whatever its width.
    const wrapped = encoded.slice(0, 76) + '\n' + encoded.slice(76);
    assert.equal(findBase64Credentials(`${wrapped.slice(0, 76)}\n# comment\n`).length, 0);
  });

  it('stays silent on base64 that merely holds a needle, and on a needle with nothing after it', () => {
    for (const text of ['c2stYW50LQ==', 'x NrLWFudC0= y', `${randomBody(seededRandom(4), 40)}zay1hbnQt${randomBody(seededRandom(5), 400)}`, 'W'.repeat(1000)]) {
      assert.deepEqual(findBase64Credentials(text), []);
      assert.deepEqual(findBase64CredentialsInBuffer(Buffer.from(text)), []);
    }
  });

  it('reports low-confidence tokens in base64 only when asked to', () => {
    const token = fakeKey(43, 'oat');
    const text = Buffer.from(token).toString('base64');
    assert.equal(findBase64Credentials(text).length, 1);
    assert.deepEqual(findBase64Credentials(text, { includeLowConfidence: false }), []);
  });

  it('decodes base64 the same in the browser build as with Node\'s decoder: both alphabets, every length (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/_-]{0,200}$/), (encoded) => {
        const chars = Buffer.from(encoded, 'latin1');
        assert.equal(decodeBase64(chars, false), decodeBase64(chars, true));
      }),
      { numRuns: 2000 },
    );
    const chars = Buffer.from(Buffer.from(fakeKey(9)).toString('base64url'), 'latin1');
    assert.equal(decodeBase64(chars, false), fakeKey(9));
  });

  it('scans megabytes of needles and of base64 alphabet in linear time', () => {
    const inputs = [
      'c2stYW50L'.repeat(1_000_000),
      'NrLWFudC '.repeat(1_000_000),
      ('zay1hbnQt' + randomBody(seededRandom(6), 200)).repeat(40_000),
      randomBody(seededRandom(7), 10_000_000),
      'W'.repeat(10_000_000),
    ];
    const started = Date.now();
    for (const text of inputs) {
      findBase64Credentials(text);
      findBase64CredentialsInBuffer(Buffer.from(text));
    }
    assert.ok(Date.now() - started < 8000, `${Date.now() - started} ms`);
  });

  it('finds a key encoded at any alignment in random surroundings at its exact characters; without it, nothing (property)', () => {
    const separators = [' ', '\n', '"', ':', '=', ',', '\t'];
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.constantFrom(...separators),
        fc.integer(),
        fc.constantFrom('api', 'admin', 'oat'),
        fc.string({ unit: 'binary-ascii', maxLength: 4 }).filter((before) => !/[A-Za-z0-9_-]$/.test(before)),
        fc.constantFrom(...separators),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        (head, open, seed, kind, before, close, tail) => {
          const secret = fakeKey(seed, kind as 'api' | 'admin' | 'oat');
          const { text: encoded, start, end } = encode(before + secret, before.length, before.length + secret.length);
          const text = head + open + encoded + close + tail;
          const at = head.length + open.length;
          const found = findBase64Credentials(text);
          assert.ok(found.some((match) => match.start === at + start && match.end === at + end && match.key === secret));
          const byteAt = Buffer.byteLength(head + open);
          assert.ok(findBase64CredentialsInBuffer(Buffer.from(text)).some((match) => match.start === byteAt + start && match.end === byteAt + end));
          assert.deepEqual(findBase64Credentials(head + open + close + tail), []);
        },
      ),
      { numRuns: 400 },
    );
  });
});
