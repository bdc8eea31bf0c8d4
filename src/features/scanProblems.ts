// What the editor could not check, said out loud: a repository git refuses ("dubious ownership"), a missing git
// inside a repository, an unreadable folder, a file over the size limit. The workspace scan and the git state of
// open documents report here; each distinct problem is shown once as a warning (with the fix git's message names)
// and all of them are listed in an output channel. A scan that could not read everything never looks clean.
import * as vscode from 'vscode';
import { maskSecrets } from '../core/hint';

export interface ScanProblem {
  path: string;
  message: string;
}

export class ScanProblems implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel(vscode.l10n.t('Anthropic Key Hygiene: Problems'));
  /** Problems of the last workspace scan, and those met since by single files, by path + message. */
  private readonly current = new Map<string, ScanProblem>();
  /** Messages already shown as a notification in this session: each is shown once. */
  private readonly shown = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<number>();

  /** Fires with the number of current problems. */
  readonly onDidChange = this.changeEmitter.event;

  dispose(): void {
    this.output.dispose();
    this.changeEmitter.dispose();
  }

  get count(): number {
    return this.current.size;
  }

  /** The problems of a whole workspace scan, replacing the last scan's. */
  replace(problems: readonly ScanProblem[]): void {
    this.current.clear();
    for (const problem of problems) this.current.set(`${problem.path}\0${problem.message}`, problem);
    this.render();
    this.announce(problems);
  }

  /** One more problem, met outside a workspace scan (the git state of an open document). */
  add(problem: ScanProblem): void {
    const key = `${problem.path}\0${problem.message}`;
    if (this.current.has(key)) return;
    this.current.set(key, problem);
    this.render();
    this.announce([problem]);
  }

  private render(): void {
    this.output.clear();
    for (const { path, message } of this.current.values()) this.output.appendLine(maskSecrets(`${path}: ${message}`));
    this.changeEmitter.fire(this.current.size);
  }

  private announce(problems: readonly ScanProblem[]): void {
    const fresh = problems.filter((problem) => !this.shown.has(problem.message));
    if (fresh.length === 0) return;
    for (const problem of fresh) this.shown.add(problem.message);
    const details = vscode.l10n.t('Show Details');
    const text =
      fresh.length === 1
        ? vscode.l10n.t('Anthropic Key Hygiene could not check {0}: {1}', vscode.workspace.asRelativePath(fresh[0].path), maskSecrets(fresh[0].message))
        : vscode.l10n.t('Anthropic Key Hygiene could not check {0} places, starting with {1}: {2}', fresh.length, vscode.workspace.asRelativePath(fresh[0].path), maskSecrets(fresh[0].message));
    void vscode.window.showWarningMessage(text, details).then((choice) => {
      if (choice === details) this.output.show();
    });
  }
}
