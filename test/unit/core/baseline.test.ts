// The baseline format (src/core/baseline.ts) on its own: identity by rule, path and salted key digest, never the key;
// a stable, sorted, one-entry-per-line text; and clear errors for a file that is not a baseline.
import * as assert from 'node:assert/strict';
import { Baseline, BaselineError } from '../../../src/core/baseline';
import type { FileFinding } from '../../../src/core/findings';
import { keyHint } from '../../../src/core/hint';
import { keyDigest } from '../../../src/core/keyDigest';
import { findTextFindings } from '../../../src/core/textFindings';
import { fakeKey } from '../../support/fakeKeys';

/** The engine's own finding for a key in a line of TypeScript. */
function keyFinding(key: string): FileFinding {
  const [finding] = findTextFindings(`const k = '${key}';`);
  return { ...finding, file: '/repo/a.ts', line: 1, column: 12, endLine: 1, endColumn: 12 + key.length };
}

/** A bundler-public variable name, joined at run time so that this file does not itself hold one (the project scans
 * itself clean). */
const PUBLIC_NAME = ['VITE_', 'CLAUDE_API_KEY'].join('');

describe('Baseline', () => {
  const key = fakeKey(1801);

  it('accepts a key by rule, path and salted digest, on any line, and nothing else', () => {
    const finding = keyFinding(key);
    const baseline = Baseline.create().withExactly([{ finding, path: 'src/a.ts' }]);
    const moved: FileFinding = { ...finding, line: 99, column: 3 };
    assert.ok(baseline.accepts(moved, 'src/a.ts'), 'a moved line is still accepted');
    assert.ok(!baseline.accepts(finding, 'src/b.ts'), 'the same key in another file is not');
    assert.ok(!baseline.accepts(keyFinding(fakeKey(1802)), 'src/a.ts'), 'another key in the same file is not');
    assert.ok(!baseline.accepts({ ...finding, ruleId: 'client-exposed-key' }, 'src/a.ts'), 'another rule is not');
  });

  it('stores neither the key nor its plain digest, only an HMAC under its own salt, and the hint for people (issue 18)', () => {
    const finding = keyFinding(key);
    const a = Baseline.create().withExactly([{ finding, path: 'a.ts' }]);
    const b = Baseline.create().withExactly([{ finding, path: 'a.ts' }]);
    const text = a.serialize();
    assert.ok(!text.includes(key) && !text.includes(key.slice(20, 40)), 'no key, no key body');
    assert.ok(!text.includes(keyDigest(key)), 'not the unsalted digest');
    assert.ok(text.includes(keyHint(key)), 'the hint, for the reviewer');
    assert.notEqual(a.entries[0].secret, b.entries[0].secret, 'two baselines cannot be linked through a shared key');
    assert.match(a.entries[0].secret!, /^[0-9a-f]{32}$/);
  });

  it('writes a header and sorted entries, one per line, with no line numbers or timestamps, and reads them back', () => {
    const base = Baseline.create();
    const findings = [
      { finding: keyFinding(key), path: 'z/last.ts' },
      { finding: { ...keyFinding(key), ruleId: 'unignored-env-file' as const, credential: undefined, messageId: 'unignored-env-file' as const, messageArgs: {} }, path: 'a/.env' },
      { finding: { ...keyFinding(key), ruleId: 'client-exposed-key' as const, credential: undefined, messageId: 'client-exposed-key.public-prefix' as const, messageArgs: { name: PUBLIC_NAME } }, path: 'm/page.tsx' },
    ];
    const text = base.withExactly(findings).serialize();
    const lines = text.split('\n');
    assert.equal(lines.at(-1), '', 'ends with a newline');
    assert.match(lines[0], /^\{"anthropicKeyHygieneBaseline":1,"salt":"[0-9a-f]{32}"\}$/);
    assert.deepEqual(
      lines.slice(1, -1).map((line) => JSON.parse(line).path),
      ['a/.env', 'm/page.tsx', 'z/last.ts'],
    );
    assert.deepEqual(JSON.parse(lines[2]), { path: 'm/page.tsx', rule: 'client-exposed-key', match: PUBLIC_NAME });
    assert.doesNotMatch(text, /"line"|"column"|"date"|"time"/);
    // The same findings in another order give the same bytes; parsing and writing again changes nothing.
    assert.equal(base.withExactly([...findings].reverse()).serialize(), text);
    assert.equal(Baseline.parse(text, 'b').serialize(), text);
    assert.ok(Baseline.parse(text, 'b').accepts(findings[0].finding, 'z/last.ts'));
  });

  it('keeps paths that are not UTF-8 through a round trip', () => {
    const finding = keyFinding(key);
    const path = 'caf\u00e9/\udcff.ts';
    const text = Baseline.create().withExactly([{ finding, path }]).serialize();
    assert.ok(Baseline.parse(text, 'b').accepts(finding, path));
  });

  it('never writes a key that is part of a file\'s name, and still accepts that file (red team F4)', () => {
    const finding = keyFinding(key);
    const path = `notes/${fakeKey(1803)}.txt`;
    const text = Baseline.create().withExactly([{ finding, path }]).serialize();
    assert.ok(!text.includes(fakeKey(1803).slice(13, 40)));
    assert.ok(text.includes(keyHint(fakeKey(1803))));
    assert.ok(Baseline.parse(text, 'b').accepts(finding, path));
  });

  it('identifies a key found without its text by its hint, salted', () => {
    const finding = keyFinding(key);
    const noDigest = { ...finding, credential: { kind: finding.credential!.kind, hint: finding.credential!.hint } };
    const baseline = Baseline.create().withExactly([{ finding: noDigest, path: 'a.ts' }]);
    assert.ok(baseline.accepts(noDigest, 'a.ts'));
    assert.ok(!baseline.accepts(finding, 'a.ts'), 'a digest and a hint are different identities');
  });

  it('refuses, naming the line, what is not a baseline: no header, another version, a conflict, a broken line, two salts', () => {
    const header = '{"anthropicKeyHygieneBaseline":1,"salt":"00112233445566778899aabbccddeeff"}';
    const cases: Array<[string, RegExp]> = [
      ['', /b: empty/],
      ['{"path":"a","rule":"x"}\n', /b:1: not an anthropic-key-hygiene baseline/],
      ['{"anthropicKeyHygieneBaseline":2,"salt":"00112233445566778899aabbccddeeff"}\n', /b:1: baseline format 2/],
      ['{"anthropicKeyHygieneBaseline":1,"salt":"short"}\n', /salt is not 32 hexadecimal digits/],
      [`${header}\n<<<<<<< HEAD\n`, /b:2: an unresolved merge conflict/],
      [`${header}\n{"path":"a",\n`, /b:2: not a JSON object/],
      [`${header}\n[1]\n`, /b:2: not a JSON object/],
      [`${header}\n{"path":"a","rule":"hardcoded-key"}\n`, /b:2: a hardcoded-key entry needs its "secret"/],
      [`${header}\n{"path":"","rule":"tracked-env-file"}\n`, /b:2: "path" must be a non-empty string/],
      [`${header}\n{"anthropicKeyHygieneBaseline":1,"salt":"ffffffffffffffffffffffffffffffff"}\n`, /b:2: a second header with another salt/],
    ];
    for (const [text, message] of cases) assert.throws(() => Baseline.parse(text, 'b'), (error: Error) => error instanceof BaselineError && message.test(error.message), JSON.stringify(text));
    // The same header twice (a union merge of two branches) is fine; CRLF and blank lines too.
    assert.equal(Baseline.parse(`${header}\r\n\r\n${header}\n`, 'b').entries.length, 0);
  });
});
