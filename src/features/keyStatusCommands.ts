// Refresh Keys, Deactivate Key, Reactivate Key, Archive Key: the organisation's key statuses through the Admin API.
//
// Decisions:
// - Deactivating is reversible, so one modal confirmation that names the key (name, hint, workspace) and says what
//   stops working: every program, server and CI job that uses it. Archiving cannot be undone, so it is offered
//   separately, with its own modal and then the key's name to type; from a script, `confirm: true` and
//   `typedName` equal to the key's name.
// - A change whose answer was lost is read back before anything is said; the view shows the record the API
//   returned, not what was asked for.
// - The same argument rule as the key vault's commands: `interactive: false` never asks, and a missing answer is
//   "no". The target is `id` (an organisation key), or `hint` (a key found in a file: refused when two
//   organisation keys share the hint), or the tree row the command was run on.
import * as vscode from 'vscode';
import type { AdminApi } from '../core/admin/adminApi';
import type { OrgApiKey, SettableStatus } from '../core/admin/records';
import { adminApiFor, describeLeakRecord, statusWord, type KeyInventory } from './keyInventory';
import type { KeyTreeNode } from './keyInventoryView';
import type { KeyMessages } from './keyCommands';
import type { KeyVault } from './keyVault';

export interface KeyStatusArgs {
  id?: string;
  hint?: string;
  /** true: do it without the confirmation dialog. */
  confirm?: boolean;
  /** Archive only: the key's name, typed, as the stronger confirmation. */
  typedName?: string;
  interactive?: boolean;
}

export type KeyStatusFailure = 'no-admin-key' | 'unknown-key' | 'ambiguous' | 'cancelled' | 'missing-argument' | 'not-allowed' | 'request-failed';

export interface KeyStatusResult {
  ok: boolean;
  reason?: KeyStatusFailure;
  message: string;
  id?: string;
  name?: string;
  hint?: string;
  status?: string;
}

export interface RefreshKeysResult {
  ok: boolean;
  reason?: string;
  message: string;
  keys: number;
}

interface Dependencies {
  vault: KeyVault;
  inventory: KeyInventory;
  messages: KeyMessages;
}

export function registerKeyStatusCommands(dependencies: Dependencies): vscode.Disposable {
  const run = (status: SettableStatus) => (arg?: unknown) => setStatus(dependencies, status, argsOf(arg));
  return vscode.Disposable.from(
    vscode.commands.registerCommand('anthropicKeyHygiene.refreshKeys', (arg?: unknown) => refreshKeys(dependencies, argsOf(arg))),
    vscode.commands.registerCommand('anthropicKeyHygiene.deactivateKey', run('inactive')),
    vscode.commands.registerCommand('anthropicKeyHygiene.reactivateKey', run('active')),
    vscode.commands.registerCommand('anthropicKeyHygiene.archiveKey', run('archived')),
  );
}

/** A plain argument object, or the tree row a view menu passes. */
function argsOf(value: unknown): KeyStatusArgs {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const node = value as KeyTreeNode;
  if (node.kind === 'key') return node.entry.organization ? { id: node.entry.organization.id } : node.entry.hint ? { hint: node.entry.hint } : {};
  return value as KeyStatusArgs;
}

async function refreshKeys({ inventory, messages }: Dependencies, args: KeyStatusArgs): Promise<RefreshKeysResult> {
  const outcome = await inventory.refresh();
  if (outcome.ok) {
    const message = vscode.l10n.t('Read {0} API key(s) of the organization with {1}.', outcome.keys, outcome.adminKey);
    return { ok: true, message, keys: outcome.keys };
  }
  if (outcome.reason !== 'no-admin-key' && args.interactive !== false) void messages.error(outcome.message);
  return { ok: false, reason: outcome.reason, message: outcome.message, keys: 0 };
}

async function setStatus({ vault, inventory, messages }: Dependencies, status: SettableStatus, args: KeyStatusArgs): Promise<KeyStatusResult> {
  const interactive = args.interactive !== false;
  const fail = (reason: KeyStatusFailure, message: string, show = true, extra: Partial<KeyStatusResult> = {}): KeyStatusResult => {
    if (show) void messages.error(message);
    return { ok: false, reason, message, ...extra };
  };
  const admin = await adminApiFor(vault);
  if (!admin) return fail('no-admin-key', vscode.l10n.t('Key statuses are changed through the Admin API: store an Admin key first (Store API Key, with a key that starts sk-ant-admin01-).'));
  if (!inventory.organizationReadAt) {
    const refreshed = await inventory.refresh();
    if (!refreshed.ok) return fail('request-failed', refreshed.message);
  }

  const target = await pickTarget(inventory, args, status, interactive);
  if ('reason' in target) return fail(target.reason, target.message, target.reason !== 'cancelled' && target.reason !== 'missing-argument');
  const key = target.key;
  const common = { id: key.id, name: key.name, ...(key.hint ? { hint: key.hint } : {}) };
  if (key.status === status) {
    const message = vscode.l10n.t("'{0}' ({1}) is already {2}.", key.name, key.hint ?? key.id, statusWord(status));
    void messages.info(message);
    return { ok: true, message, status, ...common };
  }
  if (key.status === 'archived' || key.status === 'expired') {
    return fail('not-allowed', vscode.l10n.t("'{0}' is {1}: its status cannot be changed any more.", key.name, statusWord(key.status)), true, common);
  }

  if (!(await confirmed(messages, inventory, key, status, args, interactive))) {
    return fail('cancelled', vscode.l10n.t("'{0}' was left {1}.", key.name, statusWord(key.status)), false, common);
  }

  const changed = await applyStatus(admin.api, key.id, status);
  if (!changed.ok) return fail('request-failed', changed.message, true, common);
  inventory.updateOrgKey(changed.record);
  const message =
    status === 'inactive'
      ? vscode.l10n.t("Deactivated '{0}' ({1}): requests with it now fail. Reactivate Key undoes this.", key.name, key.hint ?? key.id)
      : status === 'active'
        ? vscode.l10n.t("Reactivated '{0}' ({1}): it works again for anyone who has it.", key.name, key.hint ?? key.id)
        : vscode.l10n.t("Archived '{0}' ({1}). This cannot be undone.", key.name, key.hint ?? key.id);
  void messages.info(message);
  return { ok: true, message, status: changed.record.status, ...common };
}

/** Sets the status; when the answer was lost, reads the key back to learn what happened. */
async function applyStatus(api: AdminApi, id: string, status: SettableStatus): Promise<{ ok: true; record: OrgApiKey } | { ok: false; message: string }> {
  const changed = await api.setApiKeyStatus(id, status);
  if (changed.ok) return { ok: true, record: changed.value };
  if (!changed.outcomeUnknown) return { ok: false, message: changed.message };
  const reread = await api.getApiKey(id);
  if (reread.ok && reread.value.status === status) return { ok: true, record: reread.value };
  return { ok: false, message: reread.ok ? changed.message + ' ' + vscode.l10n.t('Read back: the key is still {0}.', statusWord(reread.value.status)) : changed.message + ' ' + reread.message };
}

async function pickTarget(
  inventory: KeyInventory,
  args: KeyStatusArgs,
  status: SettableStatus,
  interactive: boolean,
): Promise<{ key: OrgApiKey } | { reason: KeyStatusFailure; message: string }> {
  if (typeof args.id === 'string') {
    const key = inventory.orgKey(args.id);
    return key ? { key } : { reason: 'unknown-key', message: vscode.l10n.t('The organization has no API key {0} (as last read).', args.id) };
  }
  if (typeof args.hint === 'string') {
    const matches = inventory.entries.filter((entry) => entry.organization && entry.hint === args.hint);
    if (matches.length > 1) return { reason: 'ambiguous', message: vscode.l10n.t('Two keys of the organization have the hint {0}: pick the key by its id, in the Anthropic Keys view.', args.hint) };
    const key = matches[0]?.organization && inventory.orgKey(matches[0].organization.id);
    return key ? { key } : { reason: 'unknown-key', message: vscode.l10n.t('No key of the organization has the hint {0} (as last read).', args.hint) };
  }
  if (!interactive) return { reason: 'missing-argument', message: vscode.l10n.t('Say which key: its id or its hint.') };
  const eligible = inventory.entries.filter((entry) => entry.organization && entry.organization.status !== status && (entry.organization.status === 'active' || entry.organization.status === 'inactive'));
  const picked = await vscode.window.showQuickPick(
    eligible.map((entry) => ({
      label: entry.organization!.name,
      description: [entry.hint, statusWord(entry.organization!.status), entry.organization!.workspaceName].filter(Boolean).join(' · '),
      detail: entry.foundIn.length > 0 ? vscode.l10n.t('Found in {0}', entry.foundIn.map(({ file, line }) => `${file}:${line + 1}`).join(', ')) : undefined,
      id: entry.organization!.id,
    })),
    { placeHolder: vscode.l10n.t('Which key?'), ignoreFocusOut: true },
  );
  const key = picked && inventory.orgKey(picked.id);
  return key ? { key } : { reason: 'cancelled', message: vscode.l10n.t('Nothing was changed.') };
}

async function confirmed(messages: KeyMessages, inventory: KeyInventory, key: OrgApiKey, status: SettableStatus, args: KeyStatusArgs, interactive: boolean): Promise<boolean> {
  const record = key.hint ? inventory.recordForHint(key.hint) : undefined;
  const where = record ? describeLeakRecord(record) : '';
  if (status === 'archived') {
    if (args.confirm === true) return args.typedName === key.name;
    if (!interactive) return false;
    const archive = vscode.l10n.t('Archive…');
    const first = await messages.ask(
      vscode.l10n.t("Archive '{0}' ({1})? This cannot be undone.", key.name, key.hint ?? key.id),
      vscode.l10n.t('An archived key never works again and cannot be reactivated. Deactivate it instead if you may need it back. {0}', where).trim(),
      archive,
    );
    if (first !== archive) return false;
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Archive {0}', key.name),
      prompt: vscode.l10n.t("Type the key's name, {0}, to archive it for good.", key.name),
      ignoreFocusOut: true,
      validateInput: (value) => (value === key.name ? undefined : vscode.l10n.t('Type {0} exactly.', key.name)),
    });
    return typed === key.name;
  }
  if (args.confirm === true) return true;
  if (args.confirm === false || !interactive) return false;
  const entry = inventory.entries.find((candidate) => candidate.organization?.id === key.id);
  const places = entry
    ? [
        ...(entry.storedAs.length > 0 ? [vscode.l10n.t('It is stored in VS Code as {0}.', entry.storedAs.join(', '))] : []),
        ...(entry.foundIn.length > 0 ? [vscode.l10n.t('It is in {0}.', entry.foundIn.map(({ file, line }) => `${file}:${line + 1}`).join(', '))] : []),
      ].join(' ')
    : '';
  if (status === 'inactive') {
    const deactivate = vscode.l10n.t('Deactivate');
    const workspace = key.workspaceId ? (record?.workspaceName ?? key.workspaceId) : vscode.l10n.t('the organization');
    return (
      (await messages.ask(
        vscode.l10n.t("Deactivate '{0}' ({1}) in {2}?", key.name, key.hint ?? key.id, workspace),
        vscode.l10n.t('Every program, server and CI job that uses this key will get authentication errors until it is reactivated. {0}', places).trim(),
        deactivate,
      )) === deactivate
    );
  }
  const reactivate = vscode.l10n.t('Reactivate');
  return (
    (await messages.ask(
      vscode.l10n.t("Reactivate '{0}' ({1})?", key.name, key.hint ?? key.id),
      vscode.l10n.t('It will work again for anyone who has a copy. If it leaked, rotate it instead. {0}', places).trim(),
      reactivate,
    )) === reactivate
  );
}
