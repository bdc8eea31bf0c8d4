// activate() wires the features into context.subscriptions and does nothing else: no scan is awaited
// and no network module is loaded here (verification loads the Anthropic SDK only when asked).
import * as vscode from 'vscode';
import { createGitRunner } from './core/git';
import { DiagnosticManager } from './features/diagnostics';
import { createKeyCountStatusItem } from './features/statusBar';

/** What the extension exports; integration tests read it to prove what ran. */
export interface ExtensionApi {
  /** Arguments of every git process started, in order. */
  readonly gitInvocations: readonly (readonly string[])[];
  /** Milliseconds activate() took. */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const gitInvocations: string[][] = [];
  const git = createGitRunner('git', (args) => gitInvocations.push([...args]));

  const diagnostics = new DiagnosticManager(git);
  context.subscriptions.push(
    diagnostics,
    createKeyCountStatusItem(diagnostics.onDidChangeKeyCount),
    vscode.commands.registerCommand('anthropicKeyHygiene.scanWorkspace', () => diagnostics.scanWorkspace(vscode.ProgressLocation.Notification)),
  );
  diagnostics.start();
  return { gitInvocations, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
