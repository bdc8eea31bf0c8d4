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
// - JavaScript regex literals are not recognised; a quote inside one (`/'/`) can mislead the rest of its line,
//   and a single-line string left open ends at the line end, as the language's own error recovery would.
// - Whatever the lexer cannot place is 'unknown', and the rewrites then offer nothing rather than guess.

import type { FixLanguage } from './languages';

type Escape = 'backslash' | 'doubled' | 'none';

interface Delimiter {
  open: string;
  close: string;
  escape: Escape;
  /** Whether the literal may span lines; a single-line literal left open ends at the line end. */
  multiline: boolean;
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
  /** How a prefix changes a delimiter (C# verbatim strings, shell `$'…'`). */
  adjust?: (prefix: string, delimiter: Delimiter) => Delimiter;
  /** YAML: a quote opens a string only at the start of a scalar. */
  quoteAtScalarStart?: boolean;
  /** Rust: raw strings with hashes and `'` that is a char literal or a lifetime. */
  rust?: boolean;
}

const backslash = (open: string, multiline = false, close = open): Delimiter => ({ open, close, escape: 'backslash', multiline });
const raw = (open: string, multiline = true, close = open): Delimiter => ({ open, close, escape: 'none', multiline });

const C_COMMENTS = { lineComments: ['//'], blockComment: ['/*', '*/'] as [string, string] };

const SPECS: Partial<Record<FixLanguage, LexSpec>> = {
  python: {
    wholeFile: true,
    delimiters: [backslash('"""', true), backslash("'''", true), backslash('"'), backslash("'")],
    lineComments: ['#'],
    prefix: /[rRbBuUfFtT]{1,2}$/,
  },
  javascript: {
    wholeFile: true,
    delimiters: [backslash('`', true), backslash('"'), backslash("'")],
    ...C_COMMENTS,
  },
  go: { wholeFile: true, delimiters: [raw('`'), backslash('"'), backslash("'")], ...C_COMMENTS },
  java: { wholeFile: true, delimiters: [backslash('"""', true), backslash('"'), backslash("'")], ...C_COMMENTS },
  kotlin: { wholeFile: true, delimiters: [raw('"""'), backslash('"'), backslash("'")], ...C_COMMENTS },
  csharp: {
    wholeFile: true,
    delimiters: [raw('"""'), backslash('"'), backslash("'")],
    ...C_COMMENTS,
    prefix: /[@$]{1,4}$/,
    // @"…" verbatim strings: no backslash escapes, `""` is a quote, and they may span lines.
    adjust: (prefix, d) => (prefix.includes('@') && d.open === '"' ? { ...d, escape: 'doubled', multiline: true } : d),
  },
  rust: { wholeFile: true, delimiters: [backslash('"', true)], ...C_COMMENTS, rust: true, prefix: /b$/ },
  ruby: { wholeFile: false, delimiters: [backslash('"'), backslash("'"), backslash('`')], lineComments: ['#'] },
  php: {
    wholeFile: false,
    delimiters: [backslash('"'), backslash("'"), backslash('`')],
    lineComments: ['//', '#'],
    blockComment: ['/*', '*/'],
  },
  shell: {
    wholeFile: false,
    delimiters: [backslash('"'), raw("'", false), backslash('`')],
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
}

export type KeyLocation =
  | { kind: 'string'; span: StringSpan }
  /** Outside any string or comment: code, a YAML plain scalar, a shell word. */
  | { kind: 'bare' }
  | { kind: 'comment' }
  /** A string the lexer cannot delimit (it opens before the key's line in a line-lexed language, or never closes). */
  | { kind: 'unknown' };

/** Where the key [keyStart, keyEnd) sits. Prose has no code, so every key in it is 'bare'. */
export function keyLocation(text: string, keyStart: number, keyEnd: number, language: FixLanguage): KeyLocation {
  const spec = specFor(language);
  if (!spec) return { kind: 'bare' };
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  return lex(text, spec.wholeFile ? 0 : lineStart, keyStart, keyEnd, spec);
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

function lex(text: string, from: number, keyStart: number, keyEnd: number, spec: LexSpec): KeyLocation {
  let i = from;
  let lineStart = from;
  while (i < keyStart) {
    const char = text[i];
    const code = text.charCodeAt(i);
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
      if (close < 0 || close + spec.blockComment[1].length > keyStart) return { kind: 'comment' };
      i = close + spec.blockComment[1].length;
      continue;
    }
    if (isLineCommentAt(text, i, lineStart, spec)) {
      const eol = endOfLine(text, i);
      if (eol >= keyStart) return { kind: 'comment' };
      i = eol;
      continue;
    }
    if (spec.rust && char === "'") {
      // A char literal ('x', '\n', '\u{1F600}') is skipped; anything else is a lifetime or label ('a).
      const charLiteral = /^'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/.exec(text.slice(i, i + 12));
      i += charLiteral ? charLiteral[0].length : 1;
      continue;
    }
    const literal = literalAt(text, i, lineStart, spec);
    if (!literal) {
      i++;
      continue;
    }
    const { delimiter, prefixStart } = literal;
    const contentStart = i + delimiter.open.length;
    const limit = delimiter.multiline ? text.length : endOfLine(text, i);
    const close = findClose(text, contentStart, limit, delimiter);
    if (close < 0) {
      if (delimiter.multiline) return { kind: 'unknown' };
      // A single-line literal left open ends at its line end (as the languages' own error recovery treats it).
      const eol = limit;
      if (eol >= keyStart) return { kind: 'unknown' };
      i = eol;
      continue;
    }
    const after = close + delimiter.close.length;
    if (after <= keyStart) {
      if (delimiter.multiline) lineStart = text.lastIndexOf('\n', after - 1) + 1;
      i = after;
      continue;
    }
    if (contentStart > keyStart || close < keyEnd) return { kind: 'unknown' };
    return {
      kind: 'string',
      span: {
        start: prefixStart,
        end: after,
        prefix: text.slice(prefixStart, i),
        open: delimiter.open,
        close: delimiter.close,
        contentStart,
        contentEnd: close,
        multiline: text.slice(prefixStart, after).includes('\n'),
      },
    };
  }
  return { kind: 'bare' };
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

/** Offset of the closing delimiter, or -1 when it is not found before `limit`. */
function findClose(text: string, from: number, limit: number, delimiter: Delimiter): number {
  const { close, escape } = delimiter;
  const isTemplate = delimiter.open === '`' && escape === 'backslash' && delimiter.multiline;
  let i = from;
  while (i < limit) {
    const char = text[i];
    if (escape === 'backslash' && char === '\\') {
      i += 2;
      continue;
    }
    if (!delimiter.multiline && char === '\n') return -1;
    if (isTemplate && char === '$' && text[i + 1] === '{') {
      i = skipTemplateExpression(text, i + 2, limit);
      if (i < 0) return -1;
      continue;
    }
    if (text.startsWith(close, i)) {
      if (escape === 'doubled' && text.startsWith(close, i + close.length)) {
        i += 2 * close.length;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}

/** Past the `}` closing a template literal's `${`, skipping nested strings and templates; -1 if unclosed. */
function skipTemplateExpression(text: string, from: number, limit: number): number {
  let depth = 1;
  let i = from;
  while (i < limit) {
    const char = text[i];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i + 1;
    else if (char === '"' || char === "'" || char === '`') {
      const close = findClose(text, i + 1, limit, backslash(char, char === '`'));
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}
