// The history scan on real repositories built here: keys added and deleted, renamed, merged, left on branches, in
// tags and stashes, in commit messages; pushed to a local bare remote or not; and the inputs that must give a clear
// answer: shallow clones, no commits, corrupt objects, huge blobs, submodules, a missing git, bad revisions.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitUnavailableError, createGitRunner } from '../../../../src/core/git';
import { HistoryScanCancelled, HistoryScanError, scanHistory, type HistoryFinding, type HistoryMode, type HistoryScanOptions } from '../../../../src/core/history/historyScan';
import { SAFE_GIT_CONFIG, startGit } from '../../../../src/core/history/gitProcess';
import { RevisionError } from '../../../../src/core/history/revisions';
import { keyHint } from '../../../../src/core/hint';
import { fakeKey } from '../../../support/fakeKeys';
import { lfsPointer } from '../../../support/lfs';
import { ISOLATED_GIT_ENV } from '../../../support/runCli';
import { tempTree, type TempTree } from '../../../support/tempRepo';

/** A repository whose commits get increasing dates, so "oldest first" is well defined. */
class Repo {
  readonly tree: TempTree;
  private clock = 1_700_000_000;

  constructor(tree?: TempTree) {
    this.tree = tree ?? tempTree({ gitInit: true });
  }

  get root(): string {
    return this.tree.root;
  }

  git(...args: string[]): string {
    this.clock += 60;
    const date = `${this.clock} +0000`;
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...ISOLATED_GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  }

  /** Writes the files, stages everything, commits; returns the commit id. */
  commit(message: string, files: Record<string, string | null> = {}): string {
    for (const [path, text] of Object.entries(files)) {
      if (text === null) this.git('rm', '-q', path);
      else this.tree.write(path, text);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    this.tree.remove();
  }
}

const options = (cwd: string, mode: HistoryMode = { kind: 'history', revisions: [] }, extra: Partial<HistoryScanOptions> = {}): HistoryScanOptions => ({
  cwd,
  mode,
  includeLowConfidence: true,
  maxFileSize: 64 * 1024 * 1024,
  ...extra,
});

/** hint → where history says it came from. */
function byHint(findings: readonly HistoryFinding[]): Map<string, HistoryFinding> {
  return new Map(findings.map((finding) => [finding.credential!.hint, finding]));
}

const keys = Array.from({ length: 13 }, (_, i) => fakeKey(9100 + i));
const hint = (i: number) => keyHint(keys[i]);

describe('The history scan', () => {
  const repos: Repo[] = [];
  const repo = (tree?: TempTree) => {
    const made = new Repo(tree);
    repos.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of repos.splice(0)) made.remove();
  });

  it('finds a key that was added and later deleted, charged to the commit that added it, at its line there', async () => {
    const r = repo();
    r.commit('start', { 'README.md': 'hello\n' });
    const added = r.commit('add client', { 'src/client.ts': `// client\n\nconst key = '${keys[0]}';\n` });
    r.commit('edit', { 'src/client.ts': `// client, edited\n\nconst key = '${keys[0]}';\nexport {};\n` });
    r.commit('remove the key', { 'src/client.ts': 'const key = process.env.ANTHROPIC_API_KEY;\n' });
    const result = await scanHistory(options(r.root));
    assert.equal(result.findings.length, 1, 'one finding per key, not one per commit holding it');
    const [finding] = result.findings;
    assert.equal(finding.commit.id, added);
    assert.equal(finding.commit.shortId, added.slice(0, 7));
    assert.equal(finding.commit.subject, 'add client');
    assert.equal(finding.commit.author, 'test');
    assert.equal(finding.path, 'src/client.ts');
    assert.deepEqual([finding.line, finding.column, finding.endColumn], [3, 14, 14 + keys[0].length]);
    assert.equal(finding.credential!.hint, hint(0));
    assert.equal(finding.inWorkingTree, false);
    assert.equal(finding.pushed, false);
    assert.equal(finding.ruleId, 'hardcoded-key');
    assert.match(finding.message, new RegExp(`committed in ${added.slice(0, 7)} \\(\\d{4}-\\d\\d-\\d\\d, "add client"\\), which is not pushed yet`));
    assert.equal(result.commitsScanned, 4);
    assert.deepEqual(result.problems, []);
  });

  it('finds a key in a committed path, charged to the commit that first recorded it (red team F3)', async () => {
    const r = repo();
    r.commit('start', { 'README.md': 'hello\n' });
    const named = r.commit('cache', { [`cache/${keys[11]}.json`]: '{}\n' });
    r.commit('edit', { [`cache/${keys[11]}.json`]: '{"a":1}\n' });
    const result = await scanHistory(options(r.root));
    const finding = byHint(result.findings).get(hint(11));
    assert.ok(finding, 'the key in the name is found');
    assert.equal(finding.commit.id, named);
    assert.equal(finding.path, `cache/${hint(11)}.json`, 'the path is shown masked');
    assert.ok(!JSON.stringify(result).includes(keys[11]), 'the key is never in the result');
  });

  it('reads the blobs commits record, not what a replace ref substitutes for them (red team F14, F24)', async () => {
    const r = repo();
    r.commit('clean', { 'notes.txt': 'nothing here\n' });
    const added = r.commit('add key', { 'src/k.ts': `export const k = '${keys[10]}';\n` });
    // A replace ref that would show every reader of the key's blob a clean one instead.
    const keyBlob = r.git('rev-parse', `${added}:src/k.ts`).trim();
    const cleanBlob = r.git('rev-parse', 'HEAD:notes.txt').trim();
    r.git('replace', keyBlob, cleanBlob);
    assert.equal(r.git('cat-file', '-p', keyBlob), 'nothing here\n', 'git itself now shows the clean blob');
    const result = await scanHistory(options(r.root));
    assert.equal(byHint(result.findings).get(hint(10))?.commit.id, added);
  });

  it('reads each distinct blob once, however many commits hold it', async () => {
    const r = repo();
    r.commit('big file', { 'data.txt': 'x'.repeat(10000) + '\n' });
    for (let i = 0; i < 20; i++) r.commit(`touch ${i}`, { [`small${i}.txt`]: `${i}\n` });
    const result = await scanHistory(options(r.root));
    assert.equal(result.commitsScanned, 21);
    assert.equal(result.blobsScanned, 21, 'data.txt once, and one small file per commit');
    assert.equal(result.bytesScanned, 10001 + [...Array(20).keys()].reduce((sum, i) => sum + `${i}\n`.length, 0));
  });

  it('charges a renamed file\'s key to its first path, and a key copied later to the first commit', async () => {
    const r = repo();
    const first = r.commit('add', { 'config/old.py': `KEY = "${keys[1]}"\n` });
    r.git('mv', 'config/old.py', 'config/new.py');
    r.commit('rename');
    r.commit('copy', { 'docs/setup.md': `Set the key to ${keys[1]} first.\n` });
    const [finding] = (await scanHistory(options(r.root))).findings;
    assert.equal(finding.commit.id, first);
    assert.equal(finding.path, 'config/old.py');
    assert.equal(finding.inWorkingTree, true, 'both files still hold it');
  });

  it('charges a merged key to the branch commit, and a key only the merge adds to the merge', async () => {
    const r = repo();
    r.commit('start', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    r.git('checkout', '-q', '-b', 'feature');
    const onBranch = r.commit('feature work', { 'feature.ts': `export const k = '${keys[2]}';\n` });
    r.git('checkout', '-q', 'main');
    r.commit('main work', { 'a.txt': 'a2\n' });
    r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    // An "evil merge": the merge commit itself changes a file that neither parent has that way.
    r.tree.write('b.txt', `b\nKEY=${keys[3]}\n`);
    r.git('add', 'b.txt');
    r.git('commit', '-q', '-m', 'merge feature');
    const merge = r.git('rev-parse', 'HEAD').trim();
    const found = byHint((await scanHistory(options(r.root))).findings);
    assert.equal(found.get(hint(2))!.commit.id, onBranch);
    assert.equal(found.get(hint(3))!.commit.id, merge);
    assert.equal(found.get(hint(3))!.path, 'b.txt');
  });

  it('reads branches never merged, tags, and every stash entry, not only the last', async () => {
    const r = repo();
    r.commit('start', { 'a.txt': 'a\n' });
    r.git('checkout', '-q', '-b', 'abandoned');
    const abandoned = r.commit('abandoned work', { 'wip.ts': `const k = '${keys[4]}';\n` });
    r.git('checkout', '-q', 'main');
    r.git('checkout', '-q', '-b', 'release');
    const tagged = r.commit('release', { 'release.json': `{ "key": "${keys[5]}" }\n` });
    r.git('tag', 'v1.0');
    r.git('checkout', '-q', 'main');
    r.git('branch', '-q', '-D', 'release'); // only the tag holds it now
    r.tree.write('a.txt', `a\n${keys[6]}\n`);
    r.git('stash', '-q');
    r.tree.write('a.txt', `a\n${keys[7]}\n`);
    r.git('stash', '-q'); // the first stash is now stash@{1}, which only the reflog keeps
    const found = byHint((await scanHistory(options(r.root))).findings);
    assert.equal(found.get(hint(4))!.commit.id, abandoned);
    assert.equal(found.get(hint(5))!.commit.id, tagged);
    assert.ok(found.has(hint(6)), 'stash@{1}');
    assert.ok(found.has(hint(7)), 'stash@{0}');
    assert.equal(found.size, 4);
  });

  it('finds a key in a commit message, and masks it in the subject it shows', async () => {
    const r = repo();
    const commit = r.commit(`debug with ${keys[8]}`, { 'a.txt': 'a\n' });
    const [finding] = (await scanHistory(options(r.root))).findings;
    assert.equal(finding.location, 'commit-message');
    assert.equal(finding.path, '');
    assert.equal(finding.commit.id, commit);
    assert.equal(finding.commit.subject, `debug with ${hint(8)}`);
    assert.ok(!JSON.stringify(finding).includes(keys[8]), 'no full key anywhere in the finding');
    assert.match(finding.message, /in the message of commit/);
  });

  it('escapes control characters in subjects, authors and paths, and masks a key in a file name (attack: faked output lines)', async () => {
    const r = repo();
    const fakeLine = '\r\x1b[2KNo Anthropic key in the history';
    r.git('config', 'user.name', `Mallory${fakeLine}`);
    const name = `dir/${keys[11]}\nnotes.txt`;
    r.commit(`Tidy${fakeLine}\u202e`, { [name]: `k = '${keys[10]}'\n` });
    const [finding] = (await scanHistory(options(r.root))).findings;
    for (const text of [finding.commit.subject, finding.commit.author, finding.message]) assert.doesNotMatch(text, /[\r\n\x1b\u202e]/, JSON.stringify(text));
    assert.equal(finding.commit.subject, 'Tidy\\u000d\\u001b[2KNo Anthropic key in the history\\u202e');
    // The path stays the path (JSON escapes it; the text output escapes it, below), but a key in it is a hint.
    assert.equal(finding.path, `dir/${hint(11)}\nnotes.txt`);
    assert.ok(!JSON.stringify(finding).includes(keys[11].slice(15)) && !JSON.stringify(finding).includes(keys[10].slice(15)), 'hints only');
  });

  it('finds a key in an annotated tag\'s message and in a ref\'s name, which git log never shows (red team F15, F23)', async () => {
    const r = repo();
    const tagged = r.commit('release', { 'README.md': 'hello\n' });
    r.git('tag', '-a', 'v1.0', '-m', `Release 1.0\n\nkey for the demo: ${keys[0]}`);
    r.git('tag', '-a', 'v1.0-signed', '-m', 'a tag of a tag', 'v1.0');
    r.git('branch', `wip-${keys[1]}`);
    r.git('tag', '-a', 'v0.9', '-m', 'nothing here');
    const result = await scanHistory(options(r.root));
    const found = result.findings.map((finding) => [finding.location, finding.ref, finding.credential!.hint, finding.commit.id, finding.pushed]);
    assert.deepEqual(found.sort(), [
      ['ref-name', `refs/heads/wip-${hint(1)}`, hint(1), tagged, false],
      ['tag-message', 'refs/tags/v1.0', hint(0), tagged, false],
    ]);
    const message = result.findings.find((finding) => finding.location === 'tag-message')!.message;
    assert.match(message, /in the message of the annotated tag refs\/tags\/v1\.0\. git push sends a tag with its message/);
    assert.ok(!JSON.stringify(result).includes(keys[1]) && !JSON.stringify(result).includes(keys[0]), 'no full key anywhere in the result');
    // A range names no refs: only its commits are read.
    assert.deepEqual((await scanHistory(options(r.root, { kind: 'history', revisions: ['HEAD'] }))).findings, []);
  });

  it('honours the suppression comment, and --exclude on the paths of the commits', async () => {
    const r = repo();
    r.commit('fixtures', {
      'test/fixture.ts': `// anthropic-key-hygiene-ignore\nconst k = '${keys[9]}';\n`,
      'vendor/lib.js': `var k = '${keys[10]}';\n`,
    });
    assert.deepEqual((await scanHistory(options(r.root))).findings.map((finding) => finding.path), ['vendor/lib.js']);
    const excluded = await scanHistory(options(r.root, undefined, { isExcluded: (path) => path.startsWith('vendor/') }));
    assert.deepEqual(excluded.findings, []);
  });

  describe('with a remote', () => {
    let remote: TempTree;
    beforeEach(() => {
      remote = tempTree({ gitInit: false });
      execFileSync('git', ['init', '-q', '--bare', remote.root], { env: ISOLATED_GIT_ENV });
    });
    afterEach(() => remote.remove());

    it('tells pushed commits from local ones, and names the remote branch', async () => {
      const r = repo();
      r.git('remote', 'add', 'origin', remote.root);
      const pushedCommit = r.commit('pushed', { 'a.ts': `const a = '${keys[0]}';\n` });
      r.git('push', '-q', '-u', 'origin', 'main');
      const localCommit = r.commit('local', { 'b.ts': `const b = '${keys[1]}';\n` });
      const found = byHint((await scanHistory(options(r.root))).findings);
      assert.equal(found.get(hint(0))!.commit.id, pushedCommit);
      assert.equal(found.get(hint(0))!.pushed, true);
      assert.equal(found.get(hint(0))!.pushedTo, 'origin/main');
      assert.match(found.get(hint(0))!.message, /pushed to origin\/main: the key is in every clone\. Rotate it/);
      assert.equal(found.get(hint(1))!.commit.id, localCommit);
      assert.equal(found.get(hint(1))!.pushed, false);
      assert.equal(found.get(hint(1))!.pushedTo, undefined);
    });

    it('masks a remote branch named with a key wherever it names it: pushedTo, the message, and its own finding (red team F23)', async () => {
      const r = repo();
      r.git('remote', 'add', 'origin', remote.root);
      const leak = r.commit('leak', { 'a.py': `k = "${keys[2]}"\n` });
      r.git('push', '-q', 'origin', `HEAD:refs/heads/${keys[3]}`);
      r.git('fetch', '-q', 'origin');
      const result = await scanHistory(options(r.root));
      const inFile = result.findings.find((finding) => finding.location === 'file')!;
      assert.equal(inFile.commit.id, leak);
      assert.equal(inFile.pushedTo, `origin/${hint(3)}`);
      const inName = result.findings.find((finding) => finding.location === 'ref-name')!;
      assert.deepEqual([inName.ref, inName.pushed, inName.credential!.hint], [`refs/remotes/origin/${hint(3)}`, true, hint(3)]);
      assert.match(inName.message, /the remote has a branch named with the key\. Rotate it/);
      assert.ok(!JSON.stringify(result).includes(keys[3]), 'the branch name is masked everywhere');
    });

    it('--unpushed reads @{upstream}..HEAD when there is an upstream', async () => {
      const r = repo();
      r.git('remote', 'add', 'origin', remote.root);
      r.commit('pushed', { 'a.ts': `const a = '${keys[0]}';\n` });
      r.git('push', '-q', '-u', 'origin', 'main');
      const local = r.commit('local', { 'b.ts': `const b = '${keys[1]}';\n`, 'a.ts': `const a = '${keys[0]}';\nexport {};\n` });
      const result = await scanHistory(options(r.root, { kind: 'unpushed', revisions: [] }));
      assert.deepEqual(
        result.findings.map((finding) => [finding.credential!.hint, finding.commit.id]),
        [[hint(1), local]],
        'a key the range only inherits (a.ts was edited, the key was already pushed) is not news',
      );
      assert.equal(result.commitsScanned, 1);
      assert.match(result.scope, /@\{upstream\}\.\.HEAD \(origin\/main\)/);
    });

    it('--unpushed reads what no remote-tracking branch holds when there is no upstream', async () => {
      const r = repo();
      r.git('remote', 'add', 'origin', remote.root);
      r.commit('pushed', { 'a.ts': `const a = '${keys[0]}';\n` });
      r.git('push', '-q', 'origin', 'main'); // no -u: no upstream
      r.git('checkout', '-q', '-b', 'topic');
      const local = r.commit('local', { 'b.ts': `const b = '${keys[1]}';\n` });
      const result = await scanHistory(options(r.root, { kind: 'unpushed', revisions: [] }));
      assert.deepEqual(result.findings.map((finding) => finding.commit.id), [local]);
      assert.match(result.scope, /no upstream/);
      // With the commits being pushed given (as the pre-push hook gives them), the same.
      const given = await scanHistory(options(r.root, { kind: 'unpushed', revisions: [local] }));
      assert.deepEqual(given.findings.map((finding) => finding.commit.id), [local]);
    });

    it('says a shallow clone\'s history is partial, as a problem, and still scans what is there', async () => {
      const r = repo();
      r.git('remote', 'add', 'origin', remote.root);
      r.commit('old', { 'old.ts': `const a = '${keys[0]}';\n` });
      r.commit('removed', { 'old.ts': null });
      r.commit('newer', { 'new.ts': `const b = '${keys[1]}';\n` });
      r.git('push', '-q', 'origin', 'main');
      const clone = tempTree({ gitInit: false });
      try {
        execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'main', `file://${remote.root}`, clone.root], { env: ISOLATED_GIT_ENV });
        const result = await scanHistory(options(clone.root));
        assert.equal(result.shallow, true);
        assert.deepEqual(result.findings.map((finding) => finding.credential!.hint), [hint(1)]);
        assert.equal(result.problems.length, 1);
        assert.match(result.problems[0].message, /shallow clone: the history before commit [0-9a-f]{7} is not here.*git fetch --unshallow/);
        // What git push would send does not reach the edge: no problem there.
        const unpushed = await scanHistory(options(clone.root, { kind: 'unpushed', revisions: [] }));
        assert.deepEqual(unpushed.problems, []);
      } finally {
        clone.remove();
      }
    });
  });

  it('names the remote branch of every pushed finding, past the first batch of names (600 commits, each adding a key)', async () => {
    const r = repo();
    let stream = '';
    for (let i = 1; i <= 600; i++) {
      const text = `const k = '${fakeKey(20000 + i)}';\n`;
      stream += `commit refs/heads/main\nmark :${i}\ncommitter t <t@example.invalid> ${1700000000 + i} +0000\ndata 2\nc\n${i > 1 ? `from :${i - 1}\n` : ''}M 100644 inline k${i}.ts\ndata ${text.length}\n${text}\n`;
    }
    stream += 'reset refs/remotes/origin/main\nfrom :600\n\nreset refs/remotes/origin/old\nfrom :10\n\n';
    execFileSync('git', ['fast-import', '--quiet'], { cwd: r.root, input: stream, env: ISOLATED_GIT_ENV });
    const result = await scanHistory(options(r.root, undefined, { checkWorkingTree: false }));
    assert.equal(result.findings.length, 600);
    assert.ok(result.findings.every((finding) => finding.pushed), 'every commit is on origin/main');
    assert.deepEqual(new Set(result.findings.map((finding) => finding.pushedTo)).size <= 2, true);
    assert.ok(result.findings.slice(500).every((finding) => finding.pushedTo === 'origin/main'), 'names past the first batch line up');
  });

  it('says there is nothing to scan in a repository with no commits, for both modes', async () => {
    const r = repo();
    const history = await scanHistory(options(r.root));
    assert.deepEqual(history.findings, []);
    assert.deepEqual(history.notes, ['Nothing to scan: the repository has no commits yet.']);
    const unpushed = await scanHistory(options(r.root, { kind: 'unpushed', revisions: [] }));
    assert.deepEqual(unpushed.notes, ['Nothing to scan: the current branch has no commits yet, so there is nothing to push.']);
  });

  it('names a corrupt loose object as a problem and still finds the keys in the others', async () => {
    const r = repo();
    r.commit('one', { 'broken.ts': `const a = '${keys[0]}';\n` });
    r.commit('two', { 'fine.ts': `const b = '${keys[1]}';\n` });
    const broken = r.git('rev-parse', 'HEAD:broken.ts').trim();
    const path = join(r.root, '.git', 'objects', broken.slice(0, 2), broken.slice(2));
    chmodSync(path, 0o644);
    writeFileSync(path, 'not zlib');
    const result = await scanHistory(options(r.root));
    assert.deepEqual(result.findings.map((finding) => finding.credential!.hint), [hint(1)]);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].subject, `broken.ts (commit ${r.git('rev-parse', '--short=7', 'HEAD~1').trim()})`);
    assert.match(result.problems[0].message, new RegExp(`git cannot read its blob ${broken}`));
  });

  it('names a corrupt packed object, restarts git past it, and still reads every other blob', async () => {
    const r = repo();
    const random = (seed: number) => Buffer.from(Array.from({ length: 30000 }, (_, i) => 65 + ((i * 7919 + seed * 104729) % 26))).toString('latin1');
    r.commit('one', { 'first.ts': `const a = '${keys[0]}';\n` });
    r.commit('two', { 'broken.txt': random(1) + '\n' });
    r.commit('three', { 'last.ts': `const c = '${keys[2]}';\n` });
    r.git('gc', '-q');
    const broken = r.git('rev-parse', 'HEAD~1:broken.txt').trim();
    const pack = readdirSync(join(r.root, '.git', 'objects', 'pack')).find((name) => name.endsWith('.pack'))!;
    const offset = Number(
      execFileSync('git', ['show-index'], { input: readFileSync(join(r.root, '.git', 'objects', 'pack', pack.replace(/\.pack$/, '.idx'))), encoding: 'utf8' })
        .split('\n')
        .find((line) => line.includes(broken))!
        .split(' ')[0],
    );
    const packPath = join(r.root, '.git', 'objects', 'pack', pack);
    chmodSync(packPath, 0o644);
    const bytes = readFileSync(packPath);
    bytes.fill(0xff, offset + 8, offset + 24); // inside the object's compressed data
    writeFileSync(packPath, bytes);
    const result = await scanHistory(options(r.root));
    assert.deepEqual(result.findings.map((finding) => finding.credential!.hint).sort(), [hint(0), hint(2)].sort());
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    assert.match(result.problems[0].subject, /^broken\.txt \(commit [0-9a-f]{7}\)$/);
    assert.match(result.problems[0].message, new RegExp(broken));
  });

  it('does not hold a blob over the size limit: it names it as a problem and scans the rest', async () => {
    const r = repo();
    r.commit('huge', { 'assets/huge.bin': Buffer.alloc(3 * 1024 * 1024, 0x41).toString('latin1') + keys[0] });
    r.commit('small', { 'small.ts': `const k = '${keys[1]}';\n` });
    const result = await scanHistory(options(r.root, undefined, { maxFileSize: 1024 * 1024 }));
    assert.deepEqual(result.findings.map((finding) => finding.credential!.hint), [hint(1)]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].subject, /^assets\/huge\.bin \(commit [0-9a-f]{7}\)$/);
    assert.match(result.problems[0].message, /larger than the 1 MB limit/);
    assert.equal(result.skipped.length, 1);
  });

  it('reads the contents behind a Git LFS pointer, and names a pointer whose object is not here as a problem (red team F27)', async () => {
    const r = repo();
    r.commit('lfs data', { 'data/export.csv': lfsPointer(r.tree, `id,key\n1,${keys[0]}\n`, { store: true }) });
    r.commit('more lfs data', { 'data/old.csv': lfsPointer(r.tree, `id,key\n2,${keys[1]}\n`, { store: false }) });
    const result = await scanHistory(options(r.root));
    assert.deepEqual(result.findings.map((finding) => [finding.path, finding.line, finding.credential!.hint]), [['data/export.csv', 2, hint(0)]]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].subject, /^data\/old\.csv \(commit [0-9a-f]{7}\)$/);
    assert.match(result.problems[0].message, /not scanned: a Git LFS pointer whose object is not on this machine/);
  });

  it('notes a submodule, whose history is its own repository\'s, and scans the rest', async () => {
    const r = repo();
    r.commit('start', { 'a.ts': `const k = '${keys[0]}';\n` });
    r.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`);
    r.git('commit', '-q', '-m', 'add submodule');
    const result = await scanHistory(options(r.root));
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.notes, ['A submodule (vendor/lib) is its own repository: scan its history there.']);
  });

  it('finds a key in a submodule\'s path, which this repository records, though it reads nothing of the submodule (red team F3)', async () => {
    const r = repo();
    r.commit('start', { 'README.md': 'hello\n' });
    r.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/${keys[12]}`);
    r.git('commit', '-q', '-m', 'add submodule');
    const added = r.git('rev-parse', 'HEAD').trim();
    const result = await scanHistory(options(r.root));
    assert.equal(byHint(result.findings).get(hint(12))?.commit.id, added);
    assert.ok(!JSON.stringify(result).includes(keys[12]), 'the key is never in the result');
  });

  it('reads a key that is the target of a symbolic link', async () => {
    const r = repo();
    r.tree.write('x', '');
    r.git('add', 'x');
    // A link's blob is its target; git stores it whatever the file system allows.
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: r.root, input: keys[0], env: ISOLATED_GIT_ENV }).toString().trim();
    r.git('update-index', '--add', '--cacheinfo', `120000,${blob},link`);
    r.git('commit', '-q', '-m', 'link');
    assert.deepEqual((await scanHistory(options(r.root))).findings.map((finding) => finding.path), ['link']);
  });

  it('fails with a clear error for a bad revision, a revision that looks like an option, or outside a repository', async () => {
    const r = repo();
    r.commit('start', { 'a.txt': 'a\n' });
    await assert.rejects(scanHistory(options(r.root, { kind: 'history', revisions: ['no-such-branch'] })), (error: Error) => {
      assert.ok(error instanceof HistoryScanError);
      assert.match(error.message, /git log failed: .*no-such-branch/);
      return true;
    });
    await assert.rejects(scanHistory(options(r.root, { kind: 'history', revisions: ['--output=/tmp/x'] })), RevisionError);
    const outside = tempTree({ gitInit: false });
    try {
      await assert.rejects(scanHistory(options(outside.root)), /is not inside a git work tree/);
    } finally {
      outside.remove();
    }
  });

  it('fails with GitUnavailableError when git cannot be started', async () => {
    const r = repo();
    await assert.rejects(scanHistory(options(r.root, undefined, { gitPath: join(r.root, 'no-git-here') })), GitUnavailableError);
  });

  it('stops with HistoryScanCancelled when its signal is aborted', async () => {
    const r = repo();
    for (let i = 0; i < 30; i++) r.commit(`c${i}`, { [`f${i}.txt`]: `${i}\n` });
    const controller = new AbortController();
    const started: string[][] = [];
    const scan = scanHistory(
      options(r.root, undefined, {
        signal: controller.signal,
        observer: (args) => started.push([...args]),
        onProgress: () => controller.abort(),
      }),
    );
    await assert.rejects(scan, HistoryScanCancelled);
    assert.ok(started.some((args) => args[0] === 'log'));
  });

  it('runs nothing the repository configures: no filter, textconv, external diff, signature program or hook (attack: hostile config)', async () => {
    const r = repo();
    const marker = join(r.root, '..', `pwned-${process.pid}-${Date.now()}`);
    // An executable, as git runs gpg.program and the like without a shell.
    const evil = r.tree.write('../evil-program.sh', `#!/bin/sh\ntouch ${marker}\ncat\n`);
    chmodSync(evil, 0o755);
    r.commit('start', { '.gitattributes': '* filter=evil diff=evil\n', 'a.ts': `const k = '${keys[0]}';\n` });
    // A commit carrying a signature: with log.showSignature set, git log would hand it to gpg.program.
    const tree = r.git('rev-parse', 'HEAD^{tree}').trim();
    const parent = r.git('rev-parse', 'HEAD').trim();
    const signed = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], {
      cwd: r.root,
      env: ISOLATED_GIT_ENV,
      input: `tree ${tree}\nparent ${parent}\nauthor t <t@example.invalid> 1700000000 +0000\ncommitter t <t@example.invalid> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n`,
    })
      .toString()
      .trim();
    r.git('update-ref', 'refs/heads/main', signed);
    for (const [name, value] of [
      ['filter.evil.clean', evil],
      ['filter.evil.smudge', evil],
      ['filter.evil.process', evil],
      ['diff.evil.textconv', evil],
      ['diff.external', evil],
      ['log.showSignature', 'true'],
      ['gpg.program', evil],
      ['core.fsmonitor', evil],
      ['core.pager', evil],
    ]) {
      r.git('config', name, value);
    }
    // The planted program does run when git is asked the ordinary way: the check below can fail.
    execFileSync('git', ['log', '-1', '--format=%H'], { cwd: r.root, env: ISOLATED_GIT_ENV, stdio: 'pipe' });
    assert.ok(existsSync(marker), 'the hostile configuration is live');
    rmSync(marker);
    const result = await scanHistory(options(r.root));
    assert.equal(result.findings.length, 1);
    assert.ok(!existsSync(marker), 'a configured program ran');
  });

  it('starts git with the same overrides as the git runner of src/core/git.ts', async () => {
    const r = repo();
    r.git('config', 'core.fsmonitor', 'true');
    r.git('config', 'core.hooksPath', 'hooks');
    r.git('config', 'core.untrackedCache', 'true');
    const args = ['config', '--get-regexp', '^core\\.(fsmonitor|hookspath|untrackedcache)$'];
    const viaRunner = (await createGitRunner().run(r.root, args)).stdout.toString('utf8');
    let streamed = '';
    const stream = startGit('git', r.root, args, (chunk) => (streamed += chunk.toString('utf8')));
    stream.child.stdin.end();
    await stream.done;
    assert.equal(streamed, viaRunner);
    assert.match(streamed, /core\.fsmonitor false/);
    assert.match(streamed, /core\.hookspath \/dev\/null/);
    assert.deepEqual(SAFE_GIT_CONFIG.filter((arg) => arg !== '-c').length, 3);
  });
});
