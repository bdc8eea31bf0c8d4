// envTarget.ts: the one rule for where a key goes.
import * as assert from 'node:assert/strict';
import { envFileFor } from '../../../../src/core/fixes/envTarget';

describe('envFileFor', () => {
  const has = (files: string[]) => (path: string) => files.includes(path);

  it('puts a key in the .env of the nearest package between the file and the root', () => {
    const files = ['/repo/package.json', '/repo/services/api/pyproject.toml'];
    assert.equal(envFileFor('/repo/services/api/app/main.py', '/repo', has(files)), '/repo/services/api/.env');
    assert.equal(envFileFor('/repo/web/src/client.ts', '/repo', has(files)), '/repo/.env');
  });

  it('uses the root when no package lies between, and never climbs above it', () => {
    assert.equal(envFileFor('/repo/scripts/run.sh', '/repo', has(['/package.json'])), '/repo/.env');
  });

  it('gives a file outside the root the nearest package above it, else its own folder', () => {
    assert.equal(envFileFor('/other/tool/bin/x.js', '/repo', has(['/other/tool/package.json'])), '/other/tool/.env');
    assert.equal(envFileFor('/loose/x.js', '/repo', has([])), '/loose/.env');
  });
});
