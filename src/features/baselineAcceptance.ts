// The editor honours the repository's baseline (issue 18): a finding the baseline accepts is shown greyed, as a hint
// that says so, in the Problems panel and the editor alike, exactly as `scan --baseline` leaves it out of a failure.
//
// Decisions:
// - The baseline is DEFAULT_BASELINE_FILE at the top of the repository that holds the file (the nearest folder
//   above it with a .git entry on disk), as the CLI and the Action use it. Reading it runs nothing, so it is honoured
//   in untrusted workspaces too.
// - Diagnostics are computed synchronously, so a repository's baseline is looked up from a cache: the first finding
//   in a repository starts loading it (answering "not accepted" meanwhile), and once it is read onDidChange fires and
//   the diagnostics are published again. A watcher reloads it when it changes on disk (a pull, --update-baseline).
// - A baseline that cannot be read (a bad line, a link) is reported once, and accepts nothing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { BaselineError, DEFAULT_BASELINE_FILE, type BaselineFinding } from '../core/baseline';
import { acceptsFinding, loadRepositoryBaseline, type LoadedBaseline } from '../core/baselineFile';

export class BaselineAcceptance implements vscode.Disposable {
  /** By repository top: the baseline read (undefined: there is none), or the read under way. */
  private readonly baselines = new Map<string, LoadedBaseline | undefined | Promise<void>>();
  /** By folder: the repository top above it (undefined: none), so a lookup walks up a folder chain once. */
  private readonly tops = new Map<string, string | undefined>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires when a baseline was read or changed: what is accepted may differ. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly reportProblem: (message: string) => void) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${DEFAULT_BASELINE_FILE}`);
    const reload = (uri: vscode.Uri) => {
      const top = dirname(uri.fsPath);
      if (!this.baselines.has(top)) return;
      this.baselines.delete(top);
      this.load(top);
    };
    this.disposables.push(watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload));
  }

  /** Whether the baseline of `file`'s repository accepts `finding` (false while that baseline is being read). */
  accepts(file: string, finding: BaselineFinding): boolean {
    if (finding.credential?.digest === undefined && finding.ruleId === 'hardcoded-key') return false;
    const top = this.topOf(dirname(file));
    if (top === undefined) return false;
    const loaded = this.baselines.get(top);
    if (loaded === undefined) {
      if (!this.baselines.has(top)) this.load(top);
      return false;
    }
    return !(loaded instanceof Promise) && acceptsFinding(loaded, file, finding);
  }

  private load(top: string): void {
    const reading: Promise<void> = loadRepositoryBaseline(top).then(
      (loaded) => this.settle(top, reading, loaded),
      (error: unknown) => {
        this.settle(top, reading, undefined);
        if (error instanceof BaselineError) this.reportProblem(error.message);
      },
    );
    this.baselines.set(top, reading);
  }

  /** Keeps what a read found unless a newer read started meanwhile, and republishes: a baseline that appeared,
   * changed, broke or was deleted changes what is accepted. */
  private settle(top: string, reading: Promise<void>, loaded: LoadedBaseline | undefined): void {
    if (this.baselines.get(top) !== reading) return;
    this.baselines.set(top, loaded);
    this.emitter.fire();
  }

  private topOf(folder: string): string | undefined {
    const chain: string[] = [];
    let top: string | undefined;
    for (let dir = folder; ; dir = dirname(dir)) {
      if (this.tops.has(dir)) {
        top = this.tops.get(dir);
        break;
      }
      chain.push(dir);
      if (existsSync(join(dir, '.git'))) {
        top = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    for (const dir of chain) this.tops.set(dir, top);
    return top;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
