// Not a test: arranges the real workbench for the README's screenshot (scripts/screenshot.mjs) — the demo
// workspace's leaked key open in the editor, the Problems panel listing every finding — then reports done.
import * as vscode from 'vscode';
import { existsSync, mkdtempSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

async function diagnosticsSettled(uri: vscode.Uri): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => vscode.languages.getDiagnostics(uri).length > 0;
    if (done()) return resolve();
    const subscription = vscode.languages.onDidChangeDiagnostics(() => {
      if (done()) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  await vscode.extensions.getExtension('key-hygiene.anthropic-key-hygiene')!.activate();
  const client = vscode.Uri.file(join(folder, 'src', 'client.ts'));
  const editor = await vscode.window.showTextDocument(client);
  await diagnosticsSettled(client);
  await diagnosticsSettled(vscode.Uri.file(join(folder, 'scripts', 'summarise.py')));
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  editor.selection = new vscode.Selection(3, 12, 3, 12);
  await vscode.commands.executeCommand('editor.action.showHover');
  // Ask the runner for the screenshot and keep the extension host alive until it is saved.
  const marker = join(mkdtempSync(join(tmpdir(), 'akh-shot-')), 'done');
  const saved = new Promise<void>((resolve) => {
    const watcher = watch(dirname(marker), () => {
      if (existsSync(marker)) {
        watcher.close();
        resolve();
      }
    });
  });
  console.log(`AKH-SCREENSHOT ${marker}`);
  await saved;
  console.log(`AKH-RESULT ${JSON.stringify({ passed: 1, failed: 0 })}`);
}
