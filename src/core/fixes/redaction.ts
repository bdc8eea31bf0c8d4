// Redaction: where no lookup exists (prose, comments, templates), the key is replaced by its hint.

import { findCredentials } from '../credentials';
import { lineEndOf, lineStartOf, replace, type FixPlan } from './rewriters/common';

/**
 * Replaces the key with its hint in ASCII (`sk-ant-api03-R2D...igAA`): the way the Console lists keys, so the
 * reader still sees which key was there (to revoke it), and too short to be a key, so the result scans clean.
 * For prose, comments and templates, where no lookup exists; store the key first.
 */
export function redactKey(text: string, keyStart: number, keyEnd: number, hint: string): FixPlan {
  let placeholder = hint.replace(/…/g, '...');
  // Belt and braces: a placeholder must never scan as a key, whatever hint it was given.
  const lineStart = lineStartOf(text, keyStart);
  const lineEnd = lineEndOf(text, keyEnd);
  const candidate = text.slice(lineStart, keyStart) + placeholder + text.slice(keyEnd, lineEnd);
  const placeholderStart = keyStart - lineStart;
  const overlaps = findCredentials(candidate).some((match) => match.start < placeholderStart + placeholder.length && match.end > placeholderStart);
  if (overlaps || placeholder.length === 0) placeholder = '<REDACTED>';
  return { edits: [replace(keyStart, keyEnd, placeholder)], title: `Redact the key (leave ${placeholder})` };
}
