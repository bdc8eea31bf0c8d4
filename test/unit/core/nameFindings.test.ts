// Keys in the names of files and folders (red team F3): found, masked in every word said about them, and left alone
// where there is none.
import * as assert from 'node:assert/strict';
import { keyHint } from '../../../src/core/hint';
import { keyDigest } from '../../../src/core/keyDigest';
import { FILE_NAME_MESSAGE_ID, findKeysInName } from '../../../src/core/nameFindings';
import { fakeKey } from '../../support/fakeKeys';

describe('findKeysInName (red team F3)', () => {
  const key = fakeKey(7301);
  const admin = fakeKey(7302, 'admin');

  it('finds a key in a file name and in a folder name, as an error on line 1 with nothing under it', () => {
    const [inFile] = findKeysInName(`cache/${key}.json`, '/repo/cache/x.json');
    assert.equal(inFile.ruleId, 'hardcoded-key');
    assert.equal(inFile.severity, 'error');
    assert.deepEqual([inFile.line, inFile.column, inFile.endLine, inFile.endColumn], [1, 1, 1, 1]);
    assert.equal(inFile.messageId, FILE_NAME_MESSAGE_ID);
    assert.deepEqual(inFile.credential, { kind: 'api-key', hint: keyHint(key), digest: keyDigest(key) });
    const [inFolder] = findKeysInName(`keys/${admin}/notes.txt`, '/repo/keys/x/notes.txt');
    assert.equal(inFolder.credential?.kind, 'admin-key');
  });

  it('never says the key: the message shows its hint and the name masked', () => {
    const [finding] = findKeysInName(`cache/${key}.json`, '/repo/cache/x.json');
    assert.ok(!finding.message.includes(key) && !JSON.stringify(finding.messageArgs).includes(key));
    assert.ok(finding.message.includes(`cache/${keyHint(key)}.json`), finding.message);
    assert.match(finding.message, /rename it without the key/);
  });

  it('finds nothing in ordinary names, a bare prefix or a placeholder', () => {
    for (const name of ['src/index.ts', 'docs/sk-ant-keys.md', 'sk-ant-api03-XXXX.txt', '.env', 'a/b/c/d/e/f.py']) {
      assert.deepEqual(findKeysInName(name, `/repo/${name}`), [], name);
    }
  });
});
