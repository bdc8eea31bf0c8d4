// The editor's side of the core fix engine (src/core/fixes): where a document's keys go, Secret Storage as a
// destination, and how rewritten sources reach the editor. Everything that decides is in core; these only adapt.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { StoreRefusedError, diskSourceWriter, type KeyDestination, type SourceWriter, type StoreResult } from '../core/fixes/apply';
import type { TextEdit } from '../core/fixes/edits';
import type { EnvEntryToStore } from '../core/fixes/envFile';
import { envFileFor } from '../core/fixes/envTarget';
import { keyHint } from '../core/hint';
import type { KeyVault } from './keyVault';

/** The folder a document's fix works in: its workspace folder, else its own folder (a file opened alone). A
 * notebook cell's path is its notebook's. */
export function fixRootFor(uri: vscode.Uri): string {
  const file = uri.scheme === 'file' ? uri : vscode.Uri.file(uri.fsPath);
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? dirname(uri.fsPath);
}

/** Documents whose keys may go to a .env on disk: files and notebook cells (not untitled buffers, not virtual files). */
export function hasFileOnDisk(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' || uri.scheme === 'vscode-notebook-cell';
}

/** The env file that receives a document's keys (a notebook cell's path is its notebook's). */
export function envFileForDocument(uri: vscode.Uri): string {
  return envFileFor(uri.fsPath, fixRootFor(uri));
}

export function rangeOf(document: vscode.TextDocument, edit: TextEdit): vscode.Range {
  return new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
}

function openFileDocument(path: string): vscode.TextDocument | undefined {
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
 * Writes a planned source: an open document through one WorkspaceEdit (undo reverts it), then saved, as the file on
 * disk is what git and the final scan see; a closed file on disk, atomically. Either way only if it still holds the
 * text the plan was made on.
 */
export const editorSourceWriter: SourceWriter = {
  async write(plan) {
    const document = openFileDocument(plan.path);
    if (!document) return diskSourceWriter.write(plan);
    if (document.getText() !== plan.before) return 'changed';
    const edit = new vscode.WorkspaceEdit();
    for (const change of plan.edits) edit.replace(document.uri, rangeOf(document, change), change.newText);
    if (!(await vscode.workspace.applyEdit(edit))) return 'changed';
    await document.save();
    return 'written';
  },
};

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
