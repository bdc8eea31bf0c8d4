// versionControlProvenance (src/core/report/provenance.ts): remote addresses as absolute URIs without credentials,
// read from a real repository; nothing at all when git cannot say.
import * as assert from 'node:assert/strict';
import { createGitRunner } from '../../../../src/core/git';
import { repositoryUriOf, sarifProvenance } from '../../../../src/core/report/provenance';
import { tempTree } from '../../../support/tempRepo';

describe('sarifProvenance', () => {
  it('turns remote addresses into URIs and drops any user name or token (a token in a remote must never reach a SARIF file)', () => {
    assert.equal(repositoryUriOf('https://x-access-token:ghs_secret@github.com/o/r.git'), 'https://github.com/o/r.git');
    assert.equal(repositoryUriOf('https://user@gitlab.example/g/r'), 'https://gitlab.example/g/r');
    assert.equal(repositoryUriOf('git@github.com:o/r.git'), 'ssh://github.com/o/r.git');
    assert.equal(repositoryUriOf('ssh://git@host:2222/o/r.git'), 'ssh://host:2222/o/r.git');
    assert.equal(repositoryUriOf('C:\\repos\\r'), undefined, 'a Windows path is no host');
    assert.equal(repositoryUriOf('/srv/git/r.git'), undefined);
    assert.equal(repositoryUriOf('ftp://host/r'), undefined, 'not a scheme git fetches over');
  });

  it('reads the remote, the commit and the branch of a real repository, and gives nothing without a remote', async () => {
    const tree = tempTree({ gitInit: true });
    try {
      const git = createGitRunner();
      tree.write('a.txt', 'a\n');
      tree.git('add', '-A');
      tree.git('commit', '-qm', 'a');
      assert.equal(await sarifProvenance(git, tree.root), undefined);
      tree.git('remote', 'add', 'origin', 'https://someone:pat@github.com/o/r.git');
      assert.deepEqual(await sarifProvenance(git, tree.root), { repositoryUri: 'https://github.com/o/r.git', revisionId: tree.git('rev-parse', 'HEAD').trim(), branch: 'main' });
      tree.git('checkout', '-q', '--detach');
      assert.equal((await sarifProvenance(git, tree.root))?.branch, undefined, 'a detached head has no branch');
    } finally {
      tree.remove();
    }
  });
});
