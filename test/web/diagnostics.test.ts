// Diagnostics in the web worker host: a key typed into an open document is flagged at once, and the workspace scan
// (walked and read through vscode.workspace.fs, the .gitignore files applied as git applies them) flags unopened
// files at the exact positions the Node build reports.
import * as vscode from 'vscode';
import { fakeKey } from '../support/fakeKeys';
import * as assert from './assert';
import { activateExtension, inWorkspace, ourDiagnostics, ruleOf, waitForDiagnostics, writeText } from './helpers';

/** `line:character-line:character rule` of each diagnostic, 0-based as VS Code counts. */
function located(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${ruleOf(d)}`);
}

describe('Diagnostics in the web', () => {
  before(async () => {
    await activateExtension();
  });

  it('flags a key typed into an open document at once, at its range, showing only its hint', async () => {
    const key = fakeKey(1911);
    const uri = inWorkspace('typed', 'client.ts');
    await writeText(uri, "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ apiKey: '' });\n");
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const prefix = "const client = new Anthropic({ apiKey: '";
    const flagged = waitForDiagnostics(uri, (d) => d.length === 1, 'the typed key flagged');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(1, prefix.length), key);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic] = await flagged;
    assert.deepEqual(located([diagnostic]), [`1:${prefix.length}-1:${prefix.length + key.length} hardcoded-key`]);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(!diagnostic.message.includes(key), 'the message never shows the key');
    assert.match(diagnostic.message, /sk-ant-api03-.{3}….{4}/);
    // Deleted again (by an edit, not by reverting the active editor: the workbench may have put another editor in
    // front meanwhile, such as a welcome page).
    const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'the key removed');
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, diagnostic.range);
    assert.ok(await vscode.workspace.applyEdit(undo));
    await cleared;
    await document.save();
  });

  it('scans unopened files through workspace.fs and flags them at exact positions: CRLF, UTF-16, non-ASCII', async () => {
    const keys = [fakeKey(1912), fakeKey(1913), fakeKey(1914)];
    const crlf = inWorkspace('scan', 'app.py');
    const utf16 = inWorkspace('scan', 'setup.ps1');
    const accents = inWorkspace('scan', 'notes.md');
    await writeText(crlf, `import anthropic\r\n\r\nclient = anthropic.Anthropic(api_key="${keys[0]}")\r\n`);
    const utf16Text = `# set up\n$env:ANTHROPIC_API_KEY = "${keys[1]}"\n`;
    const utf16Bytes = new Uint8Array(2 + utf16Text.length * 2);
    utf16Bytes.set([0xff, 0xfe]);
    for (let i = 0; i < utf16Text.length; i++) utf16Bytes.set([utf16Text.charCodeAt(i) & 0xff, utf16Text.charCodeAt(i) >> 8], 2 + 2 * i);
    await vscode.workspace.fs.writeFile(utf16, utf16Bytes);
    await writeText(accents, `# Réglages 😀\n\nLa clé: ${keys[2]} (à changer)\n`);
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    const column = 'client = anthropic.Anthropic(api_key="'.length;
    assert.deepEqual(located(ourDiagnostics(crlf)), [`2:${column}-2:${column + keys[0].length} hardcoded-key`]);
    const utf16Column = '$env:ANTHROPIC_API_KEY = "'.length;
    assert.deepEqual(located(ourDiagnostics(utf16)), [`1:${utf16Column}-1:${utf16Column + keys[1].length} hardcoded-key`]);
    // Columns count UTF-16 units, as the editor does: the emoji is two.
    const accentColumn = 'La clé: '.length;
    assert.deepEqual(located(ourDiagnostics(accents)), [`2:${accentColumn}-2:${accentColumn + keys[2].length} hardcoded-key`]);
  });

  it('applies the .gitignore files as git does: ignored files and folders are not read, a deeper negation re-includes', async () => {
    await writeText(inWorkspace('.gitignore'), 'node_modules/\n*.local.ts\nsecrets/\n');
    await writeText(inWorkspace('pkg', '.gitignore'), '!keep.local.ts\n');
    const ignored = [inWorkspace('node_modules', 'lib', 'index.js'), inWorkspace('pkg', 'dev.local.ts'), inWorkspace('secrets', 'prod.ts')];
    const reincluded = inWorkspace('pkg', 'keep.local.ts');
    for (const [index, uri] of [...ignored, reincluded].entries()) await writeText(uri, `export const key = "${fakeKey(1920 + index)}";\n`);
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    for (const uri of ignored) assert.deepEqual(ourDiagnostics(uri), [], `${uri.path} is ignored`);
    assert.deepEqual(located(ourDiagnostics(reincluded)), [`0:20-0:${20 + fakeKey(1923).length} hardcoded-key`]);
  });

  it('judges .env files by the ignore rules alone, and says once, in the status bar, that tracking is unknown', async () => {
    const unignored = inWorkspace('service', '.env');
    const ignoredEnv = inWorkspace('service', '.env.local');
    await writeText(inWorkspace('service', '.gitignore'), '.env.local\n');
    await writeText(unignored, `ANTHROPIC_API_KEY=${fakeKey(1930)}\n`);
    await writeText(ignoredEnv, `ANTHROPIC_API_KEY=${fakeKey(1931)}\n`);
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    assert.deepEqual(
      ourDiagnostics(unignored).map(ruleOf),
      ['unignored-env-file', 'hardcoded-key'],
      'a .env no rule covers would be committed, and so would its key',
    );
    assert.deepEqual(ourDiagnostics(ignoredEnv), [], 'an ignored .env is where keys belong');
    const api = await activateExtension();
    assert.match(api.statusForTests!.tooltip, /Whether git tracks a file cannot be known in VS Code for the Web/);
  });

  it('follows a .gitignore edit: the file it now covers loses its diagnostics without a manual scan', async () => {
    const uri = inWorkspace('later', 'config.ts');
    await writeText(uri, `export const key = "${fakeKey(1940)}";\n`);
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    assert.equal(ourDiagnostics(uri).length, 1);
    const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'the newly ignored file cleared', 20000);
    await writeText(inWorkspace('later', '.gitignore'), 'config.ts\n');
    await cleared;
  });
});
