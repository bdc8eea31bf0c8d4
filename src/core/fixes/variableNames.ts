// Which environment variable a key moves to, and the rename of bundler-public variable names.

import { PUBLIC_ENV_PREFIXES } from '../clientExposure';
import type { CredentialKind } from '../findings';
import { ENV_NAME, lineBefore, replace, type FixPlan } from './rewriters/common';
import type { TextEdit } from './edits';

/** Where each kind is conventionally read from: the SDKs' and Claude Code's names. */
const DEFAULT_VARIABLE: Record<CredentialKind, string> = {
  'api-key': 'ANTHROPIC_API_KEY',
  'admin-key': 'ANTHROPIC_ADMIN_KEY',
  'oauth-access-token': 'CLAUDE_CODE_OAUTH_TOKEN',
  'oauth-refresh-token': 'ANTHROPIC_OAUTH_REFRESH_TOKEN',
  'session-key': 'ANTHROPIC_SESSION_KEY',
  'other-token': 'ANTHROPIC_CREDENTIAL',
};

/**
 * The env variable a key should live in. The kind's conventional name, unless the key was assigned to an
 * environment-style name of its own that mentions Anthropic or Claude (`ANALYTICS_ANTHROPIC_KEY = '…'` keeps
 * that name, minus any bundler prefix that would expose it to browsers). Local names (`analyticsKey`) and
 * generic ones (`API_KEY`) give the default, which the SDKs read on their own.
 */
export function variableNameFor(kind: CredentialKind, assignedName?: string): string {
  const fallback = DEFAULT_VARIABLE[kind];
  if (!assignedName) return fallback;
  const name = renamePublicVariable(assignedName) ?? assignedName;
  if (!/^[A-Z][A-Z0-9_]*$/.test(name) || !/ANTHROPIC|CLAUDE/.test(name) || name.startsWith('GITHUB_')) return fallback;
  return name;
}

/** `NAME = ` / `NAME: ` / `"NAME": ` / `NAME := ` / `'NAME' => ` / `NAME=` / `ENV NAME ` / `["NAME"] = ` /
 * `setenv("NAME", `, each optionally with a type annotation, right before the literal on its line. */
const ASSIGNMENT_PATTERNS = [
  /\[\s*["']([A-Za-z_]\w*)["']\s*\]\s*=\s*$/,
  /\(\s*["']([A-Za-z_]\w*)["']\s*,\s*$/,
  /([A-Za-z_]\w*)\s*:\s*[^=:;,(){}]+?\s*=\s*$/,
  /([A-Za-z_]\w*)["']?\s*(?:=>|:=|\?\?=|\|\|=|=|:)\s*$/,
  /^\s*ENV\s+([A-Za-z_]\w*)\s+$/i,
];

/** The name the key at `keyStart` is assigned to on its line, if any (`const NAME = '…'`, `NAME: …`). */
export function assignedNameAt(text: string, keyStart: number): string | undefined {
  // Drop the literal's opening quote and prefix.
  const before = lineBefore(text, keyStart).replace(/(?:[rRbBuUfF@$]{0,2}(?:"""|'''|["'`]))$/, '');
  for (const pattern of ASSIGNMENT_PATTERNS) {
    const match = pattern.exec(before);
    if (match) return match[1];
  }
  return undefined;
}

/** The name without the prefix that makes a bundler inline it into browser code (`NEXT_PUBLIC_`, `VITE_`…, so
 * the Next.js public variant of ANTHROPIC_API_KEY becomes ANTHROPIC_API_KEY); undefined when it has none. */
export function renamePublicVariable(name: string): string | undefined {
  for (const { prefix } of PUBLIC_ENV_PREFIXES) {
    if (name.startsWith(prefix) && ENV_NAME.test(name.slice(prefix.length))) return name.slice(prefix.length);
  }
  return undefined;
}

/** Edits renaming every whole-word occurrence of a public variable in a text (source or .env) to its
 * server-only name; undefined when the name has no bundler prefix. */
export function renamePublicVariableEdits(text: string, name: string): FixPlan | undefined {
  const renamed = renamePublicVariable(name);
  if (!renamed) return undefined;
  const edits: TextEdit[] = [];
  const pattern = new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'g');
  for (const match of text.matchAll(pattern)) edits.push(replace(match.index, match.index + name.length, renamed));
  if (edits.length === 0) return undefined;
  return {
    edits,
    title: `Rename ${name} to ${renamed} (server-only)`,
    note: `Read ${renamed} only in server code; the browser must reach Anthropic through your server. Rename it in your env files and deployment settings too, and rotate the key if it has already shipped.`,
  };
}
