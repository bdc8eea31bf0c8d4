// Finds Anthropic credentials in text and in raw bytes.
//
// Format sources:
// - Anthropic Console API keys: `sk-ant-api03-` + 93 characters of [A-Za-z0-9_-] + `AA` (108 in all); Admin API
//   keys have the same body after `sk-ant-admin01-`. This is the shape of keys the Console issues, and the one
//   gitleaks' `anthropic-api-key` and `anthropic-admin-api-key` rules encode (cmd/generate/config/rules/
//   anthropic.go, config/gitleaks.toml: `sk-ant-api03-[a-zA-Z0-9_\-]{93}AA` then a delimiter). gitleaks accepts
//   only quotes, whitespace, `;` and escaped newlines after a key; here any character outside the key alphabet
//   ends it, so `key,` `key)` `key&` count too.
// - OAuth (`oat01`, `ort01`) and session (`sid01`) tokens share the `sk-ant-<word><2 digits>-` prefix and the
//   alphabet, but Anthropic publishes no length for them, so they are reported with low confidence only.
//
// - Structure beyond the length: Anthropic's own pattern for its keys (contributed to GitLab's secret detection rules,
//   gitlab-org/security-products/analyzers/secrets MR 319: `sk-ant-[a-z]{3}\d{2}-[A-Za-z0-9\-_]{86}-[A-Za-z0-9\-_]{8}`)
//   and every public example put a `-` eight characters before the end (body character 87). It only ever raises
//   confidence: a published-shape key with characters glued on (`…AA_old`) is a key when its first 108 characters
//   carry that `-`; a key of the published length without it is still a key.
//
// How the scan works (gitleaks' "keyword prefilter, then validate"): find the literal `k-ant-` with indexOf, check
// the `s` before it and a token boundary before that (a character outside the key alphabet, or the end of an escape
// or an encoding: escapes.ts), then take the run of key-alphabet characters as the token and validate it. A run that
// stops short of a key at a quote or a line end may be the first piece of a split key (splitKeyAt, below). The work is linear whatever the input: a search resumes after the characters it has examined,
// and an `sk-ant-` inside a longer run of key characters (which can never start a token) skips that whole run, so
// a 50 MB run of key characters costs one pass, not one pass per `sk-ant-` inside it.

import { endsEscapeSequence } from './escapes';
import type { CredentialKind, CredentialMatch } from './findings';

/** The characters of a key body, in the order of base64url (what the fake-key generator uses too). */
export const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const ANTHROPIC_KEY_PREFIX = 'sk-ant-';

/** Body length of the published API and Admin key formats: 93 random characters, then `AA`. */
export const PUBLISHED_BODY_LENGTH = 95;
/** Shortest body we accept for token kinds whose length is unpublished. Generous: known tokens are far longer,
 * while placeholders such as `your-key-here` are far shorter. */
export const MIN_UNPUBLISHED_BODY_LENGTH = 40;
/** Longest body we still call a token. Beyond this a key-alphabet run is a blob (base64url data, a minified
 * bundle), not a credential, and reporting a megabyte-long range would help nobody. */
export const MAX_BODY_LENGTH = 1024;

// `sk-ant-` + kind word + 2-digit version + `-`; the word is capped so a long run cannot pass as a kind.
const MIN_KIND_SEGMENT_LENGTH = 'a01-'.length;
const MAX_TOKEN_LENGTH = ANTHROPIC_KEY_PREFIX.length + 'abcdefghijklmnop01-'.length + MAX_BODY_LENGTH;
const MIN_TOKEN_LENGTH = ANTHROPIC_KEY_PREFIX.length + MIN_KIND_SEGMENT_LENGTH + MIN_UNPUBLISHED_BODY_LENGTH;
const TOKEN_PATTERN = /^sk-ant-([a-z]{1,16})(\d\d)-([A-Za-z0-9_-]+)$/;

export interface CredentialScanOptions {
  /** Also report OAuth/session/other tokens and API/Admin-prefixed tokens off the published shape.
   * Default true: they are reported as warnings, and a setting can turn them off. */
  includeLowConfidence?: boolean;
  /**
   * Return at most this many matches; the scan still runs to the end, counting the rest in `overflow.count`. A file
   * of nothing but keys (hundreds of megabytes of them) would otherwise hold millions of match objects and messages:
   * the first thousand say all there is to say, and memory stays bounded.
   */
  maxMatches?: number;
  /** Where matches beyond maxMatches are counted (added to). */
  overflow?: { count: number };
}

/** Adds a match, or only counts it once maxMatches are held. */
function keep(matches: CredentialMatch[], match: CredentialMatch, options: CredentialScanOptions | undefined): void {
  if (options?.maxMatches === undefined || matches.length < options.maxMatches) matches.push(match);
  else if (options.overflow) options.overflow.count++;
}

export interface CredentialVerdict {
  kind: CredentialKind;
  confidence: 'high' | 'low';
}

// The prefilter needle: `k-ant-`, then `s` checked before it. indexOf (V8's for strings, Node's for Buffers) finds
// a short needle by memchr on its first character and verifies the rest at each stop, so its speed is set by how
// often that character occurs: `k` is about 4× rarer than `-` in code and prose (3.6 vs 15.4 per KB in the bench
// corpus), and `s`, the first character of `sk-ant-`, is among the commonest. Six characters, not seven: from seven
// on, V8 switches to a Boyer-Moore-style search that measured many times slower on this kind of text.
const NEEDLE = 'k-ant-';
// A Uint8Array rather than a Buffer: Buffer.indexOf takes either, and the web build (no Buffer) loads this module.
const NEEDLE_BYTES = Uint8Array.from(NEEDLE, (char) => char.charCodeAt(0));
const S = 's'.charCodeAt(0);
const K = 'k'.charCodeAt(0);
const DASH = '-'.charCodeAt(0);

const TOKEN_PREFIX_CODES = Array.from('sk-ant-', (char) => char.charCodeAt(0));

function startsTokenAt(source: KeySource, at: number): boolean {
  return TOKEN_PREFIX_CODES.every((code, index) => source.codeAt(at + index) === code);
}
const A = 'a'.charCodeAt(0);
const N = 'n'.charCodeAt(0);
const T = 't'.charCodeAt(0);
const A_UPPER = 'A'.charCodeAt(0);

/** Lookup table over byte values / UTF-16 units below 128: 1 for [A-Za-z0-9_-]. */
const KEY_CHAR = new Uint8Array(256);
for (let i = 0; i < KEY_ALPHABET.length; i++) KEY_CHAR[KEY_ALPHABET.charCodeAt(i)] = 1;
/** The same over byte pairs read as one 16-bit unit (either byte order): 1 when both bytes are key characters. Long
 * runs are walked two bytes per lookup with it, about twice the speed of a byte loop. 64 KB, built once. */
const KEY_CHAR_PAIR = new Uint8Array(65536);
for (let i = 0; i < KEY_ALPHABET.length; i++) {
  for (let j = 0; j < KEY_ALPHABET.length; j++) KEY_CHAR_PAIR[KEY_ALPHABET.charCodeAt(i) | (KEY_ALPHABET.charCodeAt(j) << 8)] = 1;
}

/** True for a UTF-16 unit or byte of the key alphabet (ASCII only, so UTF-8 continuation bytes never are). */
export function isKeyAlphabetCode(code: number): boolean {
  return code < 128 && KEY_CHAR[code] === 1;
}

// Maps, not object literals: the kind word comes from the scanned text, and `constructor01-` must not find
// Object.prototype.constructor.
const KIND_BY_WORD = new Map<string, CredentialKind>([
  ['api', 'api-key'],
  ['admin', 'admin-key'],
  ['oat', 'oauth-access-token'],
  ['ort', 'oauth-refresh-token'],
  ['sid', 'session-key'],
]);
// Versions whose format Anthropic publishes; other versions of the same word are judged by prefix only.
const PUBLISHED_VERSION = new Map([
  ['api', '03'],
  ['admin', '01'],
]);

/**
 * Judges a whole token (no surrounding text). Returns undefined for anything that is not credential-shaped:
 * a non-`sk-ant-` prefix, a character outside the key alphabet, a body too short or too long, or a placeholder.
 *
 * With the api03/admin01 prefix, a body shorter than the published 95 characters is not a credential: it cannot
 * authenticate, and such tokens are truncated copies or doc examples (`sk-ant-api03-abc…` cut short). A longer body,
 * or 95 characters not ending in `AA`, is not the published format either, but it is still reported, as the same
 * kind with 'low' confidence, because a real key with a suffix glued on (`…AA_old`) is still a leaked key.
 */
export function describeCredential(token: string): CredentialVerdict | undefined {
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parsed = TOKEN_PATTERN.exec(token);
  if (!parsed) return undefined;
  const [, word, version, body] = parsed;
  const publishedPrefix = PUBLISHED_VERSION.get(word) === version;
  const minimumBody = publishedPrefix ? PUBLISHED_BODY_LENGTH : MIN_UNPUBLISHED_BODY_LENGTH;
  if (body.length < minimumBody || body.length > MAX_BODY_LENGTH) return undefined;
  if (looksLikePlaceholderBody(body)) return undefined;
  const kind = KIND_BY_WORD.get(word) ?? 'other-token';
  const published = publishedPrefix && (body.length === PUBLISHED_BODY_LENGTH ? body.endsWith('AA') : publishedKeyRunsOn(body));
  return { kind, confidence: published ? 'high' : 'low' };
}

/** Where Anthropic's own pattern puts a `-` in a published body: eight characters before its end. */
const STRUCTURE_DASH_INDEX = PUBLISHED_BODY_LENGTH - 9;

/** A published body with more key characters glued on (`…AA_old`) whose own 95 characters end in `AA` and carry the
 * `-` of Anthropic's pattern: enough structure to call the token a key, not a look-alike. */
function publishedKeyRunsOn(body: string): boolean {
  return (
    body.length > PUBLISHED_BODY_LENGTH &&
    body.charCodeAt(STRUCTURE_DASH_INDEX) === DASH &&
    body.charCodeAt(PUBLISHED_BODY_LENGTH - 2) === A_UPPER &&
    body.charCodeAt(PUBLISHED_BODY_LENGTH - 1) === A_UPPER
  );
}

/** The kind of a pasted or extracted token; surrounding whitespace (a pasted newline) is ignored. */
export function classifyCredential(token: string): CredentialKind | undefined {
  return describeCredential(token.trim())?.kind;
}

/** Whether a token (whitespace-trimmed) is an Anthropic credential; with `includeLowConfidence: false`, only the
 * published API/Admin key shapes count. */
export function isCredential(token: string, options?: CredentialScanOptions): boolean {
  const verdict = describeCredential(token.trim());
  return verdict !== undefined && (verdict.confidence === 'high' || options?.includeLowConfidence !== false);
}

// Thresholds are far below random bodies: 93 random characters over 64 symbols give ~5.5 bits per character and
// ~49 distinct characters; even a random 40-character body gives ~4.9 bits and ~30 distinct characters.
const MIN_DISTINCT_CHARS = 10;
const MIN_ENTROPY_BITS_PER_CHAR = 3;
const MAX_PLACEHOLDER_PERIOD = 16;
/** Counts per character for looksLikePlaceholderBody, reused across calls: allocating it for every token cost more
 * than the counting. */
const charCounts = new Uint32Array(128);

/**
 * Documentation fills key bodies with `xxxx…`, one repeated character, a short repeated pattern
 * (`abc123abc123…`) or an ascending run (`abcdefgh…`). Real keys are random and never look like that.
 */
export function looksLikePlaceholderBody(body: string): boolean {
  const counts = charCounts.fill(0);
  let distinct = 0;
  let maxCount = 0;
  for (let i = 0; i < body.length; i++) {
    const count = ++counts[body.charCodeAt(i) & 127];
    if (count === 1) distinct++;
    if (count > maxCount) maxCount = count;
  }
  if (distinct < MIN_DISTINCT_CHARS) return true;
  // The entropy is at least the min-entropy, -log2(largest share): when no character makes up more than 1/8 of
  // the body (as in any random body) it cannot be under 3 bits, and the logarithms need not be taken.
  const mayBeLowEntropy = maxCount * 2 ** MIN_ENTROPY_BITS_PER_CHAR > body.length;
  if (mayBeLowEntropy && entropyBitsPerChar(counts, body.length) < MIN_ENTROPY_BITS_PER_CHAR) return true;
  return isPeriodic(body) || isMostlyAscending(body);
}

function entropyBitsPerChar(counts: Uint32Array, length: number): number {
  let entropy = 0;
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code];
    if (count === 0) continue;
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function isPeriodic(body: string): boolean {
  for (let period = 1; period <= MAX_PLACEHOLDER_PERIOD && period * 2 <= body.length; period++) {
    let i = period;
    while (i < body.length && body.charCodeAt(i) === body.charCodeAt(i - period)) i++;
    if (i === body.length) return true;
  }
  return false;
}

function isMostlyAscending(body: string): boolean {
  let ascendingPairs = 0;
  for (let i = 1; i < body.length; i++) if (body.charCodeAt(i) === body.charCodeAt(i - 1) + 1) ascendingPairs++;
  // A random body has about one ascending pair in 64; half the pairs is unmistakably a typed sequence.
  return ascendingPairs * 2 >= body.length - 1;
}

/** Whether a text may hold a credential at all (the prefilter alone: false means certainly none). */
export function mayContainCredential(text: string): boolean {
  return text.includes(NEEDLE);
}

/** What the steps after a needle hit read: a string or raw bytes (read as latin1, one character per byte). Only
 * those steps use it; the searches themselves stay specialised per input type. */
interface KeySource {
  readonly length: number;
  codeAt(index: number): number;
  slice(start: number, end: number): string;
}

function stringSource(text: string): KeySource {
  return { length: text.length, codeAt: (index) => text.charCodeAt(index), slice: (start, end) => text.slice(start, end) };
}

function bufferSource(buf: Buffer): KeySource {
  return { length: buf.length, codeAt: (index) => buf[index], slice: (start, end) => buf.toString('latin1', start, end) };
}

/**
 * A search for keys written out that can be continued: where it resumes and what it has found. findCredentials runs
 * one over the whole text in one step; keyForms.ts runs one chunk by chunk beside the base64 search, so that a large
 * text is read from memory once for both rather than once per search.
 */
export interface DirectScan {
  /** Every needle before this has been judged, or skipped as part of a run. */
  from: number;
  readonly matches: CredentialMatch[];
}

/** The part of a text one step of a scan searches: the needles that start in [start, end). They are looked for in
 * `view`, the text from `start` on (a slice shares the text's characters), which runs on at least a needle's length
 * past `end` or to the end of the text. Everything after a hit (boundaries, token, split pieces) reads the whole text. */
export interface TextChunk {
  view: string;
  start: number;
  end: number;
}

/** The same over raw bytes: `view` is a Buffer over the same memory, from `start` on. */
export interface BufferChunk {
  view: Buffer;
  start: number;
  end: number;
}

/** The prefilter needle, for the chunked walk's overlap (keyForms.ts). */
export const KEY_NEEDLE = NEEDLE;

/** Finds credentials in a string. Offsets are UTF-16 code units. */
export function findCredentials(text: string, options?: CredentialScanOptions): CredentialMatch[] {
  const scan: DirectScan = { from: 0, matches: [] };
  scanTextChunk(text, { view: text, start: 0, end: text.length }, scan, options);
  return scan.matches;
}

/** Judges every `k-ant-` that starts in the chunk at or after scan.from, and moves scan.from on. */
export function scanTextChunk(text: string, chunk: TextChunk, scan: DirectScan, options?: CredentialScanOptions): void {
  const includeLow = options?.includeLowConfidence !== false;
  const { matches } = scan;
  const { view, start: viewStart, end: chunkEnd } = chunk;
  const source = stringSource(text);
  // Earlier chunks have judged every needle before this one's start.
  let from = Math.max(scan.from, viewStart);
  while (from < chunkEnd) {
    const found = view.indexOf(NEEDLE, from - viewStart);
    const k = found < 0 ? -1 : found + viewStart;
    // A needle that starts past the chunk is the next chunk's (its view holds the whole needle).
    if (k < 0 || k >= chunkEnd) break;
    from = k + NEEDLE.length;
    const start = k - 1;
    if (start < 0 || text.charCodeAt(start) !== S) continue;
    // A key character right before `sk-ant-` makes it the middle of a longer token (e.g. `xsk-ant-…`), unless it ends
    // an escape (`\nsk-ant-…`). No token starts anywhere in such a run, so skip all of it rather than meet its other
    // `sk-ant-`s one search at a time.
    if (start > 0 && isKeyAlphabetCode(text.charCodeAt(start - 1)) && !endsEscapeSequence(source.codeAt, start - 1)) {
      from = endOfKeyRun(text, from);
      continue;
    }
    // One look rules out most short runs (`sk-ant-api03-...`, a file of repeated prefixes) without walking them:
    // if the character where the shortest token would end is no key character, the run is shorter than that. Such a
    // run is only worth a second look as the first piece of a split key.
    const shortestEnd = start + MIN_TOKEN_LENGTH;
    if (shortestEnd > text.length || !isKeyAlphabetCode(text.charCodeAt(shortestEnd - 1))) {
      // Walked to its end (a few dozen characters at most) only to see whether a split key's piece ends there.
      const limit = Math.min(text.length, shortestEnd);
      let end = from;
      while (end < limit && isKeyAlphabetCode(text.charCodeAt(end))) end++;
      from = isPieceEnd(text.charCodeAt(end)) ? judgeRun(source, start, end, matches, includeLow, options) : end;
      continue;
    }
    // Walk no further than one character past the longest token. A longer run is a blob, not a token; the search
    // resumes inside it, and any `sk-ant-` further in fails the boundary check above, which skips the rest.
    const limit = Math.min(text.length, start + MAX_TOKEN_LENGTH + 1);
    let end = from;
    while (end < limit && isKeyAlphabetCode(text.charCodeAt(end))) end++;
    from = end;
    if (end - start > MAX_TOKEN_LENGTH) continue;
    from = judgeRun(source, start, end, matches, includeLow, options);
  }
  scan.from = from;
}

/** Judges the whole run [start, end) as a token; a run that is none may be the first piece of a split key. Returns
 * where the search resumes. */
function judgeRun(
  source: KeySource,
  start: number,
  end: number,
  matches: CredentialMatch[],
  includeLow: boolean,
  options: CredentialScanOptions | undefined,
): number {
  const verdict = end - start >= MIN_TOKEN_LENGTH ? describeCredential(source.slice(start, end)) : undefined;
  if (verdict) {
    if (includeLow || verdict.confidence === 'high') keep(matches, { start, end, ...verdict }, options);
    return end;
  }
  const split = splitKeyAt(source, start, end);
  if (!split) return end;
  // The pieces join to the published shape, so the key itself is certain; the finding is a warning for its form.
  keep(matches, { start, end: split.end, kind: split.kind, confidence: 'high', encoding: 'split', key: split.key }, options);
  return split.end;
}

// Split keys (issue 13): a key hard-wrapped across lines of a log or a terminal capture, or built from adjacent
// string literals (`"sk-ant-api03-" + "…"`, Python's and C's `"…" "…"`, PHP's `.`, Lua's `..`, VB's `&`, SQL's `||`).
// Only pieces that join to the published API or Admin key shape count: every other token kind has no known length,
// so any two strings would do. The work per needle hit is bounded (pieces, gaps and the key's length are), and the
// pieces after the first never hold a `k-ant-` (a join stops there), so no text is joined twice: linear.

const QUOTES = new Set(['"'.charCodeAt(0), "'".charCodeAt(0), '`'.charCodeAt(0)]);
const CR = 0x0d;
const LF = 0x0a;
/** Pieces of one key at most (a key wrapped at 20 columns still fits). */
const MAX_SPLIT_PIECES = 8;
/** Characters between two literals at most: the operator, spaces, a line break and the next line's indentation. */
const MAX_SPLIT_GAP = 64;
/** The longest published key: `sk-ant-admin01-` and its 95-character body. */
const MAX_PUBLISHED_LENGTH = ANTHROPIC_KEY_PREFIX.length + 'admin01-'.length + PUBLISHED_BODY_LENGTH;
const PUBLISHED_PREFIXES = [`${ANTHROPIC_KEY_PREFIX}api03-`, `${ANTHROPIC_KEY_PREFIX}admin01-`];

function isPieceEnd(code: number): boolean {
  return QUOTES.has(code) || code === LF || code === CR;
}

/** Whether `piece` can begin a published key: a prefix of `sk-ant-api03-…` or `sk-ant-admin01-…` short of a key. */
function beginsPublishedKey(piece: string): boolean {
  if (piece.length >= MAX_PUBLISHED_LENGTH) return false;
  return PUBLISHED_PREFIXES.some((prefix) => (piece.length <= prefix.length ? prefix.startsWith(piece) : piece.startsWith(prefix)));
}

/**
 * The split key whose first piece is the run [start, firstEnd): the pieces that follow it, joined, give a key of the
 * published shape. Pieces follow a closing quote (another literal after an operator, or none) or a line break (the
 * next line, from its first column). Returns the end of the last piece and the joined key, or undefined.
 */
export function splitKeyAt(source: KeySource, start: number, firstEnd: number): { end: number; key: string; kind: CredentialKind } | undefined {
  let key = source.slice(start, firstEnd);
  if (!beginsPublishedKey(key)) return undefined;
  const quoted = QUOTES.has(source.codeAt(firstEnd));
  let end = firstEnd;
  for (let pieces = 1; pieces < MAX_SPLIT_PIECES; pieces++) {
    const closing = source.codeAt(end);
    let next: number;
    if (quoted) {
      if (!QUOTES.has(closing)) return undefined;
      next = nextLiteralStart(source, end + 1);
    } else {
      next = closing === LF ? end + 1 : closing === CR && source.codeAt(end + 1) === LF ? end + 2 : -1;
    }
    if (next < 0) return undefined;
    // A piece that starts a token of its own (`sk-ant-`) is searched for by itself: the common case on a list of
    // literals, which would otherwise walk every next key twice. A second piece that merely begins with `sk-` (the
    // key alphabet allows it) is still joined.
    if (startsTokenAt(source, next)) return undefined;
    const limit = Math.min(source.length, next + MAX_PUBLISHED_LENGTH - key.length + 1);
    end = next;
    while (end < limit && isKeyAlphabetCode(source.codeAt(end))) end++;
    if (end === next || end - next > MAX_PUBLISHED_LENGTH - key.length) return undefined;
    const piece = source.slice(next, end);
    // A piece with a prefix of its own is a token of its own, searched for by itself.
    if (piece.includes(NEEDLE)) return undefined;
    key += piece;
    const verdict = describeCredential(key);
    if (verdict?.confidence === 'high') {
      // The key must end where its last piece does: at the literal's quote, or at a character outside the alphabet.
      return !quoted || QUOTES.has(source.codeAt(end)) ? { end, key, kind: verdict.kind } : undefined;
    }
  }
  return undefined;
}

/** After a closing quote: spaces, at most one concatenation operator, line breaks (with `\` continuations) and
 * spaces again, then an opening quote. Returns the index after that quote, or -1. */
function nextLiteralStart(source: KeySource, from: number): number {
  const limit = Math.min(source.length, from + MAX_SPLIT_GAP);
  let i = from;
  let operatorSeen = false;
  while (i < limit) {
    const code = source.codeAt(i);
    if (code === 0x20 || code === 0x09 || code === CR || code === LF || code === 0x5c /* \ continuation */) {
      i++;
      continue;
    }
    if (QUOTES.has(code)) return i + 1;
    if (operatorSeen) return -1;
    const length = concatenationOperatorLength(source, i);
    if (length === 0) return -1;
    operatorSeen = true;
    i += length;
  }
  return -1;
}

/** `+` `.` `&` `~` (one character), `..` and `||` (two): the string concatenation operators of common languages. */
function concatenationOperatorLength(source: KeySource, at: number): number {
  const code = source.codeAt(at);
  if (code === 0x2e) return source.codeAt(at + 1) === 0x2e ? 2 : 1; // . ..
  if (code === 0x7c) return source.codeAt(at + 1) === 0x7c ? 2 : 0; // ||
  return code === 0x2b || code === 0x26 || code === 0x7e ? 1 : 0; // + & ~
}

/** The end of the run of key characters starting at `from`. Runs longer than any token (adversarial input,
 * base64url blobs) are finished with a regex search, which runs several times faster than a charCodeAt loop. */
function endOfKeyRun(text: string, from: number): number {
  const loopLimit = Math.min(text.length, from + MAX_TOKEN_LENGTH);
  let end = from;
  while (end < loopLimit && isKeyAlphabetCode(text.charCodeAt(end))) end++;
  if (end < loopLimit || end === text.length) return end;
  const notKeyChar = /[^A-Za-z0-9_-]/g;
  notKeyChar.lastIndex = end;
  return notKeyChar.test(text) ? notKeyChar.lastIndex - 1 : text.length;
}

/** Finds credentials in raw bytes without decoding them (the key alphabet is ASCII, so it is the same in any
 * ASCII-compatible encoding, UTF-8 included). Offsets are byte offsets. The same steps as findCredentials. */
export function findCredentialsInBuffer(bytes: Uint8Array, options?: CredentialScanOptions): CredentialMatch[] {
  // A Buffer view of the same memory, for Buffer.indexOf (much faster than a JS loop).
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scan = newBufferScan(buf);
  scanBufferChunk(buf, { view: buf, start: 0, end: buf.length }, scan, options);
  return scan.matches;
}

/** A DirectScan of raw bytes, with the needle chosen for them once. */
export interface BufferDirectScan extends DirectScan {
  /** Whether `-ant-` is searched for rather than `k-ant-` (dashIsRarerThanK). */
  readonly searchDash: boolean;
}

export function newBufferScan(buf: Buffer): BufferDirectScan {
  return { from: 0, matches: [], searchDash: buf.length >= ADAPTIVE_NEEDLE_MIN_LENGTH && dashIsRarerThanK(buf) };
}

/** scanTextChunk's steps on raw bytes (byte offsets). */
export function scanBufferChunk(buf: Buffer, chunk: BufferChunk, scan: BufferDirectScan, options?: CredentialScanOptions): void {
  const includeLow = options?.includeLowConfidence !== false;
  const { matches, searchDash } = scan;
  const source = bufferSource(buf);
  // Earlier chunks have judged every needle before this one's start.
  let from = Math.max(scan.from, chunk.start);
  while (from < chunk.end) {
    const k = nextNeedleInBuffer(buf, chunk, from, searchDash);
    if (k < 0 || k >= chunk.end) break;
    from = k + NEEDLE.length;
    const start = k - 1;
    if (start < 0 || buf[start] !== S) continue;
    if (start > 0 && isKeyAlphabetCode(buf[start - 1]) && !endsEscapeSequence(source.codeAt, start - 1)) {
      from = endOfKeyRunInBuffer(buf, from);
      continue;
    }
    const shortestEnd = start + MIN_TOKEN_LENGTH;
    if (shortestEnd > buf.length || KEY_CHAR[buf[shortestEnd - 1]] !== 1) {
      const limit = Math.min(buf.length, shortestEnd);
      let end = from;
      while (end < limit && KEY_CHAR[buf[end]] === 1) end++;
      from = isPieceEnd(buf[end]) ? judgeRun(source, start, end, matches, includeLow, options) : end;
      continue;
    }
    const limit = Math.min(buf.length, start + MAX_TOKEN_LENGTH + 1);
    let end = from;
    while (end < limit && KEY_CHAR[buf[end]] === 1) end++;
    from = end;
    if (end - start > MAX_TOKEN_LENGTH) continue;
    from = judgeRun(source, start, end, matches, includeLow, options);
  }
  scan.from = from;
}

/** Bytes after a candidate searched in JS before falling back to Buffer.indexOf. */
const LOCAL_SEARCH_WINDOW = 64;

/**
 * The next `k-ant-` at or after `from` in the chunk's view, or -1 (a needle past the chunk's end may be returned: the
 * caller leaves it to the next chunk). Buffer.indexOf is a call into C++ costing ~60 ns, several times the JS work of
 * checking a candidate; where candidates are dense (a file of repeated prefixes) that call would be most of the cost,
 * so the few bytes right after the previous candidate are searched in JS first. In ordinary text candidates are rare
 * and the window costs nothing that shows.
 */
function nextNeedleInBuffer(buf: Buffer, chunk: BufferChunk, from: number, searchDash: boolean): number {
  const windowEnd = Math.min(from + LOCAL_SEARCH_WINDOW, buf.length - NEEDLE.length + 1, chunk.end);
  for (let i = from; i < windowEnd; i++) {
    if (
      buf[i] === K &&
      buf[i + 1] === DASH &&
      buf[i + 2] === A &&
      buf[i + 3] === N &&
      buf[i + 4] === T &&
      buf[i + 5] === DASH
    ) {
      return i;
    }
  }
  if (windowEnd < from) return -1;
  const { view, start: viewStart } = chunk;
  if (!searchDash) {
    const at = view.indexOf(NEEDLE_BYTES, windowEnd - viewStart);
    return at < 0 ? -1 : at + viewStart;
  }
  for (let at = view.indexOf(DASH_NEEDLE_BYTES, windowEnd + 1 - viewStart); at >= 0; at = view.indexOf(DASH_NEEDLE_BYTES, at + 1)) {
    const k = at + viewStart - 1;
    if (k >= chunk.end || buf[k] === K) return k;
  }
  return -1;
}

/**
 * The needle for text where `-` is rarer than `k` (base64 blobs, minified bundles: in the bench corpus's bundles
 * `k` occurs 11 times per KB and `-` 6, and `k-ant-` runs at 1.7 GB/s where `-ant-` runs at 8.6): `-ant-`, with the
 * `k` checked before it. Chosen per buffer from a sample, for buffers large enough that the sample costs nothing
 * that shows. Ordinary code and prose have far more `-` than `k` (15 against 4 per KB) and keep `k-ant-`.
 */
const DASH_NEEDLE_BYTES = Uint8Array.from('-ant-', (char) => char.charCodeAt(0));
const ADAPTIVE_NEEDLE_MIN_LENGTH = 1 << 20;
const NEEDLE_SAMPLE_LENGTH = 1 << 16;

function dashIsRarerThanK(buf: Buffer): boolean {
  let ks = 0;
  let dashes = 0;
  // Sampled from the middle: a bundle's first bytes are often a licence comment, not what the rest looks like.
  const from = (buf.length - NEEDLE_SAMPLE_LENGTH) >> 1;
  for (let i = from; i < from + NEEDLE_SAMPLE_LENGTH; i++) {
    const byte = buf[i];
    if (byte === K) ks++;
    else if (byte === DASH) dashes++;
  }
  return dashes < ks;
}

/** The end of the run of key bytes starting at `from`. Long runs are walked two bytes per table lookup. */
function endOfKeyRunInBuffer(buf: Buffer, from: number): number {
  const loopLimit = Math.min(buf.length, from + MAX_TOKEN_LENGTH);
  let end = from;
  while (end < loopLimit && KEY_CHAR[buf[end]] === 1) end++;
  if (end < loopLimit || end === buf.length) return end;
  // A 16-bit view must start at an even address of the underlying memory.
  if ((buf.byteOffset + end) % 2 === 1) {
    if (KEY_CHAR[buf[end]] !== 1) return end;
    end++;
  }
  const pairs = new Uint16Array(buf.buffer, buf.byteOffset + end, (buf.length - end) >>> 1);
  let pair = 0;
  while (pair < pairs.length && KEY_CHAR_PAIR[pairs[pair]] === 1) pair++;
  end += 2 * pair;
  while (end < buf.length && KEY_CHAR[buf[end]] === 1) end++;
  return end;
}
