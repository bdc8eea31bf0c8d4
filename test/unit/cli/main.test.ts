// The CLI as users run it: the bundled dist/cli.js in a child process, on real git repositories.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fakeKey } from '../../support/fakeKeys';
import { CLI_PATH as cli, runCli as run } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

interface JsonFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

describe('The CLI', () => {
  let tree: TempTree;
  const keys = [fakeKey(21), fakeKey(22, 'admin'), fakeKey(23), fakeKey(24), fakeKey(25, 'oat')];

  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is built (npm run build)');
  });

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', '.env\n');
    // A BOM, a CRLF line and non-BMP characters before the key: columns count UTF-16 units as VS Code does.
    tree.write('src/app.ts', `\uFEFFimport x from 'y';\r\nconst greeting = "😀é"; const key = "${keys[0]}";\r\n`);
    tree.write('scripts/admin.py', `import os\nADMIN = '${keys[1]}'\n`);
    tree.write('.env', `ANTHROPIC_API_KEY=${keys[2]}\n`);
    tree.write('.env.local', `ANTHROPIC_API_KEY=${keys[3]}\n`);
    tree.write('web/min.js', `${'var a=1;'.repeat(20000)}fetch(u,{headers:{"x-api-key":"${keys[4]}"}})`);
    tree.write('docs/setup.md', 'Put `ANTHROPIC_API_KEY=sk-ant-api03-your-key-here` in `.env`; a hint looks like sk-ant-api03-R2D...igAA.\n');
  });
  afterEach(() => tree.remove());

  it('prints one JSON document with every finding at its exact line and UTF-16 column, and exits 1', () => {
    const { code, stdout, stderr } = run(tree.root, 'scan', '--format', 'json');
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { version: number; findings: JsonFinding[]; summary: { findings: number } };
    assert.equal(report.version, 1);
    const located = report.findings.map((f) => `${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}:${f.ruleId}:${f.severity}`);
    const keyColumn = 'const greeting = "😀é"; const key = "'.length + 1;
    const minColumn = 'var a=1;'.repeat(20000).length + 'fetch(u,{headers:{"x-api-key":"'.length + 1;
    assert.deepEqual(located, [
      `.env.local:1:1-1:${'ANTHROPIC_API_KEY='.length + keys[3].length + 1}:unignored-env-file:warning`,
      `.env.local:1:19-1:${19 + keys[3].length}:hardcoded-key:error`,
      `scripts/admin.py:2:10-2:${10 + keys[1].length}:hardcoded-key:error`,
      `src/app.ts:2:${keyColumn}-2:${keyColumn + keys[0].length}:hardcoded-key:error`,
      `web/min.js:1:${minColumn}-1:${minColumn + keys[4].length}:hardcoded-key:warning`,
    ]);
    assert.equal(report.summary.findings, 5);
  });

  it('never prints a full key, in any format', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const { stdout, stderr } = run(tree.root, 'scan', '--format', format);
      for (const key of keys) {
        assert.ok(!stdout.includes(key) && !stderr.includes(key), `${format} output holds no full key`);
        // Not even most of one: at most a short head and tail survive.
        assert.ok(!stdout.includes(key.slice(20, 40)), `${format} output holds no key body`);
      }
    }
  });

  it('writes SARIF 2.1.0 with rules, levels and regions GitHub code scanning reads', () => {
    const { code, stdout } = run(tree.root, 'scan', '--format', 'sarif');
    assert.equal(code, 1);
    const log = JSON.parse(stdout);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.deepEqual(
      sarifRun.tool.driver.rules.map((rule: { id: string }) => rule.id),
      ['hardcoded-key', 'unignored-env-file', 'tracked-env-file', 'client-exposed-key'],
    );
    const first = sarifRun.results.find((result: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => result.locations[0].physicalLocation.artifactLocation.uri === 'src/app.ts');
    assert.equal(first.ruleId, 'hardcoded-key');
    assert.equal(first.level, 'error');
    assert.equal(first.locations[0].physicalLocation.region.startLine, 2);
    assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
  });

  it('reads like a linter in text mode', () => {
    const { code, stdout } = run(tree.root, 'scan', 'src');
    assert.equal(code, 1);
    assert.match(stdout, /^src\/app\.ts:2:\d+ {2}error {2}Hardcoded Anthropic API key sk-ant-api03-\S+…\S+\./m);
    assert.match(stdout, /1 problem\(s\) in 1 file\(s\)/);
  });

  it('exits 0 and says so when the tree is clean, placeholders and ignored files included', () => {
    const { code, stdout } = run(tree.root, 'scan', 'docs', '.env');
    assert.equal(code, 0);
    // .env is named on the command line but ignored: not read, and the summary says why.
    assert.match(stdout, /^\.env  not scanned: git ignores it\nNo Anthropic key hygiene problems in \d+ file\(s\); 1 skipped \(1 git-ignored\)\.\n$/);
  });

  it('scans ignored files too with --no-gitignore', () => {
    const { stdout } = run(tree.root, 'scan', '--no-gitignore', '--format', 'json', '.env');
    assert.deepEqual(JSON.parse(stdout).findings.map((f: JsonFinding) => `${f.path}:${f.ruleId}`), ['.env:hardcoded-key']);
  });

  it('exits 2 with one line on stderr for usage and I/O errors', () => {
    for (const args of [['scan', '--format', 'xml'], ['scan', '--bogus'], ['lint'], ['scan', join(tree.root, 'missing')]]) {
      const { code, stdout, stderr } = run(tree.root, ...args);
      assert.equal(code, 2, `${args.join(' ')} exits 2`);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, `${args.join(' ')} prints one line: ${stderr}`);
      assert.match(stderr, /^anthropic-key-hygiene: /);
    }
  });

  it('names a missing path as typed and an unknown option briefly', () => {
    assert.equal(run(tree.root, 'scan', 'src', 'no-such-dir').stderr, 'anthropic-key-hygiene: no-such-dir: no such file or folder\n');
    assert.equal(run(tree.root, 'scan', '--bogus').stderr, "anthropic-key-hygiene: unknown option '--bogus' (see --help)\n");
  });

  it('counts skipped files in the text summary, and names any it could not read', () => {
    tree.write('assets/logo.bin', Buffer.from([0x89, 0x50, 0x00, 0x01]));
    const { stdout } = run(tree.root, 'scan', 'assets');
    assert.equal(stdout, 'No Anthropic key hygiene problems in 0 file(s); 1 skipped (1 binary).\n');
    tree.write('assets/large.txt', 'x'.repeat(2000));
    const limited = run(tree.root, 'scan', 'assets', '--max-file-size', '0.001');
    assert.equal(
      limited.stdout,
      'assets/large.txt  not scanned: larger than the 1048 bytes limit\nNo Anthropic key hygiene problems in 0 file(s); 2 skipped (1 binary, 1 too large).\n',
    );
  });
});

describe('This project', () => {
  it('scans itself clean (the client-exposure rule fixtures carry the suppression marker)', () => {
    const root = resolve(__dirname, '../../../..');
    const all = run(root, 'scan', '--format', 'json');
    assert.deepEqual((JSON.parse(all.stdout) as { findings: JsonFinding[] }).findings, []);
    assert.equal(all.code, 0);
  });
});
