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
// One text's keys are answered by one locator (createKeyLocator), which shares the lexing between them: a fix of
// 8,000 keys in one file lexed the file from its start 8,000 times (red team F13), and every string literal on a
// 1 MB minified line looked for the end of that line again (F16). The answers are exactly a fresh lex per key's.

import type { FixLanguage } from './languages';

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

/** Where the key [keyStart, keyEnd) sits. Prose has no code, so every key in it is 'bare'. For several keys of one
 * text, use one createKeyLocator: this lexes the text again on every call. */
export function keyLocation(text: string, keyStart: number, keyEnd: number, language: FixLanguage): KeyLocation {
  return createKeyLocator(text, language).locate(keyStart, keyEnd);
}

/** Where keys sit in one text; `locate` answers as keyLocation does. */
export interface KeyLocator {
  readonly text: string;
  readonly language: FixLanguage;
  locate(keyStart: number, keyEnd: number): KeyLocation;
  /** A value computed from the text alone (an import edit), computed once for all its keys under `id`. */
  derived<T>(id: string, compute: () => T): T;
}

/** Where the key sits, asking `locator` when it was made for this very text and language, else a fresh lex. */
export function locateKey(locator: KeyLocator | undefined, text: string, keyStart: number, keyEnd: number, language: FixLanguage): KeyLocation {
  // A locator for another text would answer about that text: the check is what makes passing one safe.
  const usable = locator !== undefined && locator.language === language && locator.text === text;
  return usable ? locator.locate(keyStart, keyEnd) : keyLocation(text, keyStart, keyEnd, language);
}

/**
 * A lexer for every key of one text. Each answer is exactly what a fresh lex for that key alone gives; keys asked in
 * ascending order share the work, so a file's keys together cost about one lex of the file (out of order costs more,
 * never a different answer).
 *
 * Why resuming is exact: a lex for a key at T moves forward, and every way it stops early ("this comment, string or
 * regex reaches past T") is a test `end > T` or `i >= T`. A lex for a later key T2 >= T therefore passes every token the
 * lex for T passed, in the same state, and may start where that lex found its token. So each scanning frame (the
 * code at the top, the code of an interpolation, a format spec) remembers where the token holding the last key began,
 * and each string literal remembers where it closed and where its interpolations ended: a later key in the same
 * string is answered from that, unless it falls inside an interpolation, which is then lexed again from its start.
 */
export function createKeyLocator(text: string, language: FixLanguage): KeyLocator {
  const spec = specFor(language);
  const derivedValues = new Map<string, unknown>();
  const derived = <T>(id: string, compute: () => T): T => {
    if (!derivedValues.has(id)) derivedValues.set(id, compute());
    return derivedValues.get(id) as T;
  };
  if (!spec) return { text, language, derived, locate: () => ({ kind: 'bare' }) };
  const lines = new LineIndex(text);
  const heredocs = HEREDOC_LANGUAGES.has(language) ? new HeredocIndex(text, language, lines) : undefined;
  const markup = language === 'php' ? new PhpMarkupIndex(text) : undefined;
  const memo: ScanMemo = { frames: new Map(), formatSpecs: new Map(), strings: new Map() };
  return {
    text,
    language,
    derived,
    locate(keyStart, keyEnd) {
      const heredoc = heredocs?.at(keyStart);
      if (heredoc) return heredoc;
      if (markup?.inMarkup(keyStart)) return { kind: 'markup' };
      const from = spec.wholeFile ? 0 : lines.startBefore(keyStart);
      const outcome = scanCode({ text, keyEnd, spec, nesting: 0, lines, memo }, from, from, undefined, keyStart);
      return 'location' in outcome ? outcome.location : { kind: 'unknown' };
    },
  };
}

/**
 * The line breaks of a text, found once (memory speed), so that "where does this line start / end" costs a binary
 * search instead of a walk along the line: a walk per literal or per key is what made long lines quadratic (F16).
 */
class LineIndex {
  private newlines: number[] | undefined;

  constructor(private readonly text: string) {}

  private breaks(): number[] {
    if (!this.newlines) {
      const found: number[] = [];
      for (let at = this.text.indexOf('\n'); at >= 0; at = this.text.indexOf('\n', at + 1)) found.push(at);
      this.newlines = found;
    }
    return this.newlines;
  }

  /** How many line breaks lie before `offset`. */
  private countBefore(offset: number): number {
    const breaks = this.breaks();
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (breaks[middle] < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Just past the last line break before `offset` (0 when none): `text.lastIndexOf('\n', offset - 1) + 1`. */
  startBefore(offset: number): number {
    const count = this.countBefore(offset);
    return count === 0 ? 0 : this.breaks()[count - 1] + 1;
  }

  /** The first line break at or after `from`, or the text's length. */
  endFrom(from: number): number {
    const breaks = this.breaks();
    const count = this.countBefore(from);
    return count < breaks.length ? breaks[count] : this.text.length;
  }

  /** Whether [from, to) holds a line break. */
  spans(from: number, to: number): boolean {
    return this.endFrom(from) < to;
  }
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
  lines: LineIndex;
  memo: ScanMemo;
}

/**
 * What earlier keys' lexes of the same text learnt, each entry valid for keys at or after its `target` (see
 * createKeyLocator). Frames are keyed by the offset they start scanning at, strings by their opening delimiter.
 */
interface ScanMemo {
  /** Code frames: the state at the start of the token that held the last key. */
  frames: Map<number, { stop: Interpolation | undefined; entryLineStart: number; target: number; i: number; lineStart: number; depth: number }>;
  /** Format specs: the offset of the token that held the last key. */
  formatSpecs: Map<number, { target: number; i: number }>;
  strings: Map<number, StringMemo>;
}

interface StringMemo {
  target: number;
  delimiter: Delimiter;
  /** The interpolations passed, in order: where each opened and where its code ended (-1: unknown, lex it again). */
  interpolations: Array<{ at: number; end: number }>;
  /** Where the close is (-1: the literal never closed); undefined while the lex stopped in an interpolation. */
  closeAt: number | undefined;
}

function sameDelimiter(a: Delimiter, b: Delimiter): boolean {
  return a.open === b.open && a.close === b.close && a.escape === b.escape && a.multiline === b.multiline && (a.interpolations?.length ?? 0) === (b.interpolations?.length ?? 0);
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
  const { text, spec, lines, memo } = context;
  const entryLineStart = lineStart;
  let depth = 0;
  let i = from;
  // A later key resumes at the token that held the previous one (createKeyLocator says why that is exact). Not a
  // lex with no key ahead: it ends at the first unclosed literal, where a lex for a key goes on.
  const saved = target === Infinity ? undefined : memo.frames.get(from);
  if (saved && saved.stop === stop && saved.entryLineStart === entryLineStart && saved.target <= target) ({ i, lineStart, depth } = saved);
  // Every location below is found at the start of a token, with i, lineStart and depth as they were there.
  const found = (location: KeyLocation): Outcome => {
    if (target !== Infinity) memo.frames.set(from, { stop, entryLineStart, target, i, lineStart, depth });
    return { location };
  };
  while (i < text.length) {
    if (i >= target) return found(stop ? { kind: 'interpolation' } : { kind: 'bare' });
    const char = text[i];
    const code = text.charCodeAt(i);
    if (stop && depth === 0) {
      if (text.startsWith(stop.close, i)) return { end: i + stop.close.length };
      if (stop.formatSpec && char === ':') {
        const spec = scanFormatSpec(context, i + 1, lineStart, target);
        return 'location' in spec ? found(spec.location) : spec;
      }
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
      if (end > target) return found({ kind: 'comment' });
      if (close < 0) return { end: -1 };
      i = end;
      continue;
    }
    if (isLineCommentAt(text, i, lineStart, spec)) {
      const eol = lines.endFrom(i);
      if (eol >= target) return found({ kind: 'comment' });
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
        if (end > target) return found({ kind: 'regex' });
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
    if ('location' in outcome) return found(stop ? nestedLocation(outcome.location) : outcome.location);
    if (outcome.end < 0) {
      if (literal.delimiter.multiline || target === Infinity) return target === Infinity ? { end: -1 } : found({ kind: 'unknown' });
      // A single-line literal left open ends at its line end (as the languages' own error recovery treats it).
      const eol = lines.endFrom(i);
      if (eol >= target) return found({ kind: 'unknown' });
      i = eol;
      continue;
    }
    if (literal.delimiter.multiline) lineStart = lines.startBefore(outcome.end);
    i = outcome.end;
  }
  return stop ? { end: -1 } : { location: { kind: 'bare' } };
}

function nestedLocation(location: KeyLocation): KeyLocation {
  return location.kind === 'string' ? { kind: 'string', span: { ...location.span, nested: true } } : location;
}

/** A format spec (`:>{width}`) up to the `}` closing its field; its quotes are text, its `{…}` are fields. */
function scanFormatSpec(context: Context, from: number, lineStart: number, target: number): Outcome {
  const { text, memo } = context;
  let i = from;
  const saved = target === Infinity ? undefined : memo.formatSpecs.get(from);
  if (saved && saved.target <= target) i = saved.i;
  const found = (location: KeyLocation): Outcome => {
    if (target !== Infinity) memo.formatSpecs.set(from, { target, i });
    return { location };
  };
  while (i < text.length) {
    if (i >= target) return found({ kind: 'interpolation' });
    if (text[i] === '}') return { end: i + 1 };
    if (text[i] === '{') {
      if (++context.nesting > MAX_NESTING) return found({ kind: 'unknown' });
      const inner = scanCode(context, i + 1, lineStart, BRACE_FIELD, target);
      context.nesting--;
      if ('location' in inner) return found(inner.location);
      if (inner.end < 0) return inner;
      i = inner.end;
      continue;
    }
    i++;
  }
  return { end: -1 };
}

/** The string literal opening at `openAt`: where the key is in it, or the offset past its close. */
function scanString(context: Context, delimiter: Delimiter, prefixStart: number, openAt: number, target: number): Outcome {
  const { text, keyEnd, lines, memo } = context;
  const { close, escape } = delimiter;
  const contentStart = openAt + delimiter.open.length;
  const limit = delimiter.multiline ? text.length : lines.endFrom(openAt);
  let interpolated = false;
  let closeAt = -1;
  let i = contentStart;
  // What an earlier key's lex of this literal learnt: a key past every interpolation that could now end otherwise
  // is answered from where the literal closed; otherwise the lex resumes at the first such interpolation.
  const known = target === Infinity ? undefined : memo.strings.get(openAt);
  const usable = known !== undefined && known.target <= target && sameDelimiter(known.delimiter, delimiter);
  const record: StringMemo = { target, delimiter, interpolations: [], closeAt: undefined };
  let skipLoop = false;
  if (usable) {
    const rerun = known.interpolations.findIndex((passed) => passed.at < target && (passed.end < 0 || target < passed.end));
    if (rerun >= 0) {
      record.interpolations = known.interpolations.slice(0, rerun);
      i = known.interpolations[rerun].at;
      interpolated = rerun > 0;
    } else if (known.closeAt !== undefined) {
      record.interpolations = known.interpolations;
      closeAt = known.closeAt;
      interpolated = known.interpolations.length > 0;
      skipLoop = true;
    }
  }
  if (target !== Infinity) memo.strings.set(openAt, record);
  while (!skipLoop && i < limit) {
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
      const passed = { at: i, end: -1 };
      record.interpolations.push(passed);
      const innerTarget = target > i ? target : Infinity;
      if (++context.nesting > MAX_NESTING) return { location: { kind: 'unknown' } };
      const inner = scanCode(context, i + interpolation.open.length, lines.startBefore(i), interpolation, innerTarget);
      context.nesting--;
      if ('location' in inner) return inner;
      passed.end = inner.end;
      if (inner.end < 0 || (!delimiter.multiline && inner.end > limit)) {
        record.closeAt = -1;
        return { end: -1 };
      }
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
  record.closeAt = closeAt;
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
        multiline: lines.spans(prefixStart, after),
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
  if (spec.commentAtLineStart) return onlyBlanksBetween(text, lineStart, i);
  if (opener === '#' && spec.lineComments.includes('//') && text[i + 1] === '[') return false; // PHP 8 attribute
  if (spec.commentAtWordStart && i > lineStart) return /[\s;&|(]/.test(text[i - 1]);
  return true;
}

/** The offset of the last character in [from, to) that is not white space (as trim() sees it), or -1. */
function lastNonBlankBefore(text: string, from: number, to: number): number {
  let j = to - 1;
  while (j >= from && BLANK.test(text[j])) j--;
  return j >= from ? j : -1;
}

function onlyBlanksBetween(text: string, from: number, to: number): boolean {
  return lastNonBlankBefore(text, from, to) < 0;
}

/** One character of what String.prototype.trim removes: WhiteSpace and LineTerminator (ECMA-262 §22.1.3.32), as \s. */
const BLANK = /\s/;

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
    // What precedes the quote on its line, blanks skipped: nothing, or an indicator that starts a scalar. Read
    // backwards over the blanks only, so a long flow sequence of quoted items stays linear (F16).
    const before = lastNonBlankBefore(text, lineStart, i);
    if (before >= 0 && !':-[{,?'.includes(text[before])) return undefined;
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

const HEREDOC_LANGUAGES: ReadonlySet<FixLanguage> = new Set(['shell', 'ruby', 'php', 'dockerfile']);

/**
 * The heredoc whose body holds `offset`, found by scanning lines from the top: an opener queues its delimiter
 * and the body runs from the next line to the line that is the delimiter. Forms, from each language's manual:
 * shell `<<WORD`, `<<-WORD`, quoted (`<<'EOF'`, `<<"EOF"`, `<<\EOF`: no expansion) (POSIX Shell Command
 * Language §2.7.4; Dockerfile RUN/COPY heredocs follow it); Ruby `<<ID`, `<<-ID`, `<<~ID`, `<<'ID'` (no
 * interpolation); PHP `<<<ID`, `<<<"ID"`, nowdoc `<<<'ID'`. Strings and comments on an opener's line are
 * skipped so `"a << b"` opens nothing; `<<` followed by a digit or `=` is arithmetic.
 */
export function heredocAt(text: string, offset: number, language: FixLanguage): { kind: 'heredoc'; expands: boolean } | undefined {
  if (!HEREDOC_LANGUAGES.has(language)) return undefined;
  return new HeredocIndex(text, language, new LineIndex(text)).at(offset);
}

/** The heredoc bodies of one text, read line by line as far as the keys asked about, once for all of them. */
class HeredocIndex {
  /** Every body line read so far, in order: its start and its end (the offset of its line break, or the text's end). */
  private readonly bodies: Array<{ start: number; end: number; expands: boolean }> = [];
  private readonly pending: PendingHeredoc[] = [];
  /** The start of the first line not read yet. */
  private next = 0;
  private readonly firstOperator: number;

  constructor(
    private readonly text: string,
    private readonly language: FixLanguage,
    private readonly lines: LineIndex,
  ) {
    this.firstOperator = text.indexOf('<<');
  }

  at(offset: number): { kind: 'heredoc'; expands: boolean } | undefined {
    // Cheap exit: no heredoc operator before the key.
    if (this.firstOperator < 0 || this.firstOperator > offset) return undefined;
    while (this.next <= offset && this.next < this.text.length) this.readLine();
    // The last body line starting at or before the offset, if the offset is on it.
    let low = 0;
    let high = this.bodies.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.bodies[middle].start <= offset) low = middle + 1;
      else high = middle;
    }
    const body = this.bodies[low - 1];
    return body && offset <= body.end ? { kind: 'heredoc', expands: body.expands } : undefined;
  }

  private readLine(): void {
    const { text, language } = this;
    const lineStart = this.next;
    const lineEnd = this.lines.endFrom(lineStart);
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (this.pending.length > 0) {
      const body = this.pending[0];
      const candidate = body.indented ? line.replace(language === 'shell' || language === 'dockerfile' ? /^\t+/ : /^\s+/, '') : line;
      const closes = language === 'php' ? new RegExp(`^${body.delimiter}\\b`).test(candidate) : candidate === body.delimiter;
      if (closes) this.pending.shift();
      else this.bodies.push({ start: lineStart, end: lineEnd, expands: body.expands });
    } else {
      this.pending.push(...heredocOpeners(line, language));
    }
    this.next = lineEnd + 1;
  }
}

/** Heredoc openers on one line, in order. */
function heredocOpeners(line: string, language: FixLanguage): PendingHeredoc[] {
  // Every opener holds `<<`; most lines have none, and need no blanking.
  if (!line.includes('<<')) return [];
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
      result += endsInHeredocOperator(result) ? line.slice(i, j + 1) : ' '.repeat(Math.min(j, line.length) - i + 1);
      i = j;
      continue;
    }
    result += char;
  }
  return result;
}

/**
 * Whether `code` ends in a heredoc operator and the start of its word, as /<<[<~-]?[ \t]*[^\s;&|<>()]*$/ would say,
 * read backwards from the end: that pattern searched the whole line so far at every quote, which was quadratic on a
 * long line of quoted words.
 */
function endsInHeredocOperator(code: string): boolean {
  let k = code.length;
  while (k > 0 && !HEREDOC_WORD_END.test(code[k - 1])) k--;
  while (k > 0 && (code[k - 1] === ' ' || code[k - 1] === '\t')) k--;
  if (code.startsWith('<<', k - 2)) return true;
  // `<<<`, `<<~`, `<<-` then the blanks and the word.
  return k >= 3 && '<~-'.includes(code[k - 1]) && code.startsWith('<<', k - 3);
}

const HEREDOC_WORD_END = /[\s;&|<>()]/;

/**
 * Where a PHP file's HTML is: after a `?>` with no `<?php` / `<?=` / `<?` reopening before it, or before the first
 * opening tag. The tags are found once; each question is then a binary search (a slice of the text before every
 * key was quadratic in the keys of a file).
 */
class PhpMarkupIndex {
  private readonly openers: Array<{ tag: string; starts: number[] }>;
  private readonly closes: number[];

  constructor(text: string) {
    this.openers = ['<?php', '<?=', '<? ', '<?\n'].map((tag) => ({ tag, starts: occurrences(text, tag) }));
    this.closes = occurrences(text, '?>');
  }

  inMarkup(offset: number): boolean {
    // As text.slice(0, offset).lastIndexOf(tag): the last occurrence that ends by the offset.
    const open = Math.max(...this.openers.map(({ tag, starts }) => lastStartAtOrBefore(starts, offset - tag.length)));
    const close = lastStartAtOrBefore(this.closes, offset - 2);
    return open < 0 || close > open;
  }
}

/** Every start of `needle` in `text`, overlapping ones included, in order. */
function occurrences(text: string, needle: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) starts.push(at);
  return starts;
}

/** The greatest of the sorted `starts` that is at most `limit`, or -1. */
function lastStartAtOrBefore(starts: readonly number[], limit: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle] <= limit) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? -1 : starts[low - 1];
}
