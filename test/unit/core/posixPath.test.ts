// POSIX path arithmetic for the web build's paths (URI paths), against Node's own path.posix on the same inputs.
import * as assert from 'node:assert/strict';
import { posix } from 'node:path';
import { basename, dirname, inside, join, normalize } from '../../../src/core/posixPath';

const samples = ['/a/b/c', '/a/b/c/', '/', 'a', 'a/b', '/a/./b/../c', '//a//b', '/a/b/../../..', '.env', '/w/.env.local', '../x', 'a/../..'];

describe('posixPath', () => {
  it('joins, normalises, and takes dirname and basename exactly as path.posix does', () => {
    for (const sample of samples) {
      assert.equal(normalize(sample), posix.normalize(sample).replace(/\/$/, '') || (sample.startsWith('/') ? '/' : '.'), `normalize ${sample}`);
      assert.equal(dirname(sample), posix.dirname(sample), `dirname ${sample}`);
      assert.equal(basename(sample), posix.basename(sample), `basename ${sample}`);
      assert.equal(join('/root', sample), posix.join('/root', sample).replace(/(.)\/$/, '$1'), `join /root ${sample}`);
    }
  });

  it('says whether a path is inside a folder, and where, without being fooled by a shared prefix or ..', () => {
    assert.equal(inside('/w', '/w/a/.env'), 'a/.env');
    assert.equal(inside('/w', '/w'), '');
    assert.equal(inside('/w/', '/w/x'), 'x');
    assert.equal(inside('/w', '/wx/.env'), undefined);
    assert.equal(inside('/w', '/w/../x/.env'), undefined);
    assert.equal(inside('/w', '/elsewhere'), undefined);
  });
});
