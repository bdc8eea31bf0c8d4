import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import type { TextFinding } from '../../../src/core/findings';
import { keyHint } from '../../../src/core/hint';
import { SUPPRESSION_MARKER } from '../../../src/core/suppression';
import { findBufferFindings, findTextFindings } from '../../../src/core/textFindings';
import { ANTHROPIC_PREFIX, fakeKey, randomBody, seededRandom, type FakeKeyKind } from '../../support/fakeKeys';

const apiKey = fakeKey(21);

/** No message may hold any 8-character piece of a key body (hints show at most 3 + 4). */
function assertNoSecretIn(findings: TextFinding[], keys: string[]): void {
  for (const key of keys) {
    const body = key.slice(key.indexOf('-', ANTHROPIC_PREFIX.length) + 1);
    for (const finding of findings) {
      for (let i = 0; i + 8 <= body.length; i++) assert.ok(!finding.message.includes(body.slice(i, i + 8)));
    }
  }
}

describe('findTextFindings', () => {
  it('reports a published-format key as an error whose message shows only the hint', () => {
    const text = `const apiKey = "${apiKey}";`;
    const hint = keyHint(apiKey);
    assert.deepEqual(findTextFindings(text), [
      {
        ruleId: 'hardcoded-key',
        severity: 'error',
        start: text.indexOf(apiKey),
        end: text.indexOf(apiKey) + apiKey.length,
        message: `Hardcoded Anthropic API key ${hint}. Move it to a git-ignored .env file or Secret Storage and read it from ANTHROPIC_API_KEY.`,
        messageId: 'hardcoded-key',
        messageArgs: { kind: 'api-key', hint, variable: 'ANTHROPIC_API_KEY' },
        credential: { kind: 'api-key', hint },
      },
    ]);
  });

  it('points an Admin key to ANTHROPIC_ADMIN_KEY', () => {
    const [finding] = findTextFindings(fakeKey(22, 'admin'));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /^Hardcoded Anthropic Admin API key .*ANTHROPIC_ADMIN_KEY\.$/);
  });

  it('reports tokens of unpublished length as errors that say their shape is unpublished (red team F11)', () => {
    const findings = findTextFindings(`${fakeKey(23, 'oat')}\n${fakeKey(24, 'sid')}`);
    assert.deepEqual(findings.map((finding) => [finding.severity, finding.credential?.kind]), [
      ['error', 'oauth-access-token'],
      ['error', 'session-key'],
    ]);
    assert.match(findings[0].message, /^Possible hardcoded Anthropic OAuth access token .*does not publish the length/);
    assert.match(findings[0].message, /CLAUDE_CODE_OAUTH_TOKEN/);
  });

  it('reports an API-prefixed token off the published shape as an error that says so', () => {
    const [finding] = findTextFindings(` ${apiKey}_backup `);
    assert.equal(finding.severity, 'error', 'a key with something glued on still works');
    assert.match(finding.message, /not the published format/);
  });

  it('drops low-confidence findings when asked to', () => {
    const text = `${fakeKey(25, 'ort')} ${apiKey}`;
    assert.deepEqual(
      findTextFindings(text, { includeLowConfidence: false }).map((finding) => finding.credential?.kind),
      ['api-key'],
    );
  });

  it('reports client exposures as warnings naming the variable and the bundler', () => {
    const text = 'const key = import.meta.env.VITE_ANTHROPIC_API_KEY;'; // anthropic-key-hygiene-ignore: a fixture of the rule
    const [finding] = findTextFindings(text);
    assert.equal(finding.ruleId, 'client-exposed-key');
    assert.equal(finding.severity, 'warning');
    assert.equal(text.slice(finding.start, finding.end), 'VITE_ANTHROPIC_API_KEY'); // anthropic-key-hygiene-ignore: a fixture of the rule
    assert.match(finding.message, /^VITE_ANTHROPIC_API_KEY has the VITE_ prefix, so Vite exposes its value/); // anthropic-key-hygiene-ignore: a fixture of the rule
    assert.equal(finding.credential, undefined);
  });

  it('explains dangerouslyAllowBrowser', () => {
    const [finding] = findTextFindings('new Anthropic({ dangerouslyAllowBrowser: true })'); // anthropic-key-hygiene-ignore: a fixture of the rule
    assert.match(finding.message, /dangerouslyAllowBrowser: true/);
  });

  it('orders findings of both rules by offset', () => {
    const text = `apiKey: "${apiKey}",\nkey: process.env.NEXT_PUBLIC_CLAUDE_KEY,\nother: "${fakeKey(26)}"`; // anthropic-key-hygiene-ignore: a fixture of the rule
    assert.deepEqual(
      findTextFindings(text).map((finding) => finding.ruleId),
      ['hardcoded-key', 'client-exposed-key', 'hardcoded-key'],
    );
  });

  it('applies suppression comments on the same and the previous line', () => {
    const text = [
      `const a = "${fakeKey(27)}"; // ${SUPPRESSION_MARKER}`,
      `// ${SUPPRESSION_MARKER}: test fixture`,
      `const b = "${fakeKey(28)}";`,
      `const c = "${fakeKey(29)}";`,
      `// ${SUPPRESSION_MARKER}`,
      'const d = process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY;', // anthropic-key-hygiene-ignore: a fixture of the rule
    ].join('\n');
    const findings = findTextFindings(text);
    assert.deepEqual(findings.map((finding) => finding.start), [text.indexOf(fakeKey(29))]);
  });

  it('leaves keys in an env file to the env-file rules, unless asked to report them', () => {
    const text = `ANTHROPIC_API_KEY=${apiKey}\nVITE_ANTHROPIC_API_KEY=x\n`;
    assert.deepEqual(
      findTextFindings(text, { fileName: '/repo/.env.local' }).map((finding) => finding.ruleId),
      ['client-exposed-key'],
    );
    assert.deepEqual(
      findTextFindings(text, { fileName: '.env', reportKeysInEnvFiles: true }).map((finding) => finding.ruleId),
      ['hardcoded-key', 'client-exposed-key'],
    );
  });

  it('asks to keep a reported env file out of git rather than to move its key to one', () => {
    const [finding] = findTextFindings(`ANTHROPIC_API_KEY=${apiKey}\n`, { fileName: '.env.local', reportKeysInEnvFiles: true });
    assert.equal(finding.severity, 'error');
    assert.equal(
      finding.message,
      `Anthropic API key ${keyHint(apiKey)} in an env file. Keep the key here but the file out of git: ` +
        'make sure .gitignore covers it and git does not track it, and rotate the key if the file was ever committed.',
    );
  });

  it('advises .gitignore for a key in an env file git would commit, and untracking for one git tracks (issue 12, small things)', () => {
    const text = `ANTHROPIC_API_KEY=${apiKey}\n`;
    const [unignored] = findTextFindings(text, { fileName: '.env', reportKeysInEnvFiles: true, envFileRule: 'unignored-env-file' });
    const [tracked] = findTextFindings(text, { fileName: '.env', reportKeysInEnvFiles: true, envFileRule: 'tracked-env-file' });
    assert.match(unignored.message, /add the file to \.gitignore/);
    assert.doesNotMatch(unignored.message, /git rm --cached/);
    // An ignored but tracked file is already in .gitignore: telling the user to add it there would fix nothing.
    assert.match(tracked.message, /stop tracking the file \(git rm --cached/);
    assert.doesNotMatch(tracked.message, /\.gitignore/);
  });

  it('asks for a placeholder when a key sits in an env template', () => {
    const [finding] = findTextFindings(`ANTHROPIC_API_KEY=${apiKey}\n`, { fileName: '.env.example' });
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /in an env template\. Templates are committed/);
  });

  it('never puts more of a key than its hint in a message', () => {
    const kinds: FakeKeyKind[] = ['api', 'admin', 'oat', 'ort', 'sid'];
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...kinds), fc.boolean(), (seed, kind, template) => {
        const key = fakeKey(seed, kind) + (seed % 3 === 0 ? '_x' : '');
        const findings = findTextFindings(`k=${key}`, { fileName: template ? '.env.sample' : 'app.ts' });
        assert.equal(findings.length, 1);
        assertNoSecretIn(findings, [key]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('findBufferFindings', () => {
  it('reports byte offsets for both rules', () => {
    const text = `// 日本語 é😀\nconst k = "${apiKey}"; // ünïcödé\nconst v = import.meta.env.VITE_ANTHROPIC_API_KEY;`; // anthropic-key-hygiene-ignore: a fixture of the rule
    const bytes = Buffer.from(text);
    const findings = findBufferFindings(bytes);
    assert.deepEqual(
      findings.map((finding) => bytes.toString('utf8', finding.start, finding.end)),
      [apiKey, 'VITE_ANTHROPIC_API_KEY'], // anthropic-key-hygiene-ignore: a fixture of the rule
    );
  });

  it('matches the text scan, offsets converted to bytes, messages and all', () => {
    const pieces = fc.constantFrom(
      ' ', '\n', '\r\n', 'é', '😀', '"', `// ${SUPPRESSION_MARKER}\n`, 'import.meta.env.VITE_ANTHROPIC_API_KEY', // anthropic-key-hygiene-ignore: a fixture of the rule
      'NEXT_PUBLIC_CLAUDE_KEY', 'new Anthropic({ dangerouslyAllowBrowser: true })', 'new OpenAI({ dangerouslyAllowBrowser: true })', // anthropic-key-hygiene-ignore: a fixture of the rule
      ANTHROPIC_PREFIX, 'api03-', 'oat01-',
    );
    const text = fc
      .array(
        fc.oneof(
          pieces,
          fc.integer().map((seed) => fakeKey(seed)),
          fc.integer().map((seed) => randomBody(seededRandom(seed), 50)),
          fc.string({ unit: 'binary', maxLength: 4 }),
        ),
        { maxLength: 25 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), (joined, includeLowConfidence) => {
        const expected = findTextFindings(joined, { includeLowConfidence }).map((finding) => ({
          ...finding,
          start: Buffer.byteLength(joined.slice(0, finding.start)),
          end: Buffer.byteLength(joined.slice(0, finding.end)),
        }));
        assert.deepEqual(findBufferFindings(Buffer.from(joined), { includeLowConfidence }), expected);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => Array.isArray(findBufferFindings(Buffer.from(bytes)))));
  });
});
