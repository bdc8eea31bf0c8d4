// Ignore patterns matched as git matches them (git itself is the reference, on real trees), in linear time on the
// patterns and paths a hostile repository can choose.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fc from 'fast-check';
import { IgnoreRules } from '../../../src/core/gitignore';
import { walkFolders } from '../../../src/core/ignoreWalker';
import { tempTree } from '../../support/tempRepo';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

describe('IgnoreRules', () => {
  /** [rules, path, is a folder, verdict]: each checked against git on disk in the next test too. */
  const cases: Array<[string, string, boolean, 'ignored' | 'unignored' | undefined]> = [
    ['*.log\n', 'a/b/c.log', false, 'ignored'],
    ['*.log\n!keep.log\n', 'keep.log', false, 'unignored'],
    ['/top\n', 'sub/top', false, undefined],
    ['/top\n', 'top', false, 'ignored'],
    ['build/\n', 'build', false, undefined],
    ['build/\n', 'x/build', true, 'ignored'],
    ['a/b\n', 'x/a/b', false, undefined],
    ['**/b\n', 'x/y/b', false, 'ignored'],
    ['a/**/b\n', 'a/b', false, 'ignored'],
    ['a/**/b\n', 'a/x/y/b', false, 'ignored'],
    ['a/**/b\n', 'a/xb', false, undefined],
    ['d/**\n', 'd', true, undefined],
    ['d/**\n', 'd/e/f', false, 'ignored'],
    ['a**c\n', 'abc', false, 'ignored'],
    ['a**c\n', 'a/c', false, undefined],
    ['***/y\n', 'd/e/y', false, 'ignored'],
    ['foo\r\n', 'foo', false, 'ignored'],
    ['\uFEFFbar\n', 'bar', false, 'ignored'],
    ['a[b\n', 'a[b', false, undefined],
    ['back\\\n', 'back\\', false, undefined],
    ['a b\\ \n', 'a b ', false, 'ignored'],
    ['trailing   \n', 'trailing', false, 'ignored'],
    ['\\#hash\n\\!bang\n', '#hash', false, 'ignored'],
    ['\\#hash\n\\!bang\n', '!bang', false, 'ignored'],
    ['# comment\n', '# comment', false, undefined],
    ['[a-c]x\n', 'bx', false, 'ignored'],
    ['[!a-c]x\n', 'bx', false, undefined],
    ['[[:digit:]]*\n', '7up', false, 'ignored'],
    ['[]a]\n', ']', false, 'ignored'],
    ['?\n', 'x', false, 'ignored'],
    ['a?b\n', 'a/b', false, undefined],
  ];
  for (const [rules, path, isFolder, verdict] of cases) {
    it(`says ${String(verdict)} for ${JSON.stringify(path)}${isFolder ? ' (a folder)' : ''} under ${JSON.stringify(rules)}`, () => {
      assert.equal(new IgnoreRules(rules).test(path, isFolder), verdict);
    });
  }

  it('agrees with git check-ignore on every case above', function () {
    this.timeout(60_000);
    for (const [rules, path, isFolder, verdict] of cases) {
      const tree = tempTree({ gitInit: true });
      try {
        writeFileSync(join(tree.root, '.gitignore'), rules);
        const full = join(tree.root, path);
        if (isFolder) mkdirSync(full, { recursive: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, 'x');
        }
        let ignored: boolean;
        try {
          execFileSync('git', ['check-ignore', '-q', '--no-index', '--', path], { cwd: tree.root, env: GIT_ENV, stdio: 'pipe' });
          ignored = true;
        } catch {
          ignored = false;
        }
        assert.equal(ignored, verdict === 'ignored', `${JSON.stringify(rules)} ${path}`);
      } finally {
        tree.remove();
      }
    }
  });

  it('lists what git lists on random trees and random rules (property, against git itself)', async function () {
    // A git process and a temporary repository per run: seconds, more on a busy machine.
    this.timeout(180_000);
    const segment = fc.constantFrom('a', 'b', 'ab', 'x.log', 'ba');
    const patternPart = fc.constantFrom('a', 'b', '*', '?', '**', '[ab]', '[!a]', 'x.log', '*.log', 'a*', '\\*');
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
            const full = join(tree.root, path);
            try {
              mkdirSync(dirname(full), { recursive: true });
              writeFileSync(full, 'x');
            } catch {
              // A path that needs a file to be a folder too (a and a/b): keep the first.
            }
          }
          if (nested) writeFileSync(join(tree.root, 'a', '.gitignore'), nested.join('\n') + '\n', { flag: 'w' });
        } catch {
          // no folder a: no nested rules
        }
        try {
          const listed: string[] = [];
          await walkFolders(tree.root, { useGitignore: true }, (found) => listed.push(...found.map((path) => path.slice(tree.root.length + 1))));
          const byGit = execFileSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], { cwd: tree.root, env: GIT_ENV, encoding: 'utf8' }).split('\0').filter(Boolean);
          assert.deepEqual(listed.sort(), byGit.sort(), `rules ${JSON.stringify(rules)} nested ${JSON.stringify(nested)}`);
        } finally {
          tree.remove();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('matches in linear time where backtracking patterns took minutes (issue 12 #18)', () => {
    const deep = Array(2000).fill('a').join('/') + '/y';
    const cases: Array<[string, string]> = [
      ['a/**/a/**/z', deep], // did not finish within 10 s with the ignore package
      ['**/a/**/z', deep], // 8.3 s
      [Array(12).fill('a/**').join('/') + '/z', deep],
      ['a*'.repeat(50) + 'b', 'a'.repeat(4000)],
      ['*[ab]*[ab]*[ab]*[ab]*[ab]*c', 'ab'.repeat(2000)],
    ];
    for (const [pattern, path] of cases) {
      const rules = new IgnoreRules(pattern + '\n');
      const started = Date.now();
      rules.test(path, false);
      assert.ok(Date.now() - started < 5000, `${pattern}: ${Date.now() - started} ms`);
    }
  });
});
