// Issue 15: inside a repository git grep chooses the files to read, and the report must not change. On random
// repositories (tracked, untracked, ignored and tracked-but-ignored files, a nested repository, a deleted tracked
// file, a symbolic link, every way issue 13 lists to write a key, binary and UTF-16 data), a scan with git grep and a
// scan that reads every file give the same JSON, byte for byte. Real git, real files.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createGitRunner, type GitRunner } from '../../../src/core/git';
import { formatJson } from '../../../src/core/report/formats';
import { scanPaths, type ScanOptions } from '../../../src/core/workspaceScan';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

/** What a file holds, by kind; `seed` picks the key. */
const CONTENTS: Record<string, (seed: number) => string | Buffer> = {
  'plain text': () => 'export const answer = 42;\n// nothing to see\n',
  'a key': (seed) => `const key = "${fakeKey(seed)}";\n`,
  'a key after an escape': (seed) => `{"msg":"auth:\\n${fakeKey(seed)}\\n"}\n`,
  'a base64 key': (seed) => `data:\n  KEY: ${Buffer.from(fakeKey(seed)).toString('base64')}\n`,
  'a split key': (seed) => `k = "${fakeKey(seed).slice(0, 30)}" + "${fakeKey(seed).slice(30)}"\n`,
  'an OAuth token': (seed) => `CLAUDE_CODE_OAUTH_TOKEN=${fakeKey(seed, 'oat')}\n`,
  'a public key variable': () => `const key = import.meta.env.${['VITE', 'ANTHROPIC', 'API', 'KEY'].join('_')};\n`,
  'UTF-16LE with a key': (seed) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`key = ${fakeKey(seed)}\r\n`, 'utf16le')]),
  'UTF-16BE without a BOM': (seed) => Buffer.from(`k=${fakeKey(seed)}\n`, 'utf16le').swap16(),
  'binary with a UTF-16 key': (seed) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]), Buffer.from(fakeKey(seed), 'utf16le'), Buffer.from([0, 0xff])]),
  'binary without a key': () => Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0x10]),
  'a placeholder': () => 'ANTHROPIC_API_KEY=sk-ant-api03-your-key-here\n',
  empty: () => '',
};

const NAMES = ['app.ts', 'notes.md', 'config.json', '.env', '.env.local', '.env.example', 'prod.env', 'data.bin', 'page.tsx', 'a b.txt', 'é.txt', '.mcp.json'];
const FOLDERS = ['', 'src/', 'src/deep/', 'docs/', 'build/', '.claude/'];
/** How git sees a file. */
const STATES = ['tracked', 'untracked', 'ignored', 'tracked but ignored', 'deleted from the work tree'] as const;

const planned = fc.array(
  fc.record({
    folder: fc.constantFrom(...FOLDERS),
    name: fc.constantFrom(...NAMES),
    contents: fc.constantFrom(...Object.keys(CONTENTS)),
    state: fc.constantFrom(...STATES),
    seed: fc.integer({ min: 1, max: 100_000 }),
  }),
  { minLength: 1, maxLength: 14 },
);

/** Builds the repository; returns its root. */
function build(tree: TempTree, files: Array<{ folder: string; name: string; contents: string; state: (typeof STATES)[number]; seed: number }>, extras: { nested: boolean; link: boolean }): void {
  const ignored: string[] = ['build/'];
  const seen = new Set<string>();
  for (const file of files) {
    const path = file.folder + file.name;
    if (seen.has(path) || (file.folder === 'build/' && file.state !== 'tracked but ignored')) continue;
    seen.add(path);
    tree.write(path, CONTENTS[file.contents](file.seed));
    if (file.state === 'ignored' || file.state === 'tracked but ignored') ignored.push(`/${path}`);
    if (file.state !== 'untracked' && file.state !== 'ignored') tree.git('add', '-f', '--', path);
  }
  tree.write('.gitignore', ignored.join('\n') + '\n');
  tree.git('add', '.gitignore');
  tree.git('commit', '-q', '--allow-empty', '-m', 'planted');
  for (const file of files) if (file.state === 'deleted from the work tree') rmSync(join(tree.root, file.folder + file.name), { force: true });
  if (extras.nested) {
    const nested = join(tree.root, 'vendor', 'lib');
    mkdirSync(nested, { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: nested });
    tree.write('vendor/lib/key.ts', `const k = "${fakeKey(7)}";\n`);
  }
  if (extras.link) symlinkSync(`../${fakeKey(8)}`, join(tree.root, 'link-to-nowhere'));
}

/** The JSON report a scan of `root` gives, with or without git grep. */
async function report(root: string, git: GitRunner, searchWithGit: boolean, workers: number): Promise<string> {
  const options: ScanOptions = { useGitignore: true, allowGit: true, git, includeLowConfidence: true, maxFileSize: 1 << 20, searchWithGit, workers };
  const result = await scanPaths([root], options);
  return formatJson({ ...result, displayPath: (file) => relative(root, file), toolVersion: 'test' });
}

describe('scanPaths with git grep (issue 15)', () => {
  const git = createGitRunner();
  let tree: TempTree | undefined;
  afterEach(() => tree?.remove());

  it('gives the same JSON, byte for byte, as reading every file, on random repositories (property)', async function () {
    // Each run builds a repository and scans it twice with real git: about a second on a busy machine.
    this.timeout(180_000);
    await fc.assert(
      fc.asyncProperty(planned, fc.boolean(), fc.boolean(), fc.constantFrom(0, 1), async (files, nested, link, workers) => {
        tree?.remove();
        tree = tempTree({ gitInit: true });
        build(tree, files, { nested, link });
        const withGrep = await report(tree.root, git, true, workers);
        const readingAll = await report(tree.root, git, false, workers);
        assert.equal(withGrep, readingAll);
        // Not vacuous: the scan found what was planted (a key, when one was planted where git commits it).
        assert.ok(JSON.parse(withGrep).summary.filesScanned >= 1);
      }),
      { numRuns: 25 },
    );
  });

  it('opens only the files git grep names, and env files: the rest are counted and sized, not opened', async () => {
    tree = tempTree({ gitInit: true });
    for (let i = 0; i < 50; i++) tree.write(`src/f${i}.ts`, `export const v${i} = ${i};\n`);
    tree.write('src/key.ts', `const k = "${fakeKey(9)}";\n`);
    tree.write('.env.local', 'PORT=1\n');
    tree.git('add', '-A');
    tree.git('commit', '-q', '-m', 'x');
    // Every open of the calling thread (no workers) is recorded: the scan's reads go through fs.openSync.
    const fs = require('node:fs') as typeof import('node:fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const realOpen = fs.openSync;
    const opened: string[] = [];
    fs.openSync = ((path: Parameters<typeof realOpen>[0], ...rest: unknown[]) => {
      opened.push(relative(tree!.root, String(path)));
      return (realOpen as (...args: unknown[]) => number)(path, ...rest);
    }) as typeof realOpen;
    let result;
    try {
      result = await scanPaths([tree.root], { useGitignore: true, allowGit: true, includeLowConfidence: true, maxFileSize: 1 << 20, git, workers: 0 });
    } finally {
      fs.openSync = realOpen;
    }
    assert.deepEqual(opened.sort(), ['.env.local', 'src/key.ts']);
    assert.equal(result.filesScanned, 52);
    assert.equal(result.findings.length, 2);
    const reading = await scanPaths([tree.root], { useGitignore: true, allowGit: true, includeLowConfidence: true, maxFileSize: 1 << 20, git, workers: 0, searchWithGit: false });
    assert.equal(result.bytesScanned, reading.bytesScanned);
  });

  it('reads every file when git grep gives no answer (git without PCRE, a failing search), with the same report', async () => {
    tree = tempTree({ gitInit: true });
    tree.write('a.ts', `const k = "${fakeKey(10)}";\n`);
    tree.write('b.ts', 'export {};\n');
    tree.git('add', '-A');
    const calls: string[][] = [];
    const real = createGitRunner();
    // A git whose grep fails the way one built without PCRE2 does.
    const noPcre: GitRunner = {
      run: async (cwd, args, input) => {
        calls.push([...args]);
        if (args.includes('grep') && args.includes('-P')) return { stdout: Buffer.alloc(0), exitCode: 128, stderr: 'fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE\n' };
        return real.run(cwd, args, input);
      },
    };
    const result = await scanPaths([tree.root], { useGitignore: true, allowGit: true, includeLowConfidence: true, maxFileSize: 1 << 20, git: noPcre, workers: 0 });
    assert.ok(calls.some((args) => args.includes('grep')), 'git grep was asked');
    assert.equal(result.filesScanned, 2);
    assert.equal(result.findings.length, 1);
  });
});
