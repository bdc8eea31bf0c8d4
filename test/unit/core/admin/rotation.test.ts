// Rotation end to end against real .env files in a temporary folder and the fake Anthropic API (the new key is
// checked on /v1/models, the old one deactivated through the Admin API), interrupted at every step: whatever the
// step, every place holds the old key or the new one, whole, and the old key is live as long as any place holds it.
// Then the rotation is resumed, and must finish. The keychain and the journal are in-memory stand-ins for VS Code's
// SecretStorage and globalState (the real ones are exercised by the integration suite).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApi } from '../../../../src/core/admin/adminApi';
import { ROTATION_STEPS, abandonRotation, rotateKey, type RotationJournal, type RotationPorts, type RotationStep } from '../../../../src/core/admin/rotation';
import { keyHint } from '../../../../src/core/hint';
import { verifyKey } from '../../../../src/core/verify';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeOrgKey } from '../../../support/fakeAnthropicServer';
import { fakeKey } from '../../../support/fakeKeys';

class Interrupted extends Error {}

interface World {
  dir: string;
  envFiles: string[];
  originals: Map<string, string>;
  secrets: Map<string, string>;
  pending: Map<string, string>;
  journals: Map<string, string>;
  recorded: Array<{ name: string; oldHint: string; newHint: string }>;
  oldOrgKey: FakeOrgKey;
  ports: (options?: { interruptAt?: { step: RotationStep; detail?: string }; confirm?: (edits: unknown[]) => boolean | Promise<boolean>; admin?: boolean }) => RotationPorts;
}

describe('Rotation (src/core/admin/rotation.ts), interrupted at every step', () => {
  let fake: FakeAnthropicServer;
  let world: World;
  let seed = 7000;
  let oldKey: string;
  let newKey: string;
  let adminKey: string;

  beforeEach(async () => {
    fake = await startFakeAnthropicServer();
    oldKey = fakeKey(seed++);
    newKey = fakeKey(seed++);
    adminKey = fakeKey(seed++, 'admin');
    fake.setBehaviour(adminKey, 200);
    const oldOrgKey = fake.addOrgKey({ name: 'ci-prod', key: oldKey });
    fake.addOrgKey({ name: 'ci-prod (new)', key: newKey });
    const dir = mkdtempSync(join(tmpdir(), 'akh-rotation-'));
    mkdirSync(join(dir, 'svc'));
    const envFiles = [join(dir, '.env'), join(dir, 'svc', '.env.production'), join(dir, 'svc', '.env.other')];
    const originals = new Map<string, string>([
      [envFiles[0], `# keys\nANTHROPIC_API_KEY=${oldKey}\nOTHER=1\n`],
      // CRLF, the key twice (quoted and exported), no final newline: every other byte must survive.
      [envFiles[1], `export ANTHROPIC_API_KEY="${oldKey}"\r\nBACKUP_KEY='${oldKey}'\r\nTAIL=x`],
      [envFiles[2], 'NOTHING=here\n'],
    ]);
    for (const [path, text] of originals) writeFileSync(path, text);
    const secrets = new Map([
      ['ANTHROPIC_API_KEY', oldKey],
      ['ANTHROPIC_ANALYTICS_KEY', oldKey],
      ['UNRELATED', fakeKey(seed++)],
    ]);
    const pending = new Map<string, string>();
    const journals = new Map<string, string>();
    const recorded: World['recorded'] = [];
    world = {
      dir,
      envFiles,
      originals,
      secrets,
      pending,
      journals,
      recorded,
      oldOrgKey,
      ports: (options = {}) => {
        let interrupted = false;
        return {
          secrets: {
            names: () => [...secrets.keys()],
            get: async (name) => secrets.get(name),
            set: async (name, secret) => void secrets.set(name, secret),
          },
          pending: {
            get: async (name, which) => pending.get(`${name}.${which}`),
            set: async (name, which, secret) => void pending.set(`${name}.${which}`, secret),
            clear: async (name) => {
              pending.delete(`${name}.old`);
              pending.delete(`${name}.new`);
            },
          },
          // Kept as JSON, as globalState keeps it, so a journal that could not be serialised would fail here.
          journal: {
            load: (name) => (journals.has(name) ? (JSON.parse(journals.get(name)!) as RotationJournal) : undefined),
            save: async (journal) => void journals.set(journal.name, JSON.stringify(journal)),
            clear: async (name) => void journals.delete(name),
          },
          envFiles: async () => envFiles,
          confirmEnvEdits: async (edits) => (options.confirm ? options.confirm([...edits]) : true),
          refreshTerminals: async () => undefined,
          verify: async (key) => {
            const result = await verifyKey(key, { baseUrl: fake.baseUrl, timeoutMs: 2000 });
            return { live: result.status === 'valid', message: result.message };
          },
          ...(options.admin === false ? {} : { admin: createAdminApi(adminKey, { baseUrl: fake.baseUrl, timeoutMs: 2000 }) }),
          recordRotation: async (name, _at, oldHint, newHint) => void recorded.push({ name, oldHint, newHint }),
          checkpoint: (step, detail) => {
            const at = options.interruptAt;
            if (!interrupted && at && at.step === step && (at.detail === undefined || at.detail === detail)) {
              interrupted = true;
              throw new Interrupted(`interrupted before ${step}${detail ? ` (${detail})` : ''}`);
            }
          },
        };
      },
    };
  });

  afterEach(async () => {
    await fake.close();
    rmSync(world.dir, { recursive: true, force: true });
  });

  const replaced = (text: string) => text.split(oldKey).join(newKey);
  const orgStatus = () => fake.organization.apiKeys.find((key) => key.id === world.oldOrgKey.id)!.status;

  /** The invariant: every place holds old or new, whole; the old key is live while any place holds it. */
  function assertNoPlaceWithNeither(when: string): void {
    let holdsOld = false;
    for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_ANALYTICS_KEY']) {
      const value = world.secrets.get(name);
      assert.ok(value === oldKey || value === newKey, `${when}: ${name} holds the old or the new key`);
      holdsOld ||= value === oldKey;
    }
    for (const [path, original] of world.originals) {
      const now = readFileSync(path, 'utf8');
      assert.ok(now === original || now === replaced(original), `${when}: ${path} is either untouched or fully rotated`);
      holdsOld ||= now.includes(oldKey);
    }
    if (holdsOld) assert.equal(orgStatus(), 'active', `${when}: the old key stays active while a place holds it`);
    assert.equal(world.secrets.get('UNRELATED')?.startsWith('sk-'), true, 'an unrelated stored key is left alone');
    for (const journal of world.journals.values()) {
      assert.ok(!journal.includes(oldKey) && !journal.includes(newKey), 'the journal never holds a key');
    }
  }

  function assertFinished(): void {
    assert.equal(world.secrets.get('ANTHROPIC_API_KEY'), newKey);
    assert.equal(world.secrets.get('ANTHROPIC_ANALYTICS_KEY'), newKey);
    for (const [path, original] of world.originals) assert.equal(readFileSync(path, 'utf8'), replaced(original), `${path} holds the new key, every other byte kept`);
    assert.equal(orgStatus(), 'inactive', 'the old key is deactivated');
    assert.equal(world.journals.size, 0, 'the journal is cleared');
    assert.equal(world.pending.size, 0, 'the pending copies are gone from the keychain');
    assert.deepEqual(world.recorded, [{ name: 'ANTHROPIC_API_KEY', oldHint: keyHint(oldKey), newHint: keyHint(newKey) }]);
  }

  it('runs every step in order, checking each, and ends with the old key deactivated', async () => {
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports());
    assert.equal(outcome.completed, true, outcome.detail);
    assert.deepEqual(outcome.stepsDone, [...ROTATION_STEPS]);
    assert.deepEqual(outcome.storedNames, ['ANTHROPIC_API_KEY', 'ANTHROPIC_ANALYTICS_KEY']);
    assert.deepEqual(outcome.envFilesChanged, world.envFiles.slice(0, 2));
    assert.deepEqual(outcome.oldKey, { action: 'deactivated', id: world.oldOrgKey.id, name: 'ci-prod' });
    assertFinished();
    assert.deepEqual(
      fake.requests.map((request) => `${request.method} ${request.path}`),
      [
        'GET /v1/models',
        'GET /v1/models',
        'GET /v1/organizations/api_keys',
        `POST /v1/organizations/api_keys/${world.oldOrgKey.id}`,
        `GET /v1/organizations/api_keys/${world.oldOrgKey.id}`,
      ],
      'the new key checked twice, then the old key found by hint, deactivated, and read back',
    );
    assert.ok(fake.requests.slice(0, 2).every((request) => request.headers['x-api-key'] === keyHint(newKey)), 'the old key is never sent');
  });

  const interruptions: Array<{ step: RotationStep; detail?: (w: World) => string; label: string }> = [
    ...ROTATION_STEPS.map((step) => ({ step, label: step })),
    { step: 'env-files', detail: (w: World) => w.envFiles[0], label: 'env-files, before the first file' },
    { step: 'env-files', detail: (w: World) => w.envFiles[1], label: 'env-files, between the two files' },
  ];
  for (const { step, detail, label } of interruptions) {
    it(`leaves no place with neither key when interrupted at ${label}, and resumes to the end`, async () => {
      const interruptAt = { step, ...(detail ? { detail: detail(world) } : {}) };
      await assert.rejects(rotateKey('ANTHROPIC_API_KEY', newKey, world.ports({ interruptAt })), Interrupted);
      assertNoPlaceWithNeither(`interrupted at ${label}`);
      // A journal exists once the new key proved live; before that, nothing was remembered and a fresh start is right.
      const resumeWith = world.journals.has('ANTHROPIC_API_KEY') ? undefined : newKey;
      const outcome = await rotateKey('ANTHROPIC_API_KEY', resumeWith, world.ports());
      assert.equal(outcome.completed, true, outcome.detail);
      assert.equal(outcome.resumed, resumeWith === undefined);
      assertFinished();
    });
  }

  it('changes nothing and remembers nothing when the new key is not live', async () => {
    const dead = fakeKey(seed++);
    const outcome = await rotateKey('ANTHROPIC_API_KEY', dead, world.ports());
    assert.deepEqual([outcome.completed, outcome.stoppedAt, outcome.reason], [false, 'verify-new', 'new-key-not-live']);
    assert.match(outcome.detail!, /not confirmed live, so nothing was changed/);
    assert.equal(world.secrets.get('ANTHROPIC_API_KEY'), oldKey);
    assert.equal(world.journals.size + world.pending.size, 0, 'a dead key does not block the next attempt');
    assert.equal(fake.requests.length, 1);
    assert.ok(!JSON.stringify(outcome).includes(dead));
  });

  it('stops before any .env file changes when the diff is declined, with the old key still active, and resumes later', async () => {
    let shown: Array<{ path: string; lines: number[]; diff: string }> = [];
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports({ confirm: (edits) => ((shown = edits as typeof shown), false) }));
    assert.deepEqual([outcome.stoppedAt, outcome.reason], ['env-files', 'env-edit-declined']);
    assert.deepEqual(shown.map((edit) => [edit.path, edit.lines]), [
      [world.envFiles[0], [2]],
      [world.envFiles[1], [1, 2]],
    ]);
    assert.ok(shown.every((edit) => !edit.diff.includes(oldKey) && !edit.diff.includes(newKey)), 'the diff shows hints only');
    assert.match(shown[0].diff, new RegExp(`- ANTHROPIC_API_KEY=${keyHint(oldKey).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assertNoPlaceWithNeither('after the declined diff');
    assert.equal(orgStatus(), 'active');
    const resumed = await rotateKey('ANTHROPIC_API_KEY', undefined, world.ports());
    assert.equal(resumed.completed, true, resumed.detail);
    assertFinished();
  });

  it('keeps an edit saved to a .env file while the rotation ran, and stops rather than overwrite it', async () => {
    const edited = `${world.originals.get(world.envFiles[0])}ADDED_BY_USER=1\n`;
    const outcome = await rotateKey(
      'ANTHROPIC_API_KEY',
      newKey,
      world.ports({
        confirm: () => {
          writeFileSync(world.envFiles[0], edited);
          return true;
        },
      }),
    );
    assert.deepEqual([outcome.stoppedAt, outcome.reason], ['env-files', 'env-file-changed']);
    assert.equal(readFileSync(world.envFiles[0], 'utf8'), edited, 'the user’s edit is kept');
    assert.equal(orgStatus(), 'active');
    world.originals.set(world.envFiles[0], edited);
    const resumed = await rotateKey('ANTHROPIC_API_KEY', undefined, world.ports());
    assert.equal(resumed.completed, true, resumed.detail);
    assertFinished();
  });

  it('leaves the old key active while a place it cannot write (a link named .env.local) still holds it', async () => {
    const target = join(world.dir, 'elsewhere.txt');
    writeFileSync(target, `ANTHROPIC_API_KEY=${oldKey}\n`);
    const link = join(world.dir, '.env.local');
    symlinkSync(target, link);
    world.envFiles.push(link);
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports());
    assert.deepEqual([outcome.stoppedAt, outcome.reason], ['deactivate-old', 'old-key-still-used']);
    assert.ok(outcome.detail!.includes(link), 'the place is named');
    assert.equal(readFileSync(target, 'utf8'), `ANTHROPIC_API_KEY=${oldKey}\n`, 'nothing is written through the link');
    assert.equal(orgStatus(), 'active');
  });

  it('does not hang on a FIFO named like a .env file, and finishes', async () => {
    const fifo = join(world.dir, '.env.fifo');
    execFileSync('mkfifo', [fifo]);
    world.envFiles.push(fifo);
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports());
    assert.equal(outcome.completed, true, outcome.detail);
    assertFinished();
  });

  it('without an Admin key, finishes everything else and leaves the deactivation to the Console', async () => {
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports({ admin: false }));
    assert.equal(outcome.completed, true, outcome.detail);
    assert.deepEqual(outcome.oldKey, { action: 'console', why: 'no-admin-key' });
    assert.equal(orgStatus(), 'active');
    assert.equal(fake.adminRequests().length, 0, 'no Admin API request without an Admin key');
  });

  it('reads the key back after a deactivation whose answer was lost, and resumes when it did not happen', async () => {
    fake.failNext('POST /v1/organizations/api_keys/:id', 500);
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports());
    assert.deepEqual([outcome.stoppedAt, outcome.reason], ['deactivate-old', 'deactivation-failed']);
    assert.match(outcome.detail!, /is still active after the request to deactivate it/);
    assertNoPlaceWithNeither('after the lost deactivation');
    const resumed = await rotateKey('ANTHROPIC_API_KEY', undefined, world.ports());
    assert.equal(resumed.completed, true, resumed.detail);
    assertFinished();
  });

  it('asks for the console when two organisation keys share the old key’s hint, rather than guess which', async () => {
    fake.addOrgKey({ name: 'twin', id: 'apikey_twin' }).key = undefined;
    // A second record with the same hint: the fake serves the hint of `key`, so give the twin the same key.
    fake.organization.apiKeys[fake.organization.apiKeys.length - 1].key = oldKey;
    const outcome = await rotateKey('ANTHROPIC_API_KEY', newKey, world.ports());
    assert.equal(outcome.completed, true, outcome.detail);
    assert.deepEqual(outcome.oldKey, { action: 'console', why: 'ambiguous' });
    assert.equal(orgStatus(), 'active');
  });

  it('never overwrites a key stored under the name while a rotation was under way', async () => {
    await assert.rejects(rotateKey('ANTHROPIC_API_KEY', newKey, world.ports({ interruptAt: { step: 'store-new' } })), Interrupted);
    const third = fakeKey(seed++);
    world.secrets.set('ANTHROPIC_API_KEY', third);
    const outcome = await rotateKey('ANTHROPIC_API_KEY', undefined, world.ports());
    assert.deepEqual([outcome.stoppedAt, outcome.reason], ['store-new', 'storage-failed']);
    assert.equal(world.secrets.get('ANTHROPIC_API_KEY'), third);
    assert.ok(!JSON.stringify(outcome).includes(third));
  });

  it('refuses a different new key while one rotation is under way, and abandoning leaves both keys live', async () => {
    await assert.rejects(rotateKey('ANTHROPIC_API_KEY', newKey, world.ports({ interruptAt: { step: 'terminals' } })), Interrupted);
    const other = fakeKey(seed++);
    const refused = await rotateKey('ANTHROPIC_API_KEY', other, world.ports());
    assert.equal(refused.reason, 'in-progress-other-key');
    const journal = await abandonRotation('ANTHROPIC_API_KEY', world.ports());
    assert.equal(journal?.newHint, keyHint(newKey));
    assert.equal(world.journals.size + world.pending.size, 0);
    assertNoPlaceWithNeither('after abandoning');
    assert.equal(orgStatus(), 'active');
  });
});
