// `--verify`: a baselined key is accepted only while it is dead. The other complaint about secret scanners' baselines
// is that they accept a live key forever; here, when the user asks, every accepted API or Admin key is checked with
// one read-only request each (verify.ts, the product's one key check) and a live one fails the scan again.
//
// Decisions:
// - The finding carries the key's digest, not the key. The key is read again from the file, found with the engine's
//   own matcher and taken only if its digest is the finding's, so what is checked is exactly what was accepted, and a
//   file changed since the scan gives "unknown", never another key.
// - Each distinct key is checked once, however many files hold it; sequentially, as a handful of requests.
// - Live means the API recognised the key (200, or 402/403: recognised but refused); 401 means revoked. Anything else
//   (rate limit, server error, no network, an answer that is not the API's) is "unknown": the CLI says so and exits 2,
//   because a baseline that could not be checked must not pass as checked.
// - OAuth and session tokens cannot be checked this way (verify.ts checks API and Admin keys): said, not failed.
import { findCredentials, findCredentialsInBuffer } from './credentials';
import type { FileFinding } from './findings';
import { readRegularFile } from './fixes/safeFiles';
import { describeFsError } from './fsErrors';
import { keyDigest } from './keyDigest';
import { decodeUtf16, detectUtf16 } from './utf16';
import { verifyKey, type VerifyOptions, type VerifyResult } from './verify';

export type AcceptedKeyState = 'live' | 'revoked' | 'unknown' | 'not-checkable';

export interface AcceptedKeyCheck {
  finding: FileFinding;
  state: AcceptedKeyState;
  /** verify.ts's sentence, or why nothing was sent; never holds the key. */
  message: string;
}

export interface AcceptedKeyOptions extends Pick<VerifyOptions, 'baseUrl' | 'timeoutMs'> {
  /** The check itself; the tests pass none and use a local server through baseUrl. */
  verify?: (key: string, options: VerifyOptions) => Promise<VerifyResult>;
}

/** Checks the key of every hardcoded-key finding in `findings` (the accepted ones). Other findings are left out. */
export async function checkAcceptedKeys(findings: readonly FileFinding[], options: AcceptedKeyOptions = {}): Promise<AcceptedKeyCheck[]> {
  const verify = options.verify ?? verifyKey;
  const verdicts = new Map<string, { state: AcceptedKeyState; message: string }>();
  const checks: AcceptedKeyCheck[] = [];
  for (const finding of findings) {
    const credential = finding.credential;
    if (finding.ruleId !== 'hardcoded-key' || !credential) continue;
    if (credential.kind !== 'api-key' && credential.kind !== 'admin-key') {
      checks.push({ finding, state: 'not-checkable', message: `${credential.hint} is not an API or Admin key; only those can be checked` });
      continue;
    }
    const digest = credential.digest;
    const cached = digest !== undefined ? verdicts.get(digest) : undefined;
    if (cached) {
      checks.push({ finding, ...cached });
      continue;
    }
    const read = digest === undefined ? { error: 'the scan did not identify this key' } : await readAcceptedKey(finding.file, digest);
    let verdict: { state: AcceptedKeyState; message: string };
    if ('error' in read) verdict = { state: 'unknown', message: `${credential.hint} was not checked: ${read.error}` };
    else {
      const result = await verify(read.key, { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, kind: credential.kind });
      verdict = { state: stateOf(result), message: result.message };
    }
    if (digest !== undefined) verdicts.set(digest, verdict);
    checks.push({ finding, ...verdict });
  }
  return checks;
}

function stateOf(result: VerifyResult): AcceptedKeyState {
  switch (result.status) {
    case 'valid':
    case 'billing':
    case 'no-permission':
      return 'live';
    case 'invalid':
      return 'revoked';
    default:
      return 'unknown';
  }
}

/**
 * The key in `file` whose digest is `digest`, found with the engine's matcher (as ASCII, or in a UTF-16 text); an
 * error in words when the file cannot be read (a link, a folder, gone) or no longer holds that key.
 */
export async function readAcceptedKey(file: string, digest: string): Promise<{ key: string } | { error: string }> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(file);
  } catch (error) {
    return { error: `${describeFsError(error)}` };
  }
  if (bytes === undefined) return { error: 'the file is not in the working tree' };
  for (const match of findCredentialsInBuffer(bytes, { includeLowConfidence: true })) {
    const token = bytes.toString('latin1', match.start, match.end);
    if (keyDigest(token) === digest) return { key: token };
  }
  const utf16 = detectUtf16(bytes);
  if (utf16) {
    const text = decodeUtf16(bytes, utf16.order, utf16.textStart);
    for (const match of findCredentials(text, { includeLowConfidence: true })) {
      const token = text.slice(match.start, match.end);
      if (keyDigest(token) === digest) return { key: token };
    }
  }
  return { error: 'the file no longer holds that key (it changed after the scan)' };
}
