// The CLI as users run it: the bundled dist/cli.js in a child process, on real git repositories.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
      `web/min.js:1:${minColumn}-1:${minColumn + keys[4].length}:hardcoded-key:error`,
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

  it('never prints a key that is part of a path, in any format, in skipped lines or in errors (red team F4)', () => {
    const inName = fakeKey(26);
    tree.write(`creds/${inName}.py`, `x = "${keys[0]}"\n`);
    for (const format of ['text', 'json', 'sarif']) {
      const { stdout, stderr } = run(tree.root, 'scan', '--format', format);
      assert.match(stdout, /creds\//, `${format} reports the file`);
      assert.ok(!(stdout + stderr).includes(inName.slice(20, 40)), `${format} shows the key in the path as a hint only`);
    }
    const missing = run(tree.root, 'scan', `nonexistent-${inName}`);
    assert.equal(missing.code, 2);
    assert.ok(!missing.stderr.includes(inName.slice(20, 40)), missing.stderr);
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
    // The whole region, in UTF-16 units after a BOM, a CRLF line and characters outside the BMP (issue 12: only
    // startLine was asserted, and a startColumn off by one survived).
    const keyColumn = 'const greeting = "😀é"; const key = "'.length + 1;
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 2, startColumn: keyColumn, endLine: 2, endColumn: keyColumn + keys[0].length });
    assert.equal(first.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
    assert.deepEqual(sarifRun.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it('writes SARIF locations relative to the repository top, percent-encoded, wherever it runs from (issue 12 #20)', () => {
    tree.write('src/a#b?.js', `const k = "${keys[0]}";\n`);
    const fromSubfolder = run(join(tree.root, 'src'), 'scan', '--format', 'sarif', '.');
    const [sarifRun] = JSON.parse(fromSubfolder.stdout).runs;
    const uris = sarifRun.results.map((result: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }) => result.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(uris, [
      { uri: 'src/a%23b%3F.js', uriBaseId: '%SRCROOT%' },
      { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
    ]);
    assert.deepEqual(sarifRun.originalUriBaseIds, { '%SRCROOT%': { uri: `file://${tree.root}/` } });
  });

  it('prints its version', () => {
    const { code, stdout } = run(tree.root, '--version');
    assert.equal(code, 0);
    assert.match(stdout, /^anthropic-key-hygiene \d+\.\d+\.\d+\n$/);
    assert.equal(run(tree.root, '-v').stdout, stdout);
  });

  it('honours --no-low-confidence and --exclude on a plain scan, not only on a staged one (issue 12)', () => {
    const paths = (...args: string[]) => (JSON.parse(run(tree.root, 'scan', '--format', 'json', ...args).stdout).findings as JsonFinding[]).map((f) => `${f.path}:${f.severity}`);
    assert.deepEqual(paths(), ['.env.local:warning', '.env.local:error', 'scripts/admin.py:error', 'src/app.ts:error', 'web/min.js:error']);
    // The OAuth token in web/min.js is a low-confidence finding: gone with the flag.
    assert.deepEqual(paths('--no-low-confidence'), ['.env.local:warning', '.env.local:error', 'scripts/admin.py:error', 'src/app.ts:error']);
    assert.deepEqual(paths('--exclude', 'scripts/**', '--exclude', '*.local'), ['src/app.ts:error', 'web/min.js:error']);
  });

  it('escapes control characters in printed paths, so a file name cannot fake a line of output (issue 12 #17)', () => {
    tree.write('evil\rNo Anthropic key hygiene problems in 1 file.\n\x1b[2K.js', `const k = "${keys[0]}";\n`);
    const { code, stdout } = run(tree.root, 'scan', '--format', 'text', '.');
    assert.equal(code, 1);
    assert.ok(stdout.includes('"evil\\rNo Anthropic key hygiene problems in 1 file.\\n\\x1b[2K.js":1:12  error  '), stdout);
    assert.ok(!/[\r\x1b]/.test(stdout), 'no carriage return or escape byte reaches the terminal');
    assert.equal(stdout.split('\n').filter((line) => line.startsWith('No Anthropic')).length, 0);
  });

  it('reports a folder it cannot list (a path too long) and exits 2, after printing what it found (issue 12 #9)', () => {
    const plain = tempTree({ gitInit: false });
    try {
      plain.write('ok.ts', `const k = "${keys[0]}";\n`);
      // Deeper than PATH_MAX (4096 bytes on Linux): made one folder at a time, relative to the last.
      const segment = 'd'.repeat(250);
      const makeDeep = `for (let i = 0; i < 18; i++) { fs.mkdirSync(${JSON.stringify(segment)}); process.chdir(${JSON.stringify(segment)}); }`;
      execFileSync(process.execPath, ['-e', `const fs = require('node:fs'); ${makeDeep}`], { cwd: plain.root });
      for (const format of ['text', 'json']) {
        const { code, stdout, stderr } = run(plain.root, 'scan', '--format', format, '.');
        assert.equal(code, 2, format);
        if (format === 'text') {
          assert.match(stdout, /^ok\.ts:1:12 {2}error {2}Hardcoded/m);
          assert.match(stdout, /^d{250}\/.*\/d{250} {2}error: could not list folder: path too long$/m);
          assert.match(stdout, /The scan is incomplete: 1 path could not be scanned/);
        } else {
          const report = JSON.parse(stdout);
          assert.equal(report.summary.complete, false);
          assert.equal(report.problems.length, 1);
          assert.match(report.problems[0].message, /path too long/);
          assert.match(stderr, /^anthropic-key-hygiene: d{250}.*: could not list folder: path too long\n$/);
        }
      }
    } finally {
      // rm descends folder by folder; Node's rmSync fails on a path longer than PATH_MAX.
      execFileSync('rm', ['-rf', plain.root]);
    }
  });

  it('keeps memory bounded on a file of nothing but keys: lists the first thousand and counts the rest (issue 12 #19)', () => {
    const line = `${keys[0]}\n`;
    const count = 200_000; // 21 MB
    tree.write('keys.txt', line.repeat(count));
    const { code, stdout } = run(tree.root, 'scan', '--format', 'json', 'keys.txt');
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.findings.length, 1000);
    assert.deepEqual(report.truncated, [{ path: 'keys.txt', omitted: count - 1000 }]);
    assert.deepEqual(report.findings.at(-1), { ...report.findings.at(-1), line: 1000, column: 1 });
    const text = run(tree.root, 'scan', 'keys.txt').stdout;
    assert.ok(text.endsWith('keys.txt  199,000 more findings not listed\n200,000 problems in 1 file (1 file scanned).\n'), text.slice(-300));
  });

  it('reads like a linter in text mode', () => {
    const { code, stdout } = run(tree.root, 'scan', 'src');
    assert.equal(code, 1);
    assert.match(stdout, /^src\/app\.ts:2:\d+ {2}error {2}Hardcoded Anthropic API key sk-ant-api03-\S+…\S+\./m);
    assert.match(stdout, /^1 problem in 1 file \(1 file scanned\)\.$/m);
  });

  it('exits 0 and says so when the tree is clean, placeholders and ignored files included', () => {
    const { code, stdout } = run(tree.root, 'scan', 'docs', '.env');
    assert.equal(code, 0);
    // .env is named on the command line but ignored: not read, and the summary says why.
    assert.equal(stdout, '.env  not scanned: git ignores it\nNo Anthropic key hygiene problems in 1 file; 1 skipped (1 git-ignored).\n');
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

  it('scans binary files too, and names a file it did not read, saying the scan is incomplete and exiting 2 (issue 12 #9)', () => {
    tree.write('assets/logo.bin', Buffer.from([0x89, 0x50, 0x00, 0x01]));
    const clean = run(tree.root, 'scan', 'assets');
    assert.deepEqual([clean.code, clean.stdout], [0, 'No Anthropic key hygiene problems in 1 file.\n']);
    tree.write('assets/large.txt', 'x'.repeat(2000));
    const limited = run(tree.root, 'scan', 'assets', '--max-file-size', '0.001');
    assert.equal(limited.code, 2);
    assert.equal(
      limited.stdout,
      'assets/large.txt  not scanned: larger than the 1048 bytes limit\n' +
        'No Anthropic key hygiene problems in the 1 file scanned; 1 skipped (1 too large). The scan is incomplete: 1 path could not be scanned (listed above).\n',
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
