// Plans for the two files a fix writes before it touches any source: the env file that receives the key and the
// .gitignore that keeps it out of commits. Both only ever append: every existing byte stays, and a value already
// in the env file is never overwritten (a key shown once by the Console may be its only copy).

import type { TextEdit } from './edits';
import { lineEndingOf } from './imports';

export interface EnvEntry {
  name: string;
  /** The value as written, quotes removed (escape sequences are left as they are). */
  value: string;
  /** Offsets of the entry's first line start and its last line end (line break excluded). */
  start: number;
  end: number;
}

/** `NAME=value`, `export NAME=value` and dotenv's `NAME: value`; names as dotenv accepts them. */
const ENTRY_START = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)(?:[ \t]*=[ \t]*|:[ \t]+)/;

/**
 * Entries of a dotenv file, in order. Follows what the dotenv parsers agree on: `#` comment lines, optional
 * `export `, values in single, double or back quotes (which may span lines), unquoted values ending at a ` #`
 * comment. Lines that are not entries are skipped.
 */
export function parseEnvFile(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let lineStart = text.startsWith('\uFEFF') ? 1 : 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const match = ENTRY_START.exec(line);
    let next = lineEnd + 1;
    if (match) {
      const valueStart = lineStart + match[0].length;
      const quote = text[valueStart];
      let value: string;
      let end = lineStart + line.length;
      const close = quote === '"' || quote === "'" || quote === '`' ? closingQuote(text, valueStart + 1, quote) : -1;
      if (close >= 0) {
        value = text.slice(valueStart + 1, close);
        const closeLineEnd = text.indexOf('\n', close);
        next = closeLineEnd < 0 ? text.length : closeLineEnd + 1;
        end = closeLineEnd < 0 ? text.length : closeLineEnd - (text[closeLineEnd - 1] === '\r' ? 1 : 0);
      } else {
        value = line.slice(match[0].length).replace(/(?:^|[ \t])#.*$/, '').trim();
      }
      entries.push({ name: match[1], value, start: lineStart, end });
    }
    lineStart = next;
  }
  return entries;
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && quote !== "'") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** The value dotenv would load for `name` (the last assignment wins, as in dotenv's parse), or undefined. For
 * several names of one text, parse once with readEnvValues. */
export function readEnvValue(envText: string | undefined, name: string): string | undefined {
  return readEnvValues(envText).get(name);
}

/** The values dotenv would load, by name (the last assignment of each wins), from one parse of the text. */
export function readEnvValues(envText: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  if (envText !== undefined) for (const entry of parseEnvFile(envText)) values.set(entry.name, entry.value);
  return values;
}

export interface EnvEntryPlan {
  /** The variable the key is (or will be) stored under: the preferred name or the first free `NAME_2`, `NAME_3`… */
  name: string;
  /** The append to make; absent when the key is already stored under `name`. */
  edit?: TextEdit;
  /** The env file does not exist yet: the edit is its whole content. */
  created: boolean;
  /** The key was already stored under `name`. */
  alreadyStored: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Values dotenv reads back unchanged without quotes. Anthropic keys always qualify. */
const PLAIN_VALUE = /^[A-Za-z0-9_\-.:/+=@%,~]*$/;

/**
 * Where to store `key`: under `preferredName` when that is free or already holds this key; otherwise under the
 * first of `NAME_2`, `NAME_3`… that is free or holds it. Never overwrites. The append keeps every existing byte
 * and the file's line ending, adds a line break first when the file lacks a final one, and ends with one.
 */
export function planEnvEntry(envText: string | undefined, preferredName: string, key: string): EnvEntryPlan {
  if (!ENV_NAME.test(preferredName)) throw new Error(`not an environment variable name: ${preferredName}`);
  const values = new Map<string, string>();
  for (const entry of parseEnvFile(envText ?? '')) values.set(entry.name, entry.value);
  let name = preferredName;
  for (let suffix = 2; values.has(name) && values.get(name) !== key; suffix++) name = `${preferredName}_${suffix}`;
  const created = envText === undefined;
  if (values.get(name) === key) return { name, created, alreadyStored: true };
  const text = envText ?? '';
  const eol = lineEndingOf(text);
  const separator = text.length > 0 && !text.endsWith('\n') ? eol : '';
  return { name, created, alreadyStored: false, edit: { start: text.length, end: text.length, newText: `${separator}${name}=${envValue(key)}${eol}` } };
}

function envValue(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  // Single quotes are literal in every dotenv dialect; a value that needs them and holds one cannot be stored safely.
  if (!/['\\\r\n]/.test(value)) return `'${value}'`;
  throw new Error('this value cannot be written to a dotenv file unchanged');
}

/** One value the fix stores, and what it does to a name that already holds something else. */
export interface EnvEntryToStore {
  name: string;
  value: string;
  /** The name held a different value, which this entry replaces; the old value is kept under `previousName`. */
  replaces?: { previousName: string; previousValue: string };
}

/**
 * The text appended to an env file to store `entries`, keeping every existing byte: entries already present with
 * the same value are skipped; a replacement appends a comment, the old value under its `previousName` and then the
 * new assignment, which wins because dotenv loaders (dotenv, python-dotenv, Docker Compose, Node's --env-file, a
 * shell's `source`) let the last assignment of a name win. The old line stays where it was: nothing is lost.
 */
export function planEnvAppend(envText: string | undefined, entries: readonly EnvEntryToStore[], today = new Date()): string {
  const text = envText ?? '';
  const eol = lineEndingOf(text);
  let appended = '';
  const current = new Map<string, string>();
  for (const entry of parseEnvFile(text)) current.set(entry.name, entry.value);
  for (const entry of entries) {
    if (!ENV_NAME.test(entry.name)) throw new Error(`not an environment variable name: ${entry.name}`);
    if (current.get(entry.name) === entry.value) continue;
    if (entry.replaces) {
      const date = today.toISOString().slice(0, 10);
      appended += `# ${date}: anthropic-key-hygiene replaced ${entry.name}; its earlier value is kept as ${entry.replaces.previousName}${eol}`;
      appended += `${entry.replaces.previousName}=${envValue(entry.replaces.previousValue)}${eol}`;
      current.set(entry.replaces.previousName, entry.replaces.previousValue);
    } else if (current.has(entry.name)) {
      throw new Error(`${entry.name} already holds a different value; it is never overwritten silently`);
    }
    appended += `${entry.name}=${envValue(entry.value)}${eol}`;
    current.set(entry.name, entry.value);
  }
  if (appended === '') return '';
  return (text.length > 0 && !text.endsWith('\n') ? eol : '') + appended;
}

/** The first of `NAME_PREVIOUS`, `NAME_PREVIOUS_2`… that the env file does not use. */
export function freePreviousName(envText: string | undefined, name: string): string {
  const used = new Set(parseEnvFile(envText ?? '').map((entry) => entry.name));
  let candidate = `${name}_PREVIOUS`;
  for (let suffix = 2; used.has(candidate); suffix++) candidate = `${name}_PREVIOUS_${suffix}`;
  return candidate;
}

/**
 * A `.gitignore` pattern that matches exactly one path (relative to the .gitignore's folder, `/` separators), and
 * nothing else: anchored with `/`, with every character that gitignore reads as syntax escaped (gitignore(5):
 * `\` escapes `#`, `!`, `*`, `?`, `[` and trailing spaces). Undefined for a name no pattern can express (a line break).
 */
export function exactGitignorePattern(relativePath: string): string | undefined {
  if (/[\r\n]/.test(relativePath) || relativePath === '') return undefined;
  let escaped = relativePath.replace(/[\\*?[!#]/g, (char) => `\\${char}`);
  // Trailing spaces are dropped unless escaped.
  escaped = escaped.replace(/ +$/, (spaces) => spaces.replace(/ /g, '\\ '));
  return `/${escaped}`;
}

/**
 * A line for `.gitignore` (`.env`), appended keeping every existing byte, the file's line ending and its
 * final-newline state: a file that ends with a line break gets `entry` + line break; one that does not gets
 * line break + `entry` and still ends without one. A new or empty file gets `entry` + LF. Undefined when the
 * file already has the line (also as `/entry`); whether other patterns cover the path is for git to say.
 */
export function planGitignoreEntry(gitignoreText: string | undefined, entry: string): TextEdit | undefined {
  const text = gitignoreText ?? '';
  const bare = entry.replace(/^\//, '');
  const present = text.split('\n').some((line) => {
    const pattern = line.replace(/\r$/, '').replace(/[ \t]+$/, '');
    return pattern === bare || pattern === `/${bare}`;
  });
  if (present) return undefined;
  if (text.length === 0 || (text.length === 1 && text === '\uFEFF')) return { start: text.length, end: text.length, newText: `${entry}\n` };
  const eol = lineEndingOf(text);
  const newText = text.endsWith('\n') ? `${entry}${eol}` : `${eol}${entry}`;
  return { start: text.length, end: text.length, newText };
}
