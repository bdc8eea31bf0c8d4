// Baselines as users run them (src/cli/baseline.ts through dist/cli.js) on real git repositories: two branches that
// accept different keys merge without a conflict, a moved key stays accepted, a fixed one drops out on update, and
// --verify fails a baselined key that the API says is live (a local fake of the API; no other network).
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { keyHint } from '../../../src/core/hint';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { fakeKey } from '../../support/fakeKeys';
import { CLI_PATH, ISOLATED_GIT_ENV, runCli } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

const BASELINE = '.anthropic-key-hygiene-baseline.jsonl';

/** The CLI in a child process without blocking this one (the fake API server answers from here meanwhile). */
function runCliAsync(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_PATH, ...args], { cwd, env: ISOLATED_GIT_ENV, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('scan --baseline and --update-baseline', () => {
  let tree: TempTree;
  const keys = [fakeKey(1811), fakeKey(1812), fakeKey(1813), fakeKey(1814)];
  const fixture = (key: string) => `export const key = '${key}';\n`;

  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('test/fixtures/a.ts', fixture(keys[0]));
    tree.write('test/fixtures/c.ts', fixture(keys[2]));
  });
  afterEach(() => tree.remove());

  it('accepts every finding it wrote, fails on a new one, and never writes the key (issue 18)', () => {
    const written = runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /^Baseline \.anthropic-key-hygiene-baseline\.jsonl: 2 entries \(2 added, 0 removed\)\. Added "\/\.anthropic-key-hygiene-baseline\.jsonl merge=union"/);
    const text = readFileSync(join(tree.root, BASELINE), 'utf8');
    for (const key of keys) assert.ok(!text.includes(key.slice(13, 40)), 'no key body in the baseline');
    assert.ok(text.includes(keyHint(keys[0])));
    assert.equal(readFileSync(join(tree.root, '.gitattributes'), 'utf8'), `/${BASELINE} merge=union\n`);

    const clean = runCli(tree.root, 'scan', '--baseline', BASELINE);
    assert.equal(clean.code, 0, clean.stdout);
    assert.match(clean.stdout, /No Anthropic key hygiene problems in \d+ files; 2 findings accepted in the baseline\.\n$/);

    tree.write('src/new.ts', fixture(keys[3]));
    const fresh = runCli(tree.root, 'scan', '--baseline', BASELINE, '--format', 'json');
    assert.equal(fresh.code, 1);
    const report = JSON.parse(fresh.stdout);
    assert.deepEqual(report.findings.map((finding: { path: string }) => finding.path), ['src/new.ts']);
    assert.equal(report.summary.baselined, 2);
  });

  it('accepts a staged .env in the pre-commit check with the entry the workspace scan wrote: both call it tracked (red team F26.1)', () => {
    tree.write('.env', 'DEBUG=1\n');
    tree.git('add', '.env');
    const written = runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    assert.equal(written.code, 0, written.stderr);
    assert.match(readFileSync(join(tree.root, BASELINE), 'utf8'), /"\.env","rule":"tracked-env-file"/);
    const staged = runCli(tree.root, 'scan', '--staged', '--baseline', BASELINE);
    assert.equal(staged.code, 0, staged.stdout);
  });

  it('still accepts a key whose line moved, and drops the entry of a key that was removed on update', () => {
    runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    tree.write('test/fixtures/a.ts', `// a comment\n\n\nfunction f() {}\n  ${fixture(keys[0])}`);
    assert.equal(runCli(tree.root, 'scan', '--baseline', BASELINE).code, 0, 'moved: still accepted');
    tree.write('test/fixtures/c.ts', 'export const key = process.env.ANTHROPIC_API_KEY;\n');
    const updated = runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    assert.match(updated.stdout, /1 entry \(0 added, 1 removed\)/);
    assert.ok(!readFileSync(join(tree.root, BASELINE), 'utf8').includes(keyHint(keys[2])));
    // Putting the key back is a new finding: the entry is gone.
    tree.write('test/fixtures/c.ts', fixture(keys[2]));
    assert.equal(runCli(tree.root, 'scan', '--baseline', BASELINE).code, 1);
  });

  /** main accepts a.ts and c.ts; two branches each accept one new key whose entry sorts between them. */
  function branchesAcceptingAdjacentKeys(): void {
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'baseline');
    tree.git('checkout', '-qb', 'one');
    tree.write('test/fixtures/b1.ts', fixture(keys[1]));
    assert.equal(runCli(tree.root, 'scan', '--update-baseline', BASELINE).code, 0);
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'one');
    tree.git('checkout', '-q', 'main');
    tree.git('checkout', '-qb', 'two');
    tree.write('test/fixtures/b2.ts', fixture(keys[3]));
    assert.equal(runCli(tree.root, 'scan', '--update-baseline', BASELINE).code, 0);
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'two');
    tree.git('checkout', '-q', 'one');
  }

  it('merges two branches\' baselines with real git without a conflict, and the result accepts both (issue 18)', () => {
    runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    branchesAcceptingAdjacentKeys();
    tree.git('merge', '-q', '--no-edit', 'two');
    const merged = readFileSync(join(tree.root, BASELINE), 'utf8');
    assert.doesNotMatch(merged, /^(<<<<<<<|=======|>>>>>>>)/m);
    assert.equal(merged.split('\n').filter((line) => line.includes('"rule"')).length, 4);
    const scan = runCli(tree.root, 'scan', '--baseline', BASELINE);
    assert.equal(scan.code, 0, scan.stdout);
    assert.match(scan.stdout, /4 findings accepted in the baseline/);
  });

  it('would conflict on those same branches without the union merge, and says so when git overrides it (why the attribute is there)', () => {
    // info/attributes outranks every .gitattributes: the attribute the update adds cannot take effect.
    tree.write('.git/info/attributes', `/${BASELINE} merge=text\n`);
    const written = runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    assert.match(written.stdout, /Add "\/\.anthropic-key-hygiene-baseline\.jsonl merge=union" to \.gitattributes .*not done: git still says merge=text/);
    branchesAcceptingAdjacentKeys();
    assert.throws(() => tree.git('merge', '-q', '--no-edit', 'two'), /Command failed: git merge/);
    assert.match(tree.git('status', '--porcelain'), new RegExp(`^UU ${BASELINE.replace(/\./g, '\\.')}$`, 'm'), 'the baseline is the conflicted file');
  });

  it('refuses to write a baseline from an incomplete scan, and refuses to read a file that is not one', () => {
    // A tracked file replaced by a FIFO is never read (issue 12 #10): the scan is incomplete whoever runs it, root too.
    tree.write('pipe.ts', '');
    tree.git('add', 'pipe.ts');
    rmSync(join(tree.root, 'pipe.ts'));
    execFileSync('mkfifo', [join(tree.root, 'pipe.ts')]);
    const refused = runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /pipe\.ts: not scanned: not a regular file .*\n.*was not updated: the scan is incomplete/);
    assert.equal(existsSync(join(tree.root, BASELINE)), false, 'nothing written');
    rmSync(join(tree.root, 'pipe.ts'));
    tree.write('not-a-baseline.json', '{"findings":[]}\n');
    const bad = runCli(tree.root, 'scan', '--baseline', 'not-a-baseline.json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not-a-baseline\.json:1: not an anthropic-key-hygiene baseline/);
    const missing = runCli(tree.root, 'scan', '--baseline', 'nope.jsonl');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: no such baseline; create it with scan --update-baseline nope\.jsonl/);
  });

  it('lets the pre-commit check (--staged) pass a staged key the baseline accepts, and only that one', () => {
    runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    tree.git('add', '-A');
    assert.equal(runCli(tree.root, 'scan', '--staged', '--baseline', BASELINE, '--fail-on', 'error').code, 0);
    tree.write('src/new.ts', fixture(keys[3]));
    tree.git('add', 'src/new.ts');
    const blocked = runCli(tree.root, 'scan', '--staged', '--baseline', BASELINE, '--fail-on', 'error');
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /^src\/new\.ts:1:/m);
    assert.match(runCli(tree.root, 'scan', '--staged', '--update-baseline', BASELINE).stderr, /--update-baseline takes a working-tree scan, not --staged/);
  });

  it('rejects option combinations that mean nothing', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--verify'], /--verify checks the keys a baseline accepts/],
      [['--baseline', 'a', '--update-baseline', 'b'], /give --baseline or --update-baseline, not both/],
      [['--update-baseline', 'a', '--format', 'json'], /--update-baseline prints what it changed as text/],
      [['--history', '--baseline', 'a'], /apply to working-tree and --staged scans, not to --history/],
      [['--sarif-category', 'x'], /--sarif-category is an option of --format sarif/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(tree.root, 'scan', ...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
  });

  describe('with --verify', () => {
    let api: FakeAnthropicServer;
    beforeEach(async () => {
      api = await startFakeAnthropicServer();
      runCli(tree.root, 'scan', '--update-baseline', BASELINE);
    });
    afterEach(() => api.close());

    it('fails a baselined key the API says is live, passes a revoked one, and sends each key once (issue 18)', async () => {
      api.setBehaviour(keys[0], 200);
      api.setBehaviour(keys[2], 401);
      const result = await runCliAsync(tree.root, 'scan', '--baseline', BASELINE, '--verify', '--api-base-url', api.baseUrl);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, new RegExp(`test/fixtures/a\\.ts:1:\\d+  error  Anthropic API key ${keyHint(keys[0]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is accepted in the baseline, but the Anthropic API says it is live: .*accepted the key: it is live`));
      assert.match(result.stdout, /1 problem in 1 file .*; 1 finding accepted in the baseline\./);
      assert.equal(api.requests.length, 2, 'one request per key');
      for (const key of keys) assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key));
    });

    it('says it could not tell, and exits 2, when the API does not answer for a key', async () => {
      api.setBehaviour(keys[0], 401);
      api.setBehaviour(keys[2], 503);
      const result = await runCliAsync(tree.root, 'scan', '--baseline', BASELINE, '--verify', '--api-base-url', api.baseUrl);
      assert.equal(result.code, 2);
      assert.match(result.stdout, /test\/fixtures\/c\.ts  error: --verify: .* was not checked|test\/fixtures\/c\.ts  error: --verify: .*server error/);
    });

    it('leaves a live key out of an updated baseline and reports it', async () => {
      tree.write('src/live.ts', fixture(keys[3]));
      api.setBehaviour(keys[0], 401);
      api.setBehaviour(keys[2], 401);
      api.setBehaviour(keys[3], 200);
      const result = await runCliAsync(tree.root, 'scan', '--update-baseline', BASELINE, '--verify', '--api-base-url', api.baseUrl);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /2 entries \(0 added, 0 removed\)/);
      assert.match(result.stdout, /src\/live\.ts:1:\d+  error  .* is accepted in the baseline, but the Anthropic API says it is live/);
      assert.ok(!readFileSync(join(tree.root, BASELINE), 'utf8').includes(keyHint(keys[3])));
    });
  });
});
