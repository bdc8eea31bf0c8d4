import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { statusLook } from '../../src/features/statusBar';
import { fakeKey } from '../support/fakeKeys';
import { activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';

describe('Diagnostics on an open document', () => {
  before(async () => {
    await activateExtension();
  });

  it('flags a hardcoded key as the user has it, and clears the flag when the key is deleted', async () => {
    const key = fakeKey(1);
    const dir = join(workspaceFolder(), 'first');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'client.ts');
    const prefix = "const client = new Anthropic({ apiKey: '";
    writeFileSync(file, `import Anthropic from '@anthropic-ai/sdk';\n${prefix}${key}' });\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);

    const flagged = await waitForDiagnostics(document.uri, (d) => d.length > 0, 'a hardcoded-key diagnostic');
    assert.equal(flagged.length, 1);
    const [diagnostic] = flagged;
    assert.equal(ruleOf(diagnostic), 'hardcoded-key');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
      [1, prefix.length, 1, prefix.length + key.length],
    );
    assert.ok(!diagnostic.message.includes(key), 'the message never shows the full key');

    const edit = new vscode.WorkspaceEdit();
    edit.delete(document.uri, diagnostic.range);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(document.uri, (d) => d.length === 0, 'the diagnostic to clear');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('flags a key in a notebook cell at its place in the cell', async () => {
    const key = fakeKey(12);
    const dir = join(workspaceFolder(), 'notebook');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'explore.ipynb');
    const prefix = 'client = anthropic.Anthropic(api_key="';
    const cell = (source: string[]) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
    const notebookJson = {
      cells: [cell(['print("no key here")\n']), cell(['import anthropic\n', `${prefix}${key}")\n`])],
      metadata: { language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(file, JSON.stringify(notebookJson, null, 1));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    const keyCell = notebook.cellAt(1).document;
    assert.equal(keyCell.uri.scheme, 'vscode-notebook-cell');

    const [diagnostic] = await waitForDiagnostics(keyCell.uri, (d) => d.length === 1, 'a diagnostic on the cell');
    assert.equal(ruleOf(diagnostic), 'hardcoded-key');
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
      [1, prefix.length, 1, prefix.length + key.length],
      'the range is in cell coordinates',
    );
    assert.equal(vscode.languages.getDiagnostics(notebook.cellAt(0).document.uri).length, 0, 'the clean cell has none');

    // Editing the cell updates it like any document.
    const cleared = waitForDiagnostics(keyCell.uri, (d) => d.length === 0, 'the key removed from the cell');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(keyCell.uri, diagnostic.range, 'os.environ["ANTHROPIC_API_KEY"]');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await cleared;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // The file on disk still holds its key: other suites scan the whole workspace.
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans a pasted key at once, and waits for a pause in typing before rescanning', async () => {
    const api = await activateExtension();
    const dir = join(workspaceFolder(), 'paste');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'paste.ts');
    // A key already there: its diagnostic proves the first scan (on open) has published, so the file's git state is
    // known. (The first edit of a file opened a moment before would also wait for git to answer.)
    writeFileSync(file, `export const old = "${fakeKey(10)}";\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, (d) => d.length === 1, 'the key already in the file');
    const debounceMs = 75;

    const flagged = waitForDiagnostics(document.uri, (d) => d.length === 2, 'the pasted key');
    const paste = new vscode.WorkspaceEdit();
    paste.insert(document.uri, new vscode.Position(1, 0), `const pasted = "${fakeKey(11)}";\n`);
    assert.ok(await vscode.workspace.applyEdit(paste));
    await flagged;
    // The debounce the update was scheduled with, as the extension recorded it (not a wall-clock figure, which a
    // loaded CI machine can stretch past the debounce: seen once at 113 ms).
    assert.equal(api.liveUpdateDelays[api.liveUpdateDelays.length - 1], 0, 'a pasted key is scanned without the debounce');

    const cleared = waitForDiagnostics(document.uri, (d) => d.length === 1, 'the pasted key deleted');
    const deletion = new vscode.WorkspaceEdit();
    deletion.delete(document.uri, new vscode.Range(1, 0, 2, 0));
    assert.ok(await vscode.workspace.applyEdit(deletion));
    await cleared;
    assert.equal(api.liveUpdateDelays[api.liveUpdateDelays.length - 1], debounceMs, 'other edits wait for the debounce');
    const typingMs = api.liveUpdateTimings[api.liveUpdateTimings.length - 1];
    assert.ok(typingMs >= debounceMs, `and took at least that long (took ${typingMs.toFixed(1)} ms)`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps flagging a key in the name of a file while it is open, which its text alone would not show (red team F3)', async () => {
    await activateExtension();
    const key = fakeKey(12);
    const dir = join(workspaceFolder(), 'named', key);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'nothing secret in here\n');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(document.uri, (d) => d.length === 1, 'the key in the folder name');
    assert.equal(diagnostic.range.start.line, 0);
    assert.match(diagnostic.message, /in the name of this file or of a folder above it/);
    assert.ok(!diagnostic.message.includes(key), 'the name is shown masked');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(join(workspaceFolder(), 'named'), { recursive: true, force: true });
  });

  it('colours the status bar count as an error when a key of the published shape is among them (issue 12, small things)', () => {
    assert.deepEqual(statusLook({ total: 0, errors: 0 }), { icon: 'shield' });
    assert.deepEqual(statusLook({ total: 3, errors: 1 }), { icon: 'error', background: 'statusBarItem.errorBackground' });
    assert.deepEqual(statusLook({ total: 2, errors: 0 }), { icon: 'warning', background: 'statusBarItem.warningBackground' });
  });
});
