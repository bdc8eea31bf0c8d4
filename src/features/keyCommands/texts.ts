// The key vault's words: what a refused key, a refused name, a key's kind, an environment and a check's outcome
// are called in messages and pickers. Kept apart from the commands so every command says the same thing the
// same way, and localised here (vscode.l10n).
import * as vscode from 'vscode';
import type { CredentialKind } from '../../core/findings';
import { publishedKeyLength, type KeyNameRejection, type NormalisedKey, type TrimmedPart } from '../../core/keyInput';
import type { KeyEnvironment } from '../../core/keyMetadata';
import type { VerifyStatus } from '../../core/verify';
import type { ListedKey } from './types';

/** Where keys are created and revoked: the API cannot do either for an API key. */
export const CONSOLE_KEYS_URL = 'https://console.anthropic.com/settings/keys';

export function keyProblem(normalised: NormalisedKey): string | undefined {
  if (normalised.ok) return undefined;
  switch (normalised.reason) {
    case 'empty':
      return vscode.l10n.t('Nothing was entered.');
    case 'inner-whitespace':
      return vscode.l10n.t('The text has spaces or line breaks inside it. Paste exactly one key.');
    case 'not-anthropic':
      return vscode.l10n.t('This is not an Anthropic key: those start with sk-ant-.');
    case 'placeholder':
      return vscode.l10n.t('This is a placeholder from documentation or a template, not a real key.');
    case 'not-an-api-key':
      return vscode.l10n.t('This is {0}, not an API key. Only API keys and Admin keys can be stored and checked.', kindLabel(normalised.kind ?? 'other-token'));
    case 'malformed':
      return vscode.l10n.t(
        'This does not look like a whole key ({0} characters; API keys have {1}). It may have been cut off when copying: copy it again.',
        normalised.length ?? 0,
        publishedKeyLength('api-key'),
      );
  }
}

export function trimmedText(parts: TrimmedPart[]): string {
  const names = parts.map((part) => {
    switch (part) {
      case 'whitespace':
        return vscode.l10n.t('surrounding whitespace');
      case 'assignment':
        return vscode.l10n.t('the variable name before the key');
      case 'trailing-punctuation':
        return vscode.l10n.t('a trailing comma or semicolon');
      case 'quotes':
        return vscode.l10n.t('surrounding quotes');
    }
  });
  return vscode.l10n.t('Removed {0} from the pasted text.', names.join(', '));
}

export function nameText(problem: KeyNameRejection): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter a name, e.g. ANTHROPIC_API_KEY.');
    case 'invalid-characters':
      return vscode.l10n.t('A name may contain only letters, digits and underscores (it is used as an environment variable).');
    case 'starts-with-digit':
      return vscode.l10n.t('A name must not start with a digit (it is used as an environment variable).');
    case 'too-long':
      return vscode.l10n.t('A name may have at most 64 characters.');
    case 'reserved':
      return vscode.l10n.t('That name is a system environment variable; setting it in terminals would break them. Choose another.');
  }
}

export function kindLabel(kind: CredentialKind): string {
  switch (kind) {
    case 'api-key':
      return vscode.l10n.t('an API key');
    case 'admin-key':
      return vscode.l10n.t('an Admin key');
    case 'oauth-access-token':
      return vscode.l10n.t('an OAuth access token');
    case 'oauth-refresh-token':
      return vscode.l10n.t('an OAuth refresh token');
    case 'session-key':
      return vscode.l10n.t('a session key');
    case 'other-token':
      return vscode.l10n.t('an Anthropic token of an unknown kind');
  }
}

export function environmentLabel(environment: KeyEnvironment): string {
  switch (environment) {
    case 'development':
      return vscode.l10n.t('development');
    case 'staging':
      return vscode.l10n.t('staging');
    case 'production':
      return vscode.l10n.t('production');
  }
}

export function statusLabel(status: VerifyStatus): string {
  switch (status) {
    case 'valid':
      return vscode.l10n.t('live');
    case 'invalid':
      return vscode.l10n.t('invalid');
    case 'no-permission':
      return vscode.l10n.t('no permission');
    case 'billing':
      return vscode.l10n.t('billing problem');
    case 'not-found':
      return vscode.l10n.t('not confirmed (not found)');
    case 'rate-limited':
      return vscode.l10n.t('unknown (rate-limited)');
    case 'server-error':
      return vscode.l10n.t('unknown (server error)');
    case 'overloaded':
      return vscode.l10n.t('unknown (overloaded)');
    case 'unreachable':
      return vscode.l10n.t('unknown (unreachable)');
    case 'unexpected':
      return vscode.l10n.t('unknown (unexpected answer)');
  }
}

export function listDetail(key: ListedKey): string {
  const parts = [key.ageDays === 0 ? vscode.l10n.t('stored today') : vscode.l10n.t('stored {0} days ago', key.ageDays)];
  if (key.lastResult && key.lastVerifiedAt) parts.push(vscode.l10n.t('last check: {0} ({1})', statusLabel(key.lastResult), key.lastVerifiedAt.slice(0, 10)));
  else parts.push(vscode.l10n.t('never checked'));
  if (key.rotationDue) parts.push(vscode.l10n.t('due for rotation'));
  if (!key.secretPresent) parts.push(vscode.l10n.t('missing from the secret storage'));
  return parts.join(' · ');
}

/** The scheme and host of a URL, never a user name, password, path or query. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return vscode.l10n.t('not a valid URL');
  }
}
