// Lists the files git would not ignore, without running git: for folders that are not repositories,
// for untrusted workspaces (where we start no process) and when git is missing. The pattern
// semantics come from the `ignore` package (the .gitignore spec implementation eslint and others use);
// this file only adds git's layering: nested .gitignore files, deepest decision wins, and nothing
// inside an ignored directory can be re-included.
import ignore, { type Ignore } from 'ignore';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

interface IgnoreLayer {
  /** Directory the patterns are relative to. */
  base: string;
  rules: Ignore;
}

export interface WalkOptions {
  /** Apply .gitignore files (and .git/info/exclude, the global excludes file). Off: list everything. */
  useGitignore: boolean;
  /** Called for a file or folder we could not read, or a .gitignore we could not parse. */
  onProblem?: (path: string, message: string) => void;
  signal?: AbortSignal;
  /**
   * Called for each folder below the root that holds a `.git` (a nested repository). Return true when the
   * caller lists that folder itself (by asking git); the walk then skips it.
   */
  claimRepository?: (dir: string) => boolean;
}

async function readRules(file: string, onProblem?: WalkOptions['onProblem']): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(file, `could not read: ${(error as Error).message}`);
    return undefined;
  }
  try {
    return ignore({ allowRelativePaths: true }).add(text);
  } catch (error) {
    // A malformed pattern must not stop the scan: report it and treat the file as having no rules.
    onProblem?.(file, `could not parse ignore rules: ${(error as Error).message}`);
    return undefined;
  }
}

/** The global excludes file git uses when core.excludesFile is unset ($XDG_CONFIG_HOME/git/ignore). */
function defaultGlobalExcludesFile(): string {
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'git', 'ignore');
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Git's verdict from the layered rules: the deepest layer with an opinion decides. */
function isIgnored(layers: readonly IgnoreLayer[], absolutePath: string, isDirectory: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const path = toPosix(relative(layer.base, absolutePath)) + (isDirectory ? '/' : '');
    const verdict = layer.rules.test(path);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** Folders read at once: readdir runs on libuv's thread pool, so a few in flight hide each one's latency. */
const PARALLEL_READDIRS = 8;

/**
 * Every regular file under `root` that the ignore rules do not cover (absolute paths, sorted).
 * Never follows symbolic links, so the walk cannot leave the tree or loop. Skips `.git` folders.
 * Reads several folders at a time; nothing is awaited per file.
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<string[]> {
  const files: string[] = [];
  let frontier: Array<{ dir: string; layers: IgnoreLayer[] }> = [
    { dir: root, layers: options.useGitignore ? await repositoryLayers(root, options) : [] },
  ];
  while (frontier.length > 0 && !options.signal?.aborted) {
    const next: typeof frontier = [];
    for (let i = 0; i < frontier.length; i += PARALLEL_READDIRS) {
      const listed = await Promise.all(frontier.slice(i, i + PARALLEL_READDIRS).map((folder) => listFolder(folder.dir, folder.layers, options)));
      for (const { files: found, folders } of listed) {
        files.push(...found);
        next.push(...folders);
      }
    }
    frontier = next;
  }
  return files.sort();
}

/** One folder's files and the subfolders to descend into, each with the ignore layers that apply there. */
async function listFolder(
  dir: string,
  parentLayers: IgnoreLayer[],
  options: WalkOptions,
): Promise<{ files: string[]; folders: Array<{ dir: string; layers: IgnoreLayer[] }> }> {
  const files: string[] = [];
  const folders: Array<{ dir: string; layers: IgnoreLayer[] }> = [];
  let layers = parentLayers;
  if (options.useGitignore) {
    const rules = await readRules(join(dir, '.gitignore'), options.onProblem);
    if (rules) layers = [...layers, { base: dir, rules }];
  }
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    options.onProblem?.(dir, `could not list folder: ${(error as Error).message}`);
    return { files, folders };
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      if (options.useGitignore && isIgnored(layers, path, true)) continue;
      if (options.claimRepository && (await isRepositoryTop(path)) && options.claimRepository(path)) continue;
      folders.push({ dir: path, layers });
    } else if (entry.isFile()) {
      if (options.useGitignore && isIgnored(layers, path, false)) continue;
      files.push(path);
    }
    // Symbolic links, sockets and devices are skipped on purpose.
  }
  return { files, folders };
}

/**
 * The layers that apply above `root`: inside a repository (found by its .git folder, as git cannot be
 * asked here) the global excludes, .git/info/exclude, and the .gitignore files of the folders between
 * the repository's top and `root`, lowest precedence first as git orders them. Outside a repository,
 * none: git applies no rules there, so only the tree's own .gitignore files count.
 */
async function repositoryLayers(root: string, options: WalkOptions): Promise<IgnoreLayer[]> {
  const top = await findRepositoryTopOnDisk(root);
  if (!top) return [];
  const layers = await repositoryWideLayers(top, options.onProblem);
  const between = relative(top, root);
  let dir = top;
  for (const part of between ? between.split(sep) : []) {
    const rules = await readRules(join(dir, '.gitignore'), options.onProblem);
    if (rules) layers.push({ base: dir, rules });
    dir = join(dir, part);
  }
  return layers;
}

/** The global excludes file and .git/info/exclude, which apply to the whole repository. */
async function repositoryWideLayers(top: string, onProblem: WalkOptions['onProblem']): Promise<IgnoreLayer[]> {
  const layers: IgnoreLayer[] = [];
  for (const file of [defaultGlobalExcludesFile(), join(top, '.git', 'info', 'exclude')]) {
    const rules = await readRules(file, onProblem);
    if (rules) layers.push({ base: top, rules });
  }
  return layers;
}

async function isRepositoryTop(dir: string): Promise<boolean> {
  try {
    await fs.stat(join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `start` holding `.git`, looking at the disk only. */
export async function findRepositoryTopOnDisk(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      await fs.stat(join(dir, '.git'));
      return dir;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}


/** Whether one path is ignored, by the ignore files of the repository holding it (for a single opened file). */
export async function isIgnoredByFiles(absolutePath: string, onProblem?: WalkOptions['onProblem']): Promise<boolean> {
  const top = await findRepositoryTopOnDisk(dirname(absolutePath));
  if (!top) return false;
  const layers = await repositoryWideLayers(top, onProblem);
  const parts = relative(top, absolutePath).split(sep);
  let dir = top;
  // Check each folder on the way down: once a folder is ignored, nothing inside it can be re-included.
  for (let i = 0; i < parts.length; i++) {
    const rules = await readRules(join(dir, '.gitignore'), onProblem);
    if (rules) layers.push({ base: dir, rules });
    const path = join(dir, parts[i]);
    if (isIgnored(layers, path, i < parts.length - 1)) return true;
    dir = path;
  }
  return false;
}
