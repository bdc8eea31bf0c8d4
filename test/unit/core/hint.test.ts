import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { keyHint } from '../../../src/core/hint';
import { ANTHROPIC_PREFIX, fakeKey, type FakeKeyKind } from '../../support/fakeKeys';

describe('keyHint', () => {
  it('shows the kind prefix, the first 3 and the last 4 body characters of an API key', () => {
    const key = fakeKey(1);
    const body = key.slice(ANTHROPIC_PREFIX.length + 'api03-'.length);
    assert.equal(keyHint(key), `${ANTHROPIC_PREFIX}api03-${body.slice(0, 3)}…${body.slice(-4)}`);
    assert.ok(keyHint(key).endsWith('AA'));
  });

  it('keeps the whole kind segment of admin keys and tokens', () => {
    assert.ok(keyHint(fakeKey(2, 'admin')).startsWith(`${ANTHROPIC_PREFIX}admin01-`));
    assert.ok(keyHint(fakeKey(2, 'oat')).startsWith(`${ANTHROPIC_PREFIX}oat01-`));
  });

  it('never reveals more than 7 body characters of any key', () => {
    const kinds: FakeKeyKind[] = ['api', 'admin', 'oat', 'ort', 'sid'];
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...kinds), (seed, kind) => {
        const key = fakeKey(seed, kind);
        const hint = keyHint(key);
        const prefixLength = key.indexOf('-', ANTHROPIC_PREFIX.length) + 1;
        assert.equal(hint.slice(0, prefixLength), key.slice(0, prefixLength));
        assert.equal(hint.length - prefixLength - '…'.length, 7);
      }),
    );
  });

  it('shows only the first and last character of a body of 12 to 23 characters', () => {
    assert.equal(keyHint(`${ANTHROPIC_PREFIX}api03-abcdefghijklmno`), `${ANTHROPIC_PREFIX}api03-a…o`);
    assert.equal(keyHint(`${ANTHROPIC_PREFIX}api03-abcdefghijkl`), `${ANTHROPIC_PREFIX}api03-a…l`);
  });

  it('masks a body shorter than 12 characters entirely', () => {
    assert.equal(keyHint(`${ANTHROPIC_PREFIX}api03-abcdefghijk`), `${ANTHROPIC_PREFIX}api03-…`);
    assert.equal(keyHint(`${ANTHROPIC_PREFIX}api03-`), `${ANTHROPIC_PREFIX}api03-…`);
    assert.equal(keyHint(''), '…');
    assert.equal(keyHint('short'), '…');
  });

  it('treats input without the Anthropic prefix as all body', () => {
    assert.equal(keyHint('abcdefghijklmnopqrstuvwxyz0123'), 'abc…0123');
  });

  it('keeps the bare sk-ant- prefix when there is no kind segment', () => {
    assert.equal(keyHint(`${ANTHROPIC_PREFIX}abcdefghijklmnopqrstuvwxyz0123`), `${ANTHROPIC_PREFIX}abc…0123`);
  });

  it('never splits a surrogate pair', () => {
    const hint = keyHint('😀😀😀' + 'x'.repeat(30) + '😀😀😀😀');
    assert.equal(hint, '😀😀😀…😀😀😀😀');
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(hint));
  });

  it('cuts keys and any other text at the same code points, surrogates or not (property)', () => {
    // The hint as defined: the text after the kind prefix as code points, cut at 3 + 4 (or 1 + 1) of them.
    const byCodePoints = (text: string) => {
      const prefix = /^sk-ant-(?:[a-z]{1,16}\d\d-)?/.exec(text)?.[0] ?? '';
      const body = Array.from(text.slice(prefix.length));
      if (body.length >= 24) return prefix + body.slice(0, 3).join('') + '…' + body.slice(-4).join('');
      return body.length >= 12 ? prefix + body[0] + '…' + body[body.length - 1] : prefix + '…';
    };
    fc.assert(
      fc.property(fc.constantFrom('', ANTHROPIC_PREFIX, `${ANTHROPIC_PREFIX}api03-`), fc.string({ unit: fc.constantFrom('a', '_', '😀', '\uD800', '\uDC00', 'é'), maxLength: 120 }), (prefix, body) => {
        assert.equal(keyHint(prefix + body), byCodePoints(prefix + body));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never grows much beyond 8 characters past the prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const hint = keyHint(input);
        assert.ok(Array.from(hint).length <= 8 + 26);
      }),
    );
  });
});
