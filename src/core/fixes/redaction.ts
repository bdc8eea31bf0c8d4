// Redaction: where no lookup exists (prose, comments, templates), the key is replaced by its hint.

import { findCredentials } from '../credentials';
import { replace, type FixPlan } from './rewriters/common';

/** Characters either side of a redacted key that the placeholder check reads (see redactKey). */
const REDACTION_CONTEXT = 1024;
/** A character of a key's body (the alphabet of sk-ant- keys). */
const KEY_CHARACTER = /[A-Za-z0-9_-]/;

/**
 * Replaces the key with its hint in ASCII (`sk-ant-api03-R2D...igAA`): the way the Console lists keys, so the
 * reader still sees which key was there (to revoke it), and too short to be a key, so the result scans clean.
 * For prose, comments and templates, where no lookup exists; store the key first.
 */
export function redactKey(text: string, keyStart: number, keyEnd: number, hint: string): FixPlan {
  let placeholder = hint.replace(/…/g, '...');
  // Belt and braces: a placeholder must never scan as a key, whatever hint it was given.
  // The placeholder in its context: its line, but no more than REDACTION_CONTEXT characters either side, widened to
  // whole runs of key characters so a key-like run that touches the placeholder is seen whole. Scanning the whole
  // line (and finding its ends with lineStartOf/lineEndOf) made redacting n keys on one line quadratic; the planner
  // scans the rewritten file again in any case. A line break is no key character, so the widening stops there.
  const back = text.slice(Math.max(0, keyStart - REDACTION_CONTEXT), keyStart);
  let from = keyStart - back.length + back.lastIndexOf('\n') + 1;
  while (from > 0 && KEY_CHARACTER.test(text[from - 1])) from--;
  const ahead = text.slice(keyEnd, keyEnd + REDACTION_CONTEXT);
  let to = keyEnd + (ahead.includes('\n') ? ahead.indexOf('\n') : ahead.length);
  while (to < text.length && KEY_CHARACTER.test(text[to])) to++;
  const candidate = text.slice(from, keyStart) + placeholder + text.slice(keyEnd, to);
  const placeholderStart = keyStart - from;
  const overlaps = findCredentials(candidate).some((match) => match.start < placeholderStart + placeholder.length && match.end > placeholderStart);
  if (overlaps || placeholder.length === 0) placeholder = '<REDACTED>';
  return { edits: [replace(keyStart, keyEnd, placeholder)], title: `Redact the key (leave ${placeholder})` };
}
