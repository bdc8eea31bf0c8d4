// What is remembered about a stored key besides the key itself: never the secret, only what lists,
// reminders and messages need. Pure: the editor decides where the records live.
import type { VerifyStatus } from './verify';

export const KEY_ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

export interface KeyMetadata {
  /** The environment variable name the key is stored (and injected) under, e.g. `ANTHROPIC_API_KEY`. */
  name: string;
  environment: KeyEnvironment;
  /** `sk-ant-api03-R2D…igAA`: what the Console shows, enough to tell keys apart. */
  hint: string;
  /** ISO 8601; reset by a rotation, so the rotation reminder counts from here. */
  storedAt: string;
  /** ISO 8601 time of the last check against the API. */
  lastVerifiedAt?: string;
  lastResult?: VerifyStatus;
  /** ISO 8601 time the key was last rotated by Rotate API Key (issue 17's "record the rotation date"). */
  rotatedAt?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ROTATION_REMINDER_DAYS = 90;

/** Whole days since the key was stored (0 on the first day; 0 for a date in the future or an unreadable one). */
export function keyAgeDays(metadata: Pick<KeyMetadata, 'storedAt'>, now: Date): number {
  const stored = Date.parse(metadata.storedAt);
  if (Number.isNaN(stored)) return 0;
  return Math.max(0, Math.floor((now.getTime() - stored) / DAY_MS));
}

/**
 * A key is due for rotation once it has been stored for more than `reminderDays` days (90 days: due from
 * day 91). A non-positive or non-finite setting turns reminders off. An unreadable date counts as due,
 * since how old the key is cannot be known.
 */
export function isRotationDue(metadata: Pick<KeyMetadata, 'storedAt'>, reminderDays: number, now: Date): boolean {
  if (!Number.isFinite(reminderDays) || reminderDays <= 0) return false;
  const stored = Date.parse(metadata.storedAt);
  if (Number.isNaN(stored)) return true;
  return now.getTime() - stored > reminderDays * DAY_MS;
}

/** The records due for rotation, oldest first. */
export function rotationDue(records: readonly KeyMetadata[], reminderDays: number, now: Date): KeyMetadata[] {
  return records
    .filter((record) => isRotationDue(record, reminderDays, now))
    .sort((a, b) => (Date.parse(a.storedAt) || 0) - (Date.parse(b.storedAt) || 0));
}

const VERIFY_STATUSES: ReadonlySet<string> = new Set<VerifyStatus>([
  'valid', 'invalid', 'no-permission', 'billing', 'not-found', 'rate-limited', 'server-error', 'overloaded', 'unreachable', 'unexpected',
]);

/**
 * Reads stored records back, dropping anything malformed (state written by a newer or broken version must
 * not break the list). Later duplicates of a name replace earlier ones. Sorted by name.
 */
export function parseMetadataList(value: unknown): KeyMetadata[] {
  if (!Array.isArray(value)) return [];
  const byName = new Map<string, KeyMetadata>();
  for (const item of value) {
    const record = parseMetadata(item);
    if (record) byName.set(record.name, record);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function parseMetadata(item: unknown): KeyMetadata | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { name, environment, hint, storedAt, lastVerifiedAt, lastResult, rotatedAt } = item as Record<string, unknown>;
  if (typeof name !== 'string' || name === '' || typeof hint !== 'string' || typeof storedAt !== 'string') return undefined;
  const record: KeyMetadata = {
    name,
    environment: isKeyEnvironment(environment) ? environment : 'development',
    hint,
    storedAt,
  };
  if (typeof lastVerifiedAt === 'string') record.lastVerifiedAt = lastVerifiedAt;
  if (typeof lastResult === 'string' && VERIFY_STATUSES.has(lastResult)) record.lastResult = lastResult as VerifyStatus;
  if (typeof rotatedAt === 'string') record.rotatedAt = rotatedAt;
  return record;
}

export function isKeyEnvironment(value: unknown): value is KeyEnvironment {
  return typeof value === 'string' && (KEY_ENVIRONMENTS as readonly string[]).includes(value);
}

/** The list with `record` added, or replacing the record of the same name. */
export function upsertMetadata(records: readonly KeyMetadata[], record: KeyMetadata): KeyMetadata[] {
  return parseMetadataList([...records.filter((existing) => existing.name !== record.name), record]);
}

/** The list without the record named `name`. */
export function removeMetadata(records: readonly KeyMetadata[], name: string): KeyMetadata[] {
  return records.filter((existing) => existing.name !== name);
}

/** The record after a check against the API answered (or failed to) with `status`. */
export function withVerification(record: KeyMetadata, status: VerifyStatus, at: Date): KeyMetadata {
  return { ...record, lastVerifiedAt: at.toISOString(), lastResult: status };
}

/** Whether a stored key is an Admin key: its hint keeps the kind prefix (`sk-ant-admin01-…`). */
export function isAdminHint(hint: string): boolean {
  return hint.startsWith('sk-ant-admin');
}
