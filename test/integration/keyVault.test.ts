// The key vault in the real VS Code: every command run with arguments (no dialog), against a fake Anthropic
// API started here, in the extension host. SecretStorage and the terminal environment are read through the
// test-only part of the extension's API; every request the fake server saw is checked.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KeyVaultTestApi } from '../../src/extension';
import { keyHint } from '../../src/core/hint';
import type { ListKeysResult, RemoveKeyResult, RotateKeyResult, StoreKeyResult, UseInTerminalsResult, VerifyCommandResult } from '../../src/features/keyCommands';
import { KEY_VAULT_SETTING_KEYS } from '../../src/features/settings';
import { startFakeAnthropicServer, type Behaviour, type FakeAnthropicServer, type RecordedRequest } from '../support/fakeAnthropicServer';
import { fakeKey } from '../support/fakeKeys';
import { EXTENSION_ID, activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

function run<T>(command: string, args: object): Thenable<T> {
  return vscode.commands.executeCommand<T>(`anthropicKeyHygiene.${command}`, { interactive: false, ...args });
}

/** What the server must have seen for one check of `key`: one request, the key in x-api-key only. */
function expectedCheck(key: string, path = '/v1/models') {
  return { method: 'GET', path, query: { limit: '1' }, apiKey: keyHint(key), authorization: undefined };
}

function summarise(requests: RecordedRequest[]) {
  return requests.map((request) => {
    assert.ok(request.headers['anthropic-version'], `${request.path} carries anthropic-version`);
    return { method: request.method, path: request.path, query: request.query, apiKey: request.headers['x-api-key'], authorization: request.headers.authorization };
  });
}

describe('The key vault', () => {
  let fake: FakeAnthropicServer;
  let vault: KeyVaultTestApi;
  /** Every key this suite uses, so the last test can prove none was ever shown. */
  const used: string[] = [];
  const key = (seed: number, kind: 'api' | 'admin' = 'api') => {
    const made = fakeKey(seed, kind);
    used.push(made);
    return made;
  };
  const config = () => vscode.workspace.getConfiguration('anthropicKeyHygiene');
  /** Changes a user setting and waits until the extension host has heard of it, so no rescan it triggers
   * is still pending when the next step (or the next suite) starts. */
  async function setSetting(name: string, value: unknown): Promise<void> {
    if (config().inspect(name)?.globalValue === value) return;
    // The change event must come: a deadline that resolved anyway would let the next step race the rescan.
    const heard = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`no configuration change event for anthropicKeyHygiene.${name} within 5 s`));
      }, 5000);
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
  /** The requests made while `action` ran. */
  async function requestsDuring<T>(action: () => Thenable<T> | Promise<T>): Promise<{ result: T; requests: ReturnType<typeof summarise> }> {
    const before = fake.requests.length;
    const result = await action();
    return { result, requests: summarise(fake.requests.slice(before)) };
  }

  const main = key(601);
  const analytics = key(602);
  const rotated = key(603);
  const dir = () => join(workspaceFolder(), 'vault');
  /** The .env Verify API Key reads: at the root of the workspace folder. */
  const envFile = () => join(workspaceFolder(), '.env');

  before(async () => {
    fake = await startFakeAnthropicServer({ behaviours: [[main, 200], [rotated, 200]] });
    const api = await activateExtension();
    assert.ok(api.keyVaultForTests, 'the test-only API is there when VS Code runs tests');
    vault = api.keyVaultForTests;
    await setSetting('apiBaseUrl', fake.baseUrl);
    await setSetting('verifyTimeoutSeconds', 1);
    mkdirSync(dir(), { recursive: true });
  });

  after(async () => {
    for (const record of vault.metadata()) await run('removeKey', { name: record.name, confirm: true });
    await run('useStoredKeyInTerminals', { enable: false });
    for (const setting of ['apiBaseUrl', 'verifyTimeoutSeconds', 'rotationReminderDays']) await setSetting(setting, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir(), { recursive: true, force: true });
    rmSync(envFile(), { force: true });
    // Settings changes rescan the workspace; let that finish here rather than in the next suite.
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    await fake.close();
  });

  it('contributes its settings with the prefix, and apiBaseUrl only outside workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8'));
    const properties = manifest.contributes.configuration.properties;
    for (const setting of KEY_VAULT_SETTING_KEYS) assert.ok(properties[`anthropicKeyHygiene.${setting}`], `${setting} is contributed`);
    assert.equal(properties['anthropicKeyHygiene.apiBaseUrl'].scope, 'machine', 'a workspace cannot redirect keys');
  });

  it('stores a pasted .env line as the bare key in SecretStorage, and only metadata elsewhere', async () => {
    const before = Date.now();
    const { result, requests } = await requestsDuring(() =>
      run<StoreKeyResult>('storeKey', { key: `ANTHROPIC_API_KEY="${main}"\n`, environment: 'production', verify: false }),
    );
    assert.equal(result.ok, true, result.message);
    assert.equal(result.name, 'ANTHROPIC_API_KEY', 'the name comes from the pasted line');
    assert.equal(result.hint, keyHint(main));
    assert.deepEqual(result.trimmed, ['whitespace', 'assignment', 'quotes']);
    assert.match(result.message, /Removed surrounding whitespace, the variable name before the key, surrounding quotes/);
    assert.ok(result.message.includes(keyHint(main)));
    assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), main);

    const [record] = vault.metadata();
    assert.deepEqual(Object.keys(record).sort(), ['environment', 'hint', 'name', 'storedAt']);
    assert.equal(record.environment, 'production');
    assert.equal(record.hint, keyHint(main));
    assert.ok(Date.parse(record.storedAt) >= before - 1000 && Date.parse(record.storedAt) <= Date.now());
    assert.ok(!JSON.stringify(vault.metadata()).includes(main), 'the metadata never holds the key');
    assert.deepEqual(requests, [], 'storing without a check sends nothing');
  });

  it('refuses placeholders, bad names and silent replacement, leaving the stored key alone', async () => {
    const placeholder = await run<StoreKeyResult>('storeKey', { key: 'sk-ant-api03-your-key-here', name: 'PLACEHOLDER', verify: false });
    assert.deepEqual([placeholder.ok, placeholder.reason], [false, 'rejected-key']);
    assert.match(placeholder.message, /placeholder/);

    const truncated = await run<StoreKeyResult>('storeKey', { key: analytics.slice(0, 70), name: 'TRUNCATED', verify: false });
    assert.deepEqual([truncated.ok, truncated.reason], [false, 'rejected-key']);
    assert.match(truncated.message, /70 characters; API keys have 108/);
    assert.ok(!truncated.message.includes(analytics.slice(20, 70)), 'the refusal quotes nothing of the paste');

    const badName = await run<StoreKeyResult>('storeKey', { key: analytics, name: 'MY-KEY', verify: false });
    assert.deepEqual([badName.ok, badName.reason], [false, 'rejected-name']);

    const exists = await run<StoreKeyResult>('storeKey', { key: analytics, name: 'ANTHROPIC_API_KEY', verify: false });
    assert.deepEqual([exists.ok, exists.reason], [false, 'exists']);
    assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), main, 'the stored key is unchanged');
    assert.deepEqual(vault.metadata().map((record) => record.name), ['ANTHROPIC_API_KEY']);
  });

  it('stores a second named key and checks it at once when asked', async () => {
    fake.setBehaviour(analytics, 200);
    const { result, requests } = await requestsDuring(() =>
      run<StoreKeyResult>('storeKey', { key: analytics, name: 'ANTHROPIC_ANALYTICS_KEY', environment: 'staging', verify: true }),
    );
    assert.equal(result.ok, true, result.message);
    assert.equal(result.verification?.status, 'valid');
    assert.deepEqual(requests, [expectedCheck(analytics)]);
    assert.equal(await vault.readSecret('ANTHROPIC_ANALYTICS_KEY'), analytics);
    const record = vault.metadata().find((r) => r.name === 'ANTHROPIC_ANALYTICS_KEY');
    assert.equal(record?.lastResult, 'valid');
    assert.equal(record?.environment, 'staging');
  });

  it('lists the stored keys with hints, environments, ages and last results', async () => {
    const { result, requests } = await requestsDuring(() => run<ListKeysResult>('listKeys', {}));
    assert.deepEqual(
      result.keys.map(({ name, hint, environment, ageDays, rotationDue, secretPresent, lastResult }) => ({ name, hint, environment, ageDays, rotationDue, secretPresent, lastResult })),
      [
        { name: 'ANTHROPIC_ANALYTICS_KEY', hint: keyHint(analytics), environment: 'staging', ageDays: 0, rotationDue: false, secretPresent: true, lastResult: 'valid' },
        { name: 'ANTHROPIC_API_KEY', hint: keyHint(main), environment: 'production', ageDays: 0, rotationDue: false, secretPresent: true, lastResult: undefined },
      ],
    );
    assert.ok(!JSON.stringify(result).includes(main) && !JSON.stringify(result).includes(analytics));
    assert.deepEqual(requests, []);
  });

  it('makes no request while it scans files and .env files that hold keys', async () => {
    const { requests } = await requestsDuring(async () => {
      writeFileSync(envFile(), `ANTHROPIC_API_KEY=${main}\n`);
      const file = join(dir(), 'client.py');
      writeFileSync(file, `client = Anthropic(api_key="${main}")\n`);
      await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(document.uri, (d) => d.some((diagnostic) => ruleOf(diagnostic) === 'hardcoded-key'), 'the hardcoded key');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
    assert.deepEqual(requests, []);
  });

  it('verifies a stored key by name with one request and records the result', async () => {
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { name: 'ANTHROPIC_API_KEY' }));
    assert.equal(result.status, 'valid');
    assert.equal(result.source, 'stored');
    assert.equal(result.httpStatus, 200);
    assert.match(result.requestId ?? '', /^req_/);
    assert.ok(result.message.startsWith(`ANTHROPIC_API_KEY (${keyHint(main)}): live.`), result.message);
    assert.ok(result.message.includes(result.requestId!), 'the message carries the request id');
    assert.deepEqual(requests, [expectedCheck(main)]);
    const record = vault.metadata().find((r) => r.name === 'ANTHROPIC_API_KEY');
    assert.equal(record?.lastResult, 'valid');
    assert.ok(Date.now() - Date.parse(record!.lastVerifiedAt!) < 60_000);
  });

  const statuses: Array<{ behaviour: Behaviour; status: string; words: RegExp }> = [
    { behaviour: 200, status: 'valid', words: /: live\. .*it is live/ },
    { behaviour: 401, status: 'invalid', words: /: invalid\. .*malformed, revoked or expired/ },
    { behaviour: 402, status: 'billing', words: /: billing problem\. .*billing problem/ },
    { behaviour: 403, status: 'no-permission', words: /: no permission\. .*narrower permissions/ },
    { behaviour: 404, status: 'not-found', words: /: not confirmed \(not found\)\. / },
    { behaviour: 429, status: 'rate-limited', words: /: unknown \(rate-limited\)\. .*Try again in 30 s/ },
    { behaviour: 500, status: 'server-error', words: /: unknown \(server error\)\. / },
    { behaviour: 529, status: 'overloaded', words: /: unknown \(overloaded\)\. / },
    { behaviour: 'hang', status: 'unreachable', words: /: unknown \(unreachable\)\. .*no answer within 1 s/ },
    { behaviour: 'drop', status: 'unreachable', words: /: unknown \(unreachable\)\. Could not reach 127\.0\.0\.1/ },
    { behaviour: 'malformed', status: 'unexpected', words: /: unknown \(unexpected answer\)\. / },
  ];
  statuses.forEach(({ behaviour, status, words }, index) => {
    it(`reports a key the API answers with ${behaviour} as ${status}, after exactly one request`, async () => {
      const checked = key(700 + index);
      fake.setBehaviour(checked, behaviour);
      const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { key: checked }));
      assert.equal(result.ok, true);
      assert.equal(result.status, status, result.message);
      assert.match(result.message, words);
      assert.equal(result.host, fake.baseUrl.replace('http://', ''));
      if (typeof behaviour === 'number' && behaviour !== 200) assert.ok(result.requestId && result.message.includes(result.requestId), 'the request id is in the message');
      assert.ok(!JSON.stringify(result).includes(checked), 'the result never holds the key');
      assert.deepEqual(requests, [expectedCheck(checked)]);
    });
  });

  it('checks an Admin key through the Admin API key listing', async () => {
    const admin = key(650, 'admin');
    fake.setBehaviour(admin, 200);
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { key: admin }));
    assert.equal(result.status, 'valid', result.message);
    assert.deepEqual(requests, [expectedCheck(admin, '/v1/organizations/api_keys')]);
  });

  it('refuses to check a placeholder or an OAuth token, without a request', async () => {
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { key: fakeKey(651, 'oat') }));
    assert.deepEqual([result.ok, result.reason], [false, 'rejected-key']);
    assert.match(result.message, /OAuth access token, not an API key/);
    assert.deepEqual(requests, []);
  });

  it('verifies ANTHROPIC_API_KEY from the workspace .env', async () => {
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { source: 'env-file' }));
    assert.equal(result.source, 'env-file');
    assert.equal(result.status, 'valid', result.message);
    assert.deepEqual(requests, [expectedCheck(main)]);
  });

  it('verifies the key under the cursor, and says a live key in a file must be revoked', async () => {
    const other = key(652);
    fake.setBehaviour(other, 401);
    const file = join(dir(), 'cursor.ts');
    const prefix = 'const apiKey = "';
    writeFileSync(file, `${prefix}${other}";\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(0, prefix.length + 10, 0, prefix.length + 10);
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { source: 'cursor' }));
    assert.equal(result.source, 'editor');
    assert.equal(result.status, 'invalid');
    assert.deepEqual(requests, [expectedCheck(other)]);

    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const nothing = await run<VerifyCommandResult>('verifyKey', { source: 'cursor' });
    assert.deepEqual([nothing.ok, nothing.reason], [false, 'no-key-found']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers "Verify whether this key is live" on a hardcoded key, and the action checks that key', async () => {
    const document = await vscode.workspace.openTextDocument(join(dir(), 'client.py'));
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === 'hardcoded-key'), 'the hardcoded key');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    const action = actions.find((candidate) => candidate.title === 'Verify whether this key is live');
    assert.ok(action?.command, `the action is offered; got: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(!JSON.stringify(action.command.arguments).includes(main), 'the action passes a location, not the key');
    const { result, requests } = await requestsDuring(() =>
      vscode.commands.executeCommand<VerifyCommandResult>(action.command!.command, ...(action.command!.arguments ?? [])),
    );
    assert.equal(result.status, 'valid');
    assert.match(result.message, /revoke it in the Anthropic Console/);
    assert.deepEqual(requests, [expectedCheck(main)]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sends no key to a plain-http base URL other than localhost', async () => {
    await setSetting('apiBaseUrl', 'http://gateway.example:8080');
    try {
      const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { name: 'ANTHROPIC_API_KEY' }));
      assert.deepEqual([result.ok, result.reason], [false, 'insecure-base-url']);
      assert.match(result.message, /http:\/\/gateway\.example:8080, which is not HTTPS/);
      const rotation = await run<RotateKeyResult>('rotateKey', { name: 'ANTHROPIC_API_KEY', newKey: rotated });
      assert.deepEqual([rotation.ok, rotation.reason], [false, 'insecure-base-url']);
      assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), main);
      assert.deepEqual(requests, []);
    } finally {
      await setSetting('apiBaseUrl', fake.baseUrl);
    }
  });

  it('gives stored keys to new terminals of the workspace while switched on', async () => {
    const on = await run<UseInTerminalsResult>('useStoredKeyInTerminals', { enable: true });
    assert.equal(on.enabled, true);
    assert.deepEqual(on.keys.map((k) => k.name), ['ANTHROPIC_ANALYTICS_KEY', 'ANTHROPIC_API_KEY']);
    assert.equal(vault.terminalVariable('ANTHROPIC_API_KEY'), main);
    assert.equal(vault.terminalVariable('ANTHROPIC_ANALYTICS_KEY'), analytics);
    assert.ok(!on.message.includes(main));
  });

  it('keeps the old key when the new one does not verify, whatever the reason', async () => {
    const rejected = key(660);
    const hanging = key(661);
    fake.setBehaviour(rejected, 401);
    fake.setBehaviour(hanging, 'hang');
    for (const [newKey, status] of [
      [rejected, 'invalid'],
      [hanging, 'unreachable'],
    ] as const) {
      const { result, requests } = await requestsDuring(() => run<RotateKeyResult>('rotateKey', { name: 'ANTHROPIC_API_KEY', newKey }));
      assert.deepEqual([result.ok, result.reason, result.verification?.status], [false, 'new-key-not-valid', status]);
      assert.match(result.message, new RegExp(`ANTHROPIC_API_KEY still holds the current key \\(${escape(keyHint(main))}\\)`));
      assert.deepEqual(requests, [expectedCheck(newKey)]);
      assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), main);
      assert.equal(vault.terminalVariable('ANTHROPIC_API_KEY'), main);
    }
    const same = await run<RotateKeyResult>('rotateKey', { name: 'ANTHROPIC_API_KEY', newKey: main });
    assert.deepEqual([same.ok, same.reason], [false, 'same-key']);
    const mismatch = await run<RotateKeyResult>('rotateKey', { name: 'ANTHROPIC_API_KEY', newKey: key(662, 'admin') });
    assert.deepEqual([mismatch.ok, mismatch.reason], [false, 'kind-mismatch']);
    const several = await run<RotateKeyResult>('rotateKey', { newKey: rotated });
    assert.deepEqual([several.ok, several.reason], [false, 'missing-argument'], 'with two keys stored, the name is required');
  });

  it('rotates: verifies the new key, replaces the old one, and reminds to revoke it', async () => {
    const storedBefore = vault.metadata().find((r) => r.name === 'ANTHROPIC_API_KEY')!;
    const { result, requests } = await requestsDuring(() => run<RotateKeyResult>('rotateKey', { name: 'ANTHROPIC_API_KEY', newKey: ` ${rotated}\n` }));
    assert.equal(result.ok, true, result.message);
    assert.deepEqual(requests, [expectedCheck(rotated)], 'one check of the new key, nothing sent with the old one');
    assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), rotated);
    assert.equal(vault.terminalVariable('ANTHROPIC_API_KEY'), rotated, 'new terminals get the new key');
    assert.deepEqual([result.oldHint, result.newHint], [keyHint(main), keyHint(rotated)]);
    assert.match(result.message, new RegExp(`revoke the old key ${escape(keyHint(main))} in the Anthropic Console`));

    const record = vault.metadata().find((r) => r.name === 'ANTHROPIC_API_KEY')!;
    assert.equal(record.hint, keyHint(rotated));
    assert.equal(record.environment, storedBefore.environment);
    assert.equal(record.lastResult, 'valid');
    assert.ok(Date.parse(record.storedAt) >= Date.parse(storedBefore.storedAt), 'the rotation reminder counts from the rotation');
  });

  it('reminds to rotate a key older than rotationReminderDays, and only once per window', async () => {
    const reminders = () => vault.notifications.filter((text) => /should be rotated/.test(text)).length;
    const shownBefore = reminders();
    assert.deepEqual(vault.checkRotation(new Date()), []);
    const later = new Date(Date.now() + 91 * DAY_MS);
    assert.deepEqual(vault.checkRotation(later), ['ANTHROPIC_ANALYTICS_KEY', 'ANTHROPIC_API_KEY']);
    assert.deepEqual(vault.checkRotation(later), ['ANTHROPIC_ANALYTICS_KEY', 'ANTHROPIC_API_KEY']);
    assert.equal(reminders(), shownBefore + 1, 'one notification in this window');

    await setSetting('rotationReminderDays', 365);
    assert.deepEqual(vault.checkRotation(later), []);
    await setSetting('rotationReminderDays', 0);
    assert.deepEqual(vault.checkRotation(new Date(Date.now() + 5000 * DAY_MS)), [], '0 turns reminders off');
    await setSetting('rotationReminderDays', undefined);
  });

  it('removes a key only when confirmed, and takes it out of new terminals', async () => {
    const unconfirmed = await run<RemoveKeyResult>('removeKey', { name: 'ANTHROPIC_ANALYTICS_KEY' });
    assert.deepEqual([unconfirmed.ok, unconfirmed.reason], [false, 'cancelled']);
    assert.equal(await vault.readSecret('ANTHROPIC_ANALYTICS_KEY'), analytics);

    const { result, requests } = await requestsDuring(() => run<RemoveKeyResult>('removeKey', { name: 'ANTHROPIC_ANALYTICS_KEY', confirm: true }));
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /stays live until you revoke it/);
    assert.match(result.message, /New terminals no longer get it/);
    assert.equal(await vault.readSecret('ANTHROPIC_ANALYTICS_KEY'), undefined);
    assert.deepEqual(vault.metadata().map((r) => r.name), ['ANTHROPIC_API_KEY']);
    assert.equal(vault.terminalVariable('ANTHROPIC_ANALYTICS_KEY'), undefined);
    assert.equal(vault.terminalVariable('ANTHROPIC_API_KEY'), rotated);
    assert.deepEqual(requests, []);

    const unknown = await run<RemoveKeyResult>('removeKey', { name: 'ANTHROPIC_ANALYTICS_KEY', confirm: true });
    assert.deepEqual([unknown.ok, unknown.reason], [false, 'unknown-name']);
  });

  it('stops giving keys to terminals when switched off', async () => {
    const off = await run<UseInTerminalsResult>('useStoredKeyInTerminals', { enable: false });
    assert.equal(off.enabled, false);
    assert.equal(vault.terminalVariable('ANTHROPIC_API_KEY'), undefined);
  });

  it('removes the last key, after which verifying it by name fails without a request', async () => {
    const removed = await run<RemoveKeyResult>('removeKey', { name: 'ANTHROPIC_API_KEY', confirm: true });
    assert.equal(removed.ok, true);
    assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), undefined);
    assert.deepEqual(vault.metadata(), []);
    const { result, requests } = await requestsDuring(() => run<VerifyCommandResult>('verifyKey', { name: 'ANTHROPIC_API_KEY' }));
    assert.deepEqual([result.ok, result.reason], [false, 'unknown-name']);
    assert.deepEqual(requests, []);
    const listed = await run<ListKeysResult>('listKeys', {});
    assert.deepEqual(listed.keys, []);
  });

  it('never showed a full key in any notification', () => {
    assert.ok(vault.notifications.length > 10, `notifications were recorded (${vault.notifications.length})`);
    for (const text of vault.notifications) {
      for (const secret of used) assert.ok(!text.includes(secret), `a notification showed the key ${keyHint(secret)}: ${text.split(secret).join('<KEY>')}`);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
