// The two checks of a browser bundle (esbuild.mjs builds with them; test/unit/project/webBuild.test.ts proves they
// catch what they are for):
// - refuseNodeBuiltins fails the build on any import of a Node built-in, naming the module that imports it. esbuild's
//   browser platform refuses `node:` imports too, but its message does not say that the web build is the reason,
//   and a bare `fs` it would try to find in node_modules;
// - checkLoadsWithoutNode loads the bundle the way the web worker extension host does (a function of module,
//   exports and require, with only `vscode` to require) in a context with a web worker's globals and none of
//   Node's, so a module-level `Buffer.from(…)` or `process.platform` fails the build instead of the activation.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { runInNewContext } from 'node:vm';

/** `fs`, `node:fs`, `fs/promises`…: every name Node resolves to one of its own modules. */
export const NODE_BUILTIN = new RegExp(`^(node:.*|(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(/.*)?)$`);

export const refuseNodeBuiltins = {
  name: 'refuse-node-builtins',
  setup(build) {
    build.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      errors: [
        {
          text: `the web bundle imports the Node built-in "${args.path}" (from ${args.importer}); it runs in a browser worker, where Node does not exist. Put the Node part behind an interface (see src/core/fixes/platform.ts).`,
        },
      ],
    }));
  },
};

/** What a web worker extension host offers a bundle as globals: the web platform's, and none of Node's. */
function workerGlobals() {
  return {
    TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, AbortSignal, Headers, Request, Response, fetch,
    ReadableStream, Blob, FormData, crypto, performance, console, queueMicrotask, structuredClone, atob, btoa,
    setTimeout, clearTimeout, setInterval, clearInterval, navigator: { userAgent: 'web worker' },
  };
}

/** Anything a module might touch of the editor API while loading (`vscode.CodeActionKind.SourceFixAll.append(…)`):
 * a proxy that is every property of itself, callable and constructible. */
function anyValue() {
  const target = function () {};
  const proxy = new Proxy(target, { get: (_target, property) => (property === Symbol.toPrimitive ? () => '' : proxy), apply: () => proxy, construct: () => proxy });
  return proxy;
}

/** A stand-in for the `vscode` module: each name the API declares (read from @types/vscode) is an anyValue(). Its
 * names must be own properties, as a bundler copies a module's names one by one for `import * as vscode`. */
function vscodeStub() {
  const declarations = readFileSync(new URL('../node_modules/@types/vscode/index.d.ts', import.meta.url), 'utf8');
  const stub = {};
  for (const [, name] of declarations.matchAll(/^\s*export (?:namespace|class|enum|const|let|function) (\w+)/gm)) stub[name] = anyValue();
  return stub;
}

/** Throws, naming the file and what loading it threw, when the bundle cannot load without Node. */
export function checkLoadsWithoutNode(file) {
  const source = readFileSync(file, 'utf8');
  const context = workerGlobals();
  context.self = context;
  context.globalThis = context;
  const module = { exports: {} };
  const require = (id) => {
    if (id === 'vscode') return vscodeStub();
    throw new Error(`require('${id}') in a web bundle: only 'vscode' exists there`);
  };
  try {
    runInNewContext(`(function (module, exports, require) {${source}\n})`, context, { filename: file })(module, module.exports, require);
  } catch (error) {
    throw new Error(`${file} does not load in a web worker (no process, Buffer or require there): ${error.message}`);
  }
  return module.exports;
}
