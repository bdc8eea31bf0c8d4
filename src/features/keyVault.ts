// Where stored keys live, modelled on the built-in github-authentication Keychain: one small class, a fixed
// key prefix in SecretStorage, every call in try/catch, and `secrets.onDidChange` observed because the
// secrets are shared by every window of the profile.
//
// What is stored where:
// - the key itself: SecretStorage only (the OS keychain on desktop), under `anthropicKeyHygiene.key.<NAME>`;
// - metadata (name, environment, hint, stored at, last check): globalState under `anthropicKeyHygiene.keys`.
//   globalState, not workspaceState, because a key belongs to the user, not to a folder: the same key is
//   used from every workspace, and its age and rotation reminder must be the same in all of them. It is not
//   registered for Settings Sync: the secrets do not sync, so synced metadata would describe keys that are
//   not there.
// SecretStorage cannot be enumerated, so the metadata list is also the index of stored names.
import * as vscode from 'vscode';
import { keyHint } from '../core/hint';
import type { RotationJournal } from '../core/admin/rotation';
import { isAdminHint, parseMetadataList, removeMetadata, upsertMetadata, type KeyMetadata } from '../core/keyMetadata';

const SECRET_PREFIX = 'anthropicKeyHygiene.key.';
const METADATA_KEY = 'anthropicKeyHygiene.keys';
/** Both keys of a rotation under way (src/core/admin/rotation.ts), in the keychain like the stored keys. */
const PENDING_PREFIX = 'anthropicKeyHygiene.rotation.';
/** The journals of rotations under way: hints and steps, never a key. */
const JOURNAL_KEY = 'anthropicKeyHygiene.rotations';
/** Old key hint → when Rotate API Key replaced it (for "rotated on <date>" where that key is found again). */
const ROTATED_HINTS_KEY = 'anthropicKeyHygiene.rotatedHints';
const MAX_ROTATED_HINTS = 500;

/** A storage call's outcome; `error` is the keychain's complaint, scrubbed of the key. */
export type VaultResult = { ok: true } | { ok: false; error: string };

export class KeyVault implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Metadata updates are read-modify-write; chaining them keeps two commands from losing each other's change. */
  private pending: Promise<unknown> = Promise.resolve();

  /** Fires when a stored key or its metadata may have changed, in this window or another. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      secrets.onDidChange((event) => {
        if (event.key.startsWith(SECRET_PREFIX)) this.changeEmitter.fire();
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Every stored key's metadata, sorted by name. */
  list(): KeyMetadata[] {
    return parseMetadataList(this.state.get<unknown>(METADATA_KEY));
  }

  get(name: string): KeyMetadata | undefined {
    return this.list().find((record) => record.name === name);
  }

  /** The stored key, or undefined when there is none or the keychain cannot be read. */
  async getSecret(name: string): Promise<string | undefined> {
    try {
      return (await this.secrets.get(SECRET_PREFIX + name)) || undefined;
    } catch {
      // A locked or missing keychain reads as "no key"; the caller says the key is missing.
      return undefined;
    }
  }

  /** Stores (or replaces) the key, then its metadata: a listed key always has had its secret written first. */
  store(record: KeyMetadata, secret: string): Promise<VaultResult> {
    return this.serialise(async () => {
      try {
        await this.secrets.store(SECRET_PREFIX + record.name, secret);
      } catch (err) {
        return { ok: false, error: errorText(err, secret) };
      }
      // Read back: a keychain that silently dropped the write must not leave the user believing the key is kept.
      if ((await this.getSecret(record.name)) !== secret) return { ok: false, error: 'the secret storage did not keep the key' };
      return this.writeMetadata(upsertMetadata(this.list(), record), secret);
    });
  }

  /** Rewrites the metadata of a stored key (after a check, say); a name no longer stored is left alone. */
  update(name: string, change: (record: KeyMetadata) => KeyMetadata): Promise<VaultResult> {
    return this.serialise(async () => {
      const record = this.get(name);
      if (!record) return { ok: true };
      return this.writeMetadata(upsertMetadata(this.list(), change(record)));
    });
  }

  /** Deletes the key, then its metadata; when the keychain refuses, the metadata stays so the key is still listed. */
  remove(name: string): Promise<VaultResult> {
    return this.serialise(async () => {
      try {
        await this.secrets.delete(SECRET_PREFIX + name);
      } catch (err) {
        return { ok: false, error: errorText(err) };
      }
      return this.writeMetadata(removeMetadata(this.list(), name));
    });
  }

  /**
   * The stored Admin key to call the Admin API with: the one named ANTHROPIC_ADMIN_KEY, else the first Admin key by
   * name. undefined when none is stored.
   */
  async adminKey(): Promise<{ name: string; secret: string } | undefined> {
    const admins = this.list().filter((record) => isAdminHint(record.hint));
    const preferred = admins.find((record) => record.name === 'ANTHROPIC_ADMIN_KEY') ?? admins[0];
    if (!preferred) return undefined;
    const secret = await this.getSecret(preferred.name);
    return secret ? { name: preferred.name, secret } : undefined;
  }

  /** Whether an Admin key is stored (metadata only: no keychain read). */
  hasAdminKey(): boolean {
    return this.list().some((record) => isAdminHint(record.hint));
  }

  /** The pending copies of a rotation's keys. Errors propagate: a rotation must not go on without them. */
  readonly rotationKeys = {
    get: async (name: string, which: 'old' | 'new'): Promise<string | undefined> => (await this.secrets.get(`${PENDING_PREFIX}${name}.${which}`)) || undefined,
    set: async (name: string, which: 'old' | 'new', secret: string): Promise<void> => {
      await this.secrets.store(`${PENDING_PREFIX}${name}.${which}`, secret);
      if ((await this.secrets.get(`${PENDING_PREFIX}${name}.${which}`)) !== secret) throw new Error('the secret storage did not keep the key');
    },
    clear: async (name: string): Promise<void> => {
      await this.secrets.delete(`${PENDING_PREFIX}${name}.old`);
      await this.secrets.delete(`${PENDING_PREFIX}${name}.new`);
    },
  };

  /** When each replaced key (by hint) was rotated away from: ISO dates. */
  rotatedHints(): Record<string, string> {
    const value = this.state.get<unknown>(ROTATED_HINTS_KEY, {});
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  }

  async recordRotatedHint(oldHint: string, at: Date): Promise<void> {
    const entries = Object.entries({ ...this.rotatedHints(), [oldHint]: at.toISOString() }).sort((a, b) => b[1].localeCompare(a[1]));
    await this.state.update(ROTATED_HINTS_KEY, Object.fromEntries(entries.slice(0, MAX_ROTATED_HINTS)));
  }

  /** The journals of rotations under way, by name. */
  readonly journal = {
    load: (name: string): RotationJournal | undefined => {
      const all = this.state.get<Record<string, RotationJournal>>(JOURNAL_KEY, {});
      const journal = all && typeof all === 'object' ? all[name] : undefined;
      return journal && typeof journal === 'object' && Array.isArray(journal.done) ? journal : undefined;
    },
    save: async (journal: RotationJournal): Promise<void> => {
      const all = { ...this.state.get<Record<string, RotationJournal>>(JOURNAL_KEY, {}) };
      all[journal.name] = journal;
      await this.state.update(JOURNAL_KEY, all);
    },
    clear: async (name: string): Promise<void> => {
      const all = { ...this.state.get<Record<string, RotationJournal>>(JOURNAL_KEY, {}) };
      delete all[name];
      await this.state.update(JOURNAL_KEY, all);
    },
  };

  private async writeMetadata(records: KeyMetadata[], secret?: string): Promise<VaultResult> {
    try {
      await this.state.update(METADATA_KEY, records);
    } catch (err) {
      return { ok: false, error: errorText(err, secret) };
    }
    // globalState has no change event; other windows learn of it through the secret's change.
    this.changeEmitter.fire();
    return { ok: true };
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const next = this.pending.then(task, task);
    this.pending = next.catch(() => undefined);
    return next;
  }
}

function errorText(err: unknown, secret?: string): string {
  const text = err instanceof Error ? err.message : String(err);
  return secret && secret.length >= 8 ? text.split(secret).join(keyHint(secret)) : text;
}
