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
// Matching is glob.ts's: linear in the path for each pattern.

import { IGNORE_CASE, compileGlob, globAccepts, type NfaState } from './glob';

export type IgnoreVerdict = 'ignored' | 'unignored' | undefined;

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
  return { negated, folderOnly, basename, nfa: compileGlob(text) };
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
      const matches = pattern.literal !== undefined ? (IGNORE_CASE ? subject.toLowerCase() : subject) === pattern.literal : pattern.nfa !== undefined && globAccepts(pattern.nfa, subject);
      if (matches) return pattern.negated ? 'unignored' : 'ignored';
    }
    return undefined;
  }
}
