// The status bar item: how many hardcoded keys the workspace holds; a click opens the Problems panel.
import * as vscode from 'vscode';

export function createKeyCountStatusItem(onDidChangeKeyCount: vscode.Event<number>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('anthropicKeyHygiene.keyCount', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Anthropic Key Hygiene');
  item.command = 'workbench.actions.view.problems';
  const show = (count: number) => {
    item.text = count === 0 ? '$(shield) 0' : `$(warning) ${count}`;
    item.tooltip =
      count === 0
        ? vscode.l10n.t('Anthropic Key Hygiene: no hardcoded Anthropic keys found')
        : vscode.l10n.t('Anthropic Key Hygiene: {0} hardcoded Anthropic key(s) found. Click to open the Problems panel.', count);
    item.backgroundColor = count === 0 ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    item.show();
  };
  show(0);
  const subscription = onDidChangeKeyCount(show);
  return vscode.Disposable.from(subscription, item);
}
