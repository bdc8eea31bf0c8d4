// The pre-push hook (the 'pre-push' kind of src/core/preCommitHook.ts) on real repositories: real `git push`es to a
// local bare remote that it refuses or lets through, what it says when it blocks, a chained hook that still gets
// git's lines on stdin, and failing closed. The hook runs the built dist/cli.js, recorded as the extension records it.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createGitRunner } from '../../../src/core/git';
import { classifyHook, hookNames, hookScript, installHook, installPrePushHook, type ForeignHookMode, type RecordedCli } from '../../../src/core/preCommitHook';
import { withPreCommitFrameworkRefs } from '../../../src/cli/history';
import { keyHint } from '../../../src/core/hint';
import { fakeKey } from '../../support/fakeKeys';
import { ISOLATED_GIT_ENV, runCli } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

const cli = resolve(__dirname, '../../../../dist/cli.js');
const recordedCli: RecordedCli = { script: cli, runtime: process.execPath };
const git = createGitRunner();
// Pushes run with a PATH that has git and sh but neither node nor an installed CLI: the hook uses what it recorded.
const BARE_PATH = [...new Set([dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()), '/usr/bin', '/bin'])].join(':');

describe('The pre-push hook', () => {
  let tree: TempTree;
  let remote: TempTree;
  const key = fakeKey(7301);

  const push = (...args: string[]) => {
    const result = spawnSync('git', ['push', ...args], { cwd: tree.root, encoding: 'utf8', env: { ...ISOLATED_GIT_ENV, PATH: BARE_PATH } });
    return { code: result.status, output: result.stdout + result.stderr };
  };
  const commit = (message: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) tree.write(path, text);
    tree.git('add', '-A');
    tree.git('commit', '-q', '-m', message);
    return tree.git('rev-parse', 'HEAD').trim();
  };
  const remoteHas = (commitId: string) => spawnSync('git', ['cat-file', '-e', `${commitId}^{commit}`], { cwd: remote.root, env: ISOLATED_GIT_ENV }).status === 0;
  const install = (foreignHook?: ForeignHookMode) => installPrePushHook({ git, dir: tree.root, recordedCli, foreignHook });

  before(() => assert.ok(existsSync(cli), 'dist/cli.js is built (node esbuild.mjs)'));
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    remote = tempTree({ gitInit: false });
    execFileSync('git', ['init', '-q', '--bare', remote.root], { env: ISOLATED_GIT_ENV });
    tree.git('remote', 'add', 'origin', remote.root);
    commit('start', { 'README.md': 'hello\n' });
    assert.equal(push('-q', '-u', 'origin', 'main').code, 0);
  });
  afterEach(() => {
    tree.remove();
    remote.remove();
  });

  it('is its own kind of hook: its own marker, file and names, and POSIX sh that parses', async () => {
    const script = hookScript(recordedCli, 'error', 'pre-push');
    execFileSync('sh', ['-n', '-c', script]);
    assert.deepEqual(classifyHook(script, 'pre-push'), { kind: 'ours' });
    assert.equal(classifyHook(script, 'pre-commit').kind, 'foreign', 'a pre-push hook is not our pre-commit hook');
    assert.equal(classifyHook(hookScript(recordedCli), 'pre-push').kind, 'foreign');
    assert.deepEqual(hookNames('pre-push'), {
      marker: '# anthropic-key-hygiene pre-push hook',
      chained: 'pre-push.anthropic-key-hygiene-chained',
      backup: 'pre-push.anthropic-key-hygiene-backup',
    });
    const result = await install();
    assert.equal(result.status, 'installed');
    assert.equal(result.hookPath, join(tree.root, '.git', 'hooks', 'pre-push'));
    assert.equal(statSync(result.hookPath).mode & 0o111, 0o111);
    assert.equal((await install()).status, 'updated');
    assert.ok(!existsSync(join(tree.root, '.git', 'hooks', 'pre-commit')), 'the pre-commit hook is another install');
  });

  it('refuses a push whose commit adds a key, names that commit and the steps, and changes nothing', async () => {
    await install();
    const leak = commit('Add the client', { 'src/client.ts': `export const key = '${key}';\n` });
    const refused = push('-q', 'origin', 'main');
    assert.equal(refused.code === 0, false, refused.output);
    assert.ok(!remoteHas(leak), 'the remote did not get the commit');
    assert.match(refused.output, new RegExp(`${leak.slice(0, 7)}:src/client\\.ts:1:\\d+  error  .*${escape(keyHint(key))}`));
    assert.match(refused.output, new RegExp(`These commits add a key:\\n  ${leak.slice(0, 7)} Add the client`));
    assert.match(refused.output, /git commit --amend/);
    assert.match(refused.output, /push blocked\. Take the keys above out of the commits being pushed/);
    assert.match(refused.output, /git push --no-verify/);
    assert.ok(!refused.output.includes(key.slice(15, 40)), 'hints only');
    assert.equal(tree.git('rev-parse', 'HEAD').trim(), leak, 'history is not rewritten');

    // The user follows the steps: amend the commit without the key; the push then passes.
    tree.write('src/client.ts', 'export const key = process.env.ANTHROPIC_API_KEY;\n');
    tree.git('add', '-A');
    tree.git('commit', '-q', '--amend', '--no-edit');
    const passed = push('-q', 'origin', 'main');
    assert.equal(passed.code, 0, passed.output);
    assert.equal(passed.output, '', 'a clean push is silent');
  });

  it('lets through a push whose key is only in commits the remote already has, a new branch, and a deletion', async () => {
    const early = commit('early leak', { 'old.ts': `const k = '${key}';\n` });
    assert.equal(push('-q', 'origin', 'main').code, 0, 'pushed before the hook was installed');
    await install();
    commit('unrelated', { 'old.ts': `const k = '${key}';\nexport {};\n`, 'b.txt': 'b\n' });
    const edited = push('-q', 'origin', 'main');
    assert.equal(edited.code, 0, `editing next to a key the remote already has is not a new leak: ${edited.output}`);
    tree.git('checkout', '-q', '-b', 'topic');
    commit('topic work', { 'c.txt': 'c\n' });
    assert.equal(push('-q', 'origin', 'topic').code, 0);
    assert.equal(push('-q', 'origin', '--delete', 'topic').code, 0);
    assert.ok(remoteHas(early));
  });

  it("refuses a key that another remote's branch holds but the remote being pushed to does not (red team F2)", async () => {
    const mirror = tempTree({ gitInit: false });
    try {
      execFileSync('git', ['init', '-q', '--bare', mirror.root], { env: ISOLATED_GIT_ENV });
      tree.git('remote', 'add', 'mirror', mirror.root);
      tree.git('checkout', '-q', '-b', 'feature');
      const leak = commit('add config', { 'conf.py': `k = "${key}"\n` });
      // Pushed to the mirror before the hook: a remote-tracking branch (mirror/feature) now holds the commit.
      assert.equal(push('-q', 'mirror', 'feature').code, 0);
      tree.git('checkout', '-q', 'main');
      tree.git('merge', '-q', '--no-ff', 'feature', '-m', 'merge');
      await install();
      const refused = push('-q', 'origin', 'main');
      assert.notEqual(refused.code, 0, refused.output);
      assert.match(refused.output, new RegExp(`${leak.slice(0, 7)}.*conf\\.py`));
      assert.ok(!remoteHas(leak), 'origin never got the key');
    } finally {
      mirror.remove();
    }
  });

  it('refuses a new branch that adds a key, and a key in a commit message', async () => {
    await install();
    tree.git('checkout', '-q', '-b', 'feature');
    tree.write('x.txt', 'x\n');
    tree.git('add', '-A');
    tree.git('commit', '-q', '-m', `try ${key}`);
    const refused = push('-q', 'origin', 'feature');
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /\(commit message\)/);
    assert.match(refused.output, /reword/);
  });

  it('runs a chained hook first with the same lines on stdin, and either one can refuse the push', async () => {
    tree.write('.git/hooks/pre-push', '#!/bin/sh\ncat > "$(git rev-parse --git-dir)/chained-saw"\nexit 0\n');
    execFileSync('chmod', ['+x', join(tree.root, '.git/hooks/pre-push')]);
    assert.equal((await install()).status, 'refused', 'a foreign hook is left alone by default');
    const chained = await install('chain');
    assert.equal(chained.status, 'chained');
    assert.equal(chained.movedTo, join(tree.root, '.git/hooks/pre-push.anthropic-key-hygiene-chained'));
    const clean = commit('clean', { 'a.txt': 'a\n' });
    assert.equal(push('-q', 'origin', 'main').code, 0);
    const saw = readFileSync(join(tree.root, '.git', 'chained-saw'), 'utf8');
    assert.match(saw, new RegExp(`^refs/heads/main ${clean} refs/heads/main [0-9a-f]{40}\\n$`));
    commit('leak', { 'b.ts': `const k = '${key}';\n` });
    assert.notEqual(push('-q', 'origin', 'main').code, 0, 'our check still refuses');
  });

  it('fails closed when no CLI can be found, and the documented bypass works', async () => {
    await installHook({ git, dir: tree.root, kind: 'pre-push', recordedCli: { script: join(tree.root, 'gone', 'cli.js') } });
    commit('anything', { 'n.txt': 'n\n' });
    const refused = push('-q', 'origin', 'main');
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /anthropic-key-hygiene: push blocked\. The anthropic-key-hygiene CLI was not found: run Install Pre-push Hook again/);
    assert.equal(push('-q', '--no-verify', 'origin', 'main').code, 0);
  });

  it('reads the commits the pre-commit framework names in PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF', () => {
    const from = tree.git('rev-parse', 'HEAD').trim();
    const to = commit('leak', { 'k.ts': `const k = '${key}';\n` });
    assert.deepEqual(withPreCommitFrameworkRefs({ kind: 'unpushed', revisions: [] }, { PRE_COMMIT_TO_REF: to, PRE_COMMIT_FROM_REF: from }), { kind: 'unpushed', revisions: [to, `^${from}`] });
    assert.deepEqual(withPreCommitFrameworkRefs({ kind: 'history', revisions: [] }, { PRE_COMMIT_TO_REF: to }), { kind: 'history', revisions: [] });
    // Through the CLI, as the framework runs it: the entry of .pre-commit-hooks.yaml with the framework's variables.
    const entry = /- id: anthropic-key-hygiene-pre-push[\s\S]*?entry: anthropic-key-hygiene (.*)\n[\s\S]*?stages: \[pre-push\]/.exec(readFileSync(resolve(__dirname, '../../../../.pre-commit-hooks.yaml'), 'utf8'));
    assert.ok(entry, '.pre-commit-hooks.yaml has the pre-push entry, for the pre-push stage');
    const result = spawnSync(process.execPath, [cli, ...entry[1].split(' ')], {
      cwd: tree.root,
      encoding: 'utf8',
      env: { ...ISOLATED_GIT_ENV, PRE_COMMIT_TO_REF: to, PRE_COMMIT_FROM_REF: from },
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, new RegExp(`${to.slice(0, 7)}:k\\.ts`));
    // Without the variables the CLI falls back to the upstream: the same commit.
    assert.equal(runCli(tree.root, 'scan', '--unpushed').code, 1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
