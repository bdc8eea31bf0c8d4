import { strict as assert } from 'node:assert';
import { keyHint } from '../../../../src/core/hint';
import type { KeyMetadata } from '../../../../src/core/keyMetadata';
import {
  CHECKLIST_IDS,
  envFileEnvironment,
  evaluateChecklist,
  readsApiKeyVariable,
  type ChecklistId,
  type ChecklistInput,
  type HistoryKey,
  type ReportFinding,
  type Verdict,
} from '../../../../src/core/report/checklist';
import { fakeKey } from '../../../support/fakeKeys';

const NOW = new Date('2025-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const hintA = keyHint(fakeKey(501));
const hintB = keyHint(fakeKey(502));

function finding(ruleId: ReportFinding['ruleId'], file = 'src/app.ts'): ReportFinding {
  return { ruleId, file, line: 1, character: 2, endLine: 1, endCharacter: 10 };
}

function stored(name: string, environment: KeyMetadata['environment'], hint: string, ageDays = 1): KeyMetadata {
  return { name, environment, hint, storedAt: daysAgo(ageDays) };
}

/** A workspace that passes every item. */
function clean(): ChecklistInput {
  return {
    scanComplete: true,
    findings: [],
    envFiles: [{ file: '.env.development', hints: [hintA] }, { file: '.env.production', hints: [hintB] }],
    storedKeys: [stored('ANTHROPIC_API_KEY', 'development', hintA, 10)],
    filesReadingEnvKey: ['src/client.ts'],
    rotationReminderDays: 90,
    hook: 'installed',
    hookPath: '/repo/.git/hooks/pre-commit',
    history: { state: 'scanned', keys: [], incomplete: false, commits: 12 },
    now: NOW,
    productionSecrets: {
      managers: [{ kind: 'github-actions-secrets', file: '.github/workflows/deploy.yml', line: 12, forAnthropicKey: true }],
      baked: [],
      deployment: ['.github/workflows/deploy.yml'],
    },
    usageWatch: { enabled: true, adminKeyStored: true, lastReadAt: NOW.toISOString(), keysJudged: 2, keysLearning: 0, alertsRaised: 0 },
  };
}

function verdicts(input: ChecklistInput): Record<ChecklistId, Verdict> {
  return Object.fromEntries(evaluateChecklist(input).map((item) => [item.id, item.verdict])) as Record<ChecklistId, Verdict>;
}

function verdictOf(id: ChecklistId, change: Partial<ChecklistInput>): Verdict {
  return verdicts({ ...clean(), ...change })[id];
}

describe('key hygiene checklist', () => {
  it('lists every item once, in order, and passes them all for a clean workspace', () => {
    const items = evaluateChecklist(clean());
    assert.deepEqual(items.map((item) => item.id), [...CHECKLIST_IDS]);
    assert.deepEqual(new Set(items.map((item) => item.verdict)), new Set(['pass']));
  });

  describe('no hardcoded keys', () => {
    it('fails with every hardcoded key as evidence, and only those', () => {
      const items = evaluateChecklist({ ...clean(), findings: [finding('hardcoded-key', 'a.ts'), finding('hardcoded-key', 'b.py'), finding('client-exposed-key')] });
      const item = items.find((entry) => entry.id === 'no-hardcoded-keys')!;
      assert.equal(item.verdict, 'fail');
      assert.deepEqual(item.evidence, [{ kind: 'findings', findings: [finding('hardcoded-key', 'a.ts'), finding('hardcoded-key', 'b.py')] }]);
    });

    it('is unknown without findings when the workspace was not scanned as a whole', () => {
      assert.equal(verdictOf('no-hardcoded-keys', { scanComplete: false }), 'unknown');
      assert.equal(verdictOf('no-hardcoded-keys', { scanComplete: false, findings: [finding('hardcoded-key')] }), 'fail');
    });
  });

  describe('every .env ignored and untracked', () => {
    it('fails on an unignored or a tracked .env file', () => {
      assert.equal(verdictOf('env-files-ignored', { findings: [finding('unignored-env-file', '.env')] }), 'fail');
      assert.equal(verdictOf('env-files-ignored', { findings: [finding('tracked-env-file', 'config/.env')] }), 'fail');
    });

    it('passes naming the .env files it checked', () => {
      const item = evaluateChecklist(clean()).find((entry) => entry.id === 'env-files-ignored')!;
      assert.deepEqual(item.evidence, [{ kind: 'env-files', files: ['.env.development', '.env.production'] }]);
    });

    it('is unknown when the workspace was not scanned', () => {
      assert.equal(verdictOf('env-files-ignored', { scanComplete: false }), 'unknown');
    });
  });

  describe('keys in environment variables or Secret Storage', () => {
    it('passes with a stored key alone, or with code reading ANTHROPIC_API_KEY alone', () => {
      assert.equal(verdictOf('keys-in-env-or-secret-storage', { filesReadingEnvKey: [] }), 'pass');
      assert.equal(verdictOf('keys-in-env-or-secret-storage', { storedKeys: [] }), 'pass');
    });

    it('fails when keys are hardcoded and kept nowhere else', () => {
      assert.equal(verdictOf('keys-in-env-or-secret-storage', { storedKeys: [], filesReadingEnvKey: [], findings: [finding('hardcoded-key')] }), 'fail');
    });

    it('is unknown when no key is seen anywhere', () => {
      assert.equal(verdictOf('keys-in-env-or-secret-storage', { storedKeys: [], filesReadingEnvKey: [] }), 'unknown');
    });
  });

  describe('separate keys per environment', () => {
    it('fails when .env.development and .env.production hold the same key', () => {
      const items = evaluateChecklist({ ...clean(), envFiles: [{ file: '.env.development', hints: [hintA] }, { file: 'deploy/.env.production', hints: [hintA] }] });
      const item = items.find((entry) => entry.id === 'separate-keys-per-environment')!;
      assert.equal(item.verdict, 'fail');
      assert.deepEqual(item.evidence, [{ kind: 'shared-key', hint: hintA, places: ['.env.development', 'ANTHROPIC_API_KEY', 'deploy/.env.production'] }]);
    });

    it('fails when the same stored key is labelled for two environments', () => {
      const storedKeys = [stored('ANTHROPIC_API_KEY', 'development', hintB), stored('ANTHROPIC_PROD_KEY', 'production', hintB)];
      assert.equal(verdictOf('separate-keys-per-environment', { envFiles: [], storedKeys }), 'fail');
    });

    it('passes when one key appears twice for the same environment, or in files meant for any environment', () => {
      const envFiles = [{ file: '.env', hints: [hintB] }, { file: '.env.local', hints: [hintB] }, { file: '.env.production', hints: [hintB] }];
      assert.equal(verdictOf('separate-keys-per-environment', { envFiles, storedKeys: [] }), 'pass');
    });

    it('is unknown when no key of a known environment is seen', () => {
      assert.equal(verdictOf('separate-keys-per-environment', { envFiles: [{ file: '.env', hints: [hintA] }], storedKeys: [] }), 'unknown');
    });

    it('reads the environment from the usual .env file names', () => {
      const names = ['.env', '.env.local', '.env.development', '.env.dev.local', '.env.prod', 'production.env', '.env.staging', '.env.test'];
      assert.deepEqual(names.map(envFileEnvironment), [undefined, undefined, 'development', 'development', 'production', 'production', 'staging', 'test']);
    });
  });

  describe('rotation within the reminder period', () => {
    it('fails when a stored key is older than the reminder period, and says how old each key is', () => {
      const storedKeys = [stored('OLD', 'development', hintA, 91), stored('NEW', 'production', hintB, 3)];
      const item = evaluateChecklist({ ...clean(), storedKeys }).find((entry) => entry.id === 'rotation')!;
      assert.equal(item.verdict, 'fail');
      assert.deepEqual(item.evidence, [
        { kind: 'key-age', name: 'OLD', days: 91, due: true },
        { kind: 'key-age', name: 'NEW', days: 3, due: false },
      ]);
    });

    it('passes on the last day of the period and follows the setting', () => {
      assert.equal(verdictOf('rotation', { storedKeys: [stored('K', 'development', hintA, 90)] }), 'pass');
      assert.equal(verdictOf('rotation', { storedKeys: [stored('K', 'development', hintA, 31)], rotationReminderDays: 30 }), 'fail');
    });

    it('is unknown with reminders off or no stored key', () => {
      assert.equal(verdictOf('rotation', { rotationReminderDays: 0 }), 'unknown');
      assert.equal(verdictOf('rotation', { storedKeys: [] }), 'unknown');
    });
  });

  describe('no key exposed to browsers', () => {
    it('fails on a client-exposed key, passes without, is unknown without a full scan', () => {
      assert.equal(verdictOf('no-browser-exposure', { findings: [finding('client-exposed-key')] }), 'fail');
      assert.equal(verdictOf('no-browser-exposure', { findings: [finding('hardcoded-key')] }), 'pass');
      assert.equal(verdictOf('no-browser-exposure', { scanComplete: false }), 'unknown');
    });
  });

  describe('pre-commit guard', () => {
    it('passes only when our hook is installed', () => {
      const cases: Array<[ChecklistInput['hook'], Verdict]> = [
        ['installed', 'pass'],
        ['missing', 'fail'],
        ['foreign', 'fail'],
        ['no-repository', 'unknown'],
        ['unknown', 'unknown'],
      ];
      for (const [hook, expected] of cases) assert.equal(verdictOf('pre-commit-guard', { hook }), expected, hook);
    });
  });

  describe('no key in git history (issue 16)', () => {
    const leaked = (change: Partial<HistoryKey> = {}): HistoryKey => ({ hint: hintA, commit: 'a1b2c3d', date: '2025-05-18', path: 'src/app.ts', pushed: true, pushedTo: 'origin/main', ...change });
    const item = (history: ChecklistInput['history']) => evaluateChecklist({ ...clean(), history }).find((entry) => entry.id === 'no-key-in-history')!;

    it('is unknown until history is scanned, and in an untrusted workspace, where it is never scanned', () => {
      assert.deepEqual(item(undefined), { id: 'no-key-in-history', verdict: 'unknown', evidence: [{ kind: 'history-not-scanned' }] });
      assert.deepEqual(item({ state: 'not-scanned' }).verdict, 'unknown');
      assert.deepEqual(item({ state: 'untrusted' }), { id: 'no-key-in-history', verdict: 'unknown', evidence: [{ kind: 'history-untrusted' }] });
    });

    it('fails for a key in history that is not rotated, pushed or not, with each key as evidence, open ones first', () => {
      const rotated = leaked({ hint: hintB, rotatedAt: daysAgo(3) });
      const local = leaked({ pushed: false, pushedTo: undefined });
      const result = item({ state: 'scanned', keys: [rotated, local], incomplete: false, commits: 40 });
      assert.equal(result.verdict, 'fail');
      assert.deepEqual(result.evidence, [
        { kind: 'history-key', key: local },
        { kind: 'history-key', key: rotated },
      ]);
    });

    it('passes when every key found was rotated (a revoked key in history is harmless), or none was found', () => {
      const rotated = leaked({ rotatedAt: daysAgo(1) });
      assert.deepEqual(item({ state: 'scanned', keys: [rotated], incomplete: false, commits: 40 }), { id: 'no-key-in-history', verdict: 'pass', evidence: [{ kind: 'history-key', key: rotated }] });
      assert.deepEqual(item({ state: 'scanned', keys: [], incomplete: false, commits: 40 }), { id: 'no-key-in-history', verdict: 'pass', evidence: [{ kind: 'history-clean', commits: 40 }] });
    });

    it('does not pass a partial scan (a shallow clone, a corrupt object), but still fails one that found a key', () => {
      assert.equal(item({ state: 'scanned', keys: [], incomplete: true, commits: 1 }).verdict, 'unknown');
      assert.equal(item({ state: 'scanned', keys: [leaked()], incomplete: true, commits: 1 }).verdict, 'fail');
    });
  });

  describe('production keys in a secrets manager (issue 17)', () => {
    const evidence = (change: Partial<NonNullable<ChecklistInput['productionSecrets']>>) => ({ ...clean().productionSecrets!, ...change });

    it('passes on a secrets manager in a file that reads the Anthropic key, naming where', () => {
      const item = evaluateChecklist(clean()).find((entry) => entry.id === 'production-secrets-manager')!;
      assert.deepEqual(item, { id: 'production-secrets-manager', verdict: 'pass', evidence: [{ kind: 'secrets-manager', sightings: clean().productionSecrets!.managers }] });
    });

    it('fails when a Dockerfile bakes the key in, whatever manager is used elsewhere', () => {
      const baked = [{ kind: 'dockerfile-copies-env-file' as const, file: 'Dockerfile', line: 4 }];
      assert.equal(verdictOf('production-secrets-manager', { productionSecrets: evidence({ baked }) }), 'fail');
    });

    it('is unknown when a manager is used only in files that do not read the key, or nothing deploys', () => {
      const elsewhere = [{ kind: 'aws-secrets-manager' as const, file: 'db.py', line: 3, forAnthropicKey: false }];
      assert.equal(verdictOf('production-secrets-manager', { productionSecrets: evidence({ managers: elsewhere }) }), 'unknown');
      assert.equal(verdictOf('production-secrets-manager', { productionSecrets: { managers: [], baked: [], deployment: [] } }), 'unknown');
      assert.equal(verdictOf('production-secrets-manager', { productionSecrets: undefined }), 'unknown');
    });
  });

  describe('usage monitoring and alerts (issue 17)', () => {
    const watch = clean().usageWatch!;
    it('pass only once the watch is on, has an Admin key and has read the usage report', () => {
      assert.deepEqual([verdictOf('usage-monitoring', {}), verdictOf('usage-alerts', {})], ['pass', 'pass']);
      for (const change of [{ enabled: false }, { adminKeyStored: false }, { lastReadAt: undefined }]) {
        assert.equal(verdictOf('usage-monitoring', { usageWatch: { ...watch, ...change } }), 'unknown', JSON.stringify(change));
      }
    });

    it('counts alerts as armed only when a key was judged against its baseline, not while all are learning', () => {
      assert.equal(verdictOf('usage-alerts', { usageWatch: { ...watch, keysJudged: 0, keysLearning: 3 } }), 'unknown');
      assert.equal(verdictOf('usage-monitoring', { usageWatch: { ...watch, keysJudged: 0, keysLearning: 3 } }), 'pass');
    });
  });

  describe('readsApiKeyVariable', () => {
    it('finds ANTHROPIC_API_KEY read by name in any language', () => {
      assert.ok(readsApiKeyVariable('const key = process.env.ANTHROPIC_API_KEY;'));
      assert.ok(readsApiKeyVariable('key = os.environ["ANTHROPIC_API_KEY"]'));
      assert.ok(readsApiKeyVariable('environment:\n  - KEY=${ANTHROPIC_API_KEY}'));
      assert.ok(!readsApiKeyVariable('nothing here'));
    });

    it('recognises every variable the fixes write, and the other Anthropic key variables (issue 12 #14)', () => {
      for (const name of ['ANTHROPIC_API_KEY_2', 'ANTHROPIC_ADMIN_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN', 'ANALYTICS_ANTHROPIC_KEY', 'ANTHROPIC_SESSION_KEY']) {
        assert.ok(readsApiKeyVariable(`const key = process.env.${name};`), name);
      }
      for (const text of ['process.env.ANTHROPIC_BASE_URL', 'process.env.ANTHROPIC_MODEL', 'const anthropicKey = 1', 'ANTHROPIC', 'CLAUDE_MD']) {
        assert.ok(!readsApiKeyVariable(text), text);
      }
    });

    it('stays linear on a long run of name characters around the vendor words', () => {
      const text = 'A'.repeat(200_000) + 'ANTHROPIC' + 'B'.repeat(200_000) + ' CLAUDE'.repeat(20_000);
      assert.equal(readsApiKeyVariable(text), false);
    });
  });
});
