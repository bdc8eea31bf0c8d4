// Fake Anthropic keys for the scripts (demo workspace, benchmark corpus, vsix check), built at run time
// from a seeded generator so nothing key-shaped is committed. Same output as test/support/fakeKeys.ts
// (the benchmark checks that at start-up).
export const PREFIX = ['sk', 'ant'].join('-') + '-';
export const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const KIND_PREFIX = { api: 'api03-', admin: 'admin01-' };

/** mulberry32, exactly as test/support/fakeKeys.ts. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBody(random, length) {
  let body = '';
  for (let i = 0; i < length; i++) body += KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)];
  return body;
}

/** Same output as fakeKey(seed, 'api' | 'admin') in test/support/fakeKeys.ts. */
export function fakeKey(seed, kind = 'api') {
  return PREFIX + KIND_PREFIX[kind] + randomBody(seededRandom(seed), 93) + 'AA';
}

/** A safe-to-print hint of a key: the prefix, 3 body characters, '…', the last 4. */
export function keyHint(key) {
  const dash = key.indexOf('-', PREFIX.length);
  return key.slice(0, dash + 4) + '…' + key.slice(-4);
}
