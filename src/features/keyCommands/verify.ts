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
  if (context.fromBrowser && interactive && !context.browserChecksConfirmed) {
    if (!(await confirmBrowserCheck(context, candidate, hint, hostOf(settings.baseUrl)))) {
      return { ...common, ...context.fail('cancelled', vscode.l10n.t('Nothing was sent.'), false) };
    }
    context.browserChecksConfirmed = true;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} ({1})…', candidate.label, hint) },
    () => verifyKey(candidate.key, { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, kind: candidate.kind, fromBrowser: context.fromBrowser }),
  );
  if (candidate.name) await context.vault.update(candidate.name, (record) => withVerification(record, result.status, new Date()));

  let message = vscode.l10n.t('{0} ({1}): {2}.', candidate.label, hint, statusLabel(result.status)) + ' ' + result.message;
  if (context.fromBrowser) message += ' ' + vscode.l10n.t('(Checked from this browser, with the header anthropic-dangerous-direct-browser-access.)');
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

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * In the web build, before the first check of the window: where the key goes and why the browser header is sent with
 * it. The API serves a browser only when the request says the key is exposed to the page (the SDK's
 * dangerouslyAllowBrowser); that is what client-exposed-key flags in application code, and is acceptable here, where
 * the key is the user's own, sent from their own browser to check it.
 */
async function confirmBrowserCheck(context: KeyCommandContext, candidate: Candidate, hint: string, host: string): Promise<boolean> {
  const check = vscode.l10n.t('Check the Key');
  const answer = await context.messages.ask(
    vscode.l10n.t('Check {0} ({1}) from this browser?', candidate.label, hint),
    vscode.l10n.t(
      'VS Code for the Web sends the check from your browser straight to {0}. The Anthropic API answers a browser only when the request carries the header anthropic-dangerous-direct-browser-access, which says that the key is visible to the page sending it: that is why a key read by a web application is flagged (client-exposed-key), as everyone who loads the application gets it. Here the key is your own, sent once from your own browser to check it, so the header is acceptable and is sent.',
      host,
    ),
    check,
  );
  return answer === check;
}
