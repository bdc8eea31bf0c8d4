// What the diagnostics need of files, and which differs between the Node build and the web build: what git says of
// a file (DocumentStates: git itself in the Node build, the .gitignore files alone in the web build), and how a
// workspace folder's files are listed and read (ScanEngine: the CLI's scan engine over fs, or vscode.workspace.fs).
// DiagnosticManager and WorkspaceScanner schedule, cache and publish the same way over either.
import type * as vscode from 'vscode';
import type { FileFinding } from '../core/findings';
import type { DocumentGitState } from './diagnosticComputer';
import type { ScanProblem, ScanProblems } from './scanProblems';
import type { HygieneSettings } from './settings';

export interface PathStateEntry {
  query: Promise<DocumentGitState>;
  /** The latest answer: the query's once it has come, an earlier one (still in use) until then. */
  answer?: DocumentGitState;
}

/** What git says of each file the editor shows, asked once and kept; keys are ScanEngine.keyOf's. */
export interface DocumentStates extends vscode.Disposable {
  /** Ignore rules or the index changed: every file's state may differ now (the cache is already cleared). */
  readonly onDidChangeAll: vscode.Event<void>;
  /** A re-query of one file gave a different answer. */
  readonly onDidChangePath: vscode.Event<string>;
  /** The file's state: known, or being asked. */
  get(key: string): PathStateEntry;
  /** The answer known now, if any, without asking. */
  known(key: string): DocumentGitState | undefined;
  /** Asks again, keeping the earlier answer in use until the new one comes. */
  requery(key: string): void;
  forget(key: string): void;
  clear(): void;
  /** Ignore rules changed (a .gitignore): refresh everything, once per burst. */
  noteGitStateChanged(): void;
  /** The repositories a scan found, whose own files (index, info/exclude) change states too. */
  watchRepositories(tops: readonly string[]): void;
}

/** One folder's (or one file's) scan. `findings[].file` is the file's key. */
export interface FolderScanResult {
  findings: FileFinding[];
  /** What could not be read, said out loud (never counted as clean). */
  problems: ScanProblem[];
  /** Repository tops found (for DocumentStates.watchRepositories). */
  repositories: string[];
}

export interface ScanEngine {
  /** How files are keyed: the Node build by path, the web build by URI. Undefined: not a file this engine knows. */
  keyOf(uri: vscode.Uri): string | undefined;
  uriOf(key: string): vscode.Uri;
  /** Whether this engine scans the workspace folder. */
  handles(folder: vscode.WorkspaceFolder): boolean;
  scanFolder(folder: vscode.WorkspaceFolder, settings: HygieneSettings, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<FolderScanResult>;
  /** One file again (changed on disk, or closed); 'gone' when it no longer exists. */
  scanFile(uri: vscode.Uri, folder: vscode.WorkspaceFolder, settings: HygieneSettings): Promise<FolderScanResult | 'gone'>;
  /** Whether a path that changed is a folder now (a new folder brings files no single-file rescan sees). */
  isFolder(uri: vscode.Uri): Promise<boolean>;
  /** A sentence for the status bar and the report when some state cannot be known here (the web build: whether git
   * tracks a file); undefined when everything the rules judge is known. */
  readonly limitation?: string;
}

/** One build's way of knowing files, made once the shared parts exist (the problems every part reports to). */
export interface DiagnosticsBackend {
  readonly states: DocumentStates;
  readonly engine: ScanEngine;
  /** Whether a document is checked at all (output panels and git's virtual documents are not files anyone commits). */
  scans(uri: vscode.Uri): boolean;
}

export type DiagnosticsBackendFactory = (problems: ScanProblems) => DiagnosticsBackend;
