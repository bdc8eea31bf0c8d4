// The `git log --raw -z` reader: fed real git output, whole and cut at every byte, and fed output that breaks the
// protocol, which it must refuse rather than guess around.
import * as assert from 'node:assert/strict';
import { LOG_FORMAT, LogParser, LogProtocolError, parseEntryHeader, type LogCommit, type LogEntry } from '../../../../src/core/history/logParser';
import { tempTree, type TempTree } from '../../../support/tempRepo';

function parse(chunks: Buffer[]): Array<{ commit: LogCommit; entries: LogEntry[] }> {
  const commits: Array<{ commit: LogCommit; entries: LogEntry[] }> = [];
  const parser = new LogParser({
    commit: (commit) => commits.push({ commit, entries: [] }),
    entry: (entry, commit) => {
      assert.equal(commits[commits.length - 1].commit, commit, 'an entry belongs to the last commit read');
      commits[commits.length - 1].entries.push(entry);
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return commits;
}

function gitLog(tree: TempTree): Buffer {
  const text = tree.git('log', '--all', '--date-order', '--reverse', '-c', '--raw', '-z', '--no-abbrev', '--root', '--no-renames', `--format=${LOG_FORMAT}`);
  return Buffer.from(text, 'utf8');
}

describe('The git log reader', () => {
  let tree: TempTree;
  let output: Buffer;

  before(() => {
    tree = tempTree({ gitInit: true });
    const at = (n: number) => ({ GIT_AUTHOR_DATE: `${1700000000 + n} +0000`, GIT_COMMITTER_DATE: `${1700000000 + n} +0000` });
    const commit = (n: number, ...args: string[]) => {
      Object.assign(process.env, at(n));
      try {
        tree.git('commit', '-q', ...args);
      } finally {
        delete process.env.GIT_AUTHOR_DATE;
        delete process.env.GIT_COMMITTER_DATE;
      }
    };
    tree.write('a.txt', 'one\n');
    tree.write('dir/with space.txt', 'two\n');
    tree.git('add', '.');
    commit(1, '-m', 'first: C0123 looks like a commit start\n\nbody with\nlines, a NUL-free message');
    commit(2, '--allow-empty', '-m', 'an empty commit');
    tree.git('checkout', '-q', '-b', 'side');
    tree.write('side.txt', 'side\n');
    tree.git('add', '.');
    commit(3, '-m', 'side');
    tree.git('checkout', '-q', 'main');
    tree.write('a.txt', 'changed\n');
    tree.git('rm', '-q', 'dir/with space.txt');
    tree.git('add', '.');
    commit(4, '-m', 'change and delete');
    Object.assign(process.env, at(5));
    try {
      tree.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    } finally {
      delete process.env.GIT_AUTHOR_DATE;
      delete process.env.GIT_COMMITTER_DATE;
    }
    output = gitLog(tree);
  });
  after(() => tree.remove());

  it('reads each commit, oldest first, with its fields and the files it adds, changes or deletes', () => {
    const commits = parse([output]);
    assert.deepEqual(
      commits.map(({ commit, entries }) => [commit.subject, commit.parents.length, entries.map((entry) => `${entry.mode} ${entry.path}`)]),
      [
        ['first: C0123 looks like a commit start', 0, ['100644 a.txt', '100644 dir/with space.txt']],
        ['an empty commit', 1, []],
        ['side', 1, ['100644 side.txt']],
        ['change and delete', 1, ['100644 a.txt', '000000 dir/with space.txt']],
        // A clean merge changes nothing from every parent: the combined diff lists nothing.
        ['merge side', 2, []],
      ],
    );
    const [first] = commits;
    assert.equal(first.commit.author, 'test');
    assert.equal(first.commit.time, 1700000001);
    assert.match(first.commit.message, /^first: C0123 looks like a commit start\n\nbody with\nlines/);
    assert.equal(first.entries[0].id, tree.git('rev-parse', `${first.commit.id}:a.txt`).trim());
    assert.match(commits[3].entries[1].id, /^0{40}$/);
  });

  it('reads the same whichever byte the output is cut at', () => {
    const whole = JSON.stringify(parse([output]));
    for (let cut = 1; cut < output.length; cut += 7) {
      assert.equal(JSON.stringify(parse([output.subarray(0, cut), output.subarray(cut)])), whole, `cut at ${cut}`);
    }
    const bytes = Array.from({ length: output.length }, (_, i) => output.subarray(i, i + 1));
    assert.equal(JSON.stringify(parse(bytes)), whole, 'one byte at a time');
  });

  it('reads the combined header of a merge that changes a file: the new mode and id, and each parent\'s', () => {
    const ids = ['a', 'b', 'c'].map((digit) => digit.repeat(40));
    assert.deepEqual(parseEntryHeader(`::100644 100755 100644 ${ids[0]} ${ids[1]} ${ids[2]} MM`), {
      mode: '100644',
      id: ids[2],
      parents: [
        { mode: '100644', id: ids[0] },
        { mode: '100755', id: ids[1] },
      ],
    });
    assert.deepEqual(parseEntryHeader(`:000000 120000 ${'0'.repeat(40)} ${ids[0]} A`), { mode: '120000', id: ids[0], parents: [{ mode: '000000', id: '0'.repeat(40) }] });
  });

  it('refuses output it cannot read rather than guessing', () => {
    const id = 'a'.repeat(40);
    const cases = [
      Buffer.from('not a commit\0'),
      Buffer.from(`:100644 100644 ${id} ${id} M\0a.txt\0`), // an entry before any commit
      Buffer.from(`C${id}\0\0author\0`), // output ending inside a commit's fields
      Buffer.from(`C${id}\0\0author\x001\0subject\0message\0\n:100644 100644 ${id} M\0a.txt\0`), // a header one id short
    ];
    for (const bytes of cases) assert.throws(() => parse([bytes]), LogProtocolError, JSON.stringify(bytes.toString()));
  });

  it('joins a very long message in linear time, however many pieces it comes in', () => {
    const id = 'b'.repeat(40);
    const pieces = [Buffer.from(`C${id}\0\0author\x001\0subject\0`)];
    for (let i = 0; i < 20000; i++) pieces.push(Buffer.from('x'.repeat(100)));
    pieces.push(Buffer.from('\0'));
    const started = Date.now();
    const [only] = parse(pieces);
    assert.equal(only.commit.message.length, 2_000_000);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
