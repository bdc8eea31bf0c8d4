// Not a test: arranges the real workbench for the README's screenshot (scripts/screenshot.mjs) — the demo
// workspace's leaked key open in the editor, the Problems panel listing every finding — then reports done.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { capture, diagnosticsWhere } from './capture';

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  await vscode.extensions.getExtension('key-hygiene.anthropic-key-hygiene')!.activate();
  const client = vscode.Uri.file(join(folder, 'src', 'client.ts'));
  const editor = await vscode.window.showTextDocument(client);
  const flagged = (diagnostics: vscode.Diagnostic[]) => diagnostics.length > 0;
  await diagnosticsWhere(client, flagged);
  await diagnosticsWhere(vscode.Uri.file(join(folder, 'scripts', 'summarise.py')), flagged);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  editor.selection = new vscode.Selection(3, 12, 3, 12);
  await vscode.commands.executeCommand('editor.action.showHover');
  await capture();
  console.log(`AKH-RESULT ${JSON.stringify({ passed: 1, failed: 0 })}`);
}
