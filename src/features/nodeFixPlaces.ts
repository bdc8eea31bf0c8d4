// The Node build's FixPlaces (fixAdapters.ts): files on disk, written by safeFiles.ts and judged by git
// (nodePlatform.ts), and the writer Fix All uses for sources (open documents through edits, the rest on disk).
import * as vscode from 'vscode';
import { diskSourceWriter, type SourceWriter } from '../core/fixes/apply';
import { envFileFor } from '../core/fixes/envTarget';
import type { GitRunner } from '../core/git';
import { nodeFixPlatform } from '../core/fixes/nodePlatform';
import { fixRootFor, hasFileOnDisk, openFileDocument, rangeOf, type FixPlaces } from './fixAdapters';

/** The env file that receives a document's keys (a notebook cell's path is its notebook's). */
export function envFileForDocument(uri: vscode.Uri): string {
  return envFileFor(uri.fsPath, fixRootFor(uri));
}

export function nodeFixPlaces(git: GitRunner): FixPlaces {
  return {
    locate(uri) {
      if (!hasFileOnDisk(uri)) return undefined;
      // Git may not run in an untrusted workspace: the fixes that need its answer check needsTrust first.
      return { platform: nodeFixPlatform({ git, allowGit: vscode.workspace.isTrusted }), path: uri.fsPath, root: fixRootFor(uri), uriOf: (path) => vscode.Uri.file(path), needsTrust: true };
    },
    envFileFor: async (place) => envFileFor(place.path, place.root),
  };
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
