// A local stand-in for the Anthropic API, speaking its wire format closely enough that the real SDK
// cannot tell the difference: the same routes, list bodies, error bodies and `request-id` header.
// Shapes follow the public API reference (https://docs.anthropic.com/en/api/errors,
// /en/api/models-list, /en/api/admin-api/apikeys/list-api-keys).
//
// It depends on node:http (and the project's own key hint) only, because it also runs inside VS Code's
// extension host and as a standalone process (see the bottom of the file). It never stores a full key: every recorded
// request carries a hint in place of the credential.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { keyHint } from '../../src/core/hint';

/**
 * What the server does for a given key: answer with that HTTP status and its documented error body
 * (200 = a real list body), hang without answering, answer 200 with a truncated JSON body, or drop
 * the connection before any response.
 */
export type Behaviour = 200 | 401 | 402 | 403 | 404 | 429 | 500 | 529 | 'hang' | 'malformed' | 'drop';

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/models`. */
  path: string;
  /** Query parameters; a repeated name keeps its last value. */
  query: Record<string, string>;
  /** Lower-cased request headers; `x-api-key` and `authorization` hold hints, never the credential. */
  headers: Record<string, string>;
}

export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`, to pass as the SDK's `baseURL`. */
  baseUrl: string;
  /** Every request received, in arrival order (including ones that were rejected, hung or dropped). */
  requests: RecordedRequest[];
  /** Behaviour per API key; a key not in the map is answered as an unknown key (401). */
  behaviours: Map<string, Behaviour>;
  setBehaviour(key: string, behaviour: Behaviour): void;
  /** Stops listening and destroys every open socket, so even a hanging request does not hold it open. */
  close(): Promise<void>;
}

export interface FakeAnthropicServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Behaviours to start with. */
  behaviours?: Iterable<[string, Behaviour]>;
}

/** The error `type` the real API sends with each status (https://docs.anthropic.com/en/api/errors). */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<number, string> = {
  401: 'invalid x-api-key',
  402: 'Your credit balance is too low to access the Anthropic API.',
  403: 'Your API key does not have permission to use the specified resource.',
  404: 'Not found',
  429: 'Number of requests has exceeded your rate limit. Please try again later.',
  500: 'Internal server error',
  529: 'Overloaded',
};

/** A few models, newest first, as `GET /v1/models` lists them. */
const MODELS = [
  { type: 'model', id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-24T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
];

/** Organization API keys, as `GET /v1/organizations/api_keys` lists them (hints only, as the real API). */
const API_KEYS = [
  {
    type: 'api_key',
    id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
    name: 'Developer Key',
    workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
    created_at: '2025-06-01T12:00:00Z',
    created_by: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', type: 'user' },
    expires_at: null,
    partial_key_hint: 'sk-ant-api03-R2D...igAA',
    status: 'active',
  },
];

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
  const extra: Record<string, string> = status === 429 ? { 'retry-after': '30' } : {};
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  send(res, status, { type: 'error', error: { type, message }, request_id: id }, id);
}

/** A list page the way the API paginates: `limit` (1–1000, default 20), `has_more`, `first_id`, `last_id`. */
function listPage<T extends { id: string }>(items: T[], query: URLSearchParams): object | string {
  const raw = query.get('limit');
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return 'limit: Input should be between 1 and 1000';
  const data = items.slice(0, limit);
  return {
    data,
    has_more: items.length > data.length,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}

export function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  const requests: RecordedRequest[] = [];
  const behaviours = new Map<string, Behaviour>(options.behaviours ?? []);
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(record(req, url));
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

    const behaviour = behaviours.get(key) ?? 401;
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
      case 200:
        break;
      default:
        sendError(res, behaviour, ERROR_MESSAGES[behaviour] ?? 'Error', id);
        return;
    }

    const route = `${req.method} ${url.pathname}`;
    const items = route === 'GET /v1/models' ? MODELS : route === 'GET /v1/organizations/api_keys' ? API_KEYS : undefined;
    if (!items) {
      sendError(res, 404, `${req.method} ${url.pathname} not found`, id);
      return;
    }
    const page = listPage<{ id: string }>(items, url.searchParams);
    if (typeof page === 'string') sendError(res, 400, page, id);
    else send(res, 200, page, id);
  });

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
