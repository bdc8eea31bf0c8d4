// ensureGitIgnores (src/core/fixes/ignoreFile.ts) on real repositories: git's verdict before and after, the exact
// pattern, the rollback.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactGitignorePattern } from '../../../../src/core/fixes/envFile';
import { ensureGitIgnores } from '../../../../src/core/fixes/ignoreFile';
import { createGitRunner } from '../../../../src/core/git';
import { tempTree, type TempTree } from '../../../support/tempRepo';

describe('ensureGitIgnores', () => {
  let tree: TempTree;
  const git = createGitRunner();
  const options = () => ({ git, allowGit: true, fallbackRoot: tree.root });
  beforeEach(() => (tree = tempTree({ gitInit: true })));
  afterEach(() => tree.remove());

  it('appends an exact pattern to the top .gitignore, keeping its bytes, and git then ignores the file', async () => {
    tree.write('.gitignore', 'dist/\r\nnode_modules/');
    const path = tree.write('config/.env', 'X=1\n');
    const outcome = await ensureGitIgnores(path, options());
    assert.equal(outcome.status, 'added');
    assert.equal(readFileSync(join(tree.root, '.gitignore'), 'utf8'), 'dist/\r\nnode_modules/\r\n/config/.env');
    assert.equal((await ensureGitIgnores(path, options())).status, 'already-ignored');
  });

  it('refuses a tracked file unless told that ignoring it is wanted anyway', async () => {
    const path = tree.write('.env', 'X=1\n');
    tree.git('add', '-f', '.env');
    assert.deepEqual(await ensureGitIgnores(path, options()), { status: 'refused', reason: 'tracked' });
    assert.equal((await ensureGitIgnores(path, { ...options(), allowTracked: true })).status, 'added');
  });

  it('refuses when git may not run, unless the .gitignore files alone may decide', async () => {
    const path = tree.write('.env', 'X=1\n');
    assert.deepEqual(await ensureGitIgnores(path, { ...options(), allowGit: false }), { status: 'refused', reason: 'tracking-unknown' });
    assert.equal((await ensureGitIgnores(path, { ...options(), allowGit: false, allowUnknownTracking: true })).status, 'added');
  });

  it('escapes every character gitignore reads as syntax, so the pattern names exactly one file (issue 12 #5)', () => {
    assert.equal(exactGitignorePattern('!.env'), '/\\!.env');
    assert.equal(exactGitignorePattern('#x/.env*[a]?'), '/\\#x/.env\\*\\[a]\\?');
    assert.equal(exactGitignorePattern('dir/.env  '), '/dir/.env\\ \\ ');
    assert.equal(exactGitignorePattern('a\nb.env'), undefined);
  });

  it('names a file whose name ends in spaces, which git would otherwise trim from the pattern', async () => {
    const path = tree.write('.env  ', 'X=1\n');
    assert.equal((await ensureGitIgnores(path, options())).status, 'added');
    assert.equal(tree.git('check-ignore', '--no-index', '.env  ').replace(/\n$/, ''), '.env  ');
  });
});
