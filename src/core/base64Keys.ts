// Keys written as base64 (issue 13): Kubernetes Secret `data`, `echo … | base64` output, HTTP Basic credentials
// (`Authorization: Basic base64(user:key)`), keys inside base64-encoded JSON. The text holds no `sk-ant-`, so the
// plain scan cannot see them.
//
// How: base64 turns every 3 bytes into 4 characters, so `sk-ant-` has three encodings, one per position of its `s`
// within a 3-byte group, and in each some characters depend on `sk-ant-` alone (RFC 4648 §4): `c2stYW50L`,
// `NrLWFudC`, `zay1hbnQt`. Those are searched for as plain text (indexOf, at memory speed), and only around a hit is
// anything decoded: a window from the start of the hit's 4-character group, decoded and scanned by the ordinary byte
// scanner, whose findings are mapped back to the characters that encode them. Each form is searched for by a short
// needle inside it that begins with a rare letter (`YW50L`, `WFudC`, `zay1hb`): indexOf then runs at memory speed.
// (One search for the `W` the first two forms share was tried, and checking each `W` in JavaScript cost five times
// more on minified bundles and base64 data, where `W` is common. Tried again with the searches walked chunk by chunk
// (keyForms.ts): no faster on 100 MB of mixed text, 1.5 times slower on base64 data and 5 times on a run of `W`.)
//
// Decisions:
// - A finding here is a warning that names the encoding ("base64 of an Anthropic API key"): the range is the
//   encoded text, which no quick fix can rewrite, and decoding by hand is the user's step.
// - The standard and the URL-safe alphabets are both decoded (the needles hold neither `+`, `/`, `-` nor `_`). A line
//   break inside the encoded text is skipped (with the indentation after it) only after a line of exactly 76 or 64
//   characters, the widths `base64` and MIME (RFC 2045 §6.8) and PEM (RFC 7468 §2) wrap at: after a shorter line
//   the encoded text has ended, and gluing the next line on would change the key.
// - Linear on any input: a window is at most WINDOW_CHARS characters, and after a window the search resumes where a
//   token cut by the window's end could start, so each character is decoded at most twice per form.
import {
  ANTHROPIC_KEY_PREFIX,
  MAX_BODY_LENGTH,
  MIN_UNPUBLISHED_BODY_LENGTH,
  findCredentials,
  type BufferChunk,
  type CredentialScanOptions,
  type TextChunk,
} from './credentials';
import type { CredentialMatch } from './findings';

/** One of the three encodings of `sk-ant-`: the characters that depend on it alone, and where they sit in the
 * 4-character group the `s` falls in. */
interface EncodedPrefix {
  /** Bytes of the 3-byte group before the `s`: 0, 1 or 2. */
  alignment: number;
  /** The characters fixed by `sk-ant-` whatever surrounds it. */
  fixed: string;
  /** Index of `fixed` within the encoding of its group (so its group starts `offsetInGroup` characters earlier). */
  offsetInGroup: number;
}

/** The three encodings, computed from RFC 4648's definition rather than written out. */
export const ENCODED_PREFIXES: readonly EncodedPrefix[] = [0, 1, 2].map((alignment) => {
  // btoa, not Buffer: the web build (a browser worker) loads this module too. Its input is one byte per character.
  const encoded = btoa('\0'.repeat(alignment) + ANTHROPIC_KEY_PREFIX);
  // Character i carries bits [6i, 6i + 6) of the data; `sk-ant-` holds bits [8 * alignment, 8 * (alignment + 7)).
  const first = Math.ceil((8 * alignment) / 6);
  const last = Math.floor((8 * (alignment + ANTHROPIC_KEY_PREFIX.length)) / 6);
  return { alignment, fixed: encoded.slice(first, last), offsetInGroup: first };
});

/** What the searches look for: each a short needle that begins with a rare character, and the forms it can start. */
interface Search {
  needle: string;
  /** For each form: where the needle sits in that form's fixed characters. */
  forms: Array<{ prefix: EncodedPrefix; needleAt: number }>;
}

/** Y, W and z occur 0.6, 0.7 and 1.0 times per KB of code (the bench corpus), against 3.6 for the k of `k-ant-`. */
const SEARCHES: readonly Search[] = (['YW50L', 'WFudC', 'zay1hb'] as const).map((needle, index) => ({
  needle,
  forms: [{ prefix: ENCODED_PREFIXES[index], needleAt: ENCODED_PREFIXES[index].fixed.indexOf(needle) }],
}));

/** Every string whose absence rules out a base64 key: the fixed characters of the three forms (for git grep). */
export const BASE64_PREFIX_NEEDLES: readonly string[] = ENCODED_PREFIXES.map((prefix) => prefix.fixed);

/** Characters of the longest token and the character after it, as base64, and one group more. */
const TOKEN_CHARS = Math.ceil(((ANTHROPIC_KEY_PREFIX.length + 'abcdefghijklmnop01-'.length + MAX_BODY_LENGTH + 1) * 4) / 3) + 4;
/** Characters of the shortest token any scan accepts (`sk-ant-` + `a01-` + 40), as base64. */
const MIN_TOKEN_CHARS = Math.floor(((ANTHROPIC_KEY_PREFIX.length + 'a01-'.length + MIN_UNPUBLISHED_BODY_LENGTH) * 4) / 3);
/** Characters decoded per window: twice a token, so that resuming a token's length before the end moves on. */
const WINDOW_CHARS = 2 * TOKEN_CHARS;
/** Spaces and tabs skipped after a line break inside the encoded text (indentation of a YAML block). */
const MAX_INDENT = 32;
/** Line widths at which encoders wrap base64: `base64` and MIME, and PEM. */
const WRAP_WIDTHS = new Set([76, 64]);

/** 1 for the characters of both base64 alphabets (RFC 4648 §4 and §5). */
const BASE64_CHAR = new Uint8Array(256);
/** The 6-bit value of each of those characters (`+` and `-` are 62, `/` and `_` 63). */
const BASE64_VALUE = new Uint8Array(256);
{
  const standard = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let value = 0; value < 64; value++) {
    for (const char of value === 62 ? '+-' : value === 63 ? '/_' : standard[value]) {
      BASE64_CHAR[char.charCodeAt(0)] = 1;
      BASE64_VALUE[char.charCodeAt(0)] = value;
    }
  }
}

/** One UTF-16 unit or byte at an index; outside the text, NaN or undefined. */
type CodeAt = (index: number) => number;

/** The needles the searches look for, for the chunked walk's overlap (keyForms.ts). */
export const BASE64_SEARCH_NEEDLES: readonly string[] = SEARCHES.map((search) => search.needle);

/** Keys in base64 form in a string; offsets in UTF-16 units cover the encoded characters. */
export function findBase64Credentials(text: string, options?: CredentialScanOptions): CredentialMatch[] {
  const scan = newEncodedScan();
  scanEncodedTextChunk(text, { view: text, start: 0, end: text.length }, scan, options);
  return finishEncodedScan(scan);
}

/** The same in raw bytes (byte offsets); the encoded text is ASCII, so it is the same in any ASCII-compatible encoding. */
export function findBase64CredentialsInBuffer(buf: Buffer, options?: CredentialScanOptions): CredentialMatch[] {
  const scan = newEncodedScan();
  scanEncodedBufferChunk(buf, { view: buf, start: 0, end: buf.length }, scan, options);
  return finishEncodedScan(scan);
}

/**
 * A base64 search that can be continued chunk by chunk (keyForms.ts runs one beside the search for keys written out):
 * what it found, and per search where it resumes.
 */
export interface EncodedScan {
  readonly found: CredentialMatch[];
  /** Per search: where its next indexOf starts. */
  readonly searchFrom: number[];
  /** Per search, per form: where its next window may start, so windows of one form never decode the same characters thrice. */
  readonly resumeAt: number[][];
  /** One window's storage for every hit of this text: a fresh one per hit cost more than the decoding on dense input.
   * Made at the first hit: most texts have none, and 14 KB per file was most of the scan's garbage. */
  storage?: Pick<Window, 'text' | 'offsets'>;
}

export function newEncodedScan(): EncodedScan {
  return { found: [], searchFrom: SEARCHES.map(() => 0), resumeAt: SEARCHES.map((search) => search.forms.map(() => 0)) };
}

/** Runs the searches over the needles that start in the chunk. */
export function scanEncodedTextChunk(text: string, chunk: TextChunk, scan: EncodedScan, options?: CredentialScanOptions): void {
  const { view, start } = chunk;
  findEncoded(
    text.length,
    (index) => text.charCodeAt(index),
    (needle, from) => {
      const at = view.indexOf(needle, from - start);
      return at < 0 ? -1 : at + start;
    },
    chunk,
    scan,
    options,
  );
}

/** The same over raw bytes. */
export function scanEncodedBufferChunk(buf: Buffer, chunk: BufferChunk, scan: EncodedScan, options?: CredentialScanOptions): void {
  NEEDLE_BYTES ??= new Map(SEARCHES.map((search) => [search.needle, Buffer.from(search.needle, 'latin1')]));
  const needles = NEEDLE_BYTES;
  const { view, start } = chunk;
  findEncoded(
    buf.length,
    (index) => buf[index],
    (needle, from) => {
      const at = view.indexOf(needles.get(needle)!, from - start);
      return at < 0 ? -1 : at + start;
    },
    chunk,
    scan,
    options,
  );
}

/** The matches of a finished scan, in order, each key once. */
export function finishEncodedScan(scan: EncodedScan): CredentialMatch[] {
  const found = scan.found;
  if (found.length === 0) return found;
  found.sort((a, b) => a.start - b.start);
  // A key found from two windows (or two forms of one run) is reported once.
  return found.filter((match, index) => index === 0 || match.start !== found[index - 1].start);
}

/** The needles as bytes, made on the first byte scan (only the Node build scans bytes; the web build has no Buffer). */
let NEEDLE_BYTES: Map<string, Buffer> | undefined;

/** `indexOf` searches the chunk's view from an offset in the whole text (at or after the chunk's start) and returns an
 * offset in the whole text; needles that start past the chunk's end are left to the next chunk. */
function findEncoded(
  length: number,
  codeAt: CodeAt,
  indexOf: (needle: string, from: number) => number,
  chunk: { start: number; end: number },
  scan: EncodedScan,
  options: CredentialScanOptions | undefined,
): void {
  const { found, searchFrom } = scan;
  for (let s = 0; s < SEARCHES.length; s++) {
    const { needle, forms } = SEARCHES[s];
    const resumeAt = scan.resumeAt[s];
    // Earlier chunks have looked at every needle before this one's start.
    for (let from = Math.max(searchFrom[s], chunk.start); from < chunk.end; ) {
      const hit = indexOf(needle, from);
      if (hit < 0 || hit >= chunk.end) break;
      from = searchFrom[s] = hit + 1;
      for (let f = 0; f < forms.length; f++) {
        const { prefix, needleAt } = forms[f];
        const fixedStart = hit - needleAt;
        if (fixedStart < resumeAt[f] || !spells(codeAt, fixedStart, prefix.fixed)) continue;
        const groupStart = fixedStart - prefix.offsetInGroup;
        if (groupStart < 0) continue;
        const storage = (scan.storage ??= { text: new Uint8Array(WINDOW_CHARS), offsets: new Int32Array(WINDOW_CHARS) });
        const window = decodeWindow(length, codeAt, groupStart, storage);
        // Too short to hold the shortest token: nothing to decode (the common case on dense, adversarial input).
        if (window.chars >= MIN_TOKEN_CHARS) for (const match of keysInWindow(window, options)) found.push(match);
        // A token cut by the window's end starts within its last TOKEN_CHARS characters: the next window covers it.
        resumeAt[f] = window.complete ? window.endOffset : Math.max(fixedStart + 1, window.offsets[Math.max(0, window.chars - TOKEN_CHARS)]);
      }
    }
  }
}

function spells(codeAt: CodeAt, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (codeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

interface Window {
  /** The base64 characters read, line breaks left out. */
  text: Uint8Array;
  chars: number;
  /** Where each character is in the scanned text. */
  offsets: Int32Array;
  /** Whether the encoded run ended inside the window (no token can be cut at its end). */
  complete: boolean;
  /** The offset just past the last character read. */
  endOffset: number;
}

/** Reads up to WINDOW_CHARS base64 characters from `start`, across the line breaks of wrapped base64. */
function decodeWindow(length: number, codeAt: CodeAt, start: number, storage: Pick<Window, 'text' | 'offsets'>): Window {
  const { text, offsets } = storage;
  let chars = 0;
  let at = start;
  let complete = true;
  // Base64 characters on the current line so far, those before `start` included (at most a wrap width of them).
  let lineChars = 0;
  while (lineChars <= 76 && start - lineChars - 1 >= 0 && isBase64Code(codeAt(start - lineChars - 1))) lineChars++;
  while (at < length) {
    const code = codeAt(at);
    if (isBase64Code(code)) {
      if (chars === WINDOW_CHARS) {
        complete = false;
        break;
      }
      text[chars] = code;
      offsets[chars++] = at++;
      lineChars++;
      continue;
    }
    // A line break of wrapped base64: go on when base64 continues on the next line.
    const lineBreak = code === 0x0a ? 1 : code === 0x0d && codeAt(at + 1) === 0x0a ? 2 : 0;
    if (lineBreak === 0 || !WRAP_WIDTHS.has(lineChars)) break;
    let next = at + lineBreak;
    const indentEnd = Math.min(length, next + MAX_INDENT);
    while (next < indentEnd && (codeAt(next) === 0x20 || codeAt(next) === 0x09)) next++;
    if (!isBase64Code(codeAt(next))) break;
    at = next;
    lineChars = 0;
  }
  return { text: text.subarray(0, chars), chars, offsets, complete, endOffset: chars > 0 ? offsets[chars - 1] + 1 : start };
}

function isBase64Code(code: number): boolean {
  return code < 256 && BASE64_CHAR[code] === 1;
}

/** The keys in a window's decoding, their ranges mapped back to the characters that encode them. */
function keysInWindow(window: Window, options: CredentialScanOptions | undefined): CredentialMatch[] {
  const decoded = decodeBase64(window.text);
  const matches: CredentialMatch[] = [];
  for (const match of findCredentials(decoded, { includeLowConfidence: options?.includeLowConfidence })) {
    // A token that runs to the end of a window cut short may go on past it: the next window judges it.
    if (!window.complete && match.end >= decoded.length - 1) continue;
    const key = match.key ?? decoded.slice(match.start, match.end);
    // Byte i of the decoding starts in character floor(4i / 3); the last byte of a token ends in character ceil(4e / 3) - 1.
    const firstChar = Math.floor((4 * match.start) / 3);
    const lastChar = Math.min(window.chars, Math.ceil((4 * match.end) / 3)) - 1;
    matches.push({ start: window.offsets[firstChar], end: window.offsets[lastChar] + 1, kind: match.kind, confidence: match.confidence, encoding: 'base64', key });
  }
  return matches;
}

/**
 * The bytes that base64 characters (either alphabet, no padding) encode, one character per byte. A partial last group
 * decodes to the whole bytes it holds and drops the remaining bits, as RFC 4648 does. Node's own decoder where there is
 * one (it takes both alphabets; twice as fast on dense input, which the linearity test measures); in the browser
 * worker, which has no Buffer, the same written out (atob takes one alphabet only and throws on a lone last character).
 * Exported for the test that holds the two to the same answers.
 */
export function decodeBase64(chars: Uint8Array, native = typeof Buffer !== 'undefined'): string {
  if (native) return Buffer.from(Buffer.from(chars.buffer, chars.byteOffset, chars.length).toString('latin1'), 'base64').toString('latin1');
  const bytes = new Uint8Array(Math.floor((chars.length * 3) / 4));
  let length = 0;
  let bits = 0;
  let bitCount = 0;
  for (const char of chars) {
    bits = ((bits << 6) | BASE64_VALUE[char]) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[length++] = (bits >> bitCount) & 0xff;
    }
  }
  let text = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < length; at += 4096) text += String.fromCharCode(...bytes.subarray(at, Math.min(length, at + 4096)));
  return text;
}
