// keyDigest (src/core/keyDigest.ts): a stable identity per key, distinct per key, and not a plain hash of it.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { keyDigest } from '../../../src/core/keyDigest';
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
});
