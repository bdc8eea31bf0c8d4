// A baseline on disk (src/core/baselineFile.ts): paths relative to the baseline's folder through links, findings
// outside it never accepted, the editor's reader, and the .gitattributes line added with every existing byte kept.
import * as assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Baseline, DEFAULT_BASELINE_FILE } from '../../../src/core/baseline';
import { acceptsFinding, baselinePath, ensureUnionMerge, loadBaseline, loadRepositoryBaseline, splitByBaseline, updateBaseline } from '../../../src/core/baselineFile';
import type { FileFinding } from '../../../src/core/findings';
import { createGitRunner } from '../../../src/core/git';
import { findTextFindings } from '../../../src/core/textFindings';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

function keyFinding(file: string, key: string): FileFinding {
  const [finding] = findTextFindings(`k = '${key}'`);
  return { ...finding, file, line: 1, column: 6, endLine: 1, endColumn: 6 + key.length };
}

describe('baselineFile', () => {
  let tree: TempTree;
  const git = createGitRunner();
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
  });
  afterEach(() => tree.remove());

  it('names files relative to the baseline\'s folder, through a linked path too, and never accepts one outside it', async () => {
    tree.write('repo/src/a.ts', '');
    symlinkSync(join(tree.root, 'repo'), join(tree.root, 'link'));
    const loaded = await loadBaseline(join(tree.root, 'repo', DEFAULT_BASELINE_FILE), false);
    assert.equal(baselinePath(loaded, join(tree.root, 'repo/src/a.ts')), 'src/a.ts');
    assert.equal(baselinePath(loaded, join(tree.root, 'link/src/a.ts')), 'src/a.ts', 'the same file through a linked folder');
    assert.equal(baselinePath(loaded, join(tree.root, 'elsewhere.ts')), undefined);
    assert.equal(baselinePath(loaded, ''), undefined, 'a key in a commit message has no file');

    const inside = keyFinding(join(tree.root, 'repo/src/a.ts'), fakeKey(1861));
    const outside = keyFinding(join(tree.root, 'elsewhere.ts'), fakeKey(1861));
    const update = await updateBaseline(loaded, [inside, outside], git);
    assert.deepEqual(update.outside, [outside]);
    assert.equal(update.entries, 1);
    const reread = await loadBaseline(loaded.file, true);
    const split = splitByBaseline([outside, inside, keyFinding(join(tree.root, 'link/src/a.ts'), fakeKey(1861))], reread);
    assert.deepEqual(split.accepted.map((finding) => finding.file), [join(tree.root, 'repo/src/a.ts'), join(tree.root, 'link/src/a.ts')]);
    assert.deepEqual(split.reported, [outside]);
  });

  it('gives the editor the baseline at the top of a repository, or none, and answers per finding', async () => {
    assert.equal(await loadRepositoryBaseline(tree.root), undefined);
    const finding = keyFinding(join(tree.root, 'src/a.ts'), fakeKey(1862));
    writeFileSync(join(tree.root, DEFAULT_BASELINE_FILE), Baseline.create().withExactly([{ finding, path: 'src/a.ts' }]).serialize());
    const loaded = await loadRepositoryBaseline(tree.root);
    assert.ok(loaded);
    assert.equal(acceptsFinding(loaded, join(tree.root, 'src/a.ts'), finding), true);
    assert.equal(acceptsFinding(loaded, join(tree.root, 'src/b.ts'), finding), false);
    // An open document's finding (a TextFinding, offsets rather than lines) is judged the same way.
    const [live] = findTextFindings(`\n\n  const moved = '${fakeKey(1862)}';`);
    assert.equal(acceptsFinding(loaded, join(tree.root, 'src/a.ts'), live), true);
  });

  it('appends the union-merge line to .gitattributes keeping every byte, once, and leaves a name it cannot quote alone', async () => {
    writeFileSync(join(tree.root, '.gitattributes'), '*.png binary\r\n# no final newline');
    const file = join(tree.root, DEFAULT_BASELINE_FILE);
    assert.deepEqual(await ensureUnionMerge(git, file), { kind: 'added', attributesFile: join(tree.root, '.gitattributes'), line: `/${DEFAULT_BASELINE_FILE} merge=union` });
    assert.equal(readFileSync(join(tree.root, '.gitattributes'), 'utf8'), `*.png binary\r\n# no final newline\n/${DEFAULT_BASELINE_FILE} merge=union\n`);
    assert.deepEqual(await ensureUnionMerge(git, file), { kind: 'already' });
    const odd = await ensureUnionMerge(git, join(tree.root, 'my baseline.jsonl'));
    assert.equal(odd.kind, 'not-set');
    const outsideGit = tempTree({ gitInit: false });
    try {
      assert.deepEqual(await ensureUnionMerge(git, join(outsideGit.root, DEFAULT_BASELINE_FILE)), { kind: 'not-in-repository' });
    } finally {
      outsideGit.remove();
    }
  });

  it('refuses to replace a baseline that changed since it was read, and to read one through a link', async () => {
    const file = join(tree.root, DEFAULT_BASELINE_FILE);
    const loaded = await loadBaseline(file, false);
    writeFileSync(file, Baseline.create().serialize());
    await assert.rejects(updateBaseline(loaded, [], git), /the baseline was not written/);
    symlinkSync(file, join(tree.root, 'linked.jsonl'));
    await assert.rejects(loadBaseline(join(tree.root, 'linked.jsonl'), true), /cannot read the baseline/);
  });
});
