// Verify API Key: one request to the configured API for one key, the outcome recorded on a stored key and shown
// with the words that fit it (a live key found in a file is an emergency; an invalid stored key offers rotation).
// Rotate API Key uses the same check, quietly, for the new key.
import * as vscode from 'vscode';
import { keyHint } from '../../core/hint';
import { withVerification } from '../../core/keyMetadata';
import { isInsecureBaseUrl, verifyKey } from '../../core/verify';
import { readKeyVaultSettings } from '../settings';
import type { KeyCommandContext } from './context';
import { candidateFor, type Candidate } from './keyCandidates';
import { CONSOLE_KEYS_URL, displayUrl, statusLabel } from './texts';
import type { VerifyCommandResult, VerifyKeyArgs } from './types';

export async function verify(context: KeyCommandContext, args: VerifyKeyArgs): Promise<VerifyCommandResult> {
  const interactive = args.interactive !== false;
  const candidate = await candidateFor(context, args, interactive);
  if (!('key' in candidate)) return candidate;
  return check(context, candidate, interactive);
}

/** One request to the API for one key, after the base URL passed; the result is shown and returned. */
export async function check(context: KeyCommandContext, candidate: Candidate, interactive: boolean, options: { quiet?: boolean } = {}): Promise<VerifyCommandResult> {
  const hint = keyHint(candidate.key);
  const common = { source: candidate.source, hint, ...(candidate.name ? { name: candidate.name } : {}) };
  const blocked = await insecureBaseUrl(context, interactive);
  if (blocked) return { ...common, ok: false, reason: 'insecure-base-url', message: blocked };

  const settings = readKeyVaultSettings();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} ({1})…', candidate.label, hint) },
    () => verifyKey(candidate.key, { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, kind: candidate.kind }),
  );
  if (candidate.name) await context.vault.update(candidate.name, (record) => withVerification(record, result.status, new Date()));

  let message = vscode.l10n.t('{0} ({1}): {2}.', candidate.label, hint, statusLabel(result.status)) + ' ' + result.message;
  if (result.status === 'valid' && candidate.source === 'editor') {
    // A live key in a file is the emergency this extension exists for.
    message += ' ' + vscode.l10n.t('Anyone with a copy of this file can use it: revoke it in the Anthropic Console and store a new one in VS Code.');
  }
  const outcome: VerifyCommandResult = {
    ...common,
    ok: true,
    message,
    status: result.status,
    host: result.host,
    ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
    ...(result.requestId ? { requestId: result.requestId } : {}),
  };
  if (!options.quiet) showVerification(context, outcome);
  return outcome;
}

function showVerification(context: KeyCommandContext, outcome: VerifyCommandResult): void {
  const { status, source, name } = outcome;
  if (status === 'valid' && source === 'editor') {
    const openConsole = vscode.l10n.t('Open Console');
    void context.messages.error(outcome.message, openConsole).then((choice) => {
      if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
    });
    return;
  }
  if (status === 'valid') {
    void context.messages.info(outcome.message);
    return;
  }
  if (status === 'invalid' && source === 'stored' && name) {
    const rotate = vscode.l10n.t('Rotate API Key');
    void context.messages.error(outcome.message, rotate).then((choice) => {
      if (choice === rotate) void context.commands.rotate({ name });
    });
    return;
  }
  if (status === 'invalid' || status === 'no-permission' || status === 'billing' || status === 'not-found') void context.messages.error(outcome.message);
  else void context.messages.warn(outcome.message);
}

/** The message to show when the configured base URL would expose the key; undefined when it is fine. */
async function insecureBaseUrl(context: KeyCommandContext, interactive: boolean): Promise<string | undefined> {
  const { baseUrl } = readKeyVaultSettings();
  if (!isInsecureBaseUrl(baseUrl)) return undefined;
  const text = vscode.l10n.t(
    'The key was not sent: anthropicKeyHygiene.apiBaseUrl is {0}, which is not HTTPS, so the key could be read on the way. Use an https:// address (plain http is allowed only for localhost).',
    displayUrl(baseUrl),
  );
  if (!interactive) {
    void context.messages.warn(text);
    return text;
  }
  const openSettings = vscode.l10n.t('Open Settings');
  if ((await context.messages.ask(text, undefined, openSettings)) === openSettings) {
    void vscode.commands.executeCommand('workbench.action.openSettings', 'anthropicKeyHygiene.apiBaseUrl');
  }
  return text;
}
