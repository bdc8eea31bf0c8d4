// Remove API Key: deletes a stored key after a confirmation that says the key stays live until revoked, and waits
// until new terminals no longer get it.
import * as vscode from 'vscode';
import type { KeyCommandContext } from './context';
import { CONSOLE_KEYS_URL } from './texts';
import type { RemoveKeyArgs, RemoveKeyResult } from './types';

export async function remove(context: KeyCommandContext, args: RemoveKeyArgs): Promise<RemoveKeyResult> {
  const interactive = args.interactive !== false;
  const name = await context.pickStoredName(args.name, interactive, vscode.l10n.t('Which key should be removed?'));
  if (!('name' in name)) return name;
  const record = context.vault.get(name.name)!;
  const common = { name: record.name, hint: record.hint };
  let confirmed = args.confirm === true;
  if (!confirmed && args.confirm === undefined && interactive) {
    const remove = vscode.l10n.t('Remove');
    confirmed =
      (await context.messages.ask(
        vscode.l10n.t('Remove {0} ({1}) from VS Code?', record.name, record.hint),
        vscode.l10n.t('This does not revoke the key: it stays live until you revoke it in the Anthropic Console.'),
        remove,
      )) === remove;
  }
  if (!confirmed) return { ...common, ...context.fail('cancelled', vscode.l10n.t('{0} was not removed.', record.name), false) };

  const removed = await context.vault.remove(record.name);
  if (!removed.ok) return { ...common, ...context.fail('storage-failed', vscode.l10n.t('{0} ({1}) could not be removed: {2}', record.name, record.hint, removed.error)) };
  // Wait for the terminals to drop it, so "removed" also means "no longer given to new terminals".
  await context.terminals.refresh();
  let message = vscode.l10n.t('Removed {0} ({1}) from VS Code. It stays live until you revoke it in the Anthropic Console.', record.name, record.hint);
  if (context.terminals.enabled) message += ' ' + vscode.l10n.t('New terminals no longer get it; terminals opened before keep it until closed.');
  const openConsole = vscode.l10n.t('Open Console');
  void context.messages.info(message, openConsole).then((choice) => {
    if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
  });
  return { ...common, ok: true, message };
}
