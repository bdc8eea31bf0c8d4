// The web build's activate() (package.json `browser`): the extension as vscode.dev, github.dev and code-server's web
// worker extension host run it, with no Node and no git. It wires what works without them (diagnostics and the
// workspace scan through workspace.fs, the quick fixes, the key vault, the report) and answers the rest with one
// message (src/features/web/nodeOnlyCommands.ts). Like activate() in extension.ts, it only wires.
import * as vscode from 'vscode';
import { DiagnosticManager } from './features/diagnostics';
import { registerEnvFileCommands } from './features/envFileCommands';
import { registerKeyFixes } from './features/keyFixes';
import { KeyMessages } from './features/keyCommands/messages';
import { registerKeyCommandSet } from './features/keyCommands/registration';
import { RotationReminders } from './features/keyReminders';
import { TerminalKeys } from './features/keyTerminals';
import { KeyVault } from './features/keyVault';
import { KeyHygieneReport, type ReportTestApi } from './features/report';
import { registerSecretsManagerFix } from './features/secretsManagerFix';
import { createKeyCountStatusItem } from './features/statusBar';
import { registerVerifyKeyCodeAction } from './features/verifyKeyCodeAction';
import { NODE_ONLY_COMMANDS, registerNodeOnlyCommands, unavailableMessage } from './features/web/nodeOnlyCommands';
import { WebFileLocks, webFixPlaces } from './features/web/webFixPlatform';
import { WebIgnoreIndex, webDiagnosticsBackend } from './features/web/webScanEngine';
import type { KeyMetadata } from './core/keyMetadata';

/** What the web build exports; its integration tests read it to prove where and what ran. */
export interface WebExtensionApi {
  /** Which build is running: this one says 'web'. */
  readonly build: 'web';
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  /** Milliseconds from each document change to its diagnostics being published (the last 100). */
  readonly liveUpdateTimings: readonly number[];
  readonly liveUpdateDelays: readonly number[];
  /** Only when VS Code runs the extension's tests: the texts of the notifications shown, oldest first. */
  readonly notificationsForTests?: readonly string[];
  /** Only when VS Code runs the extension's tests: the key count's status bar item, as shown. */
  readonly statusForTests?: { readonly text: string; readonly tooltip: string };
  /** Only when VS Code runs the extension's tests: what the key vault holds (never exported otherwise). */
  readonly keyVaultForTests?: { readSecret(name: string): Promise<string | undefined>; metadata(): KeyMetadata[] };
  /** Only when VS Code runs the extension's tests: what the Key Hygiene Report's webview rendered. */
  readonly reportForTests?: ReportTestApi;
}

/** The documents the fixes and code actions serve: those of the workspace's folders (vscode-remote:, vscode-vfs:, …)
 * and untitled ones. */
function workspaceDocuments(): vscode.DocumentSelector {
  const schemes = new Set(['untitled', 'vscode-notebook-cell', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)]);
  return [...schemes].map((scheme) => ({ scheme }));
}

export function activate(context: vscode.ExtensionContext): WebExtensionApi {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const messages = new KeyMessages();
  const ignoreIndex = new WebIgnoreIndex();
  const places = webFixPlaces(ignoreIndex, new WebFileLocks());
  const documents = workspaceDocuments();
  const diagnostics = new DiagnosticManager(webDiagnosticsBackend(ignoreIndex));
  const status = createKeyCountStatusItem(diagnostics.onDidChangeKeyCount);
  const keyVault = new KeyVault(context.secrets, context.globalState);
  // Terminals do not exist in a browser; the vault's commands still keep the (empty) injection in step.
  const terminals = new TerminalKeys(context.environmentVariableCollection, context.workspaceState, keyVault);
  const rotationReminders = new RotationReminders(keyVault, (text, ...actions) => messages.warn(text, ...actions));
  const report = new KeyHygieneReport({
    vault: keyVault,
    extensionUri: context.extensionUri,
    scannedWholly: (folder) => diagnostics.scannedWholly(folder),
    limitation: () => diagnostics.limitation,
    browser: true,
  });
  context.subscriptions.push(
    diagnostics,
    status,
    vscode.commands.registerCommand('anthropicKeyHygiene.scanWorkspace', () => diagnostics.scanWorkspace(vscode.ProgressLocation.Notification)),
    keyVault,
    terminals,
    rotationReminders,
    registerKeyCommandSet(
      { vault: keyVault, terminals, messages, fromBrowser: true },
      { unavailable: (command) => unavailableMessage(NODE_ONLY_COMMANDS[command === 'rotate' ? 'anthropicKeyHygiene.rotateKey' : 'anthropicKeyHygiene.useStoredKeyInTerminals']) },
    ),
    registerVerifyKeyCodeAction(documents),
    registerKeyFixes({ places, vault: keyVault }, documents),
    registerEnvFileCommands({ places }),
    registerSecretsManagerFix({ vault: keyVault, messages }, documents),
    report,
    registerNodeOnlyCommands((message) => void messages.warn(message)),
  );
  diagnostics.start();
  return {
    build: 'web',
    activationMs: performance.now() - started,
    liveUpdateTimings: diagnostics.liveUpdateTimings,
    liveUpdateDelays: diagnostics.liveUpdateDelays,
    ...(testMode
      ? {
          notificationsForTests: messages.shown,
          statusForTests: status,
          keyVaultForTests: { readSecret: (name: string) => keyVault.getSecret(name), metadata: () => keyVault.list() },
          reportForTests: report.testApi,
        }
      : {}),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
