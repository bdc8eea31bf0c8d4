// Shared helpers of the web suite (the twin of test/integration/helpers.ts, without Node): the extension's API,
// the workspace folder as a URI (in the browser it is a vscode-remote: or vscode-vfs: URI, never a path), files
// written through workspace.fs, and waits on events with deadlines, never sleeps.
import * as vscode from 'vscode';
import type { WebExtensionApi } from '../../src/extension.web';
import * as assert from './assert';

export const EXTENSION_ID = 'key-hygiene.anthropic-key-hygiene';

export async function activateExtension(): Promise<WebExtensionApi> {
  const extension = vscode.extensions.getExtension<WebExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** What the runner tells the suite (environment.json beside the bundle): where the fake Anthropic API listens,
 * and the seed of the key it answers 200 for. */
export interface WebTestEnvironment {
  apiBaseUrl: string;
  liveKeySeed: number;
  suite: string;
}

export async function testEnvironment(): Promise<WebTestEnvironment> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'out', 'web-test', 'environment.json'));
  return JSON.parse(new TextDecoder().decode(bytes)) as WebTestEnvironment;
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run opened a workspace folder');
  return folder.uri;
}

export function inWorkspace(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), ...parts);
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Our diagnostics on `uri` (other extensions may add theirs). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Anthropic Key Hygiene');
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Resolves once `predicate` holds for the diagnostics of `uri`, checking now and on every change. */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean, description: string, timeoutMs = 15000): Promise<vscode.Diagnostic[]> {
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
      const seen = ourDiagnostics(uri).map((d) => `${ruleOf(d)}@${d.range.start.line}:${d.range.start.character}`);
      reject(new Error(`timed out waiting for ${description} on ${uri.toString()}; diagnostics now: [${seen.join(', ')}]`));
    }, timeoutMs);
    check();
  });
}
