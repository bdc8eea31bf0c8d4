// The third-party libraries that only some commands run, each built as its own bundle in dist/vendor/ and required
// from there at run time, instead of being compiled into every Node bundle (esbuild.mjs builds with both).
//
// Why: V8 compiles a whole CommonJS file when it is required (it pre-parses every function, run or not). dist/cli.js
// was 1.15 MB, of which 464 KB was the Anthropic SDK (only `--verify` sends a request) and 420 KB @babel/parser and
// @lezer/* (only `fix` checks a rewrite's syntax); compiling them took most of the ~21 ms V8 spent on the file in
// every `scan`, the pre-commit hook's included. The code already loads each of them lazily (`await import(…)` or a
// `require` inside the function that parses), so only where the bytes live changes.
//
// Why these libraries and not the fix command's own code: a library is one copy in one bundle, whoever loads it, so
// no module state, singleton or error class of the project exists twice (an `instanceof FixUsageError` across two
// bundles, each with its own class, would be false). Splitting the project's own code would duplicate src/core in
// each bundle; the fix engine left in cli.js is ~75 KB, and V8 pre-parses it in about a millisecond.
//
// The libraries hold no state shared with the project: verify.ts and adminApi.ts take the SDK's classes from the
// loaded module (sdk.Anthropic, sdk.APIError), and syntaxCheck.ts only calls the parsers and walks their trees.

/** Package name → the bundle's name under dist/vendor/. */
export const LAZY_VENDOR = {
  '@anthropic-ai/sdk': 'anthropic-sdk',
  '@babel/parser': 'babel-parser',
  '@lezer/python': 'lezer-python',
};

const escaped = Object.keys(LAZY_VENDOR).map((name) => name.replace(/[/@.-]/g, (c) => `\\${c}`));
const FILTER = new RegExp(`^(${escaped.join('|')})$`);

/** The entry points of the vendor bundles, for an esbuild build whose outdir is dist/. */
export const vendorEntryPoints = Object.fromEntries(Object.entries(LAZY_VENDOR).map(([name, file]) => [`vendor/${file}`, name]));

/**
 * Maps an import of a lazy library to `require("./vendor/<name>.js")`, left to run time. Only for bundles written at
 * the top of dist/ (the path is relative to the bundle). A static import is refused: it would load the library when
 * the bundle loads, which is what the split is for avoiding, and the build says where.
 */
export const lazyVendor = {
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: FILTER }, (args) => {
      if (args.kind !== 'dynamic-import' && args.kind !== 'require-call') {
        return {
          errors: [
            {
              text: `${args.importer} imports "${args.path}" statically; it is loaded only when used (scripts/lazy-vendor.mjs). Use \`await import('${args.path}')\` or a require() inside the function that needs it.`,
            },
          ],
        };
      }
      return { path: `./vendor/${LAZY_VENDOR[args.path]}.js`, external: true };
    });
  },
};
