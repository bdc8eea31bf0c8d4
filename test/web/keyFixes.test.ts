// Quick fixes in the web worker host: the fix engine's checks on workspace.fs. The preferred fix stores the key in
// the package's .env (created, read back) after making the .env ignored with an exact pattern appended to
// .gitignore (every existing byte kept, checked again against the ignore files), and only then rewrites the code.
// Where a browser cannot know enough (an existing .env no rule ignores may be tracked; a .env that is a link) the
// fix is not offered and nothing is written.
import * as vscode from 'vscode';
import { fakeKey } from '../support/fakeKeys';
import * as assert from './assert';
import { activateExtension, inWorkspace, readText, ruleOf, waitForDiagnostics, writeText } from './helpers';
import { shownTexts } from './notifications';

/** Opens the file, waits for its diagnostic of `rule`, and returns the quick fixes VS Code lists for it. */
async function actionsFor(uri: vscode.Uri, rule: string, kind = vscode.CodeActionKind.QuickFix) {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const diagnostics = await waitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === rule), `a ${rule} diagnostic`);
  const diagnostic = diagnostics.find((x) => ruleOf(x) === rule)!;
  let actions: vscode.CodeAction[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, kind.value, 10);
      break;
    } catch (error) {
      // VS Code cancels the request when another provider changes state meanwhile; ask again then.
      if (attempt === 3 || !String(error).includes('Canceled')) throw error;
    }
  }
  return { document, diagnostic, actions };
}

/** The .env fixes among the actions. */
const moves = (actions: vscode.CodeAction[]) => actions.filter((action) => action.title.startsWith('Move key to .env'));

/** Runs the .env fix as a keybinding or a script would, whether or not it was offered. */
function runEnvFix(uri: vscode.Uri, range: vscode.Range): Thenable<boolean> {
  return vscode.commands.executeCommand<boolean>('anthropicKeyHygiene.applyKeyFix', { uri, ranges: [range], mode: 'env-lookup', destination: 'env-file' });
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `${action.title} applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

describe('Quick fixes in the web', () => {
  before(async () => {
    await activateExtension();
    // A package of its own, so the .env lands in it.
    await writeText(inWorkspace('fixes', 'package.json'), '{ "name": "fixes", "private": true }\n');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('moves a key to a new .env through workspace.fs, ignores it with an exact pattern appended to .gitignore, then rewrites the code', async () => {
    const key = fakeKey(1961);
    const gitignore = inWorkspace('.gitignore');
    const gitignoreBefore = (await readText(gitignore)) ?? '';
    const source = inWorkspace('fixes', 'src', 'client.ts');
    await writeText(source, `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ apiKey: "${key}", maxRetries: 1 });\n`);
    const { document, actions } = await actionsFor(source, 'hardcoded-key');
    const move = actions.find((action) => action.isPreferred);
    assert.ok(move, 'a preferred fix');
    assert.equal(move.title, 'Move key to .env and read it from ANTHROPIC_API_KEY');
    assert.ok(actions.every((action) => !action.title.includes(key)), 'no title shows the key');
    await apply(move);
    assert.equal(document.getText(), `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, maxRetries: 1 });\n`);
    assert.equal(await readText(inWorkspace('fixes', '.env')), `ANTHROPIC_API_KEY=${key}\n`, 'the key is in the package’s .env');
    const after = (await readText(gitignore)) ?? '';
    assert.ok(after.startsWith(gitignoreBefore), 'every byte of .gitignore is kept');
    assert.equal(after.slice(gitignoreBefore.length), `${gitignoreBefore === '' || gitignoreBefore.endsWith('\n') ? '' : '\n'}/fixes/.env\n`, 'one exact pattern is appended');
    await waitForDiagnostics(source, (d) => d.length === 0, 'the diagnostic to clear');
    // The .env holding the key is ignored now, so the scan says nothing of it.
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    assert.deepEqual(vscode.languages.getDiagnostics(inWorkspace('fixes', '.env')).filter((d) => d.source === 'Anthropic Key Hygiene'), []);
  });

  it('appends under a free name to an ignored .env that holds another key, keeping its CRLF bytes', async () => {
    const other = fakeKey(1962);
    const key = fakeKey(1963);
    await writeText(inWorkspace('fixes', '.env'), `# local\r\nANTHROPIC_API_KEY=${other}\r\n`);
    const source = inWorkspace('fixes', 'src', 'second.ts');
    await writeText(source, `export const key = "${key}";\n`);
    const { actions } = await actionsFor(source, 'hardcoded-key');
    const move = actions.find((action) => action.isPreferred)!;
    assert.equal(move.title, 'Move key to .env as ANTHROPIC_API_KEY_2 and read it from ANTHROPIC_API_KEY_2 (ANTHROPIC_API_KEY there holds another key)');
    await apply(move);
    assert.equal(await readText(inWorkspace('fixes', '.env')), `# local\r\nANTHROPIC_API_KEY=${other}\r\nANTHROPIC_API_KEY_2=${key}\r\n`);
  });

  it('offers no .env fix when the .env exists and no rule ignores it: git may track it, and the browser cannot ask (issue 19)', async () => {
    await writeText(inWorkspace('tracked', 'package.json'), '{}\n');
    const envBefore = 'DEBUG=1\n';
    await writeText(inWorkspace('tracked', '.env'), envBefore);
    const source = inWorkspace('tracked', 'app.ts');
    await writeText(source, `export const key = "${fakeKey(1964)}";\n`);
    const { actions, diagnostic } = await actionsFor(source, 'hardcoded-key');
    // VS Code lists a disabled action greyed, with its reason, and leaves it out of what the API returns.
    assert.deepEqual(moves(actions), [], actions.map((action) => action.title).join(' | '));
    assert.ok(actions.some((action) => action.title.startsWith('Store key in Secret Storage')), 'Secret Storage is still offered');
    // Run anyway (a keybinding, a script): refused with the reason, nothing written.
    const before = shownTexts.length;
    assert.equal(await runEnvFix(source, diagnostic.range), false);
    assert.match(shownTexts.slice(before).join('\n'), /whether git tracks .*tracked\/\.env cannot be known in the browser.*may already be committed/);
    assert.equal(await readText(inWorkspace('tracked', '.env')), envBefore, 'the .env is untouched');
  });

  it('never writes through a .env that is a symbolic link out of the workspace (issue 12 #1, in the browser)', async () => {
    const source = inWorkspace('linked', 'app.ts');
    await writeText(source, `export const key = "${fakeKey(1965)}";\n`);
    const { actions, diagnostic } = await actionsFor(source, 'hardcoded-key');
    assert.deepEqual(moves(actions), [], actions.map((action) => action.title).join(' | '));
    const before = shownTexts.length;
    assert.equal(await runEnvFix(source, diagnostic.range), false);
    assert.match(shownTexts.slice(before).join('\n'), /linked\/\.env is a symbolic link; fixes never write through a link/);
    // The runner put OUTSIDE=1 in the file the link points to; the extension cannot read it back through the link,
    // but the link is still there, and a write would have replaced it: it must still be a link.
    const stat = await vscode.workspace.fs.stat(inWorkspace('linked', '.env'));
    assert.ok(stat.type & vscode.FileType.SymbolicLink, 'the .env is still the link');
  });

  it('stores a key in Secret Storage and reads it from the environment, in the browser’s Secret Storage', async () => {
    const key = fakeKey(1966);
    const source = inWorkspace('fixes', 'src', 'secret.py');
    await writeText(source, `import anthropic\nclient = anthropic.Anthropic(api_key="${key}")\n`);
    const { document, actions } = await actionsFor(source, 'hardcoded-key');
    const store = actions.find((action) => action.title.startsWith('Store key in Secret Storage'));
    assert.ok(store);
    await apply(store);
    assert.match(document.getText(), /os\.environ\["ANTHROPIC_API_KEY\w*"\]/);
    const api = await activateExtension();
    const stored = api.keyVaultForTests!.metadata().find((record) => record.hint === `${key.slice(0, 16)}…${key.slice(-4)}`);
    assert.ok(stored, 'the vault lists it by hint');
    assert.equal(await api.keyVaultForTests!.readSecret(stored.name), key, 'Secret Storage holds the key');
  });

  it('silences a key with the ignore comment in the file’s own syntax', async () => {
    const source = inWorkspace('fixes', 'src', 'fixture.ts');
    await writeText(source, `export const sample = "${fakeKey(1967)}";\n`);
    const { document, actions } = await actionsFor(source, 'hardcoded-key');
    const ignore = actions.find((action) => action.title === 'Ignore this key here (anthropic-key-hygiene-ignore)');
    assert.ok(ignore);
    await apply(ignore);
    assert.match(document.getText(), /anthropic-key-hygiene-ignore/);
    await waitForDiagnostics(source, (d) => d.length === 0, 'the key silenced');
  });

  it('adds an unignored .env to .gitignore with an escaped, exact pattern, and the diagnostic clears', async () => {
    const env = inWorkspace('svc', '.env.[prod]');
    await writeText(env, 'DEBUG=1\n');
    const gitignore = inWorkspace('.gitignore');
    const before = (await readText(gitignore)) ?? '';
    const { actions } = await actionsFor(env, 'unignored-env-file');
    const add = actions.find((action) => action.title === 'Add .env.[prod] to .gitignore');
    assert.ok(add);
    await apply(add);
    assert.equal((await readText(gitignore))!.slice(before.length), `${before.endsWith('\n') || before === '' ? '' : '\n'}/svc/.env.\\[prod]\n`);
    await waitForDiagnostics(env, (d) => d.length === 0, 'the .env now ignored', 20000);
  });
});
