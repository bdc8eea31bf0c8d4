// Rotate API Key, in the docs' order: the new key is verified live before it replaces the stored one, and the
// user is reminded to revoke the old key (shown by its hint) in the Console.
import * as vscode from 'vscode';
import { keyHint } from '../../core/hint';
import { normaliseKey } from '../../core/keyInput';
import { stringArg, type KeyCommandContext } from './context';
import { kindOf } from './keyCandidates';
import { CONSOLE_KEYS_URL, keyProblem, kindLabel } from './texts';
import type { RotateKeyArgs, RotateKeyResult } from './types';
import { check } from './verify';

export async function rotate(context: KeyCommandContext, args: RotateKeyArgs): Promise<RotateKeyResult> {
  const interactive = args.interactive !== false;
  const picked = await context.pickStoredName(args.name, interactive, vscode.l10n.t('Which key do you want to rotate?'));
  if (!('name' in picked)) return picked;
  const record = context.vault.get(picked.name)!;
  const name = record.name;
  const oldHint = record.hint;
  const common = { name, oldHint };
  const oldSecret = await context.vault.getSecret(name);

  const pasted =
    stringArg(args.newKey) ??
    (interactive
      ? await vscode.window.showInputBox({
          title: vscode.l10n.t('Rotate {0}', name),
          prompt: vscode.l10n.t(
            'First create a new key in the Anthropic Console, then paste it here. It is checked against the API before it replaces the current key ({0}), which stays stored until then.',
            oldHint,
          ),
          placeHolder: 'sk-ant-api03-…',
          password: true,
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
        })
      : undefined);
  const unchanged = vscode.l10n.t('{0} still holds the current key ({1}).', name, oldHint);
  if (pasted === undefined) return { ...common, ...context.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('Nothing was rotated.') + ' ' + unchanged, false) };

  const normalised = normaliseKey(pasted);
  if (!normalised.ok) return { ...common, ...context.fail('rejected-key', vscode.l10n.t('The new key was not used. {0}', keyProblem(normalised)!) + ' ' + unchanged) };
  const newHint = keyHint(normalised.key);
  if (normalised.key === oldSecret) {
    return { ...common, newHint, ...context.fail('same-key', vscode.l10n.t('That is the key {0} already holds. Create a new key in the Anthropic Console first.', name)) };
  }
  const oldKind = oldSecret ? kindOf(oldSecret) : undefined;
  if (oldKind && oldKind !== normalised.kind) {
    return {
      ...common,
      newHint,
      ...context.fail('kind-mismatch', vscode.l10n.t('The new key is {0}, but {1} holds {2}. Rotate a key with a key of the same kind.', kindLabel(normalised.kind), name, kindLabel(oldKind)) + ' ' + unchanged),
    };
  }

  // The docs' order: the new key must be proven live before the old one is let go.
  const verification = await check(context, { key: normalised.key, kind: normalised.kind, source: 'argument', label: vscode.l10n.t('The new key for {0}', name) }, interactive, { quiet: true });
  if (verification.status !== 'valid') {
    const reason = verification.reason ?? 'new-key-not-valid';
    return { ...common, newHint, verification, ...context.fail(reason, vscode.l10n.t('{0} was not rotated.', name) + ' ' + verification.message + ' ' + unchanged) };
  }

  const now = new Date().toISOString();
  const stored = await context.vault.store({ ...record, hint: newHint, storedAt: now, lastVerifiedAt: now, lastResult: 'valid' }, normalised.key);
  if (!stored.ok) {
    return { ...common, newHint, verification, ...context.fail('storage-failed', vscode.l10n.t('The new key for {0} is live but could not be stored: {1}', name, stored.error) + ' ' + unchanged) };
  }
  await context.terminals.refresh();

  let message = vscode.l10n.t(
    '{0} now holds the new key ({1}), verified live. Now revoke the old key {2} in the Anthropic Console: until then it still works for anyone who has a copy.',
    name,
    newHint,
    oldHint,
  );
  if (context.terminals.enabled) message += ' ' + vscode.l10n.t('New terminals get the new key; close terminals opened before.');
  const openConsole = vscode.l10n.t('Open Console');
  void context.messages.warn(message, openConsole).then((choice) => {
    if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
  });
  return { ...common, ok: true, message, newHint, verification };
}
