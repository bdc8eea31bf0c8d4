// Lint: typescript-eslint's recommended rules, plus the architectural rules that matter most here:
// - src/core is shared by the CLI and the extension, so it must never import the editor API;
// - the web build (package.json `browser`) runs in a browser worker, so no module that reaches its bundle may import
//   a Node built-in, and the modules written for the web only may not use Node's globals either.
import { buildSync } from 'esbuild';
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import tseslint from 'typescript-eslint';

/** The entry points bundled for the browser: the web build and its integration suite (esbuild.mjs). */
export const WEB_ENTRY_POINTS = ['src/extension.web.ts', 'test/web/index.ts'];

/**
 * Every source file that reaches a browser bundle, as esbuild resolves it now: the rule below follows the real
 * import graph, so a shared module pulled into the web build is checked the day it is pulled in. Node built-ins are
 * marked external here only so that the graph can be listed; the rule then reports each import of one.
 */
export function webBundleSources() {
  const { metafile } = buildSync({
    entryPoints: WEB_ENTRY_POINTS,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'cjs',
    outdir: 'out/lint-web-graph',
    mainFields: ['browser', 'module', 'main'],
    conditions: ['browser'],
    external: ['vscode', ...builtinModules, 'node:*'],
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs)
    .filter((input) => /^(src|test)\/.*\.ts$/.test(input))
    .map((input) => relative('.', input));
}

/** Node's own modules, with and without the `node:` prefix. */
const nodeBuiltinImports = {
  paths: builtinModules.map((name) => ({ name, message: 'This module reaches the web bundle (a browser worker, no Node): put the Node part behind an interface.', allowTypeImports: true })),
  patterns: [{ group: ['node:*'], message: 'This module reaches the web bundle (a browser worker, no Node): put the Node part behind an interface.', allowTypeImports: true }],
};

/** Node's globals, which a browser worker does not have. */
const nodeGlobals = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'].map((name) => ({
  name,
  message: `${name} is Node's; this module runs in a browser worker (the web build).`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench-corpus/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must stay free of the editor API (the CLI uses it too).' }],
          patterns: [{ group: ['**/cli/*', '**/features/*'], message: 'src/core is below the front ends: it imports neither the CLI nor the editor features.' }],
        },
      ],
    },
  },
  {
    // One engine per job: the editor calls core, never the CLI's front end (and never parses its output).
    files: ['src/features/**/*.ts', 'src/extension.ts', 'src/extension.web.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/*'], message: 'Editor features use src/core, never the CLI front end.' }] }],
    },
  },
  {
    // Every module of the web bundles, shared or not: no Node built-in (a type-only import leaves nothing behind).
    files: webBundleSources(),
    rules: { '@typescript-eslint/no-restricted-imports': ['error', nodeBuiltinImports] },
  },
  {
    // The modules written for the web build alone: not even Node's globals.
    files: ['src/extension.web.ts', 'src/features/web/**/*.ts', 'test/web/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', ...nodeGlobals] },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', fetch: 'readonly', URL: 'readonly' } },
  },
);
