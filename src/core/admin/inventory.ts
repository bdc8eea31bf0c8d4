// The key inventory: the organisation's API keys (when an Admin key let us read them) joined with what this
// workspace and this VS Code know of each, matched by hint and never by value: stored in Secret Storage, written
// in a file of the workspace, seen in git history. Pure: the editor gathers the inputs, the view and the leak
// messages word the result.
//
// Decisions:
// - A hint shows 7 of a key's characters, so two keys can share one. Where two organisation keys share a hint the
//   match is ambiguous: both are marked, and nothing acts on a leaked key through an ambiguous match (which of the
//   two to deactivate cannot be known).
// - Keys known here but absent from the organisation (no Admin key, another organisation, an Admin key itself,
//   which the API key list does not hold) are still listed, from what is known of them locally.
import type { OrgApiKey, OrgKeyStatus, OrgUser, OrgWorkspace } from './records';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A key that expires within this many days is flagged as expiring soon. */
export const EXPIRY_WARNING_DAYS = 14;

export interface OrganizationSnapshot {
  keys: readonly OrgApiKey[];
  workspaces: readonly OrgWorkspace[];
  users: readonly OrgUser[];
  /** ISO 8601: when it was read. */
  readAt: string;
}

export interface FileSighting {
  hint: string;
  /** Workspace-relative path. */
  file: string;
  /** 0-based. */
  line: number;
}

export interface InventoryInput {
  /** undefined: not read (no Admin key, or the read failed). */
  organization?: OrganizationSnapshot;
  stored: ReadonlyArray<{ name: string; hint: string }>;
  inFiles: readonly FileSighting[];
  /** Hints seen in git history; undefined when history was not scanned, so "not in history" is not claimed. */
  inHistory?: readonly string[];
  now: Date;
}

export interface OrgKeyFacts {
  id: string;
  name: string;
  status: OrgKeyStatus;
  workspaceId?: string;
  /** The workspace's name, when the workspace list had it. */
  workspaceName?: string;
  creatorId?: string;
  creatorName?: string;
  createdAt: string;
  /** Whole days since creation; undefined when the date is unreadable. */
  ageDays?: number;
  expiresAt?: string;
  neverExpires: boolean;
  /** Days left until expiry (negative once past); undefined when it never expires. */
  expiresInDays?: number;
}

export interface InventoryEntry {
  /** undefined for an organisation key the API gave no hint for. */
  hint?: string;
  organization?: OrgKeyFacts;
  /** Stored in this VS Code under these names. */
  storedAs: string[];
  foundIn: Array<{ file: string; line: number }>;
  /** undefined: history not scanned. */
  inHistory?: boolean;
  /** Another organisation key has the same hint: which one a local key is cannot be told. */
  ambiguous: boolean;
}

function days(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}

function facts(key: OrgApiKey, snapshot: OrganizationSnapshot, now: Date): OrgKeyFacts {
  const created = Date.parse(key.createdAt);
  const expires = key.expiresAt ? Date.parse(key.expiresAt) : NaN;
  const result: OrgKeyFacts = {
    id: key.id,
    name: key.name,
    status: key.status,
    createdAt: key.createdAt,
    neverExpires: key.expiresAt === undefined,
  };
  if (key.workspaceId) {
    result.workspaceId = key.workspaceId;
    const workspace = snapshot.workspaces.find((candidate) => candidate.id === key.workspaceId);
    if (workspace?.name) result.workspaceName = workspace.name;
  }
  if (key.createdBy) {
    result.creatorId = key.createdBy.id;
    const user = snapshot.users.find((candidate) => candidate.id === key.createdBy!.id);
    if (user?.name) result.creatorName = user.name;
  }
  if (!Number.isNaN(created)) result.ageDays = Math.max(0, days(created, now.getTime()));
  if (key.expiresAt) {
    result.expiresAt = key.expiresAt;
    // Rounded up: a key that expires in 30 hours has 2 days left, not 1.
    if (!Number.isNaN(expires)) result.expiresInDays = Math.ceil((expires - now.getTime()) / DAY_MS);
  }
  return result;
}

const STATUS_ORDER: Record<OrgKeyStatus, number> = { active: 0, inactive: 1, expired: 2, archived: 3 };

/** The organisation's keys first (active before inactive, expired and archived; then by name), then keys known only here. */
export function buildInventory(input: InventoryInput): InventoryEntry[] {
  const history = input.inHistory ? new Set(input.inHistory) : undefined;
  const storedBy = groupBy(input.stored, (entry) => entry.hint);
  const filesBy = groupBy(input.inFiles, (entry) => entry.hint);
  const local = (hint: string | undefined) => ({
    storedAs: hint ? (storedBy.get(hint) ?? []).map((entry) => entry.name).sort() : [],
    foundIn: hint ? (filesBy.get(hint) ?? []).map(({ file, line }) => ({ file, line })) : [],
    ...(history ? { inHistory: hint !== undefined && history.has(hint) } : {}),
  });

  const entries: InventoryEntry[] = [];
  const orgHints = new Map<string, number>();
  const snapshot = input.organization;
  if (snapshot) {
    for (const key of snapshot.keys) if (key.hint) orgHints.set(key.hint, (orgHints.get(key.hint) ?? 0) + 1);
    const sorted = [...snapshot.keys].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    for (const key of sorted) {
      entries.push({
        ...(key.hint ? { hint: key.hint } : {}),
        organization: facts(key, snapshot, input.now),
        ...local(key.hint),
        ambiguous: key.hint !== undefined && (orgHints.get(key.hint) ?? 0) > 1,
      });
    }
  }
  const localHints = [...new Set([...storedBy.keys(), ...filesBy.keys()])].filter((hint) => !orgHints.has(hint)).sort();
  for (const hint of localHints) entries.push({ hint, ...local(hint), ambiguous: false });
  return entries;
}

/** The organisation record of a key known by its hint: undefined when there is none, or more than one. */
export function recordForHint(entries: readonly InventoryEntry[], hint: string): InventoryEntry | undefined {
  const matches = entries.filter((entry) => entry.organization && entry.hint === hint);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The sentence a leaked key's diagnostic and the report add (English, for the CLI and the Markdown report; the
 * editor words the same facts through vscode.l10n): "This key is ACTIVE: 'ci-prod' in workspace Production,
 * created by Jane Doe on 2025-06-01."
 */
export function leakRecordSentence(record: OrgKeyFacts): string {
  const where = record.workspaceName ? ` in workspace ${record.workspaceName}` : record.workspaceId ? ` in workspace ${record.workspaceId}` : '';
  const by = record.creatorName ?? record.creatorId;
  const created = record.createdAt ? `, created${by ? ` by ${by}` : ''} on ${record.createdAt.slice(0, 10)}` : by ? `, created by ${by}` : '';
  const action =
    record.status === 'active'
      ? ' Deactivate it now (Anthropic Keys view, or the Deactivate Key command), then rotate.'
      : record.status === 'inactive'
        ? ' It no longer works; archive it once nothing needs it.'
        : '';
  return `This key is ${record.status.toUpperCase()}: '${record.name}'${where}${created}.${action}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
