// The edit applier and merger every fix relies on: offsets into the original text, overlaps refused.
import { strict as assert } from 'node:assert';
import { applyEdits, mergeEdits } from '../../../../src/core/fixes/edits';

describe('applyEdits', () => {
  it('applies edits given in any order against the original offsets', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 1, newText: 'AA' }]), 'AAbcdEf');
  });

  it('keeps insertions at the same offset in the given order, before a replacement there', () => {
    const edits = [
      { start: 2, end: 3, newText: 'C' },
      { start: 2, end: 2, newText: '1' },
      { start: 2, end: 2, newText: '2' },
    ];
    assert.equal(applyEdits('abcd', edits), 'ab12Cd');
  });

  it('rejects overlapping or out-of-range edits', () => {
    assert.throws(() => applyEdits('abcd', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), /overlap/);
    assert.throws(() => applyEdits('abcd', [{ start: 3, end: 9, newText: '' }]), /outside/);
  });
});

describe('mergeEdits', () => {
  it('keeps identical edits from two fixes once', () => {
    const importOs = { start: 0, end: 0, newText: 'import os\n' };
    const merged = mergeEdits([importOs, { start: 4, end: 9, newText: 'a' }, importOs, { start: 12, end: 15, newText: 'b' }]);
    assert.deepEqual(merged, [importOs, { start: 4, end: 9, newText: 'a' }, { start: 12, end: 15, newText: 'b' }]);
  });

  it('refuses overlapping edits and two different insertions at one offset', () => {
    assert.equal(mergeEdits([{ start: 0, end: 5, newText: 'a' }, { start: 3, end: 8, newText: 'b' }]), undefined);
    assert.equal(mergeEdits([{ start: 2, end: 2, newText: 'a' }, { start: 2, end: 2, newText: 'b' }]), undefined);
  });
});
