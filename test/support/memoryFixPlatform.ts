// A fix platform (src/core/fixes/platform.ts) over files held in memory, with the web build's way of knowing what git
// ignores (the .gitignore files, matched by core/ignoreTree.ts) and its rule that tracking is never known. It runs the
// engine's platform-neutral rules (destination.ts, gitignoreFix.ts) as the web build runs them, and lets a test break
// one operation at a time (a write that keeps other bytes than it was given, a file changed between two steps).
import { UnsafePathError } from '../../src/core/fixes/fileErrors';
import { sameBytes, utf8, type FixPlatform } from '../../src/core/fixes/platform';
import { IgnoreTree } from '../../src/core/ignoreTree';
import * as posix from '../../src/core/posixPath';

export interface MemoryFixPlatform extends FixPlatform {
  /** Files by absolute POSIX path. */
  readonly files_: Map<string, Uint8Array>;
  /** Paths that are symbolic links (reading or writing them is refused, as stat says). */
  readonly links: Set<string>;
  write(path: string, text: string): void;
  read(path: string): string | undefined;
  /** Called before each write with what is about to be written; may return other bytes to store instead. */
  beforeWrite?: (path: string, bytes: Uint8Array) => Uint8Array | void;
}

export function memoryFixPlatform(options: { root: string; trackingNeverKnown?: boolean; trackingKnown?: boolean }): MemoryFixPlatform {
  const files = new Map<string, Uint8Array>();
  const links = new Set<string>();
  const read = (path: string) => (files.has(path) ? utf8.decode(files.get(path)!) : undefined);
  const relative = (path: string) => posix.inside(options.root, path);
  const platform: MemoryFixPlatform = {
    files_: files,
    links,
    write: (path, text) => void files.set(path, utf8.encode(text)),
    read,
    paths: { join: posix.join, dirname: posix.dirname, basename: posix.basename, inside: posix.inside },
    files: {
      async readRegularFile(path) {
        if (links.has(path)) throw new UnsafePathError(path, 'is a symbolic link; fixes never write through a link (replace it with a regular file)');
        return files.get(path);
      },
      async writeFileAtomic(path, bytes, { expected }) {
        if (links.has(path)) throw new UnsafePathError(path, 'is a symbolic link; fixes never write through a link (replace it with a regular file)');
        if (!sameBytes(files.get(path), expected)) throw new Error(`${path} changed`);
        files.set(path, platform.beforeWrite?.(path, bytes) ?? bytes);
      },
      async removeIfHolds(path, bytes) {
        if (sameBytes(files.get(path), bytes)) files.delete(path);
      },
      withFileLocks: (_paths, action) => action(),
      folderStaysInside: async (path) => relative(posix.dirname(path)) !== undefined,
      ensureFolder: async () => undefined,
      exists: async (path) => files.has(path),
    },
    async gitState(path) {
      // Read afresh each time, as the web build's platform does.
      const tree = new IgnoreTree(async (folder) => read(posix.join(options.root, folder, '.gitignore')));
      const inside = relative(path);
      const ignored = inside !== undefined && inside !== '' && (await tree.isIgnored(inside, false));
      return { ignored, tracked: false, trackingKnown: options.trackingKnown ?? false, repositoryRoot: options.root };
    },
    ...(options.trackingNeverKnown ? { trackingNeverKnown: true } : {}),
  };
  return platform;
}
