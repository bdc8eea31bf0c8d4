// Issue 17 in the real VS Code, against the fake Anthropic API and Admin API on 127.0.0.1: the Anthropic Keys view
// without and with an Admin key, a leaked key's organisation record, Deactivate (through its modal confirmation, as
// a user answers it), Reactivate and Archive, the full rotation as a user runs it, the usage watch, the
// secrets-manager quick fix; every request counted, none made unless a command asked for it or the watch is on.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AdminTestApi, KeyVaultTestApi } from '../../src/extension';
import { keyHint } from '../../src/core/hint';
import type { RotateKeyResult, StoreKeyResult } from '../../src/features/keyCommands';
import type { KeyStatusResult, RefreshKeysResult } from '../../src/features/keyStatusCommands';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeOrgKey, type RecordedRequest } from '../support/fakeAnthropicServer';
import { fakeKey } from '../support/fakeKeys';
import { activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from './helpers';
import { ScriptedUser } from './scriptedUser';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

function run<T>(command: string, args: object = {}): Thenable<T> {
  return vscode.commands.executeCommand<T>(`anthropicKeyHygiene.${command}`, { interactive: false, ...args });
}

describe('Anthropic Keys: inventory, key status, rotation, usage watch (issue 17)', function () {
  let fake: FakeAnthropicServer;
  let vault: KeyVaultTestApi;
  let admin: AdminTestApi;
  const keys = {
    leaked: fakeKey(1701),
    staging: fakeKey(1702),
    production: fakeKey(1703),
    rotated: fakeKey(1704),
    spare: fakeKey(1705),
    adminKey: fakeKey(1706, 'admin'),
    quickFix: fakeKey(1707),
  };
  const org: Record<string, FakeOrgKey> = {};
  const dir = () => join(workspaceFolder(), 'anthropic-keys');
  const envFile = () => join(dir(), '.env');
  const config = () => vscode.workspace.getConfiguration('anthropicKeyHygiene');
  async function setSetting(name: string, value: unknown): Promise<void> {
    if (config().inspect(name)?.globalValue === value) return;
    const heard = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), 5000);
      const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`anthropicKeyHygiene.${name}`)) done();
      });
      const done = () => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
    });
    await config().update(name, value, vscode.ConfigurationTarget.Global);
    await heard;
  }
  async function requestsDuring<T>(action: () => Thenable<T> | Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
    const before = fake.requests.length;
    const result = await action();
    return { result, requests: fake.requests.slice(before) };
  }
  const route = (request: RecordedRequest) => `${request.method} ${request.path}`;

  before(async () => {
    fake = await startFakeAnthropicServer();
    fake.organization.workspaces.push({ id: 'wrkspc_01Production', name: 'Production' });
    const tenDaysAgo = new Date(Date.now() - 10 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    org.leaked = fake.addOrgKey({ name: 'ci-prod', key: keys.leaked, workspaceId: 'wrkspc_01Production', createdAt: tenDaysAgo });
    org.staging = fake.addOrgKey({ name: 'staging', key: keys.staging, createdAt: tenDaysAgo, expiresAt: new Date(Date.now() + 5 * DAY).toISOString() });
    org.production = fake.addOrgKey({ name: 'prod-app', key: keys.production, workspaceId: 'wrkspc_01Production', createdAt: tenDaysAgo });
    org.rotated = fake.addOrgKey({ name: 'prod-app-2', key: keys.rotated, workspaceId: 'wrkspc_01Production' });
    org.spare = fake.addOrgKey({ name: 'spare', key: keys.spare, status: 'inactive' });
    fake.setBehaviour(keys.adminKey, 200);
    const api = await activateExtension();
    assert.ok(api.keyVaultForTests && api.adminForTests, 'the test-only APIs are there when VS Code runs tests');
    vault = api.keyVaultForTests;
    admin = api.adminForTests;
    await setSetting('apiBaseUrl', fake.baseUrl);
    await setSetting('verifyTimeoutSeconds', 2);
    mkdirSync(dir(), { recursive: true });
  });

  after(async () => {
    await setSetting('usageWatch.enabled', undefined);
    for (const record of vault.metadata()) await run('removeKey', { name: record.name, confirm: true });
    for (const setting of ['apiBaseUrl', 'verifyTimeoutSeconds']) await setSetting(setting, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir(), { recursive: true, force: true });
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
    await fake.close();
  });

  it('lists the stored keys and the keys found in files without an Admin key, and makes no request', async () => {
    await run<StoreKeyResult>('storeKey', { key: keys.staging, name: 'ANTHROPIC_STAGING_KEY', environment: 'staging', verify: false });
    await run<StoreKeyResult>('storeKey', { key: keys.production, name: 'ANTHROPIC_API_KEY', environment: 'production', verify: false });
    const file = join(dir(), 'leak.py');
    writeFileSync(file, `client = Anthropic(api_key="${keys.leaked}")\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === 'hardcoded-key'), 'the hardcoded key');
    writeFileSync(envFile(), `ANTHROPIC_API_KEY=${keys.production}\n`);

    const { result, requests } = await requestsDuring(() => run<RefreshKeysResult>('refreshKeys'));
    assert.deepEqual([result.ok, result.reason], [false, 'no-admin-key']);
    assert.deepEqual(requests, [], 'no Admin key, no request');
    const entries = admin.inventory();
    assert.ok(entries.length >= 3 && entries.every((entry) => entry.organization === undefined), 'nothing of the organisation is known');
    const leaked = entries.find((entry) => entry.hint === keyHint(keys.leaked));
    assert.deepEqual(leaked?.foundIn, [{ file: 'anthropic-keys/leak.py', line: 0 }]);
    assert.deepEqual(entries.find((entry) => entry.hint === keyHint(keys.production))?.storedAs, ['ANTHROPIC_API_KEY']);
    const noAdmin = await requestsDuring(() => run<KeyStatusResult>('deactivateKey', { id: 'apikey_01Whatever', confirm: true }));
    assert.deepEqual([noAdmin.result.ok, noAdmin.result.reason, noAdmin.requests], [false, 'no-admin-key', []]);
    assert.match(noAdmin.result.message, /store an Admin key first/);
    const rows = admin.viewRows();
    assert.match(rows[0].label, /No Admin key stored/);
    assert.ok(rows.some((row) => row.label === 'ANTHROPIC_STAGING_KEY' && row.description.includes(keyHint(keys.staging)) && row.contextValue === 'localKey'));
  });

  it('stores an Admin key, verifies it against the Admin API, and reads the organisation into the view on refresh', async () => {
    const stored = await requestsDuring(() => run<StoreKeyResult>('storeKey', { key: keys.adminKey, environment: 'production', verify: true }));
    assert.equal(stored.result.name, 'ANTHROPIC_ADMIN_KEY', 'an Admin key is stored under its own default name');
    assert.equal(stored.result.verification?.status, 'valid', stored.result.message);
    assert.deepEqual(stored.requests.map((r) => [route(r), r.query.limit]), [['GET /v1/organizations/api_keys', '1']]);
    assert.equal(vault.terminalVariable('ANTHROPIC_ADMIN_KEY'), undefined, 'an Admin key is never given to terminals');

    const { result, requests } = await requestsDuring(() => run<RefreshKeysResult>('refreshKeys'));
    assert.equal(result.ok, true, result.message);
    assert.equal(result.keys, 6);
    assert.deepEqual(requests.map(route).sort(), ['GET /v1/organizations/api_keys', 'GET /v1/organizations/users', 'GET /v1/organizations/workspaces']);
    assert.ok(requests.every((r) => r.headers['x-api-key'] === keyHint(keys.adminKey)));

    const ci = admin.inventory().find((entry) => entry.organization?.name === 'ci-prod')!;
    assert.deepEqual(
      [ci.organization?.status, ci.organization?.workspaceName, ci.organization?.creatorName, ci.organization?.ageDays, ci.organization?.neverExpires, ci.foundIn.length],
      ['active', 'Production', 'Jane Doe', 10, true, 1],
    );
    const rows = admin.viewRows();
    const ciRow = rows.find((row) => row.label === 'ci-prod')!;
    assert.equal(ciRow.contextValue, 'orgKey-active');
    assert.equal(ciRow.icon, 'warning', 'an active key found in a file is flagged');
    assert.match(ciRow.description, /active · Production · 10 days old · never expires · in 1 file/);
    assert.match(ciRow.tooltip, /Created by:\*\* Jane Doe/);
    const staging = rows.find((row) => row.label === 'staging')!;
    assert.match(staging.description, /expires in 5 days · stored here/);
    assert.match(rows.find((row) => row.label === 'spare')!.contextValue, /^orgKey-inactive$/);
  });

  it("says what a leaked key is in the organisation, on its record and in the report, without a request", async () => {
    const { result, requests } = await requestsDuring(async () => {
      const sentence = admin.leakRecord(keyHint(keys.leaked));
      const markdown = await vscode.commands.executeCommand<string>('anthropicKeyHygiene.exportReport', { interactive: false });
      return { sentence, markdown };
    });
    assert.match(result.sentence ?? '', /^This key is ACTIVE: 'ci-prod' in workspace Production, created by Jane Doe on \d{4}-\d\d-\d\d\. Deactivate it now/);
    assert.ok(result.markdown.includes(`${keyHint(keys.leaked)}: This key is ACTIVE: 'ci-prod'`), 'the report names the leaked key’s record');
    assert.deepEqual(requests, []);
  });

  it("puts the leaked key's record at the line, in its diagnostic, without a request", async () => {
    const document = await vscode.workspace.openTextDocument(join(dir(), 'leak.py'));
    const { result: diagnostics, requests } = await requestsDuring(() =>
      waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === 'hardcoded-key' && /^This key is ACTIVE: 'ci-prod'/.test(x.message)), "the key's record in its diagnostic"),
    );
    const [diagnostic] = diagnostics.filter((x) => ruleOf(x) === 'hardcoded-key');
    assert.match(diagnostic.message, /^This key is ACTIVE: 'ci-prod' in workspace Production, created by Jane Doe on \d{4}-\d\d-\d\d\. Deactivate it now.* Hardcoded Anthropic API key/);
    assert.ok(!diagnostic.message.includes(keys.leaked));
    assert.deepEqual(requests, []);
  });

  it('deactivates a key only after a modal confirmation that names it and says what stops working', async () => {
    const user = new ScriptedUser();
    try {
      // First the user dismisses the dialog: nothing changes, nothing is sent.
      user.expect();
      const dismissed = await requestsDuring(() => vscode.commands.executeCommand<KeyStatusResult>('anthropicKeyHygiene.deactivateKey', { id: org.leaked.id }));
      assert.deepEqual([dismissed.result.ok, dismissed.result.reason], [false, 'cancelled']);
      assert.deepEqual(dismissed.requests, []);
      assert.equal(org.leaked.status, 'active');
      assert.equal(user.unexpected.length, 1, 'the one dialog was the confirmation, dismissed');

      user.expect({ kind: 'modal', when: /^Deactivate 'ci-prod'/, click: 'Deactivate' });
      const { result, requests } = await requestsDuring(() => vscode.commands.executeCommand<KeyStatusResult>('anthropicKeyHygiene.deactivateKey', { id: org.leaked.id }));
      assert.equal(result.ok, true, result.message);
      const dialog = user.seen.filter((prompt) => prompt.kind === 'modal').pop()!;
      assert.ok(dialog.text.includes(`Deactivate 'ci-prod' (${keyHint(keys.leaked)}) in Production?`), dialog.text);
      assert.match(dialog.text, /Every program, server and CI job that uses this key will get authentication errors until it is reactivated\. It is in anthropic-keys\/leak\.py:1\./);
      assert.deepEqual(requests.map((r) => [route(r), r.body]), [[`POST /v1/organizations/api_keys/${org.leaked.id}`, { status: 'inactive' }]]);
      assert.equal(org.leaked.status, 'inactive');
      assert.equal(admin.viewRows().find((row) => row.label === 'ci-prod')?.contextValue, 'orgKey-inactive');
      assert.equal(user.unexpected.length, 1, 'no other question was asked');
    } finally {
      user.dispose();
    }
    const verified = await run<{ status?: string }>('verifyKey', { key: keys.leaked });
    assert.equal(verified.status, 'invalid', 'the deactivated key no longer works');
  });

  it('reactivates, and archives only with the key’s name typed (it cannot be undone)', async () => {
    const reactivated = await run<KeyStatusResult>('reactivateKey', { id: org.leaked.id, confirm: true });
    assert.deepEqual([reactivated.ok, reactivated.status, org.leaked.status], [true, 'active', 'active']);

    const { result: refused, requests } = await requestsDuring(() => run<KeyStatusResult>('archiveKey', { id: org.spare.id, confirm: true }));
    assert.deepEqual([refused.ok, refused.reason], [false, 'cancelled']);
    assert.deepEqual(requests, []);
    const archived = await run<KeyStatusResult>('archiveKey', { id: org.spare.id, confirm: true, typedName: 'spare' });
    assert.deepEqual([archived.ok, org.spare.status], [true, 'archived']);
    const again = await run<KeyStatusResult>('reactivateKey', { id: org.spare.id, confirm: true });
    assert.deepEqual([again.ok, again.reason], [false, 'not-allowed']);
  });

  it('says what went wrong on every failure path of a status change, and changes nothing', async () => {
    const unknown = await requestsDuring(() => run<KeyStatusResult>('deactivateKey', { id: 'apikey_01NotThere', confirm: true }));
    assert.deepEqual([unknown.result.reason, unknown.requests], ['unknown-key', []]);
    const noTarget = await run<KeyStatusResult>('deactivateKey', { confirm: true });
    assert.equal(noTarget.reason, 'missing-argument');
    const byHint = await run<KeyStatusResult>('deactivateKey', { hint: keyHint(keys.quickFix), confirm: true });
    assert.equal(byHint.reason, 'unknown-key', 'a hint no organisation key has');

    for (const behaviour of [500, 'drop', 403, 429] as const) {
      fake.failNext('POST /v1/organizations/api_keys/:id', behaviour);
      const { result, requests } = await requestsDuring(() => run<KeyStatusResult>('deactivateKey', { id: org.leaked.id, confirm: true }));
      assert.deepEqual([result.ok, result.reason], [false, 'request-failed'], String(behaviour));
      assert.match(result.message, /^Could not set the API key apikey_\w+ to inactive: /);
      assert.equal(org.leaked.status, 'active', `${behaviour}: nothing changed`);
      // A change without an answer is read back before anything is said.
      const expected = behaviour === 500 || behaviour === 'drop' ? ['POST', 'GET'] : ['POST'];
      assert.deepEqual(requests.map((r) => r.method), expected, String(behaviour));
      if (expected.length === 2) assert.match(result.message, /Read back: the key is still active\./);
    }
  });

  it('rotates end to end as a user runs it: Console, new key, diff, checks, old key deactivated, date recorded', async () => {
    const user = new ScriptedUser();
    let outcome: { result: RotateKeyResult; requests: RecordedRequest[] };
    try {
      user.expect(
        { kind: 'modal', when: /^Rotate ANTHROPIC_API_KEY \(.*\): first create a new key in the Anthropic Console/, click: 'I Have the New Key' },
        { kind: 'input', when: /^Rotate ANTHROPIC_API_KEY/, type: keys.rotated, password: true },
        { kind: 'modal', when: /^Replace the old key in 1 \.env file/, click: 'Replace' },
      );
      outcome = await requestsDuring(() => vscode.commands.executeCommand<RotateKeyResult>('anthropicKeyHygiene.rotateKey', { name: 'ANTHROPIC_API_KEY' }));
      assert.deepEqual(user.unexpected, []);
      assert.deepEqual(user.pending, []);
    } finally {
      user.dispose();
    }
    const { result, requests } = outcome;
    assert.equal(result.ok, true, result.message);
    assert.deepEqual(result.steps, ['verify-new', 'store-new', 'env-files', 'terminals', 'verify-again', 'deactivate-old', 'record']);
    assert.deepEqual(result.oldKey, { action: 'deactivated', id: org.production.id, name: 'prod-app' });
    assert.deepEqual(
      requests.map(route),
      ['GET /v1/models', 'GET /v1/models', 'GET /v1/organizations/api_keys', `POST /v1/organizations/api_keys/${org.production.id}`, `GET /v1/organizations/api_keys/${org.production.id}`],
    );
    assert.ok(requests.slice(0, 2).every((r) => r.headers['x-api-key'] === keyHint(keys.rotated)), 'only the new key is checked');
    assert.equal(await vault.readSecret('ANTHROPIC_API_KEY'), keys.rotated);
    assert.equal(readFileSync(envFile(), 'utf8'), `ANTHROPIC_API_KEY=${keys.rotated}\n`);
    assert.equal(org.production.status, 'inactive');
    assert.ok(Date.now() - Date.parse(vault.metadata().find((r) => r.name === 'ANTHROPIC_API_KEY')!.rotatedAt ?? '') < 60_000);
    assert.ok(Date.now() - Date.parse(vault.rotatedHints()[keyHint(keys.production)] ?? '') < 60_000, 'the old key’s hint is remembered as rotated');
    assert.match(result.message, new RegExp(`the old key 'prod-app' \\(${keyHint(keys.production).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) is deactivated`));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('makes no request while the usage watch is off, whatever else runs; a workspace cannot switch it on', async () => {
    const manifest = JSON.parse(readFileSync(join(vscode.extensions.getExtension('key-hygiene.anthropic-key-hygiene')!.extensionPath, 'package.json'), 'utf8'));
    assert.equal(manifest.contributes.configuration.properties['anthropicKeyHygiene.usageWatch.enabled'].scope, 'machine');
    assert.equal(manifest.contributes.configuration.properties['anthropicKeyHygiene.usageWatch.intervalMinutes'].minimum, 5);
    const { requests } = await requestsDuring(async () => {
      await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
      await vscode.commands.executeCommand('anthropicKeyHygiene.showReport');
      await vscode.commands.executeCommand('anthropicKeyHygiene.exportReport', { interactive: false });
      admin.viewRows();
      admin.leakRecord(keyHint(keys.leaked));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
    assert.deepEqual(requests, []);
    assert.equal(admin.usageWatch.scheduled, false, 'no timer while the watch is off');
  });

  it('watches usage when switched on: a spike and a leaked key in use are each said once, no faster than every 5 minutes', async () => {
    const now = Date.now() + 2 * HOUR;
    const lastHour = Math.floor(now / HOUR) * HOUR - HOUR;
    // A steady week for staging, then a spike; the leaked key used in the last hour (after the leak was found).
    for (let hour = lastHour - 8 * DAY; hour < lastHour; hour += HOUR) {
      fake.organization.usage.push({ apiKeyId: org.staging.id, hour: new Date(hour).toISOString(), uncachedInputTokens: 900, outputTokens: 100 });
    }
    fake.organization.usage.push({ apiKeyId: org.staging.id, hour: new Date(lastHour).toISOString(), uncachedInputTokens: 400_000, outputTokens: 100_000 });
    fake.organization.usage.push({ apiKeyId: org.leaked.id, hour: new Date(lastHour).toISOString(), uncachedInputTokens: 50, outputTokens: 10 });

    await setSetting('usageWatch.enabled', true);
    assert.equal(admin.usageWatch.scheduled, true);
    const { result: alerts, requests } = await requestsDuring(() => admin.usageWatch.pollNow(new Date(now)));
    assert.deepEqual(alerts.map((alert) => [alert.kind, alert.keyId]).sort(), [
      ['leaked-key-used', org.leaked.id],
      ['spike', org.staging.id],
    ]);
    assert.deepEqual(requests.map(route), ['GET /v1/organizations/api_keys', 'GET /v1/organizations/analytics/usage']);
    assert.ok(vault.notifications.some((text) => /^Unusual use of the key 'staging' .*500,000 tokens in the hour/.test(text)));
    assert.ok(vault.notifications.some((text) => /^The key 'ci-prod' .* found in this workspace's files on .* was used after that/.test(text)));
    assert.equal(admin.usageWatch.state.lastReadAt, new Date(now).toISOString());

    const tooSoon = await requestsDuring(() => admin.usageWatch.pollNow(new Date(now + 60_000)));
    assert.deepEqual([tooSoon.result, tooSoon.requests], [[], []], 'a minute later: no request at all');
    const later = await requestsDuring(() => admin.usageWatch.pollNow(new Date(now + 6 * 60_000)));
    assert.deepEqual(later.result, [], 'the same alerts are not said twice');
    const usageRead = later.requests.find((r) => r.path === '/v1/organizations/analytics/usage')!;
    assert.ok(Date.parse(usageRead.query.starting_at) >= now - 4 * HOUR, 'later reads cover the last hours only');

    const markdown = await vscode.commands.executeCommand<string>('anthropicKeyHygiene.exportReport', { interactive: false });
    assert.match(markdown, /`usage-monitoring`: pass/);
    assert.match(markdown, /`usage-alerts`: pass/);

    // The Admin key stops working: the watch says so once, not at every poll.
    const warnings = () => vault.notifications.filter((text) => text.startsWith('The Anthropic usage watch could not read the usage report')).length;
    fake.failNext('GET /v1/organizations/api_keys', 401, 2);
    await admin.usageWatch.pollNow(new Date(now + 12 * 60_000));
    await admin.usageWatch.pollNow(new Date(now + 18 * 60_000));
    assert.equal(warnings(), 1);
    assert.match(admin.usageWatch.state.lastError ?? '', /rejected the Admin key \(HTTP 401/);
    await setSetting('usageWatch.enabled', false);
    assert.equal(admin.usageWatch.scheduled, false);
  });

  it('offers "Read it from AWS Secrets Manager" on a key in server code, storing the key before the code changes', async () => {
    const file = join(dir(), 'server.py');
    writeFileSync(file, `from anthropic import Anthropic\n\nclient = Anthropic(api_key="${keys.quickFix}")\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(document.uri, (d) => d.some((x) => ruleOf(x) === 'hardcoded-key'), 'the hardcoded key');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    const action = actions.find((candidate) => candidate.title === 'Read it from AWS Secrets Manager (anthropic/api-key)');
    assert.ok(action?.command, `offered; got: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(!JSON.stringify(action.command.arguments).includes(keys.quickFix), 'the action passes a location, not the key');
    const result = await vscode.commands.executeCommand<{ ok: boolean; storedAs?: string; message: string }>(action.command.command, ...(action.command.arguments ?? []));
    assert.equal(result.ok, true, result.message);
    assert.equal(await vault.readSecret(result.storedAs!), keys.quickFix, 'the key is kept in Secret Storage');
    assert.equal(
      document.getText(),
      'import boto3\nfrom anthropic import Anthropic\n\nclient = Anthropic(api_key=boto3.client("secretsmanager").get_secret_value(SecretId="anthropic/api-key")["SecretString"])\n',
    );
    await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('never showed a key or the Admin key in a notification, the view or a result', () => {
    const shown = [...vault.notifications, ...admin.viewRows().map((row) => `${row.label} ${row.description} ${row.tooltip}`), JSON.stringify(admin.inventory())];
    for (const text of shown) for (const key of Object.values(keys)) assert.ok(!text.includes(key), `a key (${keyHint(key)}) was shown: ${text.split(key).join('<KEY>')}`);
  });
});
