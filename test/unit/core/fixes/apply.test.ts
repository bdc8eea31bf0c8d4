// apply.ts: the env file as a destination, on real files and real git, and the read-back that stands between a
// fix and a lost key.
import * as assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StoreRefusedError, openEnvDestination, readBackProblem, withDestinationLock } from '../../../../src/core/fixes/apply';
import { createGitRunner } from '../../../../src/core/git';
import { fakeKey } from '../../../support/fakeKeys';
import { tempTree, type TempTree } from '../../../support/tempRepo';

const [key, other] = [fakeKey(8201), fakeKey(8202)];

describe('readBackProblem, the check before any source changes', () => {
  it('passes only when every name holds exactly the value written', () => {
    assert.equal(readBackProblem(`ANTHROPIC_API_KEY=${key}\n`, [{ name: 'ANTHROPIC_API_KEY', value: key }]), undefined);
    assert.match(readBackProblem('', [{ name: 'ANTHROPIC_API_KEY', value: key }]) ?? '', /ANTHROPIC_API_KEY did not read back/);
    // The name is there but holds something else (a later line wins in dotenv): that is not stored.
    assert.match(readBackProblem(`ANTHROPIC_API_KEY=${key}\nANTHROPIC_API_KEY=${other}\n`, [{ name: 'ANTHROPIC_API_KEY', value: key }]) ?? '', /did not read back/);
    assert.match(readBackProblem(undefined, [{ name: 'ANTHROPIC_API_KEY', value: key }]) ?? '', /did not read back/, 'a file that vanished (a link to /dev/null reads empty)');
  });

  it('checks that a replaced value is kept under its new name', () => {
    const entry = { name: 'ANTHROPIC_API_KEY', value: key, replaces: { previousName: 'ANTHROPIC_API_KEY_PREVIOUS', previousValue: other } };
    assert.equal(readBackProblem(`ANTHROPIC_API_KEY_PREVIOUS=${other}\nANTHROPIC_API_KEY=${key}\n`, [entry]), undefined);
    assert.match(readBackProblem(`ANTHROPIC_API_KEY=${key}\n`, [entry]) ?? '', /ANTHROPIC_API_KEY_PREVIOUS did not read back/);
  });
});

describe('openEnvDestination', () => {
  let tree: TempTree;
  const git = createGitRunner();
  beforeEach(() => (tree = tempTree({ gitInit: true })));
  afterEach(() => tree.remove());

  it('stores after making git ignore the file, and reports what it stored as hints', async () => {
    const path = join(tree.root, '.env');
    const result = await withDestinationLock(path, tree.root, async () => {
      const destination = await openEnvDestination(path, { git, allowGit: true, root: tree.root });
      return destination.store([{ name: 'ANTHROPIC_API_KEY', value: key }]);
    });
    assert.equal(result.created, true);
    assert.equal(result.ignore?.status, 'added');
    assert.deepEqual(result.stored.map((entry) => entry.name), ['ANTHROPIC_API_KEY']);
    assert.ok(!JSON.stringify(result).includes(key), 'no key in the result');
    assert.equal(readFileSync(path, 'utf8'), `ANTHROPIC_API_KEY=${key}\n`);
  });

  it('refuses an env file that is a link to /dev/null, before anything is written', async () => {
    const path = join(tree.root, '.env');
    symlinkSync('/dev/null', path);
    await assert.rejects(openEnvDestination(path, { git, allowGit: true, root: tree.root }), (error) => error instanceof StoreRefusedError && error.reason === 'unsafe-path');
  });

  it('refuses to store when git may not say whether the file is tracked (an untrusted workspace)', async () => {
    const path = join(tree.root, '.env');
    const destination = await openEnvDestination(path, { git, allowGit: false, root: tree.root });
    await assert.rejects(destination.store([{ name: 'ANTHROPIC_API_KEY', value: key }]), (error) => error instanceof StoreRefusedError && error.reason === 'tracking-unknown');
  });

  it('refuses a file that changed since it was opened, writing nothing', async () => {
    const path = tree.write('.env', 'PORT=1\n');
    tree.write('.gitignore', '.env\n');
    const destination = await openEnvDestination(path, { git, allowGit: true, root: tree.root });
    tree.write('.env', 'PORT=2\n');
    await assert.rejects(destination.store([{ name: 'ANTHROPIC_API_KEY', value: key }]), (error) => error instanceof StoreRefusedError && error.reason === 'changed-on-disk');
    assert.equal(readFileSync(path, 'utf8'), 'PORT=2\n');
  });
});
