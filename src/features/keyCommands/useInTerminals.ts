// Use Stored Key in Terminals: switches the per-workspace injection of stored keys into new terminals (see
// ../keyTerminals.ts), refused in Restricted Mode.
import * as vscode from 'vscode';
import type { KeyCommandContext } from './context';
import type { UseInTerminalsArgs, UseInTerminalsResult } from './types';

export async function useInTerminals(context: KeyCommandContext, args: UseInTerminalsArgs): Promise<UseInTerminalsResult> {
  const enable = typeof args.enable === 'boolean' ? args.enable : !context.terminals.enabled;
  if (enable && !vscode.workspace.isTrusted) {
    const message = vscode.l10n.t('Stored keys are not given to terminals of a workspace in Restricted Mode. Trust the workspace first.');
    void context.messages.warn(message);
    return { ok: false, reason: 'untrusted-workspace', message, enabled: context.terminals.enabled, keys: context.terminals.injected };
  }
  const keys = await context.terminals.setEnabled(enable);
  const listed = keys.map(({ name, hint }) => `${name} (${hint})`).join(', ');
  const message = !enable
    ? vscode.l10n.t('New terminals in this workspace no longer get stored Anthropic keys; terminals opened before keep them until closed.')
    : keys.length === 0
      ? vscode.l10n.t('New terminals in this workspace will get stored Anthropic keys, but none is stored yet: run Store API Key.')
      : vscode.l10n.t('New terminals in this workspace get {0} from VS Code’s secret storage; no .env file is needed. Terminals opened before do not.', listed);
  void context.messages.info(message);
  return { ok: true, message, enabled: enable, keys };
}
