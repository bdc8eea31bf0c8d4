// Bundles the extension and the CLI (the esbuild sample's shape), or transpiles the tests.
//   node esbuild.mjs               dist/ with source maps (development)
//   node esbuild.mjs --production  dist/ minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild dist/ on change
//   node esbuild.mjs --tests       out/: src and test transpiled file by file, for mocha; out/web-test/index.js:
//                                  the web integration suite bundled for the browser worker
// Type-checking is a separate step (`npm run typecheck`), as esbuild only strips types.
//
// Two extension bundles: dist/extension.js (`main`, the Node extension host) and dist/web/extension.js (`browser`,
// the web worker extension host of vscode.dev, github.dev and code-server). The web bundle is built for the
// browser and checked twice (scripts/web-bundle.mjs): no module of it may import a Node built-in (the build fails
// naming the importer), and the bundle must load where there is no process, Buffer or require (a module-level
// `Buffer.from` would otherwise only fail in the browser, at activation).
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lazyVendor, vendorEntryPoints } from './scripts/lazy-vendor.mjs';
import { checkLoadsWithoutNode, refuseNodeBuiltins } from './scripts/web-bundle.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Every .ts file under the given folders (Node 20 has no fs.globSync). */
function typeScriptFiles(...dirs) {
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name)),
  );
}

const shared = {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
};

const define = { CLI_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };

/** The browser bundle's options (the extension's, or the web test suite's). */
function webOptions(entryPoints, outdir) {
  return {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'cjs',
    logLevel: 'warning',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    outdir,
    entryPoints,
    external: ['vscode'],
    // Packages' browser builds (the Anthropic SDK maps its Node-only helpers to browser ones).
    mainFields: ['browser', 'module', 'main'],
    conditions: ['browser'],
    define,
    plugins: [refuseNodeBuiltins],
  };
}

if (tests) {
  // out/ is not wiped: several builds may share it; a fresh clone starts empty anyway.
  await esbuild.build({
    ...shared,
    entryPoints: typeScriptFiles('src', 'test'),
    outdir: 'out',
    outbase: '.',
    sourcemap: 'inline',
  });
  // The web integration suite, one file the web worker host can load (it fetches and evaluates a single script).
  // It lies inside the extension's folder, which is what makes VS Code run it in the extension's own host.
  await esbuild.build({ ...webOptions({ index: 'test/web/index.ts' }, 'out/web-test'), sourcemap: 'inline', minify: false });
  checkLoadsWithoutNode('out/web-test/index.js');
} else {
  const options = {
    ...shared,
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    outdir: 'dist',
    entryPoints: {
      extension: 'src/extension.ts',
      cli: 'src/cli/main.ts',
      scanWorker: 'src/core/scanWorker.ts',
      // The GitHub Action's entry (action.yml runs it through action/run.cjs).
      action: 'src/action/main.ts',
    },
    // vscode is provided by the editor at run time; everything else is bundled, so the .vsix needs no node_modules.
    external: ['vscode'],
    // Only cli.js is run directly, but a shebang is harmless in the other two bundles.
    banner: { js: '#!/usr/bin/env node' },
    define,
    // The SDK and the parsers: in dist/vendor/, required when first used (scripts/lazy-vendor.mjs).
    plugins: [lazyVendor],
    // An import() of them becomes a require(): one module system (CommonJS, as the bundle's own), and Node's ESM
    // loader is never started for it.
    supported: { 'dynamic-import': false },
  };
  // dist/vendor/*.js, one bundle per library, each required only by the code that uses it.
  const vendor = { ...shared, bundle: true, minify: production, sourcemap: !production, sourcesContent: false, outdir: 'dist', entryPoints: vendorEntryPoints };
  const web = webOptions({ 'web/extension': 'src/extension.web.ts' }, 'dist');
  if (watch) {
    for (const each of [options, vendor, web]) await (await esbuild.context(each)).watch();
    console.log('esbuild: watching src/ for changes');
  } else {
    rmSync('dist', { recursive: true, force: true });
    await Promise.all([esbuild.build(options), esbuild.build(vendor), esbuild.build(web)]);
    checkLoadsWithoutNode('dist/web/extension.js');
  }
}
