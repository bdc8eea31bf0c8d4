// Stops git tracking a file, keeping it on disk: the fix for tracked-env-file.
//
// Any git command that writes the index can run the repository's clean filters (filter.<name>.clean or .process,
// named by .gitattributes): `git rm --cached` compares the work tree file with the index first, and even the
// plumbing `git update-index --force-remove` re-hashes "racily clean" entries (files modified in the same second
// as the index) when it writes the index, which runs the filter. A cloned repository could make either run a
// program of its choosing (issue 12 #6). So every filter git knows of is switched off on the command line (empty
// clean, smudge and process commands, not required), which outranks every config file, and the entry is dropped
// with update-index. Paths go through --stdin -z, so a name with a newline or a leading dash is taken literally.
import { dirname, relative, sep } from 'node:path';
import { findRepositoryRoot, type GitRunner } from '../git';

export class UntrackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UntrackError';
  }
}

/** Removes `path` from the index of the repository that holds it. */
export async function untrackFile(git: GitRunner, path: string): Promise<void> {
  const root = await findRepositoryRoot(git, dirname(path));
  if (!root) throw new UntrackError(`${path} is not inside a git work tree`);
  const inside = relative(root, path).split(sep).join('/');
  const result = await git.run(root, [...(await filtersOff(git, root)), 'update-index', '--force-remove', '-z', '--stdin'], `${inside}\0`);
  if (result.exitCode !== 0) throw new UntrackError(`git update-index failed: ${result.stderr.trim()}`);
}

/** `-c` options that switch off every filter driver configured anywhere git reads config (includes too). */
export async function filtersOff(git: GitRunner, root: string): Promise<string[]> {
  const listed = await git.run(root, ['config', '-z', '--name-only', '--get-regexp', '^filter\\.']);
  // Exit 1: no such variable, which is the common case.
  if (listed.exitCode > 1) throw new UntrackError(`git config failed: ${listed.stderr.trim()}`);
  const names = new Set<string>();
  for (const key of listed.stdout.toString('utf8').split('\0')) {
    // filter.<name>.<setting>; a name may itself hold dots.
    const last = key.lastIndexOf('.');
    if (key.startsWith('filter.') && last > 'filter.'.length) names.add(key.slice('filter.'.length, last));
  }
  return [...names].flatMap((name) => ['clean', 'smudge', 'process'].flatMap((setting) => ['-c', `filter.${name}.${setting}=`]).concat(['-c', `filter.${name}.required=false`]));
}
