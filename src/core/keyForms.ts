// Every form of a key in one walk over a text (issue 13's speed target): the keys written out (credentials.ts: plain,
// after an escape, split) and their base64 forms (base64Keys.ts). Each search is an indexOf for a short needle, and
// each reads the text at memory speed; run one after the other they read a large text from memory four times. Here
// the text is searched in chunks small enough to stay in the processor's cache (L2: 512 KB to 1 MB a core on current
// x86 and ARM cores), every search over one chunk before the next chunk is read, so memory is crossed once. The
// searches themselves are unchanged: they stop at the chunk's end and resume in the next chunk where they stopped,
// and every check after a hit reads the whole text, so a key across a chunk boundary is found as in one piece.
//
// Measured with `node scripts/bench.mjs --in-memory-only` on 100 MB of mixed code and docs, 2-core AMD EPYC, Node 20:
// the four searches one after the other 19 ms, chunked 13 ms; chunks of 64 KB to 1 MB measured alike, smaller ones
// cost more in calls than they save.
import { BASE64_SEARCH_NEEDLES, finishEncodedScan, newEncodedScan, scanEncodedBufferChunk, scanEncodedTextChunk } from './base64Keys';
import { KEY_NEEDLE, newBufferScan, scanBufferChunk, scanTextChunk, type CredentialScanOptions, type DirectScan } from './credentials';
import type { CredentialMatch } from './findings';

/** Characters (or bytes) per chunk: 256 KB of a one-byte string or of bytes, 512 KB of a two-byte string. */
export const KEY_FORMS_CHUNK_LENGTH = 1 << 18;

/** How far a chunk's view runs past its end: a needle that starts in the chunk must be whole in its view. */
const OVERLAP = Math.max(KEY_NEEDLE.length, ...BASE64_SEARCH_NEEDLES.map((needle) => needle.length)) - 1;

/**
 * Every key in a string, written out or in base64: findCredentials' matches, then findBase64Credentials' (each list in
 * order of start). `chunkLength` is for the tests, which cut texts into small chunks to put keys across their edges.
 */
export function findKeyForms(text: string, options?: CredentialScanOptions, chunkLength = KEY_FORMS_CHUNK_LENGTH): CredentialMatch[] {
  const direct: DirectScan = { from: 0, matches: [] };
  const encoded = newEncodedScan();
  for (let start = 0; start < text.length; start += chunkLength) {
    const end = Math.min(text.length, start + chunkLength);
    // slice() shares the text's characters: a view costs a small object, not a copy.
    const view = start === 0 && end === text.length ? text : text.slice(start, Math.min(text.length, end + OVERLAP));
    const chunk = { view, start, end };
    scanTextChunk(text, chunk, direct, options);
    scanEncodedTextChunk(text, chunk, encoded, options);
  }
  return withEncoded(direct.matches, finishEncodedScan(encoded));
}

/** The same in raw bytes (byte offsets): findCredentialsInBuffer's matches, then findBase64CredentialsInBuffer's. */
export function findKeyFormsInBuffer(buf: Buffer, options?: CredentialScanOptions, chunkLength = KEY_FORMS_CHUNK_LENGTH): CredentialMatch[] {
  const direct = newBufferScan(buf);
  const encoded = newEncodedScan();
  for (let start = 0; start < buf.length; start += chunkLength) {
    const end = Math.min(buf.length, start + chunkLength);
    const view = start === 0 && end === buf.length ? buf : buf.subarray(start, Math.min(buf.length, end + OVERLAP));
    const chunk = { view, start, end };
    scanBufferChunk(buf, chunk, direct, options);
    scanEncodedBufferChunk(buf, chunk, encoded, options);
  }
  return withEncoded(direct.matches, finishEncodedScan(encoded));
}

function withEncoded(direct: CredentialMatch[], encoded: CredentialMatch[]): CredentialMatch[] {
  return encoded.length === 0 ? direct : [...direct, ...encoded];
}
