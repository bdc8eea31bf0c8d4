// Where keys go before they leave a source, and the one safe order of storing them, on either platform (platform.ts):
//   1. the destination is made safe (an env file: git must ignore it and not track it, .gitignore edited first),
//   2. the keys are stored and read back (each value compared, not only each name),
//   3. only then are sources rewritten (apply.ts' writers, the editor's edits), each only if it still holds the text
//      the plan was made on.
// A failure in 1 or 2 writes no source. apply.ts binds this to the Node platform with its original signatures.
import { classifyEnvFileName } from '../envFiles';
import { keyHint } from '../hint';
import { parseEnvFile, planEnvAppend, readEnvValues, type EnvEntryToStore } from './envFile';
import { ChangedOnDiskError, FileBusyError, UnsafePathError } from './fileErrors';
import { ensureGitIgnores, type GitignoreAppend, type IgnoreOutcome, type IgnoreRefusal } from './gitignoreFix';
import type { SourcePlan } from './plan';
import { concatBytes, sameBytes, utf8, type FixPlatform } from './platform';

/** Why a destination refused to take keys; nothing was written when it did. */
export type StoreRefusal =
  | IgnoreRefusal
  | 'not-an-env-file'
  | 'outside-root'
  | 'unsafe-path'
  | 'changed-on-disk'
  | 'busy'
  | 'read-back-failed'
  | 'write-failed'
  | 'secret-storage-failed';

export class StoreRefusedError extends Error {
  constructor(
    readonly reason: StoreRefusal,
    readonly destination: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreRefusedError';
  }
}

/** One value stored, shown as its hint. */
export interface StoredEntry {
  name: string;
  hint: string;
  /** The name the value it replaced is kept under, when it replaced one. */
  previousName?: string;
}

export interface StoreResult {
  stored: StoredEntry[];
  /** For an env file: what was done to keep it out of git. */
  ignore?: IgnoreOutcome;
  created: boolean;
}

/** Where keys go before they leave a source. */
export interface KeyDestination {
  /** The env file's path, or "Secret Storage". */
  readonly label: string;
  /** What it holds now, by name: the plan chooses names from it. */
  readonly stored: ReadonlyMap<string, string>;
  /** Stores the entries (and makes the destination safe first); throws StoreRefusedError, having written nothing. */
  store(entries: readonly EnvEntryToStore[]): Promise<StoreResult>;
}

/** An env file as a destination, with what a dry run shows of it. */
export interface EnvDestination extends KeyDestination {
  /** The file as read when it was opened (undefined: it does not exist yet). */
  readonly before: Uint8Array | undefined;
  planIgnore(): Promise<GitignoreAppend | undefined>;
  appendedText(entries: readonly EnvEntryToStore[]): string;
}

/** Writes a planned source; 'changed' (nothing written) when it no longer holds the plan's `before`. */
export interface SourceWriter {
  write(plan: SourcePlan): Promise<'written' | 'changed'>;
}

export interface DestinationOptions {
  platform: FixPlatform;
  /** The folder the fix works in (scan root or workspace folder): the env file and the .gitignore must stay in it. */
  root: string;
}

function describeEntries(entries: readonly EnvEntryToStore[]): StoredEntry[] {
  return entries.map((entry) => ({ name: entry.name, hint: keyHint(entry.value), ...(entry.replaces ? { previousName: entry.replaces.previousName } : {}) }));
}

/**
 * An env file as a destination, read now (its snapshot is what the plan is made on, and what must still be there
 * when the keys are written). Throws StoreRefusedError for a path that is not a usable env file.
 */
export async function openEnvDestination(path: string, options: DestinationOptions): Promise<EnvDestination> {
  const { platform, root } = options;
  const { files } = platform;
  if (classifyEnvFileName(platform.paths.basename(path)) !== 'env') {
    throw new StoreRefusedError('not-an-env-file', path, `${path} is not an env file by name (.env, .env.local, …): scans would report keys there, and templates are committed`);
  }
  if (!(await files.folderStaysInside(path, root))) {
    throw new StoreRefusedError('outside-root', path, `${path} is outside ${root} once symbolic links are resolved; keys are only stored inside the folder being fixed`);
  }
  let before: Uint8Array | undefined;
  try {
    before = await files.readRegularFile(path);
  } catch (error) {
    throw refusalFrom(error, path);
  }
  const beforeText = before === undefined ? undefined : utf8.decode(before);
  const stored = new Map<string, string>();
  for (const entry of parseEnvFile(beforeText ?? '')) stored.set(entry.name, entry.value);
  // Where tracking can never be known, the .gitignore line is added and checked against the ignore files alone.
  const ignoreOptions = { platform, fallbackRoot: root, allowUnknownTracking: platform.trackingNeverKnown === true };
  return {
    label: path,
    stored,
    before,
    appendedText: (entries) => planEnvAppend(beforeText, entries),
    async planIgnore() {
      let planned: GitignoreAppend | undefined;
      const outcome = await ensureGitIgnores(path, { ...ignoreOptions, dryRun: true }, (append) => (planned = append));
      if (outcome.status === 'refused') throw ignoreRefusal(outcome.reason, path, platform, outcome.detail);
      return planned;
    },
    async store(entries) {
      try {
        if (platform.trackingNeverKnown && before !== undefined && !(await platform.gitState(path)).ignored) {
          // No git to ask: a file that exists and was not ignored may already be committed, key and all.
          throw new StoreRefusedError('tracking-unknown', path, maybeTrackedMessage(path));
        }
        // Keep it out of git before a key lands in it, and before any source is rewritten to read from it.
        const ignore = await ensureGitIgnores(path, ignoreOptions);
        if (ignore.status === 'refused') throw ignoreRefusal(ignore.reason, path, platform, ignore.detail);
        const now = await files.readRegularFile(path);
        if (!sameBytes(now, before)) throw new ChangedOnDiskError(path);
        const appended = planEnvAppend(beforeText, entries);
        if (appended !== '') {
          const written = concatBytes(before, utf8.encode(appended));
          await files.writeFileAtomic(path, written, { expected: before, newFileMode: 0o600 });
          // Read back what is there now: only a key that is there may leave a source.
          const readBack = await files.readRegularFile(path);
          const problem = readBackProblem(readBack === undefined ? undefined : utf8.decode(readBack), entries);
          if (problem) {
            if (before === undefined) await files.removeIfHolds(path, written).catch(() => undefined);
            else await files.writeFileAtomic(path, before, { expected: written }).catch(() => undefined);
            throw new StoreRefusedError('read-back-failed', path, `${problem} after writing ${path}; it was restored and no source was changed`);
          }
        } else {
          const problem = readBackProblem(beforeText, entries);
          if (problem) throw new StoreRefusedError('read-back-failed', path, `${problem} in ${path}; no source was changed`);
        }
        return { stored: describeEntries(entries.filter((entry) => stored.get(entry.name) !== entry.value)), ignore, created: before === undefined && appended !== '' };
      } catch (error) {
        throw refusalFrom(error, path);
      }
    },
  };
}

/**
 * Runs `action` holding the env file's lock: open the destination, plan and store inside it, so that two fixes
 * running at once (two `fix` runs, Fix All and a quick fix) see each other's names instead of both taking the same
 * free one. The folder is created first (it was checked to stay inside the root), as the lock lives beside the file.
 */
export async function withDestinationLock<T>(path: string, options: { platform: Pick<FixPlatform, 'paths' | 'files'>; root: string }, action: () => Promise<T>): Promise<T> {
  const { platform, root } = options;
  if (!(await platform.files.folderStaysInside(path, root))) {
    throw new StoreRefusedError('outside-root', path, `${path} is outside ${root} once symbolic links are resolved; keys are only stored inside the folder being fixed`);
  }
  // Only the lock's own failures are the destination's; what the action throws (a planner bug, a source that cannot
  // be read) belongs to whatever threw it, and must not send the user to look at the .env (red team F17).
  let acting = false;
  try {
    await platform.files.ensureFolder(platform.paths.dirname(path));
    return await platform.files.withFileLocks([path], () => {
      acting = true;
      return action();
    });
  } catch (error) {
    throw acting ? error : refusalFrom(error, path);
  }
}

/** What is wrong with the stored values, if anything: each entry's name must hold exactly its value. */
export function readBackProblem(text: string | undefined, entries: readonly EnvEntryToStore[]): string | undefined {
  // One parse for every entry: parsing the file again per entry was quadratic in the keys of a fix (red team F13).
  const values = readEnvValues(text);
  for (const entry of entries) {
    if (values.get(entry.name) !== entry.value) return `${entry.name} did not read back with the value written`;
    if (entry.replaces && values.get(entry.replaces.previousName) !== entry.replaces.previousValue) {
      return `${entry.replaces.previousName} did not read back with the value it keeps`;
    }
  }
  return undefined;
}

function maybeTrackedMessage(path: string): string {
  return `whether git tracks ${path} cannot be known in the browser, and no .gitignore rule covers it, so it may already be committed; no key is stored there. Check with git (git ls-files) and add it to .gitignore, or store the key in Secret Storage`;
}

function ignoreRefusal(reason: IgnoreRefusal, path: string, platform: FixPlatform, detail?: string): StoreRefusedError {
  const why: Record<IgnoreRefusal, string> = {
    'tracking-unknown': platform.trackingNeverKnown
      ? maybeTrackedMessage(path)
      : `whether git tracks ${path} is unknown (git may not run in an untrusted workspace), so no key is stored there; trust the workspace or use Secret Storage`,
    tracked: `${path} is tracked by git, so keys kept there would be committed; stop tracking it (git rm --cached) or choose another env file`,
    unnamable: `no .gitignore pattern can name ${path}`,
    'unsafe-gitignore': `the .gitignore that would cover ${path} cannot be edited safely${detail ? `: ${detail}` : ''}`,
    'still-not-ignored': `git still does not ignore ${path} after adding it to .gitignore${detail ? ` (${detail})` : ''}; the line was taken out again and no key was written`,
  };
  return new StoreRefusedError(reason, path, why[reason]);
}

function refusalFrom(error: unknown, path: string): Error {
  if (error instanceof StoreRefusedError) return error;
  if (error instanceof UnsafePathError) return new StoreRefusedError('unsafe-path', path, error.message);
  if (error instanceof ChangedOnDiskError) return new StoreRefusedError('changed-on-disk', path, error.message);
  if (error instanceof FileBusyError) return new StoreRefusedError('busy', path, error.message);
  // A git failure inside a repository (GitStateError) keeps its own message: it names the cause and the fix.
  if (error instanceof Error && error.name === 'GitStateError') return error;
  return new StoreRefusedError('write-failed', path, `${path} could not be written: ${(error as Error).message}`);
}
