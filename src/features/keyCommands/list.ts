// List API Keys: the stored keys with hints, environments, ages and last results; interactively, a picker that
// leads to Verify, Rotate or Remove for the key picked.
import * as vscode from 'vscode';
import { isRotationDue, keyAgeDays } from '../../core/keyMetadata';
import { readKeyVaultSettings } from '../settings';
import type { KeyCommandContext } from './context';
import { environmentLabel, listDetail } from './texts';
import type { CommonArgs, ListKeysResult, ListedKey } from './types';

export async function list(context: KeyCommandContext, args: CommonArgs): Promise<ListKeysResult> {
  const interactive = args.interactive !== false;
  const now = new Date();
  const days = readKeyVaultSettings().rotationReminderDays;
  const keys: ListedKey[] = [];
  for (const record of context.vault.list()) {
    keys.push({
      ...record,
      ageDays: keyAgeDays(record, now),
      rotationDue: isRotationDue(record, days, now),
      secretPresent: (await context.vault.getSecret(record.name)) !== undefined,
    });
  }
  const message = keys.length === 0 ? vscode.l10n.t('No Anthropic key is stored in VS Code.') : vscode.l10n.t('{0} Anthropic key(s) stored in VS Code.', keys.length);
  if (!interactive) return { ok: true, message, keys };

  if (keys.length === 0) {
    const store = vscode.l10n.t('Store API Key');
    void context.messages.info(message, store).then((choice) => {
      if (choice === store) void context.commands.store({});
    });
    return { ok: true, message, keys };
  }
  const picked = await vscode.window.showQuickPick(
    keys.map((key) => ({ label: `${key.rotationDue || !key.secretPresent ? '$(warning)' : '$(key)'} ${key.name}`, description: `${key.hint} · ${environmentLabel(key.environment)}`, detail: listDetail(key), key })),
    { title: vscode.l10n.t('Stored Anthropic Keys'), placeHolder: vscode.l10n.t('Pick a key to verify, rotate or remove it') },
  );
  if (picked) {
    const actions = [
      { label: vscode.l10n.t('Verify'), run: () => context.commands.verify({ name: picked.key.name }) },
      { label: vscode.l10n.t('Rotate'), run: () => context.commands.rotate({ name: picked.key.name }) },
      { label: vscode.l10n.t('Remove'), run: () => context.commands.remove({ name: picked.key.name }) },
    ];
    const action = await vscode.window.showQuickPick(actions, { title: `${picked.key.name} (${picked.key.hint})` });
    if (action) await action.run();
  }
  return { ok: true, message, keys };
}
