// Lists the files git would not ignore, without running git: for folders that are not repositories and for
// untrusted workspaces (where we start no process). Each file's patterns are matched by gitignore.ts, linearly;
// this file adds git's layering: nested .gitignore files, deepest decision wins, and nothing inside an ignored
// directory can be re-included.
//
// Decisions, each git's own:
// - A `.gitignore` is read only when it is a regular file: git does not follow a symbolic link there (since 2.32, to
//   keep a repository from reading files outside itself) and treats a folder or a FIFO of that name as no rules. Our
//   reads are also non-blocking and checked before reading, so a FIFO can never stall the walk.
// - Symbolic links are listed like files (git commits a link as the path it points to, and the scan reads that
//   path, never what it points to); sockets, FIFOs and devices are not (git cannot commit them).
// - A name that is not valid UTF-8 is kept exactly, as rawPaths describes.
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeFsError, readRegularFileSync } from './fsErrors';
import { findRepositoryTopOnDisk } from './git';
import { IgnoreRules } from './gitignore';
import { decideIgnored } from './ignoreTree';
import { decodePathBytes, toFsPath } from './rawPaths';

export { findRepositoryTopOnDisk };

interface IgnoreLayer {
  /** Directory the patterns are relative to. */
  base: string;
  rules: IgnoreRules;
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

/** Where a rules file lives decides whether a symbolic link is followed: git reads in-tree `.gitignore` files
 * without following one, but follows a link at `.git/info/exclude` or the global excludes file (dotfiles often are). */
type RulesFileKind = 'in-tree' | 'repository-wide';

/** The rules of one ignore file; undefined when there is none (or git would read none there). */
function readRules(file: string, kind: RulesFileKind, onProblem?: WalkOptions['onProblem']): IgnoreRules | undefined {
  let text: string;
  try {
    text = readRegularFileSync(file, kind === 'repository-wide');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No file, a symbolic link (in-tree), a folder or a FIFO: git reads no rules there either, and says nothing.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENOTREG' || (code === 'ELOOP' && kind === 'in-tree')) return undefined;
    onProblem?.(file, `could not read ignore rules: ${describeFsError(error)}`);
    return undefined;
  }
  return new IgnoreRules(text);
}

/** The global excludes file git uses when core.excludesFile is unset ($XDG_CONFIG_HOME/git/ignore). */
function defaultGlobalExcludesFile(): string {
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'git', 'ignore');
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Git's verdict from the layered rules: the deepest layer with an opinion decides (ignoreTree.ts, which the web
 * build's walk shares). */
function isIgnored(layers: readonly IgnoreLayer[], absolutePath: string, isDirectory: boolean): boolean {
  return decideIgnored(layers, (base) => toPosix(relative(base, absolutePath)), isDirectory);
}

/** How long the walk runs synchronously before it gives the event loop a turn. */
const WALK_SLICE_MS = 4;

interface Folder {
  dir: string;
  /** The ignore layers of the folders above it. */
  layers: IgnoreLayer[];
}

/**
 * Every file under `root` that the ignore rules do not cover (absolute paths), handed to `onFiles` folder by folder as
 * soon as each is listed (in no particular order), so that a caller can scan them while the walk goes on. Never
 * follows symbolic links, so the walk cannot leave the tree or loop. Skips `.git` folders. Resolves to
 * `{ rootIgnored: true }`, listing nothing, when the ignore rules of the folders above cover `root` itself.
 *
 * Folders are read with synchronous readdir: on a warm cache that costs half the CPU of the promise API, which
 * crosses to the thread pool and back for every folder, and CPU is what a scan on a few cores is short of. The walk
 * runs in slices of a few milliseconds and yields between them, so the event loop (worker results, an editor) is
 * never held for long.
 */
export async function walkFolders(root: string, options: WalkOptions, onFiles: (files: string[]) => void): Promise<{ rootIgnored: boolean }> {
  const above = options.useGitignore ? await repositoryLayers(root, options) : { layers: [], rootIgnored: false };
  if (above.rootIgnored) return { rootIgnored: true };
  const pending: Folder[] = [{ dir: root, layers: above.layers }];
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
  return { rootIgnored: false };
}

/** A child path without path.join, whose normalisation costs more than the rest of the walk's work per entry. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** What listFolder needs of a folder entry: a Dirent, or one whose name was read as bytes. */
interface FolderEntry {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * A folder's entries. Names are read as strings (the fast path); Node replaces each byte of a name that is not UTF-8
 * with U+FFFD, and such a name opens nothing, so a folder with a U+FFFD in any name is read again as bytes and those
 * names kept exactly (see rawPaths).
 */
function readFolderEntries(dir: string): FolderEntry[] {
  const fsDir = toFsPath(dir);
  const entries: Dirent[] = readdirSync(fsDir, { withFileTypes: true });
  if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return entries;
  return readdirSync(fsDir, { withFileTypes: true, encoding: 'buffer' }).map((entry) => ({
    name: decodePathBytes(entry.name),
    isFile: () => entry.isFile(),
    isDirectory: () => entry.isDirectory(),
    isSymbolicLink: () => entry.isSymbolicLink(),
  }));
}

/**
 * One folder's files; its subfolders, with the ignore layers that apply in them, are pushed onto `pending`. A folder
 * below the root that holds a `.git` is a nested repository: it is offered to claimRepository first.
 */
function listFolder(folder: Folder, isRoot: boolean, options: WalkOptions, pending: Folder[]): string[] {
  const { dir } = folder;
  const files: string[] = [];
  let entries: FolderEntry[];
  try {
    entries = readFolderEntries(dir);
  } catch (error) {
    // A folder we may enter but not list can still hold a repository git can list.
    if (!isRoot && options.claimRepository && isRepositoryTopSync(dir) && options.claimRepository(dir)) return files;
    options.onProblem?.(dir, `could not list folder: ${describeFsError(error)}`);
    return files;
  }
  let gitignore: FolderEntry | undefined;
  let gitEntry: FolderEntry | undefined;
  for (const entry of entries) {
    if (entry.name === '.gitignore') gitignore = entry;
    else if (entry.name === '.git') gitEntry = entry;
  }
  // What fs.stat(dir/.git) would say: anything there, or a symbolic link that resolves.
  if (!isRoot && gitEntry && options.claimRepository) {
    const isTop = !gitEntry.isSymbolicLink() || isRepositoryTopSync(dir);
    if (isTop && options.claimRepository(dir)) return files;
  }
  let layers = folder.layers;
  // Only a regular .gitignore is read, as git reads only that (see the header); a failing read per folder (an error
  // object with its stack) would also cost more than listing the folder.
  if (options.useGitignore && gitignore?.isFile()) {
    const rules = readRules(childPath(dir, '.gitignore'), 'in-tree', options.onProblem);
    if (rules) layers = [...layers, { base: dir, rules }];
  }
  for (const entry of entries) {
    const path = childPath(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      if (options.useGitignore && isIgnored(layers, path, true)) continue;
      pending.push({ dir: path, layers });
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (options.useGitignore && isIgnored(layers, path, false)) continue;
      files.push(path);
    }
    // Sockets, FIFOs and devices are skipped on purpose: git cannot commit them.
  }
  return files;
}

/**
 * The layers that apply above `root`: inside a repository (found by its .git, as git cannot be asked here) the global
 * excludes, .git/info/exclude, and the .gitignore files of the folders between the repository's top and `root`, lowest
 * precedence first as git orders them. Outside a repository, none: git applies no rules there, so only the tree's own
 * .gitignore files count. `rootIgnored`: a folder on the way down (or `root` itself) is ignored, and with it
 * everything inside, as nothing inside an ignored folder can be re-included.
 */
async function repositoryLayers(root: string, options: WalkOptions): Promise<{ layers: IgnoreLayer[]; rootIgnored: boolean }> {
  const top = await findRepositoryTopOnDisk(root);
  if (!top) return { layers: [], rootIgnored: false };
  const layers = repositoryWideLayers(top, options.onProblem);
  const between = relative(top, root);
  let dir = top;
  for (const part of between ? between.split(sep) : []) {
    const rules = readRules(join(dir, '.gitignore'), 'in-tree', options.onProblem);
    if (rules) layers.push({ base: dir, rules });
    dir = join(dir, part);
    if (isIgnored(layers, dir, true)) return { layers, rootIgnored: true };
  }
  return { layers, rootIgnored: false };
}

/** The global excludes file and .git/info/exclude, which apply to the whole repository. */
function repositoryWideLayers(top: string, onProblem: WalkOptions['onProblem']): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  for (const file of [defaultGlobalExcludesFile(), join(top, '.git', 'info', 'exclude')]) {
    const rules = readRules(file, 'repository-wide', onProblem);
    if (rules) layers.push({ base: top, rules });
  }
  return layers;
}

function isRepositoryTopSync(dir: string): boolean {
  try {
    statSync(toFsPath(join(dir, '.git')));
    return true;
  } catch {
    return false;
  }
}

/** Whether one path is ignored, by the ignore files of the repository holding it (for a single opened file; a
 * folder is judged as a folder when it is one on disk, as git judges it). */
export async function isIgnoredByFiles(absolutePath: string, onProblem?: WalkOptions['onProblem']): Promise<boolean> {
  const top = await findRepositoryTopOnDisk(dirname(absolutePath));
  if (!top) return false;
  const layers = repositoryWideLayers(top, onProblem);
  const parts = relative(top, absolutePath).split(sep);
  let dir = top;
  // Check each folder on the way down: once a folder is ignored, nothing inside it can be re-included.
  for (let i = 0; i < parts.length; i++) {
    const rules = readRules(join(dir, '.gitignore'), 'in-tree', onProblem);
    if (rules) layers.push({ base: dir, rules });
    const path = join(dir, parts[i]);
    const isFolder = i < parts.length - 1 || isFolderOnDisk(path);
    if (isIgnored(layers, path, isFolder)) return true;
    dir = path;
  }
  return false;
}

function isFolderOnDisk(path: string): boolean {
  try {
    return lstatSync(toFsPath(path)).isDirectory();
  } catch {
    return false;
  }
}
