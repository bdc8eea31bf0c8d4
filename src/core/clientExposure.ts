// Finds code that sends an Anthropic key to the browser, where any visitor can read it:
// - an Anthropic client created with `dangerouslyAllowBrowser: true` (the SDK's explicit opt-in to running in a
//   browser, named so because the key then ships with the page);
// - an Anthropic/Claude key variable with a prefix that a bundler inlines into client code (`NEXT_PUBLIC_`,
//   `VITE_`, …), wherever it is defined or read.
//
// Every pattern is ASCII, so this works unchanged on a latin1 decoding of raw bytes, whose offsets are byte
// offsets (that is how the buffer scan uses it). For the same reason whitespace means ASCII whitespace here.
//
// Text is not code: an option inside a string or a comment (the SDK's own error message tells users to write
// `new Anthropic({ apiKey, dangerouslyAllowBrowser: true })`) is not reported, nor a variable named in a comment;
// a variable named in a string still is, as `env['VITE_ANTHROPIC_API_KEY']` reads it (codeRegions.ts decides).
// Every search here runs in time linear in the text: no pattern can backtrack (issue 12 #18: an import pattern once
// took 18 s on a 104 KB file of long import lines).

import { codeRegionsOf, codeRegionsOfBytes, type CodeRegions } from './codeRegions';
import { classifyEnvFileName } from './envFiles';

export type ClientExposureKind = 'dangerously-allow-browser' | 'public-env-prefix';

export interface ClientExposure {
  start: number;
  end: number;
  kind: ClientExposureKind;
  /** For 'public-env-prefix': the prefix (`VITE_`). For 'dangerously-allow-browser': the constructor or function
   * the option is passed to (`Anthropic`, `sdk.AnthropicBedrock`), or '' when it sits in a standalone object. */
  detail: string;
}

/** Prefixes whose variables bundlers inline into client code, longest first so `NEXT_PUBLIC_` wins over `PUBLIC_`. */
export const PUBLIC_ENV_PREFIXES: ReadonlyArray<{ prefix: string; bundler: string }> = [
  { prefix: 'NEXT_PUBLIC_', bundler: 'Next.js' },
  { prefix: 'NUXT_PUBLIC_', bundler: 'Nuxt' },
  { prefix: 'EXPO_PUBLIC_', bundler: 'Expo' },
  { prefix: 'REACT_APP_', bundler: 'Create React App' },
  { prefix: 'VUE_APP_', bundler: 'Vue CLI' },
  { prefix: 'GATSBY_', bundler: 'Gatsby' },
  { prefix: 'PUBLIC_', bundler: 'SvelteKit and Astro' },
  { prefix: 'VITE_', bundler: 'Vite' },
];

export function bundlerForPrefix(prefix: string): string | undefined {
  return PUBLIC_ENV_PREFIXES.find((entry) => entry.prefix === prefix)?.bundler;
}

/**
 * A word searched for by a shorter needle inside it, then confirmed in place. V8's String indexOf is fast only for
 * needles of at most 6 characters (a memchr for the first character, then a compare); from 7 on it switches to a
 * Boyer-Moore-style search that, measured on Node 20, takes 100-300 µs instead of ~8 µs on a 550 KB editor document.
 * A needle that begins with a rare character (an upper-case letter) also lets that memchr skip most of the text.
 */
interface SearchWord {
  word: string;
  needle: string;
  /** Where the needle sits in the word. */
  offset: number;
  // Uint8Arrays rather than Buffers: Buffer's searches take either, and the web build (no Buffer) loads this module.
  wordBytes: Uint8Array;
  needleBytes: Uint8Array;
}

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function searchWord(word: string, needle: string): SearchWord {
  return { word, needle, offset: word.indexOf(needle), wordBytes: latin1Bytes(word), needleBytes: latin1Bytes(needle) };
}

/** First occurrence of the word starting at or after `from`, or -1: what `text.indexOf(word, from)` returns. */
function indexOfWord(text: string, search: SearchWord, from: number): number {
  for (let at = text.indexOf(search.needle, from + search.offset); at >= 0; at = text.indexOf(search.needle, at + 1)) {
    const start = at - search.offset;
    if (start >= 0 && text.startsWith(search.word, start)) return start;
  }
  return -1;
}

/** The same in raw bytes (byte offsets). */
function indexOfWordInBuffer(buf: Buffer, search: SearchWord, from: number): number {
  const length = search.wordBytes.length;
  for (let at = buf.indexOf(search.needleBytes, from + search.offset); at >= 0; at = buf.indexOf(search.needleBytes, at + 1)) {
    const start = at - search.offset;
    if (start >= 0 && start + length <= buf.length && buf.compare(search.wordBytes, 0, length, start, start + length) === 0) return start;
  }
  return -1;
}

/** What the public-variable scan reads: a string, or raw bytes read as latin1 (one character per byte, so offsets
 * are byte offsets and every ASCII pattern matches as in the decoded text). */
interface Source {
  readonly length: number;
  codeAt(index: number): number;
  indexOfWord(search: SearchWord, from: number): number;
  slice(start: number, end: number): string;
  /** A fresh lexer over the text (lexing costs a pass, so only a text with a candidate makes one). */
  codeRegions(): CodeRegions;
}

function stringSource(text: string): Source {
  return {
    length: text.length,
    codeAt: (index) => text.charCodeAt(index),
    indexOfWord: (search, from) => indexOfWord(text, search, from),
    slice: (start, end) => text.slice(start, end),
    codeRegions: () => codeRegionsOf(text),
  };
}

function bufferSource(buf: Buffer): Source {
  return {
    length: buf.length,
    codeAt: (index) => buf[index],
    indexOfWord: (search, from) => indexOfWordInBuffer(buf, search, from),
    slice: (start, end) => buf.toString('latin1', start, end),
    codeRegions: () => codeRegionsOfBytes(buf),
  };
}

/** Exposures listed per text at most: a bundle repeating one variable thousands of times says nothing more with each,
 * and a file of nothing else would otherwise hold millions of them. */
export const MAX_EXPOSURES_PER_TEXT = 1000;
/** Texts larger than this are not decoded to judge opt-ins (V8 cannot hold a string of more than 2^29 - 24 units, and
 * the judgement reads the whole text); their public variables, read from the bytes, are still reported. */
const MAX_DECODED_OPT_IN_TEXT = 256 << 20;

const OPTION_NAME = 'dangerouslyAllowBrowser';
const OPTION_WORD = searchWord(OPTION_NAME, 'AllowB');
/**
 * Env variable names are upper case by convention (POSIX, and every bundler's docs), so only `ANTHROPIC` and
 * `CLAUDE` mark an Anthropic key variable; `VITE_anthropic_key` is not recognised. That keeps both the text scan and
 * the byte prefilter at memory speed: indexOf is fastest for short needles that begin with a rare (upper-case)
 * character, and lower-case needles such as `laude` cost several times more on every file. `H` and `L` are the
 * rarest letters of the two words in code (0.6 and 1.2 per KB in the bench corpus, against 3 for `C`).
 */
const VENDOR_WORDS = [searchWord('ANTHROPIC', 'HROPIC'), searchWord('CLAUDE', 'LAUDE')];
const KEY_WORD = /KEY|TOKEN|SECRET|CREDENTIAL|AUTH/;
/** Whether a class name or a whole file is about Anthropic, for the dangerouslyAllowBrowser judgement. */
const ANTHROPIC_NAME = /anthropic|claude/i;
/** Needles whose absence rules out every finding: one inside each word a finding needs (searched by git grep). */
export const PREFILTER_NEEDLES: readonly string[] = [OPTION_WORD, ...VENDOR_WORDS].map((word) => word.needle);

/**
 * The prefilter in memory: every finding needs one of the three words, and all three hold an `A`
 * (`dangerouslyAllowBrowser`, `ANTHROPIC`, `CLAUDE`). So it searches once for `A` and looks at each for the word around
 * it, where one search per word would read the text three times. A stop of a one-character indexOf costs about what a
 * stop inside a longer needle's search does (6.5 ns a stop on the bench's 550 KB document in cache, 8.7 for a Buffer),
 * and the option's own needle began with that `A`: no more stops, two passes fewer (20 µs to 9 µs on that document,
 * which the editor rescans on every edit). The character after the `A` tells which word it can be.
 */
const A = 'A'.charCodeAt(0);
/** The word an `A` can be part of, by the character after it (an array: a Map lookup per `A` cost a fifth of the
 * search). Indexed by the character's low 7 bits: one beyond ASCII lands on some entry, whose whole word then fails. */
const WORD_AFTER_A: Array<{ word: string; wordBytes: Uint8Array; at: number } | undefined> = new Array(128).fill(undefined);
for (const { word, wordBytes } of [OPTION_WORD, ...VENDOR_WORDS]) {
  const at = word.indexOf('A');
  WORD_AFTER_A[word.charCodeAt(at + 1)] = { word, wordBytes, at };
}

/** Cheap test before the real scan: can this text contain a finding at all? */
export function mayContainClientExposure(text: string): boolean {
  for (let at = text.indexOf('A'); at >= 0; at = text.indexOf('A', at + 1)) {
    const candidate = WORD_AFTER_A[text.charCodeAt(at + 1) & 127];
    if (candidate !== undefined && at >= candidate.at && text.startsWith(candidate.word, at - candidate.at)) return true;
  }
  return false;
}

/** The same prefilter on raw bytes, without decoding (the words are ASCII). */
export function bufferMayContainClientExposure(buf: Buffer): boolean {
  for (let at = buf.indexOf(A); at >= 0; at = buf.indexOf(A, at + 1)) {
    const candidate = WORD_AFTER_A[buf[at + 1] & 127];
    if (candidate === undefined || at < candidate.at) continue;
    const start = at - candidate.at;
    const end = start + candidate.wordBytes.length;
    if (end <= buf.length && buf.compare(candidate.wordBytes, 0, candidate.wordBytes.length, start, end) === 0) return true;
  }
  return false;
}

/** All exposures in a text, ordered by start offset (UTF-16 units). */
export function findClientExposures(text: string): ClientExposure[] {
  if (!mayContainClientExposure(text)) return [];
  const found = [...findBrowserOptIns(text), ...findPublicKeyVariables(stringSource(text))];
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The same in raw bytes, with byte offsets: what findClientExposures gives for their latin1 decoding. Only a file
 * that names the option is decoded (its judgement reads the whole text: imports, mentions of Anthropic); public
 * variables are read from the bytes around each vendor word, as decoding a large bundle costs more than scanning it.
 */
export function findClientExposuresInBuffer(buf: Buffer): ClientExposure[] {
  if (!bufferMayContainClientExposure(buf)) return [];
  if (buf.length <= MAX_DECODED_OPT_IN_TEXT && buf.indexOf(OPTION_WORD.needleBytes) >= 0) return findClientExposures(buf.toString('latin1'));
  // Without the option there are no opt-ins, and public variables come out in offset order already.
  return findPublicKeyVariables(bufferSource(buf));
}

/** [A-Za-z0-9_]: the characters of an env variable name. `$` bounds one (`$VITE_KEY` in a shell). */
function isEnvNameCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f // _
  );
}

function findPublicKeyVariables(text: Source): ClientExposure[] {
  const found: ClientExposure[] = [];
  const nextHit = VENDOR_WORDS.map((word) => text.indexOfWord(word, 0));
  let regions: CodeRegions | undefined;
  while (found.length < MAX_EXPOSURES_PER_TEXT) {
    let needle = -1;
    for (let i = 0; i < nextHit.length; i++) {
      if (nextHit[i] >= 0 && (needle < 0 || nextHit[i] < nextHit[needle])) needle = i;
    }
    if (needle < 0) break;
    const hit = nextHit[needle];
    let start = hit;
    while (start > 0 && isEnvNameCode(text.codeAt(start - 1))) start--;
    let end = hit + VENDOR_WORDS[needle].word.length;
    while (end < text.length && isEnvNameCode(text.codeAt(end))) end++;
    // Every search resumes after this name: no name is expanded twice, however many vendor words it holds.
    for (let i = 0; i < nextHit.length; i++) {
      if (nextHit[i] >= 0 && nextHit[i] < end) nextHit[i] = text.indexOfWord(VENDOR_WORDS[i], end);
    }
    const name = text.slice(start, end);
    const prefix = PUBLIC_ENV_PREFIXES.find((entry) => name.startsWith(entry.prefix))?.prefix;
    // The vendor word cannot be part of the prefix, so only the key word is left to check.
    if (prefix && KEY_WORD.test(name.slice(prefix.length).toUpperCase()) && !(regions ??= text.codeRegions()).isComment(start)) {
      found.push({ start, end, kind: 'public-env-prefix', detail: prefix });
    }
  }
  return found;
}

// `dangerouslyAllowBrowser: true`, `"dangerouslyAllowBrowser": true`; matched from just after the name.
const OPTION_VALUE_TRUE = /[ \t\r\n]*:[ \t\r\n]*true(?![A-Za-z0-9_$])/;
/** How far back to look for the call that receives the options object. */
const CALL_SEARCH_WINDOW = 2000;

function findBrowserOptIns(text: string): ClientExposure[] {
  const found: ClientExposure[] = [];
  const optionValueTrue = new RegExp(OPTION_VALUE_TRUE.source, 'y');
  // Both are needed only once an option is found, and cost a pass over the text.
  let anthropicNames: Set<string> | undefined;
  let mentionsAnthropic: boolean | undefined;
  // The search back for a callee never crosses the previous option, keeping many options in one file linear;
  // an option whose callee is out of reach is judged like the previous one (typically the same object).
  let previousEnd = 0;
  let previousCallee: Callee | undefined;
  const regions = codeRegionsOf(text);
  for (let at = indexOfWord(text, OPTION_WORD, 0); at >= 0 && found.length < MAX_EXPOSURES_PER_TEXT; at = indexOfWord(text, OPTION_WORD, at + OPTION_NAME.length)) {
    const before = text[at - 1];
    const quote = before === '"' || before === "'" ? before : '';
    const start = at - quote.length;
    // A quoted property name starts with its quote, which must itself be code; anything inside a string or comment is
    // prose about the option.
    if (!startsObjectProperty(text, start) || !regions.isCode(start)) continue;
    let afterName = at + OPTION_NAME.length;
    if (quote) {
      if (text[afterName] !== quote) continue;
      afterName++;
    }
    optionValueTrue.lastIndex = afterName;
    if (!optionValueTrue.test(text)) continue;
    const end = optionValueTrue.lastIndex;

    const searchLimit = Math.max(previousEnd, start - CALL_SEARCH_WINDOW);
    const callee = calleeOfObjectAround(text, start, searchLimit) ?? previousCallee;
    previousEnd = end;
    previousCallee = callee;
    anthropicNames ??= namesImportedFromAnthropic(text);
    mentionsAnthropic ??= ANTHROPIC_NAME.test(text);
    if (isAnthropicClient(callee, anthropicNames, mentionsAnthropic)) {
      found.push({ start, end, kind: 'dangerously-allow-browser', detail: callee?.name ?? '' });
    }
  }
  return found;
}

/**
 * An object property follows `{`, `,` or a line break. This keeps prose and comments that mention the option
 * (`created with dangerouslyAllowBrowser: true`, a backticked mention in Markdown, `// dangerously…`) silent.
 */
function startsObjectProperty(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '{' || text[i] === ',' || text[i] === '\n' || text[i] === '\r';
}

interface Callee {
  /** '' when the object literal is not an argument of a call (e.g. `const options = { … }`). */
  name: string;
  isConstructor: boolean;
}

/**
 * The other SDKs generated like Anthropic's (OpenAI, Groq, …) have the same option, so a `new X({…})` decides by
 * X: Anthropic-named or imported from `@anthropic-ai/…` counts, anything else does not. A plain function call or a
 * standalone options object counts when the file mentions Anthropic or Claude at all.
 */
function isAnthropicClient(
  callee: Callee | undefined,
  anthropicNames: Set<string>,
  mentionsAnthropic: boolean,
): boolean {
  if (callee?.name) {
    const rootName = callee.name.split('.')[0];
    if (ANTHROPIC_NAME.test(callee.name) || anthropicNames.has(rootName)) return true;
    if (callee.isConstructor) return false;
  }
  return mentionsAnthropic;
}

/**
 * Walks back from `from` to the `{` opening the object that holds the option, then to the call that object is
 * passed to. Brackets inside strings or comments may mislead it; it then gives up (undefined), which falls back
 * to the file-level judgement.
 */
function calleeOfObjectAround(text: string, from: number, limit: number): Callee | undefined {
  let depth = 0;
  let objectOpen = -1;
  for (let i = from - 1; i >= limit; i--) {
    const char = text[i];
    if (char === ')' || char === '}' || char === ']') depth++;
    else if (char === '(' || char === '{' || char === '[') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (objectOpen < 0 && char === '{') {
        objectOpen = i;
        continue;
      }
      if (objectOpen < 0) return undefined;
      return char === '(' ? calleeBeforeParen(text, i) : { name: '', isConstructor: false };
    } else if (objectOpen >= 0 && depth === 0 && (char === ';' || char === '=')) {
      // The object was assigned or stands alone, not passed to a call.
      return { name: '', isConstructor: false };
    }
  }
  return undefined;
}

/** How far before a `(` a callee's dotted name may begin. */
const CALLEE_WINDOW = 200;

function isAsciiSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\r' || char === '\n';
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9') || char === '_' || char === '$');
}

/**
 * The dotted name called at `paren` (`new sdk.Anthropic(`), read backwards by hand: one step per character, within
 * CALLEE_WINDOW. (A pattern anchored at the end of the window was tried at every start in it, quadratic per call.)
 */
function calleeBeforeParen(text: string, paren: number): Callee {
  const limit = Math.max(0, paren - CALLEE_WINDOW);
  let i = paren - 1;
  while (i >= limit && isAsciiSpace(text[i])) i--;
  const nameEnd = i + 1;
  // Segments of name characters separated by dots; each must start with a letter, `_` or `$`.
  for (;;) {
    const segmentEnd = i + 1;
    while (i >= limit && isNameChar(text[i])) i--;
    if (i + 1 === segmentEnd || (text[i + 1] >= '0' && text[i + 1] <= '9')) return { name: '', isConstructor: false };
    if (i >= limit && text[i] === '.') {
      i--;
      continue;
    }
    break;
  }
  const name = text.slice(i + 1, nameEnd);
  // `new` before it, as a whole word followed by space.
  let j = i;
  if (!isAsciiSpace(text[j])) return { name, isConstructor: false };
  while (j >= limit && isAsciiSpace(text[j])) j--;
  const isConstructor = j >= 2 && text.slice(j - 2, j + 1) === 'new' && !isNameChar(text[j - 3]);
  return { name, isConstructor };
}

const PACKAGE_SCOPE = '@anthropic-ai/';
/** How far before the package name an import statement may begin. */
const IMPORT_STATEMENT_WINDOW = 500;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const NOT_BINDINGS = new Set(['as', 'type']);

/** Every name bound by an import or require of an `@anthropic-ai/…` package (`import Client from …`). Anchored
 * on the rare package name rather than on every `import` or `const` of the file, which keeps big files cheap. */
function namesImportedFromAnthropic(text: string): Set<string> {
  const names = new Set<string>();
  for (let at = text.indexOf(PACKAGE_SCOPE); at >= 0; at = text.indexOf(PACKAGE_SCOPE, at + PACKAGE_SCOPE.length)) {
    const quote = text[at - 1];
    if (quote !== '"' && quote !== "'") continue;
    const bindings = importBindingsBefore(text, at - 1) ?? requireBindingsBefore(text, at - 1);
    for (const name of bindings?.match(IDENTIFIER) ?? []) if (!NOT_BINDINGS.has(name)) names.add(name);
  }
  return names;
}

/** The index just past the end of `word` if it ends at `end` (exclusive) as a whole word, else -1. */
function wordEndingAt(text: string, end: number, word: string): number {
  const start = end - word.length;
  return start >= 0 && text.startsWith(word, start) && !isNameChar(text[start - 1]) ? start : -1;
}

/** Steps back over ASCII whitespace from `i` (inclusive); returns the first index that is not whitespace. */
function backOverSpace(text: string, i: number, limit: number): number {
  while (i >= limit && isAsciiSpace(text[i])) i--;
  return i;
}

/**
 * `import <bindings> from` ending just before the quote at `quote`: the bindings' text, or undefined. The statement's
 * `import` is the last one within IMPORT_STATEMENT_WINDOW with no `;` or quote between it and `from` (ECMA-262 15.2.2:
 * ImportDeclaration). A few indexOf-style steps, each over the window at most.
 */
function importBindingsBefore(text: string, quote: number): string | undefined {
  const limit = Math.max(0, quote - IMPORT_STATEMENT_WINDOW);
  const fromStart = wordEndingAt(text, backOverSpace(text, quote - 1, limit) + 1, 'from');
  if (fromStart < limit) return undefined;
  const importAt = lastWordWithin(text, 'import', limit, fromStart);
  if (importAt < 0) return undefined;
  const bindings = text.slice(importAt + 'import'.length, fromStart);
  return /[;'"]/.test(bindings) ? undefined : bindings;
}

/** `const|let|var <bindings> = require(` ending just before the quote at `quote`: the bindings' text, or undefined. */
function requireBindingsBefore(text: string, quote: number): string | undefined {
  const limit = Math.max(0, quote - IMPORT_STATEMENT_WINDOW);
  let i = backOverSpace(text, quote - 1, limit);
  if (text[i] !== '(') return undefined;
  const requireStart = wordEndingAt(text, backOverSpace(text, i - 1, limit) + 1, 'require');
  if (requireStart < limit) return undefined;
  i = backOverSpace(text, requireStart - 1, limit);
  if (text[i] !== '=') return undefined;
  // The nearest declaration keyword before `=`; the bindings between must hold no `;` or `=`.
  let bindingsStart = -1;
  for (const keyword of ['const', 'let', 'var']) {
    const at = lastWordWithin(text, keyword, limit, i);
    if (at >= 0) bindingsStart = Math.max(bindingsStart, at + keyword.length);
  }
  if (bindingsStart < 0) return undefined;
  const bindings = text.slice(bindingsStart, i);
  return /[;=]/.test(bindings) ? undefined : bindings;
}

/** The start of the last whole-word `word` in text[from, to), or -1. Bounded by the range (a lastIndexOf on the whole
 * text would scan back to its start each time, quadratic over many package mentions). */
function lastWordWithin(text: string, word: string, from: number, to: number): number {
  const range = text.slice(from, to);
  for (let at = range.lastIndexOf(word); at >= 0; at = at > 0 ? range.lastIndexOf(word, at - 1) : -1) {
    const start = from + at;
    if (!isNameChar(text[start - 1]) && !isNameChar(text[start + word.length])) return start;
  }
  return -1;
}

/** Files whose contents can reach a browser bundle: web code, markup, and the env files bundlers read. */
const CLIENT_CODE_EXTENSION = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|html?)$/i;

/**
 * Whether client exposure is worth looking for in this file. Prose (Markdown, docs), data and server-side
 * languages cannot ship a key to a browser, and mentioning `dangerouslyAllowBrowser` in a README is not a leak.
 * Without a file name (an untitled editor) we look.
 */
export function mayReachBrowser(fileName: string | undefined): boolean {
  if (fileName === undefined) return true;
  // The extension pattern is anchored at the end and holds no separator, so it needs no base name.
  return CLIENT_CODE_EXTENSION.test(fileName) || classifyEnvFileName(fileName) !== undefined;
}
