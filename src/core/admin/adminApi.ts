// The Admin API client: the organisation's API keys (list, read, change status), workspaces, users, and per-key
// usage. With src/core/verify.ts, the only module that reaches the network (test/unit/networkBoundary.test.ts
// holds both to it), and only when a caller asks: nothing here runs at load time, and the SDK is imported on the
// first request.
//
// Decisions:
// - Every request goes through @anthropic-ai/sdk: the typed organisation client where it has the route
//   (`client.organization` for me, api_keys, workspaces, users: the same routes as `client.beta.organization`,
//   without the beta qualifier; `client.beta.organization.analytics.usage` for the usage analytics), and the
//   SDK's own `client.get()` for the legacy messages usage report, which 1.17 has no method for. So one base
//   URL, one set of headers (`x-api-key`, `anthropic-version`), one timeout and one error mapping for all of them,
//   and no `fetch` of our own.
// - Configured like verify.ts: the Admin key is the only credential (nothing read from the environment), the base
//   URL is explicit and checked first (https, or plain http to loopback only), no retries (one call = one
//   request, which the tests count), no redirects followed (they would re-send the key), logging and tracing off.
// - A deadline per request aborts it, body included (the SDK's own timeout covers the wait for headers only).
// - Results are plain records; every text that reaches a message is scrubbed of any `sk-ant-` token and bounded.
//   A change (POST) that failed without an answer has an unknown outcome, and says so: the caller re-reads.
import { checkBaseUrl, cleanRequestId, connectionCause, DEFAULT_BASE_URL, DEFAULT_VERIFY_TIMEOUT_MS, errorText, requestIdSentence, scrubSecrets, seconds, truncate } from '../verify';
import {
  parseAnalyticsUsagePage,
  parseApiKey,
  parseOrganization,
  parseUsageReportPage,
  parseUser,
  parseWorkspace,
  type OrgApiKey,
  type OrganizationInfo,
  type OrgUser,
  type OrgWorkspace,
  type SettableStatus,
  type UsagePoint,
} from './records';

export type AdminFailureKind =
  /** The base URL was refused before anything was sent. */
  | 'refused'
  /** 401: the Admin key is wrong, revoked or expired (or is not an Admin key). */
  | 'invalid-key'
  /** 403: the key may not do this. */
  | 'no-permission'
  | 'not-found'
  /** 400 or 409: the API refused the request as such (an archived key cannot change, say). */
  | 'rejected'
  | 'billing'
  | 'rate-limited'
  | 'server-error'
  | 'overloaded'
  /** No answer: refused connection, dropped, timed out. */
  | 'unreachable'
  /** An answer that is not what this route returns. */
  | 'unexpected';

export interface AdminFailure {
  ok: false;
  kind: AdminFailureKind;
  httpStatus?: number;
  requestId?: string;
  host: string;
  /** One or two sentences; never holds a key. */
  message: string;
  /** A change was sent but no answer says whether it happened: read the record again before going on. */
  outcomeUnknown?: boolean;
}

export type AdminResult<T> = { ok: true; value: T } | AdminFailure;

export interface AdminApiOptions {
  /** Default https://api.anthropic.com. Never read from ANTHROPIC_BASE_URL. */
  baseUrl?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Paging stops with an error after this many pages of one list (default 50: 5,000 keys at 100 a page). */
  maxPages?: number;
}

export type UsageSource = 'analytics' | 'usage-report';

export interface UsageRead {
  points: UsagePoint[];
  /** Which endpoint answered: the usage analytics, or the legacy messages usage report. */
  source: UsageSource;
}

export interface AdminApi {
  /** `host[:port]` requests go to. */
  readonly host: string;
  organization(): Promise<AdminResult<OrganizationInfo>>;
  /** Every API key of the organisation, all pages. */
  listApiKeys(): Promise<AdminResult<OrgApiKey[]>>;
  getApiKey(id: string): Promise<AdminResult<OrgApiKey>>;
  /** Sets the status and checks that the answer says it is set. */
  setApiKeyStatus(id: string, status: SettableStatus): Promise<AdminResult<OrgApiKey>>;
  listWorkspaces(): Promise<AdminResult<OrgWorkspace[]>>;
  listUsers(): Promise<AdminResult<OrgUser[]>>;
  /** Hourly token usage per API key in [start, end): the usage analytics where the API serves them, else the legacy report. */
  readUsage(start: Date, end: Date): Promise<AdminResult<UsageRead>>;
}

const PAGE_SIZE = 100;
/** Hourly buckets per page of the legacy report (its maximum for `1h`). */
const REPORT_HOURS_PER_PAGE = 168;
const ANALYTICS_ROWS_PER_PAGE = 1000;

type Sdk = typeof import('@anthropic-ai/sdk');
type Client = InstanceType<Sdk['Anthropic']>;
interface RequestOptions {
  headers: Record<string, string | null>;
  signal: AbortSignal;
}

/** A failure raised inside a request, carried out of it as a result. */
class Failure extends Error {
  constructor(readonly failure: AdminFailure) {
    super(failure.message);
  }
}

export function createAdminApi(adminKey: string, options: AdminApiOptions = {}): AdminApi {
  const scrub = (text: string) => scrubSecrets(text, adminKey);
  const timeoutMs =
    options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? Math.max(1, Math.round(options.timeoutMs)) : DEFAULT_VERIFY_TIMEOUT_MS;
  const maxPages = options.maxPages ?? 50;
  const checked = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, 'Admin key', scrub);
  const host = checked.host;
  let loaded: Promise<{ sdk: Sdk; client: Client }> | undefined;

  const fail = (kind: AdminFailureKind, message: string, extra: Partial<AdminFailure> = {}): AdminFailure => ({ ok: false, kind, host, message, ...extra });

  /** The SDK and a client for this key, loaded on the first request only. */
  const clientOf = () => {
    loaded ??= import('@anthropic-ai/sdk').then((sdk) => ({
      sdk,
      client: new sdk.Anthropic({
        // The Admin key is the client's only credential: ANTHROPIC_API_KEY, _AUTH_TOKEN and profiles are not read.
        apiKey: adminKey,
        authToken: null,
        baseURL: checked.ok ? checked.base.href : undefined,
        maxRetries: 0,
        timeout: timeoutMs,
        logLevel: 'off',
        openTelemetry: false,
        // A redirect would re-send the x-api-key header to wherever it points: answer with the 3xx instead.
        fetchOptions: { redirect: 'manual' },
      }),
    }));
    return loaded;
  };

  /**
   * Runs one request with a deadline and maps what went wrong to a failure. `what` completes "could not …" in
   * messages; `change` marks a request whose outcome is unknown when no answer came.
   */
  async function request<T>(what: string, run: (client: Client, requestOptions: RequestOptions) => Promise<T>, change = false): Promise<T> {
    if (!checked.ok) throw new Failure(fail('refused', checked.message));
    let sdk: Sdk;
    let client: Client;
    try {
      ({ sdk, client } = await clientOf());
    } catch (err) {
      loaded = undefined;
      throw new Failure(fail('unexpected', `Could not ${what}: the Anthropic SDK could not be loaded (${scrub(errorText(err))}).`));
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // The SDK sends `apiKey` as `Authorization: Bearer`; the Admin API documents `x-api-key`: send it that way, once.
    const requestOptions: RequestOptions = { headers: { 'x-api-key': adminKey, authorization: null }, signal: controller.signal };
    const unknownOutcome = change ? ' The change may or may not have been made: the key is read again to find out.' : '';
    try {
      return await run(client, requestOptions);
    } catch (err) {
      if (err instanceof Failure) throw err;
      if (timedOut || err instanceof sdk.APIConnectionTimeoutError) {
        throw new Failure(fail('unreachable', `Could not ${what}: ${host} did not answer within ${seconds(timeoutMs)}.${unknownOutcome}`, change ? { outcomeUnknown: true } : {}));
      }
      if (err instanceof sdk.APIConnectionError) {
        throw new Failure(fail('unreachable', `Could not ${what}: could not reach ${host} (${scrub(connectionCause(err))}).${unknownOutcome}`, change ? { outcomeUnknown: true } : {}));
      }
      if (err instanceof sdk.APIError && typeof err.status === 'number') throw new Failure(statusFailure(err, what, change));
      throw new Failure(fail('unexpected', `Could not ${what}: ${scrub(errorText(err))}.${unknownOutcome}`, change ? { outcomeUnknown: true } : {}));
    } finally {
      clearTimeout(timer);
    }
  }

  function statusFailure(err: InstanceType<Sdk['APIError']>, what: string, change: boolean): AdminFailure {
    const httpStatus = err.status as number;
    const body = err.error as { request_id?: unknown; error?: { type?: unknown; message?: unknown } } | undefined;
    const requestId = cleanRequestId(err.requestID ?? (typeof body?.request_id === 'string' ? body.request_id : undefined), scrub);
    const type = typeof body?.error?.type === 'string' ? scrub(body.error.type) : undefined;
    const said = typeof body?.error?.message === 'string' ? truncate(scrub(body.error.message).trim().replace(/\.+$/, ''), 200) : '';
    const label = type ? `HTTP ${httpStatus}, ${type}` : `HTTP ${httpStatus}`;
    const tail = `${said ? ` The API said: "${said}".` : ''}${requestIdSentence(requestId)}`;
    const result = (kind: AdminFailureKind, sentence: string, outcomeUnknown = false): AdminFailure => ({
      ok: false,
      kind,
      host,
      httpStatus,
      message: sentence + tail,
      ...(requestId ? { requestId } : {}),
      ...(outcomeUnknown ? { outcomeUnknown } : {}),
    });
    switch (httpStatus) {
      case 400:
      case 409:
        return result('rejected', `Could not ${what}: ${host} refused the request (${label}).`);
      case 401:
        return result('invalid-key', `Could not ${what}: ${host} rejected the Admin key (${label}); it is malformed, revoked or expired, or not an Admin key.`);
      case 402:
        return result('billing', `Could not ${what}: the organization has a billing problem (${label}).`);
      case 403:
        return result('no-permission', `Could not ${what}: the Admin key is not allowed to (${label}).`);
      case 404:
        return result('not-found', `Could not ${what}: ${host} answered "not found" (${label}).`);
      case 429: {
        const retryAfter = Number(err.headers?.get('retry-after'));
        const when = Number.isFinite(retryAfter) && retryAfter > 0 ? `in ${Math.ceil(retryAfter)} s` : 'later';
        return result('rate-limited', `Could not ${what}: ${host} rate-limited the request (${label}). Try again ${when}.`);
      }
      case 529:
        return result('overloaded', `Could not ${what}: ${host} is overloaded (${label}). Try again later.${change ? ' The change may or may not have been made.' : ''}`, change);
    }
    if (httpStatus >= 500 && httpStatus <= 599) {
      return result('server-error', `Could not ${what}: ${host} had a server error (${label}). Try again later.${change ? ' The change may or may not have been made.' : ''}`, change);
    }
    if (httpStatus >= 300 && httpStatus <= 399) {
      return result('unexpected', `Could not ${what}: ${host} answered with a redirect (${label}), which is not followed, so the Admin key was not sent on. Point the base URL at the final address.`);
    }
    return result('unexpected', `Could not ${what}: ${host} answered ${label}, which this request does not expect.`);
  }

  /** Runs `body`, turning a Failure thrown anywhere in it into the failed result. */
  async function attempt<T>(body: () => Promise<T>): Promise<AdminResult<T>> {
    try {
      return { ok: true, value: await body() };
    } catch (err) {
      if (err instanceof Failure) return err.failure;
      return fail('unexpected', `The request to ${host} failed: ${scrub(errorText(err))}.`);
    }
  }

  const shapeFailure = (what: string, expected: string) =>
    new Failure(fail('unexpected', `Could not ${what}: ${host} did not answer with ${expected}. Is the base URL an Anthropic API?`));

  /**
   * Every page of an id-paged Admin list (`limit`, `after_id`, `has_more`, `last_id`), each item parsed. Stops with
   * an error when paging does not advance or runs past `maxPages`, rather than looping or returning part of the list.
   */
  async function allPages<T>(
    what: string,
    expected: string,
    fetchPage: (client: Client, query: { limit: number; after_id?: string }, requestOptions: RequestOptions) => Promise<{ data: unknown[]; has_more: boolean; last_id: string | null }>,
    parse: (item: unknown) => T | undefined,
  ): Promise<T[]> {
    const items: T[] = [];
    let afterId: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= maxPages) throw new Failure(fail('unexpected', `Could not ${what}: the list went on for more than ${maxPages} pages of ${PAGE_SIZE}; stopped there rather than show part of it.`));
      const query = { limit: PAGE_SIZE, ...(afterId ? { after_id: afterId } : {}) };
      const listed = await request(what, (client, requestOptions) => fetchPage(client, query, requestOptions));
      if (!Array.isArray(listed.data)) throw shapeFailure(what, expected);
      for (const raw of listed.data) {
        const item = parse(raw);
        if (item === undefined) throw shapeFailure(what, expected);
        items.push(item);
      }
      if (!listed.has_more) return items;
      const next = listed.last_id ?? undefined;
      if (!next || next === afterId || listed.data.length === 0) throw new Failure(fail('unexpected', `Could not ${what}: ${host} said there were more pages but gave no way to the next one.`));
      afterId = next;
    }
  }

  async function readUsageFrom(source: UsageSource, start: Date, end: Date): Promise<UsagePoint[]> {
    const what = 'read the usage report';
    const points: UsagePoint[] = [];
    let page: string | undefined;
    for (let count = 0; ; count++) {
      if (count >= maxPages) throw new Failure(fail('unexpected', `Could not ${what}: it went on for more than ${maxPages} pages.`));
      const body = await request(what, async (client, requestOptions) => {
        if (source === 'analytics') {
          const listed = await client.beta.organization.analytics.usage.list(
            {
              starting_at: start.toISOString(),
              ending_at: end.toISOString(),
              group_by: ['api_key_id'],
              time_bucket_width: '1h',
              order_by: 'time',
              order: 'asc',
              limit: ANALYTICS_ROWS_PER_PAGE,
              ...(page ? { page } : {}),
            },
            requestOptions,
          );
          return { data: listed.data, has_more: listed.has_more, next_page: listed.next_page };
        }
        return client.get<unknown>('/v1/organizations/usage_report/messages', {
          query: {
            starting_at: start.toISOString(),
            ending_at: end.toISOString(),
            bucket_width: '1h',
            group_by: ['api_key_id'],
            limit: REPORT_HOURS_PER_PAGE,
            ...(page ? { page } : {}),
          },
          ...requestOptions,
        });
      });
      const parsed = source === 'analytics' ? parseAnalyticsUsagePage(body) : parseUsageReportPage(body);
      if (!parsed) throw shapeFailure(what, 'a usage report');
      points.push(...parsed.points);
      if (!parsed.hasMore) return points;
      if (!parsed.nextPage || parsed.nextPage === page) throw new Failure(fail('unexpected', `Could not ${what}: ${host} said there were more pages but gave no way to the next one.`));
      page = parsed.nextPage;
    }
  }

  return {
    host,
    organization: () =>
      attempt(async () => {
        const what = 'read the organization';
        const body = await request(what, (client, requestOptions) => client.organization.retrieve(requestOptions));
        const parsed = parseOrganization(body);
        if (!parsed) throw shapeFailure(what, 'an organization');
        return parsed;
      }),
    listApiKeys: () =>
      attempt(() =>
        allPages(
          "list the organization's API keys",
          'an API key list',
          async (client, query, requestOptions) => {
            const page = await client.organization.apiKeys.list(query, requestOptions);
            return { data: page.data as unknown[], has_more: page.has_more, last_id: page.last_id };
          },
          parseApiKey,
        ),
      ),
    getApiKey: (id) =>
      attempt(async () => {
        const what = `read the API key ${truncate(scrub(id), 60)}`;
        const body = await request(what, (client, requestOptions) => client.organization.apiKeys.retrieve(id, requestOptions));
        const parsed = parseApiKey(body);
        if (!parsed || parsed.id !== id) throw shapeFailure(what, 'that API key');
        return parsed;
      }),
    setApiKeyStatus: (id, status) =>
      attempt(async () => {
        const what = `set the API key ${truncate(scrub(id), 60)} to ${status}`;
        const body = await request(what, (client, requestOptions) => client.organization.apiKeys.update(id, { status }, requestOptions), true);
        const parsed = parseApiKey(body);
        if (!parsed || parsed.id !== id) throw shapeFailure(what, 'the changed API key');
        // The answer is the record after the change: it must say the change is made.
        if (parsed.status !== status) {
          throw new Failure(fail('unexpected', `Could not ${what}: ${host} answered, but the key's status is ${parsed.status}.`));
        }
        return parsed;
      }),
    listWorkspaces: () =>
      attempt(() =>
        allPages(
          'list the workspaces',
          'a workspace list',
          async (client, query, requestOptions) => {
            const page = await client.organization.workspaces.list(query, requestOptions);
            return { data: page.data as unknown[], has_more: page.has_more, last_id: page.last_id };
          },
          parseWorkspace,
        ),
      ),
    listUsers: () =>
      attempt(() =>
        allPages(
          "list the organization's users",
          'a user list',
          async (client, query, requestOptions) => {
            const page = await client.organization.users.list(query, requestOptions);
            return { data: page.data as unknown[], has_more: page.has_more, last_id: page.last_id };
          },
          parseUser,
        ),
      ),
    readUsage: (start, end) =>
      attempt(async () => {
        // The analytics are the documented successor; an API without them answers 404, and the legacy report serves.
        try {
          return { points: await readUsageFrom('analytics', start, end), source: 'analytics' as const };
        } catch (err) {
          if (!(err instanceof Failure) || err.failure.kind !== 'not-found') throw err;
        }
        return { points: await readUsageFrom('usage-report', start, end), source: 'usage-report' as const };
      }),
  };
}
