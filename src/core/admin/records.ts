// The organisation's records as this product keeps them, read defensively from what the Admin API returns: an API
// key (never its secret: the API has only a `partial_key_hint`), a workspace, a user, one hour of one key's usage.
// Pure: parsing and matching only, so every odd shape the API (or a proxy pretending to be it) could send is
// table-tested without a network.
//
// Shapes: the API reference (https://docs.anthropic.com/en/api/admin-api/apikeys/list-api-keys) and the types of
// @anthropic-ai/sdk 1.17 (resources/organization/api-keys.d.ts), which moved the workspace from `workspace_id`
// to `scope: { type: 'workspace', workspace_id }`; both are read.

export const ORG_KEY_STATUSES = ['active', 'inactive', 'archived', 'expired'] as const;
export type OrgKeyStatus = (typeof ORG_KEY_STATUSES)[number];
/** The statuses a key can be set to (expiry is the API's own doing). */
export type SettableStatus = Exclude<OrgKeyStatus, 'expired'>;

export interface OrgApiKey {
  /** `apikey_…` */
  id: string;
  name: string;
  status: OrgKeyStatus;
  /** undefined for an organisation-scoped key. */
  workspaceId?: string;
  /** ISO 8601. */
  createdAt: string;
  /** `user_…` or a service account's id, when the API records one. */
  createdBy?: { id: string; type: string };
  /** ISO 8601; undefined: never expires. */
  expiresAt?: string;
  /** The hint in this product's form (`sk-ant-api03-R2D…igAA`), from the API's `partial_key_hint`; undefined when the API has none. */
  hint?: string;
}

export interface OrgWorkspace {
  id: string;
  name: string;
}

export interface OrgUser {
  id: string;
  name: string;
  email?: string;
}

export interface OrganizationInfo {
  id: string;
  name: string;
}

/** One hour (or other bucket) of one key's token usage. */
export interface UsagePoint {
  /** null: usage not attributed to an API key (the Console's own, for instance). */
  apiKeyId: string | null;
  /** Epoch milliseconds of the bucket's start and end. */
  start: number;
  end: number;
  /** Every token type summed: uncached input, cache reads and writes, output. */
  tokens: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const stringField = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A bounded, printable copy of a server-chosen text (names can be anything; a name is shown, never trusted). */
export function cleanText(value: string, max = 120): string {
  // Control characters (a name with a line break could fake a line of a message) become spaces.
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

/**
 * The API's `partial_key_hint` (`sk-ant-api03-R2D...igAA`) in this product's hint form (`…` for the three dots), so
 * a stored key, a key found in a file and an organisation record compare as equal strings. Anything that is not
 * a hint of that shape (a full key echoed by a broken proxy, say) is refused rather than kept.
 */
export function normaliseHint(hint: string): string | undefined {
  // The hint's published form: `sk-ant-` + kind + 2 digits + `-` + 3 characters, an ellipsis, 4 characters.
  const match = /^(sk-ant-[a-z]{1,16}\d\d-)([A-Za-z0-9_-]{3})(?:\.\.\.|…)([A-Za-z0-9_-]{4})$/.exec(hint.trim());
  return match ? `${match[1]}${match[2]}…${match[3]}` : undefined;
}

/** One record of `GET /v1/organizations/api_keys`, or undefined when it is not one. */
export function parseApiKey(value: unknown): OrgApiKey | undefined {
  if (!isObject(value)) return undefined;
  const id = stringField(value.id);
  const status = value.status;
  if (!id || value.type !== 'api_key' || typeof status !== 'string' || !(ORG_KEY_STATUSES as readonly string[]).includes(status)) return undefined;
  const scope = isObject(value.scope) ? value.scope : undefined;
  const workspaceId = stringField(value.workspace_id) ?? stringField(scope?.workspace_id);
  const createdBy = isObject(value.created_by) && stringField(value.created_by.id) ? { id: value.created_by.id as string, type: stringField(value.created_by.type) ?? 'user' } : undefined;
  const hint = typeof value.partial_key_hint === 'string' ? normaliseHint(value.partial_key_hint) : undefined;
  const record: OrgApiKey = {
    id: cleanText(id, 100),
    name: cleanText(typeof value.name === 'string' ? value.name : ''),
    status: status as OrgKeyStatus,
    createdAt: stringField(value.created_at) ?? '',
  };
  if (workspaceId) record.workspaceId = cleanText(workspaceId, 100);
  if (createdBy) record.createdBy = { id: cleanText(createdBy.id, 100), type: cleanText(createdBy.type, 40) };
  if (stringField(value.expires_at)) record.expiresAt = value.expires_at as string;
  if (hint) record.hint = hint;
  return record;
}

export function parseWorkspace(value: unknown): OrgWorkspace | undefined {
  if (!isObject(value) || value.type !== 'workspace' || !stringField(value.id)) return undefined;
  return { id: cleanText(value.id as string, 100), name: cleanText(stringField(value.name) ?? '') };
}

export function parseUser(value: unknown): OrgUser | undefined {
  if (!isObject(value) || value.type !== 'user' || !stringField(value.id)) return undefined;
  const user: OrgUser = { id: cleanText(value.id as string, 100), name: cleanText(stringField(value.name) ?? '') };
  if (stringField(value.email)) user.email = cleanText(value.email as string);
  return user;
}

export function parseOrganization(value: unknown): OrganizationInfo | undefined {
  if (!isObject(value) || value.type !== 'organization' || !stringField(value.id)) return undefined;
  return { id: cleanText(value.id as string, 100), name: cleanText(stringField(value.name) ?? '') };
}

/** Every token count of a usage record summed; a field that is not a finite, non-negative number counts 0. */
function sumTokens(usage: Record<string, unknown>): number {
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  let total = count(usage.uncached_input_tokens) + count(usage.cache_read_input_tokens) + count(usage.output_tokens);
  if (isObject(usage.cache_creation)) for (const value of Object.values(usage.cache_creation)) total += count(value);
  return total;
}

/**
 * The points of one page of the legacy messages usage report (`GET /v1/organizations/usage_report/messages`,
 * grouped by `api_key_id`): `{ data: [{ starting_at, ending_at, results: [{ api_key_id, …tokens }] }] }`.
 * undefined when the page is not of that shape.
 */
export function parseUsageReportPage(body: unknown): { points: UsagePoint[]; hasMore: boolean; nextPage?: string } | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const points: UsagePoint[] = [];
  for (const bucket of body.data) {
    if (!isObject(bucket) || !Array.isArray(bucket.results)) return undefined;
    const start = Date.parse(String(bucket.starting_at));
    const end = Date.parse(String(bucket.ending_at));
    if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
    for (const result of bucket.results) {
      if (!isObject(result)) return undefined;
      points.push({ apiKeyId: stringField(result.api_key_id) ?? null, start, end, tokens: sumTokens(result) });
    }
  }
  return { points, hasMore: body.has_more === true, ...(stringField(body.next_page) ? { nextPage: body.next_page as string } : {}) };
}

/**
 * The points of one page of the usage analytics (`GET /v1/organizations/analytics/usage`, grouped by
 * `api_key_id`, hourly): `{ data: [{ starting_at, ending_at, group: { api_key_id }, usage: {…} }] }`.
 */
export function parseAnalyticsUsagePage(body: unknown): { points: UsagePoint[]; hasMore: boolean; nextPage?: string } | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const points: UsagePoint[] = [];
  for (const row of body.data) {
    if (!isObject(row) || !isObject(row.usage)) return undefined;
    const start = Date.parse(String(row.starting_at));
    const end = Date.parse(String(row.ending_at));
    if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
    const group = isObject(row.group) ? row.group : {};
    const total = typeof row.usage.total_tokens === 'number' && Number.isFinite(row.usage.total_tokens) && row.usage.total_tokens >= 0 ? row.usage.total_tokens : sumTokens(row.usage);
    points.push({ apiKeyId: stringField(group.api_key_id) ?? null, start, end, tokens: total });
  }
  return { points, hasMore: body.has_more === true, ...(stringField(body.next_page) ? { nextPage: body.next_page as string } : {}) };
}
