import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyHint } from '../../../src/core/hint';
import { isInsecureBaseUrl, verifyKey, type VerifyResult, type VerifyStatus } from '../../../src/core/verify';
import { startFakeAnthropicServer, type Behaviour, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { fakeKey } from '../../support/fakeKeys';

/** Asserts that nothing in the result carries the key, whatever field it might have leaked into. */
function assertKeyFree(result: VerifyResult, key: string): void {
  assert.ok(!JSON.stringify(result).includes(key), `the result for ${keyHint(key)} contains the key`);
}

/** A port that was free a moment ago and is closed now: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('verifyKey against a fake Anthropic API', () => {
  let fake: FakeAnthropicServer;
  let seed = 1000;
  /** A fresh key per test, so no behaviour or recorded request leaks between tests. */
  const newKey = (kind: 'api' | 'admin' = 'api') => fakeKey(seed++, kind);

  beforeEach(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  const cases: Array<{ behaviour: Behaviour; status: VerifyStatus; words: RegExp }> = [
    { behaviour: 200, status: 'valid', words: /accepted the key: it is live/ },
    { behaviour: 401, status: 'invalid', words: /malformed, revoked or expired/ },
    { behaviour: 402, status: 'billing', words: /billing problem/ },
    { behaviour: 403, status: 'no-permission', words: /did not allow GET \/v1\/models/ },
    { behaviour: 404, status: 'not-found', words: /could not be confirmed live/ },
    { behaviour: 429, status: 'rate-limited', words: /Try again in 30 s/ },
    { behaviour: 500, status: 'server-error', words: /server error/ },
    { behaviour: 529, status: 'overloaded', words: /overloaded/ },
  ];
  for (const { behaviour, status, words } of cases) {
    it(`reports HTTP ${behaviour} as ${status}, with the request id and without the key`, async () => {
      const key = newKey();
      fake.setBehaviour(key, behaviour);
      const result = await verifyKey(key, { baseUrl: fake.baseUrl });
      assert.equal(result.status, status);
      assert.equal(result.httpStatus, behaviour);
      assert.match(result.requestId ?? '', /^req_\w+$/);
      assert.ok(result.message.includes(result.requestId!), 'the message carries the request id');
      assert.match(result.message, words);
      assert.equal(result.host, new URL(fake.baseUrl).host);
      assertKeyFree(result, key);
      assert.equal(fake.requests.length, 1, 'one request, no retries');
    });
  }

  it('passes the API error message through for a rejected key', async () => {
    const key = newKey();
    fake.setBehaviour(key, 401);
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.match(result.message, /HTTP 401, authentication_error/);
    assert.match(result.message, /The API said: "invalid x-api-key"/);
  });

  it('treats a key the server does not know as invalid', async () => {
    const key = newKey();
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'invalid');
  });

  it('sends exactly one GET /v1/models?limit=1 with the key in x-api-key and an anthropic-version', async () => {
    const key = newKey();
    fake.setBehaviour(key, 200);
    await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(fake.requests.length, 1);
    const [request] = fake.requests;
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/v1/models');
    assert.deepEqual(request.query, { limit: '1' });
    assert.equal(request.headers['x-api-key'], keyHint(key));
    assert.match(request.headers['anthropic-version'] ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(request.headers['authorization'], undefined, 'the key is sent once, not also as a bearer token');
    assert.equal(request.headers['x-stainless-retry-count'], '0');
  });

  it('checks an Admin key by listing one organization API key', async () => {
    const key = newKey('admin');
    fake.setBehaviour(key, 200);
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'valid');
    assert.match(result.message, /accepted the Admin key: it is live \(it listed the organization's API keys\)/);
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].path, '/v1/organizations/api_keys');
    assert.deepEqual(fake.requests[0].query, { limit: '1' });
    assert.equal(fake.requests[0].headers['x-api-key'], keyHint(key));
    assertKeyFree(result, key);
  });

  it('maps errors on the Admin endpoint the same way', async () => {
    const key = newKey('admin');
    fake.setBehaviour(key, 403);
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'no-permission');
    assert.match(result.message, /did not allow GET \/v1\/organizations\/api_keys/);
    assertKeyFree(result, key);
  });

  it('uses the Admin endpoint when told the kind, whatever the prefix', async () => {
    const key = newKey('api');
    fake.setBehaviour(key, 200);
    await verifyKey(key, { baseUrl: fake.baseUrl, kind: 'admin-key' });
    assert.equal(fake.requests[0].path, '/v1/organizations/api_keys');
  });

  it('reports a server that never answers as unreachable after the timeout, without retrying', async () => {
    const key = newKey();
    fake.setBehaviour(key, 'hang');
    const started = Date.now();
    const result = await verifyKey(key, { baseUrl: fake.baseUrl, timeoutMs: 300 });
    assert.equal(result.status, 'unreachable');
    assert.match(result.message, /no answer within 300 ms/);
    assert.ok(result.message.includes(new URL(fake.baseUrl).host), 'the message names the host');
    assert.ok(Date.now() - started < 5000);
    assert.equal(fake.requests.length, 1);
    assertKeyFree(result, key);
  });

  it('reports a dropped connection as unreachable, without retrying', async () => {
    const key = newKey();
    fake.setBehaviour(key, 'drop');
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'unreachable');
    assert.equal(result.httpStatus, undefined);
    assert.ok(result.message.includes(new URL(fake.baseUrl).host));
    assert.equal(fake.requests.length, 1);
    assertKeyFree(result, key);
  });

  it('does not call a 200 with a malformed body valid: the answer did not come from an Anthropic API', async () => {
    const key = newKey();
    fake.setBehaviour(key, 'malformed');
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'unexpected');
    assert.equal(result.httpStatus, 200);
    assert.match(result.message, /not with a model list \(the body is not JSON\)/);
    assert.match(result.requestId ?? '', /^req_/);
    assertKeyFree(result, key);
  });

  it('reports a closed port as unreachable and names the host', async () => {
    const key = newKey();
    const port = await closedPort();
    const result = await verifyKey(key, { baseUrl: `http://127.0.0.1:${port}` });
    assert.equal(result.status, 'unreachable');
    assert.equal(result.host, `127.0.0.1:${port}`);
    assert.match(result.message, new RegExp(`^Could not reach 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assertKeyFree(result, key);
  });

  it('accepts a base URL with a trailing slash', async () => {
    const key = newKey();
    fake.setBehaviour(key, 200);
    const result = await verifyKey(key, { baseUrl: fake.baseUrl + '/' });
    assert.equal(result.status, 'valid');
    assert.equal(fake.requests[0].path, '/v1/models');
  });

  it('ignores credentials and hosts from ANTHROPIC_API_KEY, _AUTH_TOKEN, _BASE_URL and _CUSTOM_HEADERS', async () => {
    const key = newKey();
    const other = newKey();
    fake.setBehaviour(key, 200);
    const port = await closedPort();
    const saved = { ...process.env };
    process.env.ANTHROPIC_API_KEY = other;
    process.env.ANTHROPIC_AUTH_TOKEN = other;
    process.env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${port}`;
    process.env.ANTHROPIC_CUSTOM_HEADERS = `x-api-key: ${other}\nAuthorization: Bearer ${other}`;
    try {
      const result = await verifyKey(key, { baseUrl: fake.baseUrl });
      assert.equal(result.status, 'valid');
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0].headers['x-api-key'], keyHint(key));
      assert.equal(fake.requests[0].headers['authorization'], undefined);
    } finally {
      for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_CUSTOM_HEADERS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('refuses to send a key over plain http to another machine', async () => {
    const key = newKey();
    const result = await verifyKey(key, { baseUrl: 'http://api.example.com' });
    assert.equal(result.status, 'unexpected');
    assert.match(result.message, /^The key was not sent: http:\/\/api\.example\.com is not HTTPS/);
    assert.equal(result.host, 'api.example.com');
  });

  it('refuses a base URL that is not a URL', async () => {
    const result = await verifyKey(newKey(), { baseUrl: 'not a url' });
    assert.equal(result.status, 'unexpected');
    assert.match(result.message, /is not a valid base URL/);
  });

  it('does not send a value with a line break in it', async () => {
    const key = newKey() + '\n';
    const result = await verifyKey(key, { baseUrl: fake.baseUrl });
    assert.equal(result.status, 'invalid');
    assert.equal(fake.requests.length, 0);
    assertKeyFree(result, key.trim());
  });

  it('does not follow a redirect, so the key is not re-sent elsewhere', async () => {
    const key = newKey();
    fake.setBehaviour(key, 200);
    let hits = 0;
    const redirector = http.createServer((_req, res) => {
      hits++;
      res.writeHead(307, { location: `${fake.baseUrl}/v1/models?limit=1`, connection: 'close' });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const result = await verifyKey(key, { baseUrl: `http://127.0.0.1:${port}` });
      assert.equal(result.status, 'unexpected');
      assert.equal(result.httpStatus, 307);
      assert.match(result.message, /redirected the check to 127\.0\.0\.1:\d+/);
      assert.equal(hits, 1);
      assert.equal(fake.requests.length, 0, 'the redirect target never saw the key');
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('scrubs the key out of an API error message and request id that echo it', async () => {
    const key = newKey();
    const echo = http.createServer((req, res) => {
      const body = JSON.stringify({
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key: ${String(req.headers['x-api-key'])}` },
        request_id: 'req_echo',
      });
      res.writeHead(401, { 'content-type': 'application/json', 'request-id': `req_${String(req.headers['x-api-key'])}`, connection: 'close' });
      res.end(body);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = echo.address() as AddressInfo;
      const result = await verifyKey(key, { baseUrl: `http://127.0.0.1:${port}` });
      assert.equal(result.status, 'invalid');
      assert.ok(result.message.includes(`invalid x-api-key: ${keyHint(key)}`));
      assert.equal(result.requestId, `req_${keyHint(key)}`);
      assertKeyFree(result, key);
    } finally {
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });

  it('reports a 200 that is not a model list as unexpected', async () => {
    const key = newKey();
    const portal = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', connection: 'close' });
      res.end('<html>Welcome to the hotel Wi-Fi</html>');
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = portal.address() as AddressInfo;
      const result = await verifyKey(key, { baseUrl: `http://localhost:${port}` });
      assert.equal(result.status, 'unexpected');
      assert.match(result.message, /Is the base URL an Anthropic API\?/);
    } finally {
      await new Promise<void>((resolve) => portal.close(() => resolve()));
    }
  });
});

describe('the fake Anthropic API', () => {
  let fake: FakeAnthropicServer;
  beforeEach(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('answers a request without x-api-key with 401 and the documented error body', async () => {
    const response = await fetch(`${fake.baseUrl}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { type: string; error: { type: string }; request_id: string };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'authentication_error');
    assert.equal(body.request_id, response.headers.get('request-id'));
  });

  it('answers a request without anthropic-version with 400 invalid_request_error', async () => {
    const key = fakeKey(1, 'api');
    fake.setBehaviour(key, 200);
    const response = await fetch(`${fake.baseUrl}/v1/models`, { headers: { 'x-api-key': key } });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /anthropic-version/);
  });

  it('lists models in the real page shape', async () => {
    const key = fakeKey(2, 'api');
    fake.setBehaviour(key, 200);
    const response = await fetch(`${fake.baseUrl}/v1/models?limit=1`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
    const body = (await response.json()) as { data: Array<{ type: string; id: string }>; has_more: boolean; first_id: string; last_id: string };
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0].type, 'model');
    assert.equal(body.has_more, true);
    assert.equal(body.first_id, body.data[0].id);
    assert.equal(body.last_id, body.data[0].id);
  });

  it('records requests with hints in place of the key', async () => {
    const key = fakeKey(3, 'api');
    await fetch(`${fake.baseUrl}/v1/models?limit=1`, { headers: { 'x-api-key': key, authorization: `Bearer ${key}` } });
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].headers['x-api-key'], keyHint(key));
    assert.equal(fake.requests[0].headers['authorization'], `Bearer ${keyHint(key)}`);
    assert.ok(!JSON.stringify(fake.requests).includes(key));
  });

  it('closes promptly with a request still hanging', async () => {
    const key = fakeKey(4, 'api');
    fake.setBehaviour(key, 'hang');
    const pending = fetch(`${fake.baseUrl}/v1/models`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } }).catch(() => 'aborted');
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await fake.close();
    assert.ok(Date.now() - started < 5000);
    assert.equal(await pending, 'aborted');
  });
});

describe('isInsecureBaseUrl', () => {
  const table: Array<[string, boolean]> = [
    ['https://api.anthropic.com', false],
    ['https://proxy.example.com/anthropic/', false],
    ['http://api.anthropic.com', true],
    ['http://10.0.0.5:8080', true],
    ['http://127.0.0.1:4000', false],
    ['http://127.45.6.7', false],
    ['http://localhost:3000', false],
    ['http://LOCALHOST', false],
    ['http://[::1]:8080', false],
    ['http://localhost.example.com', true],
    ['http://127.0.0.1.example.com', true],
    ['ftp://127.0.0.1', true],
    ['ws://localhost', true],
    ['not a url', true],
    ['', true],
  ];
  for (const [url, insecure] of table) {
    it(`says ${JSON.stringify(url)} is ${insecure ? 'insecure' : 'fine'}`, () => {
      assert.equal(isInsecureBaseUrl(url), insecure);
    });
  }
});
