// Applies a fix plan in the one safe order, for every route (CLI `fix`, the editor's quick fixes, Fix All):
//   1. the destination is made safe (an env file: git must ignore it and not track it, .gitignore edited first),
//   2. the keys are stored and read back (each value compared, not only each name),
//   3. only then are sources rewritten, each only if it still holds the text the plan was made on.
// A failure in 1 or 2 writes no source; a source changed meanwhile is left alone (its keys stay stored).
import { existsSync, promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';
import { classifyEnvFileName } from '../envFiles';
import { keyHint } from '../hint';
import { parseEnvFile, planEnvAppend, readEnvValue, type EnvEntryToStore } from './envFile';
import type { FixGitContext } from './gitState';
import { ensureGitIgnores, type GitignoreAppend, type IgnoreOutcome, type IgnoreRefusal } from './ignoreFile';
import type { SourcePlan } from './plan';
import { ChangedOnDiskError, FileBusyError, UnsafePathError, folderStaysInside, readRegularFile, withFileLocks, writeFileAtomic } from './safeFiles';

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

/** Writes a planned source; 'changed' (nothing written) when it no longer holds the plan's `before`. */
export interface SourceWriter {
  write(plan: SourcePlan): Promise<'written' | 'changed'>;
}

export interface EnvDestinationOptions extends FixGitContext {
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
export async function openEnvDestination(path: string, options: EnvDestinationOptions): Promise<KeyDestination & { readonly before: Buffer | undefined; planIgnore(): Promise<GitignoreAppend | undefined>; appendedText(entries: readonly EnvEntryToStore[]): string }> {
  if (classifyEnvFileName(basename(path)) !== 'env') {
    throw new StoreRefusedError('not-an-env-file', path, `${path} is not an env file by name (.env, .env.local, …): scans would report keys there, and templates are committed`);
  }
  if (!(await folderStaysInside(path, options.root))) {
    throw new StoreRefusedError('outside-root', path, `${path} is outside ${options.root} once symbolic links are resolved; keys are only stored inside the folder being fixed`);
  }
  let before: Buffer | undefined;
  try {
    before = await readRegularFile(path);
  } catch (error) {
    throw refusalFrom(error, path);
  }
  const beforeText = before?.toString('utf8');
  const stored = new Map<string, string>();
  for (const entry of parseEnvFile(beforeText ?? '')) stored.set(entry.name, entry.value);
  return {
    label: path,
    stored,
    before,
    appendedText: (entries) => planEnvAppend(beforeText, entries),
    async planIgnore() {
      let planned: GitignoreAppend | undefined;
      const outcome = await ensureGitIgnores(path, { ...options, fallbackRoot: options.root, dryRun: true }, (append) => (planned = append));
      if (outcome.status === 'refused') throw ignoreRefusal(outcome.reason, path, outcome.detail);
      return planned;
    },
    async store(entries) {
      try {
        // Keep it out of git before a key lands in it, and before any source is rewritten to read from it.
        const ignore = await ensureGitIgnores(path, { ...options, fallbackRoot: options.root });
        if (ignore.status === 'refused') throw ignoreRefusal(ignore.reason, path, ignore.detail);
        const now = await readRegularFile(path);
        if (!sameBytes(now, before)) throw new ChangedOnDiskError(path);
        const appended = planEnvAppend(beforeText, entries);
        if (appended !== '') {
          const written = Buffer.concat([before ?? Buffer.alloc(0), Buffer.from(appended, 'utf8')]);
          await writeFileAtomic(path, written, { expected: before, newFileMode: 0o600 });
          // Read back what is on disk now: only a key that is there may leave a source.
          const problem = readBackProblem((await readRegularFile(path))?.toString('utf8'), entries);
          if (problem) {
            if (before === undefined) await removeIfHolds(path, written);
            else await writeFileAtomic(path, before, { expected: written }).catch(() => undefined);
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
export async function withDestinationLock<T>(path: string, root: string, action: () => Promise<T>): Promise<T> {
  if (!(await folderStaysInside(path, root))) {
    throw new StoreRefusedError('outside-root', path, `${path} is outside ${root} once symbolic links are resolved; keys are only stored inside the folder being fixed`);
  }
  if (!existsSync(dirname(path))) await fs.mkdir(dirname(path), { recursive: true });
  // Only the lock's own failures are the destination's; what the action throws (a planner bug, a source that cannot
  // be read) belongs to whatever threw it, and must not send the user to look at the .env (red team F17).
  let acting = false;
  try {
    return await withFileLocks([path], () => {
      acting = true;
      return action();
    });
  } catch (error) {
    throw acting ? error : refusalFrom(error, path);
  }
}

/** Removes a file this fix created, only if it still holds exactly what was written. */
async function removeIfHolds(path: string, written: Buffer): Promise<void> {
  const now = await readRegularFile(path).catch(() => undefined);
  if (now?.equals(written)) await fs.unlink(path).catch(() => undefined);
}

/** What is wrong with the stored values, if anything: each entry's name must hold exactly its value. */
export function readBackProblem(text: string | undefined, entries: readonly EnvEntryToStore[]): string | undefined {
  for (const entry of entries) {
    if (readEnvValue(text, entry.name) !== entry.value) return `${entry.name} did not read back with the value written`;
    if (entry.replaces && readEnvValue(text, entry.replaces.previousName) !== entry.replaces.previousValue) {
      return `${entry.replaces.previousName} did not read back with the value it keeps`;
    }
  }
  return undefined;
}

function ignoreRefusal(reason: IgnoreRefusal, path: string, detail?: string): StoreRefusedError {
  const why: Record<IgnoreRefusal, string> = {
    'tracking-unknown': `whether git tracks ${path} is unknown (git may not run in an untrusted workspace), so no key is stored there; trust the workspace or use Secret Storage`,
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

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.equals(b);
}

/** Writes sources on disk: atomically, and only when the file still holds the bytes the plan was made from. */
export const diskSourceWriter: SourceWriter = {
  async write(plan) {
    if (plan.after === plan.before) return 'written';
    const expected = Buffer.from(plan.before, 'utf8');
    try {
      await writeFileAtomic(plan.path, plan.after, { expected });
      return 'written';
    } catch (error) {
      if (error instanceof ChangedOnDiskError) return 'changed';
      throw error;
    }
  },
};
