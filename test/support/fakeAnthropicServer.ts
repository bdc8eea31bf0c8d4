// A local stand-in for the Anthropic API and its Admin API, speaking the wire format closely enough that the real
// SDK cannot tell the difference: the same routes, list bodies and paging (`limit`, `after_id`/`before_id`,
// `has_more`, `first_id`/`last_id`; report cursors `page`/`next_page`), error bodies and `request-id` header.
// Shapes follow the public API reference (https://docs.anthropic.com/en/api/errors, /en/api/models-list,
// /en/api/admin-api/apikeys/list-api-keys, …/update-api-key, /en/api/admin-api/usage-cost/get-messages-usage-report)
// and the types of @anthropic-ai/sdk 1.17 (resources/organization/api-keys.d.ts, resources/beta/organization/
// analytics/usage.d.ts), which are generated from the API's own specification.
//
// The organisation is a small in-memory model a test arranges: its API keys (each made from a fake key, so the
// key's hint is real and a deactivated key really stops working on /v1/models), workspaces, users and hourly usage.
// Failures are injected per route (`failNext`): any HTTP status with its documented error body, a hang, a slow
// answer, a body that stalls half-way, a dropped connection.
//
// It depends on node:http (and the project's own key hint) only, because it also runs inside VS Code's
// extension host and as a standalone process (see the bottom of the file). It never stores a full key in what it
// records: every recorded request carries a hint in place of the credential.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { keyHint } from '../../src/core/hint';

/**
 * What the server does: answer with that HTTP status and its documented error body (200 = the route's real
 * answer), hang without answering, answer 200 with a truncated JSON body, drop the connection before any
 * response, answer after `slowMs` (default 1.5 s), or send the headers and half the body and then stall.
 */
export type Behaviour = 200 | 400 | 401 | 402 | 403 | 404 | 409 | 429 | 500 | 503 | 529 | 'hang' | 'malformed' | 'drop' | 'slow' | 'stall-body';

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/models`. */
  path: string;
  /** Query parameters; a repeated name keeps its last value (`group_by[]` too). */
  query: Record<string, string>;
  /** Lower-cased request headers; `x-api-key` and `authorization` hold hints, never the credential. */
  headers: Record<string, string>;
  /** The JSON body of a POST, parsed (the Admin API's update takes `{ name?, status? }`). */
  body?: unknown;
}

export type OrgKeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

/** One API key of the organisation, as the fake keeps it; `key` never leaves the server (only its hint does). */
export interface FakeOrgKey {
  id: string;
  /** The full key, so /v1/models answers for it by its status and the listed hint is the key's real hint. */
  key?: string;
  name: string;
  status: OrgKeyStatus;
  workspaceId: string | null;
  createdAt: string;
  createdBy: { id: string; type: 'user' | 'service_account' } | null;
  expiresAt: string | null;
}

export interface FakeUsage {
  apiKeyId: string | null;
  /** Start of the UTC hour, ISO 8601. */
  hour: string;
  uncachedInputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
}

export interface FakeOrganization {
  id: string;
  name: string;
  apiKeys: FakeOrgKey[];
  workspaces: Array<{ id: string; name: string }>;
  users: Array<{ id: string; name: string; email: string }>;
  usage: FakeUsage[];
  /** `GET /v1/organizations/analytics/usage` exists (newer API); false answers 404, as an API without it would. */
  servesAnalyticsUsage: boolean;
  /** `GET /v1/organizations/usage_report/messages` exists (the legacy report). */
  servesUsageReport: boolean;
}

export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`, to pass as the SDK's `baseURL`. */
  baseUrl: string;
  /** Every request received, in arrival order (including ones that were rejected, hung or dropped). */
  requests: RecordedRequest[];
  /** Behaviour per key; a key not in the map is answered by its organisation status, or as an unknown key (401). */
  behaviours: Map<string, Behaviour>;
  setBehaviour(key: string, behaviour: Behaviour): void;
  /** The organisation the Admin API routes serve. */
  organization: FakeOrganization;
  /** Adds an API key to the organisation; returns it (its id is generated when not given). */
  addOrgKey(key: Partial<FakeOrgKey> & { name: string }): FakeOrgKey;
  /** The next `times` requests whose `METHOD /path` matches `route` (`:id` matches one path segment) get `behaviour`. */
  failNext(route: string, behaviour: Behaviour, times?: number): void;
  /** Requests whose path starts with `/v1/organizations`. */
  adminRequests(): RecordedRequest[];
  /** Stops listening and destroys every open socket, so even a hanging request does not hold it open. */
  close(): Promise<void>;
}

export interface FakeAnthropicServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Behaviours to start with. */
  behaviours?: Iterable<[string, Behaviour]>;
  /** How long a 'slow' answer waits. Default 1500 ms. */
  slowMs?: number;
}

/** The header a browser's request must carry for the API to serve it (the SDK's `dangerouslyAllowBrowser`). */
export const BROWSER_ACCESS_HEADER = 'anthropic-dangerous-direct-browser-access';
/** `GET` here lists the requests recorded so far (hints only), for a test in a browser that cannot hold the server. */
export const CONTROL_REQUESTS_PATH = '/__fake/requests';

/** The error `type` the real API sends with each status (https://docs.anthropic.com/en/api/errors). */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<number, string> = {
  400: 'Invalid request',
  401: 'invalid x-api-key',
  402: 'Your credit balance is too low to access the Anthropic API.',
  403: 'Your API key does not have permission to use the specified resource.',
  404: 'Not found',
  409: 'Conflict',
  429: 'Number of requests has exceeded your rate limit. Please try again later.',
  500: 'Internal server error',
  503: 'Service unavailable',
  529: 'Overloaded',
};

/** A few models, newest first, as `GET /v1/models` lists them. */
const MODELS = [
  { type: 'model', id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-24T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
];

/** The beta header `GET /v1/organizations/analytics/usage` requires (@anthropic-ai/sdk 1.17 sends it). */
const ANALYTICS_BETA = 'analytics-usage-cost-2026-08-24';
const HOUR_MS = 60 * 60 * 1000;

/** The organisation every server starts with: one key with the hint the docs show, one workspace, one user. */
function defaultOrganization(): FakeOrganization {
  return {
    id: '12345678-1234-5678-1234-567812345678',
    name: 'Example Organization',
    apiKeys: [
      {
        id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
        name: 'Developer Key',
        status: 'active',
        workspaceId: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
        createdAt: '2025-06-01T12:00:00Z',
        createdBy: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', type: 'user' },
        expiresAt: null,
      },
    ],
    workspaces: [{ id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ', name: 'Default' }],
    users: [{ id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', name: 'Jane Doe', email: 'jane@example.com' }],
    usage: [],
    servesAnalyticsUsage: true,
    servesUsageReport: true,
  };
}

/** The hint the Console and the API show: three dots, where this project's own hints use an ellipsis. */
function partialKeyHint(key: FakeOrgKey): string | null {
  return key.key ? keyHint(key.key).replace('…', '...') : key.id === 'apikey_01Rj2N8SVvo6BePZj99NhmiT' ? 'sk-ant-api03-R2D...igAA' : null;
}

/** An API key as the Admin API returns it (@anthropic-ai/sdk 1.17, APIKey). */
function apiKeyBody(key: FakeOrgKey): object {
  return {
    type: 'api_key',
    id: key.id,
    name: key.name,
    created_at: key.createdAt,
    created_by: key.createdBy,
    expires_at: key.expiresAt,
    partial_key_hint: partialKeyHint(key),
    status: key.status,
    principal: null,
    scope: key.workspaceId ? { type: 'workspace', workspace_id: key.workspaceId } : { type: 'organization' },
  };
}

let idCounter = 0;
function newId(prefix: string): string {
  idCounter++;
  return `${prefix}_01${String(idCounter).padStart(4, '0')}Fake${Math.random().toString(36).slice(2, 12)}`;
}

function requestId(): string {
  let id = 'req_011C';
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';
  for (let i = 0; i < 20; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

function record(req: http.IncomingMessage, url: URL): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'x-api-key') headers[name] = keyHint(text);
    else if (name === 'authorization') headers[name] = text.replace(/^(\S+\s+)?(.*)$/s, (_m, scheme = '', cred: string) => scheme + keyHint(cred));
    else headers[name] = text;
  }
  return { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers };
}

function send(res: http.ServerResponse, status: number, body: unknown, id: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': id,
    // One connection per request keeps tests deterministic: no keep-alive socket reused after a drop.
    connection: 'close',
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string, id: string): void {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  if (status === 429) res.setHeader('retry-after', '30');
  send(res, status, { type: 'error', error: { type, message }, request_id: id }, id);
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** `limit` as the API validates it: an integer in [1, max], `fallback` when absent. */
function limitOf(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  const limit = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new BadRequest(`limit: Input should be between 1 and ${max}`);
  return limit;
}

/** A list page the way the Admin API paginates by id: `limit` (1–1000, default 20), `after_id` or `before_id`. */
function listPage<T extends { id: string }>(items: T[], query: URLSearchParams): object {
  const limit = limitOf(query, 20, 1000);
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  let data: T[];
  let hasMore: boolean;
  if (afterId !== null) {
    const at = items.findIndex((item) => item.id === afterId);
    if (at < 0) throw new BadRequest(`after_id: no object with id ${afterId}`);
    data = items.slice(at + 1, at + 1 + limit);
    hasMore = at + 1 + limit < items.length;
  } else if (beforeId !== null) {
    const at = items.findIndex((item) => item.id === beforeId);
    if (at < 0) throw new BadRequest(`before_id: no object with id ${beforeId}`);
    data = items.slice(Math.max(0, at - limit), at);
    hasMore = at - limit > 0;
  } else {
    data = items.slice(0, limit);
    hasMore = items.length > limit;
  }
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}

function parseTime(value: string | null, name: string): number {
  const time = value === null ? NaN : Date.parse(value);
  if (Number.isNaN(time)) throw new BadRequest(`${name}: Input should be a valid datetime`);
  return time;
}

function tokensOf(usage: FakeUsage) {
  return {
    uncached_input_tokens: usage.uncachedInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: usage.cacheCreationInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    server_tool_use: { web_search_requests: 0 },
  };
}

/** Usage rows inside [start, end), summed per (hour, api key). */
function usageBetween(organization: FakeOrganization, start: number, end: number): Map<number, Map<string | null, FakeUsage>> {
  const byHour = new Map<number, Map<string | null, FakeUsage>>();
  for (const usage of organization.usage) {
    const hour = Date.parse(usage.hour);
    if (hour < start || hour >= end) continue;
    const rows = byHour.get(hour) ?? new Map<string | null, FakeUsage>();
    const sum = rows.get(usage.apiKeyId) ?? { apiKeyId: usage.apiKeyId, hour: usage.hour, uncachedInputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    sum.uncachedInputTokens += usage.uncachedInputTokens;
    sum.outputTokens += usage.outputTokens;
    sum.cacheReadInputTokens! += usage.cacheReadInputTokens ?? 0;
    sum.cacheCreationInputTokens! += usage.cacheCreationInputTokens ?? 0;
    rows.set(usage.apiKeyId, sum);
    byHour.set(hour, rows);
  }
  return byHour;
}

const pageToken = (offset: number) => `page_${Buffer.from(String(offset)).toString('base64')}`;
function pageOffset(query: URLSearchParams): number {
  const page = query.get('page');
  if (page === null) return 0;
  const offset = Number(Buffer.from(page.replace(/^page_/, ''), 'base64').toString());
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequest('page: invalid page token');
  return offset;
}

/** `GET /v1/organizations/usage_report/messages`: hourly buckets (`bucket_width=1h`), each with its `results`. */
function usageReport(organization: FakeOrganization, query: URLSearchParams): object {
  const start = Math.floor(parseTime(query.get('starting_at'), 'starting_at') / HOUR_MS) * HOUR_MS;
  const width = query.get('bucket_width') ?? '1d';
  if (width !== '1h') throw new BadRequest('bucket_width: this fake serves 1h buckets only');
  const limit = limitOf(query, 24, 168);
  const end = query.get('ending_at') === null ? start + limit * HOUR_MS : parseTime(query.get('ending_at'), 'ending_at');
  const grouped = query.getAll('group_by[]').includes('api_key_id');
  const offset = pageOffset(query);
  const byHour = usageBetween(organization, start, end);
  const buckets: object[] = [];
  const first = start + offset * HOUR_MS;
  let hour = first;
  for (; hour < end && buckets.length < limit; hour += HOUR_MS) {
    const rows = [...(byHour.get(hour)?.values() ?? [])];
    const results = grouped
      ? rows.map((row) => ({ ...tokensOf(row), api_key_id: row.apiKeyId, workspace_id: null, model: null, service_tier: null, context_window: null }))
      : rows.length === 0
        ? []
        : [{ ...tokensOf(rows.reduce((a, b) => ({ ...a, uncachedInputTokens: a.uncachedInputTokens + b.uncachedInputTokens, outputTokens: a.outputTokens + b.outputTokens }))), api_key_id: null }];
    buckets.push({ starting_at: new Date(hour).toISOString(), ending_at: new Date(hour + HOUR_MS).toISOString(), results });
  }
  const hasMore = hour < end;
  return { data: buckets, has_more: hasMore, next_page: hasMore ? pageToken(offset + buckets.length) : null };
}

/** `GET /v1/organizations/analytics/usage`: one row per (hour, api key) that has usage, paged by rows. */
function analyticsUsage(organization: FakeOrganization, query: URLSearchParams): object {
  const start = Math.floor(parseTime(query.get('starting_at'), 'starting_at') / HOUR_MS) * HOUR_MS;
  const width = query.get('time_bucket_width');
  if (width !== null && width !== '1h') throw new BadRequest('time_bucket_width: this fake serves 1h buckets only');
  if (width !== null && query.get('ending_at') === null) throw new BadRequest('ending_at: required when time_bucket_width is set');
  const end = query.get('ending_at') === null ? start + 31 * 24 * HOUR_MS : parseTime(query.get('ending_at'), 'ending_at');
  const limit = limitOf(query, 100, 1000);
  const offset = pageOffset(query);
  const rows: object[] = [];
  const byHour = usageBetween(organization, start, end);
  for (const hour of [...byHour.keys()].sort((a, b) => a - b)) {
    for (const row of byHour.get(hour)!.values()) {
      const tokens = tokensOf(row);
      const total = tokens.uncached_input_tokens + tokens.cache_read_input_tokens + tokens.cache_creation.ephemeral_5m_input_tokens + tokens.output_tokens;
      rows.push({
        starting_at: new Date(hour).toISOString(),
        ending_at: new Date(hour + HOUR_MS).toISOString(),
        group: { api_key_id: query.getAll('group_by[]').includes('api_key_id') ? row.apiKeyId : null },
        usage: { ...tokens, total_tokens: total, requests: 1 },
      });
    }
  }
  const data = rows.slice(offset, offset + limit);
  const hasMore = offset + limit < rows.length;
  return { data, has_more: hasMore, next_page: hasMore ? pageToken(offset + limit) : null, data_refreshed_at: new Date().toISOString() };
}

/** Matches `METHOD /path` against a route with `:id` segments. */
function routeMatches(route: string, method: string, path: string): boolean {
  const [routeMethod, routePath] = route.split(' ');
  if (routeMethod !== method) return false;
  const want = routePath.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, i) => segment.startsWith(':') || segment === got[i]);
}

export function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  const requests: RecordedRequest[] = [];
  const behaviours = new Map<string, Behaviour>(options.behaviours ?? []);
  const sockets = new Set<Socket>();
  const organization = defaultOrganization();
  const failures: Array<{ route: string; behaviour: Behaviour; remaining: number }> = [];
  const slowMs = options.slowMs ?? 1500;

  /** What the server does for this request: an injected failure first, then the key's own behaviour. */
  const behaviourFor = (key: string, method: string, path: string): Behaviour => {
    const failure = failures.find((entry) => entry.remaining > 0 && routeMatches(entry.route, method, path));
    if (failure) {
      failure.remaining--;
      return failure.behaviour;
    }
    const explicit = behaviours.get(key);
    const orgKey = organization.apiKeys.find((candidate) => candidate.key === key);
    // A key the organisation deactivated, archived or let expire is refused whatever it was set to do.
    if (orgKey && orgKey.status !== 'active') return 401;
    return explicit ?? (orgKey ? 200 : 401);
  };

  const route = (method: string, url: URL, body: unknown): { status: number; body: object } => {
    const path = url.pathname;
    const query = url.searchParams;
    if (method === 'GET' && path === '/v1/models') return { status: 200, body: listPage(MODELS, query) };
    if (method === 'GET' && path === '/v1/organizations/me') return { status: 200, body: { id: organization.id, type: 'organization', name: organization.name } };
    if (method === 'GET' && path === '/v1/organizations/api_keys') {
      let keys = organization.apiKeys;
      for (const [param, field] of [['status', 'status'], ['workspace_id', 'workspaceId']] as const) {
        const wanted = query.get(param);
        if (wanted !== null) keys = keys.filter((key) => key[field] === wanted);
      }
      const page = listPage(keys, query) as { data: FakeOrgKey[] };
      return { status: 200, body: { ...page, data: page.data.map(apiKeyBody) } };
    }
    if (method === 'GET' && path === '/v1/organizations/workspaces') {
      const page = listPage(organization.workspaces, query) as { data: Array<{ id: string; name: string }> };
      return {
        status: 200,
        body: { ...page, data: page.data.map((w) => ({ type: 'workspace', id: w.id, name: w.name, created_at: '2025-01-01T00:00:00Z', archived_at: null, display_color: '#6C5BB9' })) },
      };
    }
    if (method === 'GET' && path === '/v1/organizations/users') {
      const page = listPage(organization.users, query) as { data: Array<{ id: string; name: string; email: string }> };
      return { status: 200, body: { ...page, data: page.data.map((u) => ({ type: 'user', id: u.id, name: u.name, email: u.email, role: 'developer', added_at: '2025-01-01T00:00:00Z' })) } };
    }
    const keyRoute = /^\/v1\/organizations\/api_keys\/([^/]+)$/.exec(path);
    if (keyRoute) {
      const key = organization.apiKeys.find((candidate) => candidate.id === decodeURIComponent(keyRoute[1]));
      if (!key) throw new BadRequest(`API key ${keyRoute[1]} not found`, 404);
      if (method === 'GET') return { status: 200, body: apiKeyBody(key) };
      if (method === 'POST') {
        const { name, status } = (body ?? {}) as { name?: unknown; status?: unknown };
        if (status !== undefined && status !== null && status !== 'active' && status !== 'inactive' && status !== 'archived') {
          throw new BadRequest(`status: Input should be 'active', 'inactive' or 'archived'`);
        }
        if (key.status === 'archived') throw new BadRequest('Archived API keys cannot be modified');
        if (typeof name === 'string') key.name = name;
        if (typeof status === 'string') key.status = status as OrgKeyStatus;
        return { status: 200, body: apiKeyBody(key) };
      }
    }
    if (method === 'GET' && path === '/v1/organizations/usage_report/messages' && organization.servesUsageReport) return { status: 200, body: usageReport(organization, query) };
    if (method === 'GET' && path === '/v1/organizations/analytics/usage' && organization.servesAnalyticsUsage) return { status: 200, body: analyticsUsage(organization, query) };
    throw new BadRequest(`${method} ${path} not found`, 404);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // A browser's request (the extension's web build, in a web worker) crosses origins: the API answers with CORS
    // headers, so the page may read the answer and its request-id.
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'request-id');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'GET' && url.pathname === CONTROL_REQUESTS_PATH) {
      // For tests that run in a browser and cannot hold this object: what the server saw, hints only.
      send(res, 200, { requests }, requestId());
      return;
    }
    const recorded = record(req, url);
    requests.push(recorded);
    if (req.method === 'OPTIONS' && origin) {
      // The preflight of a request with the API's own headers (x-api-key, anthropic-version, …).
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        recorded.body = body;
      }
      answer(req, res, url, body);
    });
  });

  const answer = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: unknown) => {
    const id = requestId();
    // The real API authenticates first, then checks the version header.
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') {
      sendError(res, 401, 'x-api-key header is required', id);
      return;
    }
    if (!req.headers['anthropic-version']) {
      sendError(res, 400, 'anthropic-version: header is required', id);
      return;
    }
    // The API serves a browser only when the request says it knows the key is exposed there (the SDK's
    // dangerouslyAllowBrowser sends this header); otherwise it refuses the CORS request.
    if (req.headers.origin && req.headers[BROWSER_ACCESS_HEADER] !== 'true') {
      sendError(res, 401, `CORS requests must set '${BROWSER_ACCESS_HEADER}' header`, id);
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname === '/v1/organizations/analytics/usage' && organization.servesAnalyticsUsage && !String(req.headers['anthropic-beta'] ?? '').includes(ANALYTICS_BETA)) {
      sendError(res, 400, `anthropic-beta: ${ANALYTICS_BETA} is required`, id);
      return;
    }

    const behaviour = behaviourFor(key, method, url.pathname);
    const respond = () => {
      try {
        const { status, body: responseBody } = route(method, url, body);
        send(res, status, responseBody, id);
      } catch (error) {
        if (error instanceof BadRequest) sendError(res, error.status, error.message, id);
        else sendError(res, 500, 'Internal server error', id);
      }
    };
    switch (behaviour) {
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'drop':
        req.socket.destroy();
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': id, connection: 'close' });
        res.end('{"data":[{"type":"model","id":"claude-');
        return;
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': id, connection: 'close' });
        res.write('{"data":[');
        return; // the rest never comes
      case 'slow':
        setTimeout(respond, slowMs);
        return;
      case 200:
        respond();
        return;
      default:
        sendError(res, behaviour, ERROR_MESSAGES[behaviour] ?? 'Error', id);
        return;
    }
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        behaviours,
        setBehaviour: (key, behaviour) => void behaviours.set(key, behaviour),
        organization,
        addOrgKey: (key) => {
          const added: FakeOrgKey = {
            id: key.id ?? newId('apikey'),
            name: key.name,
            status: key.status ?? 'active',
            workspaceId: key.workspaceId === undefined ? (organization.workspaces[0]?.id ?? null) : key.workspaceId,
            createdAt: key.createdAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            createdBy: key.createdBy === undefined ? { id: organization.users[0]?.id ?? 'user_01Unknown', type: 'user' } : key.createdBy,
            expiresAt: key.expiresAt ?? null,
            ...(key.key ? { key: key.key } : {}),
          };
          organization.apiKeys.push(added);
          return added;
        },
        failNext: (routeText, behaviour, times = 1) => void failures.push({ route: routeText, behaviour, remaining: times }),
        adminRequests: () => requests.filter((request) => request.path.startsWith('/v1/organizations')),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

// Standalone: `node out/test/support/fakeAnthropicServer.js [port]` prints `{"baseUrl":…}` on one line
// and serves until stdin closes or a signal arrives. Behaviours come as JSON lines on stdin,
// `{"key":"…","behaviour":200}`, so keys never appear on a command line.
if (require.main === module) {
  void startFakeAnthropicServer({ port: Number(process.argv[2] ?? 0) }).then((fake) => {
    process.stdout.write(JSON.stringify({ baseUrl: fake.baseUrl }) + '\n');
    let pending = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const { key, behaviour } = JSON.parse(line) as { key: string; behaviour: Behaviour };
          fake.setBehaviour(key, behaviour);
          process.stdout.write(JSON.stringify({ ok: true, key: keyHint(key), behaviour }) + '\n');
        } catch {
          process.stdout.write(JSON.stringify({ ok: false }) + '\n');
        }
      }
    });
    const stop = () => void fake.close().then(() => process.exit(0));
    process.stdin.on('end', stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
