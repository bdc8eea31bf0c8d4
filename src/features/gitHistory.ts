// "Scan Git History" and "Rotate Key Found in Git History": the editor's side of src/core/history/. It scans the
// history of each workspace folder's repository when asked (or at startup, when anthropicKeyHygiene.history.
// scanOnStartup is on), keeps what it found (key hints, commits, pushed state; never a key) for the Key Hygiene
// Report and the hardcoded-key diagnostics, and remembers per hint when the user rotated a key.
//
// Decisions:
// - Trusted workspaces only: the scan runs git, which an untrusted repository's configuration must never reach. In
//   an untrusted workspace the commands refuse and start nothing, and the report says history is unknown.
// - Progress in a notification with a Cancel button; cancelling stops both git processes at once.
// - "Rotated": a key the user replaced with the rotation command (Rotate API Key, which verifies the new key first)
//   or, for a key that was never stored in VS Code, stored a new key for through "Rotate Key Found in Git History".
//   Remembered in globalState per hint (a key belongs to the user, as the key vault's metadata does), never the key.
// - One scan at a time: a second request while one runs gets the running one's result.
import * as vscode from 'vscode';
import { GitUnavailableError, type GitSpawnObserver } from '../core/git';
import { HistoryIndex, isHint, parseRotatedKeys, rotationsBetween, withRotation } from '../core/history/historyIndex';
import { historyFindingMessage } from '../core/history/historyMessages';
import { HistoryScanCancelled, HistoryScanError, scanHistory, type HistoryScanResult } from '../core/history/historyScan';
import { formatMessage, type Message } from '../core/messages';
import type { HistoryState } from '../core/report/checklist';
import type { KeyVault } from './keyVault';
import { readHistoryScanOnStartup, readSettings } from './settings';
const ROTATED_KEYS_STATE = 'anthropicKeyHygiene.rotatedKeys';
const CONSOLE_KEYS_URL = 'https://console.anthropic.com/settings/keys';
/** History blobs up to this size are read (the CLI's --max-file-size default); larger ones are reported. */
const MAX_BLOB_BYTES = 1024 * 1024 * 1024;

export interface ScanHistoryArgs {
  /** Only this folder (path or URI); default: every workspace folder on disk. */
  folder?: string | vscode.Uri;
  /** false: no notification at the end (progress still shows). Default true. */
  interactive?: boolean;
}

export interface ScanHistoryResult {
  ok: boolean;
  reason?: 'untrusted-workspace' | 'no-folder' | 'cancelled' | 'failed';
  message: string;
  /** Per folder scanned: its path, and what was found (hints, commits, pushed state) or why it was not scanned. */
  folders: Array<{ folder: string; keys: Array<{ hint: string; commit: string; pushed: boolean; path: string }>; problems: string[]; skipped?: string }>;
}

export interface RotateLeakedKeyArgs {
  /** The hint of the key to rotate (`sk-ant-api03-R2D…igAA`); asked for when missing. */
  hint?: string;
  /** For a key not stored in VS Code: the new key to store in its place (what the prompt would take). */
  newKey?: string;
  /** For a key not stored in VS Code: the name to store the new key under (default ANTHROPIC_API_KEY). */
  name?: string;
  interactive?: boolean;
}

export interface RotateLeakedKeyResult {
  ok: boolean;
  reason?: 'untrusted-workspace' | 'not-a-hint' | 'cancelled' | 'not-rotated';
  message: string;
  hint?: string;
  rotatedAt?: string;
}

export interface GitHistoryDependencies {
  vault: KeyVault;
  /** Where rotations are remembered (the extension's globalState). */
  state: vscode.Memento;
  /** Told of every git process started (the extension proves none runs in an untrusted workspace). */
  observer?: GitSpawnObserver;
}

export class GitHistory implements vscode.Disposable {
  /** The last scan of each folder (by fsPath). */
  private readonly results = new Map<string, HistoryScanResult>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private readonly output: vscode.OutputChannel;
  private running: Promise<ScanHistoryResult> | undefined;
  /** The vault's names and hints as last seen, to notice a rotation. */
  private vaultRecords: Array<{ name: string; hint: string }>;

  /** Fires when a scan finished or a rotation was remembered. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly dependencies: GitHistoryDependencies) {
    this.output = vscode.window.createOutputChannel(vscode.l10n.t('Anthropic Key Hygiene: Git History'));
    this.vaultRecords = dependencies.vault.list().map(({ name, hint }) => ({ name, hint }));
    this.disposables.push(
      this.output,
      vscode.commands.registerCommand('anthropicKeyHygiene.scanHistory', (args?: ScanHistoryArgs) => this.scan(args ?? {})),
      vscode.commands.registerCommand('anthropicKeyHygiene.rotateLeakedKey', (args?: RotateLeakedKeyArgs) => this.rotate(args ?? {})),
      dependencies.vault.onDidChange(() => void this.noticeRotations()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scanOnStartup()),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Starts the startup scan when the setting asks for it (and the workspace is trusted). Never awaited by activate(). */
  scanOnStartup(): void {
    if (!vscode.workspace.isTrusted) return;
    if (!readHistoryScanOnStartup()) return;
    void this.scan({ interactive: false });
  }

  /** What is known of the history of these folders (all scanned folders when none is given), with rotations applied. */
  index(folders?: readonly vscode.Uri[]): HistoryIndex {
    const results = folders ? folders.map((folder) => this.results.get(folder.fsPath)).filter((result) => result !== undefined) : [...this.results.values()];
    return new HistoryIndex(results, this.rotated());
  }

  /** The report's input for "No key in git history". */
  checklistState(folders: readonly vscode.Uri[]): HistoryState {
    if (!vscode.workspace.isTrusted) return { state: 'untrusted' };
    if (folders.length === 0 || folders.some((folder) => !this.results.has(folder.fsPath))) return { state: 'not-scanned' };
    return this.index(folders).checklistState();
  }

  /**
   * The hardcoded-key diagnostic's history text for a key (by hint), for the diagnostics to show in place of (or
   * after) their own: "already in commit a1b2c3d (pushed to origin/main, 14 days ago): …". Undefined when history does
   * not hold the key or was not scanned. Translated like every diagnostic message.
   */
  noteFor(hint: string, now = new Date()): string | undefined {
    const message = this.index().noteFor(hint, now);
    return message ? translate(message) : undefined;
  }

  private rotated(): Map<string, string> {
    return parseRotatedKeys(this.dependencies.state.get<unknown>(ROTATED_KEYS_STATE));
  }

  private async remember(hint: string, at: Date): Promise<void> {
    await this.dependencies.state.update(ROTATED_KEYS_STATE, withRotation(this.rotated(), hint, at));
    this.changeEmitter.fire();
  }

  /** A stored key replaced by the rotation command: its old hint is rotated. */
  private async noticeRotations(): Promise<void> {
    const records = this.dependencies.vault.list();
    const rotations = rotationsBetween(this.vaultRecords, records);
    this.vaultRecords = records.map(({ name, hint }) => ({ name, hint }));
    for (const rotation of rotations) await this.remember(rotation.hint, new Date(rotation.rotatedAt));
  }

  // ---- Scan Git History ----

  private scan(args: ScanHistoryArgs): Promise<ScanHistoryResult> {
    if (!vscode.workspace.isTrusted) {
      const message = vscode.l10n.t('Scanning git history runs git in the repository; trust this workspace first.');
      if (args.interactive !== false) void vscode.window.showWarningMessage(message);
      return Promise.resolve({ ok: false, reason: 'untrusted-workspace', message, folders: [] });
    }
    this.running ??= this.scanFolders(args).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async scanFolders(args: ScanHistoryArgs): Promise<ScanHistoryResult> {
    const interactive = args.interactive !== false;
    const folders =
      args.folder !== undefined
        ? [typeof args.folder === 'string' ? vscode.Uri.file(args.folder) : args.folder]
        : (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri).filter((uri) => uri.scheme === 'file');
    if (folders.length === 0) {
      const message = vscode.l10n.t('Open a folder in a git repository to scan its history.');
      if (interactive) void vscode.window.showWarningMessage(message);
      return { ok: false, reason: 'no-folder', message, folders: [] };
    }
    const includeLowConfidence = readSettings(folders[0]).reportLowConfidenceTokens;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Scanning git history for Anthropic keys'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        const scanned: ScanHistoryResult['folders'] = [];
        try {
          for (const folder of folders) {
            try {
              const result = await scanHistory({
                cwd: folder.fsPath,
                mode: { kind: 'history', revisions: [] },
                includeLowConfidence,
                maxFileSize: MAX_BLOB_BYTES,
                observer: this.dependencies.observer,
                signal: controller.signal,
                onProgress: (done) => {
                  const total = done.commitsTotal;
                  progress.report({
                    message: total ? vscode.l10n.t('{0} of {1} commits', done.commitsDone, total) : vscode.l10n.t('{0} commits', done.commitsDone),
                  });
                },
              });
              this.results.set(folder.fsPath, result);
              scanned.push({
                folder: folder.fsPath,
                keys: result.findings.map((finding) => ({ hint: finding.credential!.hint, commit: finding.commit.shortId, pushed: finding.pushed, path: finding.path })),
                problems: result.problems.map((problem) => (problem.subject ? `${problem.subject}: ${problem.message}` : problem.message)),
              });
            } catch (error) {
              if (error instanceof HistoryScanCancelled || error instanceof GitUnavailableError) throw error;
              // A folder that is no repository (or whose history git refuses) is said, and the others still scanned.
              const reason = error instanceof HistoryScanError ? error.message : String((error as Error).message ?? error);
              scanned.push({ folder: folder.fsPath, keys: [], problems: [], skipped: reason });
            }
          }
          return { ok: true as const, folders: scanned };
        } catch (error) {
          if (error instanceof HistoryScanCancelled) return { ok: false as const, reason: 'cancelled' as const, folders: scanned };
          if (error instanceof GitUnavailableError) return { ok: false as const, reason: 'failed' as const, folders: scanned };
          throw error;
        } finally {
          cancellation.dispose();
        }
      },
    );
    this.changeEmitter.fire();
    this.writeOutput(folders);
    if (!outcome.ok) {
      const message = outcome.reason === 'cancelled' ? vscode.l10n.t('The git history scan was cancelled.') : vscode.l10n.t('The git history scan needs git, which was not found.');
      if (interactive && outcome.reason !== 'cancelled') void vscode.window.showWarningMessage(message);
      return { ok: false, reason: outcome.reason, message, folders: outcome.folders };
    }
    const message = this.summary(outcome.folders);
    if (interactive) void this.showSummary(message, outcome.folders);
    return { ok: true, message, folders: outcome.folders };
  }

  private summary(folders: ScanHistoryResult['folders']): string {
    const keys = folders.flatMap((folder) => folder.keys);
    const rotated = this.rotated();
    const open = keys.filter((key) => !rotated.has(key.hint));
    const pushed = open.filter((key) => key.pushed).length;
    const problems = folders.reduce((sum, folder) => sum + folder.problems.length, 0);
    const notScanned = folders.filter((folder) => folder.skipped !== undefined).length;
    const parts: string[] = [];
    if (keys.length === 0) parts.push(vscode.l10n.t('No Anthropic key in the git history.'));
    else if (open.length === 0) parts.push(vscode.l10n.t('Every key found in the git history has been rotated.'));
    else if (open.length === 1) parts.push(pushed === 1 ? vscode.l10n.t('1 key in the git history, pushed: rotate it.') : vscode.l10n.t('1 key in the git history, not pushed yet.'));
    else parts.push(vscode.l10n.t('{0} keys in the git history, {1} of them pushed: rotate them.', open.length, pushed));
    if (problems > 0) parts.push(vscode.l10n.t('Some of the history could not be read (see the output).'));
    if (notScanned > 0) parts.push(vscode.l10n.t('Folders not scanned: {0}.', folders.filter((folder) => folder.skipped).map((folder) => folder.folder).join(', ')));
    return parts.join(' ');
  }

  private async showSummary(message: string, folders: ScanHistoryResult['folders']): Promise<void> {
    const report = vscode.l10n.t('Show Report');
    const details = vscode.l10n.t('Show Details');
    const anything = folders.some((folder) => folder.keys.length > 0 || folder.problems.length > 0 || folder.skipped);
    const choice = anything ? await vscode.window.showWarningMessage(message, report, details) : await vscode.window.showInformationMessage(message);
    if (choice === report) await vscode.commands.executeCommand('anthropicKeyHygiene.showReport');
    if (choice === details) this.output.show(true);
  }

  /** Every finding, problem and note of the last scans, one per line, hints only. */
  private writeOutput(folders: readonly vscode.Uri[]): void {
    const rotated = this.rotated();
    this.output.clear();
    for (const folder of folders) {
      const result = this.results.get(folder.fsPath);
      if (!result) continue;
      this.output.appendLine(vscode.l10n.t('{0}: {1} commits of {2}', folder.fsPath, result.commitsScanned, result.scope));
      for (const finding of result.findings) {
        const message = historyFindingMessage({
          kind: finding.credential!.kind,
          hint: finding.credential!.hint,
          location: finding.location,
          commit: finding.commit,
          ref: finding.ref,
          pushedTo: finding.pushed ? finding.pushedTo : undefined,
          rotatedAt: rotated.get(finding.credential!.hint),
        });
        const place =
          finding.location === 'commit-message'
            ? `${finding.commit.shortId} (commit message)`
            : finding.location === 'ref-name' || finding.location === 'tag-message'
              ? `${finding.ref} (${finding.location === 'ref-name' ? 'ref name' : 'tag message'})`
              : `${finding.commit.shortId}:${finding.path}`;
        this.output.appendLine(`  ${place}:${finding.line}:${finding.column}  ${translate(message)}`);
      }
      for (const problem of result.problems) this.output.appendLine(`  ${problem.subject ? `${problem.subject}: ` : ''}${problem.message}`);
      for (const note of result.notes) this.output.appendLine(`  ${note}`);
    }
  }

  // ---- Rotate Key Found in Git History ----

  private async rotate(args: RotateLeakedKeyArgs): Promise<RotateLeakedKeyResult> {
    const interactive = args.interactive !== false;
    const fail = (reason: RotateLeakedKeyResult['reason'], message: string, hint?: string): RotateLeakedKeyResult => {
      if (interactive && reason !== 'cancelled') void vscode.window.showWarningMessage(message);
      return { ok: false, reason, message, ...(hint ? { hint } : {}) };
    };
    let hint = args.hint;
    if (hint === undefined && interactive) {
      const rotated = this.rotated();
      const picked = await vscode.window.showQuickPick(
        this.index()
          .entries()
          .filter((entry) => !rotated.has(entry.hint))
          .map((entry) => ({ label: entry.hint, description: vscode.l10n.t('commit {0}', entry.commit.shortId), detail: entry.path, hint: entry.hint })),
        { placeHolder: vscode.l10n.t('Which key found in git history do you want to rotate?'), ignoreFocusOut: true },
      );
      hint = picked?.hint;
      if (hint === undefined) return fail('cancelled', vscode.l10n.t('Nothing was rotated.'));
    }
    // Only a hint is ever taken (and remembered): a full key passed here is refused, never stored.
    if (hint === undefined || !isHint(hint)) return fail('not-a-hint', vscode.l10n.t('Give the key as its hint, such as sk-ant-api03-R2D…igAA.'));
    if (!vscode.workspace.isTrusted) return fail('untrusted-workspace', vscode.l10n.t('Rotating a key runs the key commands; trust this workspace first.'), hint);

    const stored = this.dependencies.vault.list().find((record) => record.hint === hint);
    if (stored) {
      // The rotation command verifies the new key, replaces the stored one and says to revoke the old one.
      const result = await vscode.commands.executeCommand<{ ok: boolean; message: string } | undefined>('anthropicKeyHygiene.rotateKey', {
        name: stored.name,
        interactive,
        ...(args.newKey !== undefined ? { newKey: args.newKey } : {}),
      });
      if (!result?.ok) return { ok: false, reason: 'not-rotated', message: result?.message ?? vscode.l10n.t('Nothing was rotated.'), hint };
      const at = new Date();
      await this.remember(hint, at);
      return { ok: true, message: result.message, hint, rotatedAt: at.toISOString() };
    }

    // Never stored in VS Code: the new key is stored here (verified first), and the old one must be revoked in the Console.
    const newKey = args.newKey;
    if (newKey === undefined) {
      if (!interactive) return fail('not-rotated', vscode.l10n.t('The key {0} is not stored in VS Code; give the new key to store in its place.', hint), hint);
      const store = vscode.l10n.t('Store the New Key');
      const console = vscode.l10n.t('Open Console');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is in git history and not stored in VS Code. Create a new key in the Anthropic Console, store it here, update every application, then revoke {0} in the Console.', hint),
        store,
        console,
      );
      if (choice === console) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
      if (choice !== store) return fail('cancelled', vscode.l10n.t('Nothing was rotated.'), hint);
    }
    const storedNew = await vscode.commands.executeCommand<{ ok: boolean; message: string; hint?: string; verification?: { status?: string } } | undefined>('anthropicKeyHygiene.storeKey', {
      ...(newKey !== undefined ? { key: newKey } : {}),
      ...(args.name !== undefined ? { name: args.name } : {}),
      verify: true,
      interactive,
    });
    if (!storedNew?.ok || storedNew.verification?.status !== 'valid' || storedNew.hint === hint) {
      return { ok: false, reason: 'not-rotated', message: storedNew?.message ?? vscode.l10n.t('Nothing was rotated.'), hint };
    }
    const at = new Date();
    await this.remember(hint, at);
    const message = vscode.l10n.t('The new key ({0}) is stored and verified. Now revoke {1} in the Anthropic Console: until then it works for anyone with a copy of the history.', storedNew.hint ?? '', hint);
    if (interactive) void vscode.window.showInformationMessage(message);
    return { ok: true, message, hint, rotatedAt: at.toISOString() };
  }
}

/** A core message in the editor's language (the English template is the translation key). */
function translate(message: Message): string {
  return formatMessage(message, (template, args) => vscode.l10n.t(template, args));
}
