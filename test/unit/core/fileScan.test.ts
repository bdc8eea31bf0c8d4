// One file's scan: which files are read at all, in which encodings keys are found, at which positions, and how many
// findings are kept.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FINDINGS_PER_FILE, scanContents, scanFile, type FileScanOptions } from '../../../src/core/fileScan';
import { lineColumnAt } from '../../../src/core/positions';
import { fakeKey } from '../../support/fakeKeys';
import { tempTree, type TempTree } from '../../support/tempRepo';

const options: FileScanOptions = { includeLowConfidence: true, maxFileSize: 1 << 30 };
const key = fakeKey(951);

/** `line:column-endLine:endColumn rule` for each finding. */
function located(result: ReturnType<typeof scanContents>): string[] {
  return result.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}`);
}

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  bytes.swap16();
  return bytes;
}

describe('scanContents', () => {
  const text = `// config\r\nconst greeting = "😀é";\nconst key = "${key}";\n`;
  const column = 'const key = "'.length + 1;
  const expected = [`3:${column}-3:${column + key.length} hardcoded-key`];

  it('finds a key after a NUL byte in a comment: the file is not skipped as binary (issue 12 #12)', () => {
    const result = scanContents('app.js', Buffer.from(`// \0 stray\n${text}`), options);
    assert.deepEqual(located(result), [`4:${column}-4:${column + key.length} hardcoded-key`]);
    assert.equal(result.skipped, undefined);
  });

  it('finds a key in UTF-16 text with or without a byte order mark, at the line and column of the decoded text (issue 12 #12)', () => {
    const encodings: Array<[string, Buffer]> = [
      ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
      ['UTF-8', Buffer.from(text)],
    ];
    for (const [name, bytes] of encodings) assert.deepEqual(located(scanContents('notes.txt', bytes, options)), expected, name);
    // Without a BOM, VS Code takes a file for UTF-16 when its first 512 bytes alternate zero and non-zero (so only
    // Latin-1 characters there), and so does the scan.
    const latin1Text = text.replace('😀', 'ü');
    for (const [name, bytes] of [['UTF-16LE without BOM', Buffer.from(latin1Text, 'utf16le')], ['UTF-16BE without BOM', utf16be(latin1Text)]] as const) {
      assert.deepEqual(located(scanContents('notes.txt', bytes, options)), [`3:${column}-3:${column + key.length} hardcoded-key`], name);
    }
    // With an emoji in those bytes VS Code calls it binary; the key is found all the same, at a position in the bytes.
    assert.equal(scanContents('notes.txt', Buffer.from(text, 'utf16le'), options).findings.length, 1);
  });

  it('finds a UTF-16 key and an ASCII key inside binary data', () => {
    const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff]), Buffer.from(`"${fakeKey(952)}"`, 'utf16le'), Buffer.from([0, 1, 2]), Buffer.from(` ${key} `), Buffer.from([0, 0xff])]);
    const result = scanContents('image.png', binary, options);
    assert.deepEqual(result.findings.map((f) => f.credential?.hint), [fakeKey(952), key].map((k) => `${k.slice(0, 16)}…${k.slice(-4)}`));
  });

  it('finds an ASCII key behind a UTF-16 byte order mark, which could otherwise hide it', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k="${key}"\n`)]);
    assert.equal(scanContents('config.py', bytes, options).findings.length, 1);
  });

  it('finds a key written any way issue 13 lists, in random text, at its exact line and column; without it, nothing (property)', () => {
    /** Each way: the text that carries `secret`, and the part of it the finding must cover. */
    const ways: Record<string, (secret: string, choice: number) => { written: string; from: number; to: number }> = {
      'after an escape or an encoding': (secret, choice) => {
        const escape = ['\\n', '\\"', '%22', 'Bearer%20', '\x1b[32m', '\\u001b[1;31m', '\\u0022', '&quot;'][choice % 8];
        return { written: escape + secret + ['%22', '\\n', '\x1b[0m', '"'][choice % 4], from: escape.length, to: escape.length + secret.length };
      },
      'in base64': (secret, choice) => {
        const before = ['', ':', 'u:'][choice % 3];
        const written = Buffer.from(before + secret).toString('base64');
        return { written, from: Math.floor((4 * before.length) / 3), to: Math.ceil((4 * (before.length + secret.length)) / 3) };
      },
      'in adjacent string literals': (secret, choice) => {
        const cut = 7 + (choice % 100);
        const written = `"${secret.slice(0, cut)}"${[' + ', ' ', ' .. ', ' +\n    '][choice % 4]}"${secret.slice(cut)}"`;
        return { written, from: 1, to: written.length - 1 };
      },
      'hard-wrapped across lines': (secret, choice) => {
        const cut = 7 + (choice % 100);
        const written = `${secret.slice(0, cut)}${choice % 2 ? '\r\n' : '\n'}${secret.slice(cut)}`;
        return { written, from: 0, to: written.length };
      },
    };
    const encodings: Record<string, (text: string) => Buffer> = {
      'UTF-8': (text) => Buffer.from(text),
      'UTF-16LE with BOM': (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'UTF-16BE with BOM': (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]),
    };
    // Text around the key: anything, ending and starting in a character that no way above could run into.
    const around = fc.string({ unit: 'grapheme', maxLength: 80 }).map((text) => text.replace(/[A-Za-z0-9_+/=%\\-]/g, '.'));
    fc.assert(
      fc.property(
        around,
        fc.constantFrom(...Object.keys(ways)),
        fc.constantFrom(...Object.keys(encodings)),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom<'api' | 'admin'>('api', 'admin'),
        around,
        (head, way, encoding, choice, kind, tail) => {
          const secret = fakeKey(5000 + choice, kind);
          const { written, from, to } = ways[way](secret, choice);
          const prefix = `${head}\n`;
          const text = `${prefix}${written}\n${tail}`;
          const found = scanContents('capture.log', encodings[encoding](text), options).findings.filter((finding) => finding.ruleId === 'hardcoded-key');
          const start = lineColumnAt(text, prefix.length + from);
          const end = lineColumnAt(text, prefix.length + to);
          assert.deepEqual(
            found.map((finding) => [finding.line, finding.column, finding.endLine, finding.endColumn]),
            [[start.line, start.column, end.line, end.column]],
            `${way}, ${encoding}`,
          );
          assert.equal(found[0].credential?.hint, `${secret.slice(0, kind === 'api' ? 16 : 18)}…${secret.slice(-4)}`);
          const without = `${prefix}\n${tail}`;
          assert.deepEqual(scanContents('capture.log', encodings[encoding](without), options).findings, []);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lists at most MAX_FINDINGS_PER_FILE findings and counts the rest (issue 12 #19)', () => {
    const many = Buffer.from(`${key}\n`.repeat(1500));
    const result = scanContents('keys.txt', many, options);
    assert.equal(MAX_FINDINGS_PER_FILE, 1000);
    assert.equal(result.findings.length, 1000);
    assert.equal(result.omitted, 500);
    assert.equal(result.findings[999].line, 1000);
  });
});

describe('scanFile', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = tempTree({ gitInit: false });
  });
  afterEach(() => tree.remove());

  it('never opens a FIFO in a way that blocks, nor reads it (issue 12 #10)', () => {
    const fifo = join(tree.root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // With no writer, a blocking open would never return.
    assert.deepEqual(scanFile(fifo, options), { findings: [], bytes: 0, skipped: 'not a regular file (a FIFO)', failed: true });
  });

  it('reads no device: not /dev/zero, which never ends, nor /dev/null, which would pass for an empty file', () => {
    for (const device of ['/dev/zero', '/dev/null']) assert.deepEqual(scanFile(device, options), { findings: [], bytes: 0, skipped: 'not a regular file (a device)', failed: true });
  });

  it('scans a symbolic link as git stores it, the path it points to, and never what it points to', () => {
    const secret = tree.write('secret.txt', key);
    symlinkSync(secret, join(tree.root, 'to-secret'));
    symlinkSync(`../${key}`, join(tree.root, 'key-as-target'));
    assert.deepEqual(scanFile(join(tree.root, 'to-secret'), options), { findings: [], bytes: secret.length });
    assert.equal(scanFile(join(tree.root, 'key-as-target'), options).findings.length, 1);
  });

  it('says what a path is when it is not a file to read, and that a file too large was not read', () => {
    mkdirSync(join(tree.root, 'submodule'));
    assert.deepEqual(scanFile(join(tree.root, 'submodule'), options), { findings: [], bytes: 0, skipped: 'a folder (a submodule or a nested repository)' });
    assert.deepEqual(scanFile(join(tree.root, 'gone'), options), { findings: [], bytes: 0, skipped: 'deleted' });
    tree.write('big.txt', 'x'.repeat(2000));
    assert.deepEqual(scanFile(join(tree.root, 'big.txt'), { ...options, maxFileSize: 1000 }), { findings: [], bytes: 0, skipped: 'larger than the 1000 bytes limit', failed: true });
  });
});
