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
import { createHash } from 'node:crypto';

const DOMAIN = 'anthropic-key-hygiene/key-digest/v1\0';

/** 64 hex digits identifying `key`; the same key always gives the same digest. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(DOMAIN).update(key, 'utf8').digest('hex');
}
