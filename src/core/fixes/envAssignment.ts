// Whether a key is the value this code *assigns to* an environment variable (red team F22, issue 12 #8). The fix
// replaces a key with a lookup of a variable; on the right of `process.env.X = …` that gives
// `process.env.X = process.env.X`, which copies the variable onto itself (in Node it even stores the string
// "undefined" when it is unset), `export X="$X"` in a shell script or direnv's .envrc does nothing, and with the
// name taken the code reads `X_2`, which nothing sets. The program that set the variable no longer does, and the run
// said "Fixed". So the planner leaves such a key to a human: this code sets the variable, and the way out is to
// load it from the .env file instead (dotenv, python-dotenv, `dotenv` in .envrc), which no rewrite can decide.
//
// The test is on the code just before the literal (or the bare key), a bounded window, so it stays linear in the
// keys of a file. Each pattern names the API it comes from; the target may be any name. A name the file gives the
// environment object itself (`const env = process.env`, `from os import environ as env`, `env = ENV`) counts as the
// object: an assignment through it sets the variable just the same. Aliases are found once per file; a copy
// (`{ ...process.env }`, `dict(os.environ)`) is not one, and the key assigned into it is still rewritten.

import type { FixLanguage } from './languages';
import type { KeyLocation } from './lexer';

/** A quoted name or an identifier: what a subscript or a first argument names the variable with. */
const NAME = String.raw`(?:'[^'\n]*'|"[^"\n]*"|\x60[^\x60\n]*\x60|[\w$.:]+)`;

/**
 * What may stand between an assignment's `=` and the key: the value's own expression, on the value's line (red team:
 * `process.env.X = process.env.X || "<key>"` became `… || process.env.X`, the same self-assignment as F22). Neither
 * `==`/`=>` nor a `;`, brace or later `=` (another statement, an object, a keyword argument); the value may start on
 * the next line, as a formatter writes it.
 */
const ASSIGNED = String.raw`=(?![=>])\s*[^;{}=\n]*$`;

/** The Node environment object, also reached from the global object or by a computed `['env']`. */
const NODE_ENV = String.raw`(?:(?:globalThis|global)\s*\.\s*)?(?:process|Bun)\s*(?:\.\s*env|\[\s*(?:'env'|"env")\s*\])`;

/** Python: the value may also open a parenthesis a formatter wraps it in (`= (` and the key on the next line). */
const PY_ASSIGNED = String.raw`=(?!=)\s*(?:\(\s*)?[^;{}=\n]*$`;

/**
 * The value of any entry of `environ.update(...)`, a keyword argument or a dict's (red team: only the first entry was
 * recognised, and `update({"A": "1", "ANTHROPIC_API_KEY": "<key>"})` is how notebooks set several keys).
 */
const PY_UPDATE = String.raw`\s*(?:[^(){}]*?[A-Za-z_]\w*\s*=|\{[^{}]*:)`;

/** Patterns that end where the assigned value begins. */
const SETTERS: Partial<Record<FixLanguage, RegExp[]>> = {
  // Node's process.env (and Bun.env) is a plain object: `=`, `??=`, `||=` (Node.js docs, process.env); Deno.env.set.
  javascript: [
    new RegExp(String.raw`(?:^|[^\w$.])${NODE_ENV}(?:\.[A-Za-z_$][\w$]*|\[\s*${NAME}\s*\])\s*(?:\?\?|\|\||&&)?${ASSIGNED}`),
    new RegExp(String.raw`(?:^|[^\w$.])Deno\.env\.set\(\s*${NAME}\s*,\s*$`),
    // Object.assign(process.env, { NAME: value, … }) (MDN, Object.assign): a value anywhere in the object literal that
    // follows the target, up to the first brace (a nested object is not the variable's value).
    new RegExp(String.raw`(?:^|[^\w$.])Object\.assign\(\s*${NODE_ENV}\s*,\s*\{[^{}]*:\s*$`),
    // process.env = { ...process.env, NAME: value } (how test suites reset the environment, e.g. Jest's docs): the
    // object literal becomes the environment.
    new RegExp(String.raw`(?:^|[^\w$.])${NODE_ENV}\s*=(?![=>])\s*\{[^{}]*:\s*$`),
  ],
  // os.environ is a mapping (`environ[...] = v`, setdefault, update) and os.putenv(name, value) (Python docs, os).
  python: [
    new RegExp(String.raw`(?:^|[^\w.])(?:os\.)?environ\s*\[\s*${NAME}\s*\]\s*${PY_ASSIGNED}`),
    new RegExp(String.raw`(?:^|[^\w.])(?:os\.putenv|(?:os\.)?environ\.setdefault)\s*\(\s*${NAME}\s*,\s*$`),
    new RegExp(String.raw`(?:^|[^\w.])(?:os\.)?environ\.update\(${PY_UPDATE}\s*$`),
  ],
  // Ruby's ENV: `ENV[name] = value`, ENV.store(name, value), ENV.update/merge!(name => value) (Ruby docs, ENV).
  ruby: [
    // `ENV[name] ||= value` too (red team: a spec helper's default was rewritten into `||= ENV.fetch(name)`), and the
    // top-level `::ENV`.
    new RegExp(String.raw`(?:^|[^\w.:])(?:::)?ENV\s*\[\s*${NAME}\s*\]\s*(?:\|\||&&)?${ASSIGNED}`),
    new RegExp(String.raw`(?:^|[^\w.:])(?:::)?ENV\.store\(\s*${NAME}\s*,\s*$`),
    new RegExp(String.raw`(?:^|[^\w.:])(?:::)?ENV\.(?:update|merge!)\(\s*\{?[^(){}]*?(?:'[^'\n]*'|"[^"\n]*")\s*=>\s*$`),
  ],
  // PHP: $_ENV / $_SERVER entries; putenv("NAME=value") is handled below, the key being inside the string.
  php: [new RegExp(String.raw`\$_(?:ENV|SERVER)\s*\[\s*${NAME}\s*\]\s*=\s*$`)],
  // Go: os.Setenv(key, value) (pkg.go.dev/os).
  go: [new RegExp(String.raw`(?:^|[^\w.])os\.Setenv\(\s*${NAME}\s*,\s*$`)],
  // Rust: std::env::set_var(key, value), also called as env::set_var or set_var after a `use`.
  rust: [new RegExp(String.raw`(?:^|[^\w])(?:(?:std::)?env::)?set_var\(\s*&?${NAME}\s*,\s*$`)],
  // C#: Environment.SetEnvironmentVariable(variable, value).
  csharp: [new RegExp(String.raw`(?:^|[^\w.])(?:System\.)?Environment\.SetEnvironmentVariable\(\s*@?${NAME}\s*,\s*$`)],
  // Java and Kotlin have no setter for their own environment; ProcessBuilder.environment() is the child's.
  java: [new RegExp(String.raw`\.environment\(\)\s*\.put\(\s*${NAME}\s*,\s*$`)],
  kotlin: [new RegExp(String.raw`\.environment\(\)\s*(?:\.put\(\s*${NAME}\s*,|\[\s*${NAME}\s*\]\s*=)\s*$`)],
  // Shell: `export NAME=value` (also after other assignments on the same export), `declare -x`/`typeset -x`/
  // `local -x` (POSIX Shell Command Language, export; bash manual, declare).
  shell: [
    new RegExp(
      String.raw`(?:^|[;&|({]|\s)(?:export|(?:declare|typeset|local)\s+-[A-Za-z]*x[A-Za-z]*)(?:\s+-[A-Za-z]+)*\s+(?:[A-Za-z_]\w*(?:=(?:'[^'\n]*'|"[^"\n]*"|[^\s;&|'"]*))?\s+)*[A-Za-z_]\w*=$`,
    ),
  ],
};

/**
 * Where a file names the environment object itself; group 1 is the name (absent for a destructured `env`, which keeps
 * its own name). Bounded runs inside braces keep each pattern linear on any input.
 */
const ALIASES: Partial<Record<FixLanguage, RegExp[]>> = {
  javascript: [
    // const env = process.env; (and Bun.env): the object, not a property of it (`process.env.X`, `process.env[...]`).
    // Also a later assignment (`let env; env = process.env`), a second declarator (`const a = 1, env = process.env`),
    // a type annotation (`const env: NodeJS.ProcessEnv = process.env`), parentheses, `?.`, `require('process').env`
    // and `globalThis.process.env` (red team: each was "fixed" into a self-assignment).
    /(?:^|[^\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=;\n]{1,100}?)?=\s*\(?\s*(?:(?:globalThis|global)\s*\.\s*)?(?:process|Bun|require\(\s*['"](?:node:)?process['"]\s*\))\s*(?:\?\.|\.)\s*env(?![\w$])(?!\s*\)?\s*(?:[.[(]|\?\.))/g,
    // const { env } = process; const { env: e } = require('node:process') (Node.js docs, process.env).
    /(?:^|[^\w$.])(?:const|let|var)\s*\{[^{}]{0,200}?(?<![\w$.])env(?:\s*:\s*([A-Za-z_$][\w$]*))?\s*[,}][^{}]{0,200}?\}?\s*=\s*(?:process|require\(\s*['"](?:node:)?process['"]\s*\))(?![\w$.])/g,
    // import { env } from 'node:process'; import { env as e } from 'process'.
    /(?:^|[^\w$.])import\s*\{[^{}]{0,200}?(?<![\w$.])env(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*[,}][^{}]{0,200}?\}?\s*from\s*['"](?:node:)?process['"]/g,
  ],
  python: [
    // env = os.environ (the mapping itself, alone on its line).
    // Also annotated (`env: dict = os.environ`), after a `;`, or the last of a chain (`a = env = os.environ`).
    /(?:^|[\n;=])[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]{1,100}?)?=[ \t]*(?:os\.)?environ[ \t]*(?=[\r\n;#]|$)/g,
    // from os import environ as env.
    /(?:^|\n)[ \t]*from[ \t]+os[ \t]+import[ \t]+[^\n]{0,200}?(?<![\w.])environ[ \t]+as[ \t]+([A-Za-z_]\w*)/g,
  ],
  ruby: [
    // env = ENV (or the top-level ::ENV)
    /(?:^|[\n;])[ \t]*([a-z_]\w*)[ \t]*=[ \t]*(?:::)?ENV[ \t]*(?=[\r\n;#]|$)/g,
  ],
};

/** Aliases matched by name at most (see aliasSetters). */
const MAX_ALIASES = 64;

/** An identifier as a regular expression matches it (JavaScript names may hold `$`). */
function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** The setter patterns for a file's aliases of the environment object (none for most files). */
function aliasSetters(text: string, language: FixLanguage): RegExp[] {
  const finders = ALIASES[language];
  if (!finders) return [];
  const names = new Set<string>();
  for (const finder of finders) for (const match of text.matchAll(finder)) names.add(match[1] ?? 'env');
  if (names.size === 0) return [];
  // A file of very many aliases would make each key's test try them all: past a few dozen any name counts as one, which
  // leaves more keys to a human, never fewer (the regular expression stays small, and linear on the window).
  const alias = names.size > MAX_ALIASES ? (language === 'javascript' ? String.raw`[A-Za-z_$][\w$]*` : String.raw`[A-Za-z_]\w*`) : `(?:${[...names].map(escapeName).join('|')})`;
  if (language === 'javascript') {
    return [
      new RegExp(String.raw`(?:^|[^\w$.])${alias}(?:\.[A-Za-z_$][\w$]*|\[\s*${NAME}\s*\])\s*(?:\?\?|\|\||&&)?${ASSIGNED}`),
      new RegExp(String.raw`(?:^|[^\w$.])Object\.assign\(\s*${alias}\s*,\s*\{[^{}]*:\s*$`),
    ];
  }
  if (language === 'python') {
    return [
      new RegExp(String.raw`(?:^|[^\w.])${alias}\s*\[\s*${NAME}\s*\]\s*${PY_ASSIGNED}`),
      new RegExp(String.raw`(?:^|[^\w.])${alias}\.setdefault\s*\(\s*${NAME}\s*,\s*$`),
      new RegExp(String.raw`(?:^|[^\w.])${alias}\.update\(${PY_UPDATE}\s*$`),
    ];
  }
  return [
    new RegExp(String.raw`(?:^|[^\w.:])${alias}\s*\[\s*${NAME}\s*\]\s*(?:\|\||&&)?${ASSIGNED}`),
    new RegExp(String.raw`(?:^|[^\w.:])${alias}\.store\(\s*${NAME}\s*,\s*$`),
    new RegExp(String.raw`(?:^|[^\w.:])${alias}\.(?:update|merge!)\(\s*\{?[^(){}]*?(?:'[^'\n]*'|"[^"\n]*")\s*=>\s*$`),
  ];
}

/**
 * The last file's alias setters: the planner asks once per key of the same text, and finding aliases reads the whole
 * file, which per key would make a file of many keys quadratic.
 */
let lastAliases: { text: string; language: FixLanguage; setters: RegExp[] } | undefined;

function aliasSettersOf(text: string, language: FixLanguage): RegExp[] {
  if (lastAliases?.text !== text || lastAliases.language !== language) lastAliases = { text, language, setters: aliasSetters(text, language) };
  return lastAliases.setters;
}

/** The most code before the value that is looked at: an assignment's target is short and on the value's line. */
const WINDOW = 300;

/**
 * Whether the key at [keyStart, keyEnd), placed by the lexer at `location`, is the value assigned to an environment
 * variable. For a key in a string the code before the literal is read, and the string must be just the key (a key
 * inside a larger value, `"Bearer <key>"`, is still the variable's value, so it counts too when the literal is the
 * whole assigned value: the literal's start is what the pattern must end at).
 */
export function setsEnvironmentVariable(text: string, keyStart: number, location: KeyLocation, language: FixLanguage): boolean {
  const patterns = SETTERS[language];
  if (!patterns) return false;
  const valueStart = location.kind === 'string' ? location.span.start : keyStart;
  // A formatter puts a long value on the line after `process.env.X =`, so the window spans lines; in shell a line
  // break ends the command, so there only the value's line counts. (A slice, not a look-back for the line start,
  // which would walk a whole minified line per key.)
  const window = text.slice(Math.max(0, valueStart - WINDOW), valueStart);
  const before = language === 'shell' ? window.slice(window.lastIndexOf('\n') + 1) : window;
  if (patterns.some((pattern) => pattern.test(before))) return true;
  if (aliasSettersOf(text, language).some((pattern) => pattern.test(before))) return true;
  // PHP's putenv("NAME=value"): the key is in the string after `NAME=`.
  if (language === 'php' && location.kind === 'string') {
    const inside = text.slice(location.span.contentStart, keyStart);
    return /^[A-Za-z_]\w*=$/.test(inside) && /(?:^|[^\w$])putenv\s*\(\s*$/.test(before);
  }
  return false;
}
