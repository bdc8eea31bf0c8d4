// The walker that lists files without running git (plain folders, untrusted workspaces), and the single-path ignore
// check, judged against real git on the same trees: git is the specification.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isIgnoredByFiles, walkFolders } from '../../../src/core/ignoreWalker';
import { tempTree, type TempTree } from '../../support/tempRepo';

/** Every file the walk lists under `root`, relative and sorted; with the problems it reported. */
async function walk(root: string, useGitignore = true): Promise<{ files: string[]; problems: string[]; rootIgnored: boolean }> {
  const files: string[] = [];
  const problems: string[] = [];
  const { rootIgnored } = await walkFolders(root, { useGitignore, onProblem: (path, message) => problems.push(`${relative(root, path)}: ${message}`) }, (found) => files.push(...found));
  return { files: files.map((file) => relative(root, file)).sort(), problems, rootIgnored };
}

/** What git would commit in the tree: tracked files plus untracked ones no rule ignores (nothing is tracked here). */
function gitListing(tree: TempTree): string[] {
  // stderr kept: git warns about a .gitignore it will not follow, which is what a test here checks.
  const listing = execFileSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], { cwd: tree.root, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  return listing.split('\0').filter(Boolean).sort();
}

/** Whether git ignores each path (relative to the top), from `git check-ignore --no-index`. */
function gitIgnores(tree: TempTree, paths: string[]): boolean[] {
  return paths.map((path) => {
    try {
      tree.git('check-ignore', '-q', '--no-index', path);
      return true;
    } catch {
      return false;
    }
  });
}

describe('walkFolders', () => {
  let tree: TempTree;
  let xdg: string;
  const savedXdg = process.env.XDG_CONFIG_HOME;
  beforeEach(() => {
    // An empty global excludes file, so the developer's own never changes what either side lists.
    xdg = mkdtempSync(join(tmpdir(), 'akh-xdg-'));
    process.env.XDG_CONFIG_HOME = xdg;
    tree = tempTree({ gitInit: true });
  });
  afterEach(() => {
    tree.remove();
    rmSync(xdg, { recursive: true, force: true });
    if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedXdg;
  });

  it('lists exactly what git lists, through nested .gitignore files, negations, anchors and info/exclude', async () => {
    tree.write('.gitignore', '*.log\n!keep.log\n/top-only.txt\nbuild/\ndocs/**/draft-*\n');
    tree.write('.git/info/exclude', 'local-note.txt\n');
    for (const path of ['a.ts', 'x.log', 'keep.log', 'top-only.txt', 'sub/top-only.txt', 'build/out.js', 'src/build/gen.js', 'docs/a/b/draft-1.md', 'docs/a/final.md', 'local-note.txt']) tree.write(path, 'x');
    tree.write('sub/.gitignore', '*.ts\n!keep.ts\n');
    tree.write('sub/a.ts', 'x');
    tree.write('sub/keep.ts', 'x');
    tree.write('sub/deeper/b.ts', 'x');
    const { files, problems } = await walk(tree.root);
    assert.deepEqual(files, gitListing(tree));
    assert.deepEqual(problems, []);
    assert.ok(files.includes('keep.log') && files.includes('sub/top-only.txt') && !files.includes('src/build/gen.js'));
  });

  it('does not follow a .gitignore that is a symbolic link, as git does not (a clone cannot make it read outside itself)', async () => {
    const outside = tempTree({ gitInit: false });
    try {
      outside.write('rules', 'secret.txt\n');
      symlinkSync(join(outside.root, 'rules'), join(tree.root, '.gitignore'));
      tree.write('secret.txt', 'x');
      const { files, problems } = await walk(tree.root);
      assert.deepEqual(files, gitListing(tree));
      assert.ok(files.includes('secret.txt'));
      assert.deepEqual(problems, []);
    } finally {
      outside.remove();
    }
  });

  it('reads no rules from a .gitignore that is a folder or a FIFO, and never waits on the FIFO (issue 12 #10)', async () => {
    mkdirSync(join(tree.root, '.gitignore'));
    tree.write('.gitignore/inner', '*\n');
    tree.write('sub/a.ts', 'x');
    // git lists the folder's file too. Asked before the FIFO exists: git itself opens a .gitignore FIFO and waits.
    const listedByGit = gitListing(tree);
    execFileSync('mkfifo', [join(tree.root, 'sub', '.gitignore')]);
    const { files, problems } = await walk(tree.root);
    assert.deepEqual(files, listedByGit);
    assert.deepEqual(files, ['.gitignore/inner', 'sub/a.ts']);
    assert.deepEqual(problems, []);
  });

  it('lists symbolic links (git commits them as the path they point to) but not FIFOs, and never enters a linked folder', async () => {
    tree.write('real/a.ts', 'x');
    symlinkSync('real', join(tree.root, 'linked-folder'));
    symlinkSync('real/a.ts', join(tree.root, 'link.ts'));
    execFileSync('mkfifo', [join(tree.root, 'pipe')]);
    const { files } = await walk(tree.root);
    assert.deepEqual(files, ['link.ts', 'linked-folder', 'real/a.ts']);
    assert.deepEqual(files, gitListing(tree));
  });

  it('lists a name that is not valid UTF-8 under its exact bytes, as git does', async () => {
    writeFileSync(Buffer.concat([Buffer.from(`${tree.root}/`), Buffer.from([0x80, 0x41])]), 'x');
    const { files } = await walk(tree.root);
    assert.deepEqual(files, ['\udc80A']);
    assert.deepEqual(tree.git('ls-files', '-z', '--others').length, 3, 'git lists it too: two bytes and a NUL');
  });

  it('says when the folder it was asked to walk is itself ignored by the folders above it, listing nothing', async () => {
    tree.write('.gitignore', 'build/\n');
    tree.write('build/app/a.js', 'x');
    assert.deepEqual(await walk(join(tree.root, 'build', 'app')), { files: [], problems: [], rootIgnored: true });
    assert.deepEqual(gitIgnores(tree, ['build/app']), [true]);
    // Outside every repository git applies no rules above a folder, so neither does the walk.
    const plain = tempTree({ gitInit: false });
    try {
      plain.write('.gitignore', 'build/\n');
      plain.write('build/a.js', 'x');
      assert.deepEqual(await walk(join(plain.root, 'build')), { files: ['a.js'], problems: [], rootIgnored: false });
    } finally {
      plain.remove();
    }
  });

  it('lists everything without the ignore rules', async () => {
    tree.write('.gitignore', '*\n');
    tree.write('a/b.txt', 'x');
    assert.deepEqual((await walk(tree.root, false)).files, ['.gitignore', 'a/b.txt']);
  });
});

describe('isIgnoredByFiles', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
  });
  afterEach(() => tree.remove());

  it('keeps a file ignored when a folder above it is, whatever a deeper .gitignore re-includes (issue 12, a planted bug survived here)', async () => {
    // build/ is ignored at the top; build/.gitignore re-includes .env, which git cannot honour inside an ignored folder.
    tree.write('.gitignore', 'build/\n');
    tree.write('build/.gitignore', '!.env\n');
    tree.write('build/.env', 'A=1\n');
    const path = join(tree.root, 'build', '.env');
    assert.deepEqual(gitIgnores(tree, ['build/.env']), [true], 'git: still ignored');
    assert.equal(await isIgnoredByFiles(path), true);
  });

  it('agrees with git check-ignore on a tree of layered rules, path by path', async () => {
    tree.write('.gitignore', '*.env\n!keep.env\nlogs/\n/root-only\nnested/**/deep.txt\n');
    tree.write('app/.gitignore', '!app.env\nlocal/\n');
    tree.write('.git/info/exclude', 'excluded.txt\n');
    const paths = [
      'a.env', 'keep.env', 'app/app.env', 'app/other.env', 'app/local/x.txt', 'logs/a.txt', 'logs', 'root-only', 'app/root-only',
      'nested/x/y/deep.txt', 'nested/deep.txt', 'excluded.txt', 'app/excluded.txt', 'plain.txt',
    ];
    for (const path of paths) if (path !== 'logs') tree.write(path, 'x');
    const verdicts = await Promise.all(paths.map((path) => isIgnoredByFiles(join(tree.root, path))));
    assert.deepEqual(
      paths.map((path, i) => `${path}: ${verdicts[i]}`),
      paths.map((path, i) => `${path}: ${gitIgnores(tree, paths)[i]}`),
    );
  });

  it('is not ignored outside every repository, whatever .gitignore files lie around', async () => {
    const plain = tempTree({ gitInit: false });
    try {
      plain.write('.gitignore', '*\n');
      assert.equal(await isIgnoredByFiles(join(plain.root, 'a.txt')), false);
    } finally {
      plain.remove();
    }
  });
});
