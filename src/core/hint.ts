// The only form in which a key may be shown anywhere (messages, hovers, logs, CLI output): the kind prefix, the
// first 3 and the last 4 body characters, as the Anthropic Console lists keys (`sk-ant-api03-R2D…igAA`).

const KIND_PREFIX = /^sk-ant-(?:[a-z]{1,16}\d\d-)?/;
const HEAD_LENGTH = 3;
const TAIL_LENGTH = 4;
/** Below this many body characters, showing 7 would reveal too large a share of the secret. */
const FULL_HINT_MIN_BODY = 24;
/** Below this, nothing of the body is shown at all. */
const PARTIAL_HINT_MIN_BODY = 12;

/**
 * `sk-ant-api03-R2D…igAA` for a key. Never reveals more than 7 body characters, and fewer for short input:
 * 1 + 1 characters for bodies of 12–23 characters, none below that. Input without the `sk-ant-` prefix is
 * treated as all body. Works on code points, so an odd input never yields half a surrogate pair.
 */
export function keyHint(key: string): string {
  const prefix = KIND_PREFIX.exec(key)?.[0] ?? '';
  const body = codePoints(key.slice(prefix.length));
  if (body.length >= FULL_HINT_MIN_BODY) {
    return prefix + joined(body, 0, HEAD_LENGTH) + '…' + joined(body, body.length - TAIL_LENGTH, body.length);
  }
  if (body.length >= PARTIAL_HINT_MIN_BODY) return prefix + body[0] + '…' + body[body.length - 1];
  return prefix + '…';
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `text`: the string itself when it holds no surrogate (each unit is then one code point, as in
 * every key), else an array of them. Keys are hinted on every rescan, and splitting each into an array of a hundred
 * strings was most of the cost. */
function codePoints(text: string): string | string[] {
  return SURROGATE.test(text) ? Array.from(text) : text;
}

function joined(points: string | string[], start: number, end: number): string {
  return typeof points === 'string' ? points.slice(start, end) : points.slice(start, end).join('');
}

/** A run of `sk-ant-` and key-alphabet characters long enough to be a secret (a hint's head is at most 3). */
const SECRET_RUN = /sk-ant-[A-Za-z0-9_-]{20,}/g;

/**
 * Every `sk-ant-` run in a text replaced by its hint, whatever comes before it (`\nsk-ant-…` after an escape, a key
 * glued to a word): the last line of defence for anything the CLI prints. Linear: one pass of a regex without
 * nested quantifiers, and none at all for text without `sk-ant-`.
 */
export function maskSecrets(text: string): string {
  if (!text.includes('sk-ant-')) return text;
  return text.replace(SECRET_RUN, (run) => keyHint(run));
}

/** Characters a terminal must not receive raw: C0 and C1 controls, DEL, line and paragraph separators, and the
 * bidirectional overrides that can reorder what a line seems to say. One character class: linear. */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Repository text (a subject, an author, a path) as it may be shown: keys masked to hints, unsafe characters escaped. */
export function displayText(text: string): string {
  return maskSecrets(text).replace(UNSAFE_CHARACTER, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
