// The Admin API client against the fake Admin API on 127.0.0.1 (test/support/fakeAnthropicServer.ts): paging with
// after_id / has_more, every error status with its documented body, slow, stalled and dropped answers, the usage
// endpoints, and a request count for each call. Nothing here may ever hold the Admin key.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApi, type AdminResult } from '../../../../src/core/admin/adminApi';
import { keyHint } from '../../../../src/core/hint';
import { startFakeAnthropicServer, type Behaviour, type FakeAnthropicServer } from '../../../support/fakeAnthropicServer';
import { fakeKey } from '../../../support/fakeKeys';

const HOUR = 60 * 60 * 1000;

function assertKeyFree(result: unknown, key: string): void {
  assert.ok(!JSON.stringify(result).includes(key), `the result for ${keyHint(key)} contains the key`);
}

function failed<T>(result: AdminResult<T>): Extract<AdminResult<T>, { ok: false }> {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result).slice(0, 300)}`);
  return result as Extract<AdminResult<T>, { ok: false }>;
}

function succeeded<T>(result: AdminResult<T>): T {
  assert.ok(result.ok, `expected success, got: ${result.ok ? '' : result.message}`);
  return result.value;
}

/** A one-route server for answers the fake would never give (a paging loop, an error that echoes the key). */
async function rawServer(handler: http.RequestListener): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('Admin API client (src/core/admin/adminApi.ts) against the fake Admin API', () => {
  let fake: FakeAnthropicServer;
  let seed = 5000;
  const adminKey = () => {
    const key = fakeKey(seed++, 'admin');
    fake.setBehaviour(key, 200);
    return key;
  };

  beforeEach(async () => {
    fake = await startFakeAnthropicServer({ slowMs: 800 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('lists every key across pages with after_id, 100 a page, and reads each record as the API sends it', async () => {
    const key = adminKey();
    const made = Array.from({ length: 249 }, (_, i) => fake.addOrgKey({ name: `key ${i}`, key: fakeKey(9000 + i), status: i % 3 === 0 ? 'inactive' : 'active' }));
    const keys = succeeded(await createAdminApi(key, { baseUrl: fake.baseUrl }).listApiKeys());
    assert.equal(keys.length, 250, 'the default key and the 249 added');
    assert.deepEqual(
      fake.requests.map((request) => [request.path, request.query.limit, request.query.after_id]),
      [
        ['/v1/organizations/api_keys', '100', undefined],
        ['/v1/organizations/api_keys', '100', made[98].id],
        ['/v1/organizations/api_keys', '100', made[198].id],
      ],
      'three pages, each after the last id of the one before',
    );
    const first = keys.find((record) => record.id === made[0].id)!;
    assert.deepEqual(first, {
      id: made[0].id,
      name: 'key 0',
      status: 'inactive',
      workspaceId: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
      createdAt: made[0].createdAt,
      createdBy: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', type: 'user' },
      hint: keyHint(fakeKey(9000)),
    });
    assert.equal(keys[0].hint, 'sk-ant-api03-R2D…igAA', "the API's three dots become this product's ellipsis");
    assert.equal(fake.requests[0].headers['x-api-key'], keyHint(key), 'the Admin key travels in x-api-key');
    assert.equal(fake.requests[0].headers.authorization, undefined, 'and nowhere else');
    assert.ok(fake.requests[0].headers['anthropic-version']);
  });

  const statuses: Array<{ behaviour: Behaviour; kind: string; words: RegExp }> = [
    { behaviour: 400, kind: 'rejected', words: /refused the request \(HTTP 400, invalid_request_error\)/ },
    { behaviour: 401, kind: 'invalid-key', words: /rejected the Admin key \(HTTP 401, authentication_error\)/ },
    { behaviour: 403, kind: 'no-permission', words: /not allowed to \(HTTP 403, permission_error\)/ },
    { behaviour: 404, kind: 'not-found', words: /answered "not found" \(HTTP 404/ },
    { behaviour: 429, kind: 'rate-limited', words: /rate-limited the request .*Try again in 30 s/ },
    { behaviour: 500, kind: 'server-error', words: /server error \(HTTP 500, api_error\)/ },
    { behaviour: 503, kind: 'server-error', words: /server error \(HTTP 503/ },
    { behaviour: 529, kind: 'overloaded', words: /overloaded \(HTTP 529, overloaded_error\)/ },
  ];
  for (const { behaviour, kind, words } of statuses) {
    it(`says ${kind} for an HTTP ${behaviour} to the key list, with the request id, after one request`, async () => {
      const key = adminKey();
      fake.failNext('GET /v1/organizations/api_keys', behaviour);
      const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).listApiKeys());
      assert.equal(failure.kind, kind);
      assert.equal(failure.httpStatus, behaviour);
      assert.match(failure.message, /^Could not list the organization's API keys: /);
      assert.match(failure.message, words);
      assert.match(failure.requestId ?? '', /^req_/);
      assert.ok(failure.message.includes(failure.requestId!), 'the message carries the request id');
      assert.equal(fake.requests.length, 1, 'one request, no retries');
      assertKeyFree(failure, key);
    });
  }

  it('fails the whole list, not part of it, when the second page fails', async () => {
    const key = adminKey();
    for (let i = 0; i < 150; i++) fake.addOrgKey({ name: `k${i}` });
    fake.failNext('GET /v1/organizations/api_keys', 200);
    fake.failNext('GET /v1/organizations/api_keys', 500);
    const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).listApiKeys());
    assert.equal(failure.kind, 'server-error');
    assert.equal(fake.requests.length, 2);
  });

  for (const behaviour of ['slow', 'hang', 'stall-body'] as const) {
    it(`gives up on a ${behaviour} answer at the deadline and says the API did not answer`, async () => {
      const key = adminKey();
      fake.failNext('GET /v1/organizations/api_keys', behaviour);
      const started = Date.now();
      const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl, timeoutMs: 300 }).listApiKeys());
      assert.equal(failure.kind, 'unreachable');
      assert.match(failure.message, /did not answer within 300 ms/);
      assert.ok(Date.now() - started < 3000, 'the deadline holds, body included');
      assert.equal(fake.requests.length, 1);
    });
  }

  it('reports a dropped connection as unreachable, naming the host', async () => {
    const key = adminKey();
    fake.failNext('GET /v1/organizations/api_keys', 'drop');
    const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).listApiKeys());
    assert.equal(failure.kind, 'unreachable');
    assert.match(failure.message, /could not reach 127\.0\.0\.1:\d+/);
  });

  it('calls a 200 that is not an API key list unexpected, rather than an empty organisation', async () => {
    const key = adminKey();
    fake.failNext('GET /v1/organizations/api_keys', 'malformed');
    const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).listApiKeys());
    assert.equal(failure.kind, 'unexpected');
  });

  it('sends nothing to a plain-http base URL that is not loopback', async () => {
    const key = adminKey();
    const failure = failed(await createAdminApi(key, { baseUrl: 'http://admin.example' }).listApiKeys());
    assert.equal(failure.kind, 'refused');
    assert.match(failure.message, /The Admin key was not sent: http:\/\/admin\.example is not HTTPS/);
    assert.equal(fake.requests.length, 0);
  });

  it('deactivates and reactivates a key with one POST each, and checks the answer says so', async () => {
    const key = adminKey();
    const target = fake.addOrgKey({ name: 'ci-prod', key: fakeKey(4242) });
    const api = createAdminApi(key, { baseUrl: fake.baseUrl });
    assert.equal(succeeded(await api.setApiKeyStatus(target.id, 'inactive')).status, 'inactive');
    assert.equal(target.status, 'inactive');
    assert.equal(succeeded(await api.setApiKeyStatus(target.id, 'active')).status, 'active');
    assert.deepEqual(
      fake.requests.map((request) => [request.method, request.path, request.body]),
      [
        ['POST', `/v1/organizations/api_keys/${target.id}`, { status: 'inactive' }],
        ['POST', `/v1/organizations/api_keys/${target.id}`, { status: 'active' }],
      ],
    );
  });

  it('refuses to change an archived key with the API’s own reason', async () => {
    const key = adminKey();
    const target = fake.addOrgKey({ name: 'old', status: 'archived' });
    const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).setApiKeyStatus(target.id, 'active'));
    assert.equal(failure.kind, 'rejected');
    assert.match(failure.message, /Archived API keys cannot be modified/);
    assert.equal(failure.outcomeUnknown, undefined, 'a refusal is an answer: nothing changed');
  });

  for (const behaviour of [500, 'drop', 'hang'] as const) {
    it(`says the outcome of a status change is unknown when the POST gets ${behaviour}`, async () => {
      const key = adminKey();
      const target = fake.addOrgKey({ name: 'ci-prod' });
      fake.failNext('POST /v1/organizations/api_keys/:id', behaviour);
      const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl, timeoutMs: 300 }).setApiKeyStatus(target.id, 'inactive'));
      assert.equal(failure.outcomeUnknown, true);
      assert.match(failure.message, /may or may not have been made/);
    });
  }

  it('reads one key, and says not-found for an id the organisation does not have', async () => {
    const key = adminKey();
    const target = fake.addOrgKey({ name: 'one' });
    const api = createAdminApi(key, { baseUrl: fake.baseUrl });
    assert.equal(succeeded(await api.getApiKey(target.id)).name, 'one');
    assert.equal(failed(await api.getApiKey('apikey_01Missing')).kind, 'not-found');
  });

  it('reads the organisation, its workspaces and users', async () => {
    const key = adminKey();
    fake.organization.workspaces.push({ id: 'wrkspc_01Production', name: 'Production' });
    const api = createAdminApi(key, { baseUrl: fake.baseUrl });
    assert.deepEqual(succeeded(await api.organization()), { id: fake.organization.id, name: 'Example Organization' });
    assert.deepEqual(succeeded(await api.listWorkspaces()).map((w) => w.name), ['Default', 'Production']);
    assert.deepEqual(succeeded(await api.listUsers()), [{ id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', name: 'Jane Doe', email: 'jane@example.com' }]);
    assert.deepEqual(fake.requests.map((r) => r.path), ['/v1/organizations/me', '/v1/organizations/workspaces', '/v1/organizations/users']);
  });

  describe('usage', () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const start = new Date(now - 8 * 24 * HOUR);
    const end = new Date(now);
    const arrange = () => {
      const target = fake.addOrgKey({ name: 'busy' });
      for (let hour = start.getTime(); hour < end.getTime(); hour += HOUR) {
        fake.organization.usage.push({ apiKeyId: target.id, hour: new Date(hour).toISOString(), uncachedInputTokens: 100, outputTokens: 20, cacheReadInputTokens: 5 });
      }
      return target;
    };

    it('reads hourly usage per key from the usage analytics, with their beta header, every page', async () => {
      const key = adminKey();
      const target = arrange();
      const usage = succeeded(await createAdminApi(key, { baseUrl: fake.baseUrl }).readUsage(start, end));
      assert.equal(usage.source, 'analytics');
      assert.equal(usage.points.length, 192);
      assert.ok(usage.points.every((point) => point.apiKeyId === target.id && point.tokens === 125 && point.end - point.start === HOUR));
      const [request] = fake.requests;
      assert.equal(request.path, '/v1/organizations/analytics/usage');
      assert.equal(request.query['group_by[]'], 'api_key_id');
      assert.equal(request.query.time_bucket_width, '1h');
      assert.match(request.headers['anthropic-beta'] ?? '', /analytics-usage-cost-2026-08-24/);
    });

    it('falls back to the legacy messages usage report where the API does not serve the analytics, paging 168 hours at a time', async () => {
      const key = adminKey();
      const target = arrange();
      fake.organization.servesAnalyticsUsage = false;
      const usage = succeeded(await createAdminApi(key, { baseUrl: fake.baseUrl }).readUsage(start, end));
      assert.equal(usage.source, 'usage-report');
      assert.equal(usage.points.length, 192);
      assert.ok(usage.points.every((point) => point.apiKeyId === target.id && point.tokens === 125));
      assert.deepEqual(
        fake.requests.map((r) => [r.path, r.query.page !== undefined]),
        [
          ['/v1/organizations/analytics/usage', false],
          ['/v1/organizations/usage_report/messages', false],
          ['/v1/organizations/usage_report/messages', true],
        ],
      );
      assert.equal(fake.requests[1].query.bucket_width, '1h');
      assert.equal(fake.requests[1].query['group_by[]'], 'api_key_id');
    });

    it('does not fall back on an error other than not-found', async () => {
      const key = adminKey();
      fake.failNext('GET /v1/organizations/analytics/usage', 403);
      const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl }).readUsage(start, end));
      assert.equal(failure.kind, 'no-permission');
      assert.equal(fake.requests.length, 1);
    });
  });

  it('stops when a list says it has more pages but the next one does not advance', async () => {
    const key = fakeKey(seed++, 'admin');
    let served = 0;
    const loop = await rawServer((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ data: [{ type: 'workspace', id: 'wrkspc_1', name: 'Loop' }], has_more: true, first_id: 'wrkspc_1', last_id: 'wrkspc_1' }));
    });
    try {
      const failure = failed(await createAdminApi(key, { baseUrl: loop.baseUrl }).listWorkspaces());
      assert.equal(failure.kind, 'unexpected');
      assert.match(failure.message, /more pages but gave no way to the next one/);
      assert.equal(served, 2, 'the second page repeated the first, and paging stopped there');
    } finally {
      await loop.close();
    }
  });

  it('stops at the page limit rather than return part of a list', async () => {
    const key = adminKey();
    for (let i = 0; i < 250; i++) fake.addOrgKey({ name: `k${i}` });
    const failure = failed(await createAdminApi(key, { baseUrl: fake.baseUrl, maxPages: 2 }).listApiKeys());
    assert.equal(failure.kind, 'unexpected');
    assert.match(failure.message, /more than 2 pages of 100; stopped there rather than show part of it/);
    assert.equal(fake.requests.length, 2);
  });

  it('does not follow a redirect, so the Admin key is not sent on (attack: a base URL that redirects)', async () => {
    const key = fakeKey(seed++, 'admin');
    let served = 0;
    const redirect = await rawServer((_req, res) => {
      served++;
      res.writeHead(307, { location: 'https://collector.example/steal', connection: 'close' });
      res.end();
    });
    try {
      const failure = failed(await createAdminApi(key, { baseUrl: redirect.baseUrl }).listApiKeys());
      assert.equal(failure.kind, 'unexpected');
      assert.match(failure.message, /redirect \(HTTP 307\), which is not followed/);
      assert.equal(served, 1);
    } finally {
      await redirect.close();
    }
  });

  it('scrubs the Admin key from an error message and request id that echo it', async () => {
    const key = fakeKey(seed++, 'admin');
    const echo = await rawServer((req, res) => {
      const sent = String(req.headers['x-api-key']);
      res.writeHead(403, { 'content-type': 'application/json', 'request-id': `req_${sent}`, connection: 'close' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'permission_error', message: `key ${sent} may not list keys` } }));
    });
    try {
      const failure = failed(await createAdminApi(key, { baseUrl: echo.baseUrl }).listApiKeys());
      assertKeyFree(failure, key);
      assert.ok(failure.message.includes(keyHint(key)), 'the key is shown as its hint');
    } finally {
      await echo.close();
    }
  });
});
