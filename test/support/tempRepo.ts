// Real git repositories in temp folders, for the ignore-rule and CLI tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempTree {
  root: string;
  write(relativePath: string, contents: string | Buffer): string;
  git(...args: string[]): string;
  remove(): void;
}

/** A temp folder; with `gitInit`, a repository with a local identity so commits work anywhere. */
export function tempTree(options: { gitInit: boolean }): TempTree {
  const root = mkdtempSync(join(tmpdir(), 'akh-test-'));
  const tree: TempTree = {
    root,
    write(relativePath, contents) {
      const path = join(root, relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, contents);
      return path;
    },
    git(...args) {
      return execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        // Keep the developer's global config (excludes, hooks) out of the tests.
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  if (options.gitInit) {
    tree.git('init', '-q', '-b', 'main');
    tree.git('config', 'user.email', 'test@example.invalid');
    tree.git('config', 'user.name', 'test');
    tree.git('config', 'commit.gpgsign', 'false');
  }
  return tree;
}
