// Quick fixes in the real VS Code, on a repository built at test time: each fix's exact resulting text,
// the .env and .gitignore contents, that undo restores the original, and that the diagnostic clears.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readEnvValue } from '../../src/core/fixes/envFile';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { IgnoreEnvFilesResult } from '../../src/features/envFileCommands';
import { fakeKey } from '../support/fakeKeys';
import { activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';

describe('Quick fixes', () => {
  let root: string;
  const path = (relativePath: string) => join(root, relativePath);
  const write = (relativePath: string, text: string) => {
    mkdirSync(dirname(path(relativePath)), { recursive: true });
    writeFileSync(path(relativePath), text);
  };
  const read = (relativePath: string) => readFileSync(path(relativePath), 'utf8');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString();

  /** Opens the file, waits for its diagnostic of `rule`, and returns the code actions VS Code lists for it. */
  async function actionsFor(relativePath: string, rule: string, kind = vscode.CodeActionKind.QuickFix) {
    const document = await vscode.workspace.openTextDocument(path(relativePath));
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === rule), `a ${rule} diagnostic`).then((d) =>
      d.filter((x) => ruleOf(x) === rule),
    );
    // The last argument asks VS Code to resolve the actions, as the lightbulb does when one is picked.
    // VS Code cancels the request when other providers (the TypeScript server starting up) change state meanwhile; ask again then.
    let actions: vscode.CodeAction[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, kind.value, 10);
        break;
      } catch (error) {
        if (attempt === 3 || !String(error).includes('Canceled')) throw error;
      }
    }
    return { document, diagnostic, actions };
  }

  async function apply(action: vscode.CodeAction): Promise<void> {
    if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `${action.title} applies`);
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }

  before(async () => {
    root = join(workspaceFolder(), 'fixes');
    mkdirSync(root, { recursive: true });
    // Its own repository and package, so the .env lands here.
    git('init', '-q', '-b', 'main');
    write('package.json', '{ "name": "fixes", "private": true }\n');
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('moves a TypeScript key to a new .env, ignores the .env, reads process.env, and undo restores the file', async () => {
    const key = fakeKey(61);
    const original = `import Anthropic from '@anthropic-ai/sdk';\nconst analytics = new Anthropic({ apiKey: "${key}", maxRetries: 1 });\n`;
    write('src/analytics.ts', original);
    const { document, actions } = await actionsFor('src/analytics.ts', 'hardcoded-key');
    const move = actions.find((action) => action.isPreferred);
    assert.ok(move, 'a preferred fix');
    assert.equal(move.title, 'Move key to .env and read it from ANTHROPIC_API_KEY');
    assert.ok(actions.every((action) => !action.title.includes(key)), 'no title shows the key');
    await apply(move);

    assert.equal(document.getText(), `import Anthropic from '@anthropic-ai/sdk';\nconst analytics = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, maxRetries: 1 });\n`);
    assert.equal(read('.env'), `ANTHROPIC_API_KEY=${key}\n`, 'the key is saved in the .env on disk');
    assert.equal(read('.gitignore'), '/.env\n');
    assert.equal(git('check-ignore', '.env').trim(), '.env');
    await waitForDiagnostics(document.uri, (d) => d.length === 0, 'the diagnostic to clear');

    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'undo restores the source');
  });

  it('never overwrites a different key already in .env, and its title says the free name it will use (issue 12 #14)', async () => {
    const key = fakeKey(62);
    write('.env', `# keys\r\nANTHROPIC_API_KEY=${fakeKey(63)}`); // CRLF, no final newline
    write('scripts/job.py', `import anthropic\n\nclient = anthropic.Anthropic(api_key="${key}")\n`);
    const { document, actions } = await actionsFor('scripts/job.py', 'hardcoded-key');
    const move = actions.find((action) => action.isPreferred)!;
    assert.equal(move.title, 'Move key to .env as ANTHROPIC_API_KEY_2 and read it from ANTHROPIC_API_KEY_2 (ANTHROPIC_API_KEY there holds another key)');
    await apply(move);
    assert.equal(read('.env'), `# keys\r\nANTHROPIC_API_KEY=${fakeKey(63)}\r\nANTHROPIC_API_KEY_2=${key}\r\n`, 'every existing byte kept');
    assert.equal(document.getText(), `import os\nimport anthropic\n\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY_2"])\n`);
    await document.save();
    execFileSync('python3', ['-m', 'py_compile', path('scripts/job.py')]);
  });

  it('offers to replace a taken name, keeping the old value, and then removes the api_key argument (issue 12 #14)', async () => {
    const key = fakeKey(70);
    const old = fakeKey(71);
    write('.env', `ANTHROPIC_API_KEY=${old}\n`);
    write('scripts/replace.py', `import anthropic\nclient = anthropic.Anthropic(api_key="${key}")\n`);
    const { document, actions } = await actionsFor('scripts/replace.py', 'hardcoded-key');
    const titles = actions.map((action) => action.title);
    // The option can only go if ANTHROPIC_API_KEY holds this key: the fix that would have done nothing is not offered.
    assert.ok(!titles.includes('Move key to .env and remove the api_key argument (the SDK reads ANTHROPIC_API_KEY)'), titles.join(' | '));
    const replace = actions.find(
      (action) => action.title === 'Move key to .env, replacing ANTHROPIC_API_KEY there (its old value kept as ANTHROPIC_API_KEY_PREVIOUS), and remove the api_key argument',
    );
    assert.ok(replace, titles.join(' | '));
    await apply(replace);
    assert.equal(document.getText(), 'import anthropic\nclient = anthropic.Anthropic()\n');
    const env = read('.env');
    assert.ok(env.startsWith(`ANTHROPIC_API_KEY=${old}\n`), 'the old line is where it was');
    assert.equal(readEnvValue(env, 'ANTHROPIC_API_KEY'), key, 'the new value wins, as the last assignment');
    assert.equal(readEnvValue(env, 'ANTHROPIC_API_KEY_PREVIOUS'), old, 'the old value is recoverable');
    rmSync(path('.env'));
  });

  it('offers no Move key to .env that could not work when .env is a link or tracked, and writes nothing (issue 12 #1)', async () => {
    const key = fakeKey(72);
    const elsewhere = join(workspaceFolder(), '..', 'outside.env');
    const moves = (actions: vscode.CodeAction[]) => actions.filter((action) => action.title.startsWith('Move key to .env'));
    try {
      writeFileSync(elsewhere, 'OTHER=1\n');
      write('svc-link/package.json', '{}\n');
      symlinkSync(elsewhere, path('svc-link/.env'));
      write('svc-link/app.js', `const key = '${key}';\n`);
      const linked = await actionsFor('svc-link/app.js', 'hardcoded-key');
      // VS Code lists a disabled action greyed, with its reason, and leaves it out of what the API returns.
      assert.deepEqual(moves(linked.actions), [], linked.actions.map((action) => action.title).join(' | '));
      const run = (uri: vscode.Uri, range: vscode.Range) => vscode.commands.executeCommand('anthropicKeyHygiene.applyKeyFix', { uri, ranges: [range], mode: 'env-lookup', destination: 'env-file' });
      assert.equal(await run(linked.document.uri, linked.diagnostic.range), false, 'applying it anyway is refused');
      assert.equal(readFileSync(elsewhere, 'utf8'), 'OTHER=1\n', 'nothing was written through the link');
      assert.equal(linked.document.getText(), `const key = '${key}';\n`);

      write('svc-tracked/package.json', '{}\n');
      write('svc-tracked/.env', 'REGION=eu\n');
      git('add', '-f', 'svc-tracked/.env');
      write('svc-tracked/app.js', `const key = '${key}';\n`);
      const tracked = await actionsFor('svc-tracked/app.js', 'hardcoded-key');
      assert.deepEqual(moves(tracked.actions), [], tracked.actions.map((action) => action.title).join(' | '));
      assert.equal(await run(tracked.document.uri, tracked.diagnostic.range), false);
      assert.equal(read('svc-tracked/.env'), 'REGION=eu\n', 'no key went into the tracked file');
      assert.equal(tracked.document.getText(), `const key = '${key}';\n`);
    } finally {
      git('rm', '-q', '--cached', '--ignore-unmatch', 'svc-tracked/.env');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const folder of ['svc-link', 'svc-tracked']) rmSync(path(folder), { recursive: true, force: true });
      rmSync(elsewhere, { force: true });
    }
  });

  it('removes the api_key option when the SDK can read ANTHROPIC_API_KEY itself', async () => {
    const key = fakeKey(64);
    write('.env', '');
    write('scripts/summarise.py', `import anthropic\nclient = anthropic.Anthropic(api_key='${key}', max_retries=2)\n`);
    const { document, actions } = await actionsFor('scripts/summarise.py', 'hardcoded-key');
    const remove = actions.find((action) => action.title === 'Move key to .env and remove the api_key argument (the SDK reads ANTHROPIC_API_KEY)');
    assert.ok(remove, `offered; got ${actions.map((a) => a.title).join(' | ')}`);
    await apply(remove);
    assert.equal(document.getText(), `import anthropic\nclient = anthropic.Anthropic(max_retries=2)\n`);
    assert.equal(read('.env'), `ANTHROPIC_API_KEY=${key}\n`);
  });

  it('stores the key in Secret Storage before rewriting the file', async () => {
    const key = fakeKey(65);
    write('src/worker.js', `const apiKey = '${key}';\nmodule.exports = { apiKey };\n`);
    const api = await activateExtension();
    const { document, actions } = await actionsFor('src/worker.js', 'hardcoded-key');
    const store = actions.find((action) => action.title === 'Store key in Secret Storage and read it from ANTHROPIC_API_KEY');
    assert.ok(store);
    await apply(store);
    assert.equal(await api.keyVaultForTests!.readSecret('ANTHROPIC_API_KEY'), key);
    assert.equal(document.getText(), `const apiKey = process.env.ANTHROPIC_API_KEY;\nmodule.exports = { apiKey };\n`);
    await vscode.commands.executeCommand('anthropicKeyHygiene.removeKey', { name: 'ANTHROPIC_API_KEY', interactive: false, confirm: true });
  });

  it('adds a suppression comment in the file\'s comment syntax', async () => {
    const key = fakeKey(66);
    write('scripts/fixture.sh', `#!/bin/sh\n  export KEY='${key}'\n`);
    const { document, actions } = await actionsFor('scripts/fixture.sh', 'hardcoded-key');
    const ignore = actions.find((action) => action.title.startsWith('Ignore this key here'));
    assert.ok(ignore);
    await apply(ignore);
    assert.equal(document.getText(), `#!/bin/sh\n  # anthropic-key-hygiene-ignore\n  export KEY='${key}'\n`);
    await waitForDiagnostics(document.uri, (d) => d.length === 0, 'the suppressed key to go quiet');
  });

  it('moves every key of a file with source.fixAll', async () => {
    const first = fakeKey(67);
    const second = fakeKey(68, 'admin');
    write('.env', '');
    write('src/both.ts', `export const a = "${first}";\nexport const b = "${second}";\n`);
    const { document, actions } = await actionsFor('src/both.ts', 'hardcoded-key', vscode.CodeActionKind.SourceFixAll);
    const fixAll = actions.find((action) => action.kind?.value === 'source.fixAll.anthropicKeyHygiene');
    assert.ok(fixAll);
    await apply(fixAll);
    // A bare `export const` in TypeScript gets `!`: the value was a string and must stay one to type-check.
    assert.equal(document.getText(), `export const a = process.env.ANTHROPIC_API_KEY!;\nexport const b = process.env.ANTHROPIC_ADMIN_KEY!;\n`);
    assert.equal(read('.env'), `ANTHROPIC_API_KEY=${first}\nANTHROPIC_ADMIN_KEY=${second}\n`);
  });

  it('adds an unignored .env file to .gitignore, keeping every existing byte', async () => {
    write('.gitignore', 'node_modules/\r\n.env'); // CRLF, no final newline
    write('config/.env.local', 'DEBUG=1\n');
    const { actions } = await actionsFor('config/.env.local', 'unignored-env-file');
    const add = actions.find((action) => action.isPreferred);
    assert.ok(add);
    await apply(add);
    assert.equal(read('.gitignore'), 'node_modules/\r\n.env\r\n/config/.env.local');
    await waitForDiagnostics(vscode.Uri.file(path('config/.env.local')), (d) => d.length === 0, 'the warning to clear');
  });

  it('stops tracking an ignored .env with git rm --cached, leaving the file on disk', async () => {
    write('deploy/.env', 'REGION=eu\n');
    git('add', '-f', 'deploy/.env');
    const { actions } = await actionsFor('deploy/.env', 'tracked-env-file');
    const stop = actions.find((action) => action.command?.command === 'anthropicKeyHygiene.stopTracking');
    assert.ok(stop);
    assert.equal(await vscode.commands.executeCommand(stop.command!.command, { ...stop.command!.arguments![0], confirm: true }), true);
    assert.equal(git('ls-files', 'deploy/.env'), '');
    assert.equal(read('deploy/.env'), 'REGION=eu\n');
    await waitForDiagnostics(vscode.Uri.file(path('deploy/.env')), (d) => d.length === 0, 'tracked-env-file to clear');
  });

  it('keeps every flagged .env file out of git from one command: ignored first, untracked only once confirmed', async () => {
    write('svc/.env.staging', 'LOG_LEVEL=debug\n'); // git would commit it
    write('svc/.env.test', 'LOG_LEVEL=info\n');
    git('add', '-f', 'svc/.env.test'); // and this one it already does
    const uri = (relativePath: string) => vscode.Uri.file(path(relativePath));
    await waitForDiagnostics(uri('svc/.env.staging'), (d) => d.some((x) => ruleOf(x) === 'unignored-env-file'), 'unignored-env-file');
    // Tracked, with no rule ignoring it: tracked-env-file, as only untracking stops git committing it (red team F26.1).
    await waitForDiagnostics(uri('svc/.env.test'), (d) => d.some((x) => ruleOf(x) === 'tracked-env-file'), 'tracked-env-file');
    // Other suites' files are not this test's business.
    const here = (paths: string[]) => paths.filter((p) => p.startsWith('fixes/svc/'));

    const unconfirmed = await vscode.commands.executeCommand<IgnoreEnvFilesResult>('anthropicKeyHygiene.ignoreEnvFiles', { interactive: false });
    assert.deepEqual(here(unconfirmed.ignored), ['fixes/svc/.env.staging', 'fixes/svc/.env.test']);
    assert.deepEqual(here(unconfirmed.stillTracked), ['fixes/svc/.env.test'], 'untracking needs a yes');
    assert.equal(unconfirmed.ok, false);
    assert.match(unconfirmed.message, /fixes\/svc\/\.env\.test still tracked by git/);
    await waitForDiagnostics(uri('svc/.env.test'), (d) => d.some((x) => ruleOf(x) === 'tracked-env-file'), 'tracked-env-file, still, now that it is ignored');

    const confirmed = await vscode.commands.executeCommand<IgnoreEnvFilesResult>('anthropicKeyHygiene.ignoreEnvFiles', { confirm: true });
    assert.deepEqual(here(confirmed.untracked), ['fixes/svc/.env.test']);
    assert.equal(confirmed.ok, true, confirmed.message);
    assert.equal(git('ls-files', 'svc/.env.test'), '');
    assert.equal(read('svc/.env.test'), 'LOG_LEVEL=info\n', 'the file stays on disk');
    assert.match(read('.gitignore'), /\r\n\/svc\/\.env\.staging\r\n\/svc\/\.env\.test$/, 'appended in the file\'s own line endings');
    for (const file of ['svc/.env.staging', 'svc/.env.test']) await waitForDiagnostics(uri(file), (d) => d.length === 0, 'the warnings to clear');
  });

  it('adds to .gitignore without touching its other bytes, whatever the save settings', async () => {
    // Bytes a decode-and-save would change: a latin1 é, and an escaped trailing space that trimTrailingWhitespace
    // would strip (changing the rule).
    const fragile = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\r\nspaced\\ \r\n')]);
    writeFileSync(path('.gitignore'), Buffer.concat([readFileSync(path('.gitignore')), Buffer.from('\r\n'), fragile]));
    const before = readFileSync(path('.gitignore'));
    const settings = vscode.workspace.getConfiguration('files');
    await settings.update('trimTrailingWhitespace', true, vscode.ConfigurationTarget.Workspace);
    try {
      write('bytes/.env.qa', 'LOG_LEVEL=warn\n');
      await waitForDiagnostics(vscode.Uri.file(path('bytes/.env.qa')), (d) => d.some((x) => ruleOf(x) === 'unignored-env-file'), 'unignored-env-file');
      const result = await vscode.commands.executeCommand<IgnoreEnvFilesResult>('anthropicKeyHygiene.ignoreEnvFiles', { interactive: false });
      assert.ok(result.ignored.includes('fixes/bytes/.env.qa'), result.message);
      const after = readFileSync(path('.gitignore'));
      assert.deepEqual(after.subarray(0, before.length), before, 'every byte before the new line is kept');
      assert.match(after.subarray(before.length).toString('latin1'), /^(\r\n)?\/bytes\/\.env\.qa\r\n$/, 'then the new line');
    } finally {
      await settings.update('trimTrailingWhitespace', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('renames a bundler-public variable to a server-only name', async () => {
    const name = ['VITE', 'ANTHROPIC', 'API', 'KEY'].join('_');
    write('web/client.ts', `const key = import.meta.env.${name};\n`);
    const { document, actions } = await actionsFor('web/client.ts', 'client-exposed-key');
    const rename = actions.find((action) => action.isPreferred);
    assert.ok(rename);
    await apply(rename);
    assert.equal(document.getText(), 'const key = import.meta.env.ANTHROPIC_API_KEY;\n');
    await waitForDiagnostics(document.uri, (d) => d.length === 0, 'the exposure warning to clear');
  });

  it('fixes every key in the workspace from one command, storing each key first', async () => {
    const key = fakeKey(69);
    write('src/late.js', `module.exports = { key: "${key}" };\n`);
    const top = workspaceFolder();
    const result = await vscode.commands.executeCommand<{ ran: boolean; exitCodes: number[]; summary: string }>('anthropicKeyHygiene.fixAllInWorkspace', { confirm: true });
    try {
      assert.equal(result.ran, true);
      // Other tests leave findings in the shared workspace (kept on purpose), so 1 is possible; an error is not.
      assert.notEqual(result.exitCodes[0], 2, result.summary);
      assert.match(result.summary, /^Fixed fixes\/src\/late\.js:1:\d+ {2}sk-ant-api03-.{3}….{4} {2}now reads ANTHROPIC_API_KEY/m);
      assert.doesNotMatch(result.summary.split('Still found after the fix')[1] ?? '', /late\.js/, 'nothing of late.js is left');
      assert.ok(!result.summary.includes(key), 'the summary shows hints only');
      // Other tests' keys may already hold ANTHROPIC_API_KEY in that .env: the fix picks a free name.
      const name = /process\.env\.(ANTHROPIC_API_KEY(?:_\d+)?) \}/.exec(read('src/late.js'))?.[1];
      assert.ok(name, 'the literal became an environment lookup');
      // The .env of the package that holds the file (fixes/ has a package.json), as the CLI would choose.
      assert.equal(readEnvValue(read('.env'), name), key, `the package's .env holds the key as ${name}`);
    } finally {
      rmSync(join(top, '.env'), { force: true });
      rmSync(join(top, '.gitignore'), { force: true });
    }
  });
});
