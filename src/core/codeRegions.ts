// Which positions of a JavaScript/TypeScript text are code, and which are inside a string, a template literal's text,
// a regular expression literal or a comment. The client-exposure rule asks it so that prose is not taken for code:
// the Anthropic SDK's own error message says "new Anthropic({ apiKey, dangerouslyAllowBrowser: true })" inside a
// string, and is no browser client (issue 12 #21).
//
// A lexer for those token kinds only, not a parser, run once from the start of the text as the queries move forward
// (linear, whatever the input). Decisions, following ECMA-262's lexical grammar (section 12):
// - Strings end at their closing quote or, left open, at the end of the line (an error the engine would report).
// - Template literals nest: `${` opens code, and the `}` that closes it returns to the template's text.
// - A `/` starts a regular expression literal where an expression may begin: at the start, after an operator or
//   punctuator other than `)` and `]`, and after a keyword such as `return`; elsewhere it divides. The grammar decides
//   this by parse context, which a lexer cannot see; the guess fails only on rare code (`if (x) /re/.test(s)`), and a
//   regular expression cannot span lines, so a wrong guess never reaches past the end of its line.
// - A `#!` line at the very start is a comment, as engines treat it.

/** Reads a text by UTF-16 unit (a string) or by byte (raw bytes read as latin1; every token here is ASCII). */
export type CodeUnitAt = (index: number) => number;

const enum State {
  Code,
  LineComment,
  BlockComment,
  SingleQuoted,
  DoubleQuoted,
  Template,
  Regex,
}

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Keywords after which a `/` starts a regular expression (an expression may follow them). */
const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);
const LONGEST_KEYWORD = 'instanceof'.length;

function isIdentifierCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === DOLLAR || code > 0x7f;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === NEWLINE || code === CARRIAGE_RETURN || code === 0x0b || code === 0x0c;
}

export class CodeRegions {
  private position = 0;
  private state = State.Code;
  /** Brace depth inside each open `${ … }` of a template, innermost last. */
  private readonly templateDepths: number[] = [];
  /** Inside a regular expression's character class, where `/` does not end it. */
  private inClass = false;
  /** In a block comment, whether the last unit was `*` (a `/` then closes it). */
  private afterStar = false;
  /** Where the last code token (not a space or comment) ended: -1 at the start of an expression. */
  private lastTokenEnd = -1;
  /** Whether that token ends an operand (a literal, `)`, `]`, or a word that may be a name): `/` then divides. */
  private lastTokenIsOperand = false;

  constructor(
    private readonly codeAt: CodeUnitAt,
    private readonly length: number,
  ) {
    if (length >= 2 && codeAt(0) === 0x23 && codeAt(1) === 0x21) this.state = State.LineComment; // #!
  }

  /**
   * Whether the unit at `at` is code. A token's opening delimiter is code (the token starts there) and the rest of
   * it, its closing delimiter included, is not: so a quoted property name is code at its opening quote. Queries must
   * not go backwards.
   */
  isCode(at: number): boolean {
    this.advanceTo(at);
    return this.state === State.Code;
  }

  /** Whether `at` is inside a comment. Queries must not go backwards. */
  isComment(at: number): boolean {
    this.advanceTo(at);
    return this.state === State.LineComment || this.state === State.BlockComment;
  }

  private advanceTo(target: number): void {
    // Only an escape's second unit can lie behind the position (an escape is stepped over whole): same state.
    if (target <= this.position) return;
    const end = Math.min(target, this.length);
    const codeAt = this.codeAt;
    let i = this.position;
    while (i < end) {
      const code = codeAt(i);
      switch (this.state) {
        case State.Code:
          i = this.code(i, code);
          break;
        case State.LineComment:
          if (code === NEWLINE) this.state = State.Code;
          i++;
          break;
        case State.BlockComment:
          // The closing `/` is the comment's last unit, as a closing quote is a string's.
          if (code === SLASH && this.afterStar) this.state = State.Code;
          this.afterStar = code === STAR;
          i++;
          break;
        case State.SingleQuoted:
        case State.DoubleQuoted:
          if (code === BACKSLASH) i += 2; // an escape, or a line continuation
          else {
            if (code === (this.state === State.SingleQuoted ? SINGLE_QUOTE : DOUBLE_QUOTE) || code === NEWLINE) this.endToken(i, true);
            i++;
          }
          break;
        case State.Template:
          if (code === BACKSLASH) i += 2;
          else if (code === BACKTICK) {
            this.endToken(i, true);
            i++;
          } else if (code === DOLLAR && i + 1 < this.length && codeAt(i + 1) === OPEN_BRACE) {
            this.templateDepths.push(0);
            this.state = State.Code;
            this.lastTokenEnd = -1;
            i += 2;
          } else i++;
          break;
        case State.Regex:
          if (code === BACKSLASH) i += 2;
          else {
            if (code === OPEN_BRACKET) this.inClass = true;
            else if (code === CLOSE_BRACKET) this.inClass = false;
            else if ((code === SLASH && !this.inClass) || code === NEWLINE) this.endToken(i, true);
            i++;
          }
          break;
      }
    }
    // An escape at the very end may step past it.
    this.position = Math.max(i, end);
  }

  /** One unit of code at `i`: returns where to continue. */
  private code(i: number, code: number): number {
    const next = i + 1 < this.length ? this.codeAt(i + 1) : -1;
    if (code === SLASH && next === SLASH) {
      this.state = State.LineComment;
      return i + 2;
    }
    if (code === SLASH && next === STAR) {
      this.state = State.BlockComment;
      this.afterStar = false; // the opening `*` does not close: `/*/` is still a comment
      return i + 2;
    }
    if (isSpace(code)) return i + 1;
    if (code === SLASH && this.regexMayStart()) {
      this.state = State.Regex;
      this.inClass = false;
      return i + 1;
    }
    if (code === SINGLE_QUOTE) this.state = State.SingleQuoted;
    else if (code === DOUBLE_QUOTE) this.state = State.DoubleQuoted;
    else if (code === BACKTICK) this.state = State.Template;
    else if (code === OPEN_BRACE && this.templateDepths.length > 0) this.templateDepths[this.templateDepths.length - 1]++;
    else if (code === CLOSE_BRACE && this.templateDepths.length > 0) {
      const depth = this.templateDepths.length - 1;
      if (this.templateDepths[depth] === 0) {
        // The `}` closing a `${`: back to the template's text.
        this.templateDepths.pop();
        this.state = State.Template;
        return i + 1;
      }
      this.templateDepths[depth]--;
    }
    // `}` ends a block more often than an object literal, and a regular expression may follow a block.
    if (this.state === State.Code) this.endToken(i, code === 0x29 /* ) */ || code === CLOSE_BRACKET || isIdentifierCode(code));
    return i + 1;
  }

  private endToken(at: number, isOperand: boolean): void {
    this.state = State.Code;
    this.lastTokenEnd = at;
    this.lastTokenIsOperand = isOperand;
  }

  /** Whether an expression may begin here, so that `/` opens a regular expression rather than dividing. */
  private regexMayStart(): boolean {
    if (this.lastTokenEnd < 0 || !this.lastTokenIsOperand) return true;
    if (!isIdentifierCode(this.codeAt(this.lastTokenEnd))) return false;
    // A word: a name divides, a keyword that an expression may follow does not. Read it backwards, at most as long as
    // the longest keyword.
    let word = '';
    for (let j = this.lastTokenEnd; j >= 0 && word.length <= LONGEST_KEYWORD && isIdentifierCode(this.codeAt(j)); j--) word = String.fromCharCode(this.codeAt(j)) + word;
    const before = this.lastTokenEnd - word.length;
    if (before >= 0 && isIdentifierCode(this.codeAt(before))) return false; // longer than any keyword
    return KEYWORDS_BEFORE_EXPRESSION.has(word);
  }
}

/** Code regions of a string. */
export function codeRegionsOf(text: string): CodeRegions {
  return new CodeRegions((index) => text.charCodeAt(index), text.length);
}

/** Code regions of raw bytes (read as latin1). */
export function codeRegionsOfBytes(buf: Uint8Array): CodeRegions {
  return new CodeRegions((index) => buf[index], buf.length);
}
