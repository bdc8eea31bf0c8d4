// Finds code that sends an Anthropic key to the browser, where any visitor can read it:
// - an Anthropic client created with `dangerouslyAllowBrowser: true` (the SDK's explicit opt-in to running in a
//   browser, named so because the key then ships with the page);
// - an Anthropic/Claude key variable with a prefix that a bundler inlines into client code (`NEXT_PUBLIC_`,
//   `VITE_`, …), wherever it is defined or read.
//
// Every pattern is ASCII, so this works unchanged on a latin1 decoding of raw bytes, whose offsets are byte
// offsets (that is how the buffer scan uses it). For the same reason whitespace means ASCII whitespace here.

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
  wordBytes: Buffer;
  needleBytes: Buffer;
}

function searchWord(word: string, needle: string): SearchWord {
  return { word, needle, offset: word.indexOf(needle), wordBytes: Buffer.from(word, 'latin1'), needleBytes: Buffer.from(needle, 'latin1') };
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
}

function stringSource(text: string): Source {
  return {
    length: text.length,
    codeAt: (index) => text.charCodeAt(index),
    indexOfWord: (search, from) => indexOfWord(text, search, from),
    slice: (start, end) => text.slice(start, end),
  };
}

function bufferSource(buf: Buffer): Source {
  return {
    length: buf.length,
    codeAt: (index) => buf[index],
    indexOfWord: (search, from) => indexOfWordInBuffer(buf, search, from),
    slice: (start, end) => buf.toString('latin1', start, end),
  };
}

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
/** Needles whose absence rules out every finding: one inside each word a finding needs. */
const PREFILTER_NEEDLES = [OPTION_WORD, ...VENDOR_WORDS].map((word) => word.needle);
const PREFILTER_NEEDLE_BYTES = [OPTION_WORD, ...VENDOR_WORDS].map((word) => word.needleBytes);

/** Cheap test before the real scan: can this text contain a finding at all? */
export function mayContainClientExposure(text: string): boolean {
  return PREFILTER_NEEDLES.some((needle) => text.includes(needle));
}

/** The same prefilter on raw bytes, without decoding (the needles are ASCII). */
export function bufferMayContainClientExposure(buf: Buffer): boolean {
  return PREFILTER_NEEDLE_BYTES.some((needle) => buf.includes(needle));
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
  if (buf.includes(OPTION_WORD.needleBytes)) return findClientExposures(buf.toString('latin1'));
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
  for (;;) {
    let needle = -1;
    for (let i = 0; i < nextHit.length; i++) {
      if (nextHit[i] >= 0 && (needle < 0 || nextHit[i] < nextHit[needle])) needle = i;
    }
    if (needle < 0) return found;
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
    if (prefix && KEY_WORD.test(name.slice(prefix.length).toUpperCase())) {
      found.push({ start, end, kind: 'public-env-prefix', detail: prefix });
    }
  }
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
  for (let at = indexOfWord(text, OPTION_WORD, 0); at >= 0; at = indexOfWord(text, OPTION_WORD, at + OPTION_NAME.length)) {
    const before = text[at - 1];
    const quote = before === '"' || before === "'" ? before : '';
    const start = at - quote.length;
    if (!startsObjectProperty(text, start)) continue;
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

const CALLEE_BEFORE_PAREN = /(?:\bnew[ \t\r\n]+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[ \t\r\n]*$/;

function calleeBeforeParen(text: string, paren: number): Callee {
  const match = CALLEE_BEFORE_PAREN.exec(text.slice(Math.max(0, paren - 200), paren));
  if (!match) return { name: '', isConstructor: false };
  return { name: match[1], isConstructor: /^new[ \t\r\n]/.test(match[0]) };
}

// The binding part of `import X from '@anthropic-ai/…'` and `const X = require('@anthropic-ai/…')`, matched at
// the end of the text before the package name's opening quote.
const ESM_IMPORT_BEFORE_PACKAGE = /\bimport[ \t\r\n]+([^;'"]*?)[ \t\r\n]+from[ \t\r\n]*$/;
const CJS_REQUIRE_BEFORE_PACKAGE = /\b(?:const|let|var)[ \t\r\n]+([^=;]+?)[ \t\r\n]*=[ \t\r\n]*require\([ \t\r\n]*$/;
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
    const statement = text.slice(Math.max(0, at - 1 - IMPORT_STATEMENT_WINDOW), at - 1);
    const bindings = ESM_IMPORT_BEFORE_PACKAGE.exec(statement)?.[1] ?? CJS_REQUIRE_BEFORE_PACKAGE.exec(statement)?.[1];
    for (const name of bindings?.match(IDENTIFIER) ?? []) if (!NOT_BINDINGS.has(name)) names.add(name);
  }
  return names;
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
