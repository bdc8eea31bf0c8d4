// What the fix engine needs of the place it writes to, as one interface with two implementations: the Node build's
// (nodePlatform.ts: fs with O_NOFOLLOW, temporary file + fsync + rename, lock files, git's own answers) and the web
// build's (features/web/webFixPlatform.ts: vscode.workspace.fs, the .gitignore files' answers). The engine's rules
// (destination.ts, gitignoreFix.ts) are written once against it, so both builds run the same checks in the same
// order: the env file must be one by name, in the folder, a regular file; ignored first, checked again; the content
// compared before writing and read back after.
//
// Paths are strings in the platform's own form (native paths in the Node build, URI paths in the web build), and
// every path operation goes through `paths`, so that no module here needs Node's path module.

/** What git says of a file, as the fixes need it. */
export interface KnownGitState {
  ignored: boolean;
  tracked: boolean;
  /** False when git could not be asked (an untrusted workspace, the browser): the ignore verdict then comes from the
   * .gitignore files alone, and `tracked` means nothing. */
  trackingKnown: boolean;
  repositoryRoot?: string;
}

export interface PathOps {
  join(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string): string;
  /** `path` relative to `root`, `/`-separated ('' for the root itself); undefined when it is not inside it. */
  inside(root: string, path: string): string | undefined;
}

export interface AtomicWrite {
  /** What the file must hold right before the write: its bytes, or undefined for "must not exist". */
  expected: Uint8Array | undefined;
  /** Mode of a new file where the platform can set one (0o600 for env files: they hold keys). */
  newFileMode?: number;
}

export interface FixFiles {
  /** A regular file's bytes, undefined when nothing is there; throws UnsafePathError for a link, a folder, a FIFO. */
  readRegularFile(path: string): Promise<Uint8Array | undefined>;
  /** Replaces the file with `bytes` if and only if it still holds `expected` (ChangedOnDiskError otherwise), never
   * through a link (UnsafePathError). Atomic where the platform allows it. */
  writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWrite): Promise<void>;
  /** Removes a file this fix created, only if it still holds exactly `bytes`. */
  removeIfHolds(path: string, bytes: Uint8Array): Promise<void>;
  /** Runs `action` holding the write lock of each path (FileBusyError when another writer keeps one). */
  withFileLocks<T>(paths: readonly string[], action: () => Promise<T>): Promise<T>;
  /** Whether `path`'s folder lies inside `root` once links are resolved (or, where they cannot be, when no folder on
   * the way is a link). */
  folderStaysInside(path: string, root: string): Promise<boolean>;
  /** Creates the folder (and its parents) if it is missing. */
  ensureFolder(path: string): Promise<void>;
  /** Whether anything exists at `path` (a package manifest, for where a key goes). */
  exists(path: string): Promise<boolean>;
}

export interface FixPlatform {
  readonly paths: PathOps;
  readonly files: FixFiles;
  /** What git says of `path`; throws (GitStateError) when git cannot answer inside a repository. */
  gitState(path: string): Promise<KnownGitState>;
  /**
   * True where tracking can never be known (the browser: no git). Then a key may go only into an env file that the
   * ignore rules cover and that did not hold anything git may already have committed: a new file, or one that was
   * ignored before the fix (a file that was not ignored may be tracked, and would commit the key). Where tracking is
   * unknown only for now (an untrusted workspace), no key is stored: trusting the workspace lets git answer.
   */
  readonly trackingNeverKnown?: boolean;
}

/** Byte-for-byte equality, undefined (absent) equal only to itself. */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(a: Uint8Array | undefined, b: Uint8Array): Uint8Array {
  const out = new Uint8Array((a?.length ?? 0) + b.length);
  if (a) out.set(a);
  out.set(b, a?.length ?? 0);
  return out;
}

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

export const utf8 = {
  encode: (text: string): Uint8Array => UTF8_ENCODER.encode(text),
  /** Keeps a byte order mark (callers preserve every byte). */
  decode: (bytes: Uint8Array): string => UTF8_DECODER.decode(bytes),
};
