// The README's "Privacy and safety" table names, for each promise, the tests that hold it. This test checks that
// every test it names exists, under that title, in that file: a promise cannot outlive the test behind it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe("The README's safety promises", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Privacy and safety'), readme.indexOf('## How the code is organised'));
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| promise') && !line.startsWith('| ---'));

  it('lists promises, each held by at least one named test', () => {
    assert.ok(rows.length >= 10, `${rows.length} promises`);
    for (const row of rows) assert.match(row, /`test\/[^`]+\.test\.ts`: "/, row.slice(0, 80));
  });

  it('names only tests that exist, in the files it says', () => {
    for (const row of rows) {
      const cell = row.split(' | ')[1];
      // `file`: "title", "title"; `file`: "title" …  (titles written with \" for a quote inside)
      for (const [, file, titles] of cell.matchAll(/`(test\/[^`]+\.test\.ts)`: ((?:"(?:\\"|[^"])*"(?:, )?)+)/g)) {
        assert.ok(existsSync(join(ROOT, file)), `${file} exists`);
        // The titles as the tests run them: a `\\` in the source is one backslash in the title.
        const source = readFileSync(join(ROOT, file), 'utf8').replace(/\\\\/g, '\\');
        for (const [, raw] of titles.matchAll(/"((?:\\"|[^"])*)"/g)) {
          const title = raw.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
          assert.ok(source.includes(title), `${file} has a test titled: ${title}`);
        }
      }
    }
  });
});
