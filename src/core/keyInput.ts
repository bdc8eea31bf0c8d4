// What a user pastes as a key, made into a key or refused with a reason; and the names keys are stored
// under. Pure: the editor turns the reason codes into localised sentences.
//
// People paste keys with whatever surrounded them where they copied from: a trailing newline, the quotes
// of a string literal, a whole `.env` line (`export ANTHROPIC_API_KEY="sk-ant-…"`). Those wrappers are
// removed and named, so the user learns what was dropped; anything else that is off (a line break inside,
// a truncated body, a placeholder from the docs) is refused, since storing it would only fail later.
import { ANTHROPIC_KEY_PREFIX, MIN_UNPUBLISHED_BODY_LENGTH, PUBLISHED_BODY_LENGTH, describeCredential, looksLikePlaceholderBody } from './credentials';
import type { CredentialKind } from './findings';

/** A wrapper removed from pasted text, in the order they were removed. */
export type TrimmedPart = 'whitespace' | 'assignment' | 'trailing-punctuation' | 'quotes';

export type KeyRejection =
  /** Nothing left after trimming. */
  | 'empty'
  /** Space, tab or line break inside the key (two keys pasted, or a wrapped line). */
  | 'inner-whitespace'
  /** Does not start with `sk-ant-`. */
  | 'not-anthropic'
  /** `sk-ant-api03-xxxx…`, `sk-ant-…your-key-here`: documentation, not a key. */
  | 'placeholder'
  /** An OAuth or session token: not something an API key slot should hold, and not checkable with x-api-key. */
  | 'not-an-api-key'
  /** The published api03/admin01 prefix with the wrong body length or ending (a truncated or extended paste),
   * or characters no key has. */
  | 'malformed';

export type NormalisedKey =
  | {
      ok: true;
      key: string;
      kind: Extract<CredentialKind, 'api-key' | 'admin-key'>;
      /** What was removed around the key; empty when the paste was the bare key. */
      trimmed: TrimmedPart[];
      /** The variable name of a pasted `NAME=value` line, a good default name for the stored key. */
      assignedName?: string;
    }
  | {
      ok: false;
      reason: KeyRejection;
      /** For 'not-an-api-key': what the token is. */
      kind?: CredentialKind;
      /** For 'malformed': the length of what was pasted (never any of its characters). */
      length?: number;
    };

// `export NAME=`, `NAME=`, `NAME: ` (YAML), `"NAME": ` (JSON): the left-hand sides keys are pasted with.
const ASSIGNMENT = /^(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*[:=]\s*/;
const QUOTE_PAIRS: Record<string, string> = { '"': '"', "'": "'", '`': '`' };
// Published shape (see credentials.ts): `sk-ant-api03-` / `sk-ant-admin01-` + 93 characters + `AA`.
const PUBLISHED_PREFIXES = ['api03-', 'admin01-'].map((kind) => ANTHROPIC_KEY_PREFIX + kind);
const KEY_TOKEN_SHAPE = /^sk-ant-[a-z]{1,16}\d\d-[A-Za-z0-9_-]+$/;

/** Trims a pasted key, says what was trimmed, and refuses anything that is not an API or Admin key. */
export function normaliseKey(pasted: string): NormalisedKey {
  const trimmed: TrimmedPart[] = [];
  const note = (part: TrimmedPart) => {
    if (!trimmed.includes(part)) trimmed.push(part);
  };
  // \s covers NBSP and line breaks; zero-width spaces and the BOM ride along with copies from web pages.
  const stripSpace = (text: string) => {
    const result = text.replace(/^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$/g, '');
    if (result !== text) note('whitespace');
    return result;
  };

  let text = stripSpace(pasted);
  let assignedName: string | undefined;
  const assignment = ASSIGNMENT.exec(text);
  if (assignment && !text.startsWith(ANTHROPIC_KEY_PREFIX)) {
    assignedName = assignment[1];
    text = text.slice(assignment[0].length);
    note('assignment');
  }
  // A line copied from code: `"sk-ant-…",` or `'sk-ant-…';`.
  const withoutPunctuation = text.replace(/[,;]+$/, '');
  if (withoutPunctuation !== text) {
    note('trailing-punctuation');
    text = stripSpace(withoutPunctuation);
  }
  const close = QUOTE_PAIRS[text[0]];
  if (close !== undefined && text.length >= 2 && text.endsWith(close)) {
    note('quotes');
    text = stripSpace(text.slice(1, -1));
  }

  if (text === '') return { ok: false, reason: 'empty' };
  if (/[\s\u200b\ufeff]/.test(text)) return { ok: false, reason: 'inner-whitespace' };
  if (!text.startsWith(ANTHROPIC_KEY_PREFIX)) return { ok: false, reason: 'not-anthropic' };
  if (isPlaceholderKey(text)) return { ok: false, reason: 'placeholder' };

  const verdict = describeCredential(text);
  if (!verdict || !KEY_TOKEN_SHAPE.test(text)) return { ok: false, reason: 'malformed', length: text.length };
  if (verdict.kind !== 'api-key' && verdict.kind !== 'admin-key') return { ok: false, reason: 'not-an-api-key', kind: verdict.kind };
  // The published prefix promises the published length; a different one means a truncated or extended
  // paste. Other versions (a future api04) have no published shape, so they are accepted as they are.
  if (verdict.confidence === 'low' && PUBLISHED_PREFIXES.some((prefix) => text.startsWith(prefix))) {
    return { ok: false, reason: 'malformed', length: text.length };
  }
  return { ok: true, key: text, kind: verdict.kind, trimmed, ...(assignedName ? { assignedName } : {}) };
}

/** Length of a key of the published shape, for messages about truncated pastes. */
export function publishedKeyLength(kind: 'api-key' | 'admin-key'): number {
  return (kind === 'api-key' ? PUBLISHED_PREFIXES[0] : PUBLISHED_PREFIXES[1]).length + PUBLISHED_BODY_LENGTH;
}

/** `sk-ant-…` with a body of dots, `x`s, `<your key>`, `...` or a low-entropy run. */
function isPlaceholderKey(text: string): boolean {
  const body = text.replace(/^sk-ant-(?:[a-z]{1,16}\d\d-)?/, '');
  if (body === '' || /\.\.\.|…|<|>|\{|\}|\*/.test(body)) return true;
  // Words only in short bodies: 95 random characters contain `your` once in ~11,000 keys.
  if (body.length < MIN_UNPUBLISHED_BODY_LENGTH && /your|example|placeholder|redacted|replace|secret/i.test(body)) return true;
  return body.length >= 8 && /^[A-Za-z0-9_-]+$/.test(body) && looksLikePlaceholderBody(body);
}

// ---- names ------------------------------------------------------------------------------------

export type KeyNameRejection = 'empty' | 'invalid-characters' | 'starts-with-digit' | 'too-long' | 'reserved';

/** Longest accepted name; environment variable names this long are already unusual. */
export const MAX_KEY_NAME_LENGTH = 64;

/** Names a shell or a terminal relies on: storing a key under one would break every injected terminal. */
const RESERVED_NAMES = new Set([
  'PATH', 'HOME', 'SHELL', 'USER', 'LOGNAME', 'TERM', 'PWD', 'OLDPWD', 'LANG', 'TMPDIR', 'TEMP', 'TMP',
  'PS1', 'IFS', 'SHLVL', 'DISPLAY', 'EDITOR', 'PATHEXT', 'COMSPEC', 'SYSTEMROOT', 'USERPROFILE', 'APPDATA',
  'NODE_OPTIONS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'BASH_ENV', 'ENV',
]);

/**
 * A stored key's name is the environment variable it is injected as, so it must be a valid one: the POSIX
 * portable set (letters, digits, `_`, not starting with a digit; IEEE Std 1003.1, 8.1), which every shell
 * and Windows accept. Returns undefined when the (trimmed) name is fine.
 */
export function checkKeyName(name: string): KeyNameRejection | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'empty';
  if (trimmed.length > MAX_KEY_NAME_LENGTH) return 'too-long';
  if (!/^[A-Za-z0-9_]+$/.test(trimmed)) return 'invalid-characters';
  if (/^\d/.test(trimmed)) return 'starts-with-digit';
  if (RESERVED_NAMES.has(trimmed.toUpperCase())) return 'reserved';
  return undefined;
}

export const DEFAULT_KEY_NAME = 'ANTHROPIC_API_KEY';

// ---- .env files ---------------------------------------------------------------------------------

export interface EnvAssignment {
  /** The value as a dotenv loader would see it (quotes removed, inline comment dropped). */
  value: string;
  /** 0-based line of the assignment. */
  line: number;
}

/**
 * The value a dotenv loader would give `name` in this text: the last `NAME=value` (or `export NAME=value`)
 * line wins, as in dotenv's parser; quoted values keep everything between the quotes, unquoted ones end at
 * ` #`. Multi-line quoted values are not followed (an API key is one line). Undefined when not assigned.
 */
export function readEnvAssignment(text: string, name: string): EnvAssignment | undefined {
  let found: EnvAssignment | undefined;
  const lines = text.split(/\r?\n/);
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${escapeRegExp(name)}\\s*=\\s*(.*)$`);
  lines.forEach((lineText, line) => {
    const match = pattern.exec(lineText);
    if (!match) return;
    const raw = match[1];
    const quote = raw[0];
    let value: string;
    if ((quote === '"' || quote === "'" || quote === '`') && raw.indexOf(quote, 1) > 0) {
      value = raw.slice(1, raw.indexOf(quote, 1));
    } else {
      value = raw.replace(/\s+#.*$/, '').trim();
    }
    found = { value, line };
  });
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
