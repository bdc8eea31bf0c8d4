// The web build's activate() (package.json `browser`): the extension as vscode.dev, github.dev and code-server's
// web worker extension host run it, with no Node and no git. It wires what works without them and answers the
// rest with one message (see src/features/web/nodeOnlyCommands.ts). Like activate() in extension.ts, it only wires.
import * as vscode from 'vscode';
import { DiagnosticManager } from './features/diagnostics';
import { KeyMessages } from './features/keyCommands/messages';
import { createKeyCountStatusItem } from './features/statusBar';
import { registerNodeOnlyCommands } from './features/web/nodeOnlyCommands';
import { webDiagnosticsBackend } from './features/web/webScanEngine';

/** What the web build exports; its integration tests read it to prove where and what ran. */
export interface WebExtensionApi {
  /** Which build is running: this one says 'web'. */
  readonly build: 'web';
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  /** Milliseconds from each document change to its diagnostics being published (the last 100). */
  readonly liveUpdateTimings: readonly number[];
  /** Only when VS Code runs the extension's tests: the texts of the notifications shown, oldest first. */
  readonly notificationsForTests?: readonly string[];
  /** Only when VS Code runs the extension's tests: the key count's status bar item, as shown. */
  readonly statusForTests?: { readonly text: string; readonly tooltip: string };
}

export function activate(context: vscode.ExtensionContext): WebExtensionApi {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const messages = new KeyMessages();
  const diagnostics = new DiagnosticManager(webDiagnosticsBackend());
  const status = createKeyCountStatusItem(diagnostics.onDidChangeKeyCount);
  context.subscriptions.push(
    diagnostics,
    status,
    vscode.commands.registerCommand('anthropicKeyHygiene.scanWorkspace', () => diagnostics.scanWorkspace(vscode.ProgressLocation.Notification)),
    registerNodeOnlyCommands((message) => void messages.warn(message)),
  );
  diagnostics.start();
  return {
    build: 'web',
    activationMs: performance.now() - started,
    liveUpdateTimings: diagnostics.liveUpdateTimings,
    ...(testMode ? { notificationsForTests: messages.shown, statusForTests: status } : {}),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
