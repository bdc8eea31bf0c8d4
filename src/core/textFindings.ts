// The per-text rules (hardcoded-key, client-exposed-key) as TextFindings, for the editor (strings) and the CLI
// (raw bytes). Messages show a key only as its hint.

import type { CredentialKind, CredentialMatch, TextFinding } from './findings';
import { findCredentials, findCredentialsInBuffer, type CredentialScanOptions } from './credentials';
import {
  bundlerForPrefix,
  findClientExposures,
  findClientExposuresInBuffer,
  mayReachBrowser,
  type ClientExposure,
} from './clientExposure';
import { classifyEnvFileName, type EnvFileClass } from './envFiles';
import { keyHint } from './hint';
import { withoutSuppressed } from './suppression';

export interface TextFindingOptions extends CredentialScanOptions {
  /** Base name or path of the file, when there is one: keys in env files and templates are judged differently. */
  fileName?: string;
  /** Report keys inside env files (`.env`, `.env.local`). Default false: an env file is where a key belongs, and
   * whether that file is git-ignored or tracked is what the env-file rules report. */
  reportKeysInEnvFiles?: boolean;
}

/** A TextFinding whose offsets are byte offsets into the scanned buffer (convert with positionsForByteOffsets). */
export type ByteOffsetFinding = TextFinding;

/** Findings in a text, ordered by start offset (UTF-16 units), suppressions applied. */
export function findTextFindings(text: string, options?: TextFindingOptions): TextFinding[] {
  const fileClass = envFileClass(options);
  const credentials = skipsKeys(options) ? [] : findCredentials(text, options);
  const findings = [
    ...credentialFindings(credentials, (start, end) => text.slice(start, end), fileClass),
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
    ...credentialFindings(credentials, (start, end) => buf.toString('latin1', start, end), envFileClass(options)),
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
): TextFinding[] {
  return matches.map(({ start, end, kind, confidence }) => {
    const hint = keyHint(tokenAt(start, end));
    return {
      ruleId: 'hardcoded-key',
      severity: confidence === 'high' ? 'error' : 'warning',
      start,
      end,
      message:
        fileClass === 'template'
          ? templateKeyMessage(kind, hint)
          : fileClass === 'env'
            ? envFileKeyMessage(kind, confidence, hint)
            : hardcodedKeyMessage(kind, confidence, hint),
      credential: { kind, hint },
    };
  });
}

const KIND_LABEL: Record<CredentialKind, string> = {
  'api-key': 'Anthropic API key',
  'admin-key': 'Anthropic Admin API key',
  'oauth-access-token': 'Anthropic OAuth access token',
  'oauth-refresh-token': 'Anthropic OAuth refresh token',
  'session-key': 'Anthropic session key',
  'other-token': 'Anthropic credential',
};

/** Where each kind is conventionally read from (the SDKs' and Claude Code's variable names). */
const KIND_ENV_VARIABLE: Partial<Record<CredentialKind, string>> = {
  'api-key': 'ANTHROPIC_API_KEY',
  'admin-key': 'ANTHROPIC_ADMIN_KEY',
  'oauth-access-token': 'CLAUDE_CODE_OAUTH_TOKEN',
};

export function hardcodedKeyMessage(kind: CredentialKind, confidence: 'high' | 'low', hint: string): string {
  const label = KIND_LABEL[kind];
  const variable = KIND_ENV_VARIABLE[kind];
  const move = variable
    ? `Move it to a git-ignored .env file or Secret Storage and read it from ${variable}.`
    : 'Move it to a git-ignored .env file or Secret Storage and read it from the environment.';
  if (confidence === 'high') return `Hardcoded ${label} ${hint}. ${move}`;
  if (kind === 'api-key' || kind === 'admin-key') {
    return (
      `Possible hardcoded ${label} ${hint}: it has the key prefix but not the published format (93 characters, ` +
      `then AA): it runs on past the key or was altered, or it is a false positive. If it is real, ${lowerFirst(move)}`
    );
  }
  return (
    `Possible hardcoded ${label} ${hint}. Anthropic does not publish the length of these tokens, so it is matched ` +
    `by shape and may be a false positive. If it is real, ${lowerFirst(move)}`
  );
}

/**
 * A key in an env file is reported when git would commit the file (or already tracks it), or with --no-gitignore: the key is where it
 * belongs, the file is not, so the advice is about the file rather than "move it to a .env file".
 */
export function envFileKeyMessage(kind: CredentialKind, confidence: 'high' | 'low', hint: string): string {
  return (
    `${confidence === 'high' ? '' : 'Possible '}${KIND_LABEL[kind]} ${hint} in an env file. Keep the key here but the ` +
    `file out of git: add it to .gitignore (and git rm --cached it if git tracks it), and revoke ` +
    `the key in the Anthropic Console if the file was ever committed.`
  );
}

export function templateKeyMessage(kind: CredentialKind, hint: string): string {
  return (
    `${KIND_LABEL[kind]} ${hint} in an env template. Templates are committed and shared: replace the value with a ` +
    `placeholder, and revoke the key in the Anthropic Console if this file was ever committed.`
  );
}

function lowerFirst(sentence: string): string {
  return sentence[0].toLowerCase() + sentence.slice(1);
}

function exposureFindings(exposures: ClientExposure[], textAt: (start: number, end: number) => string): TextFinding[] {
  return exposures.map((exposure) => ({
    ruleId: 'client-exposed-key',
    severity: 'warning',
    start: exposure.start,
    end: exposure.end,
    message: clientExposureMessage(exposure, textAt(exposure.start, exposure.end)),
  }));
}

/** `matchedText` is the text of the exposure's range (the variable name, for 'public-env-prefix'). */
export function clientExposureMessage(exposure: ClientExposure, matchedText: string): string {
  if (exposure.kind === 'dangerously-allow-browser') {
    return (
      'This Anthropic client is created with dangerouslyAllowBrowser: true, so its API key is sent from the ' +
      'browser, where anyone can read it. Call Anthropic from your server or a backend proxy and keep the key there.'
    );
  }
  const bundler = bundlerForPrefix(exposure.detail) ?? 'the bundler';
  return (
    `${matchedText} has the ${exposure.detail} prefix, so ${bundler} exposes its value to browser code, where ` +
    `anyone can read the key. Rename it to a server-only name such as ANTHROPIC_API_KEY, read it only in server ` +
    `code, and rotate the key if it has already shipped.`
  );
}
