// The key vault in the web worker host: Secret Storage is the browser's (encrypted browser storage on code-server's
// 127.0.0.1), and Verify sends its one request from the browser to the fake Anthropic API that the runner started,
// with the header the API requires of browsers (anthropic-dangerous-direct-browser-access: true), across origins.
import * as vscode from 'vscode';
import { keyHint } from '../../src/core/hint';
import type { ListKeysResult, RemoveKeyResult, StoreKeyResult, VerifyCommandResult } from '../../src/features/keyCommands/types';
import { fakeKey } from '../support/fakeKeys';
import * as assert from './assert';
import { activateExtension, testEnvironment, type WebTestEnvironment } from './helpers';

/** What the fake API recorded (hints only), read over HTTP: a browser test cannot hold the server object. */
interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
}

function run<T>(command: string, args: object): Thenable<T> {
  return vscode.commands.executeCommand<T>(`anthropicKeyHygiene.${command}`, { interactive: false, ...args });
}

const config = () => vscode.workspace.getConfiguration('anthropicKeyHygiene');

/** Changes a user setting and waits until the extension host has heard of it. */
async function setSetting(name: string, value: unknown): Promise<void> {
  if (config().inspect(name)?.globalValue === value) return;
  const heard = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no configuration change event for ${name} within 5 s`)), 5000);
    const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(`anthropicKeyHygiene.${name}`)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
  await config().update(name, value, vscode.ConfigurationTarget.Global);
  await heard;
}

describe('The key vault in the web', () => {
  let environment: WebTestEnvironment;
  let live: string;
  const unknown = fakeKey(1971);

  async function recorded(): Promise<Recorded[]> {
    const response = await fetch(`${environment.apiBaseUrl}/__fake/requests`);
    return ((await response.json()) as { requests: Recorded[] }).requests;
  }

  before(async () => {
    environment = await testEnvironment();
    live = fakeKey(environment.liveKeySeed);
    await activateExtension();
    await setSetting('apiBaseUrl', environment.apiBaseUrl);
  });

  after(async () => {
    await setSetting('apiBaseUrl', undefined);
  });

  it('stores a key in the browser’s Secret Storage and lists it by hint, sending nothing', async () => {
    const before = (await recorded()).length;
    const stored = await run<StoreKeyResult>('storeKey', { key: live, name: 'WEB_VAULT_KEY', environment: 'development', verify: false });
    assert.equal(stored.ok, true, stored.message);
    assert.equal(stored.hint, keyHint(live));
    const api = await activateExtension();
    assert.equal(await api.keyVaultForTests!.readSecret('WEB_VAULT_KEY'), live);
    const listed = await run<ListKeysResult>('listKeys', {});
    assert.deepEqual(
      listed.keys.filter((key) => key.name === 'WEB_VAULT_KEY').map((key) => key.hint),
      [keyHint(live)],
    );
    assert.equal((await recorded()).length, before, 'storing without a check sends nothing');
  });

  it('verifies a stored key from the browser: one request, with the browser header, the key in x-api-key only', async () => {
    const before = (await recorded()).length;
    const result = await run<VerifyCommandResult>('verifyKey', { name: 'WEB_VAULT_KEY' });
    assert.equal(result.status, 'valid', result.message);
    assert.match(result.message, /Checked from this browser, with the header anthropic-dangerous-direct-browser-access/);
    const requests = (await recorded()).slice(before).filter((request) => request.method !== 'OPTIONS');
    assert.deepEqual(
      requests.map((request) => [request.method, request.path, request.headers['x-api-key'], request.headers['anthropic-dangerous-direct-browser-access'], request.headers.authorization]),
      [['GET', '/v1/models', keyHint(live), 'true', undefined]],
    );
    // It really came from the browser: a cross-origin request, with the page's origin.
    assert.match(requests[0].headers.origin ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says an unknown key is invalid, from the API’s answer to the browser', async () => {
    const result = await run<VerifyCommandResult>('verifyKey', { key: unknown });
    assert.equal(result.status, 'invalid', result.message);
    assert.equal(result.httpStatus, 401);
    assert.ok(!result.message.includes(unknown), 'the message shows no key');
  });

  it('removes the stored key from Secret Storage', async () => {
    const removed = await run<RemoveKeyResult>('removeKey', { name: 'WEB_VAULT_KEY', confirm: true });
    assert.equal(removed.ok, true, removed.message);
    const api = await activateExtension();
    assert.equal(await api.keyVaultForTests!.readSecret('WEB_VAULT_KEY'), undefined);
  });
});
