// git's layering of ignore files over a tree read through any file system (what the web build has), checked against
// git itself on real repositories: the files listed are those `git ls-files --others --exclude-standard` lists, and
// single paths are judged as `git check-ignore` judges them (issue 19).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fc from 'fast-check';
import { IgnoreTree, listUnignoredFiles, type TreeEntry } from '../../../src/core/ignoreTree';
import { tempTree, type TempTree } from '../../support/tempRepo';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** The tree as the web build sees it: ignore files and folder listings, read through a file system. */
function treeOf(root: string): { tree: IgnoreTree; list: (folder: string) => Promise<TreeEntry[]> } {
  const read = async (path: string) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const tree = new IgnoreTree(
    (folder) => read(join(folder, '.gitignore')),
    async () => [await read('.git/info/exclude')].filter((text): text is string => text !== undefined),
  );
  const list = async (folder: string) =>
    readdirSync(join(root, folder), { withFileTypes: true }).map((entry): TreeEntry => ({
      name: entry.name,
      kind: entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other',
    }));
  return { tree, list };
}

function gitOthers(root: string): string[] {
  return execFileSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], { cwd: root, env: GIT_ENV, encoding: 'utf8' }).split('\0').filter(Boolean).sort();
}

function gitIgnores(root: string, path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', '--', path], { cwd: root, env: GIT_ENV, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('IgnoreTree and listUnignoredFiles', () => {
  let repo: TempTree;
  beforeEach(() => {
    repo = tempTree({ gitInit: true });
  });
  afterEach(() => repo.remove());

  it('lists what git lists: nested .gitignore files, negations, .git/info/exclude, and nothing inside an ignored folder', async () => {
    repo.write('.gitignore', 'node_modules/\n*.log\n!keep.log\nbuild\n');
    repo.write('.git/info/exclude', 'secret.txt\n');
    repo.write('src/app.ts', 'x');
    repo.write('src/debug.log', 'x');
    repo.write('src/keep.log', 'x');
    repo.write('src/.gitignore', '!debug.log\nlocal/\n');
    repo.write('src/local/a.ts', 'x');
    repo.write('node_modules/pkg/index.js', 'x');
    repo.write('build/!re-included.ts', 'x');
    repo.write('build/.gitignore', '!*\n');
    repo.write('secret.txt', 'x');
    repo.write('docs/.env', 'x');
    const { tree, list } = treeOf(repo.root);
    const listed = (await listUnignoredFiles(tree, list)).sort();
    assert.deepEqual(listed, gitOthers(repo.root));
    assert.ok(listed.includes('src/debug.log'), 'a deeper negation re-includes');
    assert.ok(!listed.some((path) => path.startsWith('build/')), 'nothing inside an ignored folder comes back');
  });

  it('judges single paths as git check-ignore does, folders on the way down included', async () => {
    repo.write('.gitignore', 'ignored-dir/\n*.env\n!pkg/keep.env\n');
    repo.write('pkg/.gitignore', '/local.env\n');
    for (const path of ['ignored-dir/x.ts', 'a.env', 'pkg/keep.env', 'pkg/local.env', 'pkg/sub/local.env', 'src/ok.ts']) repo.write(path, 'x');
    const { tree } = treeOf(repo.root);
    for (const path of ['ignored-dir/x.ts', 'a.env', 'pkg/keep.env', 'pkg/local.env', 'pkg/sub/local.env', 'src/ok.ts']) {
      assert.equal(await tree.isIgnored(path, false), gitIgnores(repo.root, path), path);
    }
  });

  it('does not follow links, and says which it met', async () => {
    repo.write('real/file.ts', 'x');
    symlinkSync(join(repo.root, 'real'), join(repo.root, 'linked'));
    const { tree, list } = treeOf(repo.root);
    const links: string[] = [];
    const listed = await listUnignoredFiles(tree, list, { onLink: (path) => links.push(path) });
    assert.deepEqual(listed, ['real/file.ts']);
    assert.deepEqual(links, ['linked']);
  });

  it('reports a folder it cannot list and goes on', async () => {
    repo.write('a/x.ts', 'x');
    repo.write('b/y.ts', 'x');
    const { tree, list } = treeOf(repo.root);
    const problems: string[] = [];
    const listed = await listUnignoredFiles(tree, (folder) => (folder === 'b' ? Promise.reject(new Error('EACCES')) : list(folder)), { onProblem: (path, message) => problems.push(`${path}: ${message}`) });
    assert.deepEqual(listed, ['a/x.ts']);
    assert.deepEqual(problems, ['b: could not list folder: EACCES']);
  });

  it('leaves out what the exclude globs name, and reads each .gitignore once', async () => {
    repo.write('.gitignore', '*.tmp\n');
    repo.write('fixtures/a.ts', 'x');
    repo.write('src/b.ts', 'x');
    const { list } = treeOf(repo.root);
    const reads: string[] = [];
    const tree = new IgnoreTree(async (folder) => {
      reads.push(folder);
      return folder === '' ? '*.tmp\n' : undefined;
    });
    const listed = await listUnignoredFiles(tree, list, { isExcluded: (path) => path === 'fixtures' });
    assert.deepEqual(listed.sort(), ['.gitignore', 'src/b.ts']);
    assert.equal(await tree.isIgnored('src/b.tmp', false), true);
    assert.deepEqual(reads.sort(), ['', 'src'], 'each folder’s .gitignore was read once, and never that of an excluded folder');
  });

  it('lists what git lists on random trees and random rules (property, against git itself)', async function () {
    this.timeout(180_000);
    const segment = fc.constantFrom('a', 'b', 'ab', 'x.log', 'ba', '.env');
    const patternPart = fc.constantFrom('a', 'b', '*', '?', '**', '[ab]', '[!a]', 'x.log', '*.log', 'a*', '.env');
    const pattern = fc
      .tuple(fc.boolean(), fc.boolean(), fc.array(patternPart, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([negated, anchored, parts, folderOnly]) => `${negated ? '!' : ''}${anchored ? '/' : ''}${parts.join('/')}${folderOnly ? '/' : ''}`);
    const file = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    await fc.assert(
      fc.asyncProperty(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(file, { minLength: 1, maxLength: 12 }), fc.option(fc.array(pattern, { maxLength: 3 })), async (rules, files, nested) => {
        const tree = tempTree({ gitInit: true });
        try {
          writeFileSync(join(tree.root, '.gitignore'), rules.join('\n') + '\n');
          for (const path of files) {
            try {
              mkdirSync(dirname(join(tree.root, path)), { recursive: true });
              writeFileSync(join(tree.root, path), 'x');
            } catch {
              // A path that needs a file to be a folder too (a and a/b): keep the first.
            }
          }
          try {
            if (nested) writeFileSync(join(tree.root, 'a', '.gitignore'), nested.join('\n') + '\n');
          } catch {
            // no folder a: no nested rules
          }
          const { tree: ignore, list } = treeOf(tree.root);
          assert.deepEqual((await listUnignoredFiles(ignore, list)).sort(), gitOthers(tree.root), `rules ${JSON.stringify(rules)} nested ${JSON.stringify(nested)}`);
        } finally {
          tree.remove();
        }
      }),
      { numRuns: 60 },
    );
  });
});
