// The Node bundles and the libraries they load from dist/vendor/ (scripts/lazy-vendor.mjs): every file a bundle
// requires by relative path is built, shipped in the .vsix and carried by the Action's release command, so that a
// missing one fails here rather than on a user's `fix` or `--verify`; the CLI compiles none of those libraries
// until a command needs one; and the build refuses a static import that would load one with the bundle.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import * as esbuild from 'esbuild';
import { fakeKey } from '../../support/fakeKeys';
import { CLI_PATH, ISOLATED_GIT_ENV } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DIST = join(ROOT, 'dist');

interface LazyVendor {
  LAZY_VENDOR: Record<string, string>;
  lazyVendor: esbuild.Plugin;
}
const lazyVendorModule = (): Promise<LazyVendor> => import(join(ROOT, 'scripts', 'lazy-vendor.mjs')) as Promise<LazyVendor>;

/** `require("./x.js")` as esbuild writes it (double quotes), in a bundle's text. */
const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;

/**
 * The files the given bundles load by relative path, followed through the files they load in turn: paths relative to
 * the repository (`dist/vendor/babel-parser.js`). A target that does not exist is listed all the same (the tests
 * below report it), and not read.
 */
function requiredClosure(bundles: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = bundles.map((bundle) => posix.join('dist', bundle));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(join(ROOT, file))) continue;
    for (const [, target] of readFileSync(join(ROOT, file), 'utf8').matchAll(RELATIVE_REQUIRE)) pending.push(posix.join(posix.dirname(file), target));
  }
  return [...seen].sort();
}

describe('The Node bundles and dist/vendor/', function () {
  // vsce walks the repository to apply .vscodeignore (a few seconds).
  this.timeout(60000);
  const inVsix = ['extension.js', 'cli.js', 'scanWorker.js'];

  before(() => assert.ok(existsSync(CLI_PATH), 'dist/ is built (node esbuild.mjs)'));

  it('builds every file a Node bundle requires by relative path', () => {
    const closure = requiredClosure([...inVsix, 'action.js']);
    assert.ok(closure.includes('dist/vendor/anthropic-sdk.js'), `the bundles require the SDK from dist/vendor/: ${closure.join(', ')}`);
    assert.deepEqual(
      closure.filter((file) => !existsSync(join(ROOT, file))),
      [],
      'each required file exists',
    );
  });

  it('ships in the .vsix every file the extension and the CLI require (.vscodeignore, as vsce itself reads it)', async () => {
    // @vscode/vsce's own listing, so the allowlist is read with vsce's matching rules, not a copy of them.
    const { listFiles, PackageManager } = await import('@vscode/vsce');
    // No dependencies: the .vsix is packaged with --no-dependencies (package.json, "package").
    const packaged = new Set((await listFiles({ cwd: ROOT, packageManager: PackageManager.None })).map((file) => file.split('\\').join('/')));
    const missing = requiredClosure(inVsix).filter((file) => !packaged.has(file));
    assert.deepEqual(missing, [], 'every required file is let in by .vscodeignore');
  });

  it('ships in the npm package every file the CLI requires (.npmignore, as npm pack reads it; red team: it shipped no dist/vendor/, so every fix of an npm install exited 2)', () => {
    // npm's own listing (--dry-run writes nothing; --ignore-scripts skips prepack's production build, the dist/ built
    // for these tests is listed as it is).
    const npm = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
    assert.equal(npm.status, 0, npm.stderr);
    const [pack] = JSON.parse(npm.stdout) as { files: { path: string }[] }[];
    const packed = new Set(pack.files.map((file) => file.path));
    const missing = requiredClosure(['cli.js', 'scanWorker.js']).filter((file) => !packed.has(file));
    assert.deepEqual(missing, [], 'every required file is let in by .npmignore');
  });

  it("names every file dist/action.js and dist/cli.js require in the README's release command for the Action", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = /git add -f ([^`]+)`/.exec(readme);
    assert.ok(command, 'the README gives the release command (git add -f …)');
    const added = command[1].trim().split(/\s+/);
    const covered = (file: string) => added.some((path) => file === path || file.startsWith(`${path.replace(/\/$/, '')}/`));
    assert.deepEqual(
      requiredClosure(['action.js', 'cli.js']).filter((file) => !covered(file)),
      [],
      `the release command adds them (${added.join(' ')})`,
    );
  });

  it('reaches the SDK and both parsers from dist/cli.js through dist/vendor/, instead of compiling them into it', async () => {
    const { LAZY_VENDOR } = await lazyVendorModule();
    const cli = readFileSync(CLI_PATH, 'utf8');
    for (const [library, file] of Object.entries(LAZY_VENDOR)) {
      assert.ok(cli.includes(`require("./vendor/${file}.js")`), `dist/cli.js loads ${library} from dist/vendor/${file}.js`);
    }
  });
});

describe('The CLI loads a vendor bundle only for the command that needs it', function () {
  this.timeout(60000);
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('src/client.ts', `export const client = { apiKey: "${fakeKey(1501)}" };\n`); // fake, generated at run time
  });
  afterEach(() => tree.remove());

  /** Runs the built CLI's main() in a fresh process and lists the dist/vendor/ files that process loaded. */
  function vendorFilesLoaded(args: readonly string[]): { code: number; vendor: string[] } {
    const probe = `
      const cli = require(${JSON.stringify(CLI_PATH)});
      const sink = { write: () => true };
      cli.main(JSON.parse(process.env.AKH_ARGS), sink, sink).then((code) => {
        const vendor = Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(join(DIST, 'vendor'))}));
        process.stdout.write(JSON.stringify({ code, vendor }));
      });`;
    const result = spawnSync(process.execPath, ['-e', probe], { cwd: tree.root, encoding: 'utf8', env: { ...ISOLATED_GIT_ENV, AKH_ARGS: JSON.stringify(args) } });
    assert.equal(result.status, 0, result.stderr);
    const { code, vendor } = JSON.parse(result.stdout) as { code: number; vendor: string[] };
    return { code, vendor: vendor.map((file) => basename(file)).sort() };
  }

  it('scan loads none (the pre-commit check compiles neither the SDK nor a parser)', () => {
    assert.deepEqual(vendorFilesLoaded(['scan', '.']), { code: 1, vendor: [] });
  });

  it('fix loads the JavaScript parser to check its rewrite, from dist/vendor/', () => {
    const { code, vendor } = vendorFilesLoaded(['fix', '.']);
    assert.equal(code, 0, 'the key was moved');
    assert.deepEqual(vendor, ['babel-parser.js']);
    assert.ok(!readFileSync(join(tree.root, 'src/client.ts'), 'utf8').includes(fakeKey(1501)), 'the key left the source');
  });

  it('--verify loads the SDK from dist/vendor/ (to an address nothing listens on: no request leaves the machine)', () => {
    // Port 9 (discard) on the loopback: the connection is refused, the key reported as not checked, the scan exit 2.
    const { code, vendor } = vendorFilesLoaded(['scan', '--update-baseline', 'baseline.txt', '--verify', '--api-base-url', 'http://127.0.0.1:9']);
    assert.equal(code, 2);
    assert.deepEqual(vendor, ['anthropic-sdk.js']);
  });
});

describe('A broken install, a parser missing from dist/vendor/', function () {
  this.timeout(60000);
  let tree: TempTree;
  let dist: string;
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    dist = mkdtempSync(join(tmpdir(), 'akh-broken-dist-'));
  });
  afterEach(() => {
    tree.remove();
    rmSync(dist, { recursive: true, force: true });
  });

  const cases = [
    { language: 'JavaScript', parser: 'babel-parser.js', file: 'src/client.ts', source: (key: string) => `export const client = { apiKey: "${key}" };\n` },
    { language: 'Python', parser: 'lezer-python.js', file: 'app.py', source: (key: string) => `client = Anthropic(api_key="${key}")\n` },
  ];
  for (const { language, parser, file, source } of cases) {
    it(`fix changes nothing in ${language} and exits 2 naming the missing parser, instead of rewriting unchecked`, () => {
      // The built CLI copied without the parser: what a partial copy of the extension's folder or of a release leaves.
      cpSync(DIST, dist, { recursive: true, filter: (path) => basename(path) !== parser });
      const text = source(fakeKey(1502)); // fake, generated at run time
      tree.write(file, text);
      const result = spawnSync(process.execPath, [join(dist, 'cli.js'), 'fix', '.'], { cwd: tree.root, encoding: 'utf8', env: ISOLATED_GIT_ENV });
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`could not be planned: the ${language} parser could not be loaded \\(a broken install[^)]*\\): Cannot find module '\\./vendor/${parser.replace('.', '\\.')}'`));
      // One line each: Node's require stack is left out of the report.
      assert.doesNotMatch(result.stdout + result.stderr, /Require stack/);
      assert.equal(readFileSync(join(tree.root, file), 'utf8'), text, 'the source keeps its bytes');
      assert.ok(!existsSync(join(tree.root, '.env')), 'no env file was written');
    });

    it(`fix names the ${language} parser when its file is cut short (red team: only "Unexpected end of input" was said)`, () => {
      cpSync(DIST, dist, { recursive: true });
      const vendored = join(dist, 'vendor', parser);
      writeFileSync(vendored, readFileSync(vendored).subarray(0, 4096));
      tree.write(file, source(fakeKey(1503)));
      const result = spawnSync(process.execPath, [join(dist, 'cli.js'), 'fix', '.'], { cwd: tree.root, encoding: 'utf8', env: ISOLATED_GIT_ENV });
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`could not be planned: the ${language} parser could not be loaded`));
    });
  }
});

describe('The lazy-vendor build plugin', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'akh-lazy-vendor-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function bundle(source: string): Promise<string> {
    const { lazyVendor } = await lazyVendorModule();
    writeFileSync(join(dir, 'entry.ts'), source);
    await esbuild.build({
      entryPoints: [join(dir, 'entry.ts')],
      outfile: join(dir, 'out.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
      // As esbuild.mjs builds the Node bundles.
      plugins: [lazyVendor],
      supported: { 'dynamic-import': false },
      // Resolved from the project, as the real entry points are.
      absWorkingDir: ROOT,
    });
    return readFileSync(join(dir, 'out.js'), 'utf8');
  }

  it('turns import() and require() of a lazy library into a require of its dist/vendor/ bundle, left to run time', async () => {
    const out = await bundle(
      `export const sdk = () => import('@anthropic-ai/sdk');\n// eslint-disable-next-line\nexport const parser = () => require('@babel/parser');\n`,
    );
    assert.match(out, /require\("\.\/vendor\/anthropic-sdk\.js"\)/);
    assert.match(out, /require\("\.\/vendor\/babel-parser\.js"\)/);
    assert.doesNotMatch(out, /\bimport\(/, 'no ESM loader is started for it');
    assert.ok(out.length < 5000, `the libraries' code is not in the bundle (${out.length} bytes)`);
  });

  it('fails the build on a static import of a lazy library, naming the importer (it would load with the bundle)', async () => {
    await assert.rejects(bundle(`import { parse } from '@babel/parser';\nexport const p = parse;\n`), (error: Error) => {
      assert.match(error.message, /entry\.ts imports "@babel\/parser" statically/);
      return true;
    });
  });
});
