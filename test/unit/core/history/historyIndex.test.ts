// The editor's record of a history scan (src/core/history/historyIndex.ts): lookups by hint, the diagnostic's
// "already in commit" text, the report's input, and the rotation memory, which must never be able to hold a key.
import * as assert from 'node:assert/strict';
import { HistoryIndex, isHint, parseRotatedKeys, rotationsBetween, withRotation } from '../../../../src/core/history/historyIndex';
import { commitSummary, type HistoryFinding } from '../../../../src/core/history/historyScan';
import { formatMessage } from '../../../../src/core/messages';
import { keyHint } from '../../../../src/core/hint';
import { fakeKey } from '../../../support/fakeKeys';

const NOW = new Date('2026-11-16T12:00:00Z');
const hintA = keyHint(fakeKey(601));
const hintB = keyHint(fakeKey(602));

function finding(hint: string, daysAgo: number, pushedTo?: string, path = 'src/app.ts'): HistoryFinding {
  const time = Math.floor((NOW.getTime() - daysAgo * 86_400_000) / 1000);
  return {
    ruleId: 'hardcoded-key',
    severity: 'error',
    file: `/repo/${path}`,
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 115,
    message: '',
    messageId: 'hardcoded-key.history.unpushed',
    messageArgs: {},
    credential: { kind: 'api-key', hint },
    path,
    location: 'file',
    commit: commitSummary({ id: `${daysAgo}`.padStart(40, 'a'), author: 'Ada', time, subject: 'Add client' }),
    pushed: pushedTo !== undefined,
    ...(pushedTo ? { pushedTo } : {}),
  };
}

const scan = (...findings: HistoryFinding[]) => ({ findings, problems: [], commitsScanned: 50 });

describe('The history index', () => {
  it('finds a key by hint, keeping the earliest commit when several folders hold it', () => {
    const index = new HistoryIndex([scan(finding(hintA, 3, 'origin/main')), scan(finding(hintA, 14, 'origin/main', 'lib/old.ts'), finding(hintB, 1))]);
    assert.equal(index.get(hintA)!.path, 'lib/old.ts');
    assert.ok(index.has(hintB));
    assert.ok(!index.has(keyHint(fakeKey(603))));
    assert.deepEqual(index.entries().map((entry) => entry.hint), [hintA, hintB], 'oldest first');
    assert.equal(index.commits, 100);
  });

  it('gives the diagnostic its text: pushed with the branch and age, not pushed, or rotated', () => {
    const index = new HistoryIndex([scan(finding(hintA, 14, 'origin/main'), finding(hintB, 0))], new Map([[hintB, '2026-11-15T09:00:00.000Z']]));
    const pushed = index.noteFor(hintA, NOW)!;
    assert.equal(formatMessage(pushed), `Anthropic API key ${hintA} is already in commit aaaaaaa (pushed to origin/main, 14 days ago): moving it is not enough, rotate it.`);
    assert.equal(formatMessage(index.noteFor(hintB, NOW)!), `Anthropic API key ${hintB} is in commit aaaaaaa (today); you rotated it on 2026-11-15. Move it out of the file all the same.`);
    const local = new HistoryIndex([scan(finding(hintA, 1))]).noteFor(hintA, NOW)!;
    assert.match(formatMessage(local), /\(not pushed yet, 1 day ago\): take it out of the unpushed commits before you push, or rotate it\.$/);
    assert.equal(index.noteFor(keyHint(fakeKey(604)), NOW), undefined);
  });

  it('gives the report its input, with rotations and whether any scan was partial', () => {
    const index = new HistoryIndex([scan(finding(hintA, 2, 'origin/main')), { ...scan(), problems: [{ subject: '', message: 'shallow' }] }], new Map([[hintA, '2026-11-16T08:00:00.000Z']]));
    assert.deepEqual(index.checklistState(), {
      state: 'scanned',
      keys: [{ hint: hintA, commit: index.get(hintA)!.commit.shortId, date: '2026-11-14', path: 'src/app.ts', pushed: true, pushedTo: 'origin/main', rotatedAt: '2026-11-16T08:00:00.000Z' }],
      incomplete: true,
      commits: 100,
    });
  });

  it('remembers rotations by hint only, and refuses anything that could be a key', () => {
    const stored = withRotation(new Map(), hintA, NOW);
    assert.deepEqual(stored, [{ hint: hintA, rotatedAt: NOW.toISOString() }]);
    assert.deepEqual([...parseRotatedKeys(stored)], [[hintA, NOW.toISOString()]]);
    assert.throws(() => withRotation(new Map(), fakeKey(605), NOW), /only a key hint/);
    for (const notAHint of [fakeKey(606), 'sk-ant-api03-ABCDEFGH…igAA', 'sk-ant-api03-R2D…igAAxx', 'R2D…igAA extra', '']) assert.equal(isHint(notAHint), false, notAHint);
    for (const hint of [hintA, 'sk-ant-api03-R…A', 'sk-ant-…', 'sk-ant-admin01-abc…wxAA']) assert.equal(isHint(hint), true, hint);
    // Malformed state (a newer version, a hand edit) is dropped, never trusted; a later date for a hint wins.
    assert.deepEqual(
      [...parseRotatedKeys([{ hint: fakeKey(607), rotatedAt: NOW.toISOString() }, { hint: hintB, rotatedAt: 'yesterday' }, null, 'x', { hint: hintA, rotatedAt: '2026-01-01T00:00:00.000Z' }, { hint: hintA, rotatedAt: '2026-02-01T00:00:00.000Z' }])],
      [[hintA, '2026-02-01T00:00:00.000Z']],
    );
    assert.deepEqual([...parseRotatedKeys(undefined)], []);
  });

  it('sees a rotation in the key vault: a stored name whose hint changed to a key verified as it was stored', () => {
    const at = '2026-11-16T10:00:00.000Z';
    const before = [
      { name: 'ANTHROPIC_API_KEY', hint: hintA },
      { name: 'OTHER', hint: hintB },
    ];
    assert.deepEqual(
      rotationsBetween(before, [
        { name: 'ANTHROPIC_API_KEY', hint: keyHint(fakeKey(608)), storedAt: at, lastVerifiedAt: at, lastResult: 'valid' },
        // Replaced without the rotation command's check: not a rotation.
        { name: 'OTHER', hint: keyHint(fakeKey(609)), storedAt: at },
        { name: 'NEW', hint: keyHint(fakeKey(610)), storedAt: at, lastVerifiedAt: at, lastResult: 'valid' },
      ]),
      [{ hint: hintA, rotatedAt: at }],
    );
  });
});
