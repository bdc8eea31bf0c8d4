// `--format gitlab` (src/core/report/gitlab.ts) against GitLab's published secret-detection schema (a copy in
// test/fixtures/gitlab: npm has no package of it), on real output of the CLI; and what it must never hold.
import * as assert from 'node:assert/strict';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyHint } from '../../../../src/core/hint';
import { writeGitLab } from '../../../../src/core/report/gitlab';
import { ANTHROPIC_PREFIX, fakeKey, randomBody, seededRandom } from '../../../support/fakeKeys';
import { runCli } from '../../../support/runCli';
import { tempTree, type TempTree } from '../../../support/tempRepo';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '../../../../../test/fixtures/gitlab/secret-detection-report-format-15.0.7.json'), 'utf8'));

interface Vulnerability {
  severity: string;
  message: string;
  identifiers: Array<{ value: string }>;
  location: { file: string; commit?: { sha: string } };
}
interface GitLabReport {
  version: string;
  scan: { type: string; status: string; start_time: string; messages: unknown[] };
  vulnerabilities: Vulnerability[];
}

function validator() {
  // draft-07, as the schema declares; strict off because the schema uses `examples` and `self` keywords of its own.
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(SCHEMA);
}

describe('The GitLab secret-detection report', () => {
  let tree: TempTree;
  // An API key, an Admin key, an OAuth token, and a token of a kind nobody knows (the one kind that is a warning).
  const keys = [fakeKey(1881), fakeKey(1882, 'admin'), fakeKey(1883, 'oat'), `${ANTHROPIC_PREFIX}xyz01-${randomBody(seededRandom(1884), 100)}`];

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('src/odd name #1.ts', `export const k = '${keys[0]}';\n`);
    tree.write('ops/admin.py', `ADMIN = "${keys[1]}"\n`);
    tree.write('run.sh', `export CLAUDE_CODE_OAUTH_TOKEN=${keys[2]}\n`);
    tree.write('odd.txt', `token ${keys[3]}\n`);
    tree.write('.env.local', 'PORT=1\n');
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'init');
  });
  afterEach(() => tree.remove());

  it('validates against GitLab\'s schema 15.0.7 on real output, names the commit, and holds hints, never keys (issue 18)', () => {
    const { code, stdout, stderr } = runCli(tree.root, 'scan', '--format', 'gitlab');
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout) as GitLabReport;
    const validate = validator();
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.equal(report.version, '15.0.7');
    assert.equal(report.scan.type, 'secret_detection');
    assert.equal(report.scan.status, 'success');
    const head = tree.git('rev-parse', 'HEAD').trim();
    const byFile = Object.fromEntries(report.vulnerabilities.map((v) => [v.location.file, v]));
    assert.deepEqual(Object.keys(byFile).sort(), ['.env.local', 'odd.txt', 'ops/admin.py', 'run.sh', 'src/odd name #1.ts']);
    assert.equal(byFile['src/odd name #1.ts'].location.commit?.sha, head);
    assert.equal(byFile['src/odd name #1.ts'].severity, 'Critical');
    assert.equal(byFile['run.sh'].severity, 'Critical', 'an OAuth token works like a key');
    assert.equal(byFile['odd.txt'].severity, 'High', 'a token of an unknown kind (a warning) is one band lower');
    assert.equal(byFile['.env.local'].severity, 'High');
    assert.equal(byFile['ops/admin.py'].identifiers[0].value, 'hardcoded-key');
    assert.ok(byFile['ops/admin.py'].message.includes(keyHint(keys[1])));
    for (const key of keys) assert.ok(!stdout.includes(key.slice(15, 45)), 'no key body anywhere, raw_source_code_extract included');
    assert.ok(report.vulnerabilities.every((v) => !('raw_source_code_extract' in v)));
  });

  it('the schema rejects a report without the commit GitLab requires: the validation can fail this test', () => {
    const report = JSON.parse(runCli(tree.root, 'scan', '--format', 'gitlab').stdout) as GitLabReport;
    delete report.vulnerabilities[0].location.commit;
    assert.equal(validator()(report), false);
  });

  it('says what it could not scan and fails the scan status; an empty report is valid too', () => {
    const chunks: string[] = [];
    const input = {
      findings: [],
      filesScanned: 3,
      bytesScanned: 10,
      skipped: [{ file: '/r/pipe', reason: 'not a regular file (a FIFO)', failed: true }],
      problems: [{ path: '/r/vendor', message: 'git refuses to read the repository' }],
      displayPath: (file: string) => file.replace('/r/', ''),
      toolVersion: '1.0.0',
      sourceRoot: '/r',
    };
    writeGitLab(input, (chunk) => chunks.push(chunk), new Date('2026-12-07T10:11:12.345Z'));
    const report = JSON.parse(chunks.join('')) as GitLabReport;
    assert.ok(validator()(report));
    assert.equal(report.scan.status, 'failure');
    assert.equal(report.scan.start_time, '2026-12-07T10:11:12');
    assert.deepEqual(report.scan.messages, [
      { level: 'warn', value: 'vendor: git refuses to read the repository' },
      { level: 'warn', value: 'pipe: not scanned: not a regular file (a FIFO)' },
    ]);
    assert.deepEqual(report.vulnerabilities, []);
  });
});
