// --verify's core (src/core/baselineVerify.ts): the key is read again and taken only if its digest is the finding's;
// the API's answer decides live, revoked or unknown; each key is checked once. The check itself is injected here (the
// CLI tests run it against the local fake API).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAcceptedKeys, readAcceptedKey } from '../../../src/core/baselineVerify';
import type { FileFinding } from '../../../src/core/findings';
import { keyDigest } from '../../../src/core/keyDigest';
import { findTextFindings } from '../../../src/core/textFindings';
import type { VerifyResult, VerifyStatus } from '../../../src/core/verify';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

describe('baselineVerify', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree({ gitInit: false });
  });
  afterEach(() => tree.remove());

  function findingIn(relativePath: string, text: string): FileFinding {
    const file = tree.write(relativePath, text);
    const [finding] = findTextFindings(text);
    return { ...finding, file, line: 1, column: 1, endLine: 1, endColumn: 2 };
  }

  it('reads back exactly the accepted key, from UTF-8 or UTF-16 text, and nothing once the file changed', async () => {
    const key = fakeKey(1841);
    const finding = findingIn('a.ts', `const k = "${key}";\n`);
    assert.deepEqual(await readAcceptedKey(finding.file, keyDigest(key)), { key });
    writeFileSync(join(tree.root, 'u.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`key=${key}\n`, 'utf16le')]));
    assert.deepEqual(await readAcceptedKey(join(tree.root, 'u.txt'), keyDigest(key)), { key });
    writeFileSync(finding.file, `const k = "${fakeKey(1842)}";\n`);
    assert.deepEqual(await readAcceptedKey(finding.file, keyDigest(key)), { error: 'the file no longer holds that key (it changed after the scan)' });
    assert.deepEqual(await readAcceptedKey(join(tree.root, 'gone.ts'), keyDigest(key)), { error: 'the file is not in the working tree' });
  });

  it('calls a key live when the API recognised it, revoked on 401, unknown otherwise; checks each key once', async () => {
    const answers: Record<string, VerifyStatus> = {};
    const sent: string[] = [];
    const verify = async (key: string): Promise<VerifyResult> => {
      sent.push(key);
      return { status: answers[key], message: `answer ${answers[key]}`, host: 'test' };
    };
    const statuses: VerifyStatus[] = ['valid', 'billing', 'no-permission', 'invalid', 'rate-limited', 'unreachable', 'server-error'];
    const findings = statuses.map((status, i) => {
      const key = fakeKey(1850 + i, i % 2 ? 'admin' : 'api');
      answers[key] = status;
      return findingIn(`k${i}.ts`, `x = "${key}"\n`);
    });
    const twice = findingIn('copy.ts', `y = "${fakeKey(1850)}"\n`);
    const token = findingIn('t.sh', `T=${fakeKey(1860, 'oat')}\n`);
    const checks = await checkAcceptedKeys([...findings, twice, token], { verify });
    assert.deepEqual(
      checks.map((check) => check.state),
      ['live', 'live', 'live', 'revoked', 'unknown', 'unknown', 'unknown', 'live', 'not-checkable'],
    );
    assert.equal(sent.length, statuses.length, 'the copy of the first key was not sent again, the token not at all');
    for (const check of checks) for (const key of Object.keys(answers)) assert.ok(!check.message.includes(key), 'no key in a message');
  });
});
