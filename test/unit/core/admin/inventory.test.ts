// The inventory joins the organisation's keys with what this workspace knows, by hint only; two keys sharing a hint
// make a match ambiguous, and nothing is then said to be one of them.
import * as assert from 'node:assert/strict';
import { buildInventory, leakRecordSentence, recordForHint, type InventoryInput } from '../../../../src/core/admin/inventory';
import type { OrgApiKey } from '../../../../src/core/admin/records';
import { keyHint } from '../../../../src/core/hint';
import { fakeKey } from '../../../support/fakeKeys';

const now = new Date('2026-12-01T12:00:00Z');
const hints = [1, 2, 3, 4].map((seed) => keyHint(fakeKey(seed)));
const orgKey = (id: string, hint: string | undefined, extra: Partial<OrgApiKey> = {}): OrgApiKey => ({
  id,
  name: id.replace('apikey_', ''),
  status: 'active',
  createdAt: '2026-11-01T12:00:00Z',
  workspaceId: 'wrkspc_prod',
  createdBy: { id: 'user_jane', type: 'user' },
  ...(hint ? { hint } : {}),
  ...extra,
});

function input(extra: Partial<InventoryInput> = {}): InventoryInput {
  return {
    organization: {
      keys: [
        orgKey('apikey_ci-prod', hints[0]),
        orgKey('apikey_old', hints[1], { status: 'inactive', expiresAt: '2026-12-03T00:00:00Z' }),
        orgKey('apikey_nohint', undefined),
      ],
      workspaces: [{ id: 'wrkspc_prod', name: 'Production' }],
      users: [{ id: 'user_jane', name: 'Jane Doe' }],
      readAt: now.toISOString(),
    },
    stored: [
      { name: 'ANTHROPIC_API_KEY', hint: hints[0] },
      { name: 'LOCAL_ONLY', hint: hints[2] },
    ],
    inFiles: [{ hint: hints[0], file: 'src/app.ts', line: 2 }],
    now,
    ...extra,
  };
}

describe('Key inventory (src/core/admin/inventory.ts)', () => {
  it('joins each organisation key with where it is stored and found, by hint, and flags a key that never expires', () => {
    const [ci, noHint, old, localOnly] = buildInventory(input());
    assert.deepEqual(ci.organization, {
      id: 'apikey_ci-prod',
      name: 'ci-prod',
      status: 'active',
      workspaceId: 'wrkspc_prod',
      workspaceName: 'Production',
      creatorId: 'user_jane',
      creatorName: 'Jane Doe',
      createdAt: '2026-11-01T12:00:00Z',
      ageDays: 30,
      neverExpires: true,
    });
    assert.deepEqual([ci.storedAs, ci.foundIn, ci.inHistory], [['ANTHROPIC_API_KEY'], [{ file: 'src/app.ts', line: 2 }], undefined]);
    assert.deepEqual([old.organization?.status, old.organization?.neverExpires, old.organization?.expiresInDays], ['inactive', false, 2]);
    assert.equal(noHint.hint, undefined);
    assert.deepEqual(noHint.storedAs, [], 'a key without a hint matches nothing');
    assert.deepEqual([localOnly.hint, localOnly.organization, localOnly.storedAs], [hints[2], undefined, ['LOCAL_ONLY']]);
  });

  it('lists stored keys alone when there is no Admin key to read the organisation', () => {
    const entries = buildInventory(input({ organization: undefined }));
    assert.deepEqual(entries.map((entry) => [entry.hint, entry.storedAs]), [
      [hints[0], ['ANTHROPIC_API_KEY']],
      [hints[2], ['LOCAL_ONLY']],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  });

  it('says whether a key is in git history only when history was scanned', () => {
    const [ci, , old] = buildInventory(input({ inHistory: [hints[0]] }));
    assert.deepEqual([ci.inHistory, old.inHistory], [true, false]);
  });

  it('marks two organisation keys with one hint as ambiguous, and finds no record for that hint', () => {
    const base = input();
    base.organization!.keys = [...base.organization!.keys, orgKey('apikey_twin', hints[0])];
    const entries = buildInventory(base);
    assert.deepEqual(entries.filter((entry) => entry.ambiguous).map((entry) => entry.organization?.id), ['apikey_ci-prod', 'apikey_twin']);
    assert.equal(recordForHint(entries, hints[0]), undefined);
    assert.equal(recordForHint(entries, hints[1])?.organization?.id, 'apikey_old');
  });

  it('says what a leaked key is in the organisation, in one sentence', () => {
    const record = recordForHint(buildInventory(input()), hints[0])!.organization!;
    assert.equal(
      leakRecordSentence(record),
      "This key is ACTIVE: 'ci-prod' in workspace Production, created by Jane Doe on 2026-11-01. Deactivate it now (Anthropic Keys view, or the Deactivate Key command), then rotate.",
    );
  });
});
