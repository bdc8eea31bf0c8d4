// The status bar item: how many hardcoded keys the workspace holds; a click opens the Problems panel. Its colour
// follows the worst of them: the error background when a key of the published shape is among them, the warning
// background when they are all tokens of unpublished shape.
import * as vscode from 'vscode';

export interface KeyCount {
  total: number;
  /** Of which reported as errors. */
  errors: number;
  /** Places the extension could not check (a repository git refuses, an unreadable file): the count is then partial. */
  problems?: number;
  /** What cannot be known where the extension runs (the web build: whether git tracks a file), said in the tooltip. */
  limitation?: string;
}

/** The item's icon and background for a count: the worst finding decides. */
export function statusLook({ total, errors }: KeyCount): { icon: 'shield' | 'error' | 'warning'; background?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground' } {
  if (total === 0) return { icon: 'shield' };
  return errors > 0 ? { icon: 'error', background: 'statusBarItem.errorBackground' } : { icon: 'warning', background: 'statusBarItem.warningBackground' };
}

/** The item, as the tests read it (a status bar item's text is not readable from the workbench). */
export interface KeyCountStatusItem extends vscode.Disposable {
  readonly text: string;
  readonly tooltip: string;
}

export function createKeyCountStatusItem(onDidChangeKeyCount: vscode.Event<KeyCount>): KeyCountStatusItem {
  const item = vscode.window.createStatusBarItem('anthropicKeyHygiene.keyCount', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Anthropic Key Hygiene');
  item.command = 'workbench.actions.view.problems';
  const show = (count: KeyCount) => {
    const { total } = count;
    const look = statusLook(count);
    // A count that is partial says so: an alert icon, and the tooltip names where to look.
    const partial = (count.problems ?? 0) > 0;
    item.text = `$(${look.icon}) ${total}${partial ? ' $(alert)' : ''}`;
    const found =
      total === 0
        ? vscode.l10n.t('Anthropic Key Hygiene: no hardcoded Anthropic keys found')
        : total === 1
          ? vscode.l10n.t('Anthropic Key Hygiene: 1 hardcoded Anthropic key found. Click to open the Problems panel.')
          : vscode.l10n.t('Anthropic Key Hygiene: {0} hardcoded Anthropic keys found. Click to open the Problems panel.', total);
    const tooltip = partial ? `${found} ${vscode.l10n.t('Some places could not be checked: see the output "Anthropic Key Hygiene: Problems".')}` : found;
    item.tooltip = count.limitation ? `${tooltip} ${count.limitation}` : tooltip;
    item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    item.show();
  };
  show({ total: 0, errors: 0 });
  const subscription = onDidChangeKeyCount(show);
  const disposable = vscode.Disposable.from(subscription, item);
  return {
    dispose: () => disposable.dispose(),
    get text() {
      return item.text;
    },
    get tooltip() {
      return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
    },
  };
}
