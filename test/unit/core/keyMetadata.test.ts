import { strict as assert } from 'node:assert';
import {
  isAdminHint,
  isRotationDue,
  keyAgeDays,
  parseMetadataList,
  removeMetadata,
  rotationDue,
  upsertMetadata,
  withVerification,
  type KeyMetadata,
} from '../../../src/core/keyMetadata';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const record = (name: string, storedAt: string, extra: Partial<KeyMetadata> = {}): KeyMetadata => ({
  name,
  environment: 'development',
  hint: 'sk-ant-api03-abc…wxAA',
  storedAt,
  ...extra,
});

describe('keyAgeDays', () => {
  it('counts whole days since the key was stored', () => {
    assert.equal(keyAgeDays(record('A', daysAgo(0)), NOW), 0);
    assert.equal(keyAgeDays(record('A', daysAgo(0.99)), NOW), 0);
    assert.equal(keyAgeDays(record('A', daysAgo(1)), NOW), 1);
    assert.equal(keyAgeDays(record('A', daysAgo(400.5)), NOW), 400);
  });

  it('calls a date in the future or an unreadable one 0 days old', () => {
    assert.equal(keyAgeDays(record('A', daysAgo(-3)), NOW), 0);
    assert.equal(keyAgeDays(record('A', 'yesterday'), NOW), 0);
  });
});

describe('isRotationDue', () => {
  it('is due once the key is older than the reminder period, not on its last day', () => {
    assert.equal(isRotationDue(record('A', daysAgo(89)), 90, NOW), false);
    assert.equal(isRotationDue(record('A', daysAgo(90)), 90, NOW), false);
    assert.equal(isRotationDue(record('A', daysAgo(90.01)), 90, NOW), true);
    assert.equal(isRotationDue(record('A', daysAgo(365)), 90, NOW), true);
  });

  it('is never due when reminders are off (0, negative or not a number)', () => {
    for (const days of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(isRotationDue(record('A', daysAgo(1000)), days, NOW), false, String(days));
  });

  it('is due when the stored date cannot be read, since the age is unknown', () => {
    assert.equal(isRotationDue(record('A', 'not a date'), 90, NOW), true);
  });
});

describe('rotationDue', () => {
  it('lists the overdue keys, oldest first', () => {
    const records = [record('NEW', daysAgo(10)), record('OLDER', daysAgo(200)), record('OLD', daysAgo(100))];
    assert.deepEqual(
      rotationDue(records, 90, NOW).map((r) => r.name),
      ['OLDER', 'OLD'],
    );
  });
});

describe('parseMetadataList', () => {
  it('reads back what was stored', () => {
    const stored = [record('B', daysAgo(1), { environment: 'production', lastVerifiedAt: daysAgo(0), lastResult: 'valid' }), record('A', daysAgo(2))];
    assert.deepEqual(parseMetadataList(JSON.parse(JSON.stringify(stored))), [stored[1], stored[0]]);
  });

  it('returns an empty list for nothing or for something that is not a list', () => {
    for (const value of [undefined, null, 'text', 42, { name: 'A' }]) assert.deepEqual(parseMetadataList(value), []);
  });

  it('drops malformed records and fields instead of failing', () => {
    const parsed = parseMetadataList([
      null,
      'A',
      { name: '', hint: 'h', storedAt: daysAgo(1) },
      { name: 'NO_HINT', storedAt: daysAgo(1) },
      { name: 'OK', hint: 'h', storedAt: daysAgo(1), environment: 'moon', lastResult: 'splendid', lastVerifiedAt: 7 },
    ]);
    assert.deepEqual(parsed, [{ name: 'OK', hint: 'h', storedAt: daysAgo(1), environment: 'development' }]);
  });

  it('keeps the later of two records with the same name', () => {
    const parsed = parseMetadataList([record('A', daysAgo(5)), record('A', daysAgo(1))]);
    assert.deepEqual(parsed, [record('A', daysAgo(1))]);
  });
});

describe('upsertMetadata and removeMetadata', () => {
  it('adds a record, replaces one by name, and removes one by name', () => {
    const one = upsertMetadata([], record('B', daysAgo(3)));
    const two = upsertMetadata(one, record('A', daysAgo(2)));
    assert.deepEqual(two.map((r) => r.name), ['A', 'B']);
    const replaced = upsertMetadata(two, record('B', daysAgo(0), { environment: 'staging' }));
    assert.equal(replaced.length, 2);
    assert.equal(replaced.find((r) => r.name === 'B')?.environment, 'staging');
    assert.deepEqual(removeMetadata(replaced, 'B').map((r) => r.name), ['A']);
    assert.deepEqual(removeMetadata(replaced, 'MISSING'), replaced);
  });

  it('records a check without touching when the key was stored', () => {
    const checked = withVerification(record('A', daysAgo(30)), 'invalid', NOW);
    assert.deepEqual(checked, record('A', daysAgo(30), { lastVerifiedAt: NOW.toISOString(), lastResult: 'invalid' }));
  });
});

describe('rotation date and Admin keys (issue 17)', () => {
  it('keeps the rotation date through storage, and drops one that is not a string', () => {
    const rotated = record('ANTHROPIC_API_KEY', daysAgo(1), { rotatedAt: daysAgo(1) });
    assert.deepEqual(parseMetadataList(JSON.parse(JSON.stringify([rotated]))), [rotated]);
    assert.equal(parseMetadataList([{ ...rotated, rotatedAt: 42 }])[0].rotatedAt, undefined);
  });

  it('tells an Admin key from an API key by the hint’s kind prefix', () => {
    assert.equal(isAdminHint('sk-ant-admin01-abc…wxAA'), true);
    assert.equal(isAdminHint('sk-ant-api03-abc…wxAA'), false);
  });
});
