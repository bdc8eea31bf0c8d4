// keyDigest (src/core/keyDigest.ts): a stable identity per key, distinct per key, and not a plain hash of it.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { keyDigest, portableSha256Hex } from '../../../src/core/keyDigest';
import { fakeKey } from '../../support/fakeKeys';

describe('keyDigest', () => {
  it('is the same for the same key, differs between keys, and is not the key\'s plain SHA-256', () => {
    const key = fakeKey(1831);
    assert.equal(keyDigest(key), keyDigest(String(key)));
    assert.match(keyDigest(key), /^[0-9a-f]{64}$/);
    assert.notEqual(keyDigest(key), keyDigest(fakeKey(1832)));
    assert.notEqual(keyDigest(key), createHash('sha256').update(key).digest('hex'), 'domain-separated');
    assert.ok(!keyDigest(key).includes(key.slice(13, 20)));
  });

  it('is the same in the browser build (noble) as with Node\'s SHA-256, for keys and any text (property)', () => {
    const node = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    for (const text of [fakeKey(1836), '', 'é', '\uD800', '\u{1F511}'.repeat(40), 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64)]) assert.equal(portableSha256Hex(text), node(text));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '-', '\0', 'é', '\u2192', '\uD800', '\uDC00', '\u{1F511}'), maxLength: 200 }), (text) => {
        assert.equal(portableSha256Hex(text), node(text));
      }),
      { numRuns: 500 },
    );
  });

  it('is the SHA-256 of the tag and the key in UTF-8, whatever the characters (baselines store it: it must not change)', () => {
    const tagged = (text: string) => createHash('sha256').update(`anthropic-key-hygiene/key-digest/v1\0${text}`, 'utf8').digest('hex');
    for (const text of [fakeKey(1833), fakeKey(1834, 'admin'), '', 'é', `${fakeKey(1835)}\u2192`, '\u{1F511}x', '\x7f\x80']) {
      assert.equal(keyDigest(text), tagged(text), JSON.stringify(text.slice(-2)));
    }
  });
});
