// The per-text rules (hardcoded-key, client-exposed-key) as TextFindings, for the editor (strings) and the CLI
// (raw bytes). Messages show a key only as its hint; their texts and severities come from the registry (rules.ts,
// messages.ts).

import type { CredentialKind, CredentialMatch, TextFinding } from './findings';
import { findCredentials, findCredentialsInBuffer, type CredentialScanOptions } from './credentials';
import {
  bundlerForPrefix,
  findClientExposures,
  findClientExposuresInBuffer,
  mayReachBrowser,
  type ClientExposure,
} from './clientExposure';
import { classifyEnvFileName, type EnvFileClass, type EnvFileRule } from './envFiles';
import { keyHint } from './hint';
import { formatMessage, type Message } from './messages';
import { DEFAULT_VARIABLE, findingSeverity } from './rules';
import { withoutSuppressed } from './suppression';

export interface TextFindingOptions extends CredentialScanOptions {
  /** Base name or path of the file, when there is one: keys in env files and templates are judged differently. */
  fileName?: string;
  /** Report keys inside env files (`.env`, `.env.local`). Default false: an env file is where a key belongs, and
   * whether that file is git-ignored or tracked is what the env-file rules report. */
  reportKeysInEnvFiles?: boolean;
  /** The env-file rule the file itself is reported under, when the caller knows its git state: it decides what a
   * key message inside it advises (add it to .gitignore, or stop tracking it). */
  envFileRule?: EnvFileRule;
}

/** A TextFinding whose offsets are byte offsets into the scanned buffer (convert with positionsForByteOffsets). */
export type ByteOffsetFinding = TextFinding;

/** Findings in a text, ordered by start offset (UTF-16 units), suppressions applied. */
export function findTextFindings(text: string, options?: TextFindingOptions): TextFinding[] {
  const fileClass = envFileClass(options);
  const credentials = skipsKeys(options) ? [] : findCredentials(text, options);
  const findings = [
    ...credentialFindings(credentials, (start, end) => text.slice(start, end), fileClass, options?.envFileRule),
    ...(mayReachBrowser(options?.fileName) ? exposureFindings(findClientExposures(text), (start, end) => text.slice(start, end)) : []),
  ];
  return withoutSuppressed(text, findings.sort(byStart));
}

/**
 * Findings in raw file bytes, with byte offsets. Credentials and client exposures are found on the bytes themselves
 * (read as latin1 where text is needed: one character per byte, so offsets are byte offsets; every pattern is ASCII,
 * so UTF-8 text matches the same).
 */
export function findBufferFindings(buf: Buffer, options?: TextFindingOptions): ByteOffsetFinding[] {
  // Most files hold nothing: decide that with the byte scans alone, before any per-file name checks or arrays.
  const credentials = skipsKeys(options) ? [] : findCredentialsInBuffer(buf, options);
  const exposures = mayReachBrowser(options?.fileName) ? findClientExposuresInBuffer(buf) : [];
  if (credentials.length === 0 && exposures.length === 0) return [];
  const findings = [
    // The key alphabet is ASCII, so a token's latin1 decoding is its text.
    ...credentialFindings(credentials, (start, end) => buf.toString('latin1', start, end), envFileClass(options), options?.envFileRule),
    ...exposureFindings(exposures, (start, end) => buf.toString('latin1', start, end)),
  ];
  return withoutSuppressed(buf, findings.sort(byStart));
}

function byStart(a: TextFinding, b: TextFinding): number {
  return a.start - b.start;
}

function envFileClass(options: TextFindingOptions | undefined): EnvFileClass | undefined {
  return options?.fileName === undefined ? undefined : classifyEnvFileName(options.fileName);
}

/** Keys in an env file are left to the env-file rules unless asked for. The option is checked first: it settles
 * the CLI's every file without a look at the name. */
function skipsKeys(options: TextFindingOptions | undefined): boolean {
  return !options?.reportKeysInEnvFiles && envFileClass(options) === 'env';
}

function credentialFindings(
  matches: CredentialMatch[],
  tokenAt: (start: number, end: number) => string,
  fileClass: EnvFileClass | undefined,
  envRule: EnvFileRule | undefined,
): TextFinding[] {
  return matches.map(({ start, end, kind, confidence }) => {
    const hint = keyHint(tokenAt(start, end));
    const message = hardcodedKeyMessage(kind, confidence, hint, fileClass, envRule);
    return {
      ruleId: 'hardcoded-key',
      severity: findingSeverity('hardcoded-key', confidence, kind),
      start,
      end,
      message: formatMessage(message),
      messageId: message.id,
      messageArgs: message.args,
      credential: { kind, hint },
    };
  });
}

/**
 * What a hardcoded-key finding says, by where the key is: in code or prose (move it), in an env file (keep the
 * key, fix the file: the advice depends on whether git would commit it or already tracks it), or in a template
 * (replace it with a placeholder).
 */
export function hardcodedKeyMessage(
  kind: CredentialKind,
  confidence: 'high' | 'low',
  hint: string,
  fileClass?: EnvFileClass,
  envRule?: EnvFileRule,
): Message {
  if (fileClass === 'template') return { id: 'hardcoded-key.template', args: { kind, hint } };
  if (fileClass === 'env') {
    const id = envRule === 'tracked-env-file' ? 'hardcoded-key.env-file.tracked' : envRule === 'unignored-env-file' ? 'hardcoded-key.env-file.unignored' : 'hardcoded-key.env-file';
    return { id, args: { kind, hint } };
  }
  const variable = DEFAULT_VARIABLE[kind];
  if (confidence === 'high') return { id: 'hardcoded-key', args: { kind, hint, variable } };
  if (kind === 'api-key' || kind === 'admin-key') return { id: 'hardcoded-key.off-shape', args: { kind, hint, variable } };
  return { id: 'hardcoded-key.unpublished-shape', args: { kind, hint, variable } };
}

function exposureFindings(exposures: ClientExposure[], textAt: (start: number, end: number) => string): TextFinding[] {
  return exposures.map((exposure) => {
    const message = clientExposureMessage(exposure, textAt(exposure.start, exposure.end));
    return {
      ruleId: 'client-exposed-key',
      severity: findingSeverity('client-exposed-key'),
      start: exposure.start,
      end: exposure.end,
      message: formatMessage(message),
      messageId: message.id,
      messageArgs: message.args,
    };
  });
}

/** `matchedText` is the text of the exposure's range (the variable name, for 'public-env-prefix'). */
export function clientExposureMessage(exposure: ClientExposure, matchedText: string): Message {
  if (exposure.kind === 'dangerously-allow-browser') return { id: 'client-exposed-key.browser-opt-in', args: {} };
  return {
    id: 'client-exposed-key.public-prefix',
    args: {
      name: matchedText,
      prefix: exposure.detail,
      bundler: bundlerForPrefix(exposure.detail) ?? 'the bundler',
      serverName: renamedServerVariable(matchedText, exposure.detail),
    },
  };
}

/** The name without its bundler prefix (`NEXT_PUBLIC_X_KEY` → `X_KEY`): the server-only name to suggest. */
function renamedServerVariable(name: string, prefix: string): string {
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : 'ANTHROPIC_API_KEY';
}
