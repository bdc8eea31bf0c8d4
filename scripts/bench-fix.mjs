// The rewrite path's adversarial inputs for `npm run bench` (red team F13, F16; issue 12 #19): `fix` on one file
// must cost time linear in the keys of the file and in the length of its lines. Each case is a fresh git
// repository holding one generated file, fixed by the built CLI (`node dist/cli.js fix`, which plans, stores the
// keys in .env, reads them back, rewrites the file and scans again) under /usr/bin/time, at sizes n, 2n and 4n.
// A doubling that costs more than LINEAR_LIMIT times is NOT LINEAR.
//
// Cases:
//   - n keys, one per line, in each language the rewriters cover: the planner, the lexer, the import and
//     constant checks and the name book run once per key;
//   - n keys on one line (a minified bundle, a log line in prose): every per-key look at "the line" is O(line);
//   - one key after a line of n bytes that is all strings, comments or quotes: the lexer's per-literal work on a
//     long line (the red team's shapes: `f("a",`b`,'c');` for JavaScript, `'''"""'''` for Python).
// Every run must exit 0 with no key left in the file (one that exits otherwise is reported as failed).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PREFIX, fakeKey } from './fake-keys.mjs';

/** Doubling the input may cost at most this much more than doubling the time. */
const LINEAR_LIMIT = 2.5;
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
/** A whole key, not the hint a redaction leaves (`…api03-R2D...igAA`, which also starts with the prefix). */
const FULL_KEY = new RegExp(`${PREFIX}(?:api03|admin01)-[A-Za-z0-9_-]{20,}`);

const key = (i) => fakeKey(0xf1c0000 + i, i % 5 === 4 ? 'admin' : 'api');
const lines = (n, line) => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';
/** `unit` repeated to about `bytes` characters. */
const fill = (unit, bytes) => unit.repeat(Math.max(1, Math.round(bytes / unit.length)));

/** Each case: a file name and its text for a size. `keys` says whether the size counts keys or bytes. */
const CASES = [
  ['JavaScript, n keys one per line', 'keys', 'many.js', (n) => lines(n, (i) => `const k${i} = "${key(i)}";`)],
  ['TypeScript, n keys one per line', 'keys', 'many.ts', (n) => lines(n, (i) => `export const k${i}: string = "${key(i)}";`)],
  ['Python, n keys one per line', 'keys', 'many.py', (n) => lines(n, (i) => `k${i} = "${key(i)}"`)],
  ['Go, n keys one per line', 'keys', 'many.go', (n) => 'package main\n\n' + lines(n, (i) => `var k${i} = "${key(i)}"`)],
  ['Java, n private constants', 'keys', 'Many.java', (n) => 'class Many {\n' + lines(n, (i) => `  private static final String K${i} = "${key(i)}";`) + '}\n'],
  ['Kotlin, n private const vals', 'keys', 'many.kt', (n) => lines(n, (i) => `private const val K${i} = "${key(i)}"`)],
  ['C#, n keys one per line', 'keys', 'Many.cs', (n) => 'class Many {\n' + lines(n, (i) => `  static string k${i} = "${key(i)}";`) + '}\n'],
  ['Rust, n keys in a function', 'keys', 'many.rs', (n) => 'fn main() {\n' + lines(n, (i) => `    let k${i} = "${key(i)}";`) + '}\n'],
  ['Ruby, n keys one per line', 'keys', 'many.rb', (n) => lines(n, (i) => `k${i} = "${key(i)}"`)],
  ['PHP, n keys one per line', 'keys', 'many.php', (n) => '<?php\n' + lines(n, (i) => `$k${i} = "${key(i)}";`)],
  ['shell, n keys after a heredoc', 'keys', 'many.sh', (n) => 'cat <<EOF\nhello\nEOF\n' + lines(n, (i) => `curl -H "x-api-key: ${key(i)}" https://example.invalid/${i}`)],
  ['Dockerfile, n ENV keys', 'keys', 'Dockerfile', (n) => 'FROM scratch\n' + lines(n, (i) => `ENV K${i}=${key(i)}`)],
  ['compose, n keys', 'keys', 'compose.yaml', (n) => 'services:\n  app:\n    environment:\n' + lines(n, (i) => `      K${i}: ${key(i)}`)],
  ['Markdown, n keys one per line (redacted)', 'keys', 'many.md', (n) => lines(n, (i) => `- key ${i}: ${key(i)}`)],
  ['JavaScript, n keys on one line', 'keys', 'oneline.js', (n) => Array.from({ length: n }, (_, i) => `f("${key(i)}");`).join('') + '\n'],
  ['Python, n keys on one line', 'keys', 'oneline.py', (n) => Array.from({ length: n }, (_, i) => `f("${key(i)}")`).join(';') + '\n'],
  ['Markdown, n keys on one line (redacted)', 'keys', 'oneline.md', (n) => Array.from({ length: n }, (_, i) => key(i)).join(' ') + '\n'],
  ['JavaScript, one key after an n-byte line of strings', 'bytes', 'bundle.js', (n) => fill("f(\"a\",`b`,'c');", n) + `\nconst k = "${key(0)}";\n`],
  ['Python, one key after an n-byte line of \'\'\'"""\'\'\'', 'bytes', 'bundle.py', (n) => 'x = ' + fill(`'''"""'''`, n) + `\nk = "${key(0)}"\n`],
  ['PHP, one key after an n-byte line of strings', 'bytes', 'bundle.php', (n) => '<?php $a = ' + fill('"a" . ', n) + `"";\n$k = "${key(0)}";\n`],
  ['shell, one key after an n-byte line of quoted words', 'bytes', 'bundle.sh', (n) => 'echo ' + fill('"a" ', n) + `\ncurl -H "x-api-key: ${key(0)}"\n`],
  ['compose, one key after an n-byte flow sequence', 'bytes', 'compose.yaml', (n) => 'x-list: [' + fill('"a", ', n) + `"b"]\nservices:\n  app:\n    environment:\n      K: ${key(0)}\n`],
  ['Dockerfile, one key after an n-byte line of #', 'bytes', 'Dockerfile', (n) => 'FROM scratch\nRUN echo ' + fill('a#', n) + `\nENV K=${key(0)}\n`],
];

/**
 * Runs every case at three sizes through the built CLI. `runTimed(command, args, { cwd, timeoutMs })` is the bench's
 * timer (GNU time: wall seconds and peak RSS). Returns the report lines and whether any run failed.
 */
export async function benchFix({ baseDir, cli, quick, progress, runTimed, only }) {
  const keySizes = quick ? [1000, 2000, 4000] : [2000, 4000, 8000];
  const byteSizes = quick ? [125_000, 250_000, 500_000] : [250_000, 500_000, 1_000_000];
  const timeoutMs = 300_000;
  const rows = [];
  let failed = false;
  for (const [label, unit, fileName, make] of CASES) {
    if (only && !only.test(label)) continue;
    const sizes = unit === 'keys' ? keySizes : byteSizes;
    const row = { label, unit, sizes, walls: [], peaks: [], problems: [] };
    for (const size of sizes) {
      progress(`fix: ${label}, n = ${size.toLocaleString('en-US')}`);
      const repo = join(baseDir, 'fix', `${fileName}-${size}`);
      rmSync(repo, { recursive: true, force: true });
      mkdirSync(repo, { recursive: true });
      const init = spawnSync('git', ['init', '-q'], { cwd: repo, env: GIT_ENV });
      if (init.status !== 0) throw new Error(`git init failed in ${repo}`);
      writeFileSync(join(repo, fileName), make(size));
      const result = await runTimed(process.execPath, [cli, 'fix'], { cwd: repo, timeoutMs });
      const after = readFileSync(join(repo, fileName), 'utf8');
      // The fix must have worked, or its time means nothing: exit 0 and no key left in the file.
      if (result.timedOut) row.problems.push(`n = ${size}: stopped after ${timeoutMs / 1000} s`);
      else if (result.code !== 0) row.problems.push(`n = ${size}: exit ${result.code}`);
      else if (FULL_KEY.test(after)) row.problems.push(`n = ${size}: a key is still in the file`);
      row.walls.push(result.timedOut ? Infinity : result.wall);
      row.peaks.push(result.peakMB);
      rmSync(repo, { recursive: true, force: true });
    }
    if (row.problems.length > 0) failed = true;
    rows.push(row);
  }
  return { lines: report(rows, keySizes, byteSizes), failed };
}

function report(rows, keySizes, byteSizes) {
  const fmt = (seconds) => (Number.isFinite(seconds) ? seconds.toFixed(2) : 'timeout');
  const out = [];
  out.push(`Rewrite path: fix on one file  (whole process: node dist/cli.js fix in a fresh git repository, /usr/bin/time; one run each;`);
  out.push(`  n = ${keySizes.map((n) => n.toLocaleString('en-US')).join(' / ')} keys, or ${byteSizes.map((n) => `${n / 1000} KB`).join(' / ')} of line before one key;`);
  out.push(`  "×2" = time(2n) / time(n) for each doubling, linear ≈ 2 or less (start-up is a constant), limit ${LINEAR_LIMIT})`);
  const table = rows.map((row) => {
    const ratios = [row.walls[1] / row.walls[0], row.walls[2] / row.walls[1]];
    const linear = ratios.every((ratio) => ratio <= LINEAR_LIMIT);
    const verdict = row.problems.length > 0 ? `FAILED: ${row.problems.join('; ')}` : linear ? 'linear' : 'NOT LINEAR';
    return [row.label, ...row.walls.map(fmt), ratios.map((ratio) => (Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a')).join(', '), Math.round(Math.max(...row.peaks)).toString(), verdict];
  });
  const headers = ['input', 'wall s n', 'wall s 2n', 'wall s 4n', '×2', 'peak MB', 'verdict'];
  const widths = headers.map((header, i) => Math.max(header.length, ...table.map((cells) => cells[i].length)));
  const line = (cells) => '  ' + cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  out.push(line(headers), '  ' + widths.map((width) => '-'.repeat(width)).join('  '), ...table.map(line), '');
  return out;
}
