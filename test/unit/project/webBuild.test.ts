// The web build's guards catch what they are for (issue 19): a Node built-in imported by a module of the web bundle
// fails the build and the lint, a module-level use of Node's globals fails the build's load check, a type-only import
// and Node code outside the web bundle stay allowed, and every web integration test file is in the suite's run.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface WebBundleChecks {
  refuseNodeBuiltins: esbuild.Plugin;
  checkLoadsWithoutNode(file: string): unknown;
}

const checks = (): Promise<WebBundleChecks> => import(join(ROOT, 'scripts', 'web-bundle.mjs')) as Promise<WebBundleChecks>;

describe('The web build', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'akh-web-build-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function bundle(source: string): Promise<string> {
    const { refuseNodeBuiltins } = await checks();
    writeFileSync(join(dir, 'entry.ts'), source);
    await esbuild.build({ entryPoints: [join(dir, 'entry.ts')], outfile: join(dir, 'out.js'), bundle: true, platform: 'browser', format: 'cjs', external: ['vscode'], logLevel: 'silent', plugins: [refuseNodeBuiltins] });
    return join(dir, 'out.js');
  }

  for (const specifier of ['node:fs', 'fs', 'path', 'node:child_process', 'fs/promises']) {
    it(`fails when a module of the web bundle imports the Node built-in "${specifier}", naming the importer`, async () => {
      await assert.rejects(bundle(`import * as m from '${specifier}';\nexport const x = m;\n`), (error: Error) => {
        assert.match(error.message, new RegExp(`imports the Node built-in "${specifier}" \\(from .*entry\\.ts\\)`));
        return true;
      });
    });
  }

  it('refuses a bundle that uses Buffer at module level, which would only fail in the browser at activation', async () => {
    const { checkLoadsWithoutNode } = await checks();
    const file = await bundle(`export const NEEDLE = Buffer.from('k-ant-', 'latin1');\n`);
    assert.throws(() => checkLoadsWithoutNode(file), /does not load in a web worker .*Buffer is not defined/);
  });

  it('refuses a bundle that reads process at module level', async () => {
    const { checkLoadsWithoutNode } = await checks();
    const file = await bundle(`export const IGNORE_CASE = process.platform === 'darwin';\n`);
    assert.throws(() => checkLoadsWithoutNode(file), /process is not defined/);
  });

  it('loads a bundle that only requires vscode and touches it while loading', async () => {
    const { checkLoadsWithoutNode } = await checks();
    const file = await bundle(`import * as vscode from 'vscode';\nexport const KIND = vscode.CodeActionKind.SourceFixAll.append('x');\nexport const HAS_PROCESS = typeof process !== 'undefined';\n`);
    const exports = checkLoadsWithoutNode(file) as { HAS_PROCESS: boolean };
    assert.equal(exports.HAS_PROCESS, false);
  });

  it('loads the real web build: dist/web/extension.js, as built by esbuild.mjs', async () => {
    const { checkLoadsWithoutNode } = await checks();
    const exports = checkLoadsWithoutNode(join(ROOT, 'dist', 'web', 'extension.js')) as { activate?: unknown };
    assert.equal(typeof exports.activate, 'function');
  });
});

describe('The lint rule of the web bundle', function () {
  // ESLint with type-aware parsing and the bundle graph takes a few seconds to start.
  this.timeout(60000);
  const eslint = new ESLint({ cwd: ROOT });
  const messagesFor = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath: join(ROOT, filePath) }))[0].messages;

  it('reports a Node built-in imported by a module the web bundle reaches', async () => {
    const messages = await messagesFor(`import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n`, 'src/features/web/nodeOnlyCommands.ts');
    assert.ok(messages.some((message) => message.ruleId === '@typescript-eslint/no-restricted-imports'), JSON.stringify(messages));
  });

  it('reports a bare built-in name too (`path`)', async () => {
    const messages = await messagesFor(`import { join } from 'path';\nexport const j = join;\n`, 'src/extension.web.ts');
    assert.ok(messages.some((message) => message.ruleId === '@typescript-eslint/no-restricted-imports'), JSON.stringify(messages));
  });

  it('allows a type-only import, which leaves nothing in the bundle', async () => {
    const messages = await messagesFor(`import type { Stats } from 'node:fs';\nexport type S = Stats;\n`, 'src/features/web/nodeOnlyCommands.ts');
    assert.deepEqual(messages.filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports'), []);
  });

  it("reports Node's globals in the modules written for the web alone", async () => {
    const messages = await messagesFor(`export const pid = process.pid;\n`, 'src/features/web/nodeOnlyCommands.ts');
    assert.ok(messages.some((message) => message.ruleId === 'no-restricted-globals'), JSON.stringify(messages));
  });

  it('leaves Node modules outside the web bundle alone (the git runner)', async () => {
    const config = (await eslint.calculateConfigForFile(join(ROOT, 'src/core/git.ts'))) as { rules?: Record<string, unknown> };
    assert.equal(config.rules?.['@typescript-eslint/no-restricted-imports'], undefined);
  });
});

describe('The web integration suite', () => {
  it('runs every test/web/*.test.ts file: each is required by test/web/index.ts and listed in WEB_TEST_FILES', () => {
    const index = readFileSync(join(ROOT, 'test', 'web', 'index.ts'), 'utf8');
    const files = readdirSync(join(ROOT, 'test', 'web')).filter((name) => name.endsWith('.test.ts')).map((name) => name.replace(/\.ts$/, ''));
    assert.ok(files.length > 0);
    const listed = /WEB_TEST_FILES = \[([^\]]*)\]/.exec(index)?.[1].match(/'[^']+'/g)?.map((item) => item.slice(1, -1)) ?? [];
    assert.deepEqual([...listed].sort(), [...files].sort());
    for (const file of files) assert.ok(index.includes(`require('./${file}')`), `${file} is required`);
  });
});
