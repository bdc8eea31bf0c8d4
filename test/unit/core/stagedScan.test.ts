// `scan --staged`: what the next commit would hold, read from the index of real git repositories. The CLI
// runs as users run it (dist/cli.js in a child process); the parsers and the process count are checked
// on src/core directly.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGitRunner, type GitRunner } from '../../../src/core/git';
import { parseBatch, parseBatchCheck, parseRawDiff, scanStaged } from '../../../src/core/stagedScan';
import { fakeKey } from '../../support/fakeKeys';
import { lfsPointer } from '../../support/lfs';
import { CLI_PATH as cli, runCli as run } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';


interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

function scanJson(cwd: string, ...args: string[]): { code: number | null; findings: JsonFinding[]; stderr: string } {
  const { code, stdout, stderr } = run(cwd, 'scan', '--staged', '--format', 'json', ...args);
  return { code, stderr, findings: stdout ? (JSON.parse(stdout) as { findings: JsonFinding[] }).findings : [] };
}

const located = (findings: JsonFinding[]) => findings.map((f) => `${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}:${f.ruleId}`);

describe('A key in a staged path (red team F3)', () => {
  let tree: TempTree | undefined;
  afterEach(() => tree?.remove());

  it('refuses a staged file or folder named with a key, shown only as its hint', () => {
    tree = tempTree({ gitInit: true });
    const key = fakeKey(7311);
    tree.write(`creds/${key}.txt`, 'nothing here\n');
    tree.git('add', '-A');
    const { code, stdout } = run(tree.root, 'scan', '--staged');
    assert.equal(code, 1, stdout);
    assert.ok(!stdout.includes(key), 'the key is never printed');
    assert.match(stdout, /in the name of this file or of a folder above it/);
    const json = scanJson(tree.root);
    assert.deepEqual(json.findings.map((finding) => [finding.ruleId, finding.line, finding.column]), [['hardcoded-key', 1, 1]]);
  });
});

describe('The staged-content parsers', () => {
  const id = (digit: string) => digit.repeat(40);

  it('read raw diff entries, taking the new path of a rename or copy', () => {
    const raw = [
      `:000000 100644 ${id('0')} ${id('a')} A`,
      'src/new file.ts',
      `:100644 100755 ${id('1')} ${id('b')} M`,
      'bin/run',
      `:100644 100644 ${id('2')} ${id('c')} R087`,
      'old/name.ts',
      'new/name.ts',
      `:100644 100644 ${id('3')} ${id('d')} C100`,
      'a.txt',
      'copy of a.txt',
      `:000000 160000 ${id('0')} ${id('e')} A`,
      'vendor/lib',
      '',
    ].join('\0');
    assert.deepEqual(parseRawDiff(Buffer.from(raw)), [
      { path: 'src/new file.ts', mode: '100644', blob: id('a'), status: 'A' },
      { path: 'bin/run', mode: '100755', blob: id('b'), status: 'M' },
      { path: 'new/name.ts', mode: '100644', blob: id('c'), status: 'R' },
      { path: 'copy of a.txt', mode: '100644', blob: id('d'), status: 'C' },
      { path: 'vendor/lib', mode: '160000', blob: id('e'), status: 'A' },
    ]);
    assert.deepEqual(parseRawDiff(Buffer.alloc(0)), []);
  });

  it('read batch output whose contents hold newlines and header-like lines, and skip missing objects', () => {
    const first = Buffer.from('line one\nabc blob 3\n');
    const second = Buffer.from([0, 1, 2, 0x0a]);
    const output = Buffer.concat([
      Buffer.from(`${id('a')} blob ${first.length}\n`),
      first,
      Buffer.from('\n'),
      Buffer.from(`${id('f')} missing\n`),
      Buffer.from(`${id('b')} blob ${second.length}\n`),
      second,
      Buffer.from('\n'),
    ]);
    const blobs = parseBatch(output);
    assert.deepEqual([...blobs.keys()], [id('a'), id('b')]);
    assert.equal(blobs.get(id('a'))!.toString(), first.toString());
    assert.deepEqual([...blobs.get(id('b'))!], [...second]);
    assert.deepEqual([...parseBatchCheck(Buffer.from(`${id('a')} blob 12\n${id('f')} missing\n`))], [[id('a'), 12]]);
  });
});

describe('scan --staged', () => {
  let tree: TempTree;
  const key = fakeKey(71);
  const otherKey = fakeKey(72);

  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is built (node esbuild.mjs)');
  });
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
  });
  afterEach(() => tree.remove());

  it('finds a staged key that the working tree no longer has, at its position in the staged content', () => {
    tree.write('src/app.ts', `// config\n\nconst key = "${key}";\n`);
    tree.git('add', 'src/app.ts');
    // Edited after `git add`: the key is gone from disk and the lines moved, but the commit would still hold it.
    tree.write('src/app.ts', 'const key = process.env.ANTHROPIC_API_KEY;\n');
    const { code, findings, stderr } = scanJson(tree.root);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const column = 'const key = "'.length + 1;
    assert.deepEqual(located(findings), [`src/app.ts:3:${column}-3:${column + key.length}:hardcoded-key`]);
  });

  it('ignores a key that is only in the working tree: unstaged edits and untracked files', () => {
    tree.write('src/app.ts', 'const key = process.env.ANTHROPIC_API_KEY;\n');
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'clean');
    tree.write('src/app.ts', `const key = "${key}";\n`); // modified, not staged
    tree.write('src/new.ts', `const key = "${otherKey}";\n`); // untracked
    tree.write('README.md', 'A staged change with no key.\n');
    tree.git('add', 'README.md');
    const { code, stdout } = run(tree.root, 'scan', '--staged');
    assert.equal(code, 0);
    assert.equal(stdout, 'No Anthropic key hygiene problems in 1 file.\n');
    // The plain scan does see both: the difference is what --staged reads.
    assert.equal(run(tree.root, 'scan').code, 1);
  });

  it('scans the files a commit changes, not the ones it deletes or leaves alone', () => {
    tree.write('old.ts', `const key = "${key}";\n`);
    tree.write('same.ts', `const key = "${otherKey}";\n`);
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'history with keys');
    tree.git('rm', '-q', 'old.ts'); // removing a key is the fix
    tree.write('new.ts', 'export {};\n');
    tree.git('add', 'new.ts');
    assert.deepEqual(scanJson(tree.root), { code: 0, findings: [], stderr: '' });
    tree.git('mv', 'same.ts', 'renamed.ts'); // a rename commits the contents at a new path
    assert.deepEqual(located(scanJson(tree.root).findings).map((f) => f.split(':')[0]), ['renamed.ts']);
  });

  it('scans a file that replaced a symbolic link (a type change, git status T), as the pre-commit hook must (red team F1)', () => {
    tree.write('target', 'hi\n');
    symlinkSync('target', join(tree.root, 'config.js'));
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'a link');
    rmSync(join(tree.root, 'config.js'));
    tree.write('config.js', `const k = "${key}";\n`);
    tree.git('add', 'config.js');
    assert.match(tree.git('diff', '--cached', '--raw'), /\tT?\s*config\.js|T\tconfig\.js/);
    const result = scanJson(tree.root);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(located(result.findings).map((f) => f.split(':')[0]), ['config.js']);
  });

  it('works from a subfolder, printing paths relative to it, and limits the scan to paths given', () => {
    tree.write('pkg/src/app.ts', `const key = "${key}";\n`);
    tree.write('other/config.py', `KEY = "${otherKey}"\n`);
    tree.git('add', '.');
    const cwd = join(tree.root, 'pkg');
    assert.deepEqual(scanJson(cwd).findings.map((f) => f.path), ['../other/config.py', 'src/app.ts']);
    assert.deepEqual(scanJson(cwd, 'src').findings.map((f) => f.path), ['src/app.ts']);
    assert.deepEqual(scanJson(cwd, '..').findings.length, 2);
    assert.deepEqual(scanJson(cwd, '--exclude', 'other/**').findings.map((f) => f.path), ['src/app.ts'], '--exclude is relative to the top');
  });

  it('reports a staged .env file by its ignore state, with the unstaging fix, and skips templates', () => {
    tree.write('.gitignore', '.env.production\n');
    tree.write('.env', 'DEBUG=1\n'); // not ignored: the commit would add it
    tree.write('.env.production', 'DEBUG=0\n'); // ignored but force-added
    tree.write('.env.example', 'ANTHROPIC_API_KEY=\n'); // a template is meant to be committed
    tree.git('add', '.gitignore', '.env', '.env.example');
    tree.git('add', '-f', '.env.production');
    const { code, findings } = scanJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(located(findings), [
      `.env:1:1-1:${'DEBUG=1'.length + 1}:tracked-env-file`,
      `.env.production:1:1-1:${'DEBUG=0'.length + 1}:tracked-env-file`,
    ]);
    for (const finding of findings) assert.match(finding.message, /staged.*git rm --cached/);
    // Unstaging is the fix: the file stays on disk and the check passes.
    tree.git('rm', '-q', '--cached', '.env', '.env.production');
    assert.equal(scanJson(tree.root).code, 0);
  });

  it('never prints a full key, in any format', () => {
    tree.write('a.js', `const k = "${key}";\n`);
    tree.write('.env', `ANTHROPIC_API_KEY=${otherKey}\n`);
    tree.git('add', '.');
    for (const format of ['text', 'json', 'sarif']) {
      const { code, stdout, stderr } = run(tree.root, 'scan', '--staged', '--format', format);
      assert.equal(code, 1);
      for (const full of [key, otherKey]) assert.ok(!stdout.includes(full.slice(20, 40)) && !stderr.includes(full.slice(20, 40)), `${format} shows hints only`);
    }
  });

  it('skips submodules, reads symbolic links, and exits 2 with one line outside a repository or for a bad option', () => {
    tree.write('target.txt', 'plain\n');
    symlinkSync('target.txt', join(tree.root, 'link'));
    tree.git('add', '.');
    tree.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`); // a submodule's commit id
    assert.deepEqual(scanJson(tree.root), { code: 0, findings: [], stderr: '' });

    const outside = tempTree({ gitInit: false });
    try {
      for (const [cwd, args] of [
        [outside.root, ['scan', '--staged']],
        [tree.root, ['scan', '--staged', '--no-gitignore']],
        [tree.root, ['scan', '--staged', outside.root]],
        [tree.root, ['fix', '--staged']],
      ] as const) {
        const { code, stderr } = run(cwd, ...args);
        assert.equal(code, 2, args.join(' '));
        assert.equal(stderr.trim().split('\n').length, 1, `${args.join(' ')} prints one line: ${stderr}`);
      }
    } finally {
      outside.remove();
    }
  });

  it('finds a key that is a symbolic link\'s target, as the commit records the target (issue 12 #12)', () => {
    symlinkSync(`../${key}`, join(tree.root, 'innocent'));
    tree.git('add', 'innocent');
    const { code, findings } = scanJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(located(findings), [`innocent:1:4-1:${4 + key.length}:hardcoded-key`]);
  });

  it('finds a staged key after a NUL byte in a comment, and one in UTF-16 without a byte order mark, at the positions an editor shows (issue 12 #12)', () => {
    tree.write('app.js', `// \0 a stray NUL\nconst k = "${key}";\n`);
    tree.write('notes.txt', Buffer.from(`line one\nkey: ${otherKey}\n`, 'utf16le'));
    tree.git('add', '.');
    const { code, findings } = scanJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(located(findings), [
      `app.js:2:12-2:${12 + key.length}:hardcoded-key`,
      `notes.txt:2:6-2:${6 + otherKey.length}:hardcoded-key`,
    ]);
  });

  it('exits 2 naming the cause and the fix when git refuses the repository, rather than passing the commit (issue 12 #2)', () => {
    tree.write('a.js', `const k = "${key}";\n`);
    tree.git('add', '.');
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' };
    const result = spawnSync(process.execPath, [cli, 'scan', '--staged'], { cwd: tree.root, encoding: 'utf8', env });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^anthropic-key-hygiene: git refuses to read the repository at .* \("dubious ownership"\).*git config --global --add safe\.directory /);
  });

  it('reads a staged file whose name is not valid UTF-8 and prints its name escaped (issue 12 #11, #17)', () => {
    writeFileSync(Buffer.concat([Buffer.from(`${tree.root}/k`), Buffer.from([0xff]), Buffer.from('.js')]), `const k = "${key}";\n`);
    tree.git('add', '.');
    const { code, stdout } = run(tree.root, 'scan', '--staged');
    assert.equal(code, 1);
    assert.match(stdout, /^"k\\xff\.js":1:12 {2}error {2}Hardcoded Anthropic API key/m);
  });

  it('reads hundreds of staged files with the same few git processes', async () => {
    for (let i = 0; i < 300; i++) tree.write(`src/file${i}.ts`, `export const n${i} = ${i};\n`);
    tree.write('src/file150.ts', `export const key = "${key}";\n`);
    tree.write('copy.ts', `export const key = "${key}";\n`); // the same blob at two paths: reported at both
    tree.write('.env', 'X=1\n');
    tree.git('add', '.');
    const calls: string[][] = [];
    const git: GitRunner = createGitRunner('git', (args) => calls.push([...args]));
    const result = await scanStaged({ cwd: tree.root, git, includeLowConfidence: true, maxFileSize: 1 << 20 });
    assert.deepEqual(
      result.findings.map((f) => `${f.file.slice(tree.root.length + 1)}:${f.ruleId}`),
      ['.env:tracked-env-file', 'copy.ts:hardcoded-key', 'src/file150.ts:hardcoded-key'],
    );
    assert.equal(result.filesScanned, 302);
    // Whatever the file count: the top, the staged list, the .env's ignore state (two), the sizes, the contents.
    assert.deepEqual(
      calls.map((args) => args[0]),
      ['rev-parse', 'diff', 'check-ignore', 'ls-files', 'cat-file', 'cat-file'],
    );
  });

  it('skips blobs over the size limit, still reporting a staged .env among them', async () => {
    tree.write('big.txt', `${'x'.repeat(2000)}${key}\n`);
    tree.write('.env', `A=${'y'.repeat(2000)}\n`);
    tree.git('add', '.');
    const result = await scanStaged({ cwd: tree.root, includeLowConfidence: true, maxFileSize: 1000 });
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['tracked-env-file']);
    assert.deepEqual(result.skipped.map((s) => s.reason), ['larger than the 1000 bytes limit', 'larger than the 1000 bytes limit']);
  });

  it('scans the contents behind a staged Git LFS pointer, and fails when this machine does not have them (red team F27)', async () => {
    const config = `{ "anthropic": "${key}" }\n`;
    tree.write('data/config.json', lfsPointer(tree, config, { store: true }));
    tree.git('add', 'data/config.json');
    const found = scanJson(tree.root);
    assert.equal(found.code, 1, found.stderr);
    assert.deepEqual(located(found.findings), [`data/config.json:1:17-1:${17 + key.length}:hardcoded-key`]);

    // The pointer of an object this clone never fetched: not scanned, which fails the check rather than passing it.
    tree.write('data/other.json', lfsPointer(tree, `{ "k": "${fakeKey(4242)}" }\n`, { store: false }));
    tree.git('add', 'data/other.json');
    const result = await scanStaged({ cwd: tree.root, includeLowConfidence: true, maxFileSize: 1 << 20 });
    assert.deepEqual(result.skipped.map((s) => [s.file.slice(tree.root.length + 1), s.failed]), [['data/other.json', true]]);
    assert.match(result.skipped[0].reason, /Git LFS pointer whose object is not on this machine/);
    assert.equal(run(tree.root, 'scan', '--staged').code, 2);
  });
});
