// Workspace diagnostics on a git repository built at test time: exact findings per file, live updates,
// ignore-rule and index changes on disk, and settings.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { fakeKey } from '../support/fakeKeys';
import { activateExtension, ourDiagnostics, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';
import { nextNotification } from './notifications';

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

/** `rule@line:start-end severity` for each diagnostic, sorted. */
function describe_(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics
    .map((d) => `${ruleOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity}`)
    .sort();
}

describe('Workspace diagnostics', function () {
  let root: string;
  const uri = (relativePath: string) => vscode.Uri.file(join(root, relativePath));
  const write = (relativePath: string, text: string) => {
    mkdirSync(dirname(join(root, relativePath)), { recursive: true });
    writeFileSync(join(root, relativePath), text);
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  const keys = { ts: fakeKey(31), py: fakeKey(32), go: fakeKey(33, 'admin'), env: fakeKey(34), local: fakeKey(35), tracked: fakeKey(36), typed: fakeKey(37), dubious: fakeKey(38) };
  const config = () => vscode.workspace.getConfiguration('anthropicKeyHygiene');

  before(async () => {
    root = join(workspaceFolder(), 'repo');
    mkdirSync(root, { recursive: true });
    git('init', '-q', '-b', 'main');
    write('.gitignore', '.env\n');
    write('src/app.ts', `export const key = '${keys.ts}';\n`);
    write('tools/job.py', `import anthropic\nclient = anthropic.Anthropic(api_key="${keys.py}")\n`);
    write('cmd/main.go', `package main\n\nconst adminKey = "${keys.go}"\n`);
    write('.env', `ANTHROPIC_API_KEY=${keys.env}\n`);
    write('.env.local', `ANTHROPIC_API_KEY=${keys.local}\n`);
    write('config/.env', `ANTHROPIC_API_KEY=${keys.tracked}\n`);
    write('README.md', '# Setup\n\nPut `ANTHROPIC_API_KEY=sk-ant-api03-your-key-here` in `.env` (see sk-ant-api03-R2D...igAA).\n');
    git('add', '-f', 'config/.env');
    await activateExtension();
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
  });

  after(async () => {
    await config().update('severity.hardcodedKey', undefined, vscode.ConfigurationTarget.Global);
    await config().update('enable', undefined, vscode.ConfigurationTarget.Global);
  });

  it('reports exactly the hygiene problems of every file, opened or not', async () => {
    const line = (text: string) => text.length;
    assert.deepEqual(describe_(ourDiagnostics(uri('src/app.ts'))), [`hardcoded-key@0:20-0:${20 + keys.ts.length} ${E}`]);
    assert.deepEqual(describe_(ourDiagnostics(uri('tools/job.py'))), [`hardcoded-key@1:38-1:${38 + keys.py.length} ${E}`]);
    assert.deepEqual(describe_(ourDiagnostics(uri('cmd/main.go'))), [`hardcoded-key@2:18-2:${18 + keys.go.length} ${E}`]);
    assert.deepEqual(describe_(ourDiagnostics(uri('.env'))), [], 'an ignored .env is where keys belong');
    const localLine = line(`ANTHROPIC_API_KEY=${keys.local}`);
    assert.deepEqual(describe_(ourDiagnostics(uri('.env.local'))), [`hardcoded-key@0:18-0:${localLine} ${E}`, `unignored-env-file@0:0-0:${localLine} ${W}`]);
    const trackedLine = line(`ANTHROPIC_API_KEY=${keys.tracked}`);
    assert.deepEqual(describe_(ourDiagnostics(uri('config/.env'))), [`hardcoded-key@0:18-0:${trackedLine} ${E}`, `tracked-env-file@0:0-0:${trackedLine} ${E}`]);
    assert.deepEqual(describe_(ourDiagnostics(uri('README.md'))), [], 'placeholders and hints stay silent');
    for (const diagnostic of vscode.languages.getDiagnostics().flatMap(([, list]) => list)) {
      for (const key of Object.values(keys)) assert.ok(!diagnostic.message.includes(key), 'no message holds a full key');
    }
  });

  it('updates an open document as the user types a key into it', async () => {
    const document = await vscode.workspace.openTextDocument(uri('src/app.ts'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((builder) => builder.insert(new vscode.Position(1, 0), `export const other = "${keys.typed}";\n`));
    const diagnostics = await waitForDiagnostics(document.uri, (d) => d.length === 2, 'a second hardcoded-key');
    assert.deepEqual(describe_(diagnostics), [`hardcoded-key@0:20-0:${20 + keys.ts.length} ${E}`, `hardcoded-key@1:22-1:${22 + keys.typed.length} ${E}`]);
    // Delete the line again (an edit, not a revert: code-server may have auto-saved the file meanwhile).
    await editor.edit((builder) => builder.delete(new vscode.Range(1, 0, 2, 0)));
    await waitForDiagnostics(document.uri, (d) => d.length === 1, 'one key again after deleting the line');
    await document.save();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('clears the unignored-env-file warning when .gitignore starts covering the file, and brings it back', async () => {
    appendFileSync(join(root, '.gitignore'), '.env.local\n');
    await waitForDiagnostics(uri('.env.local'), (d) => d.length === 0, 'no diagnostics on a now-ignored .env.local');
    write('.gitignore', '.env\n');
    await waitForDiagnostics(uri('.env.local'), (d) => d.some((x) => ruleOf(x) === 'unignored-env-file'), 'the warning to come back');
  });

  it('clears tracked-env-file once `git rm --cached` untracks the file', async () => {
    git('rm', '-q', '--cached', 'config/.env');
    await waitForDiagnostics(uri('config/.env'), (d) => d.length === 0, 'no diagnostics on an untracked, ignored .env');
  });

  it('follows files created and deleted on disk', async () => {
    write('lib/late.ts', `const k = "${fakeKey(38)}";\n`);
    await waitForDiagnostics(uri('lib/late.ts'), (d) => d.length === 1, 'a finding in a new file');
    await vscode.workspace.fs.delete(uri('lib/late.ts'));
    await waitForDiagnostics(uri('lib/late.ts'), (d) => d.length === 0, 'the finding gone with the file');
  });

  it('applies the severity setting, and the enable setting switches everything off and on', async () => {
    await config().update('severity.hardcodedKey', 'warning', vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri('tools/job.py'), (d) => d.length === 1 && d[0].severity === W, 'hardcoded-key as a warning');
    await config().update('enable', false, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri('tools/job.py'), (d) => d.length === 0, 'nothing while disabled');
    await config().update('enable', undefined, vscode.ConfigurationTarget.Global);
    await config().update('severity.hardcodedKey', undefined, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri('tools/job.py'), (d) => d.length === 1 && d[0].severity === E, 'back, as an error');
  });

  it('honours the exclude setting', async () => {
    await config().update('exclude', ['**/cmd/**'], vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri('cmd/main.go'), (d) => d.length === 0, 'an excluded file has no diagnostics');
    await config().update('exclude', undefined, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri('cmd/main.go'), (d) => d.length === 1, 'the finding back');
  });

  it('says when git refuses a repository, shows its keys anyway and judges no .env it cannot see (issue 12 #2)', async () => {
    const repo = join(workspaceFolder(), 'dubious');
    const file = (name: string) => join(repo, name);
    mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    writeFileSync(file('app.py'), `KEY = "${keys.dubious}"\n`);
    writeFileSync(file('.env'), 'PORT=1\n');
    // As root, give it to nobody, as sudo and bind mounts do; otherwise git's own test switch for that check.
    const asRoot = process.getuid?.() === 0;
    const chownTree = (uid: number) => execFileSync('chown', ['-R', `${uid}:${uid}`, repo]);
    if (asRoot) chownTree(65534);
    else process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = '1';
    try {
      const told = nextNotification(/could not check .*dubious.*safe\.directory/);
      const document = await vscode.workspace.openTextDocument(file('app.py'));
      await waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === 'hardcoded-key'), 'the key, shown although git refuses the repository');
      assert.match(await told, /git config --global --add safe\.directory/);
      const env = await vscode.workspace.openTextDocument(file('.env'));
      await waitForDiagnostics(env.uri, (d) => d.every((x) => ruleOf(x) !== 'unignored-env-file' && ruleOf(x) !== 'tracked-env-file'), 'no env-file rule on a guess');
    } finally {
      if (asRoot) chownTree(0);
      else delete process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
