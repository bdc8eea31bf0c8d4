// A key's identity without the key: what a baseline (src/core/baseline.ts) salts and stores so that it can recognise
// a key it accepted, on whatever line it moves to. The engine attaches it to every hardcoded-key finding
// (textFindings.ts), so no front end ever needs the key itself to match one.
//
// Decisions:
// - SHA-256 of a domain tag and the key. An Anthropic key carries far more entropy than any search could cover, so
//   the digest cannot be turned back into the key; the tag keeps it from matching a hash some other tool made of the
//   same key.
// - Never printed: the report formats write a finding's kind and hint, not this. A baseline stores it only salted
//   (HMAC with the baseline's own salt), so two repositories' baselines cannot be linked through a shared key.
// - @noble/hashes, not node:crypto: the engine also runs in the browser worker (vscode.dev), and a finding's digest
//   is computed synchronously while the text is scanned (WebCrypto's digest is async). A few dozen bytes per key.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const DOMAIN = 'anthropic-key-hygiene/key-digest/v1\0';

/** 64 hex digits identifying `key`; the same key always gives the same digest. */
export function keyDigest(key: string): string {
  return bytesToHex(sha256(utf8ToBytes(DOMAIN + key)));
}
