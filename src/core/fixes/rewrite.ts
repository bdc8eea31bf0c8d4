// The text of every quick fix for a hardcoded key, as pure functions over (text, offsets): the editor turns the
// edits into one WorkspaceEdit, the CLI applies them to the file. Each returns undefined when it does not apply,
// and never guesses: a key the lexer cannot place, a construct that would not compile after the rewrite
// (a Go `const` block, a C# `const`, a PHP property default, a Rust `static`), or a language with no lookup
// gets no rewrite, and the caller falls back to "move to .env" alone or to a human.
//
// None of these functions stores the key: the caller must write it to the env file or Secret Storage first
// (envFile.ts plans that), because a fix never destroys a key it has not stored elsewhere.

import { PUBLIC_ENV_PREFIXES } from '../clientExposure';
import { findCredentials } from '../credentials';
import type { CredentialKind } from '../findings';
import { SUPPRESSION_MARKER } from '../suppression';
import type { TextEdit } from './edits';
import { csharpUsingSystemEdit, goImportOsEdit, lineEndingOf, pythonImportOsEdit } from './imports';
import { commentSyntax, fixLanguageFor, type CommentSyntax, type FixLanguage } from './languages';
import { keyLocation, type KeyLocation, type StringSpan } from './lexer';

export { keyLocation, type KeyLocation } from './lexer';

export interface FixPlan {
  /** Non-overlapping edits on the original text. */
  edits: TextEdit[];
  /** A one-line description for a code action or the CLI's report; never holds a key. */
  title: string;
  /** What the user must know or do afterwards (set a secret, pass a variable at run time). */
  note?: string;
}

export interface RewriteOptions {
  /** Path or base name: tells TypeScript from JavaScript, JSON from YAML, and which markup a file holds. */
  fileName?: string;
  /** The editor's language id, when there is one. */
  languageId?: string;
}

/** Environment variable names the rewrites will write: POSIX portable names. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Site {
  text: string;
  keyStart: number;
  keyEnd: number;
  variable: string;
  location: KeyLocation;
  options: RewriteOptions;
}

type Rewriter = (site: Site) => FixPlan | undefined;

/**
 * Replaces the key with the language's environment lookup of `variable`: the whole literal, quotes included,
 * when the string is just the key; only the key, spliced in with the language's interpolation or concatenation,
 * when it is part of a larger string. Adds the import the lookup needs when the file lacks it.
 */
export function rewriteToEnvLookup(
  text: string,
  keyStart: number,
  keyEnd: number,
  variable: string,
  language: FixLanguage,
  options: RewriteOptions = {},
): FixPlan | undefined {
  if (!ENV_NAME.test(variable) || keyStart < 0 || keyEnd > text.length || keyStart >= keyEnd) return undefined;
  const rewriter = REWRITERS[language];
  if (!rewriter) return undefined;
  const location = keyLocation(text, keyStart, keyEnd, language);
  if (location.kind === 'comment' || location.kind === 'unknown') return undefined;
  return rewriter({ text, keyStart, keyEnd, variable, location, options });
}

const REWRITERS: Partial<Record<FixLanguage, Rewriter>> = {
  javascript: rewriteJavaScript,
  python: rewritePython,
  go: rewriteGo,
  java: (site) => rewriteWithConcatenation(site, `System.getenv("${site.variable}")`, '+', {}),
  kotlin: rewriteKotlin,
  csharp: rewriteCSharp,
  ruby: rewriteRuby,
  php: rewritePhp,
  rust: rewriteRust,
  shell: rewriteShell,
  dockerfile: rewriteDockerfile,
  compose: (site) => rewriteYamlValue(site, '${' + site.variable + '}', composeNote(site.variable)),
  'github-actions': (site) =>
    site.variable.toUpperCase().startsWith('GITHUB_')
      ? undefined // GitHub reserves the GITHUB_ prefix for its own secrets
      : rewriteYamlValue(site, '${{ secrets.' + site.variable + ' }}', actionsNote(site.variable)),
};

// ---- helpers -----------------------------------------------------------------------------------------------

function replace(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

function isWhole(span: StringSpan, keyStart: number, keyEnd: number): boolean {
  return span.contentStart === keyStart && span.contentEnd === keyEnd;
}

function plan(edits: Array<TextEdit | undefined>, lookup: string, note?: string): FixPlan {
  const defined = edits.filter((edit): edit is TextEdit => edit !== undefined);
  return { edits: defined, title: `Replace the key with ${lookup}`, ...(note === undefined ? {} : { note }) };
}

/** A backslash right before the key escapes its first character; splitting the string there would break it. */
function endsInEscape(content: string): boolean {
  const trailing = /\\*$/.exec(content)![0].length;
  return trailing % 2 === 1;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return end > 0 && text[end - 1] === '\r' && end - 1 >= offset ? end - 1 : end;
}

function extensionOf(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * Whether `a + lookup + b` needs parentheses where the literal stood: not after `(`, `,`, `=`, `[`, `{`, `:`,
 * `;`, `?`, `return` and the like, and not before `,`, `;`, `)`, `]`, `}`, `:`, a comparison or the same
 * operator; otherwise (member access, `*`, unary operators) the grouping would change.
 */
function needsParentheses(text: string, start: number, end: number, operator: string): boolean {
  const before = text.slice(Math.max(0, start - 40), start).trimEnd();
  const after = text.slice(end, end + 40).trimStart();
  const previous = before.slice(-1);
  const next = after[0] ?? '';
  const safeBefore =
    previous === '' ||
    '(,=[{:;?'.includes(previous) ||
    (before.endsWith(operator) && !before.endsWith(operator + operator)) ||
    /(?:^|[^\w$])(?:return|yield|echo|print|puts|await)$/.test(before);
  const safeAfter =
    next === '' ||
    ',;)]}:=!'.includes(next) ||
    (after.startsWith(operator) && !after.startsWith(operator + operator) && !after.startsWith(operator + '='));
  return !(safeBefore && safeAfter);
}

/** Replaces the key inside a larger string by splitting it: `"a " + lookup + " b"`, empty halves dropped. */
function concatenate(site: Site, span: StringSpan, lookup: string, operator: string): TextEdit | undefined {
  const { text, keyStart, keyEnd } = site;
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  const literal = (content: string) => span.prefix + span.open + content + span.close;
  const parts = [...(before ? [literal(before)] : []), lookup, ...(after ? [literal(after)] : [])];
  let expression = parts.join(` ${operator} `);
  if (parts.length > 1 && needsParentheses(text, span.start, span.end, operator)) expression = `(${expression})`;
  return replace(span.start, span.end, expression);
}

/** The statement text on the span's line before the literal. */
function lineBefore(text: string, offset: number): string {
  return text.slice(lineStartOf(text, offset), offset);
}

// ---- JavaScript / TypeScript -------------------------------------------------------------------------------

function isTypeScript(site: Site): boolean {
  const { languageId, fileName } = site.options;
  if (languageId === 'typescript' || languageId === 'typescriptreact') return true;
  const ext = extensionOf(fileName);
  if (['ts', 'tsx', 'mts', 'cts'].includes(ext)) return true;
  if (ext === 'astro') return true; // Astro frontmatter is TypeScript
  return (ext === 'vue' || ext === 'svelte') && /<script\b[^>]*\blang=["']ts["']/.test(site.text);
}

/** The SDK options that accept `string | undefined`, so TypeScript needs no non-null assertion there. */
const SDK_KEY_OPTION = /(?:\b|["'])(?:apiKey|authToken)["']?\s*:\s*$/;

function rewriteJavaScript(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const lookup = `process.env.${variable}`;
  const markup = markupContext(site, span);
  if (markup === 'template') return undefined; // Vue templates cannot read process.env
  if (span.open === '`') {
    if (isTaggedTemplate(text, span.start)) return undefined; // a tag (String.raw, sql`…`) sees the parts
    if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
    return plan([replace(keyStart, keyEnd, '${' + lookup + '}')], lookup);
  }
  if (span.multiline) return undefined; // a quoted string continued with backslash-newline
  if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
  // A larger '…' or "…" string becomes a template literal with the lookup interpolated.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  let template = '`' + toTemplateText(before) + '${' + lookup + '}' + toTemplateText(after) + '`';
  if (markup === 'attribute') template = `{${template}}`;
  return plan([replace(span.start, span.end, template)], lookup);
}

function wholeJavaScript(site: Site, span: StringSpan, lookup: string, markup: 'attribute' | undefined): FixPlan | undefined {
  const { text } = site;
  // `'…' as const` would become `process.env.X as const`, which TypeScript rejects.
  if (/^\s*as\s+const\b/.test(text.slice(span.end, span.end + 20))) return undefined;
  const assert = isTypeScript(site) && !SDK_KEY_OPTION.test(text.slice(Math.max(0, span.start - 40), span.start));
  let expression = assert ? `${lookup}!` : lookup;
  if (markup === 'attribute') expression = `{${expression}}`;
  const note = assert
    ? `process.env values are typed string | undefined; the ! keeps the string type the literal had, so make sure ${site.variable} is set wherever this code runs.`
    : undefined;
  return plan([replace(span.start, span.end, expression)], lookup, note);
}

/** Escapes what a template literal would interpret (an unescaped backtick, `${`), leaving existing escapes. */
function toTemplateText(content: string): string {
  let result = '';
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (char === '\\') {
      result += content.slice(i, i + 2);
      i++;
    } else if (char === '`') result += '\\`';
    else if (char === '$' && content[i + 1] === '{') result += '\\$';
    else result += char;
  }
  return result;
}

const NOT_A_TAG = /(?:^|[^\w$.])(?:return|typeof|await|yield|case|in|of|else|void|throw|delete|new|do)$/;

function isTaggedTemplate(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start).trimEnd();
  return /[\w$)\]]$/.test(before) && !NOT_A_TAG.test(before);
}

/** A tag's attribute list up to `name=` (JSX, Svelte, Astro, Vue templates). */
const ATTRIBUTE_BEFORE =
  /<[A-Za-z][\w.:-]*(?:\s+(?:[\w:.@-]+(?:=(?:"[^"]*"|'[^']*'|\{[^{}]*\}))?|\{\.\.\.[^{}]*\}))*\s+[\w:.@-]+=$/;

/**
 * Whether the literal is a markup attribute value (`<Client apiKey="…" />`, which takes `{expression}`) or sits
 * in a Vue template (where process.env does not exist). Script blocks of .vue/.svelte files and Astro
 * frontmatter are plain code.
 */
function markupContext(site: Site, span: StringSpan): 'attribute' | 'template' | undefined {
  const { text } = site;
  const ext = extensionOf(site.options.fileName) || (site.options.languageId ?? '');
  const isComponentFile = ['vue', 'svelte', 'astro'].includes(ext);
  if (isComponentFile && inScriptBlock(text, span.start, ext)) return undefined;
  const isAttribute = ATTRIBUTE_BEFORE.test(text.slice(Math.max(0, span.start - 1000), span.start));
  if (ext === 'vue') return 'template';
  if (isAttribute) return 'attribute';
  return isComponentFile ? 'template' : undefined;
}

function inScriptBlock(text: string, offset: number, ext: string): boolean {
  if (ext === 'astro') {
    // Frontmatter: between a leading `---` line and the next one.
    const fence = /^---[ \t]*\r?\n/.exec(text);
    if (fence) {
      const close = text.indexOf('\n---', fence[0].length - 1);
      if (close < 0 || offset < close) return true;
    }
  }
  const open = text.lastIndexOf('<script', offset);
  if (open < 0) return false;
  const close = text.lastIndexOf('</script', offset);
  return close < open;
}

// ---- Python ------------------------------------------------------------------------------------------------

function rewritePython(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const prefix = span.prefix.toLowerCase();
  if (prefix.includes('t')) return undefined; // template strings (3.14) produce Template objects, not str
  const lookup = `os.environ["${variable}"]`;
  const importEdit = pythonImportOsEdit(text);
  // An implicitly concatenated literal ("Bearer " "sk-…") must stay a literal: it becomes an f-string.
  const adjacent = /["']\s*$/.test(text.slice(Math.max(0, span.start - 10), span.start)) || /^\s*[rRbBuUfF]{0,2}["']/.test(text.slice(span.end, span.end + 10));
  if (isWhole(span, keyStart, keyEnd) && !adjacent) {
    return plan([importEdit, replace(span.start, span.end, prefix.includes('b') ? `${lookup}.encode()` : lookup)], lookup);
  }
  // Part of a larger string (or a whole literal in an implicit concatenation): interpolate in an f-string. Before
  // Python 3.12 an f-string cannot reuse its own quote inside a replacement field.
  if (prefix.includes('b') || span.multiline) return undefined;
  const quote = span.open[0];
  const inner = quote === '"' ? `os.environ['${variable}']` : `os.environ["${variable}"]`;
  if (prefix.includes('f')) return plan([importEdit, replace(keyStart, keyEnd, `{${inner}}`)], lookup);
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  const doubleBraces = (content: string) => content.replace(/[{}]/g, '$&$&');
  const newPrefix = span.prefix.replace(/[uU]/g, '') + 'f';
  const fString = newPrefix + span.open + doubleBraces(before) + `{${inner}}` + doubleBraces(after) + span.close;
  return plan([importEdit, replace(span.start, span.end, fString)], lookup);
}

// ---- Go ----------------------------------------------------------------------------------------------------

function rewriteGo(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined; // a rune, not a string
  const span = location.span;
  const lookup = `os.Getenv("${variable}")`;
  // A function call is not a constant: `const k = "…"` becomes `var k = …`; inside a const ( … ) block the
  // declaration would have to move, which is not mechanical.
  const constEdit = goConstEdit(text, span.start);
  if (constEdit === null) return undefined;
  let edit: TextEdit | undefined;
  if (isWhole(span, keyStart, keyEnd)) edit = replace(span.start, span.end, lookup);
  else if (!span.multiline) edit = concatenate(site, span, lookup, '+');
  if (!edit) return undefined;
  const note = constEdit ? 'The constant became a variable: os.Getenv is evaluated at run time.' : undefined;
  return plan([goImportOsEdit(text), constEdit, edit], lookup, note);
}

/** An edit turning a single-line `const` into `var`, undefined when none is needed, null inside a const block. */
function goConstEdit(text: string, offset: number): TextEdit | undefined | null {
  const lineStart = lineStartOf(text, offset);
  const line = /^([ \t]*)const(?=[ \t])/.exec(text.slice(lineStart, offset));
  if (line) return replace(lineStart + line[1].length, lineStart + line[0].length, 'var');
  let cursor = lineStart;
  for (let steps = 0; steps < 1000 && cursor > 0; steps++) {
    const previousStart = lineStartOf(text, cursor - 1);
    const previous = text.slice(previousStart, cursor - 1);
    if (/^[ \t]*const[ \t]*\(/.test(previous)) return null;
    if (/^[ \t]*\)/.test(previous) || /^[ \t]*(?:var|import)[ \t]*\(/.test(previous) || /^(?:func|type)\b/.test(previous)) {
      return undefined;
    }
    cursor = previousStart;
  }
  return undefined;
}

// ---- Java, Kotlin, C#, PHP, Ruby ---------------------------------------------------------------------------

interface ConcatenationOptions {
  /** `'…'` is a string (PHP, Ruby) rather than a character literal (Java, C#). */
  singleQuotedStrings?: boolean;
  /** A `const` declaration needs a constant expression (C#). */
  refuseConst?: boolean;
  extraEdits?: Array<TextEdit | undefined>;
}

/** The whole literal becomes the lookup; a larger string is split around it with the concatenation operator. */
function rewriteWithConcatenation(site: Site, lookup: string, operator: string, options: ConcatenationOptions): FixPlan | undefined {
  const { text, keyStart, keyEnd, location } = site;
  if (location.kind !== 'string' || (location.span.open === "'" && !options.singleQuotedStrings)) return undefined;
  const span = location.span;
  if (options.refuseConst && /\bconst\b/.test(lineBefore(text, span.start))) return undefined;
  let edit: TextEdit | undefined;
  if (isWhole(span, keyStart, keyEnd) && !span.multiline) edit = replace(span.start, span.end, lookup);
  else if (!span.multiline && !span.open.startsWith('"""')) edit = concatenate(site, span, lookup, operator);
  if (!edit) return undefined;
  return plan([...(options.extraEdits ?? []), edit], lookup);
}

function rewriteKotlin(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined;
  const span = location.span;
  const lookup = `System.getenv("${variable}")`;
  // `const val` needs a compile-time constant; a plain `val` takes the lookup.
  const before = lineBefore(text, span.start);
  const constMatch = /\bconst[ \t]+(?=val\b)/.exec(before);
  const constStart = lineStartOf(text, span.start) + (constMatch?.index ?? 0);
  const constEdit = constMatch ? replace(constStart, constStart + constMatch[0].length, '') : undefined;
  // Kotlin templates take any expression, so a larger string keeps its shape.
  const edit = isWhole(span, keyStart, keyEnd)
    ? replace(span.start, span.end, lookup)
    : replace(keyStart, keyEnd, '${' + lookup + '}');
  return plan([constEdit, edit], lookup);
}

function rewriteCSharp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  if (location.kind !== 'string') return undefined;
  // Attribute arguments must be constants too.
  if (/^\s*\[/.test(lineBefore(text, location.span.start))) return undefined;
  return rewriteWithConcatenation(site, `Environment.GetEnvironmentVariable("${site.variable}")`, '+', {
    refuseConst: true,
    extraEdits: [csharpUsingSystemEdit(text)],
  });
}

function rewriteRuby(site: Site): FixPlan | undefined {
  const { keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const lookup = `ENV.fetch("${variable}")`;
  if (!isWhole(span, keyStart, keyEnd) && span.open !== "'") {
    // Double quotes and backticks interpolate; #{} takes any expression, quotes included.
    return plan([replace(keyStart, keyEnd, '#{' + lookup + '}')], lookup);
  }
  return rewriteWithConcatenation(site, lookup, '+', { singleQuotedStrings: true });
}

function rewritePhp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  if (location.kind !== 'string') return undefined;
  // Constants and property defaults must be constant expressions: a getenv() call there is a fatal error.
  const before = lineBefore(text, location.span.start);
  if (/\bconst\b|\bdefine\s*\(/.test(before)) return undefined;
  if (/^\s*(?:(?:public|private|protected|static|readonly|var)\s+)+(?:\??[\w\\]+\s+)?\$\w+\s*=\s*$/.test(before)) return undefined;
  return rewriteWithConcatenation(site, `getenv('${site.variable}')`, '.', { singleQuotedStrings: true });
}

// ---- Rust --------------------------------------------------------------------------------------------------

function rewriteRust(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  // Only a whole str literal: format!() would change the type, and b"…" is bytes.
  if (!isWhole(span, keyStart, keyEnd) || span.prefix === 'b' || span.open.startsWith('b')) return undefined;
  // A const or static needs a constant expression.
  if (/^\s*(?:pub(?:\([\w:\s]+\))?\s+)?(?:const|static)\b/.test(lineBefore(text, span.start))) return undefined;
  const lookup = `std::env::var("${variable}").expect("${variable} is not set")`;
  return plan([replace(span.start, span.end, lookup)], lookup, 'std::env::var returns a String where the literal was a &str: borrow it (&) where a &str is required.');
}

// ---- Shell -------------------------------------------------------------------------------------------------

function rewriteShell(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  const quoted = `"$${variable}"`;
  if (location.kind === 'bare') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  if (isWhole(span, keyStart, keyEnd)) return plan([replace(span.start, span.end, quoted)], quoted);
  if (span.open === '"') return plan([replace(keyStart, keyEnd, '${' + variable + '}')], quoted);
  if (span.open === '`') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  // '…' and $'…' never expand: close the quote, expand in double quotes, reopen.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (span.prefix === '$' && endsInEscape(before)) return undefined;
  const literal = (content: string) => (content ? span.prefix + span.open + content + span.close : '');
  return plan([replace(span.start, span.end, literal(before) + quoted + literal(after))], quoted);
}

// ---- Dockerfile --------------------------------------------------------------------------------------------

interface Instruction {
  /** Start of the instruction's first line. */
  start: number;
  /** End of its last line (before the line break). */
  end: number;
  keyword: string;
  /** Offset just past the keyword and its blanks. */
  argsStart: number;
}

function dockerInstructionAt(text: string, offset: number): Instruction | undefined {
  // Back over continued lines; Docker drops comment lines (and tolerates blank ones) inside a continuation.
  let start = lineStartOf(text, offset);
  for (let cursor = start; cursor > 0; ) {
    const previousStart = lineStartOf(text, cursor - 1);
    const previous = text.slice(previousStart, cursor - 1).replace(/\r$/, '');
    cursor = previousStart;
    if (/^\s*(?:#|$)/.test(previous)) continue;
    if (!/\\\s*$/.test(previous)) break;
    start = previousStart;
  }
  const keyword = /^\s*([A-Za-z]+)\s+/.exec(text.slice(start, lineEndOf(text, start)));
  if (!keyword) return undefined;
  // Forward to the line that does not continue.
  let end = lineEndOf(text, offset);
  while (/\\\s*$/.test(text.slice(lineStartOf(text, end), end))) {
    let next = text.indexOf('\n', end) + 1;
    while (next > 0 && next < text.length && /^\s*#/.test(text.slice(next, lineEndOf(text, next)))) next = text.indexOf('\n', next) + 1;
    if (next <= 0 || next >= text.length) break;
    end = lineEndOf(text, next);
  }
  return { start, end, keyword: keyword[1].toUpperCase(), argsStart: start + keyword[0].length };
}

/**
 * ENV bakes its value into every image layer and `docker history`, and ARG defaults are recorded too. The key
 * moves out of the instruction: an ENV pair is removed (the whole instruction when it was the only pair) with a
 * comment saying how to pass it at run time; an ARG keeps its name without the default.
 */
function rewriteDockerfile(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind === 'comment' || location.kind === 'unknown') return undefined;
  const instruction = dockerInstructionAt(text, keyStart);
  if (!instruction || (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG')) return undefined;
  const eol = lineEndingOf(text);
  const indentation = /^[ \t]*/.exec(text.slice(instruction.start))![0];
  const args = text.slice(instruction.argsStart, keyStart);
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=(["']?)$/.exec(args);
  const legacy = instruction.keyword === 'ENV' && !pair ? /^([A-Za-z_][A-Za-z0-9_]*)\s+(["']?)$/.exec(args) : null;
  const match = pair ?? legacy;
  if (!match) return undefined;
  const [, name, quote] = match;
  const valueEnd = keyEnd + quote.length;
  if (text.slice(keyEnd, valueEnd) !== quote || !/^(?:\s|\\|$)/.test(text.slice(valueEnd, valueEnd + 1))) return undefined;
  const pairStart = keyStart - match[0].length;
  const runtime = name === variable ? `-e ${name}` : `-e ${name}="$${variable}"`;
  if (instruction.keyword === 'ARG') {
    const comment =
      `${indentation}# ${name} has no default: pass the key as a build secret (docker build --secret id=${name},env=${variable} ` +
      `with RUN --mount=type=secret,id=${name},env=${name} ...), not --build-arg${eol}`;
    return {
      edits: [replace(instruction.start, instruction.start, comment), replace(keyStart - 1 - quote.length, valueEnd, '')],
      title: `Remove the key from ARG ${name} (use a build secret)`,
      note: `Build arguments and their defaults are recorded in the image history. Pass the key as a build secret instead: docker build --secret id=${name},env=${variable} with RUN --mount=type=secret,id=${name},env=${name}.`,
    };
  }
  const comment = `${indentation}# ${name} is provided at run time: docker run ${runtime} ...`;
  const note =
    `ENV values are baked into the image layers, where anyone with the image can read them. Pass the key when the ` +
    `container starts (docker run ${runtime}, or env_file/environment in compose); if a build step needs it, ` +
    `use a build secret (RUN --mount=type=secret,id=${name},env=${name}).`;
  const title = `Remove the key from ENV ${name} (pass it at run time)`;
  const pairCount = (text.slice(instruction.argsStart, instruction.end).match(/(?:^|\s)[A-Za-z_][A-Za-z0-9_]*=/g) ?? []).length;
  if (legacy || pairCount <= 1) {
    return { edits: [replace(instruction.start, instruction.end, comment)], title, note };
  }
  return { edits: [replace(instruction.start, instruction.start, comment + eol), removePair(text, pairStart, valueEnd, instruction)], title, note };
}

/** Removes one `NAME=value` from a multi-pair ENV, leaving the continuation lines well-formed. */
function removePair(text: string, pairStart: number, pairEnd: number, instruction: Instruction): TextEdit {
  const lineStart = lineStartOf(text, pairStart);
  const lineEnd = lineEndOf(text, pairStart);
  const aloneOnLine = lineStart > instruction.start && text.slice(lineStart, pairStart).trim() === '' && /^[ \t]*\\?[ \t]*$/.test(text.slice(pairEnd, lineEnd));
  if (aloneOnLine) {
    const continues = /\\[ \t]*$/.test(text.slice(pairEnd, lineEnd));
    if (continues) {
      const next = text.indexOf('\n', lineEnd);
      return replace(lineStart, next < 0 ? text.length : next + 1, '');
    }
    // The last line of the instruction: drop it and the continuation that led to it.
    const previousLineEnd = lineStart - (text[lineStart - 2] === '\r' ? 2 : 1);
    const backslash = text.lastIndexOf('\\', previousLineEnd);
    const cut = /[ \t]*$/.exec(text.slice(0, backslash))!.index;
    return replace(cut, lineEnd, '');
  }
  const leading = /[ \t]*$/.exec(text.slice(instruction.argsStart, pairStart))![0].length;
  return replace(pairStart - leading, pairEnd, '');
}

// ---- YAML: docker compose, GitHub Actions ------------------------------------------------------------------

function rewriteYamlValue(site: Site, lookup: string, note: string): FixPlan | undefined {
  const { text, keyStart, keyEnd, location } = site;
  if (location.kind === 'string') return plan([replace(keyStart, keyEnd, lookup)], lookup, note);
  if (location.kind !== 'bare') return undefined;
  // In a flow collection ({…} or […]) braces are indicators, so the lookup goes in quotes.
  const before = lineBefore(text, keyStart);
  const inFlow = (before.match(/[{[]/g) ?? []).length > (before.match(/[}\]]/g) ?? []).length;
  return plan([replace(keyStart, keyEnd, inFlow ? `"${lookup}"` : lookup)], lookup, note);
}

function composeNote(variable: string): string {
  return `docker compose substitutes \${${variable}} from the shell environment or from the .env file in the project directory (next to the compose file).`;
}

function actionsNote(variable: string): string {
  return `Add the key as a repository or environment secret named ${variable} (Settings → Secrets and variables → Actions, or gh secret set ${variable}).`;
}

// ---- Remove the SDK's apiKey option ------------------------------------------------------------------------

const JS_CLIENT_CALL = /(?:\bnew\s+(?:[\w$]+\.)*Anthropic|\bcreateAnthropic)\s*\(\s*$/;
const PY_CLIENT_CALL = /(?:^|[^\w.])(?:[A-Za-z_]\w*\.)*(?:Async)?Anthropic\s*$/;

/**
 * Removes the key option the SDKs fill from ANTHROPIC_API_KEY themselves: `apiKey: '…'` in
 * `new Anthropic({ … })` / `createAnthropic({ … })`, and `api_key='…'` in `Anthropic(…)` / `AsyncAnthropic(…)`.
 * A sole option leaves `new Anthropic()`. Only for API keys (pass the finding's kind): an admin key is not
 * what the client reads. The caller must store the key under exactly ANTHROPIC_API_KEY first, or the client
 * would silently pick up whatever that variable holds.
 */
export function removeApiKeyOption(
  text: string,
  keyStart: number,
  keyEnd: number,
  language: FixLanguage,
  kind?: CredentialKind,
): FixPlan | undefined {
  if (kind !== undefined && kind !== 'api-key') return undefined;
  if (language !== 'javascript' && language !== 'python') return undefined;
  const location = keyLocation(text, keyStart, keyEnd, language);
  if (location.kind !== 'string' || location.span.multiline || !isWhole(location.span, keyStart, keyEnd)) return undefined;
  const span = location.span;
  if (/[bt]/i.test(span.prefix)) return undefined;
  const head = text.slice(Math.max(0, span.start - 200), span.start);
  const option = language === 'javascript' ? /(?:\bapiKey|(["'])apiKey\1)\s*:\s*$/.exec(head) : /\bapi_key\s*=\s*$/.exec(head);
  if (!option) return undefined;
  const itemStart = span.start - (head.length - option.index);
  const open = enclosingOpen(text, itemStart);
  if (open < 0 || text[open] !== (language === 'javascript' ? '{' : '(')) return undefined;
  const callHead = text.slice(Math.max(0, open - 200), open);
  if (!(language === 'javascript' ? JS_CLIENT_CALL : PY_CLIENT_CALL).test(callHead)) return undefined;
  const close = matchingClose(text, open, language);
  if (close < 0) return undefined;
  const title = language === 'javascript' ? 'Remove the apiKey option (the SDK reads ANTHROPIC_API_KEY)' : 'Remove api_key= (the SDK reads ANTHROPIC_API_KEY)';
  const note = 'The client now reads the key from ANTHROPIC_API_KEY: store it under exactly that name where the code runs.';
  const removal = removeItem(text, open, close, itemStart, span.end);
  if (removal === undefined) return undefined;
  if (removal !== 'sole') return { edits: [removal], title, note };
  if (language === 'python') return { edits: [replace(open + 1, close, '')], title, note };
  // `new Anthropic({ apiKey })` with nothing else: `new Anthropic()`.
  const parenOpen = open - /\(\s*$/.exec(text.slice(0, open))![0].length;
  const afterObject = /^\s*,?\s*\)/.exec(text.slice(close + 1, close + 200));
  if (afterObject) return { edits: [replace(parenOpen + 1, close + 1 + afterObject[0].length - 1, '')], title, note };
  return { edits: [replace(open + 1, close, '')], title, note };
}

/** The unmatched `(`, `[` or `{` before `offset`, or -1. Brackets inside strings on the way can mislead it, so
 * the callers also check what precedes the bracket it finds. */
function enclosingOpen(text: string, offset: number): number {
  let depth = 0;
  for (let i = offset - 1; i >= 0 && i >= offset - 4000; i--) {
    const char = text[i];
    if (char === ')' || char === ']' || char === '}') depth++;
    else if (char === '(' || char === '[' || char === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The bracket closing the one at `open`, skipping strings and comments (via the lexer's view of them). */
function matchingClose(text: string, open: number, language: FixLanguage): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 20000; i++) {
    const char = text[i];
    if (char === '"' || char === "'" || char === '`') {
      const quoteEnd = skipSimpleString(text, i);
      if (quoteEnd < 0) return -1;
      i = quoteEnd;
      continue;
    }
    if ((language === 'python' && char === '#') || (language === 'javascript' && text.startsWith('//', i))) {
      const newline = text.indexOf('\n', i);
      if (newline < 0) return -1;
      i = newline;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

function skipSimpleString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** The edit removing one item of a comma-separated list between `open` and `close`, or 'sole' when it is the
 * only one. An item on its own line goes with its line; inline, it goes with one adjacent comma. */
function removeItem(text: string, open: number, close: number, itemStart: number, itemEnd: number): TextEdit | 'sole' | undefined {
  const trailingComma = /^[ \t]*,/.exec(text.slice(itemEnd, close));
  const itemEndWithComma = itemEnd + (trailingComma ? trailingComma[0].length : 0);
  const others = text.slice(open + 1, itemStart) + text.slice(itemEndWithComma, close);
  if (others.replace(/,/g, '').trim() === '') return 'sole';
  const lineStart = lineStartOf(text, itemStart);
  const restOfLine = text.slice(itemEndWithComma, lineEndOf(text, itemEndWithComma));
  if (lineStart > open && text.slice(lineStart, itemStart).trim() === '' && restOfLine.trim() === '') {
    const newline = text.indexOf('\n', itemEndWithComma);
    return replace(lineStart, newline < 0 ? text.length : newline + 1, '');
  }
  if (trailingComma) {
    const spaces = /^[ \t]*/.exec(text.slice(itemEndWithComma))![0].length;
    return replace(itemStart, itemEndWithComma + spaces, '');
  }
  const before = /,\s*$/.exec(text.slice(open + 1, itemStart));
  if (!before) return undefined; // no comma on either side: not a list this can edit safely
  return replace(open + 1 + before.index, itemEnd, '');
}

// ---- Redaction ---------------------------------------------------------------------------------------------

/**
 * Replaces the key with its hint in ASCII (`sk-ant-api03-R2D...igAA`): the way the Console lists keys, so the
 * reader still sees which key was there (to revoke it), and too short to be a key, so the result scans clean.
 * For prose, comments and templates, where no lookup exists; store the key first.
 */
export function redactKey(text: string, keyStart: number, keyEnd: number, hint: string): FixPlan {
  let placeholder = hint.replace(/…/g, '...');
  // Belt and braces: a placeholder must never scan as a key, whatever hint it was given.
  const lineStart = lineStartOf(text, keyStart);
  const lineEnd = lineEndOf(text, keyEnd);
  const candidate = text.slice(lineStart, keyStart) + placeholder + text.slice(keyEnd, lineEnd);
  const placeholderStart = keyStart - lineStart;
  const overlaps = findCredentials(candidate).some((match) => match.start < placeholderStart + placeholder.length && match.end > placeholderStart);
  if (overlaps || placeholder.length === 0) placeholder = '<REDACTED>';
  return { edits: [replace(keyStart, keyEnd, placeholder)], title: `Redact the key (leave ${placeholder})` };
}

// ---- Suppression comment -----------------------------------------------------------------------------------

/** Code fence info strings that are not file extensions. */
const FENCE_ALIASES: Record<string, string> = {
  python: 'x.py',
  python3: 'x.py',
  javascript: 'x.js',
  typescript: 'x.ts',
  shell: 'x.sh',
  console: 'x.sh',
  'shell-session': 'x.sh',
  ruby: 'x.rb',
  rust: 'x.rs',
  golang: 'x.go',
  kotlin: 'x.kt',
  csharp: 'x.cs',
  'c#': 'x.cs',
  dockerfile: 'Dockerfile',
  docker: 'Dockerfile',
};

/** The comment syntax of the fenced code block holding `offset` in Markdown, null outside any fence. */
function fenceCommentSyntax(text: string, offset: number): CommentSyntax | undefined | null {
  let fence: { marker: string; info: string } | undefined;
  const lineStart = lineStartOf(text, offset);
  for (const match of text.slice(0, lineStart).matchAll(/^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$/gm)) {
    if (!fence) fence = { marker: match[1], info: match[2].toLowerCase() };
    else if (match[1][0] === fence.marker[0] && match[1].length >= fence.marker.length && match[2] === '') fence = undefined;
  }
  if (!fence) return null;
  if (!fence.info) return undefined;
  const fileName = FENCE_ALIASES[fence.info] ?? `x.${fence.info}`;
  return commentSyntax(fixLanguageFor(fileName), fileName);
}

/**
 * Adds the suppression marker in the file's comment syntax: on a line of its own above the key, indented like
 * the key's line; at the end of the key's line where a line above would not work (inside a backslash
 * continuation, which a comment line would cut) or would show (Markdown prose, where an HTML comment line
 * splits a paragraph). Undefined where the file has no comments (JSON, plain text).
 */
export function addSuppressionComment(text: string, keyStart: number, language: FixLanguage, options: RewriteOptions = {}): FixPlan | undefined {
  let syntax = commentSyntax(language, options.fileName, options.languageId);
  const isMarkdown = language === 'prose' && syntax !== undefined && 'block' in syntax && syntax.block[0] === '<!--';
  let endOfLine = isMarkdown;
  if (isMarkdown) {
    const fenced = fenceCommentSyntax(text, keyStart);
    if (fenced !== null) {
      syntax = fenced;
      endOfLine = false;
    }
  }
  if (!syntax) return undefined;
  const comment = 'line' in syntax ? `${syntax.line} ${SUPPRESSION_MARKER}` : `${syntax.block[0]} ${SUPPRESSION_MARKER} ${syntax.block[1]}`;
  const title = `Ignore this key here (add an ${SUPPRESSION_MARKER} comment)`;
  const lineStart = lineStartOf(text, keyStart);
  const lineEnd = lineEndOf(text, keyStart);
  const lineText = text.slice(lineStart, lineEnd);
  const previousLine = lineStart > 0 ? text.slice(lineStartOf(text, lineStart - 1), lineStart - 1).replace(/\r$/, '') : '';
  // Docker drops comment lines inside a continuation, so the line above is fine there.
  if (/\\$/.test(previousLine) && language !== 'dockerfile') endOfLine = true;
  if (!endOfLine) {
    const indentation = /^[ \t]*/.exec(lineText)![0];
    return { edits: [replace(lineStart, lineStart, indentation + comment + lineEndingOf(text))], title };
  }
  // A `#` after a backslash continuation would be part of the command in a Dockerfile, and nothing can follow
  // a line that itself continues.
  if (/\\\s*$/.test(lineText)) return undefined;
  return { edits: [replace(lineEnd, lineEnd, ' ' + comment)], title };
}

// ---- Variable names ----------------------------------------------------------------------------------------

/** Where each kind is conventionally read from: the SDKs' and Claude Code's names. */
const DEFAULT_VARIABLE: Record<CredentialKind, string> = {
  'api-key': 'ANTHROPIC_API_KEY',
  'admin-key': 'ANTHROPIC_ADMIN_KEY',
  'oauth-access-token': 'CLAUDE_CODE_OAUTH_TOKEN',
  'oauth-refresh-token': 'ANTHROPIC_OAUTH_REFRESH_TOKEN',
  'session-key': 'ANTHROPIC_SESSION_KEY',
  'other-token': 'ANTHROPIC_CREDENTIAL',
};

/**
 * The env variable a key should live in. The kind's conventional name, unless the key was assigned to an
 * environment-style name of its own that mentions Anthropic or Claude (`ANALYTICS_ANTHROPIC_KEY = '…'` keeps
 * that name, minus any bundler prefix that would expose it to browsers). Local names (`analyticsKey`) and
 * generic ones (`API_KEY`) give the default, which the SDKs read on their own.
 */
export function variableNameFor(kind: CredentialKind, assignedName?: string): string {
  const fallback = DEFAULT_VARIABLE[kind];
  if (!assignedName) return fallback;
  const name = renamePublicVariable(assignedName) ?? assignedName;
  if (!/^[A-Z][A-Z0-9_]*$/.test(name) || !/ANTHROPIC|CLAUDE/.test(name) || name.startsWith('GITHUB_')) return fallback;
  return name;
}

/** `NAME = ` / `NAME: ` / `"NAME": ` / `NAME := ` / `'NAME' => ` / `NAME=` / `ENV NAME ` / `["NAME"] = ` /
 * `setenv("NAME", `, each optionally with a type annotation, right before the literal on its line. */
const ASSIGNMENT_PATTERNS = [
  /\[\s*["']([A-Za-z_]\w*)["']\s*\]\s*=\s*$/,
  /\(\s*["']([A-Za-z_]\w*)["']\s*,\s*$/,
  /([A-Za-z_]\w*)\s*:\s*[^=:;,(){}]+?\s*=\s*$/,
  /([A-Za-z_]\w*)["']?\s*(?:=>|:=|\?\?=|\|\|=|=|:)\s*$/,
  /^\s*ENV\s+([A-Za-z_]\w*)\s+$/i,
];

/** The name the key at `keyStart` is assigned to on its line, if any (`const NAME = '…'`, `NAME: …`). */
export function assignedNameAt(text: string, keyStart: number): string | undefined {
  // Drop the literal's opening quote and prefix.
  const before = lineBefore(text, keyStart).replace(/(?:[rRbBuUfF@$]{0,2}(?:"""|'''|["'`]))$/, '');
  for (const pattern of ASSIGNMENT_PATTERNS) {
    const match = pattern.exec(before);
    if (match) return match[1];
  }
  return undefined;
}

/** The name without the prefix that makes a bundler inline it into browser code (`NEXT_PUBLIC_`, `VITE_`…, so
 * the Next.js public variant of ANTHROPIC_API_KEY becomes ANTHROPIC_API_KEY); undefined when it has none. */
export function renamePublicVariable(name: string): string | undefined {
  for (const { prefix } of PUBLIC_ENV_PREFIXES) {
    if (name.startsWith(prefix) && ENV_NAME.test(name.slice(prefix.length))) return name.slice(prefix.length);
  }
  return undefined;
}

/** Edits renaming every whole-word occurrence of a public variable in a text (source or .env) to its
 * server-only name; undefined when the name has no bundler prefix. */
export function renamePublicVariableEdits(text: string, name: string): FixPlan | undefined {
  const renamed = renamePublicVariable(name);
  if (!renamed) return undefined;
  const edits: TextEdit[] = [];
  const pattern = new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'g');
  for (const match of text.matchAll(pattern)) edits.push(replace(match.index, match.index + name.length, renamed));
  if (edits.length === 0) return undefined;
  return {
    edits,
    title: `Rename ${name} to ${renamed} (server-only)`,
    note: `Read ${renamed} only in server code; the browser must reach Anthropic through your server. Rename it in your env files and deployment settings too, and rotate the key if it has already shipped.`,
  };
}
