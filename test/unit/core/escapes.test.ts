import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { endsEscapeSequence } from '../../../src/core/escapes';

/** Whether the last character of `text` ends an escape, as the scanner asks it (strings and bytes alike). */
function ends(text: string): boolean {
  const bytes = Buffer.from(text, 'latin1');
  const inString = endsEscapeSequence((index) => text.charCodeAt(index), text.length - 1);
  assert.equal(endsEscapeSequence((index) => bytes[index], bytes.length - 1), inString, 'strings and bytes agree');
  return inString;
}

describe('endsEscapeSequence', () => {
  // Each form, with where it comes from (issue 13): what real logs, JSON, URLs and terminal captures put before a key.
  const escapes: Array<[string, string]> = [
    ['\\n', 'a JSON or C newline escape'],
    ['\\t', 'a tab escape'],
    ['\\r', 'a carriage return escape'],
    ['\\0', 'a NUL escape'],
    ['\\\\n', 'a doubled backslash (JSON inside JSON)'],
    ['\\x22', 'a C or JavaScript hex escape'],
    ['\\X3D', 'a hex escape with a capital X'],
    ['\\u0022', 'a JSON unicode escape'],
    ['\\u000A', 'a JSON unicode escape with a hex letter'],
    ['\\U00000022', 'a Python long unicode escape'],
    ['\\042', 'an octal escape'],
    ['%22', 'percent-encoding of a quote'],
    ['%3D', 'percent-encoding of ='],
    ['%3d', 'lower-case percent-encoding'],
    ['%20', 'percent-encoding of a space (Bearer%20…)'],
    ['%0A', 'percent-encoding of a newline'],
    ['%2522', 'a URL encoded twice'],
    ['\x1b[32m', 'an ANSI colour code'],
    ['\x1b[1;32m', 'an ANSI code with two parameters'],
    ['\x1b[m', 'an ANSI reset without parameters'],
    ['\x1b[2K', 'an ANSI erase-line code'],
    ['\\u001b[32m', 'an ANSI code escaped in JSON'],
    ['\\u001B[0m', 'an ANSI code escaped in JSON, capital B'],
    ['\\x1b[31m', 'an ANSI code escaped in C or JavaScript'],
    ['\\033[0;31m', 'an ANSI code escaped in octal (shell printf)'],
    ['\\e[31m', 'an ANSI code escaped with \\e'],
    ['^[[32m', 'an ANSI code in caret notation (cat -v)'],
  ];
  for (const [escape, what] of escapes) {
    it(`recognises ${what}: ${JSON.stringify(escape)}`, () => assert.ok(ends(`prefix ${escape}`)));
  }

  const notEscapes: Array<[string, string]> = [
    ['x', 'a plain letter (xsk-ant-…)'],
    ['my', 'a word (mysk-ant-…)'],
    ['7', 'a digit'],
    ['%2', 'one hex digit after %'],
    ['%G2', 'a % with no hex digits'],
    ['x22', 'a hex escape without its backslash'],
    ['u0022', 'a unicode escape without its backslash'],
    ['\\u022', 'a unicode escape one digit short'],
    ['\\089', 'an "octal" escape with non-octal digits'],
    ['[32m', 'a colour code without its escape'],
    ['\x1b[' + '1;'.repeat(20) + 'm', 'a colour code with more parameters than any real one'],
    ['\x1b[32', 'a colour code without its final letter (a digit ends it)'],
    ['ab\x1bm', 'an escape byte without [ before the letter'],
  ];
  for (const [text, what] of notEscapes) {
    it(`does not take ${what} for an escape: ${JSON.stringify(text)}`, () => assert.equal(ends(`prefix ${text}`), false));
  }

  it('answers for characters outside the text without reading past its start', () => {
    assert.equal(ends('n'), false);
    assert.equal(ends('2'), false);
    assert.equal(ends('m'), false);
  });

  it('looks back a bounded distance, so a long run costs the same as a short one (linear scans)', () => {
    // A run of parameter bytes longer than any sequence: the look-back stops after MAX_CSI_PARAMETERS characters.
    let reads = 0;
    const text = '\x1b[' + '1'.repeat(1_000_000) + 'm';
    endsEscapeSequence((index) => {
      reads++;
      return text.charCodeAt(index);
    }, text.length - 1);
    assert.ok(reads < 64, `${reads} reads`);
  });

  it('never throws, whatever precedes the character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (text) => {
        if (text.length > 0) ends(text);
      }),
      { numRuns: 2000 },
    );
  });
});
