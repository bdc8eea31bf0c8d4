// Bundles the extension and the CLI (the esbuild sample's shape), or transpiles the tests.
//   node esbuild.mjs               dist/ with source maps (development)
//   node esbuild.mjs --production  dist/ minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild dist/ on change
//   node esbuild.mjs --tests       out/: src and test transpiled file by file, for mocha
// Type-checking is a separate step (`npm run typecheck`), as esbuild only strips types.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

if (tests) {
  // out/ is not wiped: several builds may share it; a fresh clone starts empty anyway.
  await esbuild.build({
    ...shared,
    entryPoints: typeScriptFiles('src', 'test'),
    outdir: 'out',
    outbase: '.',
    sourcemap: 'inline',
  });
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
    define: { CLI_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  };
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log('esbuild: watching src/ for changes');
  } else {
    rmSync('dist', { recursive: true, force: true });
    await esbuild.build(options);
  }
}
