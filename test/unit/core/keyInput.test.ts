import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { checkKeyName, normaliseKey, publishedKeyLength, readEnvAssignment, type KeyNameRejection, type TrimmedPart } from '../../../src/core/keyInput';
import { ANTHROPIC_PREFIX, fakeKey } from '../../support/fakeKeys';

describe('normaliseKey', () => {
  const key = fakeKey(11);
  const admin = fakeKey(12, 'admin');

  it('accepts a bare API key as it is, trimming nothing', () => {
    assert.deepEqual(normaliseKey(key), { ok: true, key, kind: 'api-key', trimmed: [] });
  });

  it('accepts an Admin key and says so', () => {
    const result = normaliseKey(admin);
    assert.ok(result.ok);
    assert.equal(result.kind, 'admin-key');
  });

  // Each wrapper people paste keys with, and what is reported as removed.
  const wrapped: Array<{ what: string; pasted: string; trimmed: TrimmedPart[]; assignedName?: string }> = [
    { what: 'a trailing newline', pasted: `${key}\n`, trimmed: ['whitespace'] },
    { what: 'spaces, tabs and a CRLF around it', pasted: ` \t${key}\r\n`, trimmed: ['whitespace'] },
    { what: 'a non-breaking space and a zero-width space', pasted: `\u00a0${key}\u200b`, trimmed: ['whitespace'] },
    { what: 'double quotes', pasted: `"${key}"`, trimmed: ['quotes'] },
    { what: 'single quotes with spaces inside', pasted: `' ${key} '`, trimmed: ['quotes', 'whitespace'] },
    { what: 'backticks', pasted: `\`${key}\``, trimmed: ['quotes'] },
    { what: 'a string literal with a trailing comma', pasted: `"${key}",`, trimmed: ['trailing-punctuation', 'quotes'] },
    { what: 'a .env line', pasted: `ANTHROPIC_API_KEY=${key}`, trimmed: ['assignment'], assignedName: 'ANTHROPIC_API_KEY' },
    {
      what: 'an exported, quoted .env line with a newline',
      pasted: `export ANTHROPIC_ANALYTICS_KEY="${key}"\n`,
      trimmed: ['whitespace', 'assignment', 'quotes'],
      assignedName: 'ANTHROPIC_ANALYTICS_KEY',
    },
    { what: 'a YAML entry', pasted: `anthropic_key: ${key}`, trimmed: ['assignment'], assignedName: 'anthropic_key' },
    { what: 'a JSON member', pasted: `"ANTHROPIC_API_KEY": "${key}",`, trimmed: ['assignment', 'trailing-punctuation', 'quotes'], assignedName: 'ANTHROPIC_API_KEY' },
  ];
  for (const { what, pasted, trimmed, assignedName } of wrapped) {
    it(`removes ${what} and reports what it removed`, () => {
      const result = normaliseKey(pasted);
      assert.ok(result.ok, `accepted: ${JSON.stringify(result)}`);
      assert.equal(result.key, key);
      assert.deepEqual(result.trimmed, trimmed);
      assert.equal(result.assignedName, assignedName);
    });
  }

  // Refusals: the reason, and never any of the key in the result.
  const refused: Array<{ what: string; pasted: string; reason: string }> = [
    { what: 'an empty paste', pasted: '', reason: 'empty' },
    { what: 'whitespace only', pasted: ' \n\t', reason: 'empty' },
    { what: 'empty quotes', pasted: '""', reason: 'empty' },
    { what: 'two keys on two lines', pasted: `${key}\n${fakeKey(13)}`, reason: 'inner-whitespace' },
    { what: 'a key with a space inside', pasted: `${key.slice(0, 50)} ${key.slice(50)}`, reason: 'inner-whitespace' },
    { what: 'an OpenAI-style key', pasted: 'sk-proj-' + 'a1B2c3D4e5F6g7H8i9J0'.repeat(3), reason: 'not-anthropic' },
    { what: 'a password', pasted: 'correct horse', reason: 'inner-whitespace' },
    { what: 'a word', pasted: 'hunter2', reason: 'not-anthropic' },
    { what: 'the prefix alone', pasted: `${ANTHROPIC_PREFIX}api03-`, reason: 'placeholder' },
    { what: 'a documentation ellipsis', pasted: `${ANTHROPIC_PREFIX}api03-...`, reason: 'placeholder' },
    { what: 'a typographic ellipsis', pasted: `${ANTHROPIC_PREFIX}…`, reason: 'placeholder' },
    { what: 'an angle-bracket placeholder', pasted: `${ANTHROPIC_PREFIX}api03-<your-key>`, reason: 'placeholder' },
    { what: 'a your-key-here placeholder', pasted: `${ANTHROPIC_PREFIX}api03-your-key-here`, reason: 'placeholder' },
    { what: 'a body of x', pasted: `${ANTHROPIC_PREFIX}api03-${'x'.repeat(93)}AA`, reason: 'placeholder' },
    { what: 'a repeated pattern', pasted: `${ANTHROPIC_PREFIX}api03-${'abc123'.repeat(16)}`, reason: 'placeholder' },
    { what: 'a truncated key', pasted: key.slice(0, 80), reason: 'malformed' },
    { what: 'a key with characters glued on', pasted: `${key}_old`, reason: 'malformed' },
    { what: 'a key with a character no key has', pasted: `${key.slice(0, 60)}!${key.slice(61)}`, reason: 'malformed' },
    { what: 'an OAuth access token', pasted: fakeKey(14, 'oat'), reason: 'not-an-api-key' },
    { what: 'a session key', pasted: fakeKey(15, 'sid'), reason: 'not-an-api-key' },
  ];
  for (const { what, pasted, reason } of refused) {
    it(`refuses ${what} as ${reason}`, () => {
      const result = normaliseKey(pasted);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, reason);
      assert.ok(!JSON.stringify(result).includes('sk-'), 'the refusal carries none of the pasted text');
    });
  }

  it('gives the length of a truncated key and the length a key should have', () => {
    const result = normaliseKey(key.slice(0, 80));
    assert.deepEqual(result, { ok: false, reason: 'malformed', length: 80 });
    assert.equal(publishedKeyLength('api-key'), key.length);
    assert.equal(publishedKeyLength('admin-key'), admin.length);
  });

  it('names the kind of a token that is not an API key', () => {
    assert.deepEqual(normaliseKey(fakeKey(16, 'ort')), { ok: false, reason: 'not-an-api-key', kind: 'oauth-refresh-token' });
  });

  it('accepts an API key of an unpublished version, whose length nobody knows', () => {
    const future = key.replace('api03-', 'api04-').slice(0, 90);
    const result = normaliseKey(future);
    assert.ok(result.ok);
    assert.equal(result.kind, 'api-key');
  });

  it('gives back exactly the key from any wrapping of it, for any key', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('', ' ', '\n', '\t '),
        fc.constantFrom('', '"', "'"),
        fc.constantFrom('', 'ANTHROPIC_API_KEY=', 'export MY_KEY='),
        (seed, space, quote, assignment) => {
          const original = fakeKey(seed, seed % 2 === 0 ? 'api' : 'admin');
          const result = normaliseKey(`${space}${assignment}${quote}${original}${quote}${space}`);
          assert.ok(result.ok);
          assert.equal(result.key, original);
        },
      ),
    );
  });
});

describe('checkKeyName', () => {
  it('accepts the usual variable names', () => {
    for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_ANALYTICS_KEY', '_PRIVATE', 'key2', ' ANTHROPIC_API_KEY ']) {
      assert.equal(checkKeyName(name), undefined, name);
    }
  });

  const refused: Array<[string, KeyNameRejection]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['ANTHROPIC-API-KEY', 'invalid-characters'],
    ['MY KEY', 'invalid-characters'],
    ['SCHLÜSSEL', 'invalid-characters'],
    ['KEY=1', 'invalid-characters'],
    ['2ND_KEY', 'starts-with-digit'],
    ['K'.repeat(65), 'too-long'],
    ['PATH', 'reserved'],
    ['home', 'reserved'],
    ['NODE_OPTIONS', 'reserved'],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}… (${name.length} characters)` : name)} as ${reason}`, () => {
      assert.equal(checkKeyName(name), reason);
    });
  }
});

describe('readEnvAssignment', () => {
  const key = fakeKey(21);

  it('reads an unquoted value', () => {
    assert.deepEqual(readEnvAssignment(`# keys\nANTHROPIC_API_KEY=${key}\n`, 'ANTHROPIC_API_KEY'), { value: key, line: 1 });
  });

  it('reads quoted and exported values, with spaces around the equals sign', () => {
    assert.equal(readEnvAssignment(`export ANTHROPIC_API_KEY = "${key}"`, 'ANTHROPIC_API_KEY')?.value, key);
    assert.equal(readEnvAssignment(`ANTHROPIC_API_KEY='${key}' # prod`, 'ANTHROPIC_API_KEY')?.value, key);
  });

  it('drops an inline comment after an unquoted value', () => {
    assert.equal(readEnvAssignment(`ANTHROPIC_API_KEY=${key} # rotated in May`, 'ANTHROPIC_API_KEY')?.value, key);
  });

  it('lets the last assignment win, as dotenv does', () => {
    assert.deepEqual(readEnvAssignment(`ANTHROPIC_API_KEY=old\r\nANTHROPIC_API_KEY=${key}\r\n`, 'ANTHROPIC_API_KEY'), { value: key, line: 1 });
  });

  it('does not confuse a longer name or a commented-out line with the variable', () => {
    const text = `ANTHROPIC_API_KEY_OLD=${key}\n# ANTHROPIC_API_KEY=${key}\nMY_ANTHROPIC_API_KEY=${key}\n`;
    assert.equal(readEnvAssignment(text, 'ANTHROPIC_API_KEY'), undefined);
  });

  it('reports an empty value as empty', () => {
    assert.deepEqual(readEnvAssignment('ANTHROPIC_API_KEY=\n', 'ANTHROPIC_API_KEY'), { value: '', line: 0 });
  });
});
