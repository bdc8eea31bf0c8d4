// Escapes and encodings that can end right before a key. A letter or digit before `sk-ant-` normally means the key is
// the tail of a longer token (`xsk-ant-…` is not a key), but in logs, JSON, URLs and terminal captures that character
// is often the last one of an escape: `\nsk-ant-…` in a JSON log line, `Bearer%20sk-ant-…` in an access log,
// `ESC[32msk-ant-…` in a coloured CI log (issue 13). Each form below is recognised by looking back a bounded number of
// characters from that one character, so the scan stays linear whatever the input.
//
// Forms, and where they come from:
// - a backslash and one letter or digit: C, JSON (RFC 8259 §7), JavaScript, Python and shell escapes (`\n`, `\t`,
//   `\r`, `\0`, `\e`…); a doubled backslash (`\\n`, JSON inside JSON) ends the same way;
// - `\xHH` (C, JavaScript, Python), `\uHHHH` (JSON, JavaScript, Java), `\UHHHHHHHH` (Python, C), `\NNN` (octal: C,
//   shell `printf`, Python);
// - percent-encoding (RFC 3986 §2.1): `%HH`, and `%25HH` when a URL was encoded twice;
// - ANSI/VT control sequences (ECMA-48 §5.4, CSI: ESC `[`, parameter bytes `0-9;:?`, a final letter), with ESC as the
//   byte itself or written out as `\e`, `\033`, `\x1b`, `\u001b` or caret notation `^[`.
// HTML entities (`&quot;`, `&#34;`) and the escapes `\"` and `\\` end in a character that is not a key character,
// so they need nothing here. After a key, every one of these starts with a character outside the key alphabet
// (`\`, `%`, `&`, ESC), which already ends the key.

/** Reads one UTF-16 unit or byte; any value outside the text (NaN, undefined) fails every test below. */
export type CodeAt = (index: number) => number;

const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const ESC = 0x1b;
const OPEN_BRACKET = 0x5b;

/** 1 for ASCII hex digits, 2 for octal digits (which are hex digits too: tested with `& 1`). */
const DIGIT_CLASS = new Uint8Array(128);
for (const char of '0123456789abcdefABCDEF') DIGIT_CLASS[char.charCodeAt(0)] = 1;
for (const char of '01234567') DIGIT_CLASS[char.charCodeAt(0)] = 3;

function isHex(code: number): boolean {
  return (DIGIT_CLASS[code] & 1) === 1;
}

function isOctal(code: number): boolean {
  return DIGIT_CLASS[code] === 3;
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Whether the characters ending at `end` (inclusive) spell `word`. */
function endsWith(codeAt: CodeAt, end: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (codeAt(end - i) !== word.charCodeAt(word.length - 1 - i)) return false;
  return true;
}

/** Whether the `count` characters ending at `end` (inclusive) are all hex digits. */
function hexRunEndsAt(codeAt: CodeAt, end: number, count: number): boolean {
  for (let i = 0; i < count; i++) if (!isHex(codeAt(end - i))) return false;
  return true;
}

/** Parameter bytes a CSI sequence may hold before its final letter; more than this is not a colour code. */
const MAX_CSI_PARAMETERS = 32;

/**
 * Whether the letter or digit at `at` is the last character of an escape or an encoding (one of the forms in the
 * header), so that what follows it starts a new token. Looks back at most MAX_CSI_PARAMETERS + 7 characters.
 */
export function endsEscapeSequence(codeAt: CodeAt, at: number): boolean {
  const last = codeAt(at);
  if (!isLetterOrDigit(last)) return false;
  const before = codeAt(at - 1);
  // `\n`, `\t`, `\0`… (and `\\n`).
  if (before === BACKSLASH) return true;
  if (isHex(last) && isHex(before)) {
    const third = codeAt(at - 2);
    if (third === PERCENT) return true; // %22, %3D, %0A
    if ((third === 0x78 || third === 0x58) && codeAt(at - 3) === BACKSLASH) return true; // \x22
    if (endsWith(codeAt, at - 2, '%25')) return true; // %2522: %22 encoded again
    if (isOctal(last) && isOctal(before) && isOctal(third) && codeAt(at - 3) === BACKSLASH) return true; // \042
    if (hexRunEndsAt(codeAt, at, 4) && endsWith(codeAt, at - 4, '\\u')) return true; // \u0022
    if (hexRunEndsAt(codeAt, at, 8) && endsWith(codeAt, at - 8, '\\U')) return true; // \U00000022
  }
  return isLetter(last) && endsControlSequence(codeAt, at);
}

/** An ECMA-48 control sequence whose final letter is at `at`: `[`, parameters, and an escape written some way before. */
function endsControlSequence(codeAt: CodeAt, at: number): boolean {
  let i = at - 1;
  const limit = at - 1 - MAX_CSI_PARAMETERS;
  for (; i > limit; i--) {
    const code = codeAt(i);
    if ((code >= 0x30 && code <= 0x39) || code === 0x3b || code === 0x3a || code === 0x3f) continue;
    break;
  }
  if (codeAt(i) !== OPEN_BRACKET) return false;
  const escapeEnd = i - 1;
  if (codeAt(escapeEnd) === ESC) return true;
  return (
    endsWith(codeAt, escapeEnd, '^[') || // caret notation, as `cat -v` and some log viewers write it
    endsWith(codeAt, escapeEnd, '\\e') ||
    endsWith(codeAt, escapeEnd, '\\033') ||
    endsWith(codeAt, escapeEnd, '\\x1b') ||
    endsWith(codeAt, escapeEnd, '\\x1B') ||
    endsWith(codeAt, escapeEnd, '\\u001b') ||
    endsWith(codeAt, escapeEnd, '\\u001B')
  );
}
