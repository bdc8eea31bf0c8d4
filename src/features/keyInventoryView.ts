// The Anthropic Keys view (Explorer): every key of the inventory with name, workspace, status, age, expiry
// ("never expires" flagged), creator, and whether it is stored here, found in this workspace's files, or in git
// history, matched by hint. Refresh is on demand (the view's button); without an Admin key the view lists the keys
// stored here and found in files, and says how to see the organisation's.
//
// The tree holds hints and metadata only; nothing in it can show a key.
import * as vscode from 'vscode';
import { EXPIRY_WARNING_DAYS, type InventoryEntry } from '../core/admin/inventory';
import { statusWord, type KeyInventory } from './keyInventory';
import type { KeyVault } from './keyVault';

export const KEYS_VIEW_ID = 'anthropicKeyHygiene.keys';

/** One row: a key, a place a key was found, or a line of explanation. */
export type KeyTreeNode =
  | { kind: 'key'; entry: InventoryEntry }
  | { kind: 'place'; file: string; line: number }
  | { kind: 'note'; text: string; command?: vscode.Command; icon: string };

export class KeyTreeProvider implements vscode.TreeDataProvider<KeyTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<KeyTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly inventory: KeyInventory,
    private readonly vault: KeyVault,
  ) {
    this.subscription = inventory.onDidChange(() => this.changeEmitter.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  getChildren(node?: KeyTreeNode): KeyTreeNode[] {
    if (node?.kind === 'key') return node.entry.foundIn.map(({ file, line }) => ({ kind: 'place', file, line }));
    if (node) return [];
    const notes: KeyTreeNode[] = [];
    if (!this.vault.hasAdminKey()) {
      notes.push({
        kind: 'note',
        icon: 'info',
        text: vscode.l10n.t('No Admin key stored: showing keys stored here and found in files. Store an Admin key to see the organization’s keys.'),
        command: { command: 'anthropicKeyHygiene.storeKey', title: vscode.l10n.t('Store API Key'), arguments: [{ name: 'ANTHROPIC_ADMIN_KEY' }] },
      });
    } else if (this.inventory.lastFailure) {
      notes.push({ kind: 'note', icon: 'error', text: this.inventory.lastFailure, command: { command: 'anthropicKeyHygiene.refreshKeys', title: vscode.l10n.t('Refresh') } });
    } else if (!this.inventory.organizationReadAt) {
      notes.push({ kind: 'note', icon: 'refresh', text: vscode.l10n.t('Refresh to read the organization’s keys with the stored Admin key.'), command: { command: 'anthropicKeyHygiene.refreshKeys', title: vscode.l10n.t('Refresh') } });
    }
    return [...notes, ...this.inventory.entries.map((entry): KeyTreeNode => ({ kind: 'key', entry }))];
  }

  getTreeItem(node: KeyTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'note': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.text;
        if (node.command) item.command = node.command;
        item.contextValue = 'note';
        return item;
      }
      case 'place': {
        const item = new vscode.TreeItem(`${node.file}:${node.line + 1}`);
        item.iconPath = new vscode.ThemeIcon('file-code');
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (folder) {
          const uri = vscode.Uri.joinPath(folder.uri, node.file);
          item.resourceUri = uri;
          item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri, { selection: new vscode.Range(node.line, 0, node.line, 0) }] };
        }
        item.contextValue = 'place';
        return item;
      }
      case 'key':
        return keyItem(node.entry);
    }
  }
}

function keyItem(entry: InventoryEntry): vscode.TreeItem {
  const org = entry.organization;
  const label = org?.name || entry.storedAs[0] || entry.hint || vscode.l10n.t('(no hint)');
  const item = new vscode.TreeItem(label, entry.foundIn.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = org ? `org:${org.id}` : `local:${entry.hint}`;
  const parts: string[] = [];
  if (entry.hint) parts.push(entry.hint);
  if (org) parts.push(statusWord(org.status));
  if (org?.workspaceName ?? org?.workspaceId) parts.push(org.workspaceName ?? org.workspaceId!);
  if (org?.ageDays !== undefined) parts.push(vscode.l10n.t('{0} days old', org.ageDays));
  if (org?.neverExpires) parts.push(vscode.l10n.t('never expires'));
  else if (org?.expiresInDays !== undefined) parts.push(org.expiresInDays < 0 ? vscode.l10n.t('expired') : vscode.l10n.t('expires in {0} days', org.expiresInDays));
  if (entry.storedAs.length > 0) parts.push(vscode.l10n.t('stored here'));
  if (entry.foundIn.length > 0) parts.push(vscode.l10n.t('in {0} file(s)', entry.foundIn.length));
  item.description = parts.join(' · ');
  item.tooltip = tooltip(entry);
  const leaked = entry.foundIn.length > 0;
  const active = org?.status === 'active';
  item.iconPath = new vscode.ThemeIcon(
    !org ? 'key' : leaked && active ? 'warning' : active ? 'pass' : 'circle-slash',
    leaked && active ? new vscode.ThemeColor('list.errorForeground') : undefined,
  );
  // Menus key on this: the status commands are offered where they can work.
  item.contextValue = org ? `orgKey-${org.status}${entry.ambiguous ? '-ambiguous' : ''}` : 'localKey';
  return item;
}

function tooltip(entry: InventoryEntry): vscode.MarkdownString {
  const org = entry.organization;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`**${label}:** ${escapeMarkdown(value)}  `);
  if (org) {
    row(vscode.l10n.t('Name'), org.name);
    row(vscode.l10n.t('Status'), statusWord(org.status));
    row(vscode.l10n.t('Workspace'), org.workspaceName ? `${org.workspaceName} (${org.workspaceId})` : (org.workspaceId ?? vscode.l10n.t('the organization')));
    row(vscode.l10n.t('Created'), `${org.createdAt.slice(0, 10)}${org.ageDays !== undefined ? ` (${vscode.l10n.t('{0} days ago', org.ageDays)})` : ''}`);
    row(vscode.l10n.t('Created by'), org.creatorName ? `${org.creatorName} (${org.creatorId})` : (org.creatorId ?? vscode.l10n.t('not recorded')));
    if (org.neverExpires) row(vscode.l10n.t('Expires'), vscode.l10n.t('never — consider a key that expires'));
    else row(vscode.l10n.t('Expires'), `${org.expiresAt?.slice(0, 10)}${org.expiresInDays !== undefined && org.expiresInDays <= EXPIRY_WARNING_DAYS ? ` ⚠ ${vscode.l10n.t('in {0} days', org.expiresInDays)}` : ''}`);
    row('ID', org.id);
  } else {
    lines.push(escapeMarkdown(vscode.l10n.t('Not in the organization the Admin key reads (or no Admin key is stored).')) + '  ');
  }
  if (entry.hint) row(vscode.l10n.t('Hint'), entry.hint);
  row(vscode.l10n.t('Stored in VS Code'), entry.storedAs.length > 0 ? entry.storedAs.join(', ') : vscode.l10n.t('no'));
  row(vscode.l10n.t('In this workspace’s files'), entry.foundIn.length > 0 ? entry.foundIn.map(({ file, line }) => `${file}:${line + 1}`).join(', ') : vscode.l10n.t('no'));
  row(vscode.l10n.t('In git history'), entry.inHistory === undefined ? vscode.l10n.t('not scanned') : entry.inHistory ? vscode.l10n.t('yes') : vscode.l10n.t('no'));
  if (entry.ambiguous) lines.push(escapeMarkdown(vscode.l10n.t('Another key of the organization has the same hint: which one a key found here is cannot be told.')));
  return new vscode.MarkdownString(lines.join('\n'));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** What a row of the view shows, as text: for the integration tests (which cannot read the tree's DOM). */
export interface RenderedRow {
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  icon: string;
}

export function registerKeyInventoryView(inventory: KeyInventory, vault: KeyVault): vscode.Disposable & { rows(): RenderedRow[] } {
  const provider = new KeyTreeProvider(inventory, vault);
  const view = vscode.window.createTreeView(KEYS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: false });
  const disposable = vscode.Disposable.from(
    provider,
    view,
    view.onDidChangeVisibility((event) => inventory.setViewVisible(event.visible)),
  );
  inventory.setViewVisible(view.visible);
  return {
    dispose: () => disposable.dispose(),
    rows: () =>
      provider.getChildren().map((node) => {
        const item = provider.getTreeItem(node);
        const text = (value: string | vscode.TreeItemLabel | vscode.MarkdownString | undefined) =>
          typeof value === 'string' ? value : value && 'value' in value ? value.value : value && 'label' in value ? value.label : '';
        return {
          label: text(item.label),
          description: typeof item.description === 'string' ? item.description : '',
          tooltip: text(item.tooltip),
          contextValue: item.contextValue ?? '',
          icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '',
        };
      }),
  };
}
