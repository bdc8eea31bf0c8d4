// `scan --history` and `scan --unpushed` as users run them: dist/cli.js in a child process, on real repositories.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { keyHint } from '../../../src/core/hint';
import { fakeKey } from '../../support/fakeKeys';
import { CLI_PATH as cli, ISOLATED_GIT_ENV, runCli as run } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

interface JsonHistoryFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
  column: number;
  message: string;
  credential: { kind: string; hint: string };
  location: string;
  commit: { id: string; shortId: string; author: string; date: string; subject: string };
  pushed: boolean;
  pushedTo?: string;
  inWorkingTree?: boolean;
}

describe('scan --history and --unpushed', () => {
  let tree: TempTree;
  let remote: TempTree;
  const keys = [fakeKey(8101), fakeKey(8102), fakeKey(8103, 'oat')];
  let pushedCommit: string;
  let localCommit: string;

  before(() => assert.ok(existsSync(cli), 'dist/cli.js is built (node esbuild.mjs)'));

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    remote = tempTree({ gitInit: false });
    execFileSync('git', ['init', '-q', '--bare', remote.root], { env: ISOLATED_GIT_ENV });
    tree.git('remote', 'add', 'origin', remote.root);
    tree.write('src/client.ts', `export const key = '${keys[0]}';\n`);
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'Add the client');
    pushedCommit = tree.git('rev-parse', 'HEAD').trim();
    tree.git('push', '-q', '-u', 'origin', 'main');
    tree.write('src/client.ts', 'export const key = process.env.ANTHROPIC_API_KEY;\n');
    tree.write('tools/run.sh', `export CLAUDE_CODE_OAUTH_TOKEN=${keys[2]}\n`);
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', `Local work, debugging with ${keys[1]}`);
    localCommit = tree.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => {
    tree.remove();
    remote.remove();
  });

  const json = (...args: string[]) => {
    const { code, stdout, stderr } = run(tree.root, 'scan', ...args, '--format', 'json');
    return { code, stderr, document: JSON.parse(stdout) as { findings: JsonHistoryFinding[]; summary: Record<string, unknown> } };
  };

  it('prints each key once, as <commit>:<path>:<line>:<column>, with the commit and its pushed state, and exits 1', () => {
    const { code, stdout, stderr } = run(tree.root, 'scan', '--history');
    assert.equal(code, 1);
    assert.equal(stderr, '');
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], new RegExp(`^${pushedCommit.slice(0, 7)}:src/client\\.ts:1:21  error  Anthropic API key ${escape(keyHint(keys[0]))} was committed in ${pushedCommit.slice(0, 7)} \\(\\d{4}-\\d\\d-\\d\\d, "Add the client"\\), and that commit is pushed to origin/main`));
    assert.match(lines[1], new RegExp(`^${localCommit.slice(0, 7)}:tools/run\\.sh:1:32  error  .*which is not pushed yet`));
    assert.match(lines[2], new RegExp(`^${localCommit.slice(0, 7)} \\(commit message\\):1:28  error  .*in the message of commit ${localCommit.slice(0, 7)}`));
    assert.equal(lines[3], '3 keys in the history, 1 of them pushed (2 commits of all refs; 3 file versions read).');
  });

  it('gives JSON findings a commit object, a pushed boolean and the working-tree state, and SARIF the same as properties', () => {
    const { code, document } = json('--history');
    assert.equal(code, 1);
    const [pushed, local, message] = document.findings;
    assert.deepEqual(
      { path: pushed.path, location: pushed.location, pushed: pushed.pushed, pushedTo: pushed.pushedTo, inWorkingTree: pushed.inWorkingTree, id: pushed.commit.id },
      { path: 'src/client.ts', location: 'file', pushed: true, pushedTo: 'origin/main', inWorkingTree: false, id: pushedCommit },
    );
    assert.deepEqual(Object.keys(pushed.commit).sort(), ['author', 'date', 'id', 'shortId', 'subject']);
    assert.equal(local.pushed, false);
    assert.equal(local.inWorkingTree, true, 'tools/run.sh still holds the token');
    assert.equal(message.location, 'commit-message');
    assert.equal(message.commit.subject, `Local work, debugging with ${keyHint(keys[1])}`);
    assert.equal(document.summary.commitsScanned, 2);
    assert.equal(document.summary.scope, 'all refs');

    const sarif = JSON.parse(run(tree.root, 'scan', '--history', '--format', 'sarif').stdout);
    const results = sarif.runs[0].results;
    assert.equal(results.length, 3);
    assert.equal(results[0].ruleId, 'hardcoded-key');
    assert.deepEqual(results[0].properties.commit.id, pushedCommit);
    assert.equal(results[0].properties.pushed, true);
    assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, 'src/client.ts');
    assert.deepEqual(results[2].locations[0].logicalLocations[0].name, `commit ${localCommit} message`);
  });

  it('--unpushed reads only what git push would send, and says how to take the keys out', () => {
    const { code, stdout, stderr } = run(tree.root, 'scan', '--unpushed');
    assert.equal(code, 1);
    assert.ok(!stdout.includes(pushedCommit.slice(0, 7) + ':'), 'the pushed commit is not news');
    assert.match(stdout, /2 keys in the history, 0 of them pushed \(1 commit of @\{upstream\}\.\.HEAD \(origin\/main\); 3 file versions read\)\./);
    assert.match(stderr, new RegExp(`push blocked\\. These commits add a key:\\n  ${localCommit.slice(0, 7)} Local work, debugging with ${escape(keyHint(keys[1]))} \\(test, `));
    assert.match(stderr, /git commit --amend/);
    assert.match(stderr, /git rebase -i --autosquash/);
    assert.match(stderr, /nothing was changed for you/);
    tree.git('reset', '-q', '--hard', 'origin/main');
    assert.deepEqual(run(tree.root, 'scan', '--unpushed', '--quiet'), { code: 0, stdout: '', stderr: '' });
  });

  it('follows --fail-on and --no-low-confidence like scan', () => {
    assert.equal(run(tree.root, 'scan', '--history', '--fail-on', 'never').code, 0);
    const { document } = json('--history', '--no-low-confidence');
    assert.deepEqual(
      document.findings.map((finding) => finding.credential.kind),
      ['api-key', 'api-key'],
    );
    tree.git('reset', '-q', '--hard', 'origin/main');
    // A token of a kind nobody knows is the one hardcoded-key warning (an OAuth token is an error: red team F11).
    tree.write('only-token.sh', `TOKEN=${['sk', 'ant', 'xyz01'].join('-')}-${fakeKey(8105, 'oat').slice(-100)}\n`);
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'token only');
    assert.equal(run(tree.root, 'scan', '--unpushed', '--fail-on', 'error').code, 0, 'a warning alone does not block');
  });

  it('never prints a full key, in any format or on stderr', () => {
    for (const mode of ['--history', '--unpushed']) {
      for (const format of ['text', 'json', 'sarif']) {
        const { stdout, stderr } = run(tree.root, 'scan', mode, '--format', format);
        for (const key of keys) assert.ok(!stdout.includes(key.slice(15, 40)) && !stderr.includes(key.slice(15, 40)), `${mode} ${format}`);
      }
    }
  });

  it('escapes a subject or path that would fake a line of output (attack: carriage return, escape sequence, newline)', () => {
    tree.write(`notes\nNo Anthropic key in the history.txt`, `k=${fakeKey(8104)}\n`);
    tree.git('add', '-A');
    tree.git('commit', '-q', '-m', 'Tidy\r\x1b[2KNo Anthropic key in the history');
    const { stdout } = run(tree.root, 'scan', '--history');
    assert.doesNotMatch(stdout, /[\r\x1b]/);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5, 'four findings and the summary, one line each');
    assert.match(lines[3], /:notes\\u000aNo Anthropic key in the history\.txt:1:3  error  .*"Tidy\\u000d\\u001b\[2KNo Anthropic key in the history"/);
  });

  it('exits 2 naming what it could not scan, after printing what it found', () => {
    tree.write('assets/big.bin', 'x'.repeat(2 * 1024 * 1024));
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'big');
    const { code, stdout, stderr } = run(tree.root, 'scan', '--history', '--max-file-size', '1');
    assert.equal(code, 2);
    assert.match(stdout, /3 keys in the history/);
    assert.match(stderr, /^anthropic-key-hygiene: assets\/big\.bin \(commit [0-9a-f]{7}\): not scanned: larger than the 1 MB limit/m);
  });

  it('gives one clear line and exit 2 for a bad revision, an option as revision, a mix of modes, or no repository', () => {
    const outside = tempTree({ gitInit: false });
    try {
      for (const [cwd, args, pattern] of [
        [tree.root, ['scan', '--history', 'no-such-branch'], /git log failed: .*no-such-branch/],
        [tree.root, ['scan', '--history', '--', '--output=/tmp/x'], /is not a revision/],
        [tree.root, ['scan', '--history', '--staged'], /not both/],
        [tree.root, ['scan', '--history', '--unpushed'], /not both/],
        [tree.root, ['fix', '--history'], /option of 'scan'/],
        [outside.root, ['scan', '--history'], /not inside a git work tree/],
      ] as const) {
        const { code, stderr } = run(cwd, ...args);
        assert.equal(code, 2, args.join(' '));
        assert.equal(stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${stderr}`);
        assert.match(stderr, pattern);
      }
    } finally {
      outside.remove();
    }
  });

  it('says git is missing, and exits 2, when git cannot be found', () => {
    const result = spawnSync(process.execPath, [cli, 'scan', '--history'], { cwd: tree.root, encoding: 'utf8', env: { ...ISOLATED_GIT_ENV, PATH: '/nonexistent' } });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /git was not found/);
  });

  it('says there is nothing to scan in a repository without commits, and exits 0', () => {
    const empty = tempTree({ gitInit: true });
    try {
      const { code, stdout, stderr } = run(empty.root, 'scan', '--history');
      assert.equal(code, 0);
      assert.equal(stderr, 'anthropic-key-hygiene: Nothing to scan: the repository has no commits yet.\n');
      assert.equal(stdout, 'No Anthropic key in the history (0 commits of all refs; 0 file versions read).\n');
    } finally {
      empty.remove();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
