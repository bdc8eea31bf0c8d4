// The messages of keys found in history, as message ids plus arguments (src/core/messages.ts holds the templates):
// the CLI's history findings, and the hardcoded-key diagnostic of a key that history also holds.
import type { CredentialKind } from '../findings';
import type { Message } from '../messages';
import type { HistoryCommit, HistoryLocation } from './historyScan';

export interface HistoryMessageInput {
  kind: CredentialKind;
  hint: string;
  location: HistoryLocation;
  commit: HistoryCommit;
  /** For a ref's name or a tag's message: the ref, as it may be shown. */
  ref?: string;
  /** The remote-tracking branch holding the commit; undefined when it is not pushed. */
  pushedTo?: string;
  /** When the user rotated this key (ISO 8601), as the editor remembers it per hint. */
  rotatedAt?: string;
}

/** The day of an ISO time, as `2026-11-02` (UTC): what a finding shows of a date. */
export function isoDay(iso: string): string {
  return iso.slice(0, 10);
}

/** A key found in history: where it was committed, pushed or not, rotated or not. */
export function historyFindingMessage(input: HistoryMessageInput): Message {
  if (input.location === 'ref-name' || input.location === 'tag-message') {
    const args = { kind: input.kind, hint: input.hint, ref: input.ref ?? '' };
    if (input.rotatedAt) return { id: 'hardcoded-key.history.ref.rotated', args: { ...args, rotatedOn: isoDay(input.rotatedAt) } };
    if (input.location === 'tag-message') return { id: 'hardcoded-key.history.tag-message', args };
    return { id: input.pushedTo !== undefined ? 'hardcoded-key.history.ref-name.pushed' : 'hardcoded-key.history.ref-name', args };
  }
  const args = { kind: input.kind, hint: input.hint, commit: input.commit.shortId, date: isoDay(input.commit.date), subject: input.commit.subject };
  if (input.rotatedAt) return { id: 'hardcoded-key.history.rotated', args: { ...args, rotatedOn: isoDay(input.rotatedAt) } };
  const inMessage = input.location === 'commit-message';
  if (input.pushedTo !== undefined) {
    return { id: inMessage ? 'hardcoded-key.history.message.pushed' : 'hardcoded-key.history.pushed', args: { ...args, remoteBranch: input.pushedTo } };
  }
  return { id: inMessage ? 'hardcoded-key.history.message.unpushed' : 'hardcoded-key.history.unpushed', args };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `iso` to `now` (0 for the same day or a date in the future). */
export function daysSince(iso: string, now: Date): number {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? 0 : Math.max(0, Math.floor((now.getTime() - then) / DAY_MS));
}

/**
 * The hardcoded-key diagnostic of a key that is also in a commit: "already in commit a1b2c3d (pushed to origin/main,
 * 14 days ago): moving it is not enough, rotate it".
 */
export function inHistoryMessage(input: Omit<HistoryMessageInput, 'location'>, now: Date): Message {
  const args = { kind: input.kind, hint: input.hint, commit: input.commit.shortId, days: String(daysSince(input.commit.date, now)) };
  if (input.rotatedAt) return { id: 'hardcoded-key.in-history.rotated', args: { ...args, rotatedOn: isoDay(input.rotatedAt) } };
  if (input.pushedTo !== undefined) return { id: 'hardcoded-key.in-history.pushed', args: { ...args, remoteBranch: input.pushedTo } };
  return { id: 'hardcoded-key.in-history.unpushed', args };
}
