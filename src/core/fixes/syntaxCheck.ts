// The last check before a rewrite is applied: the code must still parse, and every lookup the rewrite wrote
// must be code (an expression), not text in a string, a comment, a regex or a type. The rewriters judge their
// context without a parser and refuse what they recognise; this catches what they do not.
//
// Which parser, measured with esbuild --minify --bundle (the way dist/ is built), on this machine:
//   typescript 5.9.3 (the compiler, a devDependency today)   3,560,746 bytes (1,019,466 gzipped)
//   acorn 8 + @sveltejs/acorn-typescript + JSX                 358,999 bytes (97,628 gzipped)
//   @babel/parser 7.29 (TypeScript and JSX plugins)            317,820 bytes (81,084 gzipped)
//   @lezer/python 1.1 (with @lezer/lr and @lezer/common)       102,116 bytes (36,665 gzipped)
// dist/extension.js was 648,985 bytes and dist/cli.js 104,818: the compiler would have made both six to
// thirty-five times larger. @babel/parser is the smallest exact parser for TypeScript + JSX (Babel's own,
// released with Babel), so it checks JavaScript and TypeScript. Python has no exact parser in JavaScript;
// @lezer/python (CodeMirror's grammar, error-tolerant) reports syntax errors as error nodes, and a rewrite is
// refused when the text before had none and the text after has some. JSON (notebooks) uses JSON.parse.
//
// Both parsers are loaded with require() inside the functions that use them, never at module load: esbuild
// wraps a CommonJS module so that its body runs on the first require, so neither the extension's activation
// nor a scan runs their code (a unit test checks the modules stay unloaded until a check runs). Their bytes are
// not in the Node bundles either: V8 compiles a whole file when it is loaded (it pre-parses every function), so
// esbuild.mjs builds each parser as dist/vendor/*.js and these require() calls load it from there
// (scripts/lazy-vendor.mjs).

import type { FixLanguage } from './languages';

type BabelParser = typeof import('@babel/parser');
type LezerPython = typeof import('@lezer/python');

function babelParser(): BabelParser {
  // Lazily, so that activating the extension or scanning never initialises the parser (see the header).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loadParser('JavaScript', () => require('@babel/parser') as BabelParser);
}

function lezerPython(): LezerPython {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loadParser('Python', () => require('@lezer/python') as LezerPython);
}

/**
 * A parser, or an error that names it: a file of dist/vendor/ that is missing says so ("Cannot find module"), but a
 * truncated one only says "Unexpected end of input", which names neither the parser nor the file (red team). The fix
 * stops either way; the message says which install is broken.
 */
function loadParser<T>(language: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    const reason = String((error as Error).message).split('\n')[0];
    throw new Error(`the ${language} parser could not be loaded (a broken install: reinstall the extension or the CLI): ${reason}`);
  }
}

/**
 * False when `before` parses and `after` does not, or when `after` holds a lookup the rewrite added that is not
 * an expression (a `process.env.X` that became a type, or text in a regex, a string or JSX; an `os.environ[…]`
 * in a comment or a string); true otherwise, and true when no parser applies to the language.
 */
export function rewriteKeepsSyntax(before: string, after: string, language: FixLanguage, fileName?: string): boolean {
  const extension = extensionOf(fileName);
  if (extension === 'ipynb' || extension === 'json') return jsonKeepsSyntax(before, after);
  if (language === 'javascript') return javaScriptKeepsSyntax(before, after, extension);
  if (language === 'python') return pythonKeepsSyntax(before, after);
  return true;
}

function extensionOf(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function jsonKeepsSyntax(before: string, after: string): boolean {
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };
  return !parses(before) || parses(after);
}

/** How many times `needle` occurs in `text`, as text. */
function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

// ---- JavaScript and TypeScript -----------------------------------------------------------------------------

type BabelPlugin = 'typescript' | 'jsx';

/** The grammars a file may be written in: TypeScript for .ts (where `<T>x` is a cast, so no JSX), TSX for
 * .tsx, JavaScript with JSX for .js/.jsx/.mjs/.cjs; all of them when the name does not say. Component files
 * (.vue, .svelte, .astro) are markup around scripts, which this does not extract: no verdict there. */
function grammarsFor(extension: string): BabelPlugin[][] | undefined {
  if (['ts', 'mts', 'cts'].includes(extension)) return [['typescript']];
  if (extension === 'tsx') return [['typescript', 'jsx']];
  if (['js', 'jsx', 'mjs', 'cjs'].includes(extension)) return [['jsx']];
  if (extension === '') return [['typescript'], ['typescript', 'jsx'], ['jsx']];
  return undefined;
}

interface BabelNode {
  type: string;
  [key: string]: unknown;
}

function parseJavaScript(text: string, plugins: BabelPlugin[]): BabelNode | undefined {
  // Loaded outside the try: a parser that cannot be loaded (dist/vendor/babel-parser.js missing from a broken
  // install) must stop the fix, not read as "the original does not parse", which gives no verdict and would let
  // the rewrite through unchecked.
  const parser = babelParser();
  try {
    return parser.parse(text, {
      sourceType: 'unambiguous',
      plugins,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      errorRecovery: false,
    }) as unknown as BabelNode;
  } catch {
    return undefined;
  }
}

/** `process.env.NAME` / `process.env[…]` read as an expression: a MemberExpression on `process.env`. */
function countEnvReads(node: unknown): number {
  let count = 0;
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      // One at a time: a spread of a huge array (a data table, a bundle) exceeds V8's argument limit (red team F17).
      for (const item of current) stack.push(item);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const record = current as BabelNode;
    if (record.type === 'MemberExpression' || record.type === 'OptionalMemberExpression') {
      const object = record.object as BabelNode | undefined;
      if (object?.type === 'MemberExpression' && (object.object as BabelNode).type === 'Identifier' && (object.object as { name: string }).name === 'process' && !object.computed && (object.property as { name?: string }).name === 'env') count++;
    }
    for (const [key, value] of Object.entries(record)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'extra' || key === 'comments' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return count;
}

function javaScriptKeepsSyntax(before: string, after: string, extension: string): boolean {
  const grammars = grammarsFor(extension);
  if (!grammars) return true;
  // The grammar the original parses in is the one the file is written in.
  for (const plugins of grammars) {
    const beforeTree = parseJavaScript(before, plugins);
    if (!beforeTree) continue;
    const afterTree = parseJavaScript(after, plugins);
    if (!afterTree) return false;
    // Every `process.env.` the rewrite wrote must be read as code.
    const added = occurrences(after, 'process.env') - occurrences(before, 'process.env');
    return countEnvReads(afterTree) - countEnvReads(beforeTree) === added;
  }
  return true;
}

// ---- Python ------------------------------------------------------------------------------------------------

interface PythonVerdict {
  errors: number;
  /** `os.environ` read as code: a MemberExpression node whose text is exactly that. */
  environReads: number;
}

function parsePython(text: string): PythonVerdict {
  const { parser } = lezerPython();
  let errors = 0;
  let environReads = 0;
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) errors++;
      else if (node.name === 'MemberExpression' && node.to - node.from === 10 && text.slice(node.from, node.to) === 'os.environ') environReads++;
    },
  });
  return { errors, environReads };
}

function pythonKeepsSyntax(before: string, after: string): boolean {
  const beforeVerdict = parsePython(before);
  // lezer's grammar is not Python's own: where it already finds an error in the original, it gives no verdict.
  if (beforeVerdict.errors > 0) return true;
  const afterVerdict = parsePython(after);
  if (afterVerdict.errors > 0) return false;
  const added = occurrences(after, 'os.environ') - occurrences(before, 'os.environ');
  return afterVerdict.environReads - beforeVerdict.environReads === added;
}
