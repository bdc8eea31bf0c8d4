// The lexer that tells code from strings, comments and regular expressions, for the client-exposure rule.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { codeRegionsOf, codeRegionsOfBytes } from '../../../src/core/codeRegions';

/** The text with every unit that is not code replaced by `.`, so a table reads at a glance. */
function codeOnly(text: string): string {
  const regions = codeRegionsOf(text);
  let shown = '';
  for (let i = 0; i < text.length; i++) shown += regions.isCode(i) ? text[i] : '.';
  return shown;
}

describe('CodeRegions', () => {
  // A token's opening delimiter is code (the token starts there); the rest of it, closing delimiter included, is not.
  const cases: Array<[string, string, string]> = [
    ['line comments', 'a // b\nc', 'a /....c'],
    ['block comments', 'a /* b\n */ c', 'a /....... c'],
    ['block comments that look closed early', 'a /*/ b */ c', 'a /....... c'],
    ['strings, with escapes', `a 'b\\'c' "d\\"e" f`, `a '..... "..... f`],
    ['a string left open ends at its line', `a 'b\nc`, `a '..c`],
    ['template text, and code inside ${}', 'a `b${c + `d${e}`}f` g', 'a `..{c + `..{e}.}.. g'],
    ['a regular expression after an operator', 'x = /a"b/g; y', 'x = /....g; y'],
    ['a regular expression after a keyword', "return /'/.test(s)", 'return /...test(s)'],
    ['a character class holding a slash', 'x = /[/"]/; y', 'x = /.....; y'],
    ['division after a name, a bracket or a string', 'a / b / c; x[1] / 2; "s" / 3', 'a / b / c; x[1] / 2; ".. / 3'],
    ['a hashbang line', '#!/usr/bin/env node\nx', '....................x'],
  ];
  for (const [name, text, expected] of cases) {
    it(`tells code from ${name}`, () => assert.equal(codeOnly(text), expected));
  }

  it('marks comments apart from strings', () => {
    const text = `"a" // b`;
    const regions = codeRegionsOf(text);
    assert.deepEqual([...text].map((_, i) => (regions.isComment(i) ? 'c' : '-')).join(''), '-----ccc');
  });

  it('reads raw bytes as it reads their latin1 text', () => {
    const pieces = fc.constantFrom('/', '*', '"', "'", '`', '${', '}', '{', '\\', '\n', 'return ', 'x', ')', '[', ']', ' ', 'é');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const bytes = Buffer.from(parts.join(''));
        const fromBytes = codeRegionsOfBytes(bytes);
        const fromText = codeRegionsOf(bytes.toString('latin1'));
        for (let i = 0; i <= bytes.length; i++) assert.equal(fromBytes.isCode(i), fromText.isCode(i));
      }),
      { numRuns: 500 },
    );
  });

  it('answers queries that move forward, including one that lands inside an escape', () => {
    const text = `"a\\"b" x`;
    const regions = codeRegionsOf(text);
    assert.equal(regions.isCode(3), false);
    assert.equal(regions.isCode(3), false);
    assert.equal(regions.isCode(7), true);
  });

  it('lexes adversarial input in linear time', () => {
    const started = Date.now();
    for (const text of ['`${'.repeat(300_000), '/['.repeat(300_000), "'\\".repeat(300_000), '/*'.repeat(300_000), 'return /'.repeat(100_000)]) {
      codeRegionsOf(text).isCode(text.length);
    }
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });
});
