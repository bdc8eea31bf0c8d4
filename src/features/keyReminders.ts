// Rotation reminders: when a stored key is older than `anthropicKeyHygiene.rotationReminderDays`, a status
// bar warning for as long as that holds, and one non-modal notification per window (the instance remembers
// it has spoken; nothing is persisted, so the next window reminds again). Looks at stored dates only: no
// request is made.
import * as vscode from 'vscode';
import { keyAgeDays, rotationDue, type KeyMetadata } from '../core/keyMetadata';
import type { KeyVault } from './keyVault';
import { affectsKeyVaultSettings, readKeyVaultSettings } from './settings';

/** A window can stay open for weeks; re-check the ages this often. */
const RECHECK_INTERVAL_MS = 60 * 60 * 1000;

export class RotationReminders implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('anthropicKeyHygiene.rotationReminder', vscode.StatusBarAlignment.Left, 8);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private readonly timer: ReturnType<typeof setInterval>;
  private notified = false;

  constructor(
    private readonly vault: KeyVault,
    private readonly notify: (text: string, ...actions: string[]) => Thenable<string | undefined>,
  ) {
    this.item.name = vscode.l10n.t('Anthropic key rotation');
    this.disposables.push(
      vault.onDidChange(() => this.check()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsKeyVaultSettings(event)) this.check();
      }),
    );
    this.timer = setInterval(() => this.check(), RECHECK_INTERVAL_MS);
    this.check();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Updates the status bar (and notifies, the first time in this window); returns the names due. */
  check(now = new Date()): string[] {
    const days = readKeyVaultSettings().rotationReminderDays;
    const due = rotationDue(this.vault.list(), days, now);
    if (due.length === 0) {
      this.item.hide();
      return [];
    }
    const names = due.map((record) => record.name);
    const rotateArgs = due.length === 1 ? [{ name: names[0] }] : [];
    this.item.text = `$(warning) $(key) ${due.length === 1 ? names[0] : due.length}`;
    this.item.tooltip = describe(due, days, now);
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.command = { command: 'anthropicKeyHygiene.rotateKey', title: vscode.l10n.t('Rotate API Key'), arguments: rotateArgs };
    this.item.show();
    if (!this.notified) {
      this.notified = true;
      const rotate = vscode.l10n.t('Rotate Now');
      void this.notify(describe(due, days, now), rotate).then((choice) => {
        if (choice === rotate) void vscode.commands.executeCommand('anthropicKeyHygiene.rotateKey', ...rotateArgs);
      });
    }
    return names;
  }
}

function describe(due: KeyMetadata[], days: number, now: Date): string {
  if (due.length === 1) {
    const [record] = due;
    return vscode.l10n.t(
      'The Anthropic key {0} ({1}) was stored {2} days ago, more than the {3} days after which keys should be rotated. Rotate it: create a new key in the Console, then run Rotate API Key.',
      record.name,
      record.hint,
      keyAgeDays(record, now),
      days,
    );
  }
  const listed = due.map((record) => vscode.l10n.t('{0} ({1}, {2} days)', record.name, record.hint, keyAgeDays(record, now))).join(', ');
  return vscode.l10n.t('{0} stored Anthropic keys are older than {1} days and should be rotated: {2}.', due.length, days, listed);
}
