// The per-text rules (hardcoded-key, client-exposed-key) as TextFindings, for the editor (strings) and the CLI
// (raw bytes). Messages show a key only as its hint; their texts and severities come from the registry (rules.ts,
// messages.ts).

import type { CredentialKind, CredentialMatch, KeyEncoding, TextFinding } from './findings';
import { classifyAgentFile, mentionsMcpServers, type AgentFileKind } from './agentFiles';
import type { CredentialScanOptions } from './credentials';
import {
  bundlerForPrefix,
  findClientExposures,
  findClientExposuresInBuffer,
  mayReachBrowser,
  type ClientExposure,
} from './clientExposure';
import { classifyEnvFileName, type EnvFileClass, type EnvFileRule } from './envFiles';
import { keyHint } from './hint';
import { keyDigest } from './keyDigest';
import { findKeyForms, findKeyFormsInBuffer } from './keyForms';
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
  const credentials = skipsKeys(options) ? [] : findKeyForms(text, options);
  const exposures = mayReachBrowser(options?.fileName) ? findClientExposures(text) : [];
  if (credentials.length === 0 && exposures.length === 0) return [];
  const findings = [
    ...credentialFindings(credentials, (start, end) => text.slice(start, end), placeOf(options, () => mentionsMcpServers(text))),
    ...exposureFindings(exposures, (start, end) => text.slice(start, end)),
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
  const credentials = skipsKeys(options) ? [] : findKeyFormsInBuffer(buf, options);
  const exposures = mayReachBrowser(options?.fileName) ? findClientExposuresInBuffer(buf) : [];
  if (credentials.length === 0 && exposures.length === 0) return [];
  const findings = [
    // The key alphabet is ASCII, so a token's latin1 decoding is its text.
    ...credentialFindings(credentials, (start, end) => buf.toString('latin1', start, end), placeOf(options, () => mentionsMcpServers(buf))),
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

/** Where a key was found, as far as its message is concerned. */
export interface KeyPlace {
  fileClass?: EnvFileClass;
  envRule?: EnvFileRule;
  agentFile?: AgentFileKind;
}

/** The place of the keys of one file (the MCP check reads the text, so it runs only when there is a key). */
function placeOf(options: TextFindingOptions | undefined, mentionsMcp: () => boolean): KeyPlace {
  const fileName = options?.fileName;
  if (fileName === undefined) return {};
  return { fileClass: classifyEnvFileName(fileName), envRule: options?.envFileRule, agentFile: classifyAgentFile(fileName, mentionsMcp) };
}

function credentialFindings(matches: CredentialMatch[], tokenAt: (start: number, end: number) => string, place: KeyPlace): TextFinding[] {
  return matches.map(({ start, end, kind, confidence, encoding, key }) => {
    // The key itself (a split or encoded key's decoded form): its hint, and its digest for baselines.
    const whole = key ?? tokenAt(start, end);
    const hint = keyHint(whole);
    // Claude Code's credential store holds nothing but credentials: every token in it is certain.
    const certain = place.agentFile === 'claude-credentials' ? 'high' : confidence;
    const message = hardcodedKeyMessage(kind, certain, hint, place, encoding);
    return {
      ruleId: 'hardcoded-key',
      // A key in another form is a warning whatever the key: the range is its encoding, which no fix rewrites.
      severity: encoding ? 'warning' : findingSeverity('hardcoded-key', certain, kind),
      start,
      end,
      message: formatMessage(message),
      messageId: message.id,
      messageArgs: message.args,
      credential: encoding ? { kind, hint, encoding, digest: keyDigest(whole) } : { kind, hint, digest: keyDigest(whole) },
    };
  });
}

/**
 * What a hardcoded-key finding says, by how and where the key is: in another form (base64, split: say so), in an
 * agent's settings (say why that file is special), in code or prose (move it), in an env file (keep the key, fix the
 * file: the advice depends on whether git would commit it or already tracks it), or in a template (replace it with a
 * placeholder).
 */
export function hardcodedKeyMessage(
  kind: CredentialKind,
  confidence: 'high' | 'low',
  hint: string,
  place: KeyPlace = {},
  encoding?: KeyEncoding,
): Message {
  const { fileClass, envRule, agentFile } = place;
  const variable = DEFAULT_VARIABLE[kind];
  if (encoding === 'base64') return { id: 'hardcoded-key.base64', args: { kind, hint } };
  if (encoding === 'split') return { id: 'hardcoded-key.split', args: { kind, hint, variable } };
  if (agentFile === 'claude-credentials') return { id: 'hardcoded-key.claude-credentials', args: { kind, hint } };
  if (agentFile === 'claude-settings') return { id: 'hardcoded-key.claude-settings', args: { kind, hint } };
  if (agentFile === 'claude-local-settings') return { id: 'hardcoded-key.claude-local-settings', args: { kind, hint } };
  if (agentFile === 'mcp-config') return { id: 'hardcoded-key.mcp-config', args: { kind, hint, variable } };
  if (fileClass === 'template') return { id: 'hardcoded-key.template', args: { kind, hint } };
  if (fileClass === 'env') {
    const id = envRule === 'tracked-env-file' ? 'hardcoded-key.env-file.tracked' : envRule === 'unignored-env-file' ? 'hardcoded-key.env-file.unignored' : 'hardcoded-key.env-file';
    return { id, args: { kind, hint } };
  }
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
