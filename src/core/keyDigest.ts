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
// - @noble/hashes wherever the engine runs, since it also runs in the browser worker (vscode.dev) and a finding's
//   digest is computed synchronously while the text is scanned (WebCrypto's digest is async); but Node's own SHA-256
//   where there is one (the CLI, the desktop extension host), found at run time rather than imported: the editor
//   digests every key of a document on every rescan, and noble's takes 2.4 µs a key where Node's takes 0.3. A test
//   holds the two to the same answers.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const DOMAIN = 'anthropic-key-hygiene/key-digest/v1\0';

/** 64 hex digits identifying `key`; the same key always gives the same digest. */
export function keyDigest(key: string): string {
  const tagged = DOMAIN + key;
  return NODE_SHA256_HEX ? NODE_SHA256_HEX(tagged) : portableSha256Hex(tagged);
}

/** SHA-256 of the UTF-8 encoding of `text`, in hex, in JavaScript: what the browser build uses. Exported for the test
 * that holds it to Node's. */
export function portableSha256Hex(text: string): string {
  return bytesToHex(sha256(utf8Bytes(text)));
}

/** Node's SHA-256 of a string's UTF-8 encoding, in hex; undefined outside Node (process.getBuiltinModule: Node 20.16
 * and 22.3 on; older Node uses noble's). */
const NODE_SHA256_HEX = nodeSha256Hex();

function nodeSha256Hex(): ((text: string) => string) | undefined {
  const crypto = globalThis.process?.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined;
  if (crypto === undefined) return undefined;
  // crypto.hash (Node 20.12 on) is one call; createHash makes a Hash object per digest, still several times faster.
  const oneShot = crypto.hash as typeof crypto.hash | undefined;
  if (oneShot) return (text) => oneShot('sha256', text, 'hex');
  return (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The UTF-8 encoding of `text`. A key is ASCII (the key alphabet), whose bytes are its characters: copied by hand,
 * because noble's utf8ToBytes makes a TextEncoder and two arrays per call, which cost as much as the hash. Anything
 * else is encoded by TextEncoder.
 */
function utf8Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return new TextEncoder().encode(text);
    bytes[i] = code;
  }
  return bytes;
}
