// activate() wires the features into context.subscriptions and does nothing else: no scan is awaited
// and no network module is loaded here (verification loads the Anthropic SDK only when asked).
import * as vscode from 'vscode';
import { createGitRunner } from './core/git';
import { DiagnosticManager } from './features/diagnostics';
import { nodeDiagnosticsBackend } from './features/nodeScanEngine';
import { KeyMessages, registerKeyCommands } from './features/keyCommands';
import { RotationReminders } from './features/keyReminders';
import { TerminalKeys } from './features/keyTerminals';
import { KeyVault } from './features/keyVault';
import { createKeyCountStatusItem } from './features/statusBar';
import { registerVerifyKeyCodeAction } from './features/verifyKeyCodeAction';
import { registerKeyFixes } from './features/keyFixes';
import { nodeFixPlaces } from './features/nodeFixPlaces';
import { untrackFile } from './core/fixes/untrack';
import { registerEnvFileCommands } from './features/envFileCommands';
import { registerWorkspaceFixCommand } from './features/workspaceFixCommand';
import { registerPreCommitHookCommand } from './features/preCommitHook';
import { GitHistory } from './features/gitHistory';
import { registerPrePushHookCommand } from './features/prePushHook';
import { KeyHygieneReport, type ReportTestApi } from './features/report';
import { gitHookLookup } from './features/reportHook';
import type { KeyMetadata } from './core/keyMetadata';
import type { InventoryEntry } from './core/admin/inventory';
import { KeyInventory, describeLeakRecord } from './features/keyInventory';
import { registerKeyInventoryView, type RenderedRow } from './features/keyInventoryView';
import { registerKeyStatusCommands } from './features/keyStatusCommands';
import { UsageWatch, type UsageWatchTestApi } from './features/usageWatch';
import { registerSecretsManagerFix } from './features/secretsManagerFix';
import { registerClaudeSettingsFixes } from './features/claudeSettingsFix';
import { NODE_HOST_CONTEXT_KEY } from './features/web/nodeOnlyCommands';
import { BaselineAcceptance } from './features/baselineAcceptance';

/** Git command lines remembered in test mode, newest last. */
const GIT_INVOCATIONS_KEPT = 2000;

/** What the extension exports; integration tests read it to prove what ran. */
export interface ExtensionApi {
  /** Only when VS Code runs the extension's tests: the arguments of the git processes started, in order (the
   * last GIT_INVOCATIONS_KEPT). Absent otherwise: every other extension can read an export. */
  readonly gitInvocations?: readonly (readonly string[])[];
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  /** Milliseconds from each document change to its diagnostics being published (the last 100). */
  readonly liveUpdateTimings: readonly number[];
  readonly liveUpdateDelays: readonly number[];
  /** Only when VS Code runs the extension's tests: what the key vault holds. Absent otherwise, because an
   * export is readable by every other extension and must never hand out a stored key. */
  readonly keyVaultForTests?: KeyVaultTestApi;
  /** Only when VS Code runs the extension's tests: what the Key Hygiene Report's webview rendered. */
  readonly reportForTests?: ReportTestApi;
  /** Only when VS Code runs the extension's tests: the key inventory and the usage watch (hints only). */
  readonly adminForTests?: AdminTestApi;
}

export interface AdminTestApi {
  inventory(): readonly InventoryEntry[];
  /** The sentence a leaked key's diagnostic would carry, from the inventory's last read. */
  leakRecord(hint: string): string | undefined;
  readonly usageWatch: UsageWatchTestApi;
  /** The Anthropic Keys view's top-level rows, as text. */
  viewRows(): RenderedRow[];
}

export interface KeyVaultTestApi {
  readSecret(name: string): Promise<string | undefined>;
  metadata(): KeyMetadata[];
  /** Texts of the notifications the key vault showed, oldest first. */
  readonly notifications: readonly string[];
  /** The value new terminals get for `name`, if any. */
  terminalVariable(name: string): string | undefined;
  /** Runs the rotation reminder as if the clock said `now`; returns the names due. */
  checkRotation(now: Date): string[];
  /** Old key hint → when it was rotated away from. */
  rotatedHints(): Record<string, string>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const gitInvocations: string[][] = [];
  // Every git process started (the history scan's streams too), kept only when VS Code runs the tests.
  const observeGit = testMode
    ? (args: readonly string[]) => {
        gitInvocations.push([...args]);
        if (gitInvocations.length > GIT_INVOCATIONS_KEPT) gitInvocations.shift();
      }
    : undefined;
  // One git process started per event-loop turn: each start forks the extension host (see GitRunnerOptions).
  const git = createGitRunner('git', observeGit, undefined, { spreadSpawns: true });
  const fixPlaces = nodeFixPlaces(git);

  const keyVault = new KeyVault(context.secrets, context.globalState);
  const keyMessages = new KeyMessages();
  const terminalKeys = new TerminalKeys(context.environmentVariableCollection, context.workspaceState, keyVault);
  const history = new GitHistory({ vault: keyVault, state: context.globalState, observer: observeGit });
  const inventory = new KeyInventory(keyVault, context.globalState);
  const baseline = new BaselineAcceptance((message) => void vscode.window.showWarningMessage(vscode.l10n.t('The baseline is not honoured: {0}', message)));
  const diagnostics = new DiagnosticManager(nodeDiagnosticsBackend(git), { history, inventory, describeRecord: describeLeakRecord, baseline });
  const usageWatch = new UsageWatch(keyVault, inventory, keyMessages, context.globalState);
  const keysView = registerKeyInventoryView(inventory, keyVault);
  const report = new KeyHygieneReport({ hookState: gitHookLookup(git), vault: keyVault, extensionUri: context.extensionUri, inventory, usageWatch, history });
  const rotationReminders = new RotationReminders(keyVault, (text, ...actions) => keyMessages.warn(text, ...actions));
  context.subscriptions.push(
    baseline,
    diagnostics,
    createKeyCountStatusItem(diagnostics.onDidChangeKeyCount),
    vscode.commands.registerCommand('anthropicKeyHygiene.scanWorkspace', () => diagnostics.scanWorkspace(vscode.ProgressLocation.Notification)),
    keyVault,
    terminalKeys,
    rotationReminders,
    inventory,
    usageWatch,
    registerKeyCommands({ vault: keyVault, terminals: terminalKeys, messages: keyMessages, inventory }),
    keysView,
    registerKeyStatusCommands({ vault: keyVault, inventory, messages: keyMessages }),
    registerSecretsManagerFix({ vault: keyVault, messages: keyMessages }),
    registerClaudeSettingsFixes({ git, vault: keyVault, messages: keyMessages }),
    // The view's "in git history" column follows the history scan (hints only).
    history.onDidChange(() => inventory.setHistoryHints(history.index().entries().map((entry) => entry.hint))),
    registerVerifyKeyCodeAction(),
    registerKeyFixes({ places: fixPlaces, vault: keyVault, history }),
    registerEnvFileCommands({ places: fixPlaces, untrack: (path) => untrackFile(git, path) }),
    registerWorkspaceFixCommand(git),
    registerPreCommitHookCommand({ git, extensionPath: context.extensionPath }),
    history,
    registerPrePushHookCommand({ git, extensionPath: context.extensionPath }),
    report,
  );
  diagnostics.start();
  history.scanOnStartup();
  // The commands that need Node or git are shown in a browser workbench (code-server) only where this build runs.
  void vscode.commands.executeCommand('setContext', NODE_HOST_CONTEXT_KEY, true);
  const keyVaultForTests: KeyVaultTestApi | undefined =
    testMode
      ? {
          readSecret: (name) => keyVault.getSecret(name),
          metadata: () => keyVault.list(),
          notifications: keyMessages.shown,
          terminalVariable: (name) => context.environmentVariableCollection.get(name)?.value,
          checkRotation: (now) => rotationReminders.check(now),
          rotatedHints: () => keyVault.rotatedHints(),
        }
      : undefined;
  const reportForTests = testMode ? report.testApi : undefined;
  const adminForTests: AdminTestApi | undefined = testMode
    ? {
        inventory: () => inventory.entries,
        leakRecord: (hint) => {
          const record = inventory.recordForHint(hint);
          return record ? describeLeakRecord(record) : undefined;
        },
        usageWatch: usageWatch.testApi,
        viewRows: () => keysView.rows(),
      }
    : undefined;
  return {
    ...(testMode ? { gitInvocations } : {}),
    activationMs: performance.now() - started,
    liveUpdateTimings: diagnostics.liveUpdateTimings,
    liveUpdateDelays: diagnostics.liveUpdateDelays,
    keyVaultForTests,
    reportForTests,
    adminForTests,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
