// The rewrite lexer as it was before createKeyLocator (src/core/fixes/lexer.ts at commit 1ee37be, unchanged but
// for this header and the import path): a fresh lex from the start for every key. It is the oracle of
// lexer.differential.test.ts, which checks that the shared, resumable lexer answers every key exactly as this does
// (red team F13, F16). Not used by the product.

// Where a key sits in source text: inside a string literal (and which one), in a comment, or bare. The rewrites
// need this to replace a literal including its quotes, to splice a lookup into a larger string, and to refuse
// anything they cannot judge.
//
// This is a tokenizer for strings and comments only, not a parser. Decisions:
// - Languages whose strings and comments can span lines and whose tokens are unambiguous (Python, JavaScript/
//   TypeScript, Go, Java, Kotlin, C#, Rust) are lexed from the start of the file, so a key in a docstring, a
//   multi-line template literal or a block comment is recognised as such.
// - Languages with constructs a small lexer gets wrong (heredocs in Ruby, PHP and shell, `%q()` literals, YAML's
//   context-dependent quotes, Dockerfile instructions) are lexed from the start of the key's line only, so a
//   mistake cannot travel down the file. A key in a string that does not close on its own line is 'unknown'.
//   Heredocs are found by a separate line scan (heredocAt): a key in a heredoc body is 'heredoc', with whether
//   the body expands `$NAME`/`#{}` (an unquoted delimiter) or is literal text (`<<'EOF'`).
// - Interpolations are code: the `${…}` of a template literal, the `{…}` of an f-string or a C# `$"…"`, `#{…}`
//   in Ruby, `$(…)` in a shell double-quoted string. Strings nested in them (Python 3.12 may reuse the outer
//   quote there) are lexed as strings, so they cannot end the outer one early; a key in the code of an
//   interpolation is 'interpolation', a key in a string nested in one is a string span marked `nested`.
// - JavaScript and Ruby regex literals are recognised where the previous token allows a regex (not after an
//   identifier, a number or a closing bracket: that `/` divides), on one line; a key in one is 'regex'.
// - Whatever the lexer cannot place is 'unknown', and the rewrites then offer nothing rather than guess.
//
// Every loop here moves forward through the text, and look-backs are bounded, so lexing is linear in the text.

import type { FixLanguage } from '../../../../src/core/fixes/languages';

type Escape = 'backslash' | 'doubled' | 'none';

/** Code embedded in a string: `${…}`, `{…}`, `#{…}`, `$(…)`. */
interface Interpolation {
  open: string;
  close: string;
  /** `{{` is a literal brace rather than an opener (Python f-strings, C# `$"…"`). */
  doubled?: boolean;
  /** A `:` at the top level of the expression starts a format spec, whose quotes are text (`f"{x:'>9}"`). */
  formatSpec?: boolean;
}

interface Delimiter {
  open: string;
  close: string;
  escape: Escape;
  /** Whether the literal may span lines; a single-line literal left open ends at the line end. */
  multiline: boolean;
  interpolations?: Interpolation[];
}

interface LexSpec {
  /** Lex from the start of the file (true) or from the start of the key's line (false). */
  wholeFile: boolean;
  /** Longest first: `"""` must be tried before `"`. */
  delimiters: Delimiter[];
  lineComments: string[];
  blockComment?: [open: string, close: string];
  /** A line comment starts only at the start of a word (shell and YAML `#`: `a#b` is not a comment). */
  commentAtWordStart?: boolean;
  /** A comment only when it is the first thing on the line (Dockerfile). */
  commentAtLineStart?: boolean;
  /** Letters that may prefix a string (`rb"…"`, `@"…"`, `$'…'`), matched at the end of the text before it. */
  prefix?: RegExp;
  /** How a prefix changes a delimiter (C# verbatim and interpolated strings, shell `$'…'`, Python f-strings). */
  adjust?: (prefix: string, delimiter: Delimiter) => Delimiter;
  /** YAML: a quote opens a string only at the start of a scalar. */
  quoteAtScalarStart?: boolean;
  /** Rust: raw strings with hashes and `'` that is a char literal or a lifetime. */
  rust?: boolean;
  /** Keywords after which a `/` starts a regex literal (JavaScript, Ruby); no regex literals when absent. */
  regexAfterKeywords?: ReadonlySet<string>;
}

const backslash = (open: string, multiline = false, close = open, interpolations?: Interpolation[]): Delimiter => ({
  open,
  close,
  escape: 'backslash',
  multiline,
  ...(interpolations ? { interpolations } : {}),
});
const raw = (open: string, multiline = true, close = open, interpolations?: Interpolation[]): Delimiter => ({
  open,
  close,
  escape: 'none',
  multiline,
  ...(interpolations ? { interpolations } : {}),
});

const C_COMMENTS = { lineComments: ['//'], blockComment: ['/*', '*/'] as [string, string] };

/** Python f-strings (PEP 498, PEP 701) and C# interpolated strings: `{expr:spec}`, `{{` is a brace. */
const BRACE_FIELD: Interpolation = { open: '{', close: '}', doubled: true, formatSpec: true };
/** `${…}`: JavaScript template literals, Kotlin string templates. */
const DOLLAR_BRACE: Interpolation = { open: '${', close: '}' };

/** ECMA-262 §12.9.5 (the regex/division ambiguity): after these words a `/` starts a regex literal. */
const JS_REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const RUBY_REGEX_KEYWORDS = new Set(['if', 'elsif', 'unless', 'when', 'while', 'until', 'and', 'or', 'not', 'return', 'then', 'in']);

const SPECS: Partial<Record<FixLanguage, LexSpec>> = {
  python: {
    wholeFile: true,
    delimiters: [backslash('"""', true), backslash("'''", true), backslash('"'), backslash("'")],
    lineComments: ['#'],
    prefix: /[rRbBuUfFtT]{1,2}$/,
    // f"…" and t"…" (3.14) hold replacement fields; a raw prefix keeps them (rf"…").
    adjust: (prefix, d) => (/[fFtT]/.test(prefix) ? { ...d, interpolations: [BRACE_FIELD] } : d),
  },
  javascript: {
    wholeFile: true,
    delimiters: [backslash('`', true, '`', [DOLLAR_BRACE]), backslash('"'), backslash("'")],
    ...C_COMMENTS,
    regexAfterKeywords: JS_REGEX_KEYWORDS,
  },
  go: { wholeFile: true, delimiters: [raw('`'), backslash('"'), backslash("'")], ...C_COMMENTS },
  java: { wholeFile: true, delimiters: [backslash('"""', true), backslash('"'), backslash("'")], ...C_COMMENTS },
  kotlin: {
    wholeFile: true,
    delimiters: [raw('"""', true, '"""', [DOLLAR_BRACE]), backslash('"', false, '"', [DOLLAR_BRACE]), backslash("'")],
    ...C_COMMENTS,
  },
  csharp: {
    wholeFile: true,
    delimiters: [raw('"""'), backslash('"'), backslash("'")],
    ...C_COMMENTS,
    prefix: /[@$]{1,4}$/,
    adjust: (prefix, d) => {
      // @"…" verbatim strings: no backslash escapes, `""` is a quote, and they may span lines.
      let adjusted = prefix.includes('@') && d.open === '"' ? { ...d, escape: 'doubled' as const, multiline: true } : d;
      // $"…" interpolated strings hold {expr[,align][:format]} holes.
      if (prefix.includes('$') && d.open !== "'") adjusted = { ...adjusted, interpolations: [BRACE_FIELD] };
      return adjusted;
    },
  },
  rust: { wholeFile: true, delimiters: [backslash('"', true)], ...C_COMMENTS, rust: true, prefix: /b$/ },
  ruby: {
    wholeFile: false,
    delimiters: [backslash('"', false, '"', [{ open: '#{', close: '}' }]), backslash("'"), backslash('`', false, '`', [{ open: '#{', close: '}' }])],
    lineComments: ['#'],
    regexAfterKeywords: RUBY_REGEX_KEYWORDS,
  },
  php: {
    wholeFile: false,
    delimiters: [
      backslash('"', false, '"', [{ open: '{$', close: '}' }, { open: '${', close: '}' }]),
      backslash("'"),
      backslash('`'),
    ],
    lineComments: ['//', '#'],
    blockComment: ['/*', '*/'],
  },
  shell: {
    wholeFile: false,
    delimiters: [
      backslash('"', false, '"', [{ open: '$(', close: ')' }, { open: '${', close: '}' }, { open: '`', close: '`' }]),
      raw("'", false),
      backslash('`'),
    ],
    lineComments: ['#'],
    commentAtWordStart: true,
    prefix: /\$$/,
    adjust: (prefix, d) => (prefix === '$' && d.open === "'" ? { ...d, escape: 'backslash' } : d),
  },
  dockerfile: {
    wholeFile: false,
    delimiters: [backslash('"'), raw("'", false)],
    lineComments: ['#'],
    commentAtLineStart: true,
  },
};

const YAML_SPEC: LexSpec = {
  wholeFile: false,
  delimiters: [backslash('"'), { open: "'", close: "'", escape: 'doubled', multiline: false }],
  lineComments: ['#'],
  commentAtWordStart: true,
  quoteAtScalarStart: true,
};

function specFor(language: FixLanguage): LexSpec | undefined {
  if (language === 'compose' || language === 'github-actions' || language === 'config') return YAML_SPEC;
  return SPECS[language];
}

/** A string literal around a key. Offsets are into the whole text. */
export interface StringSpan {
  /** First character of the literal, its prefix letters included. */
  start: number;
  /** Just past the closing delimiter. */
  end: number;
  /** `f`, `rb`, `@`, `$`… ('' when none). */
  prefix: string;
  open: string;
  close: string;
  contentStart: number;
  contentEnd: number;
  /** Whether the literal spans more than one line. */
  multiline: boolean;
  /** Whether the literal sits inside another string's interpolation (a template literal's `${cond ? "…" : ""}`). */
  nested?: boolean;
  /** Whether the literal itself holds interpolations (a template literal with `${a}`, `f"{a} …"`). */
  interpolated?: boolean;
}

export type KeyLocation =
  | { kind: 'string'; span: StringSpan }
  /** Outside any string or comment: code, a YAML plain scalar, a shell word. */
  | { kind: 'bare' }
  | { kind: 'comment' }
  /** Inside a regex literal (`/…/` in JavaScript or Ruby): a lookup there would be pattern text. */
  | { kind: 'regex' }
  /** In the code of an interpolation (a template literal's `${…}`, `f"{…}"`), outside any string nested there. */
  | { kind: 'interpolation' }
  /** In a heredoc body; `expands` when the body expands variables (an unquoted delimiter). */
  | { kind: 'heredoc'; expands: boolean }
  /** In a PHP file's HTML, outside `<?php … ?>`. */
  | { kind: 'markup' }
  /** A string the lexer cannot delimit (it opens before the key's line in a line-lexed language, or never closes). */
  | { kind: 'unknown' };

/** Where the key [keyStart, keyEnd) sits. Prose has no code, so every key in it is 'bare'. */
export function keyLocation(text: string, keyStart: number, keyEnd: number, language: FixLanguage): KeyLocation {
  const spec = specFor(language);
  if (!spec) return { kind: 'bare' };
  const heredoc = heredocAt(text, keyStart, language);
  if (heredoc) return heredoc;
  if (language === 'php' && inPhpMarkup(text, keyStart)) return { kind: 'markup' };
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const from = spec.wholeFile ? 0 : lineStart;
  const outcome = scanCode({ text, keyEnd, spec, nesting: 0 }, from, from, undefined, keyStart);
  return 'location' in outcome ? outcome.location : { kind: 'unknown' };
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

function isIdentifierCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36
  );
}

function isPlainCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 32 || code === 9;
}

interface Context {
  text: string;
  keyEnd: number;
  spec: LexSpec;
  /** How many interpolations deep the scan is; past MAX_NESTING the key is 'unknown' (and the stack safe). */
  nesting: number;
}

/** Deeper than any code a person writes; a file nesting further is adversarial. */
const MAX_NESTING = 32;

/** Either where the key is, or the offset just past what was scanned (-1: it never closed). */
type Outcome = { location: KeyLocation } | { end: number };

/**
 * Scans code from `from`. With `stop`, the code is an interpolation and the scan ends past its closer (brackets
 * balanced); without, it ends at the key. `target` is the key's start, or Infinity when the key is not ahead.
 */
function scanCode(context: Context, from: number, lineStart: number, stop: Interpolation | undefined, target: number): Outcome {
  const { text, spec } = context;
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (i >= target) return { location: stop ? { kind: 'interpolation' } : { kind: 'bare' } };
    const char = text[i];
    const code = text.charCodeAt(i);
    if (stop && depth === 0) {
      if (text.startsWith(stop.close, i)) return { end: i + stop.close.length };
      if (stop.formatSpec && char === ':') return scanFormatSpec(context, i + 1, lineStart, target);
    }
    // Letters, digits and blanks open nothing (prefixes are found by looking back from the quote), except the
    // r of a Rust raw string.
    if (isPlainCode(code) && !(spec.rust && (char === 'r' || char === 'b'))) {
      i++;
      continue;
    }
    if (char === '\n') {
      lineStart = ++i;
      continue;
    }
    if (spec.blockComment && text.startsWith(spec.blockComment[0], i)) {
      const close = text.indexOf(spec.blockComment[1], i + spec.blockComment[0].length);
      const end = close < 0 ? text.length : close + spec.blockComment[1].length;
      if (end > target) return { location: { kind: 'comment' } };
      if (close < 0) return { end: -1 };
      i = end;
      continue;
    }
    if (isLineCommentAt(text, i, lineStart, spec)) {
      const eol = endOfLine(text, i);
      if (eol >= target) return { location: { kind: 'comment' } };
      i = eol;
      continue;
    }
    if (spec.rust && char === "'") {
      // A char literal ('x', '\n', '\u{1F600}') is skipped; anything else is a lifetime or label ('a).
      const charLiteral = /^'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/.exec(text.slice(i, i + 12));
      i += charLiteral ? charLiteral[0].length : 1;
      continue;
    }
    if (char === '/' && spec.regexAfterKeywords && regexMayStart(text, i, spec.regexAfterKeywords)) {
      const end = regexEnd(text, i);
      if (end > 0) {
        if (end > target) return { location: { kind: 'regex' } };
        i = end;
        continue;
      }
    }
    const literal = literalAt(text, i, lineStart, spec);
    if (!literal) {
      if (stop) {
        if (char === '(' || char === '[' || char === '{') depth++;
        else if (char === ')' || char === ']' || char === '}') depth--;
      }
      i++;
      continue;
    }
    const outcome = scanString(context, literal.delimiter, literal.prefixStart, i, target);
    if ('location' in outcome) return stop ? { location: nestedLocation(outcome.location) } : outcome;
    if (outcome.end < 0) {
      if (literal.delimiter.multiline || target === Infinity) return target === Infinity ? { end: -1 } : { location: { kind: 'unknown' } };
      // A single-line literal left open ends at its line end (as the languages' own error recovery treats it).
      const eol = endOfLine(text, i);
      if (eol >= target) return { location: { kind: 'unknown' } };
      i = eol;
      continue;
    }
    if (literal.delimiter.multiline) lineStart = text.lastIndexOf('\n', outcome.end - 1) + 1;
    i = outcome.end;
  }
  return stop ? { end: -1 } : { location: { kind: 'bare' } };
}

function nestedLocation(location: KeyLocation): KeyLocation {
  return location.kind === 'string' ? { kind: 'string', span: { ...location.span, nested: true } } : location;
}

/** A format spec (`:>{width}`) up to the `}` closing its field; its quotes are text, its `{…}` are fields. */
function scanFormatSpec(context: Context, from: number, lineStart: number, target: number): Outcome {
  const { text } = context;
  let i = from;
  while (i < text.length) {
    if (i >= target) return { location: { kind: 'interpolation' } };
    if (text[i] === '}') return { end: i + 1 };
    if (text[i] === '{') {
      if (++context.nesting > MAX_NESTING) return { location: { kind: 'unknown' } };
      const inner = scanCode(context, i + 1, lineStart, BRACE_FIELD, target);
      context.nesting--;
      if ('location' in inner || inner.end < 0) return inner;
      i = inner.end;
      continue;
    }
    i++;
  }
  return { end: -1 };
}

/** The string literal opening at `openAt`: where the key is in it, or the offset past its close. */
function scanString(context: Context, delimiter: Delimiter, prefixStart: number, openAt: number, target: number): Outcome {
  const { text, keyEnd } = context;
  const { close, escape } = delimiter;
  const contentStart = openAt + delimiter.open.length;
  const limit = delimiter.multiline ? text.length : endOfLine(text, openAt);
  let interpolated = false;
  let closeAt = -1;
  let i = contentStart;
  while (i < limit) {
    const char = text[i];
    if (escape === 'backslash' && char === '\\') {
      i += 2;
      continue;
    }
    const interpolation = delimiter.interpolations?.find((candidate) => text.startsWith(candidate.open, i));
    if (interpolation) {
      if (interpolation.doubled && text.startsWith(interpolation.open, i + interpolation.open.length)) {
        i += 2 * interpolation.open.length;
        continue;
      }
      interpolated = true;
      const innerTarget = target > i ? target : Infinity;
      if (++context.nesting > MAX_NESTING) return { location: { kind: 'unknown' } };
      const inner = scanCode(context, i + interpolation.open.length, text.lastIndexOf('\n', i) + 1, interpolation, innerTarget);
      context.nesting--;
      if ('location' in inner) return inner;
      if (inner.end < 0 || (!delimiter.multiline && inner.end > limit)) return { end: -1 };
      i = inner.end;
      continue;
    }
    if (text.startsWith(close, i)) {
      if (escape === 'doubled' && text.startsWith(close, i + close.length)) {
        i += 2 * close.length;
        continue;
      }
      closeAt = i;
      break;
    }
    i++;
  }
  if (closeAt < 0) return { end: -1 };
  const after = closeAt + close.length;
  if (after <= target) return { end: after };
  if (contentStart > target || closeAt < keyEnd) return { location: { kind: 'unknown' } };
  return {
    location: {
      kind: 'string',
      span: {
        start: prefixStart,
        end: after,
        prefix: text.slice(prefixStart, openAt),
        open: delimiter.open,
        close: delimiter.close,
        contentStart,
        contentEnd: closeAt,
        multiline: text.slice(prefixStart, after).includes('\n'),
        ...(interpolated ? { interpolated } : {}),
      },
    },
  };
}

/** Whether a `/` at `i` starts a regex rather than dividing: judged by the token before it (bounded look-back). */
function regexMayStart(text: string, i: number, keywords: ReadonlySet<string>): boolean {
  const next = text[i + 1];
  if (next === '/' || next === '*' || next === undefined || next === '\n') return false;
  let j = i - 1;
  while (j >= 0 && i - j < 200 && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j--;
  if (j < 0) return true;
  const previous = text[j];
  // `</tag>` closes a JSX element; it is not a regex.
  if (previous === '<' && /^\/[A-Za-z][\w.:-]*\s*>/.test(text.slice(i, i + 100))) return false;
  if ('(,=:[!&|?{};~+-*%<>^'.includes(previous)) return true;
  if (!isIdentifierCode(text.charCodeAt(j))) return false;
  let wordStart = j;
  while (wordStart > 0 && j - wordStart < 20 && isIdentifierCode(text.charCodeAt(wordStart - 1))) wordStart--;
  return keywords.has(text.slice(wordStart, j + 1));
}

const MAX_REGEX_LENGTH = 2000;

/** The offset past a regex literal's flags, or -1 when the `/` at `i` does not close on its line. */
function regexEnd(text: string, i: number): number {
  let inClass = false;
  // A regex literal longer than this is taken for a division: the bound keeps `=/[/[/[…` linear.
  for (let j = i + 1; j < text.length && j - i < MAX_REGEX_LENGTH; j++) {
    const char = text[j];
    if (char === '\n') return -1;
    if (char === '\\') j++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) {
      let end = j + 1;
      while (end < text.length && /[a-z]/.test(text[end])) end++;
      return end;
    }
  }
  return -1;
}

function isLineCommentAt(text: string, i: number, lineStart: number, spec: LexSpec): boolean {
  const opener = spec.lineComments.find((comment) => text.startsWith(comment, i));
  if (!opener) return false;
  if (spec.commentAtLineStart) return text.slice(lineStart, i).trim() === '';
  if (opener === '#' && spec.lineComments.includes('//') && text[i + 1] === '[') return false; // PHP 8 attribute
  if (spec.commentAtWordStart && i > lineStart) return /[\s;&|(]/.test(text[i - 1]);
  return true;
}

function literalAt(
  text: string,
  i: number,
  lineStart: number,
  spec: LexSpec,
): { delimiter: Delimiter; prefixStart: number } | undefined {
  let delimiter = spec.delimiters.find((candidate) => text.startsWith(candidate.open, i));
  let rawOpen: string | undefined;
  if (spec.rust && (text[i] === 'r' || (text[i] === 'b' && text[i + 1] === 'r'))) {
    // Rust raw strings: r"…", r#"…"#, br#"…"# (no escapes, the hashes must match).
    const rawMatch = /^b?r(#*)"/.exec(text.slice(i, i + 260));
    if (rawMatch && (i === 0 || !isIdentifierCode(text.charCodeAt(i - 1)))) {
      rawOpen = rawMatch[0];
      delimiter = { open: rawOpen, close: '"' + rawMatch[1], escape: 'none', multiline: true };
    }
  }
  if (!delimiter) return undefined;
  if (rawOpen) return { delimiter, prefixStart: i };
  if (spec.quoteAtScalarStart) {
    const before = text.slice(lineStart, i).trimEnd();
    if (before !== '' && !/[:\-[{,?]$/.test(before)) return undefined;
  }
  let prefixStart = i;
  if (spec.prefix) {
    const match = spec.prefix.exec(text.slice(Math.max(lineStart, i - 4), i));
    if (match) {
      const start = i - match[0].length;
      const boundary = start === 0 || !isIdentifierCode(text.charCodeAt(start - 1));
      // `$` is an identifier character in JavaScript but a prefix in C# and shell.
      if (boundary || match[0].startsWith('$') || match[0].startsWith('@')) prefixStart = start;
    }
  }
  const prefix = text.slice(prefixStart, i);
  return { delimiter: spec.adjust ? spec.adjust(prefix, delimiter) : delimiter, prefixStart };
}

// ---- Heredocs ----------------------------------------------------------------------------------------------

interface PendingHeredoc {
  delimiter: string;
  /** `<<-` (shell: leading tabs), `<<~` and `<<-` (Ruby: indentation), PHP 7.3+: the closing line may be indented. */
  indented: boolean;
  expands: boolean;
}

/**
 * The heredoc whose body holds `offset`, found by scanning lines from the top: an opener queues its delimiter
 * and the body runs from the next line to the line that is the delimiter. Forms, from each language's manual:
 * shell `<<WORD`, `<<-WORD`, quoted (`<<'EOF'`, `<<"EOF"`, `<<\EOF`: no expansion) (POSIX Shell Command
 * Language §2.7.4; Dockerfile RUN/COPY heredocs follow it); Ruby `<<ID`, `<<-ID`, `<<~ID`, `<<'ID'` (no
 * interpolation); PHP `<<<ID`, `<<<"ID"`, nowdoc `<<<'ID'`. Strings and comments on an opener's line are
 * skipped so `"a << b"` opens nothing; `<<` followed by a digit or `=` is arithmetic.
 */
export function heredocAt(text: string, offset: number, language: FixLanguage): { kind: 'heredoc'; expands: boolean } | undefined {
  if (language !== 'shell' && language !== 'ruby' && language !== 'php' && language !== 'dockerfile') return undefined;
  // Cheap exit: no heredoc operator before the key.
  if (text.lastIndexOf('<<', offset) < 0) return undefined;
  const pending: PendingHeredoc[] = [];
  let lineStart = 0;
  while (lineStart <= offset && lineStart < text.length) {
    const lineEnd = endOfLine(text, lineStart);
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const inLine = offset >= lineStart && offset <= lineEnd;
    if (pending.length > 0) {
      const body = pending[0];
      const candidate = body.indented ? line.replace(language === 'shell' || language === 'dockerfile' ? /^\t+/ : /^\s+/, '') : line;
      const closes = language === 'php' ? new RegExp(`^${body.delimiter}\\b`).test(candidate) : candidate === body.delimiter;
      if (closes) pending.shift();
      else if (inLine) return { kind: 'heredoc', expands: body.expands };
    } else {
      if (inLine) return undefined;
      pending.push(...heredocOpeners(line, language));
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/** Heredoc openers on one line, in order. */
function heredocOpeners(line: string, language: FixLanguage): PendingHeredoc[] {
  const code = codeOfLine(line, language);
  const openers: PendingHeredoc[] = [];
  const pattern =
    language === 'php'
      ? /<<<[ \t]*(["']?)([A-Za-z_]\w*)\1/g
      : language === 'ruby'
        ? /<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/g
        : /(?<!<)<<(-?)[ \t]*((?:[^\s;&|<>()'"\\]|'[^']*'|"[^"]*"|\\.)+)/g;
  for (const match of code.matchAll(pattern)) {
    if (language === 'php') {
      openers.push({ delimiter: match[2], indented: true, expands: match[1] !== "'" });
    } else if (language === 'ruby') {
      openers.push({ delimiter: match[3], indented: match[1] !== '', expands: match[2] !== "'" });
    } else {
      const word = match[2];
      if (/^[0-9=]/.test(word)) continue; // `1 << 2`, `x <<= 1`: arithmetic
      // Any quoting in the word turns expansion off; the delimiter is the word with its quotes removed.
      const quoted = /['"\\]/.test(word);
      openers.push({ delimiter: word.replace(/\\(.)/g, '$1').replace(/['"]/g, ''), indented: match[1] === '-', expands: !quoted });
    }
  }
  return openers;
}

/** The line with its quoted strings blanked and its comment cut, so operators in them open nothing. */
function codeOfLine(line: string, language: FixLanguage): string {
  let result = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '#' && (i === 0 || /[\s;]/.test(line[i - 1])) && language !== 'php') break;
    if (language === 'php' && (line.startsWith('//', i) || (char === '#' && line[i + 1] !== '['))) break;
    if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== char) j += line[j] === '\\' && char === '"' ? 2 : 1;
      // A quoted word right after `<<`/`<<<`/`<<~` is the heredoc's delimiter, and is kept.
      const isDelimiter = /<<[<~-]?[ \t]*[^\s;&|<>()]*$/.test(result) && /<</.test(result);
      result += isDelimiter ? line.slice(i, j + 1) : ' '.repeat(Math.min(j, line.length) - i + 1);
      i = j;
      continue;
    }
    result += char;
  }
  return result;
}

/** Whether `offset` is in a PHP file's HTML: after a `?>` with no `<?php` / `<?=` / `<?` reopening before it,
 * or before the first opening tag. */
function inPhpMarkup(text: string, offset: number): boolean {
  const before = text.slice(0, offset);
  const open = Math.max(before.lastIndexOf('<?php'), before.lastIndexOf('<?='), before.lastIndexOf('<? '), before.lastIndexOf('<?\n'));
  const close = before.lastIndexOf('?>');
  return open < 0 || close > open;
}
