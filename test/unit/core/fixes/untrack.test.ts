// untrackFile (src/core/fixes/untrack.ts) on real repositories: the file leaves the index, stays on disk, and no
// program the repository configures runs on the way (issue 12 #6).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { untrackFile } from '../../../../src/core/fixes/untrack';
import { createGitRunner } from '../../../../src/core/git';
import { tempTree, type TempTree } from '../../../support/tempRepo';

describe('untrackFile', () => {
  let tree: TempTree;
  const git = createGitRunner();

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('deploy/.env', 'REGION=eu\n');
    tree.write('-odd name\n.env', 'X=1\n');
    tree.git('add', '-f', '--', 'deploy/.env', '-odd name\n.env');
    tree.git('commit', '-q', '-m', 'tracked env files');
  });
  afterEach(() => tree.remove());

  /** A clean filter that leaves a trace when git runs it: what a hostile repository would configure. */
  function armFilter(): string {
    const marker = join(tree.root, 'filter-ran');
    tree.git('config', 'filter.probe.clean', `touch '${marker}'; cat`);
    tree.write('.gitattributes', '*.env filter=probe\n');
    return marker;
  }

  it('removes the file from the index and leaves it on disk', async () => {
    await untrackFile(git, join(tree.root, 'deploy/.env'));
    assert.equal(tree.git('ls-files', 'deploy/.env'), '');
    assert.equal(readFileSync(join(tree.root, 'deploy/.env'), 'utf8'), 'REGION=eu\n');
  });

  it("runs none of the repository's filters, where git rm --cached runs its clean filter (issue 12 #6)", async () => {
    const marker = armFilter();
    await untrackFile(git, join(tree.root, 'deploy/.env'));
    assert.equal(tree.git('ls-files', 'deploy/.env'), '');
    assert.ok(!existsSync(marker), 'no filter ran');
    // The hazard this avoids, shown on the same repository: git rm --cached compares with the work tree, and runs
    // the clean filter to do it.
    tree.git('add', '-f', 'deploy/.env');
    tree.git('rm', '-q', '--cached', 'deploy/.env');
    assert.ok(existsSync(marker), 'git rm --cached ran the filter');
  });

  it('takes a name with a leading dash and a line break literally', async () => {
    await untrackFile(git, join(tree.root, '-odd name\n.env'));
    assert.equal(tree.git('ls-files', '-z').split('\0').filter(Boolean).join(','), 'deploy/.env');
  });
});
