// "The extension makes no network request except when the user asks for one": proven from the source. Only the
// modules in NETWORK_MODULES_ALLOWED may reach a network API: src/core/verify.ts (a key check) and
// src/core/admin/adminApi.ts (the Admin API, issue 17). Each loads the Anthropic SDK with a dynamic import, so that
// nothing network-capable is even initialised until a request is asked for, and neither calls fetch itself: all
// traffic goes through the SDK. Read with the TypeScript compiler API, so that formatting cannot hide an import
// or a call.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SRC = join(ROOT, 'src');
/** The whole network boundary. Adding a file here is a decision: say why in its header. */
const NETWORK_MODULES_ALLOWED = ['src/core/verify.ts', 'src/core/admin/adminApi.ts'];

/** Modules that open connections. */
const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'undici', 'ws', '@anthropic-ai/sdk'];
/** Globals that open connections. */
const NETWORK_GLOBALS = ['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource'];

function isNetworkModule(specifier: string): boolean {
  const name = specifier.replace(/^node:/, '');
  return NETWORK_MODULES.some((module) => name === module || name.startsWith(`${module}/`));
}

interface NetworkUse {
  file: string;
  line: number;
  what: string;
  /** An `import()` expression, evaluated only when reached. */
  dynamic: boolean;
}

export function networkUses(fileName: string, text: string): NetworkUse[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const uses: NetworkUse[] = [];
  // A file that declares its own `fetch` (a local helper) calls that one, not the global.
  const declared = new Set<string>();
  const collect = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isParameter(node)) && node.name && ts.isIdentifier(node.name)) {
      declared.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);
  const isNetworkGlobal = (name: string) => NETWORK_GLOBALS.includes(name) && !declared.has(name);
  const add = (node: ts.Node, what: string, dynamic: boolean) =>
    uses.push({ file: fileName, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what, dynamic });
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      // A type-only import leaves nothing behind at run time.
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (!typeOnly && isNetworkModule(node.moduleSpecifier.text)) add(node, `import '${node.moduleSpecifier.text}'`, false);
    } else if (ts.isCallExpression(node)) {
      const [argument] = node.arguments;
      const specifier = argument && ts.isStringLiteral(argument) ? argument.text : undefined;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword && specifier && isNetworkModule(specifier)) add(node, `import('${specifier}')`, true);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && specifier && isNetworkModule(specifier)) {
        add(node, `require('${specifier}')`, false);
      } else if (ts.isIdentifier(node.expression) && isNetworkGlobal(node.expression.text)) add(node, `${node.expression.text}()`, false);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && isNetworkGlobal(node.expression.text)) {
      add(node, `new ${node.expression.text}()`, false);
    } else if (ts.isImportTypeNode(node)) {
      return; // `typeof import('…')` is a type
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('network boundary', () => {
  const uses = sourceFiles(SRC).flatMap((path) => networkUses(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8')));

  it('reaches the network only from verify.ts and admin/adminApi.ts', () => {
    const elsewhere = uses.filter((use) => !NETWORK_MODULES_ALLOWED.includes(use.file));
    assert.deepEqual(elsewhere.map((use) => `${use.file}:${use.line} ${use.what}`), []);
  });

  for (const allowed of NETWORK_MODULES_ALLOWED) {
    it(`loads the Anthropic SDK in ${allowed} only with a dynamic import, and never calls fetch there`, () => {
      const inModule = uses.filter((use) => use.file === allowed);
      assert.ok(inModule.length > 0, `${allowed} is where the SDK is used`);
      assert.deepEqual(inModule.filter((use) => !use.dynamic).map((use) => `${use.line} ${use.what}`), [], `no static network import and no fetch in ${allowed}`);
      assert.deepEqual([...new Set(inModule.map((use) => use.what))], ["import('@anthropic-ai/sdk')"], 'the SDK is the only network code');
    });
  }

  it('recognises every form it looks for, and leaves types and other modules alone', () => {
    const sample = [
      "import * as https from 'node:https';",
      "import type { Agent } from 'http';",
      "import { join } from 'node:path';",
      "export { request } from 'undici';",
      "const sdk = await import('@anthropic-ai/sdk');",
      "let t: typeof import('@anthropic-ai/sdk');",
      "const net = require('net');",
      "await fetch('https://example.com');",
      "new WebSocket('wss://example.com');",
      "const fetched = ENV.fetch('KEY');",
    ].join('\n');
    const shadowed = "const fetch = (ids: string[]) => ids;\nfetch(['a']);";
    assert.deepEqual(
      networkUses('sample.ts', sample).map((use) => `${use.line} ${use.what}${use.dynamic ? ' (dynamic)' : ''}`),
      ["1 import 'node:https'", "4 import 'undici'", "5 import('@anthropic-ai/sdk') (dynamic)", "7 require('net')", '8 fetch()', '9 new WebSocket()'],
    );
    assert.deepEqual(networkUses('shadowed.ts', shadowed), [], 'a local function named fetch is not the global');
  });
});
