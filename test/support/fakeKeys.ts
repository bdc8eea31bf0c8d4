// Fake Anthropic credentials, built at run time from a seeded generator so that no credential-shaped
// literal is ever committed (the project must scan itself clean). The prefix is split so that even a
// naive grep over this file finds nothing key-shaped.
const PREFIX = ['sk', 'ant'].join('-') + '-';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** mulberry32: a tiny, well-known seeded PRNG; the same seed always yields the same keys. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBody(random: () => number, length: number): string {
  let body = '';
  for (let i = 0; i < length; i++) body += KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)];
  return body;
}

export type FakeKeyKind = 'api' | 'admin' | 'oat' | 'ort' | 'sid';

const KIND_PREFIX: Record<FakeKeyKind, string> = {
  api: 'api03-',
  admin: 'admin01-',
  oat: 'oat01-',
  ort: 'ort01-',
  sid: 'sid01-',
};

/** A fake key of the published shape: prefix + 93 key-alphabet characters + `AA` (tokens: a long body). */
export function fakeKey(seed: number, kind: FakeKeyKind = 'api'): string {
  const random = seededRandom(seed);
  const body = kind === 'api' || kind === 'admin' ? randomBody(random, 93) + 'AA' : randomBody(random, 100);
  return PREFIX + KIND_PREFIX[kind] + body;
}

/** The `sk-ant-` prefix itself, for tests that build near-misses. */
export const ANTHROPIC_PREFIX = PREFIX;
export { KEY_ALPHABET };

/**
 * A fake key with the structure of Anthropic's own pattern (contributed to GitLab's secret detection rules): a `-`
 * eight characters before the end, as in every public example. The plain fakeKey puts a random character there.
 */
export function structuredFakeKey(seed: number, kind: 'api' | 'admin' = 'api'): string {
  const random = seededRandom(seed);
  return PREFIX + KIND_PREFIX[kind] + randomBody(random, 86) + '-' + randomBody(random, 6) + 'AA';
}
