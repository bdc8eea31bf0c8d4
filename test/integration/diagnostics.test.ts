import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
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
});
