// The needles git grep is asked for (issue 15) must be in every file where the engine can find anything: checked
// against every rule's own true positives, and against the engine on random text built from every form of key.
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { RULES, type ExampleKeys } from '../../../src/core/rules';
import { TEXT_NEEDLES, holdsAnyNeedle } from '../../../src/core/scanNeedles';
import { findBufferFindings } from '../../../src/core/textFindings';
import { fakeKey } from '../../support/fakeKeys';

const KEYS: ExampleKeys = {
  apiKey: (seed) => fakeKey(4000 + seed, 'api'),
  adminKey: (seed) => fakeKey(5000 + seed, 'admin'),
  oauthToken: (seed) => fakeKey(6000 + seed, 'oat'),
};

/** Findings of the content rules (the env-file rules go by name, not content). */
function contentFindings(bytes: Buffer, fileName: string) {
  return findBufferFindings(bytes, { fileName, reportKeysInEnvFiles: true }).filter((finding) => finding.ruleId === 'hardcoded-key' || finding.ruleId === 'client-exposed-key');
}

describe('scanNeedles', () => {
  it('are ASCII, so git grep -F and the engine read them the same way', () => {
    for (const needle of TEXT_NEEDLES) assert.match(needle, /^[\x21-\x7e]+$/);
  });

  for (const rule of RULES) {
    it(`are in every true positive of ${rule.id} that a content rule reports`, () => {
      for (const example of rule.examples(KEYS).truePositives) {
        for (const bytes of [Buffer.from(example.text), Buffer.from(example.text, 'utf16le')]) {
          if (contentFindings(bytes, example.fileName).length > 0) assert.ok(holdsAnyNeedle(bytes), example.title);
        }
      }
    });
  }

  it('are in every text where the engine finds anything (property)', () => {
    const key = fc.integer().map((seed) => fakeKey(seed, seed % 3 === 0 ? 'oat' : 'api'));
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      key,
      key.map((k) => Buffer.from(k).toString('base64')),
      key.map((k) => `"${k.slice(0, 40)}" + "${k.slice(40)}"`),
      fc.constantFrom('\\n', '%22', '\x1b[32m', `process.env.${['NEXT', 'PUBLIC', 'CLAUDE', 'KEY'].join('_')}`, `{ ${['dangerously', 'AllowBrowser'].join('')}: true } // Anthropic`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom('a.ts', 'b.md', '.env', 'c.json'), fc.boolean(), (pieces, fileName, utf16) => {
        const text = pieces.join(' ');
        const bytes = utf16 ? Buffer.from(text, 'utf16le') : Buffer.from(text);
        if (contentFindings(bytes, fileName).length > 0) assert.ok(holdsAnyNeedle(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
