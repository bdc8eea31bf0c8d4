// In an untrusted workspace the extension still finds keys, but starts no process: the ignore rules come
// from the .gitignore files themselves.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { fakeKey } from '../../support/fakeKeys';
import { activateExtension, ourDiagnostics, ruleOf, waitForDiagnostics, workspaceFolder } from '../helpers';

describe('An untrusted workspace', () => {
  it('is really untrusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('finds keys and unignored .env files from the files alone, without starting git', async () => {
    const root = workspaceFolder();
    const write = (relativePath: string, text: string) => {
      mkdirSync(dirname(join(root, relativePath)), { recursive: true });
      writeFileSync(join(root, relativePath), text);
    };
    // The test (not the extension) makes the repository; the extension must read it without git.
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    write('.gitignore', '.env\nsecrets/\n');
    write('src/app.js', `const key = "${fakeKey(41)}";\n`);
    write('.env', `ANTHROPIC_API_KEY=${fakeKey(42)}\n`);
    write('.env.staging', `ANTHROPIC_API_KEY=${fakeKey(43)}\n`);
    write('secrets/key.txt', fakeKey(44));
    const api = await activateExtension();
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');

    const app = vscode.Uri.file(join(root, 'src/app.js'));
    await waitForDiagnostics(app, (d) => d.length === 1, 'the key in src/app.js');
    assert.deepEqual(ourDiagnostics(vscode.Uri.file(join(root, '.env.staging'))).map(ruleOf).sort(), ['hardcoded-key', 'unignored-env-file']);
    assert.deepEqual(ourDiagnostics(vscode.Uri.file(join(root, '.env'))), []);
    assert.deepEqual(ourDiagnostics(vscode.Uri.file(join(root, 'secrets/key.txt'))), []);

    // An opened document goes through the live path, which must not start git either.
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, '.env.staging')));
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, (d) => d.length === 2, 'live results on the opened .env.staging');
    assert.deepEqual(api.gitInvocations, [], 'no git process was started');
  });
});
