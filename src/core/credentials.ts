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
// How the scan works (gitleaks' "keyword prefilter, then validate"): find the literal `-ant-` with indexOf
// (its `-` is rarer in text than the `s` of `sk-`), check `sk` before it and a token boundary before that,
// then take the whole run of key-alphabet characters as the token and validate it. Every search resumes after
// the run it just examined, so no character is scanned twice whatever the input: a 50 MB run of key characters
// costs one pass, not one pass per `sk-ant-` inside it.

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
}

export interface CredentialVerdict {
  kind: CredentialKind;
  confidence: 'high' | 'low';
}

// The prefilter needle: `-ant-`, then `sk` checked before it.
const ANT_NEEDLE = Buffer.from('-ant-', 'latin1');
const S = 's'.charCodeAt(0);
const K = 'k'.charCodeAt(0);

/** Lookup table over byte values / UTF-16 units below 128: 1 for [A-Za-z0-9_-]. */
const KEY_CHAR = new Uint8Array(256);
for (let i = 0; i < KEY_ALPHABET.length; i++) KEY_CHAR[KEY_ALPHABET.charCodeAt(i)] = 1;

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
 * A token with the api03/admin01 prefix but not exactly 93 + `AA` body characters (e.g. the run of key
 * characters continues past 108) is not the published format; it is still reported, as the same kind with
 * 'low' confidence, because a real key with a suffix glued on (`…AA_old`) is still a leaked key.
 */
export function describeCredential(token: string): CredentialVerdict | undefined {
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parsed = TOKEN_PATTERN.exec(token);
  if (!parsed) return undefined;
  const [, word, version, body] = parsed;
  if (body.length < MIN_UNPUBLISHED_BODY_LENGTH || body.length > MAX_BODY_LENGTH) return undefined;
  if (looksLikePlaceholderBody(body)) return undefined;
  const kind = KIND_BY_WORD.get(word) ?? 'other-token';
  const published =
    PUBLISHED_VERSION.get(word) === version && body.length === PUBLISHED_BODY_LENGTH && body.endsWith('AA');
  return { kind, confidence: published ? 'high' : 'low' };
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

/**
 * Documentation fills key bodies with `xxxx…`, one repeated character, a short repeated pattern
 * (`abc123abc123…`) or an ascending run (`abcdefgh…`). Real keys are random and never look like that.
 */
export function looksLikePlaceholderBody(body: string): boolean {
  const counts = new Uint32Array(128);
  let distinct = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i) & 127;
    if (counts[code]++ === 0) distinct++;
  }
  if (distinct < MIN_DISTINCT_CHARS) return true;
  let entropy = 0;
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code];
    if (count === 0) continue;
    const p = count / body.length;
    entropy -= p * Math.log2(p);
  }
  if (entropy < MIN_ENTROPY_BITS_PER_CHAR) return true;
  return isPeriodic(body) || isMostlyAscending(body);
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

/** Finds credentials in a string. Offsets are UTF-16 code units. */
export function findCredentials(text: string, options?: CredentialScanOptions): CredentialMatch[] {
  const includeLow = options?.includeLowConfidence !== false;
  const matches: CredentialMatch[] = [];
  let from = 0;
  for (;;) {
    const dash = text.indexOf('-ant-', from);
    if (dash < 0) return matches;
    from = dash + 5;
    const start = dash - 2;
    if (start < 0 || text.charCodeAt(start) !== S || text.charCodeAt(start + 1) !== K) continue;
    // A key character right before `sk-ant-` makes it the middle of a longer token (e.g. `xsk-ant-…`).
    if (start > 0 && isKeyAlphabetCode(text.charCodeAt(start - 1))) continue;
    const end = endOfKeyRun(text, from);
    from = end; // never rescan this run, whether it is accepted or not
    const length = end - start;
    if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) continue;
    const verdict = describeCredential(text.slice(start, end));
    if (verdict && (includeLow || verdict.confidence === 'high')) matches.push({ start, end, ...verdict });
  }
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
 * ASCII-compatible encoding, UTF-8 included). Offsets are byte offsets. */
export function findCredentialsInBuffer(bytes: Uint8Array, options?: CredentialScanOptions): CredentialMatch[] {
  const includeLow = options?.includeLowConfidence !== false;
  // A Buffer view of the same memory, for Buffer.indexOf (much faster than a JS loop).
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const matches: CredentialMatch[] = [];
  let from = 0;
  for (;;) {
    const dash = buf.indexOf(ANT_NEEDLE, from);
    if (dash < 0) return matches;
    from = dash + 5;
    const start = dash - 2;
    if (start < 0 || buf[start] !== S || buf[start + 1] !== K) continue;
    if (start > 0 && isKeyAlphabetCode(buf[start - 1])) continue;
    let end = from;
    while (end < buf.length && KEY_CHAR[buf[end]] === 1) end++;
    from = end;
    const length = end - start;
    if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) continue;
    const verdict = describeCredential(buf.toString('latin1', start, end));
    if (verdict && (includeLow || verdict.confidence === 'high')) matches.push({ start, end, ...verdict });
  }
}
