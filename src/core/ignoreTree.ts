// git's layering of ignore files over a tree that is read through any file system: the one the Node walk reads with
// fs (ignoreWalker.ts), and the one the web build reads through vscode.workspace.fs, where no git can be asked.
// Patterns are matched by gitignore.ts, linearly; this adds, as git does (gitignore(5), dir.c):
// - each folder's .gitignore applies to the paths below it, relative to that folder;
// - the deepest file with an opinion decides (a later pattern within one file, as gitignore.ts decides it);
// - repository-wide rules (.git/info/exclude) apply everywhere, below every .gitignore;
// - nothing inside an ignored folder can be re-included: git does not even look inside it.
// Node-free; paths here are relative to the tree's root and `/`-separated ('' is the root itself).
import { IgnoreRules } from './gitignore';

export interface IgnoreLayer {
  /** The folder whose rules these are, relative to the tree's root ('' for the root). */
  base: string;
  rules: IgnoreRules;
}

/**
 * Git's verdict from layered rules, the deepest layer with an opinion deciding. `pathFrom(base)` is the path being
 * judged, relative to a layer's folder and `/`-separated.
 */
export function decideIgnored<Layer extends { base: string; rules: IgnoreRules }>(layers: readonly Layer[], pathFrom: (base: string) => string, isFolder: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const verdict = layers[i].rules.test(pathFrom(layers[i].base), isFolder);
    if (verdict) return verdict === 'ignored';
  }
  return false;
}

/** `path` relative to `base`, both relative to the same root ('' for the root). */
export function relativeTo(base: string, path: string): string {
  return base === '' ? path : path.slice(base.length + 1);
}

/** The text of an ignore file, or undefined when there is none (or git would read none there: a link, a folder). */
export type ReadIgnoreFile = (folder: string) => Promise<string | undefined>;

/**
 * The ignore rules of one tree, read on demand and kept until forget(): each folder's .gitignore is read once, and
 * each folder's layers are built once from its parent's.
 */
export class IgnoreTree {
  private readonly layers = new Map<string, Promise<IgnoreLayer[]>>();

  /**
   * `readGitignore(folder)` gives the text of `<folder>/.gitignore`; `repositoryWide` the texts of the files that
   * apply to the whole tree below every .gitignore (.git/info/exclude), lowest precedence first.
   */
  constructor(
    private readonly readGitignore: ReadIgnoreFile,
    private readonly repositoryWide: () => Promise<readonly string[]> = async () => [],
  ) {}

  /** Drops what was read: an ignore file changed. */
  forget(): void {
    this.layers.clear();
  }

  /** The layers that apply to the entries of `folder` (its own .gitignore included). */
  layersFor(folder: string): Promise<IgnoreLayer[]> {
    let layers = this.layers.get(folder);
    if (!layers) {
      layers = this.buildLayers(folder);
      this.layers.set(folder, layers);
      // A failed read is not kept: the next question reads again.
      layers.catch(() => this.layers.delete(folder));
    }
    return layers;
  }

  private async buildLayers(folder: string): Promise<IgnoreLayer[]> {
    const above =
      folder === ''
        ? (await this.repositoryWide()).map((text) => ({ base: '', rules: new IgnoreRules(text) }))
        : await this.layersFor(parentOf(folder));
    const text = await this.readGitignore(folder);
    return text === undefined ? above : [...above, { base: folder, rules: new IgnoreRules(text) }];
  }

  /** Whether an entry of `folder`, named `name`, is ignored by the layers of its folder (its folder is not). */
  async isEntryIgnored(folder: string, name: string, isFolder: boolean): Promise<boolean> {
    const path = folder === '' ? name : `${folder}/${name}`;
    return decideIgnored(await this.layersFor(folder), (base) => relativeTo(base, path), isFolder);
  }

  /** Whether `path` is ignored: it, or any folder on the way down to it. */
  async isIgnored(path: string, isFolder: boolean): Promise<boolean> {
    const parts = path.split('/').filter((part) => part !== '');
    let folder = '';
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      if (await this.isEntryIgnored(folder, parts[i], last ? isFolder : true)) return true;
      folder = folder === '' ? parts[i] : `${folder}/${parts[i]}`;
    }
    return false;
  }
}

function parentOf(folder: string): string {
  const slash = folder.lastIndexOf('/');
  return slash < 0 ? '' : folder.slice(0, slash);
}

/** What a folder listing says of one entry. A link is never followed: git commits the link, not what it points to. */
export interface TreeEntry {
  name: string;
  kind: 'file' | 'folder' | 'link' | 'other';
}

export interface TreeWalkOptions {
  /** The folder to list, relative to the tree's root (default: the root). Paths passed and returned stay relative to
   * the root, and the rules of the folders above it apply. */
  start?: string;
  /** A path (relative, `/`-separated) to leave out, file or folder: the editor's exclude globs. */
  isExcluded?: (path: string) => boolean;
  /** A folder that could not be listed, with why; the walk goes on. */
  onProblem?: (path: string, message: string) => void;
  /** Links met, which are not read (there is no way to read a link itself through every file system). */
  onLink?: (path: string) => void;
  /** Folders listed at once: each listing may be a round trip to a remote or to GitHub. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Every file of the tree that the ignore rules do not cover, as relative paths (in no particular order). Ignored
 * folders are not entered, nor `.git`; a folder that cannot be listed is reported to onProblem.
 */
export async function listUnignoredFiles(tree: IgnoreTree, listFolder: (folder: string) => Promise<TreeEntry[]>, options: TreeWalkOptions = {}): Promise<string[]> {
  const files: string[] = [];
  const start = options.start ?? '';
  // A start folder that the rules above it ignore holds nothing git would commit.
  if (start !== '' && (await tree.isIgnored(start, true))) return files;
  const pending: string[] = [start];
  let running = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (options.signal?.aborted) {
        if (running === 0) resolve(files);
        return;
      }
      while (running < (options.concurrency ?? 8) && pending.length > 0) {
        const folder = pending.pop()!;
        running++;
        void visit(folder)
          .then(() => {
            running--;
            if (running === 0 && pending.length === 0) resolve(files);
            else next();
          })
          .catch(reject);
      }
    };
    const visit = async (folder: string) => {
      let entries: TreeEntry[];
      try {
        entries = await listFolder(folder);
      } catch (error) {
        options.onProblem?.(folder, `could not list folder: ${(error as Error).message}`);
        return;
      }
      for (const entry of entries) {
        const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
        if (entry.kind === 'folder' && entry.name === '.git') continue;
        if (entry.kind === 'other') continue; // sockets, FIFOs, devices: git cannot commit them
        if (await tree.isEntryIgnored(folder, entry.name, entry.kind === 'folder')) continue;
        if (options.isExcluded?.(path)) continue;
        if (entry.kind === 'folder') pending.push(path);
        else if (entry.kind === 'link') options.onLink?.(path);
        else files.push(path);
      }
    };
    next();
  });
}
