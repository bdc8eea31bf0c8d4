// Git history in the real VS Code (issue 16): Scan Git History on a repository built at test time outside the
// workspace (its fake keys must not show up in the other tests' diagnostics), the report's "No key in git history"
// item, "Rotate this key" on a diagnostic whose key history holds, rotating a stored key and a key never stored
// (remembered per hint, never the key), and Install Pre-push Hook refusing a real `git push`.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { keyHint } from '../../src/core/hint';
import type { RotateLeakedKeyResult, ScanHistoryResult } from '../../src/features/gitHistory';
import { HISTORY_SETTING_KEYS } from '../../src/features/settings';
import type { InstallPrePushHookResult } from '../../src/features/prePushHook';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../support/fakeAnthropicServer';
import { fakeKey } from '../support/fakeKeys';
import { tempTree, type TempTree } from '../support/tempRepo';
import { EXTENSION_ID, activateExtension, ruleOf, waitForDiagnostics } from './helpers';

const ISOLATED = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

describe('Git history', function () {
  this.timeout(60000);
  let tree: TempTree;
  let remote: TempTree;
  let fake: FakeAnthropicServer;
  const keys = { pushed: fakeKey(8801), stored: fakeKey(8802), storedNew: fakeKey(8803), neverStored: fakeKey(8804), replacement: fakeKey(8805), open: fakeKey(8806) };
  const storedName = 'ANTHROPIC_HISTORY_TEST_KEY';
  const replacementName = 'ANTHROPIC_HISTORY_TEST_NEW';
  const config = () => vscode.workspace.getConfiguration('anthropicKeyHygiene');
  const run = <T>(command: string, args: object) => vscode.commands.executeCommand<T>(`anthropicKeyHygiene.${command}`, args);
  const commit = (message: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) tree.write(path, text);
    tree.git('add', '-A');
    tree.git('commit', '-q', '-m', message);
    return tree.git('rev-parse', 'HEAD').trim();
  };
  const verdictOf = async (id: string) => (await run<{ id: string; verdict: string }[]>('showReport', { folder: tree.root })).find((item) => item.id === id)?.verdict;

  before(async () => {
    fake = await startFakeAnthropicServer({ behaviours: [[keys.storedNew, 200], [keys.replacement, 200]] });
    await activateExtension();
    await config().update('apiBaseUrl', fake.baseUrl, vscode.ConfigurationTarget.Global);
    tree = tempTree({ gitInit: true });
    remote = tempTree({ gitInit: false });
    execFileSync('git', ['init', '-q', '--bare', remote.root], { env: ISOLATED });
    tree.git('remote', 'add', 'origin', remote.root);
    commit('Add the client', { 'src/client.ts': `export const key = '${keys.pushed}';\n`, 'docs/setup.md': `Try ${keys.stored} first.\n` });
    tree.git('push', '-q', '-u', 'origin', 'main');
    commit('Debug', { 'tools/debug.py': `KEY = "${keys.neverStored}"\n`, 'src/client.ts': 'export const key = process.env.ANTHROPIC_API_KEY;\n' });
    commit('Still here', { 'src/open.ts': `export const open = '${keys.open}';\n`, 'docs/setup.md': 'Set ANTHROPIC_API_KEY.\n', 'tools/debug.py': 'KEY = None\n' });
  });

  after(async () => {
    for (const name of [storedName, replacementName]) await run('removeKey', { name, confirm: true, interactive: false });
    await config().update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    tree.remove();
    remote.remove();
    await fake.close();
  });

  it('contributes its commands and its setting, off by default', () => {
    const manifest = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8'));
    for (const key of HISTORY_SETTING_KEYS) assert.ok(manifest.contributes.configuration.properties[`anthropicKeyHygiene.${key}`], key);
    assert.equal(manifest.contributes.configuration.properties['anthropicKeyHygiene.history.scanOnStartup'].default, false);
    assert.equal(config().get('history.scanOnStartup'), false);
  });

  it('says history is unknown in the report until it is scanned', async () => {
    assert.equal(await verdictOf('no-key-in-history'), 'unknown');
  });

  it('scans the history: every key once, with its commit and pushed state', async () => {
    const result = await run<ScanHistoryResult>('scanHistory', { folder: tree.root, interactive: false });
    assert.equal(result.ok, true, result.message);
    const [folder] = result.folders;
    assert.deepEqual(
      folder.keys.map((key) => [key.hint, key.path, key.pushed]).sort(),
      [
        [keyHint(keys.pushed), 'src/client.ts', true],
        [keyHint(keys.stored), 'docs/setup.md', true],
        [keyHint(keys.neverStored), 'tools/debug.py', false],
        [keyHint(keys.open), 'src/open.ts', false],
      ].sort(),
    );
    assert.match(result.message, /4 keys in the git history, 2 of them pushed: rotate them\./);
    assert.ok(!JSON.stringify(result).includes(keys.pushed.slice(15, 40)), 'hints only');
    assert.equal(await verdictOf('no-key-in-history'), 'fail');
  });

  it('says at the line that history holds the key, and leads its quick fixes with "Rotate this key" (hint only)', async () => {
    const uri = vscode.Uri.file(join(tree.root, 'src/open.ts'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(
      uri,
      (d) => d.some((x) => ruleOf(x) === 'hardcoded-key' && /already in commit [0-9a-f]{7}/.test(x.message)),
      'the key in src/open.ts, with its history note',
    ).then((d) => d.filter((x) => ruleOf(x) === 'hardcoded-key'));
    assert.match(diagnostic.message, /^.*already in commit [0-9a-f]{7} .*rotate it/i, 'the note comes first');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    // VS Code lists the preferred fix first; for a key already committed, that is rotating it.
    const rotate = actions[0];
    assert.ok(rotate?.title.startsWith('Rotate this key'), `actions: ${actions.map((action) => action.title).join(' | ')}`);
    assert.match(rotate.title, /already in commit [0-9a-f]{7}$/);
    assert.deepEqual(rotate.command?.arguments, [{ hint: keyHint(keys.open) }]);
  });

  it('rotates a stored key through the rotation command, and remembers the hint as rotated', async () => {
    const stored = await run<{ ok: boolean }>('storeKey', { name: storedName, key: keys.stored, environment: 'development', verify: false, overwrite: true, interactive: false });
    assert.ok(stored.ok);
    const result = await run<RotateLeakedKeyResult>('rotateLeakedKey', { hint: keyHint(keys.stored), newKey: keys.storedNew, interactive: false });
    assert.equal(result.ok, true, result.message);
    assert.equal(result.hint, keyHint(keys.stored));
    assert.match(result.rotatedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.ok(fake.requests.some((request) => request.headers['x-api-key'] === keyHint(keys.storedNew)), 'the new key was verified first');
  });

  it('rotates a key never stored by storing its replacement, verified, and refuses a full key as a hint', async () => {
    const refused = await run<RotateLeakedKeyResult>('rotateLeakedKey', { hint: keys.neverStored, interactive: false });
    assert.equal(refused.reason, 'not-a-hint');
    const result = await run<RotateLeakedKeyResult>('rotateLeakedKey', { hint: keyHint(keys.neverStored), newKey: keys.replacement, name: replacementName, interactive: false });
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /Now revoke .* in the Anthropic Console/);
  });

  it('passes the report item only once every key found is rotated, saying when', async () => {
    assert.equal(await verdictOf('no-key-in-history'), 'fail', 'two keys are not rotated yet');
    for (const key of [keys.pushed, keys.open]) {
      // Stored and rotated like the others: the report then has nothing left to ask.
      const name = `ANTHROPIC_HISTORY_TEST_${key === keys.pushed ? 'P' : 'O'}`;
      await run('storeKey', { name, key, environment: 'development', verify: false, overwrite: true, interactive: false });
      const replacement = fakeKey(key === keys.pushed ? 8807 : 8808);
      fake.setBehaviour(replacement, 200);
      const result = await run<RotateLeakedKeyResult>('rotateLeakedKey', { hint: keyHint(key), newKey: replacement, interactive: false });
      assert.equal(result.ok, true, result.message);
      await run('removeKey', { name, confirm: true, interactive: false });
    }
    assert.equal(await verdictOf('no-key-in-history'), 'pass');
    const markdown = await run<string>('exportReport', { folder: tree.root, interactive: false });
    assert.match(markdown, /committed in [0-9a-f]{7} \(\d{4}-\d\d-\d\d, src\/client\.ts\); rotated on \d{4}-\d\d-\d\d\./);
    for (const key of Object.values(keys)) assert.ok(!markdown.includes(key.slice(15, 40)), 'no key in the report');
  });

  it('installs the pre-push hook, which refuses a real git push of a commit that adds a key', async () => {
    const installed = await run<InstallPrePushHookResult>('installPrePushHook', { folder: tree.root, interactive: false });
    assert.equal(installed.ok, true, installed.message);
    assert.equal(installed.hookPath, join(tree.root, '.git', 'hooks', 'pre-push'));
    // Asynchronous: the hook runs the CLI, and a synchronous spawn would stall the extension host.
    const push = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn('git', ['push', '-q', 'origin', 'main'], { cwd: tree.root, env: ISOLATED });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
      });
    const refused = await push();
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /push blocked/);
    assert.match(refused.output, /These commits add a key:/);
    assert.ok(!refused.output.includes(keys.open.slice(15, 40)), 'hints only');
  });
});
