// Shared helpers for the tests that run inside VS Code. Waiting is always on an event, never a sleep;
// every wait has a deadline so a broken feature fails with a message instead of hanging.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

export const EXTENSION_ID = 'key-hygiene.anthropic-key-hygiene';

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run opened a workspace folder');
  return folder.uri.fsPath;
}

/** Our diagnostics on `uri` (other extensions may add theirs). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Anthropic Key Hygiene');
}

/** Resolves once `predicate` holds for the diagnostics of `uri`, checking now and on every change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  description: string,
  timeoutMs = 15000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diagnostics = ourDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const seen = ourDiagnostics(uri).map((d) => `${String((d.code as { value: string })?.value)}@${d.range.start.line}:${d.range.start.character}`);
      reject(new Error(`timed out waiting for ${description} on ${uri.fsPath}; diagnostics now: [${seen.join(', ')}]`));
    }, timeoutMs);
    check();
  });
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}
