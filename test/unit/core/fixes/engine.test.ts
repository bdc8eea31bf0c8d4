// The fix engine (src/core/fixes/engine.ts) on hostile trees, through the real CLI and real git: every route that
// could lose a key, store it where git commits it, or write where it must not. Each case names the issue 12 item
// it comes from.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixExitCode, fixPaths } from '../../../../src/core/fixes/engine';
import { readEnvValue } from '../../../../src/core/fixes/envFile';
import { lockPathFor } from '../../../../src/core/fixes/safeFiles';
import { createGitRunner } from '../../../../src/core/git';
import { keyHint } from '../../../../src/core/hint';
import { fakeKey } from '../../../support/fakeKeys';
import { CLI_PATH, ISOLATED_GIT_ENV, runCli } from '../../../support/runCli';
import { tempTree, type TempTree } from '../../../support/tempRepo';

const [first, second, third] = [fakeKey(8101), fakeKey(8102), fakeKey(8103)];


function read(tree: TempTree, path: string): string {
  return readFileSync(join(tree.root, path), 'utf8');
}

function isIgnored(tree: TempTree, path: string): boolean {
  return spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: tree.root, env: ISOLATED_GIT_ENV }).status === 0;
}

/** Every file of the tree (but .git) with its bytes, and every symbolic link with its target. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (path.slice(root.length + 1).split('/')[0] === '.git') continue;
    if (entry.isSymbolicLink()) files.set(path, `-> ${readFileSync(path, { flag: 'r' }).length}`);
    else if (entry.isFile()) files.set(path, readFileSync(path).toString('base64'));
  }
  return files;
}

function assertNoFullKey(output: string, keys: readonly string[]): void {
  for (const key of keys) assert.ok(!output.includes(key) && !output.includes(key.slice(15, 45)), 'no key or key body in the output');
}

describe('The fix engine on hostile trees', function () {
  this.timeout(60000);
  let tree: TempTree;
  let outside: TempTree;

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    outside = tempTree({ gitInit: true });
    tree.write('app.py', `KEY = "${first}"\n`);
  });

  afterEach(() => {
    tree.remove();
    outside.remove();
  });

  it('refuses a .env that is a symbolic link out of the tree, writing nothing anywhere (issue 12 #1, #3)', () => {
    const target = outside.write('stolen.env', 'OTHER=1\n');
    symlinkSync(target, join(tree.root, '.env'));
    const before = snapshot(tree.root);
    const { code, stderr, stdout } = runCli(tree.root, 'fix');
    assert.equal(code, 2, stdout + stderr);
    assert.match(stderr, /\.env.* (symbolic link|outside)/);
    assert.equal(readFileSync(target, 'utf8'), 'OTHER=1\n', 'the link target is untouched');
    assert.deepEqual(snapshot(tree.root), before, 'the tree is untouched, the key still in app.py');
    assertNoFullKey(stdout + stderr, [first]);
  });

  it("refuses an untracked .env link into another repository's tracked file (issue 12 #3)", () => {
    const target = outside.write('config/.env', 'DATABASE_URL=postgres://u:p@h/db\n');
    outside.git('add', '-f', 'config/.env');
    outside.git('commit', '-q', '-m', 'tracked env');
    symlinkSync(target, join(tree.root, '.env'));
    const { code } = runCli(tree.root, 'fix');
    assert.equal(code, 2);
    assert.equal(readFileSync(target, 'utf8'), 'DATABASE_URL=postgres://u:p@h/db\n');
    assert.equal(outside.git('status', '--porcelain'), '', "the other repository's file is unchanged");
    assert.equal(read(tree, 'app.py'), `KEY = "${first}"\n`);
  });

  it('refuses to append to a committed .gitignore that is a link to a file outside the clone (issue 12 #3)', () => {
    const target = outside.write('global-ignore', 'node_modules/\n');
    symlinkSync(target, join(tree.root, '.gitignore'));
    tree.git('add', '.gitignore');
    tree.git('commit', '-q', '-m', 'linked ignore file');
    const { code, stderr } = runCli(tree.root, 'fix');
    assert.equal(code, 2, stderr);
    assert.match(stderr, /\.gitignore/);
    assert.equal(readFileSync(target, 'utf8'), 'node_modules/\n', 'the file outside the clone is untouched');
    assert.ok(!existsSync(join(tree.root, '.env')), 'no key was stored');
    assert.equal(read(tree, 'app.py'), `KEY = "${first}"\n`);
  });

  it('names a .env or a .gitignore that is a folder, and writes nothing (issue 12 #20)', () => {
    mkdirSync(join(tree.root, '.env'));
    let result = runCli(tree.root, 'fix');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.env.*is a folder/);
    tree.remove();
    tree = tempTree({ gitInit: true });
    tree.write('app.py', `KEY = "${first}"\n`);
    mkdirSync(join(tree.root, '.gitignore'));
    result = runCli(tree.root, 'fix');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.gitignore.*is a folder/);
    assert.ok(!existsSync(join(tree.root, '.env')));
  });

  it('escapes a --dotenv name that gitignore would read as a negation, and re-includes nothing (issue 12 #5)', () => {
    tree.write('.gitignore', '.env\n');
    tree.write('.env', 'UNRELATED=1\n');
    const { code, stdout, stderr } = runCli(tree.root, 'fix', '--dotenv', '!.env');
    assert.equal(code, 0, stdout + stderr);
    assert.equal(read(tree, '.gitignore'), '.env\n/\\!.env\n');
    assert.ok(isIgnored(tree, '.env'), 'the real .env is still ignored');
    assert.ok(isIgnored(tree, '!.env'), 'the new env file is ignored');
    assert.equal(readEnvValue(read(tree, '!.env'), 'ANTHROPIC_API_KEY'), first);
  });

  it('takes its line out of .gitignore again, byte for byte, when a deeper rule re-includes the file (issue 12 #1)', () => {
    tree.remove();
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', 'dist/');
    tree.write('svc/package.json', '{}\n');
    tree.write('svc/.gitignore', '!.env\n');
    tree.write('svc/main.py', `KEY = "${first}"\n`);
    const { code, stdout, stderr } = runCli(tree.root, 'fix');
    assert.equal(code, 0, stdout + stderr);
    assert.equal(read(tree, '.gitignore'), 'dist/', 'the root .gitignore is back to its bytes');
    assert.equal(read(tree, 'svc/.gitignore'), '!.env\n/.env\n', "the package's own .gitignore, which outranks it, holds the line");
    assert.ok(isIgnored(tree, 'svc/.env'));
    assert.equal(readEnvValue(read(tree, 'svc/.env'), 'ANTHROPIC_API_KEY'), first, "the key went to the package's .env");
  });

  it('lets concurrent runs store their keys under names of their own, each file reading its own (issue 12 #4)', async () => {
    const keys = [first, second, third, fakeKey(8104)];
    keys.forEach((key, index) => tree.write(`k${index}.py`, `KEY = "${key}"\n`));
    const runAsync = (path: string) =>
      new Promise<number | null>((resolveRun) => {
        const child = spawn(process.execPath, [CLI_PATH, 'fix', path], { cwd: tree.root, env: ISOLATED_GIT_ENV, stdio: 'ignore' });
        child.on('close', resolveRun);
      });
    // Each names one file, so all use the working folder's .env and contend for it.
    const codes = await Promise.all(keys.map((_, index) => runAsync(`k${index}.py`)));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const env = read(tree, '.env');
    const entries = [...env.matchAll(/^(ANTHROPIC_API_KEY\w*)=(.*)$/gm)];
    assert.equal(new Set(entries.map((entry) => entry[1])).size, entries.length, 'no name is assigned twice');
    for (const [index, key] of keys.entries()) {
      const name = entries.find((entry) => entry[2] === key)?.[1];
      assert.ok(name && readEnvValue(env, name) === key, `${keyHint(key)} is stored under a name of its own`);
      assert.ok(read(tree, `k${index}.py`).includes(`os.environ["${name}"]`), `k${index}.py reads ${name}`);
    }
    assert.ok(!existsSync(lockPathFor(join(tree.root, '.env'))), 'the lock is gone');
  });

  it('takes over the lock of a run that was killed, and leaves no temporary file (issue 12 #4)', () => {
    // A pid that is certainly not running: one past the system's maximum.
    const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
    writeFileSync(lockPathFor(join(tree.root, '.env')), `${deadPid}\n`);
    const { code, stdout, stderr } = runCli(tree.root, 'fix');
    assert.equal(code, 0, stdout + stderr);
    assert.equal(readEnvValue(read(tree, '.env'), 'ANTHROPIC_API_KEY'), first);
    assert.deepEqual(
      readdirSync(tree.root).filter((name) => name.includes('anthropic-key-hygiene')),
      [],
      'no lock or temporary file is left',
    );
  });

  it('leaves a file that changed while the fix was planned alone, its key stored and listed (issue 12 #4)', async () => {
    // The editor's Fix All plans on the open document's text; here that text differs from the disk.
    const result = await fixPaths({
      paths: [tree.root],
      cwd: tree.root,
      dryRun: false,
      includeLowConfidence: true,
      maxFileSize: 1 << 20,
      git: createGitRunner(),
      allowGit: true,
      readSource: async () => ({ text: `# edited in the editor\nKEY = "${first}"\n`, notUtf8: false }),
    });
    assert.equal(read(tree, 'app.py'), `KEY = "${first}"\n`, 'the file on disk is not overwritten');
    assert.equal(readEnvValue(read(tree, '.env'), 'ANTHROPIC_API_KEY'), first, 'the key is stored');
    assert.deepEqual(result.fixed, []);
    assert.equal(result.needsHuman.length, 1);
    assert.equal(result.needsHuman[0].reason.id, 'fix.changed-on-disk');
    assert.equal(fixExitCode(result), 1);
  });

  it('lists a committed .env.local holding a key after the fix, and exits 1 (issue 12 #13)', () => {
    tree.write('.env.local', `ANTHROPIC_API_KEY=${second}\n`);
    tree.git('add', '-f', '.env.local');
    tree.git('commit', '-q', '-m', 'committed env');
    const { code, stdout } = runCli(tree.root, 'fix');
    assert.equal(code, 1, stdout);
    assert.match(stdout, /Fixed 1 key in 1 file/);
    assert.match(stdout, /\.env\.local:1:19 {2}sk-ant-api03-.*env file.*\[hardcoded-key\]/);
    // Tracked and not ignored: stopping tracking is the fix, not an ignore rule (red team F26.1).
    assert.match(stdout, /\.env\.local:1:1 {2}This \.env file is tracked.*git rm --cached.*\[tracked-env-file\]/);
  });

  it('fixes 2,000 keys in one file, every one stored and read back (issue 12 #19)', () => {
    const keys = Array.from({ length: 2000 }, (_, index) => fakeKey(20000 + index));
    tree.write('many.py', keys.map((key, index) => `K${index} = "${key}"\n`).join(''));
    const { code, stdout, stderr } = runCli(tree.root, 'fix');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Fixed 2001 keys in 2 files/);
    const env = read(tree, '.env');
    const nameOf = new Map([...env.matchAll(/^(\w+)=(.*)$/gm)].map((match) => [match[2], match[1]]));
    const many = read(tree, 'many.py');
    for (const [index, key] of keys.entries()) {
      const name = nameOf.get(key);
      assert.ok(name && readEnvValue(env, name) === key, `${keyHint(key)} is stored`);
      assert.ok(many.includes(`K${index} = os.environ["${name}"]\n`), `K${index} reads ${name}`);
    }
    assert.equal(new Set(nameOf.values()).size, 2001, 'every key has a name of its own');
  });

  it('prints no key in a dry run, not even one right after a \\n escape (issue 12 #16)', () => {
    tree.write('app.py', `KEY = "${first}"\nBANNER = "\\n${second}"\n`);
    tree.write('.env', `DATABASE_PASSWORD=hunter2\nANTHROPIC_API_KEY=${third}\n`);
    const { stdout, stderr } = runCli(tree.root, 'fix', '--dry-run');
    assertNoFullKey(stdout + stderr, [first, second, third]);
    assert.ok(!stdout.includes('hunter2'), "the env file's other secrets are never printed");
    assert.ok(stdout.includes(`+ANTHROPIC_API_KEY_2=${keyHint(first)}`), stdout);
  });

  it('leaves every file whole when the disk fills up while the key is written (issue 12 #4)', function () {
    // A 256 KB tmpfs, filled up, in a private mount namespace (unshare -rm: no root needed on Linux).
    const work = join(tmpdir(), `akh-full-${process.pid}`);
    mkdirSync(work, { recursive: true });
    const script = [
      'set -e',
      `mount -t tmpfs -o size=256k tmpfs "${work}"`,
      `cd "${work}"`,
      'git init -q -b main . && git config user.email t@e.invalid && git config user.name t',
      `printf '.env\\n' > .gitignore`,
      `printf 'PORT=1\\n' > .env`,
      `printf 'KEY = "%s"\\n' "${first}" > app.py`,
      // Fill what is left, so that the next write fails with ENOSPC.
      'dd if=/dev/zero of=filler bs=4k 2>/dev/null || true',
      'sync',
      `set +e; "${process.execPath}" "${CLI_PATH}" fix; echo "exit=$?"`,
      'cat .env; echo "---"; cat app.py; echo "---"; ls -a',
    ].join('\n');
    const result = spawnSync('unshare', ['-rm', 'bash', '-c', script], { encoding: 'utf8', env: ISOLATED_GIT_ENV });
    assert.ok(!result.error, 'unshare (util-linux) runs here, as in CI');
    assert.match(result.stdout, /exit=2/, result.stdout + result.stderr);
    const [env, app, listing] = result.stdout.split('exit=2\n')[1].split('---\n');
    assert.equal(env, 'PORT=1\n', 'the env file is whole, with no partial line');
    assert.equal(app, `KEY = "${first}"\n`, 'the source still holds the key');
    assert.doesNotMatch(listing, /\.tmp|\.lock/, `no temporary or lock file is left:\n${listing}`);
    assert.match(result.stderr, /ENOSPC|no space/i);
    assert.ok(lstatSync(work).isDirectory());
  });

  it('fixes a key in a notebook code cell from the command line, keeping the rest of the JSON byte for byte (issue 12, small things)', () => {
    const notebook = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Caf\u00e9 demo\n'] },
        { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['import anthropic\n', `client = anthropic.Anthropic(api_key="${second}")\n`] },
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(notebook, null, 1).replace('Café', 'Caf\\u00e9') + '\n';
    tree.write('demo.ipynb', text);
    const { code, stdout, stderr } = runCli(tree.root, 'fix');
    assert.equal(code, 0, stdout + stderr);
    const after = read(tree, 'demo.ipynb');
    const parsed = JSON.parse(after) as typeof notebook;
    assert.deepEqual(parsed.cells[1].source, ['import os\n', 'import anthropic\n', 'client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY_2"])\n']);
    assert.ok(after.includes('Caf\\u00e9'), 'the escapes of other cells are kept');
    const editStart = text.indexOf('"import anthropic');
    assert.ok(editStart > 0 && after.slice(0, editStart) === text.slice(0, editStart), 'everything before the edited line is byte-identical');
    const tail = text.slice(text.indexOf('\n', text.indexOf('api_key=')));
    assert.ok(after.endsWith(tail), 'everything after it too');
    assert.equal(readEnvValue(read(tree, '.env'), 'ANTHROPIC_API_KEY_2'), second);
  });

  it('leaves a key assigned to process.env or exported in .envrc to a human, exit 1, files untouched (red team F22)', () => {
    const setter = `process.env.ANTHROPIC_API_KEY = "${second}";\nconst Anthropic = require('@anthropic-ai/sdk');\n`;
    tree.write('setkey.js', setter);
    tree.write('.envrc', `export ANTHROPIC_API_KEY=${third}\n`);
    const { code, stdout } = runCli(tree.root, 'fix', 'setkey.js', '.envrc');
    assert.equal(code, 1, stdout);
    assert.match(stdout, /setkey\.js:1:\d+ {2}sk-ant-api03-.*this code sets the variable: load it from \.env instead/);
    assert.match(stdout, /\.envrc:1:\d+ {2}sk-ant-api03-.*this code sets the variable/);
    assert.equal(read(tree, 'setkey.js'), setter, 'no self-assignment was written');
    assert.equal(read(tree, '.envrc'), `export ANTHROPIC_API_KEY=${third}\n`);
    assertNoFullKey(stdout, [second, third]);
  });

  it('refuses a rewrite that would put the lookup in a type, which parses but never runs (issue 12 #8)', () => {
    tree.write('types.ts', `export const client: { apiKey: '${second}' } = { apiKey: '${second}' };\n`);
    const { code, stdout } = runCli(tree.root, 'fix', 'types.ts');
    assert.equal(code, 1, stdout);
    assert.match(stdout, /types\.ts:1:\d+ {2}sk-ant-api03-.*(no longer parse|no rewrite keeps)/);
    assert.ok(read(tree, 'types.ts').includes(`apiKey: '${second}' }`), 'the type keeps its literal');
  });

  it('shows a replaced value only as a hint in a dry run, whatever it looks like (red team F18)', () => {
    tree.write('.gitignore', '/.env\n');
    tree.write('.env', 'ANTHROPIC_API_KEY=litellm-proxy-secret-9f8e7d6c5b4a\nDB_PASSWORD=hunter2\n');
    const { stdout, stderr } = runCli(tree.root, 'fix', '--dry-run', '--replace-existing');
    assert.match(stdout, /^\+ANTHROPIC_API_KEY_PREVIOUS=/m, stdout);
    assert.ok(!stdout.includes('litellm-proxy-secret-9f8e7d6c5b4a') && !stdout.includes('hunter2'), stdout);
    assertNoFullKey(stdout + stderr, [first]);
  });

  it('prints file names quoted and escaped, so a name cannot fake or erase a line of the report (red team F12)', () => {
    const names = ['cr\rNo Anthropic key hygiene problems in 9 files.\r.py', 'esc\u001b[2K\u001b[1Gclean.py', 'new\nline.py'];
    names.forEach((name, index) => tree.write(name, `KEY_${index} = "${fakeKey(8110 + index)}"\n`));
    const { stdout, stderr } = runCli(tree.root, 'fix');
    const output = stdout + stderr;
    assert.ok(!/[\r\u001b]/.test(output), JSON.stringify(output.slice(0, 300)));
    assert.match(stdout, /"cr\\rNo Anthropic key hygiene problems in 9 files\.\\r\.py":1:\d+/);
    assert.match(stdout, /"new\\nline\.py":1:\d+/);
  });
});
