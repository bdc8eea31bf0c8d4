// What git says of each path the editor shows (ignored, tracked), asked once and kept, and watched for change: the
// index and .git/info/exclude by Node watchers (VS Code's own watcher leaves .git out, as the built-in git
// extension also works around), .gitignore files by the workspace watcher (see WorkspaceScanner).
//
// Decisions:
// - An answer is used without awaiting once it is known: an await, even of a settled promise, lets every other
//   extension's handler of a change run first, which on a large file costs tens of milliseconds before a pasted
//   key is flagged.
// - A re-query keeps the earlier answer in use until the new one comes, and says so only if it differs.
// - In an untrusted workspace git does not run; the .gitignore files are read instead (fileGitState).
// - When git cannot answer inside a repository, the state is unknown and the reason goes to ScanProblems.
import * as vscode from 'vscode';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { GitRunner } from '../core/git';
import { fileGitState } from '../core/workspaceScan';
import type { DocumentGitState } from './diagnosticComputer';
import type { DocumentStates, PathStateEntry } from './scanBackend';
import type { ScanProblems } from './scanProblems';

export type { PathStateEntry } from './scanBackend';

/** Collects bursts of ignore/index changes (a `git add` touches the index several times) into one refresh. */
const GIT_STATE_DEBOUNCE_MS = 250;

export class GitPathStates implements DocumentStates {
  private readonly entries = new Map<string, PathStateEntry>();
  /** Node watchers on each repository's .git folder. */
  private readonly watchers = new Map<string, FSWatcher[]>();
  private readonly everythingEmitter = new vscode.EventEmitter<void>();
  private readonly pathEmitter = new vscode.EventEmitter<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** Ignore rules or the index changed: every path's state may differ now (the cache is already cleared). */
  readonly onDidChangeAll = this.everythingEmitter.event;
  /** A re-query of one path gave a different answer. */
  readonly onDidChangePath = this.pathEmitter.event;

  constructor(
    private readonly git: GitRunner,
    private readonly problems?: ScanProblems,
  ) {}

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const watchers of this.watchers.values()) watchers.forEach((watcher) => watcher.close());
    this.everythingEmitter.dispose();
    this.pathEmitter.dispose();
  }

  /** Starting git in an untrusted folder could run its configured programs; the files are read instead. */
  get allowGit(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The path's state: known, or being asked. */
  get(path: string): PathStateEntry {
    return this.entries.get(path) ?? this.ask(path);
  }

  /** The answer known now, if any, without asking. */
  known(path: string): DocumentGitState | undefined {
    return this.entries.get(path)?.answer;
  }

  /** Asks again, keeping the earlier answer in use until the new one comes. */
  requery(path: string): void {
    const known = this.known(path);
    if (known) this.ask(path, known);
    else this.entries.delete(path);
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Ignore rules changed (a .gitignore, the index): refresh everything, once per burst. */
  noteGitStateChanged(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.entries.clear();
      this.everythingEmitter.fire();
    }, GIT_STATE_DEBOUNCE_MS);
  }

  private ask(path: string, stale?: DocumentGitState): PathStateEntry {
    const entry: PathStateEntry = {
      // When git cannot answer (it refuses the repository, it is missing), nothing is guessed: the file's keys are
      // shown, the env-file rules are not (unknown), and the reason is said once.
      query: fileGitState(path, this.allowGit, this.git).catch((error: Error) => {
        this.problems?.add({ path, message: error.message });
        return { ignored: false, tracked: false, unknown: true };
      }),
      answer: stale,
    };
    this.entries.set(path, entry);
    void entry.query.then((answer) => {
      entry.answer = answer;
      if (!stale || (stale.ignored === answer.ignored && stale.tracked === answer.tracked)) return;
      if (this.entries.get(path) === entry) this.pathEmitter.fire(path);
    });
    return entry;
  }

  /** Watches .git/index (what git tracks) and .git/info/exclude (what it ignores) of each repository. */
  watchRepositories(tops: readonly string[]): void {
    const wanted = new Set(tops);
    for (const [top, watchers] of this.watchers) {
      if (wanted.has(top)) continue;
      watchers.forEach((watcher) => watcher.close());
      this.watchers.delete(top);
    }
    for (const top of wanted) {
      if (this.watchers.has(top)) continue;
      const watchers: FSWatcher[] = [];
      for (const [dir, name] of [[join(top, '.git'), 'index'], [join(top, '.git', 'info'), 'exclude']]) {
        try {
          const watcher = watch(dir, (_event, file) => {
            if (file === name) this.noteGitStateChanged();
          });
          watcher.on('error', () => watcher.close()); // the folder went away; the next scan re-creates watchers
          watchers.push(watcher);
        } catch {
          // No such folder (a worktree's .git is a file; info/ may be missing): nothing to watch there.
        }
      }
      this.watchers.set(top, watchers);
    }
  }
}
