// The editor honours the repository's baseline (issue 18) in the real VS Code: a key that `scan --update-baseline`
// accepted is shown greyed, as a hint that says so, and a key the baseline does not know stays an error.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fakeKey } from '../support/fakeKeys';
import { activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';

describe('The baseline in the editor (issue 18)', () => {
  it('greys a key the baseline accepts, as a hint that says so, and keeps a new key an error', async () => {
    await activateExtension();
    const root = join(workspaceFolder(), 'baseline-repo');
    mkdirSync(root, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, stdio: 'pipe' });
    const accepted = fakeKey(8801);
    writeFileSync(join(root, 'legacy.ts'), `export const old = "${accepted}";\n`);
    // The CLI writes the baseline as a team would (the Node the tests run on starts the bundled CLI).
    const cli = join(vscode.extensions.getExtension('key-hygiene.anthropic-key-hygiene')!.extensionPath, 'dist', 'cli.js');
    try {
      execFileSync(process.execPath, [cli, 'scan', '--update-baseline', '.anthropic-key-hygiene-baseline.jsonl', '.'], { cwd: root, stdio: 'pipe' });
    } catch (error) {
      // --update-baseline exits 0 once every finding is accepted; anything else is a failure of this test.
      assert.fail(`scan --update-baseline failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
    writeFileSync(join(root, 'legacy.ts'), `export const old = "${accepted}";\nexport const fresh = "${fakeKey(8802)}";\n`);
    const document = await vscode.workspace.openTextDocument(join(root, 'legacy.ts'));
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => d.filter((x) => ruleOf(x) === 'hardcoded-key').length === 2 && d.some((x) => x.severity === vscode.DiagnosticSeverity.Hint),
      'one key accepted in the baseline, one not',
    );
    const byLine = new Map(diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic]));
    assert.equal(byLine.get(0)?.severity, vscode.DiagnosticSeverity.Hint);
    assert.deepEqual(byLine.get(0)?.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.match(byLine.get(0)!.message, /^Accepted in the baseline\./);
    assert.equal(byLine.get(1)?.severity, vscode.DiagnosticSeverity.Error, 'a key the baseline does not know stays an error');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
