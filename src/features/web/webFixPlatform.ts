// The fix engine's platform (core/fixes/platform.ts) in the web build: the files of one workspace folder, read and
// written through vscode.workspace.fs, paths being the folder's URI paths. Every check that can apply without Node
// does: no read or write through a link (stat says so), nothing but regular files, compare before write and read
// back after (destination.ts), an exact .gitignore pattern checked again against the .gitignore files.
//
// Decisions:
// - Atomic where workspace.fs allows: the new content goes to a temporary file beside the target, the target is
//   compared with what the fix planned on right before, and the temporary file is renamed over it. The temporary
//   file starts as a copy of the target, so that a provider that copies modes (code-server's disk) keeps the target's
//   (a .env of 0600 stays 0600); a new file gets the provider's default, as no mode can be set from a browser.
// - Writers are serialised per file within this extension host (WebFileLocks); there are no lock files, as nothing
//   but this host can hold them, and the compare right before the rename catches every other writer.
// - Whether git tracks a file is never known (trackingNeverKnown): destination.ts then stores a key only in an env
//   file that is new or was ignored already.
import * as vscode from 'vscode';
import { ChangedOnDiskError, UnsafePathError } from '../../core/fixes/fileErrors';
import { envFileOn } from '../../core/fixes/envFolders';
import { sameBytes, type FixFiles, type FixPlatform } from '../../core/fixes/platform';
import * as posix from '../../core/posixPath';
import type { FixPlaces } from '../fixAdapters';
import type { WebIgnoreIndex } from './webScanEngine';

/** Serialises this host's writers of each file: a quick fix and the next one on the same .env wait in turn. */
export class WebFileLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async withLocks<T>(keys: readonly string[], action: () => Promise<T>): Promise<T> {
    // Taken in sorted order, so two writers that need the same files cannot wait on each other.
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const key of sorted) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((resolve) => (release = resolve));
        const tail = previous.then(() => mine);
        this.tails.set(key, tail);
        releases.push(() => {
          release();
          if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        await previous;
      }
      return await action();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }
}

function describeNonRegular(type: vscode.FileType): string {
  if (type & vscode.FileType.SymbolicLink) return 'is a symbolic link; fixes never write through a link (replace it with a regular file)';
  if (type & vscode.FileType.Directory) return 'is a folder, not a file';
  return 'is not a regular file';
}

async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    // Some providers answer a missing file with another error; one that cannot even be stat'ed is not there to read.
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotADirectory') return undefined;
    throw error;
  }
}

function isRegularFile(stat: vscode.FileStat): boolean {
  return stat.type === vscode.FileType.File;
}

/** The files of one workspace folder as the fix engine sees them. */
export function webFixFiles(folder: vscode.Uri, locks: WebFileLocks): FixFiles {
  const uriOf = (path: string) => folder.with({ path });
  const readRegularFile = async (path: string): Promise<Uint8Array | undefined> => {
    const uri = uriOf(path);
    const stat = await statOrUndefined(uri);
    if (!stat) return undefined;
    if (!isRegularFile(stat)) throw new UnsafePathError(path, describeNonRegular(stat.type));
    try {
      return await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  };
  return {
    readRegularFile,
    async writeFileAtomic(path, bytes, options) {
      const target = uriOf(path);
      const current = await statOrUndefined(target);
      if (current && !isRegularFile(current)) throw new UnsafePathError(path, describeNonRegular(current.type));
      const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (byte) => byte.toString(16).padStart(2, '0')).join('');
      // Named as the Node build names its temporaries (safeFiles.ts): for `.env` a `.env.*` name, which the scan flags
      // and the pre-commit hook refuses, should a closed tab leave one behind holding the keys.
      const temporary = uriOf(posix.join(posix.dirname(path), `${posix.basename(path)}.anthropic-key-hygiene-web-${random}.tmp`));
      let renamed = false;
      try {
        // A copy first, so a provider that copies the mode gives the temporary file the target's.
        if (current) await vscode.workspace.fs.copy(target, temporary, { overwrite: false });
        await vscode.workspace.fs.writeFile(temporary, bytes);
        // Compare right before the swap: what is there now must be what the fix planned on.
        if (!sameBytes(await readRegularFile(path), options.expected)) throw new ChangedOnDiskError(path);
        await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
        renamed = true;
      } finally {
        if (!renamed) await Promise.resolve(vscode.workspace.fs.delete(temporary)).catch(() => undefined);
      }
    },
    async removeIfHolds(path, bytes) {
      const now = await readRegularFile(path);
      if (now && sameBytes(now, bytes)) await vscode.workspace.fs.delete(uriOf(path));
    },
    withFileLocks: (paths, action) => locks.withLocks(paths.map((path) => uriOf(path).toString()), action),
    async folderStaysInside(path, root) {
      // No realpath through workspace.fs: instead, no folder between the root and the file may be a link.
      const inside = posix.inside(root, posix.dirname(path));
      if (inside === undefined) return false;
      let dir = root;
      for (const part of inside === '' ? [] : inside.split('/')) {
        dir = posix.join(dir, part);
        const stat = await statOrUndefined(uriOf(dir));
        if (!stat) return true; // the rest does not exist yet: it will be created as plain folders
        if (stat.type & vscode.FileType.SymbolicLink || !(stat.type & vscode.FileType.Directory)) return false;
      }
      return true;
    },
    async ensureFolder(path) {
      await vscode.workspace.fs.createDirectory(uriOf(path));
    },
    exists: async (path) => (await statOrUndefined(uriOf(path))) !== undefined,
  };
}

/** The fix platform of one workspace folder: its files, and what its .gitignore files say. */
export function webFixPlatform(folder: vscode.WorkspaceFolder, index: WebIgnoreIndex, locks: WebFileLocks): FixPlatform {
  return {
    paths: { join: posix.join, dirname: posix.dirname, basename: posix.basename, inside: posix.inside },
    files: webFixFiles(folder.uri, locks),
    async gitState(path) {
      const rules = await index.rulesFor(folder);
      // Read afresh: the fix asks again right after adding its .gitignore line, before any watcher has seen it.
      const state = await index.stateOf(folder.uri.with({ path }), true);
      // The rules' top stands for the repository: the line a fix adds is checked again against the ignore files.
      return { ignored: state.ignored, tracked: false, trackingKnown: false, repositoryRoot: rules.top.path };
    },
    trackingNeverKnown: true,
  };
}

/** The web build's FixPlaces: a document's fixes write in its workspace folder, through workspace.fs. */
export function webFixPlaces(index: WebIgnoreIndex, locks: WebFileLocks): FixPlaces {
  return {
    locate(uri) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || uri.scheme !== folder.uri.scheme) return undefined;
      return {
        platform: webFixPlatform(folder, index, locks),
        path: uri.path,
        root: folder.uri.path,
        uriOf: (path) => folder.uri.with({ path }),
        needsTrust: false,
      };
    },
    envFileFor: (place) => envFileOn(place.platform, place.path, place.root),
  };
}
