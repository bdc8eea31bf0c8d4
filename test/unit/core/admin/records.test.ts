// Reading the Admin API's records defensively: both workspace shapes, hints in either spelling, names that try to
// fake a line, and usage pages of both endpoints, including the shapes that must be refused.
import * as assert from 'node:assert/strict';
import { cleanText, normaliseHint, parseAnalyticsUsagePage, parseApiKey, parseUsageReportPage } from '../../../../src/core/admin/records';
import { keyHint } from '../../../../src/core/hint';
import { fakeKey } from '../../../support/fakeKeys';

describe('Admin API records (src/core/admin/records.ts)', () => {
  it('reads a hint in the API’s three-dot form and in this product’s ellipsis form as the same hint', () => {
    const hint = keyHint(fakeKey(1));
    assert.equal(normaliseHint(hint.replace('…', '...')), hint);
    assert.equal(normaliseHint(hint), hint);
    assert.equal(normaliseHint('sk-ant-admin01-abc...wxyz'), 'sk-ant-admin01-abc…wxyz');
  });

  it('refuses as a hint anything that shows more of a key than a hint does (a proxy echoing the key)', () => {
    assert.equal(normaliseHint(fakeKey(2)), undefined);
    assert.equal(normaliseHint('sk-ant-api03-abcd...wxyz'), undefined);
    assert.equal(normaliseHint('R2D...igAA'), undefined);
  });

  const base = { type: 'api_key', id: 'apikey_01', name: 'ci-prod', created_at: '2025-01-01T00:00:00Z', created_by: { id: 'user_01', type: 'user' }, expires_at: null, partial_key_hint: 'sk-ant-api03-R2D...igAA', status: 'active' };

  it('reads the workspace from the current scope object and from the older top-level workspace_id', () => {
    assert.equal(parseApiKey({ ...base, scope: { type: 'workspace', workspace_id: 'wrkspc_A' } })?.workspaceId, 'wrkspc_A');
    assert.equal(parseApiKey({ ...base, workspace_id: 'wrkspc_B' })?.workspaceId, 'wrkspc_B');
    assert.equal(parseApiKey({ ...base, scope: { type: 'organization' } })?.workspaceId, undefined);
  });

  it('keeps no expiry for a key that never expires, and the date for one that does', () => {
    assert.equal(parseApiKey(base)?.expiresAt, undefined);
    assert.equal(parseApiKey({ ...base, expires_at: '2027-01-01T00:00:00Z' })?.expiresAt, '2027-01-01T00:00:00Z');
  });

  it('refuses a record of another type, an unknown status or no id', () => {
    assert.equal(parseApiKey({ ...base, type: 'workspace' }), undefined);
    assert.equal(parseApiKey({ ...base, status: 'revoked' }), undefined);
    assert.equal(parseApiKey({ ...base, id: '' }), undefined);
    assert.equal(parseApiKey(null), undefined);
  });

  it('turns control characters in a name into spaces, so a name cannot fake a line of a message', () => {
    assert.equal(parseApiKey({ ...base, name: 'prod\nERROR: fake line\u2028x' })?.name, 'prod ERROR: fake line x');
    assert.equal(cleanText('x'.repeat(500)).length, 120);
  });

  it('sums every token type of a legacy usage report bucket, per key', () => {
    const page = parseUsageReportPage({
      data: [
        {
          starting_at: '2026-12-01T00:00:00Z',
          ending_at: '2026-12-01T01:00:00Z',
          results: [
            { api_key_id: 'apikey_01', uncached_input_tokens: 10, cache_read_input_tokens: 5, cache_creation: { ephemeral_1h_input_tokens: 2, ephemeral_5m_input_tokens: 3 }, output_tokens: 7 },
            { api_key_id: null, uncached_input_tokens: 1, output_tokens: -5 },
          ],
        },
      ],
      has_more: true,
      next_page: 'page_x',
    });
    assert.deepEqual(page, {
      points: [
        { apiKeyId: 'apikey_01', start: Date.UTC(2026, 11, 1, 0), end: Date.UTC(2026, 11, 1, 1), tokens: 27 },
        { apiKeyId: null, start: Date.UTC(2026, 11, 1, 0), end: Date.UTC(2026, 11, 1, 1), tokens: 1 },
      ],
      hasMore: true,
      nextPage: 'page_x',
    });
  });

  it('reads total_tokens of an analytics row, and refuses rows without usage or dates', () => {
    const row = { starting_at: '2026-12-01T00:00:00Z', ending_at: '2026-12-01T01:00:00Z', group: { api_key_id: 'apikey_01' }, usage: { total_tokens: 99, output_tokens: 1 } };
    assert.equal(parseAnalyticsUsagePage({ data: [row], has_more: false })?.points[0].tokens, 99);
    assert.equal(parseAnalyticsUsagePage({ data: [{ ...row, usage: undefined }] }), undefined);
    assert.equal(parseAnalyticsUsagePage({ data: [{ ...row, starting_at: 'soon' }] }), undefined);
    assert.equal(parseUsageReportPage({ data: [{ starting_at: 'x' }] }), undefined);
    assert.equal(parseUsageReportPage({ models: [] }), undefined);
  });
});
