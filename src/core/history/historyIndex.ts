// What the editor keeps of a history scan: for each key hint, the commit that introduced it and whether that commit
// is pushed; and, remembered across sessions, which hints the user has rotated and when. Never a key: hints only.
// Pure: the editor decides where the records live (globalState) and when to scan.
//
// The hardcoded-key diagnostic asks `noteFor(hint)` for its "already in commit a1b2c3d (pushed to origin/main, 14 days
// ago): moving it is not enough, rotate it" text; the report asks `checklistState()`; the Rotate quick fix asks
// `has(hint)`.
import type { CredentialKind } from '../findings';
import type { Message } from '../messages';
import type { HistoryKey, HistoryState } from '../report/checklist';
import { inHistoryMessage, isoDay } from './historyMessages';
import type { HistoryCommit, HistoryFinding, HistoryScanResult } from './historyScan';

/** What is known of one key in history. */
export interface HistoryEntry {
  hint: string;
  kind: CredentialKind;
  commit: HistoryCommit;
  path: string;
  location: 'file' | 'commit-message';
  line: number;
  pushed: boolean;
  pushedTo?: string;
  inWorkingTree?: boolean;
}

/** A rotation the user did: the hint of the key replaced, and when. */
export interface RotatedKey {
  hint: string;
  rotatedAt: string;
}

export class HistoryIndex {
  private readonly byHint = new Map<string, HistoryEntry>();

  /** Built from one or more scans (one per workspace folder): the earliest commit wins for a hint found in several. */
  constructor(
    results: readonly Pick<HistoryScanResult, 'findings' | 'problems' | 'commitsScanned'>[],
    private readonly rotated: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const result of results) {
      for (const finding of result.findings) {
        // A key in a ref's name or a tag's message is in no commit: the note "already in commit …" would be wrong for
        // it, and the Scan Git History output names it already.
        if (finding.location !== 'file' && finding.location !== 'commit-message') continue;
        const entry = toEntry(finding, finding.location);
        const known = this.byHint.get(entry.hint);
        if (!known || entry.commit.date < known.commit.date) this.byHint.set(entry.hint, entry);
      }
    }
    this.incomplete = results.some((result) => result.problems.length > 0);
    this.commits = results.reduce((sum, result) => sum + result.commitsScanned, 0);
  }

  /** Some scan could not read everything asked for (a shallow clone, a corrupt object). */
  readonly incomplete: boolean;
  readonly commits: number;

  get(hint: string): HistoryEntry | undefined {
    return this.byHint.get(hint);
  }

  has(hint: string): boolean {
    return this.byHint.has(hint);
  }

  entries(): HistoryEntry[] {
    return [...this.byHint.values()].sort((a, b) => (a.commit.date < b.commit.date ? -1 : a.commit.date > b.commit.date ? 1 : 0));
  }

  rotatedAt(hint: string): string | undefined {
    return this.rotated.get(hint);
  }

  /**
   * The diagnostic text of a key that a file holds and history holds too: "already in commit a1b2c3d (pushed to
   * origin/main, 14 days ago): moving it is not enough, rotate it". Undefined for a key history does not hold.
   */
  noteFor(hint: string, now: Date): Message | undefined {
    const entry = this.byHint.get(hint);
    if (!entry) return undefined;
    return inHistoryMessage({ kind: entry.kind, hint, commit: entry.commit, pushedTo: entry.pushed ? (entry.pushedTo ?? 'a remote-tracking branch') : undefined, rotatedAt: this.rotated.get(hint) }, now);
  }

  /** The report's input for "No key in git history". */
  checklistState(): HistoryState {
    const keys: HistoryKey[] = this.entries().map((entry) => ({
      hint: entry.hint,
      commit: entry.commit.shortId,
      date: isoDay(entry.commit.date),
      path: entry.path,
      pushed: entry.pushed,
      ...(entry.pushedTo !== undefined ? { pushedTo: entry.pushedTo } : {}),
      ...(this.rotated.has(entry.hint) ? { rotatedAt: this.rotated.get(entry.hint)! } : {}),
    }));
    return { state: 'scanned', keys, incomplete: this.incomplete, commits: this.commits };
  }
}

function toEntry(finding: HistoryFinding, location: 'file' | 'commit-message'): HistoryEntry {
  return {
    hint: finding.credential!.hint,
    kind: finding.credential!.kind,
    commit: finding.commit,
    path: finding.path,
    location,
    line: finding.line,
    pushed: finding.pushed,
    ...(finding.pushedTo !== undefined ? { pushedTo: finding.pushedTo } : {}),
    ...(finding.inWorkingTree !== undefined ? { inWorkingTree: finding.inWorkingTree } : {}),
  };
}

/** Reads the remembered rotations back, dropping anything malformed; the latest date per hint wins. */
export function parseRotatedKeys(value: unknown): Map<string, string> {
  const rotated = new Map<string, string>();
  if (!Array.isArray(value)) return rotated;
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { hint, rotatedAt } = item as Record<string, unknown>;
    if (typeof hint !== 'string' || !isHint(hint) || typeof rotatedAt !== 'string' || Number.isNaN(Date.parse(rotatedAt))) continue;
    const known = rotated.get(hint);
    if (!known || known < rotatedAt) rotated.set(hint, rotatedAt);
  }
  return rotated;
}

/** The list to store with one more rotation (or a later date for a hint rotated before). */
export function withRotation(rotated: ReadonlyMap<string, string>, hint: string, at: Date): RotatedKey[] {
  if (!isHint(hint)) throw new Error('only a key hint can be remembered, never a key');
  const next = new Map(rotated);
  next.set(hint, at.toISOString());
  return [...next].map(([rotatedHint, rotatedAt]) => ({ hint: rotatedHint, rotatedAt }));
}

/**
 * A hint, never a key: `sk-ant-api03-R2D…igAA` (at most 7 body characters around an ellipsis). What is stored must
 * never be able to hold a secret, so anything longer or without the ellipsis is refused.
 */
export function isHint(text: string): boolean {
  return HINT.test(text);
}

/** keyHint's output (src/core/hint.ts): the kind prefix, up to 3 characters, an ellipsis, up to 4. No nested
 * quantifier: linear on any input. */
const HINT = /^sk-ant-(?:[a-z]{1,16}\d\d-)?[A-Za-z0-9_-]{0,3}…[A-Za-z0-9_-]{0,4}$/;

/**
 * Rotations seen in the key vault's records: a stored name whose hint changed, with a record as the rotation command
 * writes it (verified live at the moment it was stored). Returns the old hints, each with the time of the new key.
 */
export function rotationsBetween(
  before: readonly { name: string; hint: string }[],
  after: readonly { name: string; hint: string; storedAt: string; lastVerifiedAt?: string; lastResult?: string }[],
): RotatedKey[] {
  const previous = new Map(before.map((record) => [record.name, record.hint]));
  const rotations: RotatedKey[] = [];
  for (const record of after) {
    const old = previous.get(record.name);
    if (old === undefined || old === record.hint) continue;
    if (record.lastResult !== 'valid' || record.lastVerifiedAt !== record.storedAt) continue;
    rotations.push({ hint: old, rotatedAt: record.storedAt });
  }
  return rotations;
}
