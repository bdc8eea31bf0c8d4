// The dry run's diff is a real unified diff: git apply turns the old text into the new one.
import { strict as assert } from 'node:assert';
import { unifiedDiff } from '../../../src/cli/unifiedDiff';
import { tempTree } from '../../support/tempRepo';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const numbered = (count: number, prefix = 'line') => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');

const PAIRS: Array<[string, string | undefined, string]> = [
  ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n'],
  ['a line added at the top', 'a\nb\n', 'import os\na\nb\n'],
  ['a line appended', 'a\nb\n', 'a\nb\nc\n'],
  ['two changes far apart, as two hunks', numbered(30), numbered(30).replace('line 2\n', 'LINE 2\n').replace('line 28\n', 'LINE 28\n')],
  ['two changes close together, as one hunk', numbered(12), numbered(12).replace('line 3\n', 'x\n').replace('line 8\n', 'y\n')],
  ['CRLF lines', 'a\r\nb\r\n', 'a\r\nB\r\n'],
  ['a final line break added', 'a\nb', 'a\nb\nc\n'],
  ['a line appended to a file without a final line break, keeping it so', 'a\nb', 'a\nb\nc'],
  ['a line removed', 'a\nb\nc\n', 'a\nc\n'],
  ['a new file', undefined, 'A=1\nB=2\n'],
];

describe('unifiedDiff', () => {
  it('prints nothing for identical texts', () => {
    assert.equal(unifiedDiff({ path: 'x', before: 'a\n', after: 'a\n' }), '');
  });

  it('matches the shape of diff -u for a one-line change', () => {
    assert.equal(unifiedDiff({ path: 'f.txt', before: 'a\nb\nc\n', after: 'a\nB\nc\n' }), '--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  for (const [says, before, after] of PAIRS) {
    it(`is applied by git apply: ${says}`, () => {
      const tree = tempTree({ gitInit: true });
      try {
        if (before !== undefined) tree.write('f.txt', before);
        const patch = unifiedDiff({ path: 'f.txt', before, after });
        writeFileSync(join(tree.root, 'change.patch'), patch);
        tree.git('apply', '--whitespace=nowarn', 'change.patch');
        assert.equal(readFileSync(join(tree.root, 'f.txt'), 'utf8'), after);
      } finally {
        tree.remove();
      }
    });
  }
});
