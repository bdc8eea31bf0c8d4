// Where a key goes, asked through a platform (the web build's way): the same answers as envTarget.ts gives on disk.
import * as assert from 'node:assert/strict';
import { envFileOn, envFolderCandidates } from '../../../../src/core/fixes/envFolders';
import { envFileFor } from '../../../../src/core/fixes/envTarget';
import * as posix from '../../../../src/core/posixPath';
import { memoryFixPlatform } from '../../../support/memoryFixPlatform';

describe('envFolders', () => {
  const root = '/repo';
  const layouts: Array<{ title: string; manifests: string[]; source: string; expected: string }> = [
    { title: 'the nearest package of a monorepo', manifests: ['/repo/package.json', '/repo/packages/api/package.json'], source: '/repo/packages/api/src/client.ts', expected: '/repo/packages/api/.env' },
    { title: 'the root when no folder on the way has a manifest', manifests: [], source: '/repo/src/deep/a.py', expected: '/repo/.env' },
    { title: 'a Python package by its pyproject.toml', manifests: ['/repo/svc/pyproject.toml'], source: '/repo/svc/app/main.py', expected: '/repo/svc/.env' },
    { title: 'a file outside the root: its nearest package above it', manifests: ['/other/package.json'], source: '/other/src/x.js', expected: '/other/.env' },
    { title: 'a file outside the root without one: its own folder', manifests: [], source: '/other/src/x.js', expected: '/other/src/.env' },
  ];
  for (const { title, manifests, source, expected } of layouts) {
    it(`puts the key in ${title}, as the disk-bound rule does`, async () => {
      const platform = memoryFixPlatform({ root });
      for (const manifest of manifests) platform.write(manifest, '{}');
      assert.equal(await envFileOn(platform, source, root), expected);
      assert.equal(envFileFor(source, root, (path) => manifests.includes(path)), expected);
    });
  }

  it('lists the folders to look in, nearest first, stopping at the root', () => {
    assert.deepEqual(envFolderCandidates('/repo/a/b/c.ts', '/repo', { join: posix.join, dirname: posix.dirname, basename: posix.basename, inside: posix.inside }), {
      candidates: ['/repo/a/b', '/repo/a', '/repo'],
      fallback: '/repo',
    });
  });
});
