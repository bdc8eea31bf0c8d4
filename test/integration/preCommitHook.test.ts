// "Install Pre-commit Hook" in the real VS Code, on a repository made at test time outside the workspace
// (its fake key must not show up in the other tests' diagnostics): a hook the extension did not write is
// left alone until the arguments say otherwise, and then a real `git commit` of a staged key is refused
// by the hook, which runs the CLI bundled with this extension on the extension host's own runtime.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InstallHookResult } from '../../src/features/preCommitHook';
import { fakeKey } from '../support/fakeKeys';
import { tempTree, type TempTree } from '../support/tempRepo';
import { activateExtension } from './helpers';

const FOREIGN_HOOK = '#!/bin/sh\nexit 0\n';

describe('Install Pre-commit Hook', () => {
  let tree: TempTree;
  const key = fakeKey(91);

  const install = (args: object) => vscode.commands.executeCommand<InstallHookResult>('anthropicKeyHygiene.installPreCommitHook', args);
  // Asynchronous: the hook runs the CLI for a few seconds, and a synchronous spawn would stall the extension host.
  const commit = (...args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('git', ['commit', '-q', ...args], {
        cwd: tree.root,
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
    });

  before(async () => {
    await activateExtension();
    tree = tempTree({ gitInit: true });
    tree.write('README.md', 'hello\n');
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'start');
  });
  after(() => tree.remove());

  it('leaves a hook it did not write alone without asking when not interactive, and replaces it when told', async () => {
    tree.git('config', 'core.hooksPath', '.githooks');
    const foreign = tree.write('.githooks/pre-commit', FOREIGN_HOOK);
    // A hooks folder git would commit is refused, whatever the options (red team F19); this one is then ignored.
    const shared = await install({ folder: tree.root, interactive: false, overwrite: true });
    assert.equal(shared.reason, 'shared-hooks-folder', shared.message);
    assert.match(shared.message, /scan --staged/);
    assert.equal(readFileSync(foreign, 'utf8'), FOREIGN_HOOK);
    tree.write('.git/info/exclude', '.githooks/\n');
    const refused = await install({ folder: tree.root, interactive: false });
    assert.equal(refused.ok, false);
    assert.equal(refused.reason, 'foreign-hook');
    assert.equal(readFileSync(foreign, 'utf8'), FOREIGN_HOOK);

    const replaced = await install({ folder: vscode.Uri.file(tree.root), interactive: false, overwrite: true });
    assert.equal(replaced.ok, true, replaced.message);
    assert.equal(replaced.status, 'replaced');
    assert.equal(replaced.hookPath, join(tree.root, '.githooks/pre-commit'), 'core.hooksPath is honoured');
    assert.ok(replaced.movedTo && readFileSync(replaced.movedTo, 'utf8') === FOREIGN_HOOK, 'the old hook is kept');
    assert.ok(statSync(replaced.hookPath!).mode & 0o100, 'the hook is executable');
    assert.ok(readFileSync(replaced.hookPath!, 'utf8').includes(join(vscode.extensions.getExtension('key-hygiene.anthropic-key-hygiene')!.extensionPath, 'dist', 'cli.js')));
  });

  it('makes git refuse a commit of a staged key, showing the rule and the hint only, and pass a clean one', async () => {
    const again = await install({ folder: tree.root, interactive: false });
    assert.equal(again.status, 'updated');
    assert.ok(existsSync(again.hookPath!));

    tree.write('src/client.ts', `export const apiKey = "${key}";\n`);
    tree.git('add', 'src/client.ts');
    const refused = await commit('-m', 'leak');
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /src\/client\.ts:1:\d+ +error .*sk-ant-api03-.{3}….{4}\b.*\[hardcoded-key\]/);
    assert.match(refused.output, /git commit --no-verify/);
    assert.ok(!refused.output.includes(key.slice(20)), 'no more of the key than its hint');

    tree.write('src/client.ts', 'export const apiKey = process.env.ANTHROPIC_API_KEY;\n');
    tree.git('add', 'src/client.ts');
    const passed = await commit('-m', 'clean');
    assert.equal(passed.code, 0, passed.output);
  });
});
