// Asks the Anthropic API whether a key is live, with the cheapest read-only call its kind allows:
// an API key lists one model (GET /v1/models?limit=1), an Admin key lists one organization API key
// (GET /v1/organizations/api_keys?limit=1). The answer is a plain record for the editor and the CLI.
//
// The SDK is loaded on first use, so activating the extension never pays for it. It is configured so
// that nothing from the environment changes what is checked or where: the key, the host and the
// credential header are all passed explicitly, retries are off (one check = one request) and the
// SDK's logging and tracing are off (they could otherwise print request details).
import type { CredentialKind } from './findings';
import { keyHint } from './hint';

export type VerifyStatus =
  | 'valid'
  | 'invalid'
  | 'no-permission'
  | 'billing'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'overloaded'
  | 'unreachable'
  | 'unexpected';

export interface VerifyResult {
  status: VerifyStatus;
  /** The HTTP status the API answered with; absent when no answer arrived. */
  httpStatus?: number;
  /** The API's `request-id` (also `request_id` in error bodies), for support tickets. */
  requestId?: string;
  /** One or two human sentences; never contains the key. */
  message: string;
  /** `host[:port]` the key was (or would have been) sent to. */
  host: string;
}

export interface VerifyOptions {
  /** Defaults to the SDK's default, https://api.anthropic.com. Never read from ANTHROPIC_BASE_URL. */
  baseUrl?: string;
  /** Per request; defaults to 10 s. */
  timeoutMs?: number;
  /** Defaults to what the key's prefix says (`sk-ant-admin01-` → admin-key). */
  kind?: Extract<CredentialKind, 'api-key' | 'admin-key'>;
  /**
   * The check is sent from a browser (the web build). The API then answers only a request that carries
   * `anthropic-dangerous-direct-browser-access: true`, which the SDK sends with `dangerouslyAllowBrowser`. That header
   * exists because a key in a web page's code is exposed to everyone who loads the page (the client-exposed-key rule);
   * here the key is the user's own, sent once from their own browser to check it, which is what the header permits.
   */
  fromBrowser?: boolean;
}

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

const ADMIN_KEY_PREFIX = 'sk-ant-admin01-';

/**
 * Any `sk-ant-<kind><nn>-…` token, wider than the scanner's rules on purpose: a text passed through from
 * the API or the network stack is scrubbed of anything credential-like, placeholders included.
 */
export const ANY_ANTHROPIC_TOKEN = /sk-ant-[a-z]{1,16}\d*-[A-Za-z0-9_-]{8,}/g;

/**
 * True when a key sent to this base URL could be read on the way: anything but https, except plain
 * http to the loopback interface (127.0.0.0/8, localhost, [::1]), which never leaves the machine.
 * An unparseable URL counts as insecure.
 */
export function isInsecureBaseUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (parsed.protocol === 'https:') return false;
  if (parsed.protocol !== 'http:') return true;
  // URL normalises the host: `127.1` → `127.0.0.1`, `LOCALHOST` → `localhost`, IPv6 keeps its brackets.
  const host = parsed.hostname;
  return !(host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

/** A base URL a key may be sent to, or why not (the message says that nothing was sent). */
export type CheckedBaseUrl = { ok: true; base: URL; host: string } | { ok: false; host: string; message: string };

/**
 * Whether `rawBaseUrl` may receive `what` (a key, an Admin key): a parseable URL without a user name or password,
 * over https (or plain http to the loopback interface). Shared by every request this product makes.
 */
export function checkBaseUrl(rawBaseUrl: string, what: string, scrub: (text: string) => string): CheckedBaseUrl {
  let base: URL;
  try {
    base = new URL(rawBaseUrl);
  } catch {
    const shown = scrub(rawBaseUrl).slice(0, 100);
    return { ok: false, host: shown, message: `The ${what} was not sent: "${shown}" is not a valid base URL.` };
  }
  const host = base.host;
  if (base.username || base.password) {
    return { ok: false, host, message: `The ${what} was not sent: the base URL for ${host} contains a user name or password. Remove them.` };
  }
  if (isInsecureBaseUrl(base.href)) {
    return {
      ok: false,
      host,
      message: `The ${what} was not sent: ${base.protocol}//${host} is not HTTPS, so the ${what} could be read on the way. Use an https:// base URL (plain http is allowed only for localhost).`,
    };
  }
  return { ok: true, base, host };
}

/** Checks a key against the API with one request. Never throws; never puts the key in the result. */
export async function verifyKey(key: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const kind = options.kind ?? (key.startsWith(ADMIN_KEY_PREFIX) ? 'admin-key' : 'api-key');
  const scrub = (text: string) => scrubSecrets(text, key);
  const timeoutMs =
    options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0
      ? Math.max(1, Math.round(options.timeoutMs))
      : DEFAULT_VERIFY_TIMEOUT_MS;

  const checked = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, 'key', scrub);
  if (!checked.ok) return { status: 'unexpected', host: checked.host, message: checked.message };
  const { base, host } = checked;
  // A header value cannot carry whitespace or control characters; fetch would reject it with an
  // error that quotes the value, so stop here instead.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return { status: 'invalid', host, message: 'The key was not sent: it is empty or contains spaces, line breaks or other characters no key has.' };
  }

  const endpoint = kind === 'admin-key' ? ADMIN_ENDPOINT : MODELS_ENDPOINT;
  let sdk: typeof import('@anthropic-ai/sdk');
  try {
    sdk = await import('@anthropic-ai/sdk');
  } catch (err) {
    return { status: 'unexpected', host, message: `The key was not checked: the Anthropic SDK could not be loaded (${scrub(errorText(err))}).` };
  }

  try {
    const client = new sdk.Anthropic({
      // Passing the key makes it the client's only credential: ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN
      // and on-disk profiles are not read. authToken: null keeps its variable unread as well.
      apiKey: key,
      authToken: null,
      // Explicit, so ANTHROPIC_BASE_URL and profile base URLs are ignored.
      baseURL: base.href,
      maxRetries: 0,
      timeout: timeoutMs,
      logLevel: 'off',
      openTelemetry: false,
      // A redirect would re-send the x-api-key header to wherever it points (fetch only strips
      // Authorization across origins); answer with the 3xx instead of following it.
      fetchOptions: { redirect: 'manual' },
      // Only the web build sets this (see VerifyOptions.fromBrowser): the SDK then sends the browser header.
      dangerouslyAllowBrowser: options.fromBrowser === true,
    });
    // This SDK sends `apiKey` as `Authorization: Bearer`; the API reference (and the Admin API's)
    // documents `x-api-key`, so send the key that way, once.
    const requestOptions = { headers: { 'x-api-key': key, authorization: null } };
    const pending =
      kind === 'admin-key'
        ? client.organization.apiKeys.list({ limit: 1 }, requestOptions)
        : client.models.list({ limit: 1 }, requestOptions);
    // Errors (non-2xx, connection failures, timeouts) reject here; a 2xx response is read below.
    const response = await pending.asResponse();
    const requestId = cleanRequestId(response.headers.get('request-id'), scrub);
    const body = await readWithDeadline(response, timeoutMs);
    if (body === TIMED_OUT) {
      return { status: 'unreachable', httpStatus: response.status, requestId, host, message: `${host} answered but did not finish its reply within ${seconds(timeoutMs)}: the key's state is unknown.${requestIdSentence(requestId)}` };
    }
    const problem = endpoint.shapeProblem(body);
    if (problem) {
      // A 200 only proves something if it came from the Anthropic API: a captive portal or a proxy
      // answering 200 to anything would otherwise make every key look live.
      return {
        status: 'unexpected',
        httpStatus: response.status,
        requestId,
        host,
        message: `${host} answered ${response.status} but not with ${endpoint.expected} (${problem}): the key's state is unknown. Is the base URL an Anthropic API?${requestIdSentence(requestId)}`,
      };
    }
    return { status: 'valid', httpStatus: response.status, requestId, host, message: `${host} accepted the ${kind === 'admin-key' ? 'Admin key' : 'key'}: it is live (${endpoint.proof}).${requestIdSentence(requestId)}` };
  } catch (err) {
    if (err instanceof sdk.APIConnectionTimeoutError) {
      return { status: 'unreachable', host, message: `Could not reach ${host}: no answer within ${seconds(timeoutMs)}. The key's state is unknown.` };
    }
    if (err instanceof sdk.APIConnectionError) {
      return { status: 'unreachable', host, message: `Could not reach ${host}: ${scrub(connectionCause(err))}. The key's state is unknown.` };
    }
    if (err instanceof sdk.APIError && typeof err.status === 'number') {
      return fromErrorStatus(err, { host, kind, endpoint, scrub });
    }
    return { status: 'unexpected', host, message: `The check against ${host} failed: ${scrub(errorText(err))}. The key's state is unknown.` };
  }
}

interface Endpoint {
  path: string;
  /** What a 200 must carry, for the message when it does not. */
  expected: string;
  /** What a 200 proves, for the valid message. */
  proof: string;
  /** Why a 200 body is not what this endpoint returns, or undefined when it is. */
  shapeProblem(body: string): string | undefined;
}

/** Both endpoints return the API's list page: `{ data: [...], has_more, first_id, last_id }`. */
function listShapeProblem(body: string, itemType: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'the body has no data list';
  const first = data[0] as { type?: unknown; id?: unknown } | undefined;
  if (first !== undefined && (first?.type !== itemType || typeof first?.id !== 'string')) return `the list does not hold ${itemType} records`;
  return undefined;
}

const MODELS_ENDPOINT: Endpoint = {
  path: 'GET /v1/models',
  expected: 'a model list',
  proof: 'it listed models',
  shapeProblem: (body) => listShapeProblem(body, 'model'),
};

const ADMIN_ENDPOINT: Endpoint = {
  path: 'GET /v1/organizations/api_keys',
  expected: "the organization's API key list",
  proof: "it listed the organization's API keys",
  shapeProblem: (body) => listShapeProblem(body, 'api_key'),
};

interface StatusErrorLike {
  status: number;
  requestID?: string | null | undefined;
  headers?: Headers | undefined;
  error?: unknown;
  type?: string | null;
  apiMessage?: string | null;
}

function fromErrorStatus(
  err: StatusErrorLike,
  context: { host: string; kind: 'api-key' | 'admin-key'; endpoint: Endpoint; scrub: (text: string) => string },
): VerifyResult {
  const { host, kind, endpoint, scrub } = context;
  const httpStatus = err.status;
  // The header is the documented place; the error body repeats it as `request_id`.
  const bodyRequestId = (err.error as { request_id?: unknown } | undefined)?.request_id;
  const requestId = cleanRequestId(err.requestID ?? (typeof bodyRequestId === 'string' ? bodyRequestId : undefined), scrub);
  const label = err.type ? `HTTP ${httpStatus}, ${scrub(err.type)}` : `HTTP ${httpStatus}`;
  // Quoted without its own closing full stop, which the sentence supplies.
  const said = err.apiMessage ? truncate(scrub(err.apiMessage).trim().replace(/\.+$/, ''), 200) : '';
  const apiSaid = said ? ` The API said: "${said}".` : '';
  const tail = `${apiSaid}${requestIdSentence(requestId)}`;
  const what = kind === 'admin-key' ? 'Admin key' : 'key';
  const result = (status: VerifyStatus, sentence: string): VerifyResult => ({ status, httpStatus, requestId, host, message: sentence + tail });

  switch (httpStatus) {
    case 401:
      return result('invalid', `${host} rejected the ${what} (${label}): it is malformed, revoked or expired.`);
    case 402:
      return result('billing', `${host} recognised the ${what} but the organization has a billing problem (${label}); the key may still be live. Check Plans & Billing in the Anthropic Console.`);
    case 403:
      return result('no-permission', `${host} recognised the ${what} but did not allow ${endpoint.path} (${label}): the key may be live with narrower permissions.`);
    case 404:
      return result('not-found', `${host} answered "not found" for ${endpoint.path} (${label}), so the ${what} could not be confirmed live there. Check the base URL.`);
    case 429: {
      const retryAfter = Number(err.headers?.get('retry-after'));
      const when = Number.isFinite(retryAfter) && retryAfter > 0 ? `in ${Math.ceil(retryAfter)} s` : 'later';
      return result('rate-limited', `${host} rate-limited the check (${label}): the ${what}'s state is unknown. Try again ${when}.`);
    }
    case 529:
      return result('overloaded', `${host} is overloaded (${label}): the ${what}'s state is unknown. Try again later.`);
  }
  if (httpStatus >= 500 && httpStatus <= 599) {
    return result('server-error', `${host} had a server error (${label}): the ${what}'s state is unknown. Try again later.`);
  }
  if (httpStatus >= 300 && httpStatus <= 399) {
    const location = err.headers?.get('location');
    let target = '';
    if (location) {
      try {
        target = ` to ${new URL(location, `https://${host}`).host}`;
      } catch {
        // An unparseable Location names nothing worth showing.
      }
    }
    return result('unexpected', `${host} redirected the check${target} (${label}); redirects are not followed, so the ${what} was not sent on. Point the base URL at the final address.`);
  }
  return result('unexpected', `${host} answered ${endpoint.path} with ${label}, which a key check does not expect: the ${what}'s state is unknown.`);
}

const TIMED_OUT = Symbol('timed out');

/** The SDK's timeout covers the wait for headers only; a body that stalls must not hang the check. */
async function readWithDeadline(response: Response, ms: number): Promise<string | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    const outcome = await Promise.race([response.text(), deadline]);
    if (outcome === TIMED_OUT) void response.body?.cancel().catch(() => undefined);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** The innermost cause of a connection failure (`connect ECONNREFUSED 127.0.0.1:9`, a TLS complaint…). */
export function connectionCause(err: Error): string {
  let innermost: unknown = err;
  for (let depth = 0; depth < 5; depth++) {
    const next = (innermost as { cause?: unknown }).cause;
    if (next === null || typeof next !== 'object') break;
    innermost = next;
  }
  if (innermost === err) return 'the connection failed';
  const text = errorText(innermost);
  const code = (innermost as { code?: unknown }).code;
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return truncate(text.trim() || 'no details', 300);
}

/** Replaces the key (and any other Anthropic credential) with its hint. */
export function scrubSecrets(text: string, key: string): string {
  // A very short "key" would turn every message into confetti, and is no credential anyway.
  const withoutKey = key.length >= 8 ? text.split(key).join(keyHint(key)) : text;
  return withoutKey.replace(ANY_ANTHROPIC_TOKEN, (token) => keyHint(token));
}

/** A request id is whatever the server put in a header, so it is scrubbed and bounded like any other text. */
export function cleanRequestId(id: string | null | undefined, scrub: (text: string) => string): string | undefined {
  return id ? truncate(scrub(id.trim()), 100) || undefined : undefined;
}

export function requestIdSentence(requestId: string | undefined): string {
  return requestId ? ` Request ID: ${requestId}.` : '';
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
