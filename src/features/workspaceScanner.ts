// The workspace scan: every file of every folder that git would commit, scanned by the build's engine (the Node
// build: scanPaths, the CLI's own; the web build: vscode.workspace.fs), and kept current by the file watcher: a few
// changed files are rescanned one by one, a burst (a checkout, an install) or a new folder rescans the workspace. It
// keeps findings by file key and tells the manager which keys changed; it publishes nothing itself.
import * as vscode from 'vscode';
import { createExcludeMatcher } from '../core/excludes';
import type { FileFinding } from '../core/findings';
import type { DocumentStates, ScanEngine } from './scanBackend';
import type { ScanProblem, ScanProblems } from './scanProblems';
import { excludeGlobs, type FindingsConfiguration } from './settings';

/** Collects file events on disk into batches; a larger batch (a checkout, an install) rescans the workspace instead. */
const FILE_BATCH_MS = 100;
const MAX_SINGLE_FILE_RESCANS = 20;

export class WorkspaceScanner implements vscode.Disposable {
  /** Findings by file key (ScanEngine.keyOf), from the last scan of each file. */
  readonly findings = new Map<string, FileFinding[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updateEmitter = new vscode.EventEmitter<string[]>();
  private cancellation: vscode.CancellationTokenSource | undefined;
  private generation = 0;
  private latest: Promise<void> | undefined;
  private readonly changedFiles = new Map<string, vscode.Uri>();
  private changedFilesTimer: ReturnType<typeof setTimeout> | undefined;
  /** The folders the last whole scan covered (the report says whether the workspace was scanned as a whole). */
  private scannedFolders: readonly vscode.Uri[] = [];

  /** Fires with the keys whose findings changed (added, replaced or removed). */
  readonly onDidUpdate = this.updateEmitter.event;

  constructor(
    private readonly engine: ScanEngine,
    private readonly configuration: FindingsConfiguration,
    private readonly gitStates: DocumentStates,
    private readonly problems?: ScanProblems,
  ) {
    this.disposables.push(this.updateEmitter);
    this.watchFiles();
  }

  dispose(): void {
    clearTimeout(this.changedFilesTimer);
    this.cancellation?.cancel();
    this.cancellation?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Whether a scan has started (the first one, or one a command asked for). */
  get started(): boolean {
    return this.latest !== undefined;
  }

  /** The workspace folders the last complete scan covered. */
  get folders(): readonly vscode.Uri[] {
    return this.scannedFolders;
  }

  /** Scans every workspace folder; a newer scan cancels an older one. Resolves once the newest scan is done. */
  async scan(location: vscode.ProgressLocation): Promise<void> {
    const scan = this.run(location);
    this.latest = scan;
    await scan;
    // A newer scan may have cancelled this one (a setting, a burst of file changes); the caller wants current
    // results, so wait for whichever scan is the latest.
    while (this.latest !== undefined && this.latest !== scan) {
      const latest: Promise<void> = this.latest;
      await latest;
      if (this.latest === latest) break;
    }
  }

  private async run(location: vscode.ProgressLocation): Promise<void> {
    this.cancellation?.cancel();
    this.cancellation?.dispose();
    const cancellation = (this.cancellation = new vscode.CancellationTokenSource());
    const generation = ++this.generation;
    const settings = this.configuration.current;
    if (!settings.enable || settings.scope !== 'workspace') {
      this.scannedFolders = [];
      this.replace(new Map());
      return;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => this.engine.handles(folder));
    await vscode.window.withProgress({ location, title: vscode.l10n.t('Anthropic Key Hygiene: scanning for keys'), cancellable: true }, async (progress, progressToken) => {
      const abort = new AbortController();
      const cancel = () => abort.abort();
      const subscriptions = [cancellation.token.onCancellationRequested(cancel), progressToken.onCancellationRequested(cancel)];
      const byFile = new Map<string, FileFinding[]>();
      const repositories: string[] = [];
      const trouble: ScanProblem[] = [];
      try {
        for (const folder of folders) {
          const result = await this.engine.scanFolder(
            folder,
            settings,
            abort.signal,
            throttle((done, total) => progress.report({ message: `${done}/${total}` })),
          );
          repositories.push(...result.repositories);
          // What could not be read is said, never counted as clean: folders git refuses, unreadable files.
          trouble.push(...result.problems);
          for (const finding of result.findings) {
            const list = byFile.get(finding.file) ?? [];
            list.push(finding);
            byFile.set(finding.file, list);
          }
        }
      } finally {
        subscriptions.forEach((subscription) => subscription.dispose());
      }
      if (generation === this.generation && !abort.signal.aborted) {
        this.scannedFolders = folders.map((folder) => folder.uri);
        this.replace(byFile);
        this.gitStates.watchRepositories(repositories);
        this.problems?.replace(trouble);
      }
    });
  }

  private replace(byFile: Map<string, FileFinding[]>): void {
    const changed = new Set([...this.findings.keys(), ...byFile.keys()]);
    this.findings.clear();
    for (const [key, findings] of byFile) this.findings.set(key, findings);
    this.updateEmitter.fire([...changed]);
  }

  /** Rescans one file (a closed document, a file changed on disk). */
  async rescanFile(uri: vscode.Uri): Promise<void> {
    const settings = this.configuration.current;
    if (!settings.enable || settings.scope !== 'workspace') return;
    const key = this.engine.keyOf(uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (key === undefined || !folder || !this.engine.handles(folder)) return;
    if (createExcludeMatcher(excludeGlobs(folder, settings))?.(vscode.workspace.asRelativePath(uri, false))) return;
    const generation = this.generation;
    let findings: FileFinding[] = [];
    try {
      const result = await this.engine.scanFile(uri, folder, settings);
      // Deleted between the event and the read: it has no findings.
      if (result !== 'gone') {
        findings = result.findings;
        for (const problem of result.problems) this.problems?.add(problem);
      }
    } catch (error) {
      this.problems?.add({ path: uri.scheme === 'file' ? uri.fsPath : uri.toString(), message: (error as Error).message });
    }
    if (generation !== this.generation) return; // a full scan started since; it has the newer truth
    this.findings.set(key, findings);
    this.updateEmitter.fire([key]);
  }

  /** Each file rescan asks git about that file, so a burst of changes is cheaper as one workspace scan. */
  private async rescanChangedFiles(): Promise<void> {
    const uris = [...this.changedFiles.values()];
    this.changedFiles.clear();
    // A new or renamed folder brings files no single-file rescan would see: rescan the workspace then too (a path gone
    // again is no folder: its delete event handles it).
    const anyFolder = uris.length <= MAX_SINGLE_FILE_RESCANS && (await Promise.all(uris.map((uri) => this.engine.isFolder(uri).catch(() => false)))).some(Boolean);
    if (uris.length > MAX_SINGLE_FILE_RESCANS || anyFolder) void this.scan(vscode.ProgressLocation.Window);
    else for (const uri of uris) void this.rescanFile(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = this.engine.keyOf(uri);
    if (key === undefined) return;
    // A deleted folder takes everything beneath it along.
    const prefix = key + '/';
    const removed = [...this.findings.keys()].filter((path) => path === key || path.startsWith(prefix));
    for (const path of removed) this.findings.delete(path);
    this.gitStates.forget(key);
    if (removed.length > 0) this.updateEmitter.fire(removed);
  }

  private watchFiles(): void {
    const files = vscode.workspace.createFileSystemWatcher('**/*');
    const isGitignore = (uri: vscode.Uri) => uri.path.endsWith('/.gitignore');
    const onChanged = (uri: vscode.Uri, created: boolean) => {
      if (uri.path.includes('/.git/')) return;
      if (isGitignore(uri)) {
        this.gitStates.noteGitStateChanged();
        return;
      }
      const key = this.engine.keyOf(uri);
      if (key === undefined) return;
      // A save (autosave while typing, too) rarely changes a file's ignore or tracking state, but a git command run
      // outside the editor may have, where the index and ignore watchers do not reach (a worktree, openFiles scope):
      // ask again, keeping the answer known so far until the new one comes. A created file starts afresh.
      if (created) this.gitStates.forget(key);
      else this.gitStates.requery(key);
      this.changedFiles.set(key, uri);
      clearTimeout(this.changedFilesTimer);
      this.changedFilesTimer = setTimeout(() => void this.rescanChangedFiles(), FILE_BATCH_MS);
    };
    this.disposables.push(
      files,
      files.onDidCreate((uri) => onChanged(uri, true)),
      files.onDidChange((uri) => onChanged(uri, false)),
      files.onDidDelete((uri) => (isGitignore(uri) ? this.gitStates.noteGitStateChanged() : this.forget(uri))),
    );
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
