// Owns the diagnostic collection (markdown-language-features' DiagnosticManager shape): live results for
// open documents, debounced and generation-checked, and workspace-scan results for every other file,
// kept current by file watchers. The engine in src/core computes; this class only translates and publishes.
import * as vscode from 'vscode';
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { mayContainCredential } from '../core/credentials';
import { createExcludeMatcher } from '../core/excludes';
import { envFileRule } from '../core/envFiles';
import type { FileFinding, RuleId, Severity } from '../core/findings';
import type { GitRunner } from '../core/git';
import { formatMessage, type Message } from '../core/messages';
import { findingSeverity, ruleDocsUrl } from '../core/rules';
import { findTextFindings } from '../core/textFindings';
import { fileGitState, scanPaths } from '../core/workspaceScan';
import { READ_SETTING_KEYS, SETTINGS_SECTION, excludeGlobs, readSettings, toDiagnosticSeverity, type HygieneSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'Anthropic Key Hygiene';
/** How long typing must pause before a document is rescanned. */
const LIVE_DEBOUNCE_MS = 75;
/** Collects file events on disk into batches; a larger batch (a checkout, an install) rescans the workspace instead. */
const FILE_BATCH_MS = 100;
const MAX_SINGLE_FILE_RESCANS = 20;
/** Collects bursts of ignore/index changes (a `git add` touches the index several times) into one rescan. */
const GIT_STATE_DEBOUNCE_MS = 250;

/**
 * Whether an edit inserts something that may be a key (a paste, a completion): that edit is scanned at once rather
 * than after the debounce. The debounce is for typing, where each keystroke would otherwise publish diagnostics;
 * a pasted key is what the user most needs to see flagged, and the scan itself takes microseconds.
 */
function insertsKeyCandidate(event: vscode.TextDocumentChangeEvent): boolean {
  return event.contentChanges.some((change) => mayContainCredential(change.text));
}

interface PathState {
  ignored: boolean;
  tracked: boolean;
}

interface PathStateEntry {
  query: Promise<PathState>;
  /** The latest answer: the query's once it has come, an earlier one (still in use) until then. */
  answer?: PathState;
}

export class DiagnosticManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('anthropicKeyHygiene');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly liveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per document: bumped on every change, so a slow result for an older text is dropped. */
  private readonly liveGenerations = new Map<string, number>();
  /** Workspace-scan findings by file path, for files that are not open. */
  private readonly scannedFindings = new Map<string, FileFinding[]>();
  /** Each path's git state: the query, and its answer once it has come (read without awaiting, see updateLive). */
  private readonly pathStates = new Map<string, PathStateEntry>();
  private readonly countEmitter = new vscode.EventEmitter<number>();
  private scanCancellation: vscode.CancellationTokenSource | undefined;
  private scanGeneration = 0;
  private latestScan: Promise<void> | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private gitStateTimer: ReturnType<typeof setTimeout> | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changedFiles = new Set<string>();
  private changedFilesTimer: ReturnType<typeof setTimeout> | undefined;
  private settings: HygieneSettings = readSettings();
  /** Node watchers on each repository's .git folder: VS Code's own watcher leaves .git out. */
  private readonly gitFolderWatchers = new Map<string, FSWatcher[]>();

  /** Fires with the number of hardcoded keys in the workspace whenever it may have changed. */
  readonly onDidChangeKeyCount = this.countEmitter.event;

  constructor(private readonly git: GitRunner) {
    this.disposables.push(
      this.countEmitter,
      vscode.workspace.onDidOpenTextDocument((document) => this.scheduleLive(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.scheduleLive(event.document, insertsKeyCandidate(event) ? 0 : LIVE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.onClosed(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // Only the settings that change findings: the key vault's settings (apiBaseUrl, reminders) must not rescan.
        const affectsFindings = READ_SETTING_KEYS.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
        if (affectsFindings || event.affectsConfiguration('files.exclude')) this.refreshAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refreshAll()),
    );
    this.watchFiles();
  }

  /** Starts everything: live results for open documents, then the workspace scan. */
  start(): void {
    // On the next turn, once activate() has returned: the first scans start git processes (a few ms each to
    // spawn here), which need not hold up the extension host's activation of other extensions.
    this.startTimer = setTimeout(() => {
      for (const document of vscode.workspace.textDocuments) this.scheduleLive(document, 0);
      // Unless the command that activated the extension was Scan Workspace itself.
      if (!this.latestScan) void this.scanWorkspace(vscode.ProgressLocation.Window);
    }, 0);
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    for (const timer of this.liveTimers.values()) clearTimeout(timer);
    clearTimeout(this.gitStateTimer);
    clearTimeout(this.changedFilesTimer);
    clearTimeout(this.countTimer);
    this.scanCancellation?.cancel();
    this.scanCancellation?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    for (const watchers of this.gitFolderWatchers.values()) watchers.forEach((watcher) => watcher.close());
  }

  private get allowGit(): boolean {
    // Starting git in an untrusted folder could run its configured programs; read the files instead.
    return vscode.workspace.isTrusted;
  }

  private refreshAll(): void {
    this.settings = readSettings();
    this.pathStates.clear();
    for (const document of vscode.workspace.textDocuments) this.scheduleLive(document, 0);
    void this.scanWorkspace(vscode.ProgressLocation.Window);
  }

  // ---- open documents -------------------------------------------------------------------------

  private isScannable(document: vscode.TextDocument): boolean {
    // Output panels, git's virtual documents and the like are not files anyone commits.
    return ['file', 'untitled', 'vscode-notebook-cell', 'vscode-userdata'].includes(document.uri.scheme);
  }

  private scheduleLive(document: vscode.TextDocument, delay: number): void {
    if (!this.isScannable(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.liveTimers.get(key));
    const generation = (this.liveGenerations.get(key) ?? 0) + 1;
    this.liveGenerations.set(key, generation);
    const scheduledAt = performance.now();
    const run = () => {
      this.liveTimers.delete(key);
      void this.updateLive(document, generation, scheduledAt);
    };
    if (delay === 0) run();
    else this.liveTimers.set(key, setTimeout(run, delay));
  }

  private async updateLive(document: vscode.TextDocument, generation: number, scheduledAt: number): Promise<void> {
    const key = document.uri.toString();
    if (!this.settings.enable) {
      this.collection.delete(document.uri);
      return;
    }
    const isFile = document.uri.scheme === 'file';
    const stateEntry = isFile ? this.pathState(document.uri.fsPath) : undefined;
    // The scan itself is synchronous and fast (tens of microseconds for 10,000 lines); only the git state may wait.
    // A known state is used as it is: an await, even of a settled promise, lets the other extensions' handlers of
    // this change run first, which on a large file costs tens of milliseconds before the key is flagged.
    const state = stateEntry && (stateEntry.answer ?? (await stateEntry.query));
    const envRule = isFile && state ? envFileRule(document.uri.fsPath, state) : undefined;
    const findings = findTextFindings(document.getText(), {
      includeLowConfidence: this.settings.reportLowConfidenceTokens,
      fileName: isFile ? document.fileName : undefined,
      // Ignored .env files are left alone below; a .env git would commit is reported like any file.
      reportKeysInEnvFiles: true,
      envFileRule: envRule,
    });
    if (this.liveGenerations.get(key) !== generation || document.isClosed) return; // a newer text or a closed document
    if (state?.ignored && !state.tracked) {
      // Git-ignored files are where keys belong.
      this.collection.set(document.uri, []);
      this.fireCount();
      return;
    }
    const diagnostics = findings.map((finding) =>
      this.toDiagnostic(
        finding.ruleId,
        finding.severity,
        new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end)),
        { id: finding.messageId, args: finding.messageArgs },
      ),
    );
    if (envRule) diagnostics.unshift(this.toDiagnostic(envRule, findingSeverity(envRule), document.lineAt(0).range, { id: envRule, args: {} }));
    this.collection.set(document.uri, diagnostics);
    this.recordLiveUpdate(performance.now() - scheduledAt);
    this.fireCount();
  }

  /** Milliseconds from a change event to its diagnostics being published (debounce included), newest last. */
  readonly liveUpdateTimings: number[] = [];

  private recordLiveUpdate(ms: number): void {
    this.liveUpdateTimings.push(ms);
    if (this.liveUpdateTimings.length > 100) this.liveUpdateTimings.shift();
  }

  private onClosed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.liveTimers.get(key));
    this.liveTimers.delete(key);
    this.liveGenerations.delete(key);
    // A closed file falls back to what the workspace scan knows of it (nothing in openFiles scope).
    if (document.uri.scheme === 'file' && this.settings.scope === 'workspace' && this.settings.enable) {
      void this.rescanFile(document.uri);
    } else {
      this.collection.delete(document.uri);
      this.fireCount();
    }
  }

  private pathState(path: string): PathStateEntry {
    return this.pathStates.get(path) ?? this.queryPathState(path);
  }

  /**
   * Asks git for a path's state. `stale`, an earlier answer, stays in use (without waiting) until the new one comes;
   * if the new one differs, the open documents at that path are rescanned.
   */
  private queryPathState(path: string, stale?: PathState): PathStateEntry {
    const entry: PathStateEntry = {
      query: fileGitState(path, this.allowGit, this.git).catch(() => ({ ignored: false, tracked: false })),
      answer: stale,
    };
    this.pathStates.set(path, entry);
    void entry.query.then((answer) => {
      entry.answer = answer;
      if (!stale || (stale.ignored === answer.ignored && stale.tracked === answer.tracked)) return;
      if (this.pathStates.get(path) !== entry) return; // superseded
      for (const document of vscode.workspace.textDocuments) if (document.uri.fsPath === path) this.scheduleLive(document, 0);
    });
    return entry;
  }

  // ---- the workspace ----------------------------------------------------------------------------

  /** Scans every workspace folder; a newer scan cancels an older one. */
  async scanWorkspace(location: vscode.ProgressLocation): Promise<void> {
    const scan = this.runScan(location);
    this.latestScan = scan;
    await scan;
    // A newer scan may have cancelled this one (a setting or a burst of file changes); the caller wants
    // current results, so wait for whichever scan is the latest.
    while (this.latestScan !== undefined && this.latestScan !== scan) {
      const latest: Promise<void> = this.latestScan;
      await latest;
      if (this.latestScan === latest) break;
    }
  }

  private async runScan(location: vscode.ProgressLocation): Promise<void> {
    this.scanCancellation?.cancel();
    this.scanCancellation?.dispose();
    const cancellation = (this.scanCancellation = new vscode.CancellationTokenSource());
    const generation = ++this.scanGeneration;
    const settings = this.settings;
    if (!settings.enable || settings.scope !== 'workspace') {
      this.replaceScanned(new Map());
      return;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    await vscode.window.withProgress(
      { location, title: vscode.l10n.t('Anthropic Key Hygiene: scanning for keys'), cancellable: true },
      async (progress, progressToken) => {
        const abort = new AbortController();
        const cancel = () => abort.abort();
        const subscriptions = [cancellation.token.onCancellationRequested(cancel), progressToken.onCancellationRequested(cancel)];
        const byFile = new Map<string, FileFinding[]>();
        const repositories: string[] = [];
        try {
          for (const folder of folders) {
            const result = await scanPaths([folder.uri.fsPath], {
              useGitignore: true,
              allowGit: this.allowGit,
              git: this.git,
              includeLowConfidence: settings.reportLowConfidenceTokens,
              maxFileSize: settings.maxFileSize,
              isExcluded: createExcludeMatcher(excludeGlobs(folder, settings)),
              signal: abort.signal,
              onProgress: throttle((done, total) => progress.report({ message: `${done}/${total}` })),
            });
            repositories.push(...result.repositories);
            for (const finding of result.findings) {
              const list = byFile.get(finding.file) ?? [];
              list.push(finding);
              byFile.set(finding.file, list);
            }
          }
        } finally {
          subscriptions.forEach((subscription) => subscription.dispose());
        }
        if (generation === this.scanGeneration && !abort.signal.aborted) {
          this.replaceScanned(byFile);
          this.watchRepositories(repositories);
        }
      },
    );
  }

  private replaceScanned(byFile: Map<string, FileFinding[]>): void {
    const stale = [...this.scannedFindings.keys()].filter((path) => !byFile.has(path));
    this.scannedFindings.clear();
    for (const [path, findings] of byFile) this.scannedFindings.set(path, findings);
    for (const path of stale) this.publishScanned(path);
    for (const path of byFile.keys()) this.publishScanned(path);
    this.fireCount();
  }

  /** Publishes scan results for a file unless it is open (open documents show their live results). */
  private publishScanned(path: string): void {
    const uri = vscode.Uri.file(path);
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) return;
    const findings = this.scannedFindings.get(path);
    if (!findings || findings.length === 0) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(
      uri,
      findings.map((finding) =>
        this.toDiagnostic(finding.ruleId, finding.severity, new vscode.Range(finding.line - 1, finding.column - 1, finding.endLine - 1, finding.endColumn - 1), {
          id: finding.messageId,
          args: finding.messageArgs,
        }),
      ),
    );
  }

  private async rescanFile(uri: vscode.Uri): Promise<void> {
    const settings = this.settings;
    if (!settings.enable || settings.scope !== 'workspace') return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    const relativePath = vscode.workspace.asRelativePath(uri, false);
    if (createExcludeMatcher(excludeGlobs(folder, settings))?.(relativePath)) return;
    const generation = this.scanGeneration;
    let findings: FileFinding[] = [];
    try {
      const result = await scanPaths([uri.fsPath], {
        useGitignore: true,
        allowGit: this.allowGit,
        git: this.git,
        includeLowConfidence: settings.reportLowConfidenceTokens,
        maxFileSize: settings.maxFileSize,
        workers: 0,
      });
      findings = result.findings;
    } catch {
      // Deleted or unreadable between the event and the read: it has no findings.
    }
    if (generation !== this.scanGeneration) return; // a full scan started since; it has the newer truth
    this.scannedFindings.set(uri.fsPath, findings);
    this.publishScanned(uri.fsPath);
    this.fireCount();
  }

  /** Each file rescan asks git about that file, so a burst of changes is cheaper as one workspace scan. */
  private rescanChangedFiles(): void {
    const paths = [...this.changedFiles];
    this.changedFiles.clear();
    // A new or renamed folder brings files no single-file rescan would see: rescan the workspace then too.
    const isFolder = (path: string) => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false; // gone again: its delete event handles it
      }
    };
    if (paths.length > MAX_SINGLE_FILE_RESCANS || paths.some(isFolder)) void this.scanWorkspace(vscode.ProgressLocation.Window);
    else for (const path of paths) void this.rescanFile(vscode.Uri.file(path));
  }

  private forgetPath(uri: vscode.Uri): void {
    // A deleted folder takes everything beneath it along.
    const prefix = uri.fsPath + '/';
    let removed = false;
    for (const path of [...this.scannedFindings.keys()]) {
      if (path === uri.fsPath || path.startsWith(prefix)) {
        this.scannedFindings.delete(path);
        this.collection.delete(vscode.Uri.file(path));
        removed = true;
      }
    }
    this.pathStates.delete(uri.fsPath);
    if (removed) this.fireCount();
  }

  private watchFiles(): void {
    const files = vscode.workspace.createFileSystemWatcher('**/*');
    const onChanged = (uri: vscode.Uri, created: boolean) => {
      if (uri.path.includes('/.git/')) return;
      if (basename(uri.fsPath) === '.gitignore') {
        this.onGitStateChanged();
        return;
      }
      // A save (autosave while typing, too) rarely changes a file's ignore or tracking state, but a git command run
      // outside the editor may have, where the index and ignore watchers do not reach (a worktree, openFiles
      // scope): ask again, and keep using the answer known so far until the new one comes, so that a live scan
      // never waits for git. A created file starts afresh.
      const known = this.pathStates.get(uri.fsPath)?.answer;
      if (created || !known) this.pathStates.delete(uri.fsPath);
      else this.queryPathState(uri.fsPath, known);
      this.changedFiles.add(uri.fsPath);
      clearTimeout(this.changedFilesTimer);
      this.changedFilesTimer = setTimeout(() => this.rescanChangedFiles(), FILE_BATCH_MS);
    };
    this.disposables.push(
      files,
      files.onDidCreate((uri) => onChanged(uri, true)),
      files.onDidChange((uri) => onChanged(uri, false)),
      files.onDidDelete((uri) => (basename(uri.fsPath) === '.gitignore' ? this.onGitStateChanged() : this.forgetPath(uri))),
    );
  }

  /**
   * Watches .git/index (what git tracks) and .git/info/exclude (what it ignores) of each repository.
   * VS Code's file watcher excludes .git folders, so these are Node watchers, as the built-in git extension uses.
   */
  private watchRepositories(tops: readonly string[]): void {
    const wanted = new Set(tops);
    for (const [top, watchers] of this.gitFolderWatchers) {
      if (wanted.has(top)) continue;
      watchers.forEach((watcher) => watcher.close());
      this.gitFolderWatchers.delete(top);
    }
    for (const top of wanted) {
      if (this.gitFolderWatchers.has(top)) continue;
      const watchers: FSWatcher[] = [];
      for (const [dir, name] of [[join(top, '.git'), 'index'], [join(top, '.git', 'info'), 'exclude']]) {
        try {
          const watcher = watch(dir, (_event, file) => {
            if (file === name) this.onGitStateChanged();
          });
          watcher.on('error', () => watcher.close()); // the folder went away; the next scan re-creates watchers
          watchers.push(watcher);
        } catch {
          // No such folder (a worktree's .git is a file; info/ may be missing): nothing to watch there.
        }
      }
      this.gitFolderWatchers.set(top, watchers);
    }
  }

  /** Ignore rules or the index changed: every file's git state may differ now. */
  private onGitStateChanged(): void {
    clearTimeout(this.gitStateTimer);
    this.gitStateTimer = setTimeout(() => this.refreshAll(), GIT_STATE_DEBOUNCE_MS);
  }

  // ---- shared ----------------------------------------------------------------------------------

  private toDiagnostic(ruleId: RuleId, severity: Severity, range: vscode.Range, message: Message): vscode.Diagnostic {
    // The engine's English template is the translation key (messages.ts).
    const text = formatMessage(message, (template, args) => vscode.l10n.t(template, args));
    const diagnostic = new vscode.Diagnostic(range, text, toDiagnosticSeverity(severity, this.settings.severity[ruleId]));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: ruleId, target: vscode.Uri.parse(ruleDocsUrl(ruleId)) };
    return diagnostic;
  }

  /** Recounts soon rather than now: a burst of publishes (a scan, many deleted files) costs one count and one status update. */
  private fireCount(): void {
    if (this.countTimer) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      let count = 0;
      this.collection.forEach((_uri, diagnostics) => {
        for (const diagnostic of diagnostics) if (ruleIdOf(diagnostic) === 'hardcoded-key') count++;
      });
      this.countEmitter.fire(count);
    }, 50);
  }
}

/** Each progress report is a message to the workbench; 20,000 of them would flood the connection. */
function throttle(report: (done: number, total: number) => void, intervalMs = 200): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < intervalMs && done < total) return;
    last = now;
    report(done, total);
  };
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}
