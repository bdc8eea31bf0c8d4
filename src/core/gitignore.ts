// The rules of one ignore file (.gitignore, .git/info/exclude, the global excludes file), matched as git matches
// them, in time linear in the path for each pattern: a repository's own .gitignore is input the scan does not control,
// and the `ignore` package this replaces compiled patterns to backtracking regular expressions (`a/**/a/**/z` against
// a path 2,000 folders deep did not finish; issue 12 #18 asks that every search on the scan path be linear).
//
// Format (gitignore(5), "PATTERN FORMAT"; git's dir.c and wildmatch.c for the details it leaves open):
// - A line is a pattern; blank lines and lines starting with `#` are not. A UTF-8 byte order mark at the start and
//   a carriage return at a line's end are dropped; trailing spaces are dropped unless escaped (`\ `).
// - `!` negates (a later match re-includes); `\!` and `\#` are literal. A trailing `/` matches folders only.
// - A pattern with a `/` at its start or in its middle is matched against the whole path relative to the ignore
//   file's folder (a leading `/` only anchors it); any other pattern against the last part of the path, at any depth.
// - `*` matches anything but `/`, `?` one character but `/`, `[...]` a set (`!` or `^` negates, ranges, `[:alpha:]`
//   classes; an unclosed `[` never matches). A run of two or more `*` forming a whole path segment matches across
//   folders: `**/` any number of leading folders (none included), `/**` everything inside, `/**/` zero or more
//   folders. `\` makes the next character literal; a pattern ending in a lone `\` never matches.
// - The last pattern that matches decides.
//
// Matching runs a Thompson NFA over the path, one step per character with the set of live states (at most a few per
// pattern character): O(pattern × path) for any input, no backtracking.

export type IgnoreVerdict = 'ignored' | 'unignored' | undefined;

/** A transition test over a UTF-16 unit. */
type Test = (code: number) => boolean;

interface NfaState {
  /** Where each character leads: consuming transitions. */
  edges: Array<{ test: Test; to: number }>;
  /** Where this state leads without consuming anything. */
  epsilon: number[];
}

interface Pattern {
  negated: boolean;
  folderOnly: boolean;
  /** Matched against the last path segment (no `/` in the pattern) rather than the whole relative path. */
  basename: boolean;
  /** A pattern with no wildcard: compared as a string. */
  literal?: string;
  /** Otherwise the automaton; undefined for a pattern that can never match (an unclosed `[`). */
  nfa?: NfaState[];
}

const SLASH = 0x2f;
const notSlash: Test = (code) => code !== SLASH;
const anything: Test = () => true;
const isSlash: Test = (code) => code === SLASH;

/** Whether paths compare without regard to case: git's core.ignoreCase, which git sets on the case-insensitive file
 * systems macOS and Windows use by default. */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

function foldCase(code: number): number {
  return IGNORE_CASE && code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** POSIX character classes wildmatch knows, over ASCII. */
const POSIX_CLASSES: Record<string, Test> = {
  alnum: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  alpha: (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => (c > 0x20 && c < 0x30) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61) || (c > 0x7a && c < 0x7f),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

/** Parses `[...]` starting at `open`; returns the test and the index after `]`, or undefined when it never closes. */
function parseBracket(pattern: string, open: number): { test: Test; next: number } | undefined {
  let i = open + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  const tests: Test[] = [];
  let first = true;
  for (; i < pattern.length; first = false) {
    const char = pattern[i];
    if (char === ']' && !first) {
      const member = (code: number) => tests.some((test) => test(code));
      // A set never matches `/` (WM_PATHNAME), negated or not.
      return { test: (code) => code !== SLASH && member(foldCase(code)) !== negated, next: i + 1 };
    }
    if (char === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const posix = close >= 0 ? POSIX_CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (posix) {
        tests.push(posix);
        i = close + 2;
        continue;
      }
    }
    let low = char;
    if (low === '\\') {
      i++;
      if (i >= pattern.length) return undefined;
      low = pattern[i];
    }
    i++;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      let high = pattern[i + 1];
      i += 2;
      if (high === '\\') {
        if (i >= pattern.length) return undefined;
        high = pattern[i];
        i++;
      }
      const from = foldCase(low.charCodeAt(0));
      const to = foldCase(high.charCodeAt(0));
      tests.push((code) => code >= from && code <= to);
    } else {
      const code = foldCase(low.charCodeAt(0));
      tests.push((c) => c === code);
    }
  }
  return undefined;
}

/** The automaton for a pattern (its anchoring `/` already removed); undefined when the pattern can never match. */
function compile(pattern: string): NfaState[] | undefined {
  const states: NfaState[] = [{ edges: [], epsilon: [] }];
  const add = (): number => states.push({ edges: [], epsilon: [] }) - 1;
  let current = 0;
  const step = (test: Test) => {
    const next = add();
    states[current].edges.push({ test, to: next });
    current = next;
  };
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i];
    if (char === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const segmentStart = i === 0 || pattern[i - 1] === '/';
      const segmentEnd = end === pattern.length || pattern[end] === '/';
      if (end - i >= 2 && segmentStart && segmentEnd) {
        if (end === pattern.length) {
          // `**` at the end: anything at all, slashes included.
          states[current].edges.push({ test: anything, to: current });
        } else {
          // `**/`: nothing, or anything ending in `/` (zero or more folders). The `/` is consumed here.
          const inside = add();
          const after = add();
          states[current].epsilon.push(after);
          states[current].edges.push({ test: isSlash, to: after }, { test: anything, to: inside });
          states[inside].edges.push({ test: anything, to: inside }, { test: isSlash, to: after });
          current = after;
          end++;
        }
      } else {
        // `*` (or stars inside a segment, which are the same): any run of characters but `/`.
        const next = add();
        states[current].edges.push({ test: notSlash, to: current });
        states[current].epsilon.push(next);
        current = next;
      }
      i = end;
    } else if (char === '?') {
      step(notSlash);
      i++;
    } else if (char === '[') {
      const bracket = parseBracket(pattern, i);
      if (!bracket) return undefined;
      step(bracket.test);
      i = bracket.next;
    } else {
      let literal = char;
      if (char === '\\') {
        if (i + 1 >= pattern.length) return undefined; // a lone trailing backslash never matches
        literal = pattern[i + 1];
        i++;
      }
      const code = foldCase(literal.charCodeAt(0));
      step((c) => foldCase(c) === code);
      i++;
    }
  }
  return states;
}

/** Whether the automaton accepts the whole of `text` (its last state is the accepting one). */
function accepts(nfa: NfaState[], text: string): boolean {
  const accepting = nfa.length - 1;
  let live = new Uint8Array(nfa.length);
  let next = new Uint8Array(nfa.length);
  const stack: number[] = [];
  const close = (set: Uint8Array, state: number) => {
    if (set[state]) return;
    set[state] = 1;
    stack.push(state);
    while (stack.length > 0) {
      for (const to of nfa[stack.pop()!].epsilon) {
        if (!set[to]) {
          set[to] = 1;
          stack.push(to);
        }
      }
    }
  };
  close(live, 0);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    next.fill(0);
    let any = false;
    for (let state = 0; state < nfa.length; state++) {
      if (!live[state]) continue;
      for (const edge of nfa[state].edges) {
        if (edge.test(code)) {
          close(next, edge.to);
          any = true;
        }
      }
    }
    if (!any) return false;
    [live, next] = [next, live];
  }
  return live[accepting] === 1;
}

/** Whether a pattern (after `!`, `/` handling) holds any wildcard or escape, which a plain comparison cannot do. */
function isLiteral(pattern: string): boolean {
  return !/[*?[\\]/.test(pattern);
}

/** Drops trailing spaces that are not escaped (git's trim_trailing_spaces). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    // An escaped space ends the pattern: count the backslashes before it.
    let backslashes = 0;
    for (let j = end - 2; j >= 0 && line[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

function parsePattern(line: string): Pattern | undefined {
  let text = trimTrailingSpaces(line);
  if (text === '' || text.startsWith('#')) return undefined;
  let negated = false;
  if (text.startsWith('!')) {
    negated = true;
    text = text.slice(1);
  }
  let folderOnly = false;
  if (text.endsWith('/') && !text.endsWith('\\/')) {
    folderOnly = true;
    text = text.slice(0, -1);
  }
  if (text === '') return undefined;
  const basename = !text.includes('/');
  if (text.startsWith('/')) text = text.slice(1);
  if (isLiteral(text)) return { negated, folderOnly, basename, literal: IGNORE_CASE ? text.toLowerCase() : text };
  return { negated, folderOnly, basename, nfa: compile(text) };
}

export class IgnoreRules {
  private readonly patterns: Pattern[];

  constructor(text: string) {
    const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
    this.patterns = [];
    for (const line of lines) {
      const pattern = parsePattern(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (pattern) this.patterns.push(pattern);
    }
  }

  /** The verdict for a path relative to the rules' folder (`/`-separated), or undefined when no pattern matches. */
  test(relativePath: string, isFolder: boolean): IgnoreVerdict {
    const slash = relativePath.lastIndexOf('/');
    const name = slash < 0 ? relativePath : relativePath.slice(slash + 1);
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const pattern = this.patterns[i];
      if (pattern.folderOnly && !isFolder) continue;
      const subject = pattern.basename ? name : relativePath;
      const matches = pattern.literal !== undefined ? (IGNORE_CASE ? subject.toLowerCase() : subject) === pattern.literal : pattern.nfa !== undefined && accepts(pattern.nfa, subject);
      if (matches) return pattern.negated ? 'unignored' : 'ignored';
    }
    return undefined;
  }
}
