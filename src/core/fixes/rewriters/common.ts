// What every language's rewriter shares: the site of a key, the plan it returns, and the small text helpers
// (line bounds, splitting a string around the key, when a concatenation needs parentheses).

import type { TextEdit } from '../edits';
import type { KeyLocation, KeyLocator, StringSpan } from '../lexer';

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
  /** The lexer of this text, shared by all its keys (createKeyLocator): without it each key lexes the text again. */
  locator?: KeyLocator;
}

/** Everything a rewriter needs about one key: the text, where the key is, and the variable to read instead. */
export interface Site {
  text: string;
  keyStart: number;
  keyEnd: number;
  variable: string;
  location: KeyLocation;
  options: RewriteOptions;
}

/**
 * `compute(text)`, once per text when the caller shares a locator between the text's keys: an import edit depends on
 * the whole file, and computing it again for every key made a file's fix quadratic in its keys (red team F13).
 */
export function perText<T>(site: Site, id: string, compute: (text: string) => T): T {
  const locator = site.options.locator;
  return locator && locator.text === site.text ? locator.derived(id, () => compute(site.text)) : compute(site.text);
}

/** One language's rewrite: a plan, or undefined when it cannot keep the code's meaning. */
export type Rewriter = (site: Site) => FixPlan | undefined;

/** Environment variable names the rewrites will write: POSIX portable names. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function replace(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

export function isWhole(span: StringSpan, keyStart: number, keyEnd: number): boolean {
  return span.contentStart === keyStart && span.contentEnd === keyEnd;
}

export function plan(edits: Array<TextEdit | undefined>, lookup: string, note?: string): FixPlan {
  const defined = edits.filter((edit): edit is TextEdit => edit !== undefined);
  return { edits: defined, title: `Replace the key with ${lookup}`, ...(note === undefined ? {} : { note }) };
}

/** The plan's title also names the import it adds, so it says everything the edit does (issue 12, small things). */
export function withImport(result: FixPlan | undefined, importEdit: TextEdit | undefined, statement: string): FixPlan | undefined {
  if (!result || !importEdit || !result.edits.includes(importEdit)) return result;
  return { ...result, title: `${result.title} and add ${statement}` };
}

/** A backslash right before the key escapes its first character; splitting the string there would break it. */
export function endsInEscape(content: string): boolean {
  const trailing = /\\*$/.exec(content)![0].length;
  return trailing % 2 === 1;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return end > 0 && text[end - 1] === '\r' && end - 1 >= offset ? end - 1 : end;
}

export function extensionOf(fileName: string | undefined): string {
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
export function needsParentheses(text: string, start: number, end: number, operator: string): boolean {
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
export function concatenate(site: Site, span: StringSpan, lookup: string, operator: string): TextEdit | undefined {
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

/** The text on the span's line before the literal: at most its last 1,000 characters, so the patterns run on
 * it cost the same on a minified one-line file. */
export function lineBefore(text: string, offset: number): string {
  // The window first, then its last line: lineStartOf would walk back over a whole minified line for every key.
  const window = text.slice(Math.max(0, offset - 1000), offset);
  return window.slice(window.lastIndexOf('\n') + 1);
}

export interface ConcatenationOptions {
  /** `'…'` is a string (PHP, Ruby) rather than a character literal (Java, C#). */
  singleQuotedStrings?: boolean;
  /** A `const` declaration needs a constant expression (C#). */
  refuseConst?: boolean;
  extraEdits?: Array<TextEdit | undefined>;
}

/** The whole literal becomes the lookup; a larger string is split around it with the concatenation operator. */
export function rewriteWithConcatenation(site: Site, lookup: string, operator: string, options: ConcatenationOptions): FixPlan | undefined {
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

// ---- Context: what surrounds a literal ---------------------------------------------------------------------
// Bounded look-arounds (a few hundred characters), so a check costs the same in a file of any size. They read
// code without a parser, so they only refuse: a context they misjudge gets no rewrite, never a wrong one.

/** The code before `offset` on the same statement-ish stretch, trailing blanks and line breaks dropped. */
export function textBefore(text: string, offset: number, length = 300): string {
  return text.slice(Math.max(0, offset - length), offset).trimEnd();
}

/** The code after `offset`, leading blanks and line breaks dropped. */
export function textAfter(text: string, offset: number, length = 300): string {
  return text.slice(offset, offset + length).trimStart();
}

/** The unmatched `(`, `[` or `{` before `offset`, or -1. Brackets inside strings on the way can mislead it, so
 * the callers also check what precedes the bracket it finds. */
export function enclosingOpen(text: string, offset: number, limit = 4000): number {
  let depth = 0;
  for (let i = offset - 1; i >= 0 && i >= offset - limit; i--) {
    const char = text[i];
    if (char === ')' || char === ']' || char === '}') depth++;
    else if (char === '(' || char === '[' || char === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The open brackets around `offset`, innermost first (at most `levels`). */
export function enclosingOpens(text: string, offset: number, levels = 4): number[] {
  const opens: number[] = [];
  let cursor = offset;
  while (opens.length < levels) {
    const open = enclosingOpen(text, cursor);
    if (open < 0) break;
    opens.push(open);
    cursor = open;
  }
  return opens;
}

/** Whether `name` is used as a whole word somewhere in `text` matching `context` (a pattern with NAME in it). */
export function usedIn(text: string, name: string, context: (name: string) => RegExp): boolean {
  return context(name.replace(/[$]/g, '\\$')).test(text);
}
