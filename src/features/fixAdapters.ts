// The editor's side of the core fix engine (src/core/fixes): where a document's keys go (FixPlaces: the Node build
// writes files on disk, the web build through workspace.fs, each as a FixPlatform), Secret Storage as a destination,
// and how rewritten sources reach the editor. Everything that decides is in core; these only adapt. Node-free: the
// Node build's places are nodeFixPlaces.ts, the web build's web/webFixPlatform.ts.
import * as vscode from 'vscode';
import { StoreRefusedError, type KeyDestination, type StoreResult } from '../core/fixes/destination';
import type { TextEdit } from '../core/fixes/edits';
import type { EnvEntryToStore } from '../core/fixes/envFile';
import type { FixPlatform } from '../core/fixes/platform';
import { keyHint } from '../core/hint';
import type { KeyVault } from './keyVault';

/** A file the fixes can write beside, on the platform that can write there. */
export interface FixPlace {
  platform: FixPlatform;
  /** The file, as the platform's path (a native path in the Node build, a URI's path in the web build). */
  path: string;
  /** The folder the fix works in (its workspace folder, else the file's own): env files and .gitignore stay inside. */
  root: string;
  /** A platform path back as a URI, for messages (workspace-relative) and documents. */
  uriOf(path: string): vscode.Uri;
  /** Whether git must be allowed to run (a trusted workspace) for a key to be stored there: the Node build's case,
   * where git answers whether the env file is tracked once the workspace is trusted. */
  needsTrust: boolean;
}

export interface FixPlaces {
  /** Where the fixes of the document at `uri` write; undefined when they cannot (an untitled buffer, a file outside
   * what this build can write). A notebook cell's place is its notebook's. */
  locate(uri: vscode.Uri): FixPlace | undefined;
  /** The env file that receives the keys of the file at `place` (envFolders.ts' rule). */
  envFileFor(place: FixPlace): Promise<string>;
}

/** The folder a document's fix works in: its workspace folder, else its own folder (a file opened alone). A
 * notebook cell's path is its notebook's. */
export function fixRootFor(uri: vscode.Uri): string {
  const file = uri.scheme === 'file' ? uri : vscode.Uri.file(uri.fsPath);
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? vscode.Uri.joinPath(file, '..').fsPath;
}

/** Documents whose keys may go to a .env on disk: files and notebook cells (not untitled buffers, not virtual files). */
export function hasFileOnDisk(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' || uri.scheme === 'vscode-notebook-cell';
}

export function rangeOf(document: vscode.TextDocument, edit: TextEdit): vscode.Range {
  return new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
}

/** The open document of a file on disk, if any. */
export function openFileDocument(path: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === path);
}

/**
 * Sources as the editor holds them: an open document's text (unsaved edits included), else the file on disk (read
 * by the engine). Fix All plans on what the user sees, never on a stale disk copy.
 */
export async function readOpenDocument(path: string): Promise<{ text: string; notUtf8: boolean } | undefined> {
  const open = openFileDocument(path);
  return open ? { text: open.getText(), notUtf8: false } : undefined;
}

/**
 * VS Code's Secret Storage as a destination: the same planning as a .env (a name is never taken from a different
 * key), the vault's own read-back after every write. `stored` holds the names that matter to the plan: the wanted
 * name and its numbered and _PREVIOUS variants.
 */
export async function openSecretStorageDestination(vault: KeyVault, wanted: string): Promise<KeyDestination> {
  const stored = new Map<string, string>();
  for (const record of vault.list()) {
    if (record.name !== wanted && !record.name.startsWith(`${wanted}_`)) continue;
    const value = await vault.getSecret(record.name);
    if (value !== undefined) stored.set(record.name, value);
  }
  const label = vscode.l10n.t('Secret Storage');
  return {
    label,
    stored,
    async store(entries: readonly EnvEntryToStore[]): Promise<StoreResult> {
      const now = new Date().toISOString();
      const written: StoreResult['stored'] = [];
      for (const entry of entries) {
        if (entry.replaces) {
          const kept = await vault.store({ name: entry.replaces.previousName, environment: 'development', hint: keyHint(entry.replaces.previousValue), storedAt: now }, entry.replaces.previousValue);
          if (!kept.ok) throw new StoreRefusedError('secret-storage-failed', label, kept.error);
        }
        if (stored.get(entry.name) === entry.value) continue;
        const result = await vault.store({ name: entry.name, environment: 'development', hint: keyHint(entry.value), storedAt: now }, entry.value);
        if (!result.ok) throw new StoreRefusedError('secret-storage-failed', label, result.error);
        written.push({ name: entry.name, hint: keyHint(entry.value), ...(entry.replaces ? { previousName: entry.replaces.previousName } : {}) });
      }
      return { stored: written, created: false };
    },
  };
}
