// "Use Stored Key in Terminals": stored keys as environment variables of new integrated terminals, so a
// project needs no .env file at all. Opt-in per workspace (the switch lives in workspaceState), shown in
// the status bar and in the terminal's environment hover while on, and kept in step with the vault: a
// removed key disappears from new terminals, a rotated one is replaced. Admin keys are never given to terminals.
//
// The collection is not persistent: VS Code writes persistent collections into workspace storage in
// plain text, which would put the key on disk outside the keychain. So values are re-applied from
// SecretStorage at every activation instead.
import * as vscode from 'vscode';
import { isAdminHint } from '../core/keyMetadata';
import type { KeyVault } from './keyVault';

const ENABLED_STATE_KEY = 'anthropicKeyHygiene.useStoredKeyInTerminals';
const COMMAND = 'anthropicKeyHygiene.useStoredKeyInTerminals';

export interface InjectedKey {
  name: string;
  hint: string;
}

export class TerminalKeys implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('anthropicKeyHygiene.terminalKeys', vscode.StatusBarAlignment.Left, 9);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private pending: Promise<unknown> = Promise.resolve();
  private current: InjectedKey[] = [];

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly workspaceState: vscode.Memento,
    private readonly vault: KeyVault,
  ) {
    collection.persistent = false;
    this.item.name = vscode.l10n.t('Anthropic keys in terminals');
    this.disposables.push(
      vault.onDidChange(() => void this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
    );
    void this.refresh();
  }

  dispose(): void {
    this.collection.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Whether the user switched injection on for this workspace. */
  get enabled(): boolean {
    return this.workspaceState.get<boolean>(ENABLED_STATE_KEY, false);
  }

  /** The keys new terminals get right now. */
  get injected(): readonly InjectedKey[] {
    return this.current;
  }

  async setEnabled(on: boolean): Promise<readonly InjectedKey[]> {
    await this.workspaceState.update(ENABLED_STATE_KEY, on);
    return this.refresh();
  }

  /** Brings the collection in line with the switch and the vault; calls run one after another. */
  refresh(): Promise<readonly InjectedKey[]> {
    const next = this.pending.then(() => this.apply());
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async apply(): Promise<readonly InjectedKey[]> {
    // A workspace in Restricted Mode may run tasks or scripts nobody vetted; it gets no key.
    const active = this.enabled && vscode.workspace.isTrusted;
    const wanted = new Map<string, { secret: string; hint: string }>();
    if (active) {
      for (const record of this.vault.list()) {
        // An Admin key can deactivate every key of the organisation: no script run in a terminal gets it.
        if (isAdminHint(record.hint)) continue;
        const secret = await this.vault.getSecret(record.name);
        if (secret) wanted.set(record.name, { secret, hint: record.hint });
      }
    }
    this.collection.forEach((variable) => {
      if (!wanted.has(variable)) this.collection.delete(variable);
    });
    for (const [name, { secret }] of wanted) {
      // Replacing with the same value would still mark open terminals as stale.
      if (this.collection.get(name)?.value !== secret) this.collection.replace(name, secret);
    }
    this.current = [...wanted].map(([name, { hint }]) => ({ name, hint }));
    const listed = this.current.map(({ name, hint }) => `\`${name}\` (${hint})`).join(', ');
    this.collection.description =
      this.current.length > 0 ? new vscode.MarkdownString(vscode.l10n.t('Anthropic Key Hygiene sets {0} from the keys stored in VS Code.', listed)) : undefined;
    this.showStatus(listed);
    return this.current;
  }

  private showStatus(listed: string): void {
    if (!this.enabled) {
      this.item.hide();
      return;
    }
    this.item.text = '$(terminal) $(key)';
    this.item.command = { command: COMMAND, title: vscode.l10n.t('Stop Using Stored Key in Terminals'), arguments: [{ enable: false }] };
    if (!vscode.workspace.isTrusted) {
      this.item.tooltip = vscode.l10n.t('Stored Anthropic keys are not set in terminals while this workspace is in Restricted Mode. Click to turn the option off.');
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.tooltip =
        this.current.length > 0
          ? new vscode.MarkdownString(vscode.l10n.t('New terminals in this workspace get {0} from the keys stored in VS Code. Click to stop.', listed))
          : vscode.l10n.t('Stored Anthropic keys will be set in new terminals of this workspace, but no key is stored yet. Click to stop.');
      this.item.backgroundColor = undefined;
    }
    this.item.show();
  }
}
