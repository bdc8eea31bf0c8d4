// Glob matching for ignore patterns and exclude globs, in time linear in the path: a Thompson NFA stepped over the
// path one character at a time with the set of live states (at most a few per pattern character), so O(pattern x
// path) for any input and no backtracking. Patterns a repository chooses (its .gitignore files, the exclude globs of
// its .vscode/settings.json) are matched here; the packages this replaces compiled them to backtracking regular
// expressions, which patterns such as `**/a*a*a*a*a*a*a*a*a*a*b` or `a/**/a/**/z` made run for minutes (issue 12 #18).
//
// The syntax is git's wildmatch with WM_PATHNAME (wildmatch.c), which VS Code's globs share: `*` matches anything
// but `/`, `?` one character but `/`, `[...]` a set (`!` or `^` negates; ranges; `[:alpha:]` classes; an unclosed
// `[` never matches). A run of two or more `*` forming a whole path segment matches across folders: `**/` zero or
// more folders, a final `**` anything. `\` makes the next character literal; a lone trailing `\` never matches.

/** A transition test over a UTF-16 unit. */
export type Test = (code: number) => boolean;

export interface NfaState {
  /** Where each character leads: consuming transitions. */
  edges: Array<{ test: Test; to: number }>;
  /** Where this state leads without consuming anything. */
  epsilon: number[];
}

const SLASH = 0x2f;
const notSlash: Test = (code) => code !== SLASH;
const anything: Test = () => true;
const isSlash: Test = (code) => code === SLASH;

/** Whether paths compare without regard to case: git's core.ignoreCase, which git sets on the case-insensitive file
 * systems macOS and Windows use by default. A browser (the web build) has no `process`: the repositories it sees
 * (github.dev, a remote's files) are compared as git's default, with case. */
export const IGNORE_CASE = typeof process !== 'undefined' && (process.platform === 'darwin' || process.platform === 'win32');

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

/** The automaton for a glob; undefined when it can never match (an unclosed `[`, a lone trailing `\\`). */
export function compileGlob(pattern: string): NfaState[] | undefined {
  return compileGlobWithLiteral(pattern)?.nfa;
}

/**
 * The longest run of literal characters that every text the glob accepts holds, case-folded as the automaton compares
 * them ('' when there is none, or the glob never matches). Literal characters are consecutive single-character steps
 * of the automaton, so a match holds them side by side, and so does every text one of whose folders matches. A
 * substring search for it settles nearly every path before the automaton runs: 20,000 paths through VS Code's default
 * files.exclude automata held the extension host for about 150 ms (issue 15).
 */
export function requiredLiteral(pattern: string): string {
  return compileGlobWithLiteral(pattern)?.literal ?? '';
}

/** The automaton for a glob and its required literal (see requiredLiteral), built in one reading of the pattern. */
export function compileGlobWithLiteral(pattern: string): { nfa: NfaState[]; literal: string } | undefined {
  let longest = '';
  let run = '';
  const endRun = () => {
    if (run.length > longest.length) longest = run;
    run = '';
  };
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
    // Anything but a literal character ends a literal run (a `**/` consumes its `/`, which may match nothing).
    if (char === '*' || char === '?' || char === '[') endRun();
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
      run += String.fromCharCode(code);
      i++;
    }
  }
  endRun();
  return { nfa: states, literal: longest };
}

/** `text` case-folded as the automaton compares characters (ASCII letters, and only where names ignore case). */
export function foldText(text: string): string {
  return IGNORE_CASE ? text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : text;
}

/** Whether the automaton accepts the whole of `text` (its last state is the accepting one). */
export function globAccepts(nfa: NfaState[], text: string): boolean {
  return run(nfa, text, false);
}

/**
 * Whether the automaton accepts `text` or any of its folders (`a` and `a/b` of `a/b/c`), in one pass: the live states
 * after a prefix are those of matching that prefix alone, so each folder is checked where its `/` is read. (Matching
 * each prefix anew made a path n folders deep cost n passes.)
 */
export function globAcceptsPathOrFolder(nfa: NfaState[], text: string): boolean {
  return run(nfa, text, true);
}

function run(nfa: NfaState[], text: string, folders: boolean): boolean {
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
    if (folders && code === SLASH && i > 0 && live[accepting]) return true;
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
