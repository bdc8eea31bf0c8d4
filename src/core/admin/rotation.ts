// Rotation, end to end, in the order the Anthropic docs give, each step checked before the next:
//   verify-new     the new key (created in the Console: the API cannot create keys) answers as live;
//   store-new      every Secret Storage entry that held the old key holds the new one (read back);
//   env-files      every .env file of the workspace that held the old key holds the new one, after the user saw
//                  the diff (hints only) and agreed; each file written atomically, compare-and-swap;
//   terminals      terminal injection re-applied from Secret Storage;
//   verify-again   the key now stored is the new key, the edited files hold it, and it still answers as live;
//   deactivate-old no known place holds the old key any more; then, with an Admin key, the old key is set
//                  inactive and read back as inactive; without one, the exact Console steps are given;
//   record         the rotation date is recorded, and the journal cleared.
//
// The invariant, tested by interrupting at every step (test/unit/core/admin/rotation.test.ts): at any moment
// every place holds the old key or the new one, whole, and the old key stays live until no place holds it. So an
// interruption (a closed window, a crash, a refused diff, a failed request) never leaves a place with neither.
//
// Resuming: before the first change, both keys are put in the `pending` store (the keychain, beside the stored
// keys) and a journal (hints and steps only, never a key) is saved; after each step the journal says so. Running
// the rotation again for the same name resumes at the first step not done: every step is idempotent (it moves
// whatever still holds the old key), so repeating one is harmless.
//
// Pure of the editor: the ports are the keychain, the journal, the check against the API and the Admin API;
// .env files are real files, read and written with src/core/fixes/safeFiles.ts.
import { constants, promises as fs } from 'node:fs';
import { findCredentials } from '../credentials';
import { ChangedOnDiskError, readRegularFile, writeFileAtomic } from '../fixes/safeFiles';
import { keyHint } from '../hint';
import type { AdminApi } from './adminApi';

export const ROTATION_STEPS = ['verify-new', 'store-new', 'env-files', 'terminals', 'verify-again', 'deactivate-old', 'record'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What is remembered between runs; hints only. */
export interface RotationJournal {
  name: string;
  oldHint: string;
  newHint: string;
  startedAt: string;
  done: RotationStep[];
  /** What became of the old key, once the deactivation step ran. */
  oldKey?: OldKeyOutcome;
}

export interface EnvFileEdit {
  path: string;
  /** 1-based lines whose old key is replaced. */
  lines: number[];
  /** `-`/`+` lines of the change with keys shown as hints, for the confirmation. */
  diff: string;
}

export interface RotationPorts {
  /** The keys stored in this editor. `set` must read back and throw if the keychain did not keep it. */
  secrets: {
    names(): string[];
    get(name: string): Promise<string | undefined>;
    set(name: string, secret: string): Promise<void>;
  };
  /** The copies of both keys kept while a rotation runs (in the keychain too). */
  pending: {
    get(name: string, which: 'old' | 'new'): Promise<string | undefined>;
    set(name: string, which: 'old' | 'new', secret: string): Promise<void>;
    clear(name: string): Promise<void>;
  };
  journal: {
    load(name: string): RotationJournal | undefined;
    save(journal: RotationJournal): Promise<void>;
    clear(name: string): Promise<void>;
  };
  /** Absolute paths of the workspace's .env files (not templates). */
  envFiles(): Promise<string[]>;
  /** Shows the planned .env edits (hints only); false stops the rotation before any file changes. */
  confirmEnvEdits(edits: readonly EnvFileEdit[]): Promise<boolean>;
  refreshTerminals(): Promise<void>;
  /** One check of a key against the API. */
  verify(key: string): Promise<{ live: boolean; message: string }>;
  /** undefined without an Admin key: the old key is then left for the user to deactivate in the Console. */
  admin?: AdminApi;
  /** Remembers that `name` was rotated at `at` (metadata, never the keys). */
  recordRotation(name: string, at: Date, oldHint: string, newHint: string): Promise<void>;
  /** Called before each step and before each .env file; a test throws here to interrupt the rotation. */
  checkpoint?(step: RotationStep, detail?: string): void | Promise<void>;
  now?(): Date;
}

export type RotationStopReason =
  | 'in-progress-other-key'
  | 'nothing-to-resume'
  | 'same-key'
  | 'new-key-not-live'
  | 'storage-failed'
  | 'env-edit-declined'
  | 'env-file-changed'
  | 'env-file-unwritable'
  | 'not-confirmed'
  | 'old-key-still-used'
  | 'deactivation-failed'
  | 'interrupted';

export type OldKeyOutcome =
  | { action: 'deactivated'; id: string; name: string }
  /** No Admin key, the key is not in the organisation the Admin key reads, or two keys share its hint. */
  | { action: 'console'; why: 'no-admin-key' | 'not-in-organization' | 'ambiguous' | 'already-inactive'; id?: string; name?: string };

export interface RotationOutcome {
  completed: boolean;
  /** The steps this run completed, in order (a resumed run starts after the journal's). */
  stepsDone: RotationStep[];
  /** The step it stopped at, and why. */
  stoppedAt?: RotationStep;
  reason?: RotationStopReason;
  /** One or two sentences (hints only) when it stopped. */
  detail?: string;
  oldHint: string;
  newHint: string;
  storedNames: string[];
  envFilesChanged: string[];
  oldKey?: OldKeyOutcome;
  resumed: boolean;
}

/** A stop carried out of a step. */
class Stop extends Error {
  constructor(
    readonly reason: RotationStopReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** A .env file is small; anything larger is not read to look for a key. */
const MAX_LOOK_BYTES = 1024 * 1024;

/**
 * The bytes at `path`, following a link, for looking only: opened non-blocking (a FIFO named .env cannot hang us),
 * and only a regular file of at most MAX_LOOK_BYTES is read. undefined for anything else.
 */
async function readToLook(path: string): Promise<Buffer | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_LOOK_BYTES) return undefined;
    return await handle.readFile();
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Exact occurrences of `key` in a text, as whole credentials (not a longer token that contains it). */
function keyOccurrences(text: string, key: string): Array<{ start: number; end: number }> {
  if (!text.includes(key)) return [];
  return findCredentials(text).filter((match) => text.slice(match.start, match.end) === key);
}

function replaceKey(text: string, oldKey: string, newKey: string): { text: string; lines: number[]; diff: string } {
  const occurrences = keyOccurrences(text, oldKey);
  let result = '';
  let at = 0;
  const lines = new Set<number>();
  for (const { start, end } of occurrences) {
    result += text.slice(at, start) + newKey;
    at = end;
    lines.add(text.slice(0, start).split('\n').length);
  }
  result += text.slice(at);
  const oldLines = text.split('\n');
  const newLines = result.split('\n');
  const shown = (line: string) => line.split(oldKey).join(keyHint(oldKey)).split(newKey).join(keyHint(newKey)).replace(/\r$/, '');
  const diff = [...lines].map((line) => `@@ line ${line} @@\n- ${shown(oldLines[line - 1])}\n+ ${shown(newLines[line - 1])}`).join('\n');
  return { text: result, lines: [...lines], diff };
}

/**
 * Rotates the key stored as `name` to `newKey`, or resumes the rotation of `name` a journal says is under way
 * (then `newKey` may be omitted, or must be the same key). Never throws for an expected stop; an exception from a
 * port (a test's interruption) propagates, leaving the journal to resume from.
 */
export async function rotateKey(name: string, newKey: string | undefined, ports: RotationPorts): Promise<RotationOutcome> {
  const now = () => ports.now?.() ?? new Date();
  const stepsDone: RotationStep[] = [];
  const storedNames: string[] = [];
  const envFilesChanged: string[] = [];
  let oldKeyOutcome: OldKeyOutcome | undefined;
  let oldHint = '';
  let newHint = '';
  let resumed = false;
  const stopped = (reason: RotationStopReason, step: RotationStep, detail: string): RotationOutcome => ({
    completed: false,
    stepsDone,
    stoppedAt: step,
    reason,
    detail,
    oldHint,
    newHint,
    storedNames,
    envFilesChanged,
    ...(oldKeyOutcome ? { oldKey: oldKeyOutcome } : {}),
    resumed,
  });

  const existing = ports.journal.load(name);
  let oldKey: string | undefined;
  if (existing) {
    oldKey = await ports.pending.get(name, 'old');
    const pendingNew = await ports.pending.get(name, 'new');
    if (!oldKey || !pendingNew) {
      // The journal outlived its keys (the keychain was cleared): nothing can be resumed safely.
      await ports.journal.clear(name);
      await ports.pending.clear(name);
      return stopped('nothing-to-resume', 'verify-new', `The rotation of ${name} that was under way cannot be resumed: its keys are no longer in the keychain. Start it again.`);
    }
    if (newKey !== undefined && newKey !== pendingNew) {
      return stopped(
        'in-progress-other-key',
        'verify-new',
        `A rotation of ${name} to ${existing.newHint} is under way. Resume it (run Rotate API Key without a new key), or abandon it first.`,
      );
    }
    newKey = pendingNew;
    resumed = true;
  } else {
    oldKey = await ports.secrets.get(name);
    if (!oldKey) return stopped('storage-failed', 'verify-new', `No key is stored as ${name}.`);
    if (newKey === undefined) return stopped('nothing-to-resume', 'verify-new', `No rotation of ${name} is under way: give the new key.`);
  }
  oldHint = keyHint(oldKey);
  newHint = keyHint(newKey);
  if (oldKey === newKey) return stopped('same-key', 'verify-new', `That is the key ${name} already holds. Create a new key in the Anthropic Console first.`);
  const journal: RotationJournal = existing ?? { name, oldHint, newHint, startedAt: now().toISOString(), done: [] };

  const finish = async (step: RotationStep) => {
    stepsDone.push(step);
    if (!journal.done.includes(step)) journal.done.push(step);
    if (oldKeyOutcome) journal.oldKey = oldKeyOutcome;
    if (step === 'verify-new' && !existing) {
      // Nothing is remembered before the new key proved live (a dead key must not block the next attempt); from
      // here on both keys go into the keychain first, then the journal, so a journal always has its keys.
      await ports.pending.set(name, 'old', oldKey!);
      await ports.pending.set(name, 'new', newKey!);
    }
    await ports.journal.save(journal);
  };
  if (journal.oldKey) oldKeyOutcome = journal.oldKey;
  const oldKeyPlaces = async (): Promise<string[]> => {
    const places: string[] = [];
    for (const stored of ports.secrets.names()) if ((await ports.secrets.get(stored)) === oldKey) places.push(stored);
    for (const path of await ports.envFiles()) {
      // Read through a link here (and only here, to look): a .env that is a link is never written, but if the key
      // it leads to is the old one, deactivating it would leave that place with neither key.
      const bytes = await readToLook(path);
      if (bytes && keyOccurrences(bytes.toString('utf8'), oldKey!).length > 0) places.push(path);
    }
    return places;
  };

  const steps: Record<RotationStep, () => Promise<void>> = {
    'verify-new': async () => {
      const checked = await ports.verify(newKey!);
      if (!checked.live) throw new Stop('new-key-not-live', `The new key ${newHint} is not confirmed live, so nothing was changed: ${checked.message}`);
    },
    'store-new': async () => {
      for (const stored of ports.secrets.names()) {
        const secret = await ports.secrets.get(stored);
        if (secret === newKey) continue; // moved already (a resumed run)
        if (secret !== oldKey) {
          // Only the old key is ever replaced: a key stored under the name meanwhile is not ours to overwrite.
          if (stored === name) throw new Stop('storage-failed', `${name} now holds another key (${secret ? keyHint(secret) : 'none'}), so it was left alone.`);
          continue;
        }
        try {
          await ports.secrets.set(stored, newKey!);
        } catch (err) {
          const said = err instanceof Error ? err.message.split(newKey!).join(newHint) : 'the keychain refused it';
          throw new Stop('storage-failed', `The new key could not be stored as ${stored}: ${said}. ${stored} still holds ${oldHint}.`);
        }
        storedNames.push(stored);
      }
    },
    'env-files': async () => {
      const planned: Array<EnvFileEdit & { before: Buffer; after: string }> = [];
      for (const path of await ports.envFiles()) {
        let before: Buffer | undefined;
        try {
          before = await readRegularFile(path);
        } catch {
          // A link or a FIFO named .env is never written; if it holds the old key, the deactivation check says so.
          continue;
        }
        if (!before) continue;
        const text = before.toString('utf8');
        if (keyOccurrences(text, oldKey!).length === 0) continue;
        const replaced = replaceKey(text, oldKey!, newKey!);
        planned.push({ path, lines: replaced.lines, diff: replaced.diff, before, after: replaced.text });
      }
      if (planned.length === 0) return;
      if (!(await ports.confirmEnvEdits(planned.map(({ path, lines, diff }) => ({ path, lines, diff }))))) {
        throw new Stop('env-edit-declined', `The .env files were left as they were: they still hold the old key ${oldHint}, which stays active.`);
      }
      for (const edit of planned) {
        await ports.checkpoint?.('env-files', edit.path);
        try {
          await writeFileAtomic(edit.path, edit.after, { expected: edit.before });
        } catch (err) {
          if (err instanceof ChangedOnDiskError) throw new Stop('env-file-changed', `${edit.path} changed while the rotation ran; it still holds the old key ${oldHint}. Run Rotate API Key again to resume.`);
          throw new Stop('env-file-unwritable', `${edit.path} could not be written (${err instanceof Error ? err.message : String(err)}); it still holds the old key ${oldHint}.`);
        }
        envFilesChanged.push(edit.path);
      }
    },
    terminals: () => ports.refreshTerminals(),
    'verify-again': async () => {
      if ((await ports.secrets.get(name)) !== newKey) throw new Stop('not-confirmed', `${name} does not hold the new key ${newHint} after it was stored.`);
      for (const path of envFilesChanged) {
        const bytes = await readRegularFile(path).catch(() => undefined);
        if (!bytes || keyOccurrences(bytes.toString('utf8'), newKey!).length === 0) throw new Stop('not-confirmed', `${path} does not hold the new key after it was written.`);
      }
      const checked = await ports.verify(newKey!);
      if (!checked.live) {
        throw new Stop('not-confirmed', `The new key ${newHint} did not answer as live on the second check, so the old key ${oldHint} stays active: ${checked.message}`);
      }
    },
    'deactivate-old': async () => {
      const still = await oldKeyPlaces();
      if (still.length > 0) {
        throw new Stop('old-key-still-used', `The old key ${oldHint} is still in ${still.join(', ')}, so it was left active. Replace it there, then run Rotate API Key again.`);
      }
      if (!ports.admin) {
        oldKeyOutcome = { action: 'console', why: 'no-admin-key' };
        return;
      }
      const listed = await ports.admin.listApiKeys();
      if (!listed.ok) throw new Stop('deactivation-failed', `The old key ${oldHint} was left active: ${listed.message}`);
      const matches = listed.value.filter((record) => record.hint === oldHint);
      if (matches.length !== 1) {
        oldKeyOutcome = { action: 'console', why: matches.length === 0 ? 'not-in-organization' : 'ambiguous' };
        return;
      }
      const [record] = matches;
      if (record.status !== 'active') {
        oldKeyOutcome = { action: 'console', why: 'already-inactive', id: record.id, name: record.name };
        return;
      }
      const changed = await ports.admin.setApiKeyStatus(record.id, 'inactive');
      if (!changed.ok && !changed.outcomeUnknown) throw new Stop('deactivation-failed', `The old key '${record.name}' (${oldHint}) was left active: ${changed.message}`);
      // Checked before the rotation is called done: read the record back.
      const reread = await ports.admin.getApiKey(record.id);
      if (!reread.ok) throw new Stop('deactivation-failed', `Whether the old key '${record.name}' (${oldHint}) is deactivated could not be confirmed: ${reread.message} Run Rotate API Key again.`);
      if (reread.value.status !== 'inactive') throw new Stop('deactivation-failed', `The old key '${record.name}' (${oldHint}) is still ${reread.value.status} after the request to deactivate it. Run Rotate API Key again.`);
      oldKeyOutcome = { action: 'deactivated', id: record.id, name: record.name };
    },
    record: async () => {
      await ports.recordRotation(name, now(), oldHint, newHint);
      await ports.pending.clear(name);
      await ports.journal.clear(name);
    },
  };

  for (const step of ROTATION_STEPS) {
    // A resumed run still checks the new key again and re-does the idempotent moves; only the first check and
    // a deactivation already confirmed are skipped.
    if (resumed && journal.done.includes(step) && (step === 'verify-new' || step === 'deactivate-old')) continue;
    await ports.checkpoint?.(step);
    try {
      await steps[step]();
    } catch (err) {
      if (err instanceof Stop) return stopped(err.reason, step, err.detail);
      throw err;
    }
    if (step === 'record') stepsDone.push(step);
    else await finish(step);
  }
  return {
    completed: true,
    stepsDone,
    oldHint,
    newHint,
    storedNames,
    envFilesChanged,
    ...(oldKeyOutcome ? { oldKey: oldKeyOutcome } : {}),
    resumed,
  };
}

/**
 * Abandons a rotation under way: clears the journal and the pending copies. Both keys stay live, so every place
 * keeps working with whichever it holds; the old key is then not deactivated by this product.
 */
export async function abandonRotation(name: string, ports: Pick<RotationPorts, 'journal' | 'pending'>): Promise<RotationJournal | undefined> {
  const journal = ports.journal.load(name);
  await ports.pending.clear(name);
  await ports.journal.clear(name);
  return journal;
}
