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
// object: an assignment through it sets the variable just the same, and so does one through a name for the module
// that holds it (`const p = process; p.env.X = …`, `import os as o`). Aliases are found once per file; a copy
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

/**
 * A subscript: a quoted name, an identifier, or any short expression on one line (`env['A' + 'B']`), which names a
 * variable all the same.
 */
const SUBSCRIPT = String.raw`\[[^\[\]\n]{0,200}\]`;

/** An object literal up to the point just after a property's colon, with objects nested one deep before it. */
const OBJECT_PROPERTY = String.raw`\{(?:[^{}]|\{[^{}]*\})*:\s*$`;

/**
 * Setters through `env`, a pattern for the Node environment object (process.env, or a name the file gives it): the
 * object is a plain one (Node.js docs, process.env), so `=`, `??=`, `||=`, `Object.assign`, `Reflect.set`,
 * `Object.defineProperty` and replacing it whole with an object literal (how test suites reset it, e.g. Jest's docs).
 */
function javaScriptSetters(env: string): RegExp[] {
  const target = String.raw`(?:^|[^\w$.])\(?\s*(?:${env})\s*\)?`;
  return [
    new RegExp(String.raw`${target}(?:\s*\.\s*[A-Za-z_$][\w$]*|\s*${SUBSCRIPT})\s*(?:\?\?|\|\||&&)?${ASSIGNED}`),
    // Object.assign(process.env, { NAME: value, … }) (MDN, Object.assign): a value anywhere in the object literal that
    // follows the target (red team: a nested object before the key hid it).
    new RegExp(String.raw`(?:^|[^\w$.])Object\.assign\(\s*(?:${env})\s*,\s*${OBJECT_PROPERTY}`),
    new RegExp(String.raw`(?:^|[^\w$.])Reflect\.set\(\s*(?:${env})\s*,[^,;\n]{1,200},\s*$`),
    new RegExp(String.raw`(?:^|[^\w$.])Object\.defineProperty\(\s*(?:${env})\s*,[^,;\n]{1,200},\s*\{[^{}]*\bvalue\s*:\s*$`),
    new RegExp(String.raw`${target}\s*=(?![=>])\s*${OBJECT_PROPERTY}`),
  ];
}

/** Setters through `environ`, a pattern for os.environ or a name the file gives it (Python docs, os.environ: a
 * mapping, so item assignment, setdefault, update, __setitem__ and `|=`). */
function pythonSetters(environ: string): RegExp[] {
  const target = String.raw`(?:^|[^\w.])(?:${environ})`;
  return [
    new RegExp(String.raw`${target}\s*${SUBSCRIPT}\s*${PY_ASSIGNED}`),
    new RegExp(String.raw`${target}\.(?:setdefault|__setitem__)\s*\(\s*${NAME}\s*,\s*$`),
    new RegExp(String.raw`${target}\.update\(${PY_UPDATE}\s*$`),
    new RegExp(String.raw`${target}\s*\|=\s*\{[^{}]*:\s*$`),
  ];
}

/** Setters through `env`, a pattern for Ruby's ENV or a name the file gives it (Ruby docs, ENV: `[]=` also called as
 * a method, store, update/merge!, replace). */
function rubySetters(env: string): RegExp[] {
  const target = String.raw`(?:^|[^\w.:])(?:${env})`;
  return [
    // `ENV[name] ||= value` too (red team: a spec helper's default was rewritten into `||= ENV.fetch(name)`).
    new RegExp(String.raw`${target}\s*${SUBSCRIPT}\s*(?:\|\||&&)?${ASSIGNED}`),
    new RegExp(String.raw`${target}\.(?:store|\[\]=)\(\s*${NAME}\s*,\s*$`),
    new RegExp(String.raw`${target}\.(?:update|merge!)\(\s*\{?[^(){}]*?(?:'[^'\n]*'|"[^"\n]*")\s*=>\s*$`),
    new RegExp(String.raw`${target}\.replace\([^;\n]{0,200}=>\s*$`),
  ];
}

/** Patterns that end where the assigned value begins. */
const SETTERS: Partial<Record<FixLanguage, RegExp[]>> = {
  javascript: [...javaScriptSetters(NODE_ENV), new RegExp(String.raw`(?:^|[^\w$.])Deno\.env\.set\(\s*${NAME}\s*,\s*$`)],
  // os.putenv(name, value) besides the mapping's setters (Python docs, os).
  python: [...pythonSetters(String.raw`(?:os\.)?environ`), new RegExp(String.raw`(?:^|[^\w.])os\.putenv\s*\(\s*${NAME}\s*,\s*$`)],
  // The top-level `::ENV` too.
  ruby: rubySetters(String.raw`(?:::)?ENV`),
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
    // Also a property (`this.env = process.env`, then `this.env.X = …`), a later assignment (`let env; env =
    // process.env`), a second declarator (`const a = 1, env = process.env`),
    // a type annotation (`const env: NodeJS.ProcessEnv = process.env`), parentheses, `?.`, `require('process').env`
    // and `globalThis.process.env` (red team: each was "fixed" into a self-assignment).
    /(?:^|[^\w$.])((?:[A-Za-z_$][\w$]*\.)?[A-Za-z_$][\w$]*)\s*(?::[^=;\n{}]{1,80}?)?=\s*\(?\s*(?:(?:globalThis|global)\s*\.\s*)?(?:process|Bun|require\(\s*['"](?:node:)?process['"]\s*\))\s*(?:\?\.|\.)\s*env(?![\w$])(?!\s*\)?\s*(?:[.[(]|\?\.))/g,
    // const { env } = process; const { env: e } = require('node:process') (Node.js docs, process.env).
    /(?:^|[^\w$.])(?:const|let|var)\s*\{[^{}]{0,200}?(?<![\w$.])env(?:\s*:\s*([A-Za-z_$][\w$]*))?\s*[,}][^{}]{0,200}?\}?\s*=\s*(?:process|require\(\s*['"](?:node:)?process['"]\s*\))(?![\w$.])/g,
    // import { env } from 'node:process'; import { env as e } from 'process'.
    /(?:^|[^\w$.])import\s*\{[^{}]{0,200}?(?<![\w$.])env(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*[,}][^{}]{0,200}?\}?\s*from\s*['"](?:node:)?process['"]/g,
  ],
  python: [
    // env = os.environ (the mapping itself, alone on its line).
    // Also annotated (`env: dict = os.environ`), after a `;`, the last of a chain (`a = env = os.environ`), or an
    // attribute (`self.env = os.environ`).
    /(?:^|[\n;=])[ \t]*((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)[ \t]*(?::[^=\n{}]{1,80}?)?=[ \t]*(?:os\.)?environ[ \t]*(?=[\r\n;#]|$)/g,
    // from os import environ as env, also in parentheses over several lines.
    /(?:^|\n)[ \t]*from[ \t]+os[ \t]+import[ \t]+[^\n(]{0,200}?(?<![\w.])environ[ \t]+as[ \t]+([A-Za-z_]\w*)/g,
    /(?:^|\n)[ \t]*from[ \t]+os[ \t]+import[ \t]*\([^()]{0,400}?(?<![\w.])environ\s+as\s+([A-Za-z_]\w*)/g,
  ],
  ruby: [
    // env = ENV (or the top-level ::ENV), also an instance or class variable (@env = ENV).
    /(?:^|[\n;])[ \t]*(@{0,2}[a-z_]\w*)[ \t]*=[ \t]*(?:::)?ENV[ \t]*(?=[\r\n;#]|$)/g,
  ],
};

/**
 * Where a file names the module that holds the environment object: the variable's setters go through `<name>.env`
 * (JavaScript: `const p = process`, `import * as proc from 'node:process'`, a default import) or `<name>.environ`
 * (Python: `import os as o`). Red team: `const p = process; p.env.X = key` became a self-assignment.
 */
const MODULE_ALIASES: Partial<Record<FixLanguage, { finders: RegExp[]; member: string }>> = {
  javascript: {
    finders: [
      /(?:^|[^\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=;\n{}]{1,80}?)?=\s*\(?\s*(?:(?:globalThis|global)\s*\.\s*)?(?:process|require\(\s*['"](?:node:)?process['"]\s*\))(?![\w$])(?!\s*\)?\s*(?:[.[(]|\?\.))/g,
      /(?:^|[^\w$.])import\s*\*\s*as\s+([A-Za-z_$][\w$]*)\s+from\s*['"](?:node:)?process['"]/g,
      /(?:^|[^\w$.])import\s+([A-Za-z_$][\w$]*)\s*(?:,\s*\{[^{}]{0,200}\}\s*)?from\s*['"](?:node:)?process['"]/g,
    ],
    member: String.raw`\s*\.\s*env`,
  },
  python: {
    finders: [/(?:^|\n)[ \t]*import[ \t]+[^\n]{0,200}?(?<![\w.])os[ \t]+as[ \t]+([A-Za-z_]\w*)/g],
    member: String.raw`\.environ`,
  },
};

/** Aliases matched by name at most (see aliasSetters). */
const MAX_ALIASES = 64;

/** A name (an identifier, or `object.property`) as a regular expression matches it: JavaScript names may hold `$`. */
function escapeName(name: string): string {
  return name.replace(/[$.]/g, (char) => `\\${char}`);
}

/** The setter patterns for a file's aliases of the environment object or its module (none for most files). */
function aliasSetters(text: string, language: FixLanguage): RegExp[] {
  const names = new Set<string>();
  for (const finder of ALIASES[language] ?? []) for (const match of text.matchAll(finder)) names.add(escapeName(match[1] ?? 'env'));
  const modules = MODULE_ALIASES[language];
  for (const finder of modules?.finders ?? []) for (const match of text.matchAll(finder)) names.add(escapeName(match[1]) + modules!.member);
  if (names.size === 0) return [];
  // A file of very many aliases would make each key's test try them all: past a few dozen any name counts as one, which
  // leaves more keys to a human, never fewer (the regular expression stays small, and linear on the window).
  const identifier = language === 'javascript' ? String.raw`[A-Za-z_$][\w$]*` : String.raw`@{0,2}[A-Za-z_]\w*`;
  const alias = names.size > MAX_ALIASES ? `${identifier}(?:${modules?.member ?? ''})?` : [...names].join('|');
  if (language === 'javascript') return javaScriptSetters(alias);
  if (language === 'python') return pythonSetters(alias);
  return rubySetters(alias);
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
