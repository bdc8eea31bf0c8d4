// The web build's scan of a file (decoded text, no Buffer) against the Node scan of the same bytes (scanContents):
// the same findings at the same lines and columns, for the encodings and line endings text files come in, so that a
// file's diagnostics do not move when the same workspace is opened in the browser (issue 19).
import * as assert from 'node:assert/strict';
import { decodeForScan, scanDecodedContents } from '../../../src/core/contentScan';
import { MAX_FINDINGS_PER_FILE, scanContents } from '../../../src/core/fileScan';
import type { EnvFileRule } from '../../../src/core/envFiles';
import { fakeKey } from '../../support/fakeKeys';

const options = { includeLowConfidence: true, maxFileSize: 1 << 30 };
const key = fakeKey(1951);
const admin = fakeKey(1952, 'admin');
const token = fakeKey(1953, 'oat');

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  bytes.swap16();
  return bytes;
}

/** What a finding is, without its message text's wording: where, which rule, which key. */
function summary(findings: ReturnType<typeof scanContents>['findings']): string[] {
  return findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.severity} ${f.credential?.hint ?? ''} ${f.messageId}`);
}

const cases: Array<{ title: string; file: string; bytes: Buffer; envRule?: EnvFileRule }> = [
  { title: 'UTF-8 with LF', file: 'src/app.ts', bytes: Buffer.from(`const a = 1;\nconst key = "${key}";\n`) },
  { title: 'CRLF line endings', file: 'src/app.py', bytes: Buffer.from(`x = 1\r\nkey = "${key}"\r\nadmin = '${admin}'\r\n`) },
  { title: 'a UTF-8 byte order mark before a key on the first line', file: 'a.js', bytes: Buffer.from(`\uFEFFconst k = "${key}";\n`) },
  { title: 'non-ASCII before a key on its line (emoji: surrogate pairs; accents)', file: 'b.ts', bytes: Buffer.from(`// 😀 é ü\nconst s = "😀é"; const k = "${key}";\n`) },
  { title: 'a low-confidence token and a suppressed key', file: 'c.ts', bytes: Buffer.from(`const t = "${token}";\nconst k = "${key}"; // anthropic-key-hygiene-ignore\n`) },
  { title: 'a key exposed to the browser (client-exposed-key)', file: 'web/app.tsx', bytes: Buffer.from(`const c = new Anthropic({ dangerouslyAllowBrowser: true });\nconst k = process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY;\n`) },
  { title: 'an unignored .env file with a key', file: 'pkg/.env', bytes: Buffer.from(`# local\r\nANTHROPIC_API_KEY=${key}\r\n`), envRule: 'unignored-env-file' },
  { title: 'an empty .env file', file: '.env.local', bytes: Buffer.alloc(0), envRule: 'unignored-env-file' },
  { title: 'UTF-16LE with a byte order mark', file: 'w.ps1', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$k = "${key}"\r\n`, 'utf16le')]) },
  { title: 'UTF-16BE with a byte order mark', file: 'w.txt', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`line one\nk=${key}\n`)]) },
  { title: 'UTF-16LE without a byte order mark, as VS Code guesses it', file: 'x.txt', bytes: Buffer.from(`a\nkey: ${key}\n`, 'utf16le') },
  { title: 'an ASCII key among binary data with NUL bytes', file: 'blob.bin', bytes: Buffer.concat([Buffer.from([0, 1, 2, 0x0a, 0]), Buffer.from(`\n${key}\n`)]) },
  { title: 'a minified line with many keys', file: 'bundle.min.js', bytes: Buffer.from(Array.from({ length: 40 }, (_, i) => `var a${i}="${fakeKey(2000 + i)}";`).join('')) },
];

describe('scanDecodedContents (the web build’s file scan)', () => {
  for (const { title, file, bytes, envRule } of cases) {
    it(`finds what the Node scan finds, where it finds it: ${title}`, () => {
      const node = scanContents(file, bytes, options, envRule);
      const web = scanDecodedContents(file, new Uint8Array(bytes), options, envRule);
      assert.deepEqual(summary(web.findings), summary(node.findings));
      assert.equal(web.bytes, node.bytes);
      // Not vacuous: every case but the empty file has something to find.
      if (bytes.length > 0) assert.ok(web.findings.length > 0, 'the case holds a finding');
    });
  }

  it('lists at most MAX_FINDINGS_PER_FILE findings and counts the rest, as the Node scan does', () => {
    const bytes = Buffer.from(Array.from({ length: MAX_FINDINGS_PER_FILE + 5 }, (_, i) => `k${i} = "${fakeKey(3000 + i)}"`).join('\n'));
    const web = scanDecodedContents('many.py', new Uint8Array(bytes), options);
    const node = scanContents('many.py', bytes, options);
    assert.equal(web.findings.length, MAX_FINDINGS_PER_FILE);
    assert.equal(web.omitted, node.omitted);
    assert.equal(web.omitted, 5);
  });

  it('never needs Buffer: it scans a plain Uint8Array (what workspace.fs gives the web build)', () => {
    const plain = new TextEncoder().encode(`const k = "${key}";\n`);
    assert.equal(Buffer.isBuffer(plain), false);
    assert.deepEqual(scanDecodedContents('p.ts', plain, options).findings.map((f) => f.credential?.hint), [scanContents('p.ts', Buffer.from(plain), options).findings[0].credential?.hint]);
  });
});

describe('decodeForScan', () => {
  it('keeps a UTF-8 byte order mark in the text, as positions expect it', () => {
    assert.equal(decodeForScan(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), '\uFEFFa');
  });

  it('drops a trailing odd byte of UTF-16 text', () => {
    assert.equal(decodeForScan(new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x62])), 'a');
  });
});
