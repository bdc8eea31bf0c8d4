// Lists the files git would not ignore, without running git: for folders that are not repositories,
// for untrusted workspaces (where we start no process) and when git is missing. The pattern
// semantics come from the `ignore` package (the .gitignore spec implementation eslint and others use);
// this file only adds git's layering: nested .gitignore files, deepest decision wins, and nothing
// inside an ignored directory can be re-included.
import ignore, { type Ignore } from 'ignore';
import { promises as fs, readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';

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
    return rulesUnreadable(file, error, onProblem);
  }
  return parseRules(file, text, onProblem);
}

/** readRules for the walk, which reads synchronously (see walkFolders). */
function readRulesSync(file: string, onProblem?: WalkOptions['onProblem']): Ignore | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return rulesUnreadable(file, error, onProblem);
  }
  return parseRules(file, text, onProblem);
}

function rulesUnreadable(file: string, error: unknown, onProblem?: WalkOptions['onProblem']): undefined {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(file, `could not read: ${(error as Error).message}`);
  return undefined;
}

function parseRules(file: string, text: string, onProblem?: WalkOptions['onProblem']): Ignore | undefined {
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

/** How long the walk runs synchronously before it gives the event loop a turn. */
const WALK_SLICE_MS = 4;

interface Folder {
  dir: string;
  /** The ignore layers of the folders above it. */
  layers: IgnoreLayer[];
}

/**
 * Every regular file under `root` that the ignore rules do not cover (absolute paths, sorted).
 * Never follows symbolic links, so the walk cannot leave the tree or loop. Skips `.git` folders.
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<string[]> {
  const files: string[] = [];
  await walkFolders(root, options, (found) => {
    for (const file of found) files.push(file);
  });
  return files.sort();
}

/**
 * The same files, handed to `onFiles` folder by folder as soon as each is listed (in no particular order), so that
 * a caller can scan them while the walk goes on.
 *
 * Folders are read with synchronous readdir: on a warm cache that costs half the CPU of the promise API, which
 * crosses to the thread pool and back for every folder, and CPU is what a scan on a few cores is short of. The walk
 * runs in slices of a few milliseconds and yields between them, so the event loop (worker results, an editor) is
 * never held for long.
 */
export async function walkFolders(root: string, options: WalkOptions, onFiles: (files: string[]) => void): Promise<void> {
  const pending: Folder[] = [{ dir: root, layers: options.useGitignore ? await repositoryLayers(root, options) : [] }];
  let sliceStart = performance.now();
  while (pending.length > 0 && !options.signal?.aborted) {
    const folder = pending.pop()!;
    const files = listFolder(folder, folder.dir === root, options, pending);
    if (files.length > 0) onFiles(files);
    if (performance.now() - sliceStart >= WALK_SLICE_MS) {
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
      sliceStart = performance.now();
    }
  }
}

/** A child path without path.join, whose normalisation costs more than the rest of the walk's work per entry. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/**
 * One folder's files; its subfolders, with the ignore layers that apply in them, are pushed onto `pending`. A folder
 * below the root that holds a `.git` is a nested repository: it is offered to claimRepository first.
 */
function listFolder(folder: Folder, isRoot: boolean, options: WalkOptions, pending: Folder[]): string[] {
  const { dir } = folder;
  const files: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    // A folder we may enter but not list can still hold a repository git can list.
    if (!isRoot && options.claimRepository && isRepositoryTopSync(dir) && options.claimRepository(dir)) return files;
    options.onProblem?.(dir, `could not list folder: ${(error as Error).message}`);
    return files;
  }
  let hasGitignore = false;
  let gitEntry: Dirent | undefined;
  for (const entry of entries) {
    if (entry.name === '.gitignore') hasGitignore = true;
    else if (entry.name === '.git') gitEntry = entry;
  }
  // What fs.stat(dir/.git) would say: anything there, or a symbolic link that resolves.
  if (!isRoot && gitEntry && options.claimRepository) {
    const isTop = !gitEntry.isSymbolicLink() || isRepositoryTopSync(dir);
    if (isTop && options.claimRepository(dir)) return files;
  }
  let layers = folder.layers;
  // Only a folder whose listing has a .gitignore is worth a read: a failing read per folder (an error object
  // with its stack) costs more than listing the folder.
  if (options.useGitignore && hasGitignore) {
    const rules = readRulesSync(join(dir, '.gitignore'), options.onProblem);
    if (rules) layers = [...layers, { base: dir, rules }];
  }
  for (const entry of entries) {
    const path = childPath(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      if (options.useGitignore && isIgnored(layers, path, true)) continue;
      pending.push({ dir: path, layers });
    } else if (entry.isFile()) {
      if (options.useGitignore && isIgnored(layers, path, false)) continue;
      files.push(path);
    }
    // Symbolic links, sockets and devices are skipped on purpose.
  }
  return files;
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

function isRepositoryTopSync(dir: string): boolean {
  try {
    statSync(join(dir, '.git'));
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
