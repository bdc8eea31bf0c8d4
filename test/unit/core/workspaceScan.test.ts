import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { MAX_FINDINGS_PER_SCAN, READ_BUFFER_SIZE } from '../../../src/core/fileScan';
import { createGitRunner } from '../../../src/core/git';
import { GitStateError, fileGitState, isScanComplete, scanPaths, type ScanOptions } from '../../../src/core/workspaceScan';
import { keyHint } from '../../../src/core/hint';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

/**
 * Makes git refuse a repository as "dubious ownership", as it does for one another user owns (sudo, containers, bind
 * mounts): as root, by giving it to nobody; otherwise with git's own switch for its tests of that check
 * (GIT_TEST_ASSUME_DIFFERENT_OWNER, git-compat-util.h). Returns the undo.
 */
function makeDubious(root: string): () => void {
  if (process.getuid?.() === 0) {
    const chownTree = (path: string, uid: number) => {
      chownSync(path, uid, uid);
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        if (entry.isDirectory()) chownTree(join(path, entry.name), uid);
        else chownSync(join(path, entry.name), uid, uid);
      }
    };
    chownTree(root, 65534);
    return () => chownTree(root, 0);
  }
  process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = '1';
  return () => delete process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER;
}

/** Runs `body` with git's global and system config out of the way (a developer's `safe.directory = *` would
 * otherwise let git read any repository). */
async function withoutGlobalGitConfig(body: () => Promise<void>): Promise<void> {
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, noSystem: process.env.GIT_CONFIG_NOSYSTEM };
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  try {
    await body();
  } finally {
    for (const [name, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.noSystem]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const baseOptions: ScanOptions = { useGitignore: true, allowGit: true, includeLowConfidence: true, maxFileSize: 1 << 30 };

/** `path:ruleId` for each finding, relative to the tree, sorted: easy to compare as a whole. */
function summary(tree: TempTree, findings: Array<{ file: string; ruleId: string }>): string[] {
  return findings.map((finding) => `${relative(tree.root, finding.file)}:${finding.ruleId}`).sort();
}

/** The same layout for the git and the no-git tests: every ignore mechanism git has. */
function plantTree(tree: TempTree): void {
  tree.write('.gitignore', '.env\n*.log\nbuild/\n!keep.log\n');
  tree.write('src/app.ts', `const key = "${fakeKey(1)}";\n`);
  tree.write('.env', `ANTHROPIC_API_KEY=${fakeKey(2)}\n`); // ignored: where keys belong
  tree.write('.env.local', `ANTHROPIC_API_KEY=${fakeKey(3)}\n`); // not ignored
  tree.write('.env.example', `ANTHROPIC_API_KEY=${fakeKey(4)}\n`); // a template: only its key is reported
  tree.write('debug.log', `${fakeKey(5)}\n`); // ignored by *.log
  tree.write('keep.log', `${fakeKey(6)}\n`); // re-included by !keep.log
  tree.write('build/out.js', `x="${fakeKey(7)}"`); // ignored folder
  tree.write('nested/.gitignore', 'secret.txt\n!.env\n'); // nested file: ignores one file, re-includes .env below it
  tree.write('nested/secret.txt', fakeKey(8));
  tree.write('nested/.env', `ANTHROPIC_API_KEY=${fakeKey(9)}\n`);
  tree.write('excluded-by-info.txt', fakeKey(10));
  tree.write('docs/README.md', 'Set ANTHROPIC_API_KEY=sk-ant-api03-your-key-here\n');
}

const expectedCommon = [
  '.env.example:hardcoded-key',
  '.env.local:hardcoded-key',
  '.env.local:unignored-env-file',
  'keep.log:hardcoded-key',
  'nested/.env:hardcoded-key',
  'nested/.env:unignored-env-file',
  'src/app.ts:hardcoded-key',
];

describe('Scanning a folder', () => {
  let tree: TempTree;
  let xdg: string;
  const savedXdg = process.env.XDG_CONFIG_HOME;

  beforeEach(() => {
    // A private global excludes file, so the developer's own never changes the results.
    xdg = mkdtempSync(join(tmpdir(), 'akh-xdg-'));
    mkdirSync(join(xdg, 'git'));
    writeFileSync(join(xdg, 'git', 'ignore'), 'global-ignored.txt\n');
    process.env.XDG_CONFIG_HOME = xdg;
  });
  afterEach(() => {
    tree?.remove();
    rmSync(xdg, { recursive: true, force: true });
    if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedXdg;
  });

  it('in a git repository, reports exactly what git would commit, using every kind of ignore rule', async () => {
    tree = tempTree({ gitInit: true });
    plantTree(tree);
    tree.write('.git/info/exclude', 'excluded-by-info.txt\n');
    tree.write('global-ignored.txt', fakeKey(11));
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(summary(tree, result.findings), expectedCommon);
    assert.deepEqual(result.problems, []);
  });

  it('finds a key in the name of a file or folder it lists, in a repository and in a plain folder, and none in what git ignores (red team F3)', async () => {
    const key = fakeKey(7321);
    const other = fakeKey(7322);
    for (const gitInit of [true, false]) {
      tree = tempTree({ gitInit });
      tree.write(`cache/${key}.json`, '{}\n');
      tree.write(`ignored/${other}.txt`, 'x\n');
      tree.write('.gitignore', 'ignored/\n');
      tree.write('plain.txt', 'nothing\n');
      const result = await scanPaths([tree.root], baseOptions);
      assert.deepEqual(
        result.findings.map((finding) => [relative(tree.root, finding.file), finding.messageId, finding.credential?.hint]),
        [[join('cache', `${key}.json`), 'hardcoded-key.file-name', keyHint(key)]],
        gitInit ? 'in a repository' : 'in a plain folder',
      );
      // Scanned from the folder that holds it, the file's own name still counts; the folder above is this machine's.
      const inner = await scanPaths([join(tree.root, 'cache')], baseOptions);
      assert.equal(inner.findings.length, 1);
      tree.remove();
    }
  });

  it('scans the files of a submodule and of a repository nested inside the scanned one, each with its own git (red team F20)', async () => {
    const inSubmodule = fakeKey(7341);
    const inNested = fakeKey(7342);
    const library = tempTree({ gitInit: true });
    try {
      library.write('lib.js', 'export const x = 1;\n');
      library.git('add', '-A');
      library.git('commit', '-q', '-m', 'lib');
      tree = tempTree({ gitInit: true });
      tree.write('app.js', 'export {};\n');
      tree.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'vendor/lib');
      tree.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'vendor/unused');
      tree.git('commit', '-q', '-m', 'submodules');
      // A submodule that is not checked out: its folder is empty.
      tree.git('submodule', 'deinit', '-q', '-f', 'vendor/unused');
      tree.write('vendor/lib/new.py', `k = "${inSubmodule}"\n`);
      tree.write('third_party/clone/.keep', '');
      execFileSync('git', ['init', '-q'], { cwd: join(tree.root, 'third_party', 'clone') });
      tree.write('third_party/clone/leak.py', `k = "${inNested}"\n`);
      const result = await scanPaths([tree.root], baseOptions);
      assert.deepEqual(
        result.findings.map((finding) => [relative(tree.root, finding.file), finding.credential?.hint]),
        [
          [join('third_party', 'clone', 'leak.py'), keyHint(inNested)],
          [join('vendor', 'lib', 'new.py'), keyHint(inSubmodule)],
        ],
      );
      assert.deepEqual(result.problems, []);
      assert.deepEqual(
        result.skipped.map((skip) => [relative(tree.root, skip.file), skip.reason, skip.failed ?? false]),
        [[join('vendor', 'unused'), 'a submodule that is not checked out (nothing on disk to read)', false]],
      );
      assert.ok(result.repositories.some((repository) => repository.endsWith(join('vendor', 'lib'))), 'the submodule was asked with its own git');
      // Exclude globs stay relative to the folder asked for, inside a submodule too.
      const excluded = await scanPaths([tree.root], { ...baseOptions, isExcluded: (path) => path === 'vendor/lib/new.py' });
      assert.deepEqual(excluded.findings.map((finding) => relative(tree.root, finding.file)), [join('third_party', 'clone', 'leak.py')]);
    } finally {
      library.remove();
    }
  });

  it('reports a .env file that is ignored but still tracked, and reads it because git commits it', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.env', `ANTHROPIC_API_KEY=${fakeKey(12)}\n`);
    tree.git('add', '.env');
    tree.git('commit', '-q', '-m', 'oops');
    tree.write('.gitignore', '.env\n');
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(summary(tree, result.findings), ['.env:hardcoded-key', '.env:tracked-env-file']);
    tree.git('rm', '-q', '--cached', '.env');
    const after = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(summary(tree, after.findings), []);
  });

  it('outside a repository, applies the .gitignore files itself with the same verdicts', async () => {
    tree = tempTree({ gitInit: false });
    plantTree(tree);
    tree.write('global-ignored.txt', fakeKey(13)); // global excludes apply only inside a repository…
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(summary(tree, result.findings), [...expectedCommon, 'excluded-by-info.txt:hardcoded-key', 'global-ignored.txt:hardcoded-key'].sort());
  });

  it('when git may not run (an untrusted workspace), reads the ignore files of the repository instead', async () => {
    tree = tempTree({ gitInit: true });
    plantTree(tree);
    tree.write('.git/info/exclude', 'excluded-by-info.txt\n');
    tree.write('global-ignored.txt', fakeKey(11));
    const invocations: string[][] = [];
    const git = createGitRunner('git', (args) => invocations.push([...args]));
    const result = await scanPaths([tree.root], { ...baseOptions, allowGit: false, git });
    assert.deepEqual(summary(tree, result.findings), expectedCommon);
    assert.deepEqual(invocations, [], 'no git process was started');
  });

  it('does not guess from the ignore files inside a repository when git is missing: the folder is an error naming the cause (issue 12 #2)', async () => {
    tree = tempTree({ gitInit: true });
    plantTree(tree);
    const result = await scanPaths([tree.root], { ...baseOptions, git: createGitRunner('/nonexistent/git') });
    assert.deepEqual(result.findings, [], 'nothing is scanned by guesswork');
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].path, tree.root);
    assert.match(result.problems[0].message, /git was not found .*is a git repository.*Install git/);
    assert.equal(isScanComplete(result), false);
    // The fix engine's question gets the same answer: unknown, as a GitStateError, never "untracked".
    await assert.rejects(fileGitState(join(tree.root, '.env'), true, createGitRunner('/nonexistent/git')), (error: Error) => error instanceof GitStateError && /Install git/.test(error.message));
  });

  it('outside every repository walks the tree without git, and says nothing of git being missing', async () => {
    tree = tempTree({ gitInit: false });
    plantTree(tree);
    const result = await scanPaths([tree.root], { ...baseOptions, git: createGitRunner('/nonexistent/git') });
    assert.deepEqual(summary(tree, result.findings), [...expectedCommon, 'excluded-by-info.txt:hardcoded-key'].sort());
    assert.deepEqual(result.problems, []);
    assert.equal(isScanComplete(result), true);
  });

  it('reports a repository nested in a plain folder as not scanned when git is missing, and scans the rest (issue 12 #2)', async () => {
    tree = tempTree({ gitInit: false });
    tree.write('top.ts', `const k = "${fakeKey(19)}";\n`);
    tree.write('repo/.env', `K=${fakeKey(20)}\n`);
    execFileSync('git', ['init', '-q'], { cwd: join(tree.root, 'repo') });
    const result = await scanPaths([tree.root], { ...baseOptions, git: createGitRunner('/nonexistent/git') });
    assert.deepEqual(summary(tree, result.findings), ['top.ts:hardcoded-key']);
    assert.deepEqual(result.problems.map((problem) => relative(tree.root, problem.path)), ['repo']);
  });

  it('refuses a repository git calls dubious (owned by another user), naming the safe.directory command, never reading .gitignore instead (issue 12 #2)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', '.env\n');
    tree.write('.env', `ANTHROPIC_API_KEY=${fakeKey(40)}\n`);
    tree.git('add', '-f', '.env'); // tracked although ignored: only git can tell
    const undo = makeDubious(tree.root);
    try {
      await withoutGlobalGitConfig(async () => {
        const folder = await scanPaths([tree.root], baseOptions);
        assert.deepEqual(folder.findings, []);
        assert.equal(folder.problems.length, 1);
        assert.match(folder.problems[0].message, /dubious ownership/);
        assert.ok(folder.problems[0].message.includes(`git config --global --add safe.directory ${tree.root}`), folder.problems[0].message);
        // The same for the one file, and for fileGitState, which the fix engine asks before it writes a key.
        const file = await scanPaths([join(tree.root, '.env')], baseOptions);
        assert.deepEqual(file.findings, []);
        assert.match(file.problems[0].message, /dubious ownership/);
        await assert.rejects(fileGitState(join(tree.root, '.env'), true, createGitRunner()), (error: Error) => error instanceof GitStateError && /safe\.directory/.test(error.message));
      });
    } finally {
      undo();
    }
    const trusted = await scanPaths([join(tree.root, '.env')], baseOptions);
    assert.deepEqual(summary(tree, trusted.findings), ['.env:hardcoded-key', '.env:tracked-env-file']);
  });

  it('treats any failing git call inside a repository as an error, not as "untracked" (issue 12 #2)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.env', 'A=1\n');
    tree.git('add', '.env');
    tree.write('.git/index', 'not an index'); // git ls-files now fails
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(result.findings, []);
    assert.match(result.problems[0].message, /git ls-files failed in .*exit code 128/);
    await assert.rejects(fileGitState(join(tree.root, '.env'), true, createGitRunner()), GitStateError);
  });

  it('keeps a path that ends in a space exactly as git gives it (issue 12 #2)', async () => {
    tree = tempTree({ gitInit: true });
    const folder = join(tree.root, 'repo ');
    mkdirSync(folder);
    execFileSync('git', ['init', '-q'], { cwd: folder });
    writeFileSync(join(folder, '.env '), 'A=1\n');
    writeFileSync(join(folder, 'key.ts '), `const k = "${fakeKey(41)}";\n`);
    const result = await scanPaths([folder], baseOptions);
    assert.deepEqual(result.findings.map((finding) => relative(tree.root, finding.file)), ['repo /key.ts ']);
    assert.deepEqual(result.repositories, [folder]);
    assert.deepEqual(await fileGitState(join(folder, 'key.ts '), true, createGitRunner()), { ignored: false, tracked: false, trackingKnown: true, repositoryRoot: folder });
  });

  it('hands a repository nested in a plain folder to git, so its tracked .env files are known', async () => {
    tree = tempTree({ gitInit: false });
    tree.write('top.ts', `const k = "${fakeKey(17)}";\n`);
    const repo = join(tree.root, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    writeFileSync(join(repo, '.env'), `K=${fakeKey(18)}\n`);
    git('add', '-f', '.env');
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(summary(tree, result.findings), ['repo/.env:hardcoded-key', 'repo/.env:tracked-env-file', 'top.ts:hardcoded-key']);
  });

  it('with --no-gitignore, scans ignored files too and reports no .env rules', async () => {
    tree = tempTree({ gitInit: true });
    plantTree(tree);
    const result = await scanPaths([tree.root], { ...baseOptions, useGitignore: false });
    assert.ok(summary(tree, result.findings).includes('.env:hardcoded-key'));
    assert.ok(summary(tree, result.findings).includes('build/out.js:hardcoded-key'));
    assert.ok(!result.findings.some((finding) => finding.ruleId.endsWith('env-file')));
  });

  it('never follows a symbolic link out of the tree, scans binary files for keys, and reports oversized files as not scanned', async () => {
    tree = tempTree({ gitInit: false });
    const outside = tempTree({ gitInit: false });
    try {
      outside.write('leak.txt', fakeKey(14));
      symlinkSync(join(outside.root, 'leak.txt'), join(tree.root, 'link.txt'));
      symlinkSync(outside.root, join(tree.root, 'linked-folder'));
      tree.write('image.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(fakeKey(15))]));
      tree.write('big.txt', 'x'.repeat(2048) + fakeKey(16));
      const result = await scanPaths([tree.root], { ...baseOptions, maxFileSize: 1024 });
      assert.deepEqual(summary(tree, result.findings), ['image.bin:hardcoded-key'], 'a key after NUL bytes is found; nothing behind a link');
      assert.deepEqual(result.skipped, [{ file: join(tree.root, 'big.txt'), reason: 'larger than the 1024 bytes limit', failed: true }]);
      assert.equal(isScanComplete(result), false);
      // The links themselves are scanned as git would store them: the paths they point to.
      assert.equal(result.filesScanned, 3);
    } finally {
      outside.remove();
    }
  });

  it('reads files larger than its read buffer whole, whatever order their sizes come in', async () => {
    tree = tempTree({ gitInit: false });
    // Around the read buffer and the reuse of the larger buffer: keys just before and after the buffer's end, at the
    // very end, and in a file smaller than the one before it (which reuses that file's buffer).
    const extraMegabytes = { 'a.js': 0.5, 'b.js': 2.2, 'c.js': 0.1 };
    const expected: string[] = [];
    let totalBytes = 0;
    Object.entries(extraMegabytes).forEach(([name, megabytes], i) => {
      const lineLength = 1000;
      const lines = Array.from({ length: Math.floor((READ_BUFFER_SIZE + megabytes * (1 << 20)) / lineLength) }, () => 'y'.repeat(lineLength - 1));
      const around = Math.floor(READ_BUFFER_SIZE / lineLength);
      for (const line of [around - 1, around, around + 1, lines.length - 1]) {
        lines[line] = `k="${fakeKey(200 + 10 * i + line)}";`.padEnd(lineLength - 1, 'y');
        expected.push(`${name}:${line + 1}:4`);
      }
      const text = lines.join('\n');
      totalBytes += text.length;
      tree.write(name, text);
    });
    for (const workers of [0, 1]) {
      const result = await scanPaths([tree.root], { ...baseOptions, workers, workerScript: join(__dirname, '../../../src/core/scanWorker.js') });
      assert.deepEqual(result.findings.map((finding) => `${relative(tree.root, finding.file)}:${finding.line}:${finding.column}`).sort(), expected.sort());
      assert.equal(result.bytesScanned, totalBytes, 'every byte of every file was read');
    }
  });

  it('gives the same findings on worker threads as on the calling thread', async () => {
    tree = tempTree({ gitInit: true });
    for (let i = 0; i < 150; i++) tree.write(`src/file${i}.ts`, i % 7 === 0 ? `// ${i}\nconst k = "${fakeKey(100 + i)}";\n` : `export const n = ${i};\n`);
    const inline = await scanPaths([tree.root], { ...baseOptions, workers: 0 });
    const threaded = await scanPaths([tree.root], { ...baseOptions, workers: 2, workerScript: join(__dirname, '../../../src/core/scanWorker.js') });
    assert.equal(inline.findings.length, 22);
    assert.deepEqual(threaded.findings, inline.findings);
    assert.equal(threaded.filesScanned, inline.filesScanned);
  });

  it('starts workers on its own for a large tree, scanning while it walks, with the same results and steady progress', async () => {
    tree = tempTree({ gitInit: false });
    const files = 2600; // above the point where starting workers pays
    for (let i = 0; i < files; i++) {
      const body = i % 50 === 0 ? `const k = "${fakeKey(300 + i)}";\n` : `export const n = ${i};\n`;
      tree.write(`pkg${i % 7}/src/deep${i % 3}/file${i}.ts`, body);
    }
    tree.write('pkg0/image.bin', Buffer.from([0, 1, 2])); // binary: scanned all the same
    const workerScript = join(__dirname, '../../../src/core/scanWorker.js');
    const progress: Array<[number, number]> = [];
    const threaded = await scanPaths([tree.root], { ...baseOptions, workerScript, onProgress: (done, total) => progress.push([done, total]) });
    const inline = await scanPaths([tree.root], { ...baseOptions, workers: 0 });
    assert.equal(inline.findings.length, files / 50);
    assert.deepEqual(threaded.findings, inline.findings);
    assert.deepEqual(threaded.skipped, inline.skipped);
    assert.equal(threaded.filesScanned, files + 1);
    assert.deepEqual(progress[progress.length - 1], [files + 1, files + 1]);
    assert.ok(progress.slice(0, -1).every(([done, total]) => done < total), 'only the last report says done');
    assert.ok(progress.every(([done], i) => i === 0 || done >= progress[i - 1][0]));
    // Proof that workers ran: with a worker that cannot start, the large tree fails and a small one does not.
    const missingScript = join(tree.root, 'no-such-worker.js');
    await assert.rejects(scanPaths([tree.root], { ...baseOptions, workerScript: missingScript }));
    const small = await scanPaths([join(tree.root, 'pkg0', 'src', 'deep0')], { ...baseOptions, workerScript: missingScript });
    assert.ok(small.filesScanned > 0);
  });

  it('starts workers early when asked to, and gives them files only once the tree is large', async () => {
    tree = tempTree({ gitInit: false });
    for (let i = 0; i < 40; i++) tree.write(`src/file${i}.ts`, i % 10 === 0 ? `const k = "${fakeKey(500 + i)}";\n` : `export const n = ${i};\n`);
    const workerScript = join(__dirname, '../../../src/core/scanWorker.js');
    // Count the workers started: the scan calls the module's Worker constructor, which the test wraps (on the module
    // object itself, which an import would only copy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    const RealWorker = threads.Worker;
    let started = 0;
    threads.Worker = class extends RealWorker {
      constructor(...args: ConstructorParameters<typeof RealWorker>) {
        super(...args);
        started++;
      }
    };
    const medium = join(tree.root, 'medium');
    try {
      const tiny = await scanPaths([tree.root], { ...baseOptions, workerScript, startWorkersEarly: true });
      assert.equal(started, 0, 'a tree of a few files starts no worker');
      assert.equal(tiny.findings.length, 4);
      for (let i = 0; i < 300; i++) tree.write(`medium/file${i}.ts`, i % 100 === 0 ? `const k = "${fakeKey(600 + i)}";\n` : `export const n = ${i};\n`);
      const inline = await scanPaths([medium], { ...baseOptions, workers: 0 });
      const late = await scanPaths([medium], { ...baseOptions, workerScript });
      assert.equal(started, 0, 'without the option, a tree below the threshold starts no worker');
      const early = await scanPaths([medium], { ...baseOptions, workerScript, startWorkersEarly: true });
      assert.ok(started > 0, 'the option starts workers before the tree is known to be large');
      assert.equal(inline.findings.length, 3);
      assert.deepEqual(late.findings, inline.findings);
      assert.deepEqual(early.findings, inline.findings);
      // git lists a repository in one go: there is no walk for an early start to overlap, so none is made.
      started = 0;
      tree.git('init', '-q');
      const listedByGit = await scanPaths([medium], { ...baseOptions, workerScript, startWorkersEarly: true });
      assert.equal(started, 0);
      assert.deepEqual(listedByGit.findings, inline.findings);
      rmSync(join(tree.root, '.git'), { recursive: true, force: true });
    } finally {
      threads.Worker = RealWorker;
    }
    // A worker that cannot start fails a scan only if it is given files: not below the threshold, but above it.
    const missingScript = join(tree.root, 'no-such-worker.js');
    const notGivenFiles = await scanPaths([medium], { ...baseOptions, workerScript: missingScript, startWorkersEarly: true });
    assert.equal(notGivenFiles.findings.length, 3);
    for (let i = 0; i < 2600; i++) tree.write(`big/file${i}.ts`, `export const n = ${i};\n`);
    await assert.rejects(scanPaths([tree.root], { ...baseOptions, workerScript: missingScript, startWorkersEarly: true }));
  });

  it('starts workers before git lists a repository whose index is large, not for a folder inside it, when every file is read', async () => {
    tree = tempTree({ gitInit: true });
    for (let i = 0; i < 2600; i++) tree.write(`pkg${i % 5}/file${i}.ts`, `export const n = ${i};\n`);
    tree.write('small/a.ts', `const k = "${fakeKey(900)}";\n`);
    tree.git('add', '-A');
    // The workers started by the time git is asked for the file list, read through a wrapped git runner.
    const threads = require('node:worker_threads') as typeof import('node:worker_threads'); // eslint-disable-line @typescript-eslint/no-require-imports
    const RealWorker = threads.Worker;
    let started = 0;
    threads.Worker = class extends RealWorker {
      constructor(...args: ConstructorParameters<typeof RealWorker>) {
        super(...args);
        started++;
      }
    };
    const realGit = createGitRunner();
    const atListing: number[] = [];
    const git = {
      run(cwd: string, args: readonly string[], input?: Buffer | string) {
        if (args.includes('ls-files')) atListing.push(started);
        return realGit.run(cwd, args, input);
      },
    };
    const workerScript = join(__dirname, '../../../src/core/scanWorker.js');
    try {
      // With git grep choosing the files (the default) how many will be read is unknown until it answers: this early
      // start is for reading every file.
      const whole = await scanPaths([tree.root], { ...baseOptions, git, workerScript, startWorkersEarly: true, searchWithGit: false });
      assert.ok(atListing.length > 0 && atListing.every((count) => count > 0), `workers started before listing: ${atListing}`);
      assert.equal(whole.findings.length, 1);
      started = 0;
      atListing.length = 0;
      const folder = await scanPaths([join(tree.root, 'small')], { ...baseOptions, git, workerScript, startWorkersEarly: true, searchWithGit: false });
      assert.equal(started, 0, 'no worker for a small folder of a large repository');
      assert.equal(folder.findings.length, 1);
    } finally {
      threads.Worker = RealWorker;
    }
  });

  it('gives no state for a file outside the work tree git answers for (core.worktree elsewhere), rather than "untracked" (red team F26.5)', async () => {
    tree = tempTree({ gitInit: true });
    const elsewhere = mkdtempSync(join(tmpdir(), 'akh-worktree-'));
    try {
      tree.git('config', 'core.worktree', elsewhere);
      const path = tree.write('.env', 'ANTHROPIC_API_KEY=x\n');
      await assert.rejects(fileGitState(path, true, createGitRunner()), (error: Error) => error instanceof GitStateError && /core\.worktree/.test(error.message));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('asks each folder\'s own repository even when GIT_DIR and GIT_WORK_TREE name another (an editor started from a git hook)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', 'ignored.ts\n');
    tree.write('ignored.ts', `export const k = "${fakeKey(71)}";\n`);
    tree.write('kept.ts', `export const k = "${fakeKey(72)}";\n`);
    const other = tempTree({ gitInit: true });
    const saved = { dir: process.env.GIT_DIR, workTree: process.env.GIT_WORK_TREE };
    try {
      // The other repository ignores nothing: asked instead, git would call ignored.ts a file to commit.
      process.env.GIT_DIR = join(other.root, '.git');
      process.env.GIT_WORK_TREE = other.root;
      const result = await scanPaths([tree.root], baseOptions);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.findings.map((finding) => relative(tree.root, finding.file)), ['kept.ts']);
    } finally {
      for (const [name, value] of [['GIT_DIR', saved.dir], ['GIT_WORK_TREE', saved.workTree]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      other.remove();
    }
  });

  it('tells the ignore and tracking state of a single file', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', '.env*\n');
    tree.write('.env.production', 'X=1\n');
    const git = createGitRunner();
    const path = join(tree.root, '.env.production');
    assert.deepEqual(await fileGitState(path, true, git), { ignored: true, tracked: false, trackingKnown: true, repositoryRoot: tree.root });
    tree.git('add', '-f', '.env.production');
    assert.deepEqual(await fileGitState(path, true, git), { ignored: true, tracked: true, trackingKnown: true, repositoryRoot: tree.root });
    // Without git (an untrusted workspace) tracking cannot be known, and says so.
    assert.deepEqual(await fileGitState(path, false, git), { ignored: true, tracked: false, trackingKnown: false, repositoryRoot: tree.root });
    // A file that does not exist yet, in a folder that does not either: asked of the nearest folder that does.
    assert.deepEqual(await fileGitState(join(tree.root, 'new', 'dir', '.env.production'), true, git), { ignored: true, tracked: false, trackingKnown: true, repositoryRoot: tree.root });
    // Outside every repository nothing is tracked or ignored, with git or without it.
    const plain = tempTree({ gitInit: false });
    try {
      for (const runner of [git, createGitRunner('/nonexistent/git')]) {
        assert.deepEqual(await fileGitState(join(plain.root, '.env'), true, runner), { ignored: false, tracked: false, trackingKnown: true });
      }
    } finally {
      plain.remove();
    }
  });

  it('asks git about a single file through a symbolic link to its folder', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', '.env\n');
    tree.write('app/.env', 'A=1\n');
    tree.git('add', '-f', 'app/.env');
    const link = join(tree.root, '..', `${basename(tree.root)}-link`);
    symlinkSync(tree.root, link);
    try {
      assert.deepEqual(await fileGitState(join(link, 'app', '.env'), true, createGitRunner()), { ignored: true, tracked: true, trackingKnown: true, repositoryRoot: realpathSync(tree.root) });
    } finally {
      rmSync(link);
    }
  });

  it('names a folder that git ignores when it is named on its own, rather than calling it clean (issue 12 #9)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('.gitignore', 'build/\n');
    tree.write('build/out.js', `k = "${fakeKey(42)}"\n`);
    const result = await scanPaths([join(tree.root, 'build')], baseOptions);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.skipped, [{ file: join(tree.root, 'build'), reason: 'git ignores it' }]);
    assert.equal(isScanComplete(result), true, 'ignoring is a decision, not a failure');
    // The same without git (an untrusted workspace), from the .gitignore files.
    const walked = await scanPaths([join(tree.root, 'build')], { ...baseOptions, allowGit: false });
    assert.deepEqual(walked.skipped, [{ file: join(tree.root, 'build'), reason: 'git ignores it' }]);
  });

  it('reports a symbolic link or a FIFO named on its own as not scanned, without ever opening the FIFO (issue 12 #9, #10)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('target.ts', 'export {};\n');
    symlinkSync('target.ts', join(tree.root, 'link.ts'));
    execFileSync('mkfifo', [join(tree.root, 'pipe')]);
    const result = await scanPaths([join(tree.root, 'link.ts'), join(tree.root, 'pipe')], baseOptions);
    assert.deepEqual(result.skipped, [
      { file: join(tree.root, 'link.ts'), reason: 'a symbolic link (not followed; name the file it points to)', failed: true },
      { file: join(tree.root, 'pipe'), reason: 'not a regular file (a FIFO)', failed: true },
    ]);
    assert.equal(isScanComplete(result), false);
  });

  it('never blocks on a tracked file replaced by a FIFO, and reports it as not scanned (issue 12 #10)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('config.js', `module.exports = {};\n`);
    tree.write('app.js', `const k = "${fakeKey(43)}";\n`);
    tree.git('add', '.');
    rmSync(join(tree.root, 'config.js'));
    execFileSync('mkfifo', [join(tree.root, 'config.js')]);
    // No writer ever opens the FIFO: a blocking open or read would hang here until mocha's timeout.
    for (const workers of [0, 1]) {
      const result = await scanPaths([tree.root], { ...baseOptions, workers, workerScript: join(__dirname, '../../../src/core/scanWorker.js') });
      assert.deepEqual(summary(tree, result.findings), ['app.js:hardcoded-key']);
      assert.deepEqual(result.skipped, [{ file: join(tree.root, 'config.js'), reason: 'not a regular file (a FIFO)', failed: true }]);
    }
  });

  it('lists at most 100,000 findings in a scan and counts the rest per file, so memory stays bounded (issue 12 #19)', async () => {
    tree = tempTree({ gitInit: false });
    const file = `${fakeKey(45)}\n`.repeat(1000);
    for (let i = 0; i < 101; i++) tree.write(`keys/${String(i).padStart(3, '0')}.txt`, file);
    const result = await scanPaths([tree.root], { ...baseOptions, workers: 0 });
    assert.equal(MAX_FINDINGS_PER_SCAN, 100_000);
    assert.equal(result.findings.length, 100_000);
    assert.equal((result.truncated ?? []).reduce((total, entry) => total + entry.omitted, 0), 1000);
    assert.equal(result.filesScanned, 101);
  });

  it('scans a file whose name is not valid UTF-8, under its exact name, from git and from the walk (issue 12 #11)', async () => {
    tree = tempTree({ gitInit: true });
    const rawName = Buffer.concat([Buffer.from(tree.root + '/caf'), Buffer.from([0xe9]), Buffer.from('.ts')]); // latin1 "café"
    writeFileSync(rawName, `const k = "${fakeKey(44)}";\n`);
    const rawEnv = Buffer.concat([Buffer.from(tree.root + '/'), Buffer.from([0xff]), Buffer.from('.env')]);
    writeFileSync(rawEnv, 'A=1\n');
    const expectedName = `${tree.root}/caf\udce9.ts`;
    for (const allowGit of [true, false]) {
      const result = await scanPaths([tree.root], { ...baseOptions, allowGit });
      assert.deepEqual(
        result.findings.map((finding) => [finding.file, finding.ruleId]),
        [
          [expectedName, 'hardcoded-key'],
          [`${tree.root}/\udcff.env`, 'unignored-env-file'],
        ].sort(),
        `allowGit ${allowGit}`,
      );
      assert.deepEqual(result.skipped, []);
    }
    tree.git('add', '.');
    const tracked = await scanPaths([tree.root], baseOptions);
    assert.equal(tracked.findings.length, 2);
    assert.deepEqual(await fileGitState(`${tree.root}/\udcff.env`, true, createGitRunner()), { ignored: false, tracked: true, trackingKnown: true, repositoryRoot: tree.root });
  });

  it('reads a tracked file that git grep names under another spelling than the index (a case-only rename on macOS or Windows), as the read-all scan does (red team: the key was not read)', async () => {
    // On a case-insensitive file system (core.ignoreCase) a file renamed by case alone keeps its old name in the index:
    // ls-files lists `Notes.txt` while git grep, which walks the disk, names `notes.txt`. Simulated here by a runner
    // that spells grep's answer in lower case, as readdir would; the file is on disk under the index's name.
    tree = tempTree({ gitInit: true });
    tree.write('Notes.txt', `const k = "${fakeKey(74)}";\n`);
    tree.write('plain.txt', 'nothing\n');
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'notes');
    const readAll = await scanPaths([tree.root], { ...baseOptions, searchWithGit: false });
    assert.deepEqual(summary(tree, readAll.findings), ['Notes.txt:hardcoded-key']);
    for (const grepFirst of [false, true]) {
      const realGit = createGitRunner();
      let listingsLeft = 2;
      let listed!: () => void;
      const listingDone = new Promise<void>((resolveListing) => (listed = resolveListing));
      let grepped!: () => void;
      const grepDone = new Promise<void>((resolveGrep) => (grepped = resolveGrep));
      const git = {
        async run(cwd: string, args: readonly string[], input?: Buffer | string) {
          if (args.includes('grep')) {
            // Names after the listing is complete, or before it (the early hand-over).
            if (!grepFirst) await listingDone;
            const answer = await realGit.run(cwd, args, input);
            grepped();
            return { ...answer, stdout: Buffer.from(answer.stdout.toString('latin1').replace('Notes.txt', 'notes.txt'), 'latin1') };
          }
          if (args.includes('ls-files') && grepFirst) await grepDone;
          const answer = await realGit.run(cwd, args, input);
          if (args.includes('ls-files') && --listingsLeft === 0) setImmediate(listed);
          return answer;
        },
      };
      const result = await scanPaths([tree.root], { ...baseOptions, git, workers: 0 });
      assert.deepEqual(summary(tree, result.findings), ['Notes.txt:hardcoded-key'], `grep first: ${grepFirst}`);
      assert.deepEqual(result.problems, []);
      // Named before the listing, `notes.txt` is read at once, and missing here (on a case-insensitive disk it is the
      // same file): only the answer after the listing can match the read-all scan's counts.
      if (!grepFirst) assert.deepEqual([result.filesScanned, result.bytesScanned, result.skipped], [readAll.filesScanned, readAll.bytesScanned, []]);
    }
  });

  it('reports a nested repository whose folder name is not valid UTF-8 as not scanned, not as a submodule not checked out (red team: the key in it passed with exit 0)', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('a.ts', 'export {};\n');
    // A clone inside the repository, made under a UTF-8 name and renamed to a latin1 one: git cannot be run there from
    // Node, whose working folders are UTF-8 strings, so the scan cannot list it and must say so.
    tree.write('clone/k.ts', `const k = "${fakeKey(73)}";\n`);
    execFileSync('git', ['init', '-q'], { cwd: join(tree.root, 'clone') });
    renameSync(join(tree.root, 'clone'), Buffer.concat([Buffer.from(tree.root + '/clon'), Buffer.from([0xe9])]));
    const result = await scanPaths([tree.root], baseOptions);
    assert.deepEqual(result.skipped, [], 'its .git is there: not a submodule that is not checked out');
    assert.deepEqual(
      result.problems.map((problem) => problem.path),
      [`${tree.root}/clon\udce9`],
    );
    assert.equal(isScanComplete(result), false);
  });
});
