// `anthropic-key-hygiene fix` as users run it: the bundled dist/cli.js on a multi-language repository made at
// run time, then rescanned, type-checked and compiled.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readEnvValue, parseEnvFile } from '../../../src/core/fixes/envFile';
import { keyHint } from '../../../src/core/hint';
import { fakeKey } from '../../support/fakeKeys';
import { CLI_PATH as cli, ISOLATED_GIT_ENV as GIT_ENV, runCli as run } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

const repositoryRoot = resolve(__dirname, '../../../..');

function read(tree: TempTree, path: string): string {
  return readFileSync(join(tree.root, path), 'utf8');
}

/** Every file under the root except .git, with its bytes. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile() || relative(root, path).split(/[\\/]/)[0] === '.git') continue;
    files.set(relative(root, path).split('\\').join('/'), readFileSync(path).toString('base64'));
  }
  return files;
}

describe('The CLI fix command', function () {
  this.timeout(120000);
  let tree: TempTree;
  const [main, web, go, admin, json, template, existing, allowed] = [
    fakeKey(301),
    fakeKey(302),
    fakeKey(303),
    fakeKey(304, 'admin'),
    fakeKey(305),
    fakeKey(306),
    fakeKey(307),
    fakeKey(308),
  ];
  const removed = [main, web, go, admin];
  const allKeys = [...removed, json, template, existing, allowed];
  const untouched = 'export const greeting = "hello";\r\nexport const n = 1;';

  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is built (node esbuild.mjs)');
  });

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    // No final newline: the appended line must keep it that way.
    tree.write('.gitignore', 'node_modules/');
    // An env file that is not ignored yet, holding another value under the default name, without a final newline.
    tree.write('.env', `ANTHROPIC_API_KEY=${existing}`);
    tree.write(
      'src/client.ts',
      [
        'declare const Anthropic: new (options: { apiKey?: string | null }) => unknown;',
        `export const client = new Anthropic({ apiKey: '${main}' });`,
        'export function listModels(): Promise<Response> {',
        `  return fetch('https://api.anthropic.com/v1/models', { headers: { 'x-api-key': '${main}', 'anthropic-version': '2023-06-01' } });`,
        '}',
        '',
      ].join('\n'),
    );
    tree.write('src/untouched.ts', untouched);
    tree.write('src/allowed.ts', `// anthropic-key-hygiene-ignore\nexport const fixture = '${allowed}';\n`);
    tree.write('web/app.js', `module.exports = { headers: { Authorization: 'Bearer ${web}' } };\n`);
    tree.write(
      'app/main.py',
      `"""Calls Claude from the command line."""\nimport anthropic\n\nADMIN_KEY = '${admin}'\nclient = anthropic.Anthropic(api_key="${main}")\n`,
    );
    tree.write('cmd/main.go', `package main\n\nimport (\n\t"fmt"\n)\n\nvar apiKey = "${go}"\n\nfunc main() { fmt.Println(len(apiKey)) }\n`);
    tree.write('lib/client.rb', `API_KEY = "${main}"\n`);
    tree.write('scripts/call.sh', `#!/bin/sh\ncurl -H 'x-api-key: ${main}' https://api.anthropic.com/v1/models\n`);
    tree.write('Dockerfile', `FROM node:20\nENV ANTHROPIC_API_KEY=${main}\nCMD ["node", "web/app.js"]\n`);
    tree.write('docker-compose.yml', `services:\n  app:\n    build: .\n    environment:\n      ANTHROPIC_API_KEY: ${main}\n`);
    tree.write('.github/workflows/ci.yml', `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      ANTHROPIC_API_KEY: ${main}\n    steps:\n      - run: npm test\n`);
    tree.write('config/settings.json', `{\n  "anthropicKey": "${json}"\n}\n`);
    tree.write('.env.example', `ANTHROPIC_API_KEY=${template}\n`);
    tree.write('docs/setup.md', `# Setup\n\nExport your key: \`export ANTHROPIC_API_KEY=${main}\`\n`);
    tree.git('add', '.', ':!.env');
    tree.git('commit', '-q', '-m', 'fixture');
  });
  afterEach(() => tree.remove());

  function assertNoKeys(output: string, what: string) {
    for (const key of allKeys) {
      assert.ok(!output.includes(key), `${what} holds no full key`);
      assert.ok(!output.includes(key.slice(20, 40)), `${what} holds no key body`);
    }
  }

  it('with --dry-run prints a diff without keys and writes nothing', () => {
    const before = snapshot(tree.root);
    const { code, stdout, stderr } = run(tree.root, 'fix', '--dry-run');
    assert.equal(code, 1, stderr);
    assertNoKeys(stdout + stderr, 'the dry run');
    assert.deepEqual(snapshot(tree.root), before, 'nothing was written');
    assert.match(stdout, /^--- a\/\.gitignore\n\+\+\+ b\/\.gitignore\n/m);
    assert.match(stdout, /^--- a\/src\/client\.ts$/m);
    // The removed literal appears as its hint; the new env entry too.
    assert.ok(stdout.includes(`-export const client = new Anthropic({ apiKey: '${keyHint(main)}' });`), stdout);
    assert.ok(stdout.includes(`+ANTHROPIC_API_KEY_2=${keyHint(main)}`), stdout);
    assert.ok(!stdout.includes('untouched.ts') && !stdout.includes('allowed.ts'));
    assert.match(stdout, /Would fix \d+ keys in 10 files/);
    assert.doesNotMatch(stdout, new RegExp(`ANTHROPIC_API_KEY=${keyHint(existing)}`), 'the env file\'s existing lines are never printed (issue 12 #16)');
  });

  it('moves every key into a git-ignored .env, rewrites each language, and a second run changes nothing', () => {
    const { code, stdout, stderr } = run(tree.root, 'fix');
    assert.equal(code, 1, `needs-human findings give exit 1\n${stdout}\n${stderr}`);
    assertNoKeys(stdout + stderr, 'the report');
    assert.match(stdout, /2 problems need a human \(still found after the fix\):/);
    assert.match(stdout, /^ {2}\.env\.example:1:19 {2}sk-ant-api03-.*env template/m);
    assert.match(stdout, /^ {2}config\/settings\.json:2:20 {2}sk-ant-api03-.*no environment lookup/m);

    // The env file kept its bytes, its old value, and gained every key it removed, under free names.
    const env = read(tree, '.env');
    assert.ok(env.startsWith(`ANTHROPIC_API_KEY=${existing}\n`), 'the existing line is kept, a line break added');
    const values = parseEnvFile(env).map((entry) => entry.value);
    for (const key of removed) assert.ok(values.includes(key), 'every removed key is in .env');
    assert.ok(!values.includes(json) && !values.includes(template), 'keys left in place are not copied');
    assert.equal(readEnvValue(env, 'ANTHROPIC_API_KEY'), existing, 'the existing value was not overwritten');
    const nameOf = (key: string) => parseEnvFile(env).find((entry) => entry.value === key)!.name;
    assert.equal(nameOf(main), 'ANTHROPIC_API_KEY_2');
    assert.equal(nameOf(admin), 'ANTHROPIC_ADMIN_KEY');

    // Git ignores it now, through one appended line that keeps the missing final newline.
    assert.equal(read(tree, '.gitignore'), 'node_modules/\n/.env');
    assert.equal(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: tree.root, env: GIT_ENV }).status, 0);

    // Exact rewrites.
    assert.equal(
      read(tree, 'src/client.ts'),
      [
        'declare const Anthropic: new (options: { apiKey?: string | null }) => unknown;',
        'export const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY_2 });',
        'export function listModels(): Promise<Response> {',
        "  return fetch('https://api.anthropic.com/v1/models', { headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY_2!, 'anthropic-version': '2023-06-01' } });",
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(
      read(tree, 'app/main.py'),
      `"""Calls Claude from the command line."""\nimport os\nimport anthropic\n\nADMIN_KEY = os.environ["ANTHROPIC_ADMIN_KEY"]\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY_2"])\n`,
    );
    assert.equal(
      read(tree, 'cmd/main.go'),
      `package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar apiKey = os.Getenv("${nameOf(go)}")\n\nfunc main() { fmt.Println(len(apiKey)) }\n`,
    );
    assert.equal(read(tree, 'web/app.js'), `module.exports = { headers: { Authorization: \`Bearer \${process.env.${nameOf(web)}}\` } };\n`);
    assert.equal(read(tree, 'lib/client.rb'), 'API_KEY = ENV.fetch("ANTHROPIC_API_KEY_2")\n');
    assert.equal(read(tree, 'scripts/call.sh'), `#!/bin/sh\ncurl -H 'x-api-key: '"$ANTHROPIC_API_KEY_2" https://api.anthropic.com/v1/models\n`);
    assert.equal(
      read(tree, 'Dockerfile'),
      'FROM node:20\n# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY_2" ...\nCMD ["node", "web/app.js"]\n',
    );
    assert.equal(read(tree, 'docker-compose.yml'), 'services:\n  app:\n    build: .\n    environment:\n      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY_2}\n');
    assert.ok(read(tree, '.github/workflows/ci.yml').includes('      ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY_2 }}\n'));
    assert.equal(read(tree, 'docs/setup.md'), `# Setup\n\nExport your key: \`export ANTHROPIC_API_KEY=${keyHint(main).replace('…', '...')}\`\n`);
    assert.match(stdout, /ci\.yml: Add the key as a repository or environment secret named ANTHROPIC_API_KEY_2/);

    // Files without findings (or with suppressed ones) are byte-identical.
    assert.equal(read(tree, 'src/untouched.ts'), untouched);
    assert.equal(read(tree, 'src/allowed.ts'), `// anthropic-key-hygiene-ignore\nexport const fixture = '${allowed}';\n`);

    // A rescan finds only what needs a human.
    const rescan = run(tree.root, 'scan', '--format', 'json');
    const findings = (JSON.parse(rescan.stdout) as { findings: Array<{ path: string; ruleId: string }> }).findings;
    assert.deepEqual(findings.map((f) => `${f.path}:${f.ruleId}`), ['.env.example:hardcoded-key', 'config/settings.json:hardcoded-key']);

    // The code still compiles.
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--typeRoots', join(repositoryRoot, 'node_modules/@types'), 'src/client.ts'],
      { cwd: tree.root, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
    const python = spawnSync('python3', ['-m', 'py_compile', 'app/main.py'], { cwd: tree.root, encoding: 'utf8' });
    assert.ok(!python.error, 'python3 runs here (CI installs it): the rewrite must be compiled, not skipped');
    assert.equal(python.status, 0, python.stderr);
    const shell = spawnSync('sh', ['-n', 'scripts/call.sh'], { cwd: tree.root, encoding: 'utf8' });
    assert.equal(shell.status, 0, shell.stderr);

    // Idempotent: the second run writes nothing and still lists the two.
    const afterFirst = snapshot(tree.root);
    const second = run(tree.root, 'fix');
    assert.equal(second.code, 1);
    assert.deepEqual(snapshot(tree.root), afterFirst, 'the second run changed nothing');
    assert.match(second.stdout, /2 problems need a human/);
    assert.doesNotMatch(second.stdout, /Fixed/);
  });

  it('exits 0 and touches nothing when there is nothing to fix', () => {
    const clean = tempTree({ gitInit: true });
    try {
      clean.write('app.ts', 'export const model = "claude";\n');
      const before = snapshot(clean.root);
      const { code, stdout } = run(clean.root, 'fix');
      assert.equal(code, 0);
      assert.equal(stdout, 'No hardcoded keys to fix in 1 file.\n');
      assert.deepEqual(snapshot(clean.root), before);
    } finally {
      clean.remove();
    }
  });

  it('gives a UTF-16 source the not-UTF-8 reason, not the finding\'s own "move it" message (red team F26.4)', () => {
    const wide = tempTree({ gitInit: true });
    try {
      wide.write('u16.js', Buffer.from(`const k = "${fakeKey(7351)}";\n`, 'utf16le'));
      const before = snapshot(wide.root);
      const { code, stdout } = run(wide.root, 'fix');
      assert.equal(code, 1, stdout);
      assert.match(stdout, /u16\.js:1:12 {2}sk-ant-api03-.{3}….{4} {2}the file is not UTF-8 text, so it is not rewritten {2}\[hardcoded-key\]/);
      assert.deepEqual(snapshot(wide.root), before, 'nothing stored for a file that is not rewritten');
    } finally {
      wide.remove();
    }
  });

  it('leaves a key in a file name to a human, writing nothing, and exits 1 (red team F3)', () => {
    const named = tempTree({ gitInit: true });
    try {
      const key = fakeKey(7331);
      named.write(`cache/${key}.json`, '{}\n');
      const before = snapshot(named.root);
      const { code, stdout } = run(named.root, 'fix');
      assert.equal(code, 1, stdout);
      assert.ok(!stdout.includes(key), 'the key is never printed');
      assert.match(stdout, /rename it without the key/);
      assert.deepEqual(snapshot(named.root), before, 'no .env, no .gitignore line, nothing renamed');
    } finally {
      named.remove();
    }
  });

  it('exits 0 when every key was fixed, with the keys in a new env file it was given', () => {
    const repo = tempTree({ gitInit: true });
    try {
      repo.write('app.py', `KEY = "${main}"\n`);
      // --dotenv, because Node 20 itself intercepts --env-file naming a file that does not exist (nodejs/node#54232).
      const { code, stdout, stderr } = run(repo.root, 'fix', '--dotenv', 'secrets/.env.local');
      assert.equal(code, 0, stdout + stderr);
      assert.equal(readEnvValue(read(repo, 'secrets/.env.local'), 'ANTHROPIC_API_KEY'), main);
      assert.equal(read(repo, '.gitignore'), '/secrets/.env.local\n');
      assert.equal(read(repo, 'app.py'), 'import os\nKEY = os.environ["ANTHROPIC_API_KEY"]\n');
    } finally {
      repo.remove();
    }
  });

  it('makes git ignore an env file that already holds the key before rewriting the source to read from it', () => {
    const repo = tempTree({ gitInit: true });
    try {
      repo.write('app.py', `KEY = "${main}"\n`);
      repo.write('.env', `ANTHROPIC_API_KEY=${main}\n`);
      const { code, stdout, stderr } = run(repo.root, 'fix');
      assert.equal(code, 0, stdout + stderr);
      assert.equal(read(repo, '.env'), `ANTHROPIC_API_KEY=${main}\n`, 'the env file is unchanged: it held the key already');
      assert.equal(read(repo, '.gitignore'), '/.env\n');
      assert.equal(read(repo, 'app.py'), 'import os\nKEY = os.environ["ANTHROPIC_API_KEY"]\n');
      assert.match(stdout, /Added \/\.env to \.gitignore/);
      const scan = run(repo.root, 'scan', '--format', 'json');
      assert.equal(scan.code, 0, `a scan afterwards is clean: ${scan.stdout}`);
    } finally {
      repo.remove();
    }
  });

  it('refuses, writing nothing, when the env file is tracked by git', () => {
    tree.git('add', '-f', '.env');
    tree.git('commit', '-q', '-m', 'oops');
    const before = snapshot(tree.root);
    const { code, stderr } = run(tree.root, 'fix');
    assert.equal(code, 2);
    assert.match(stderr, /\.env is tracked by git/);
    assertNoKeys(stderr, 'the error');
    assert.deepEqual(snapshot(tree.root), before);
  });

  it('appends to an existing env file named with --env-file', () => {
    tree.write('.env.local', 'MODEL=claude\n');
    const { code } = run(tree.root, 'fix', '--env-file', '.env.local');
    assert.equal(code, 1);
    assert.equal(readEnvValue(read(tree, '.env.local'), 'ANTHROPIC_API_KEY'), main, 'the default name is free in this file');
    assert.equal(read(tree, '.env'), `ANTHROPIC_API_KEY=${existing}`, 'the other env file is untouched');
  });

  it('rejects an env file name that scans would report or that is a template', () => {
    for (const name of ['keys.txt', '.env.example']) {
      const { code, stderr } = run(tree.root, 'fix', '--dotenv', name);
      assert.equal(code, 2, name);
      assert.match(stderr, /--env-file must name an env file/);
    }
  });

  it("keeps each command's options to itself", () => {
    assert.equal(run(tree.root, 'scan', '--dry-run').code, 2);
    assert.equal(run(tree.root, 'fix', '--format', 'json').code, 2);
  });
});
