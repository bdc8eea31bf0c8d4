import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import {
  MAX_BODY_LENGTH,
  classifyCredential,
  describeCredential,
  findCredentials,
  findCredentialsInBuffer,
  isCredential,
  looksLikePlaceholderBody,
} from '../../../src/core/credentials';
import type { CredentialMatch } from '../../../src/core/findings';
import { ANTHROPIC_PREFIX, KEY_ALPHABET, fakeKey, randomBody, seededRandom, structuredFakeKey, type FakeKeyKind } from '../../support/fakeKeys';

const apiKey = fakeKey(1);
const adminKey = fakeKey(2, 'admin');
/** A token with a kind segment of our choosing and a random body. */
function token(kindSegment: string, bodyLength: number, seed = 7): string {
  return ANTHROPIC_PREFIX + kindSegment + randomBody(seededRandom(seed), bodyLength);
}
/** Where the key sits in `text`, as the scanner should report it. */
function span(text: string, key: string): Pick<CredentialMatch, 'start' | 'end'> {
  const start = text.indexOf(key);
  return { start, end: start + key.length };
}
function spans(matches: CredentialMatch[]): Array<Pick<CredentialMatch, 'start' | 'end'>> {
  return matches.map(({ start, end }) => ({ start, end }));
}

describe('findCredentials', () => {
  it('finds an API key of the published format with high confidence', () => {
    const text = `const client = new Anthropic({ apiKey: "${apiKey}" });`;
    assert.deepEqual(findCredentials(text), [{ ...span(text, apiKey), kind: 'api-key', confidence: 'high' }]);
  });

  it('finds an Admin API key of the published format with high confidence', () => {
    const text = `ADMIN=${adminKey}\n`;
    assert.deepEqual(findCredentials(text), [{ ...span(text, adminKey), kind: 'admin-key', confidence: 'high' }]);
  });

  const lowConfidenceKinds: Array<[FakeKeyKind, string]> = [
    ['oat', 'oauth-access-token'],
    ['ort', 'oauth-refresh-token'],
    ['sid', 'session-key'],
  ];
  for (const [fakeKind, kind] of lowConfidenceKinds) {
    it(`finds a ${kind} with low confidence`, () => {
      const key = fakeKey(3, fakeKind);
      assert.deepEqual(findCredentials(`token: ${key}`), [{ start: 7, end: 7 + key.length, kind, confidence: 'low' }]);
    });
  }

  it('finds any other sk-ant-<word><2 digits>- token with a long body as a low-confidence other token', () => {
    const other = token('xyz07-', 60);
    assert.deepEqual(findCredentials(other), [{ start: 0, end: other.length, kind: 'other-token', confidence: 'low' }]);
  });

  it('classifies kind words that are also Object.prototype properties as other tokens', () => {
    for (const word of ['constructor', 'toString', 'hasOwnProperty', 'proto'])
      assert.equal(classifyCredential(token(word.toLowerCase() + '01-', 80)), 'other-token');
  });

  it('accepts an unpublished token body from 40 characters up, and not below', () => {
    assert.equal(findCredentials(token('oat01-', 40)).length, 1);
    assert.equal(findCredentials(token('oat01-', 39)).length, 0);
  });

  it('reports an API key of another version as a low-confidence API key', () => {
    assert.deepEqual(findCredentials(token('api04-', 95)), [
      { start: 0, end: 13 + 95, kind: 'api-key', confidence: 'low' },
    ]);
  });

  it('omits low-confidence tokens when asked to', () => {
    const text = `${fakeKey(4, 'oat')}\n${apiKey}\n${token('api03-', 120)}`;
    const high = findCredentials(text, { includeLowConfidence: false });
    assert.deepEqual(spans(high), [span(text, apiKey)]);
    assert.equal(findCredentials(text).length, 3);
  });

  it('finds every key of a text, in order', () => {
    const keys = [fakeKey(10), fakeKey(11, 'admin'), fakeKey(12)];
    const text = keys.join(', ');
    assert.deepEqual(spans(findCredentials(text)), keys.map((key) => span(text, key)));
  });

  describe('boundaries', () => {
    const endings = [',', ')', ';', '&', '"', '\\', "'", '`', ' ', '\n', '\r\n', '.', ':', '/', '…', 'é', '😀'];
    for (const ending of endings) {
      it(`ends a key at ${JSON.stringify(ending)}`, () => {
        const text = `x=${apiKey}${ending}more`;
        assert.deepEqual(findCredentials(text), [{ start: 2, end: 2 + apiKey.length, kind: 'api-key', confidence: 'high' }]);
      });
    }

    it('finds a key that ends the text', () => {
      assert.deepEqual(spans(findCredentials(`key=${apiKey}`)), [{ start: 4, end: 4 + apiKey.length }]);
    });

    it('finds a key that is the whole text', () => {
      assert.deepEqual(spans(findCredentials(apiKey)), [{ start: 0, end: apiKey.length }]);
    });

    const starts = [' ', '"', "'", '`', '(', '=', ':', ',', '\n', '\t', '/', '\\', '.', 'é', '😀'];
    for (const before of starts) {
      it(`finds a key right after ${JSON.stringify(before)}`, () => {
        const text = `a${before}${apiKey}`;
        assert.deepEqual(spans(findCredentials(text)), [span(text, apiKey)]);
      });
    }

    for (const before of ['a', 'Z', '7', '_', '-']) {
      it(`does not take a key out of a longer token when ${JSON.stringify(before)} comes before sk-ant-`, () => {
        assert.deepEqual(findCredentials(`x ${before}${apiKey} y`), []);
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(`x ${before}${apiKey} y`)), []);
      });
    }

    it('reports a published-format key with more key characters glued on as a low-confidence API key', () => {
      for (const suffix of ['_old', 'A', '-2']) {
        const text = ` ${apiKey}${suffix} `;
        assert.deepEqual(findCredentials(text), [
          { start: 1, end: 1 + apiKey.length + suffix.length, kind: 'api-key', confidence: 'low' },
        ]);
      }
    });

    it('reports a 95-character API key body that does not end in AA as low confidence', () => {
      const key = token('api03-', 94) + 'B';
      assert.deepEqual(findCredentials(key), [{ start: 0, end: key.length, kind: 'api-key', confidence: 'low' }]);
    });

    it('does not count an API or Admin key body shorter than the published 95 characters: it cannot authenticate', () => {
      const truncated = [
        apiKey.slice(0, -1),
        apiKey.slice(0, 80),
        adminKey.slice(0, -2),
        ...[94, 60, 40].flatMap((length) => [token('api03-', length), token('admin01-', length)]),
      ];
      for (const key of truncated) {
        const text = `key = "${key}";`;
        assert.deepEqual(findCredentials(text), [], key);
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), [], key);
        assert.equal(describeCredential(key), undefined, key);
      }
    });

    it('still reports a short body under an unpublished version of the prefix, whose length is not known', () => {
      assert.deepEqual(findCredentials(token('api04-', 60)), [{ start: 0, end: 13 + 60, kind: 'api-key', confidence: 'low' }]);
    });

    it('ignores a run of key characters longer than any token: bodies up to 1,024 characters count, not 1,025', () => {
      // Pinned to the number, not read from the code under test, so that a change to the limit fails here (issue 12).
      assert.equal(MAX_BODY_LENGTH, 1024);
      assert.equal(findCredentials(token('oat01-', 1024)).length, 1);
      assert.equal(findCredentials(token('oat01-', 1025)).length, 0);
      assert.equal(findCredentialsInBuffer(Buffer.from(token('oat01-', 1024))).length, 1);
      assert.equal(findCredentialsInBuffer(Buffer.from(token('oat01-', 1025))).length, 0);
    });

    it('calls a body that repeats with a period of up to 16 characters a placeholder, and not one of 17 (issue 12)', () => {
      // Neither pattern ascends, and both have enough distinct characters and entropy: only the period decides.
      const period16 = 'q7Rm2Kx9Tz4Pw1Ld';
      const period17 = 'q7Rm2Kx9Tz4Pw1LdV';
      assert.equal(looksLikePlaceholderBody(period16.repeat(6)), true);
      assert.equal(looksLikePlaceholderBody(period17.repeat(6)), false);
      assert.deepEqual(findCredentials(`${ANTHROPIC_PREFIX}oat01-${period16.repeat(6)}`), []);
      assert.equal(findCredentials(`${ANTHROPIC_PREFIX}oat01-${period17.repeat(6)}`).length, 1);
    });
  });

  describe('escapes and encodings at either end of a key (issue 13)', () => {
    // What real logs, JSON, URLs and terminal captures put right before a key: each ends in a letter or digit.
    const before: Array<[string, string]> = [
      ['\\n', 'a JSON newline escape in a log line'],
      ['\\t', 'a tab escape'],
      ['\\r', 'a carriage return escape'],
      ['\\\\n', 'a doubled escape (JSON inside JSON)'],
      ['\\"', 'an escaped quote'],
      ['\\\\', 'an escaped backslash'],
      ['\\u0022', 'a JSON unicode escape of a quote'],
      ['\\x22', 'a hex escape of a quote'],
      ['\\042', 'an octal escape of a quote'],
      ['%22', 'a percent-encoded quote'],
      ['%3D', 'a percent-encoded ='],
      ['Bearer%20', 'a percent-encoded space in an access log'],
      ['%0A', 'a percent-encoded newline'],
      ['%2522', 'a quote encoded twice'],
      ['\x1b[32m', 'an ANSI colour code in a CI log'],
      ['\x1b[1;32m', 'an ANSI code with two parameters'],
      ['\\u001b[32m', 'an ANSI code escaped in JSON'],
      ['\\033[0m', 'an ANSI code escaped in octal'],
      ['^[[32m', 'an ANSI code in caret notation'],
      ['&quot;', 'an HTML entity'],
      ['&#34;', 'a numeric HTML entity'],
      ['&#x22;', 'a hex HTML entity'],
    ];
    for (const [escape, what] of before) {
      it(`finds a key right after ${what}: ${JSON.stringify(escape)}`, () => {
        const text = `{"msg":"key=${escape}${apiKey}"}`;
        const start = text.indexOf(apiKey);
        assert.deepEqual(findCredentials(text), [{ start, end: start + apiKey.length, kind: 'api-key', confidence: 'high' }]);
        const bytes = Buffer.from(text, 'latin1');
        assert.deepEqual(spans(findCredentialsInBuffer(bytes)), [{ start, end: start + apiKey.length }]);
      });
    }

    const after = ['%22', '%0A', '\\n', '\\u0022', '\\x22', '\x1b[0m', '\\u001b[0m', '&quot;', '&#34;'];
    for (const escape of after) {
      it(`ends a key where an escape or an encoding follows it: ${JSON.stringify(escape)}`, () => {
        const text = `url?key=${apiKey}${escape}&next=1`;
        assert.deepEqual(spans(findCredentials(text)), [span(text, apiKey)]);
        assert.deepEqual(spans(findCredentialsInBuffer(Buffer.from(text, 'latin1'))), [span(text, apiKey)]);
      });
    }

    const glued: Array<[string, string]> = [
      ['x', 'a letter'],
      ['my', 'a word'],
      ['2', 'a digit'],
      ['%2', 'a percent sign and one hex digit'],
      ['u0022', 'a unicode escape without its backslash'],
      ['[32m', 'a colour code without its escape'],
    ];
    for (const [prefix, what] of glued) {
      it(`still takes a key after ${what} (${JSON.stringify(prefix)}) for part of a longer token`, () => {
        assert.deepEqual(findCredentials(` ${prefix}${apiKey} `), []);
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(` ${prefix}${apiKey} `)), []);
      });
    }
  });

  describe('the structure of Anthropic\'s own key pattern (issue 13)', () => {
    it('calls a published-shape key with characters glued on a key when it has the - eight characters before its end', () => {
      const key = structuredFakeKey(21);
      for (const suffix of ['_old', 'A', '-2']) {
        const text = ` ${key}${suffix} `;
        assert.deepEqual(findCredentials(text), [{ start: 1, end: 1 + key.length + suffix.length, kind: 'api-key', confidence: 'high' }]);
      }
      const admin = structuredFakeKey(22, 'admin');
      assert.deepEqual(findCredentials(`${admin}_2`), [{ start: 0, end: admin.length + 2, kind: 'admin-key', confidence: 'high' }]);
    });

    it('never drops a key of the published length for lacking that -', () => {
      const key = token('api03-', 86, 23) + 'Q' + randomBody(seededRandom(23), 6) + 'AA';
      assert.deepEqual(findCredentials(key), [{ start: 0, end: key.length, kind: 'api-key', confidence: 'high' }]);
    });

    it('leaves a glued-on key without the - at low confidence, as before', () => {
      const key = token('api03-', 86, 24) + 'Q' + randomBody(seededRandom(24), 6) + 'AA';
      assert.deepEqual(findCredentials(`${key}_old`), [{ start: 0, end: key.length + 4, kind: 'api-key', confidence: 'low' }]);
    });
  });

  describe('split keys (issue 13)', () => {
    const key = fakeKey(31);
    const admin = fakeKey(32, 'admin');
    /** The single split finding expected in `text`, from the first piece's start to the last piece's end. */
    function expectSplit(text: string, first: string, last: string, joined = key): void {
      const start = text.indexOf(first);
      const end = text.lastIndexOf(last) + last.length;
      const expected = [{ start, end, kind: joined === admin ? 'admin-key' : 'api-key', confidence: 'high', encoding: 'split', key: joined }];
      assert.deepEqual(findCredentials(text), expected);
      assert.deepEqual(findCredentialsInBuffer(Buffer.from(text, 'latin1')), expected);
    }
    const head = key.slice(0, 13);
    const rest = key.slice(13);

    const joins: Array<[string, (a: string, b: string) => string]> = [
      ['JavaScript +', (a, b) => `const key = "${a}" + "${b}";`],
      ['JavaScript + across lines', (a, b) => `const key =\n  '${a}' +\n  '${b}';`],
      ['Python implicit concatenation', (a, b) => `KEY = ("${a}"\n       "${b}")`],
      ['C adjacent literals', (a, b) => `const char *key = "${a}" "${b}";`],
      ['PHP .', (a, b) => `$key = '${a}' . '${b}';`],
      ['Lua ..', (a, b) => `local key = "${a}" .. "${b}"`],
      ['SQL ||', (a, b) => `SELECT '${a}' || '${b}';`],
      ['Visual Basic &', (a, b) => `Dim key = "${a}" & "${b}"`],
      ['shell adjacent quoting', (a, b) => `KEY="${a}"'${b}'`],
      ['a Python line continuation', (a, b) => `key = "${a}" \\\n    "${b}"`],
    ];
    for (const [what, write] of joins) {
      it(`joins a key built from string literals: ${what}`, () => expectSplit(write(head, rest), head, rest));
    }

    it('joins a key split inside its kind segment, and one split into many pieces', () => {
      expectSplit(`k = "sk-ant-" + "${key.slice(7)}"`, 'sk-ant-"', key.slice(7));
      const pieces = [key.slice(0, 20), key.slice(20, 50), key.slice(50, 80), key.slice(80)];
      expectSplit(`k = ${pieces.map((piece) => `"${piece}"`).join(' + ')};`, pieces[0], pieces[3]);
      expectSplit(`k = "${admin.slice(0, 40)}" + "${admin.slice(40)}"`, admin.slice(0, 40), admin.slice(40), admin);
    });

    it('joins a second piece that begins with sk- (the key alphabet allows it), and never one that starts a token', () => {
      const withSk = `${key.slice(0, 40)}sk-${key.slice(43)}`;
      expectSplit(`k = "${withSk.slice(0, 40)}" + "${withSk.slice(40)}";`, withSk.slice(0, 40), withSk.slice(40), withSk);
      // Two whole keys side by side are two keys, each found by itself, not a split key.
      const other = fakeKey(33);
      const pair = `k = "${key}" "${other}";`;
      assert.deepEqual(findCredentials(pair).map((match) => [match.start, match.end, match.encoding]), [
        [pair.indexOf(key), pair.indexOf(key) + key.length, undefined],
        [pair.indexOf(other), pair.indexOf(other) + other.length, undefined],
      ]);
    });

    it('joins a key hard-wrapped across the lines of a log or a terminal capture', () => {
      const at80 = `2024-05-01T10:00:00Z request failed, Authorization: Bearer ${key.slice(0, 20)}\n${key.slice(20)} retrying\n`;
      expectSplit(at80, key.slice(0, 20), key.slice(20));
      const threeLines = `${'x'.repeat(70)} ${key.slice(0, 9)}\n${key.slice(9, 89)}\n${key.slice(89)}\n`;
      expectSplit(threeLines, key.slice(0, 9), key.slice(89));
      const crlf = `token ${key.slice(0, 50)}\r\n${key.slice(50)}\r\n`;
      expectSplit(crlf, key.slice(0, 50), key.slice(50));
    });

    it('does not join pieces that do not make a key of the published shape', () => {
      const texts = [
        `k = "${head}" + "${rest.slice(0, -1)}"`, // one character short
        `k = "${head}" + "${rest}x"`, // one character too many
        `k = "${head}".concat("${rest}")`, // a call, not an operator
        `k = "${head}" + body + "${rest}"`, // a variable between
        `k = "${head}" + + "${rest}"`, // two operators
        `k = "${head}", "${rest}"`, // list items, not a concatenation
        `${key.slice(0, 30)}\n  ${key.slice(30)}\n`, // an indented line is not a wrap
        `"${fakeKey(33, 'oat').slice(0, 30)}" + "${fakeKey(33, 'oat').slice(30)}"`, // no published length to join to
        `k = "${head}" + "${ANTHROPIC_PREFIX}${rest.slice(7)}"`, // the second piece is a token of its own
      ];
      for (const text of texts) {
        assert.deepEqual(findCredentials(text), [], text.slice(0, 40));
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), [], text.slice(0, 40));
      }
    });

    it('scans megabytes of joinable-looking literals in linear time', () => {
      const texts = [
        `"${ANTHROPIC_PREFIX}api03-" + `.repeat(400_000),
        `"${ANTHROPIC_PREFIX}api03-" ` + '+ "a" '.repeat(1_500_000),
        `${ANTHROPIC_PREFIX}api03-ab\n`.repeat(400_000),
      ];
      const started = Date.now();
      for (const text of texts) {
        assert.deepEqual(findCredentials(text), []);
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), []);
      }
      assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    });
  });

  describe('near misses and placeholders', () => {
    const body93 = randomBody(seededRandom(5), 93);
    const nearMisses: Record<string, string> = {
      'a wrong vendor segment': 'sk-anx-api03-' + body93 + 'AA',
      'a wrong first segment': 'sx-ant-api03-' + body93 + 'AA',
      'an upper-case prefix': ANTHROPIC_PREFIX.toUpperCase() + 'API03-' + body93 + 'AA',
      'underscores instead of dashes': ANTHROPIC_PREFIX.replace(/-/g, '_') + 'api03-' + body93 + 'AA',
      'no kind segment': ANTHROPIC_PREFIX + body93 + 'AA',
      'a kind without version digits': ANTHROPIC_PREFIX + 'api-' + body93 + 'AA',
      'a three-digit version': ANTHROPIC_PREFIX + 'api003' + body93 + 'AA',
      'a kind word longer than 16 letters': ANTHROPIC_PREFIX + 'abcdefghijklmnopq01-' + body93 + 'AA',
      'a short body': ANTHROPIC_PREFIX + 'api03-' + body93.slice(0, 20),
      'a truncated key': ANTHROPIC_PREFIX + 'api03-' + body93.slice(0, 70),
      'your-key-here': ANTHROPIC_PREFIX + 'api03-your-key-here',
      'an ellipsis': ANTHROPIC_PREFIX + 'api03-...',
      'a <YOUR_KEY> placeholder': ANTHROPIC_PREFIX + 'api03-<YOUR_KEY>',
      'a ${VAR} placeholder': ANTHROPIC_PREFIX + 'api03-${ANTHROPIC_API_KEY}',
      'a bare prefix': ANTHROPIC_PREFIX + '...',
      'a hint with dots': ANTHROPIC_PREFIX + 'api03-R2D...igAA',
      'a hint with an ellipsis character': ANTHROPIC_PREFIX + 'api03-R2D…igAA',
      'one repeated character': ANTHROPIC_PREFIX + 'api03-' + 'x'.repeat(93) + 'AA',
      'X placeholders': ANTHROPIC_PREFIX + 'api03-' + 'X'.repeat(93) + 'AA',
      'a few characters repeated': ANTHROPIC_PREFIX + 'api03-' + 'xxxxyyyyzzzz'.repeat(8) + 'AA',
      'a short pattern repeated': ANTHROPIC_PREFIX + 'api03-' + 'abc123XYZ0_-'.repeat(8).slice(0, 95),
      'an ascending sequence': ANTHROPIC_PREFIX + 'api03-' + (KEY_ALPHABET + KEY_ALPHABET).slice(0, 93) + 'AA',
      'a typed-out placeholder': ANTHROPIC_PREFIX + 'api03-your-api-key-goes-here-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    };
    for (const [name, text] of Object.entries(nearMisses)) {
      it(`finds nothing in ${name}`, () => {
        assert.deepEqual(findCredentials(`key = "${text}"`), []);
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(`key = "${text}"`)), []);
      });
    }

    it('stays silent on documentation full of placeholders', () => {
      const doc = [
        '# Setup',
        `Set \`ANTHROPIC_API_KEY=${ANTHROPIC_PREFIX}api03-...\` in your shell.`,
        `Keys look like ${ANTHROPIC_PREFIX}api03-R2D…igAA in the Console, and ${ANTHROPIC_PREFIX}admin01-... for admins.`,
        `export ANTHROPIC_API_KEY="${ANTHROPIC_PREFIX}api03-<YOUR_KEY>"`,
        `apiKey: "${ANTHROPIC_PREFIX}api03-\${process.env.KEY}",`,
        `ANTHROPIC_API_KEY=${ANTHROPIC_PREFIX}api03-your-key-here`,
        `ANTHROPIC_API_KEY=${ANTHROPIC_PREFIX}api03-${'x'.repeat(93)}AA`,
        `CLAUDE_CODE_OAUTH_TOKEN=${ANTHROPIC_PREFIX}oat01-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
        'The pregn-ant- pause and sk-ant- alone are not keys either.',
      ].join('\n');
      assert.deepEqual(findCredentials(doc), []);
    });
  });

  describe('cost on adversarial input', () => {
    // Generous limits: a quadratic scan of these inputs would take minutes, a linear one well under a second.
    const size = 10_000_000;

    it('scans megabytes of back-to-back key prefixes in linear time', () => {
      const text = (ANTHROPIC_PREFIX + 'api03-').repeat(size / 13);
      const started = Date.now();
      assert.deepEqual(findCredentials(text), []);
      assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), []);
      assert.ok(Date.now() - started < 5000);
    });

    it('scans megabytes of separated key prefixes in linear time', () => {
      const text = (ANTHROPIC_PREFIX + 'api03- ').repeat(size / 14);
      const started = Date.now();
      assert.deepEqual(findCredentials(text), []);
      assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), []);
      assert.ok(Date.now() - started < 5000);
    });

    it('finds a key after runs of key characters longer than any token', () => {
      for (const run of [randomBody(seededRandom(11), 5000), (ANTHROPIC_PREFIX + 'api03-').repeat(400), 'x' + apiKey.repeat(20)]) {
        const text = `${run} "${apiKey}"`;
        const start = text.lastIndexOf(apiKey);
        assert.deepEqual(spans(findCredentials(text)), [{ start, end: start + apiKey.length }]);
        assert.deepEqual(spans(findCredentialsInBuffer(Buffer.from(text))), [{ start, end: start + apiKey.length }]);
      }
    });

    it('walks long runs in bytes the same at every alignment of the buffer and of the run', () => {
      for (let padding = 0; padding < 4; padding++) {
        for (const runLength of [2000, 2001, 2002, 2003]) {
          const text = `x${ANTHROPIC_PREFIX}${randomBody(seededRandom(runLength), runLength)} ${apiKey}`;
          const backing = Buffer.alloc(padding + Buffer.byteLength(text));
          backing.write(text, padding);
          const view = backing.subarray(padding);
          assert.deepEqual(spans(findCredentialsInBuffer(view)), [{ start: text.length - apiKey.length, end: text.length }]);
        }
      }
    });

    it('scans one prefix followed by megabytes of key characters in linear time', () => {
      const text = ANTHROPIC_PREFIX + 'api03-' + randomBody(seededRandom(9), 1000).repeat(size / 1000);
      const started = Date.now();
      assert.deepEqual(findCredentials(text), []);
      assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), []);
      assert.ok(Date.now() - started < 5000);
    });
  });
});

describe('findCredentialsInBuffer', () => {
  it('reports byte offsets, counting multi-byte characters before the key', () => {
    const text = `é😀 key: ${apiKey}`;
    const start = Buffer.byteLength(text.slice(0, text.indexOf(apiKey)));
    assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), [
      { start, end: start + apiKey.length, kind: 'api-key', confidence: 'high' },
    ]);
  });

  it('scans bytes that are not valid UTF-8 without trouble', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(apiKey), Buffer.from([0x80, 0xff])]);
    assert.deepEqual(spans(findCredentialsInBuffer(bytes)), [{ start: 4, end: 4 + apiKey.length }]);
  });

  it('accepts a plain Uint8Array view into a larger buffer', () => {
    const whole = Buffer.from(`padding ${apiKey} tail`);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 8, apiKey.length + 5);
    assert.deepEqual(spans(findCredentialsInBuffer(view)), [{ start: 0, end: apiKey.length }]);
  });

  it('omits low-confidence tokens when asked to', () => {
    const bytes = Buffer.from(`${fakeKey(6, 'sid')} ${apiKey}`);
    assert.equal(findCredentialsInBuffer(bytes).length, 2);
    assert.deepEqual(
      findCredentialsInBuffer(bytes, { includeLowConfidence: false }).map((match) => match.kind),
      ['api-key'],
    );
  });
});

describe('classifyCredential, describeCredential and isCredential', () => {
  it('classify a whole token by kind', () => {
    assert.equal(classifyCredential(apiKey), 'api-key');
    assert.equal(classifyCredential(adminKey), 'admin-key');
    assert.equal(classifyCredential(fakeKey(1, 'oat')), 'oauth-access-token');
    assert.equal(classifyCredential(fakeKey(1, 'ort')), 'oauth-refresh-token');
    assert.equal(classifyCredential(fakeKey(1, 'sid')), 'session-key');
    assert.equal(classifyCredential(token('foo42-', 80)), 'other-token');
  });

  it('ignore the whitespace around a pasted key', () => {
    assert.equal(classifyCredential(`  ${apiKey}\r\n`), 'api-key');
    assert.ok(isCredential(`\t${apiKey}\n`));
  });

  it('reject a key with other text around it', () => {
    assert.equal(classifyCredential(`"${apiKey}"`), undefined);
    assert.equal(classifyCredential(`key=${apiKey}`), undefined);
    assert.equal(classifyCredential(apiKey + '.'), undefined);
    assert.equal(classifyCredential(''), undefined);
  });

  it('tell published keys from low-confidence tokens', () => {
    assert.deepEqual(describeCredential(apiKey), { kind: 'api-key', confidence: 'high' });
    assert.deepEqual(describeCredential(fakeKey(1, 'oat')), { kind: 'oauth-access-token', confidence: 'low' });
    assert.equal(isCredential(fakeKey(1, 'oat')), true);
    assert.equal(isCredential(fakeKey(1, 'oat'), { includeLowConfidence: false }), false);
    assert.equal(isCredential(apiKey, { includeLowConfidence: false }), true);
  });
});

describe('looksLikePlaceholderBody', () => {
  it('never rejects a random key body of the published length', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => !looksLikePlaceholderBody(randomBody(seededRandom(seed), 93) + 'AA')),
      { numRuns: 2000 },
    );
  });

  it('never rejects a random body of the shortest accepted length', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => !looksLikePlaceholderBody(randomBody(seededRandom(seed), 40))),
      { numRuns: 2000 },
    );
  });
});

describe('credential scanning properties', () => {
  const separators = [' ', ',', ')', ';', '&', '"', '\\', '\n', '\r\n', "'", '`', ':', '=', '(', '…', '😀'];
  const kinds: FakeKeyKind[] = ['api', 'admin', 'oat', 'ort', 'sid'];
  const anyText = fc.string({ unit: 'binary', maxLength: 200 });

  it('finds a key planted anywhere in random text at its exact offset, in strings and in bytes', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.constantFrom(...separators),
        fc.integer(),
        fc.constantFrom(...kinds),
        fc.constantFrom(...separators),
        anyText,
        (before, openSeparator, seed, kind, closeSeparator, after) => {
          const key = fakeKey(seed, kind);
          const head = before + openSeparator;
          const text = head + key + closeSeparator + after;
          const start = head.length;
          assert.ok(findCredentials(text).some((match) => match.start === start && match.end === start + key.length));
          const byteStart = Buffer.byteLength(head);
          assert.ok(
            findCredentialsInBuffer(Buffer.from(text)).some(
              (match) => match.start === byteStart && match.end === byteStart + key.length,
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  // Text assembled from key fragments reaches the interesting paths far more often than uniform random text.
  const keyishText = fc
    .array(
      fc.oneof(
        fc.constantFrom(ANTHROPIC_PREFIX, 'api03-', 'admin01-', 'oat01-', 'x9-', '-', '_', 'AA', ' ', '\n', '"', 'é', '😀', '…'),
        fc.integer().map((seed) => randomBody(seededRandom(seed), 1 + (Math.abs(seed) % 110))),
        fc.integer().map((seed) => fakeKey(seed)),
        fc.string({ unit: 'binary', maxLength: 5 }),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));

  it('finds the same credentials in a string and in its UTF-8 bytes', () => {
    fc.assert(
      fc.property(keyishText, (text) => {
        const fromString = findCredentials(text).map((match) => ({
          ...match,
          start: Buffer.byteLength(text.slice(0, match.start)),
          end: Buffer.byteLength(text.slice(0, match.end)),
        }));
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), fromString);
      }),
      { numRuns: 1000 },
    );
  });

  /**
   * The token rules of docs/rules.md and the header of credentials.ts, written again from scratch, without calling the
   * validator under test (issue 12: the reference once called describeCredential, so it agreed with any bug in it).
   */
  function referenceVerdict(token: string): Omit<CredentialMatch, 'start' | 'end'> | undefined {
    const parts = /^sk-ant-([a-z]{1,16})(\d\d)-([A-Za-z0-9_-]+)$/.exec(token);
    if (!parts) return undefined;
    const [, word, version, body] = parts;
    const published = (word === 'api' && version === '03') || (word === 'admin' && version === '01');
    if (body.length < (published ? 95 : 40) || body.length > 1024) return undefined;
    // Placeholders: fewer than 10 distinct characters, under 3 bits of entropy per character, a pattern of at most
    // 16 characters repeated, or half the neighbours ascending by one.
    const counts = new Map<string, number>();
    for (const char of body) counts.set(char, (counts.get(char) ?? 0) + 1);
    if (counts.size < 10) return undefined;
    let entropy = 0;
    for (const count of counts.values()) entropy -= (count / body.length) * Math.log2(count / body.length);
    if (entropy < 3) return undefined;
    for (let period = 1; period <= 16 && 2 * period <= body.length; period++) {
      if (body.slice(period) === body.slice(0, body.length - period)) return undefined;
    }
    let ascending = 0;
    for (let i = 1; i < body.length; i++) if (body.charCodeAt(i) === body.charCodeAt(i - 1) + 1) ascending++;
    if (2 * ascending >= body.length - 1) return undefined;
    const kinds: Record<string, CredentialMatch['kind']> = { api: 'api-key', admin: 'admin-key', oat: 'oauth-access-token', ort: 'oauth-refresh-token', sid: 'session-key' };
    const kind = Object.prototype.hasOwnProperty.call(kinds, word) ? kinds[word] : 'other-token';
    // Anthropic's own pattern (issue 13): 86 characters, `-`, 8 more; with it, characters glued on do not lower a key.
    const shaped = body.length === 95 ? body.endsWith('AA') : body.length > 95 && /^.{86}-.{6}AA/.test(body);
    return { kind, confidence: published && shaped ? 'high' : 'low' };
  }

  /** Escapes and encodings that may end right before a key (issue 13), as patterns anchored at the end. */
  const ESCAPE_ENDINGS = [
    /\\[A-Za-z0-9]$/,
    /%[0-9A-Fa-f]{2}$/,
    /%25[0-9A-Fa-f]{2}$/,
    /\\[xX][0-9A-Fa-f]{2}$/,
    /\\[0-7]{3}$/,
    /\\u[0-9A-Fa-f]{4}$/,
    /\\U[0-9A-Fa-f]{8}$/,
    /(?:\x1b|\^\[|\\e|\\033|\\x1[bB]|\\u001[bB])\[[0-9;:?]{0,32}[A-Za-z]$/,
  ];

  /** A split key (issue 13) starting with the run text[start, end): quoted pieces joined by at most one operator, or
   * lines joined at a line break, to exactly a published key. Written with regular expressions over the text. */
  function referenceSplit(text: string, start: number, end: number): { end: number; key: string } | undefined {
    let key = text.slice(start, end);
    const published = ['sk-ant-api03-', 'sk-ant-admin01-'];
    if (!published.some((prefix) => (key.length <= prefix.length ? prefix.startsWith(key) : key.startsWith(prefix))) || key.length >= 110) return undefined;
    const quoted = /["'`]/.test(text[end] ?? '');
    const continuation = quoted ? /^["'`][ \t\r\n\\]*(?:\+|\.\.|\.|&|\|\||~)?[ \t\r\n\\]*["'`]/ : /^\r?\n/;
    let at = end;
    for (let pieces = 1; pieces < 8; pieces++) {
      const gap = continuation.exec(text.slice(at, at + 66));
      // The gap between literals is at most 64 characters, counted after the closing quote.
      if (!gap || (quoted && gap[0].length - 1 > 64)) return undefined;
      const piece = /^[A-Za-z0-9_-]+/.exec(text.slice(at + gap[0].length))?.[0];
      if (!piece || piece.includes('k-ant-')) return undefined;
      key += piece;
      at += gap[0].length + piece.length;
      if (key.length > 110) return undefined;
      if (referenceVerdict(key)?.confidence === 'high') return !quoted || /["'`]/.test(text[at] ?? '') ? { end: at, key } : undefined;
    }
    return undefined;
  }

  /** The specification, spelled out naively: every `sk-ant-` with no key character before it (or only the end of an
   * escape) starts a token that runs to the end of the key characters, and the token counts when the reference rules
   * accept it; a run that is not one may begin a split key. */
  function referenceScan(text: string): CredentialMatch[] {
    const isKey = (char: string | undefined) => char !== undefined && KEY_ALPHABET.includes(char);
    const matches: CredentialMatch[] = [];
    let resume = 0;
    for (let start = text.indexOf(ANTHROPIC_PREFIX); start >= 0; start = text.indexOf(ANTHROPIC_PREFIX, start + 1)) {
      if (start < resume) continue;
      if (isKey(text[start - 1]) && !ESCAPE_ENDINGS.some((ending) => ending.test(text.slice(Math.max(0, start - 40), start)))) continue;
      let end = start;
      while (isKey(text[end])) end++;
      // A run longer than any token is a blob, never a key.
      if (end - start > 7 + 19 + 1024) continue;
      const verdict = referenceVerdict(text.slice(start, end));
      if (verdict) matches.push({ start, end, ...verdict });
      const split = verdict ? undefined : referenceSplit(text, start, end);
      if (split) {
        matches.push({ start, end: split.end, kind: split.key.startsWith('sk-ant-admin') ? 'admin-key' : 'api-key', confidence: 'high', encoding: 'split', key: split.key });
        resume = split.end;
      }
    }
    return matches;
  }

  it('judges single tokens as the reference rules do, near the thresholds too', () => {
    const bodies = fc.oneof(
      fc.integer().map((seed) => randomBody(seededRandom(seed), 30 + (Math.abs(seed) % 1010))),
      fc.integer({ min: 1, max: 20 }).chain((period) => fc.integer().map((seed) => randomBody(seededRandom(seed), period).repeat(Math.ceil(100 / period)))),
      fc.integer().map((seed) => randomBody(seededRandom(seed), 93) + 'AA'),
      fc.stringMatching(/^[A-Za-z0-9_-]{35,110}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom('api03-', 'admin01-', 'api04-', 'oat01-', 'sid01-', 'zz99-'), bodies, (kind, body) => {
        const whole = ANTHROPIC_PREFIX + kind + body;
        assert.deepEqual(describeCredential(whole), referenceVerdict(whole));
      }),
      { numRuns: 3000 },
    );
  });

  // Long runs, repeated prefixes and keys glued to them: the inputs the scanner takes shortcuts on.
  const runnyText = fc
    .array(
      fc.oneof(
        fc.constantFrom(ANTHROPIC_PREFIX, ANTHROPIC_PREFIX + 'api03-', ANTHROPIC_PREFIX + 'oat01-', 'k-ant-', 's', ' ', '\n', '"', 'é'),
        fc.integer().map((seed) => randomBody(seededRandom(seed), 1 + (Math.abs(seed) % 2500))),
        fc.integer().map((seed) => fakeKey(seed, seed % 2 === 0 ? 'api' : 'admin')),
        fc.integer({ min: 1, max: 120 }).map((count) => (ANTHROPIC_PREFIX + 'api03-').repeat(count)),
        // Escapes before a key and keys split into pieces (issue 13).
        fc.constantFrom('\\n', '%22', '%2522', '\x1b[32m', '\\u001b[0m', '\\u0022', 'x', '2', '%2', '" + "', "' '", '\r\n'),
        fc
          .tuple(fc.integer(), fc.integer({ min: 1, max: 107 }), fc.constantFrom('" + "', '"\n  "', '" "', '\n', '\r\n', '" +  + "', "' . '"))
          .map(([seed, cut, joiner]) => {
            const key = fakeKey(seed, seed % 3 === 0 ? 'admin' : 'api');
            return `"${key.slice(0, cut)}${joiner}${key.slice(cut)}"`;
          }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));

  it('agrees with a naive reading of the specification, in strings and in bytes', () => {
    fc.assert(
      fc.property(runnyText, (text) => {
        const expected = referenceScan(text);
        assert.deepEqual(findCredentials(text), expected);
        const inBytes = expected.map((match) => ({
          ...match,
          start: Buffer.byteLength(text.slice(0, match.start)),
          end: Buffer.byteLength(text.slice(0, match.end)),
        }));
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), inBytes);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the specification in large buffers where `k` is common (the scanner then searches for `-ant-`)', () => {
    // Base64-like filler full of `k` and free of `-` fills the middle, where the scanner samples which needle to use.
    const filler = 'kQ9k+/k'.repeat(180000);
    fc.assert(
      fc.property(runnyText, runnyText, (head, tail) => {
        const text = head + filler + tail;
        const expected = referenceScan(text).map((match) => ({
          ...match,
          start: Buffer.byteLength(text.slice(0, match.start)),
          end: Buffer.byteLength(text.slice(0, match.end)),
        }));
        assert.deepEqual(findCredentialsInBuffer(Buffer.from(text)), expected);
      }),
      { numRuns: 40 },
    );
  });

  it('reports only tokens that classify as credentials on their own, or pieces that join to one', () => {
    fc.assert(
      fc.property(keyishText, (text) => {
        for (const match of findCredentials(text)) {
          if (match.encoding === 'split') {
            assert.equal(describeCredential(match.key!)?.confidence, 'high');
            continue;
          }
          assert.deepEqual(describeCredential(text.slice(match.start, match.end)), {
            kind: match.kind,
            confidence: match.confidence,
          });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        findCredentials(text);
        classifyCredential(text);
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => Array.isArray(findCredentials(text))));
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => Array.isArray(findCredentialsInBuffer(bytes))));
  });
});
