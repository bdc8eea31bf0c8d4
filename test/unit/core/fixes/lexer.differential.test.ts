// Red team F13, F16: one lexer now answers every key of a text (createKeyLocator), resuming where the previous key's
// lex stopped, with the line breaks, heredoc bodies and PHP tags indexed once. Its answers must be exactly those of
// the lexer it replaced, which lexed the text afresh for every key (lexerReference.ts, the old code verbatim). On
// random texts built from each language's tricky pieces (quotes, triple quotes, interpolations, comments, regex
// literals, heredocs, raw strings, PHP tags) with keys planted among them, every key is asked in ascending order,
// in a random order, twice over, and alone, and each answer must deep-equal the old one.
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import type { FixLanguage } from '../../../../src/core/fixes/languages';
import { createKeyLocator, heredocAt, keyLocation } from '../../../../src/core/fixes/lexer';
import { fakeKey } from '../../../support/fakeKeys';
import * as reference from './lexerReference';

/** Where a key goes among the pieces. */
const KEY = '\u0000KEY';

const COMMON = ['"', "'", '`', '\n', '\n', ' ', ' ', 'a', 'b1', '\\', '=', '(', ')', '{', '}', '[', ']', ':', ',', ';', '/', '*', '#', '$', '@', '\r\n', 'x = '];

/** The pieces that drive each language's lexer into its corners. */
const PIECES: Record<string, string[]> = {
  javascript: ['${', '//', '/*', '*/', 'return /', '</a>', 'a / b', '= /', '[/]', 'typeof'],
  python: ['"""', "'''", 'f"', "rf'", "f'", 't"', 'b"', '{{', '}}', ':>', ':', '#'],
  go: ['//', '/*', '*/', '`'],
  java: ['"""', '//', '/*', '*/'],
  kotlin: ['"""', '${', '//', '/*', '*/'],
  csharp: ['@"', '$"', '$@"', '"""', '""', '//', '/*', '*/', ','],
  rust: ['r#"', '"#', 'br"', 'r"', "'a", "'\\n'", "'x'", 'b"', '//', '/*', '*/'],
  ruby: ['#{', '<<~EOF\n', 'EOF\n', "<<'EOF'\n", '<<-X\n', ' X\n', '=~ /', 'if /', 'x /'],
  php: ['<?php ', '?>', '<?= ', '<? ', '{$', '${', '<<<EOF\n', 'EOF;\n', "<<<'EOF'\n", '#[', '//', '/*', '*/'],
  shell: ['$(', '${', "$'", '<<EOF\n', 'EOF\n', "<<-'EOF'\n", '\tEOF\n', 'a#', ' #', '<<"E"\n', 'E\n', '1 << 2', 'cat <<'],
  dockerfile: ['# ', 'RUN ', 'ENV ', '<<EOF\n', 'EOF\n', "'", '\\\n'],
  compose: ['- ', ': ', "''", ' #', '? ', 'k: "', "k: '"],
};

const LANGUAGES = Object.keys(PIECES) as FixLanguage[];

/** A text of 0–80 pieces with 1–8 keys among them, and the keys' offsets. */
function textWithKeys(language: string) {
  const piece = fc.constantFrom(...COMMON, ...PIECES[language]);
  return fc
    .tuple(fc.array(fc.oneof({ weight: 5, arbitrary: piece }, { weight: 1, arbitrary: fc.constant(KEY) }), { maxLength: 60 }), piece, fc.integer({ min: 1, max: 100_000 }))
    .map(([pieces, extra, seed]) => {
      // At least one key, wherever the pieces put it.
      const all = pieces.includes(KEY) ? pieces : [...pieces, extra, KEY];
      let text = '';
      const keys: Array<{ start: number; end: number }> = [];
      for (const [index, part] of all.entries()) {
        if (part !== KEY) {
          text += part;
          continue;
        }
        const key = fakeKey(seed + index);
        keys.push({ start: text.length, end: text.length + key.length });
        text += key;
      }
      return { text, keys };
    });
}

function check(language: FixLanguage, text: string, keys: Array<{ start: number; end: number }>, order: number[]): void {
  const expected = keys.map((key) => reference.keyLocation(text, key.start, key.end, language));
  // The message shows the text with its keys as KEY: no key-shaped text in a test report.
  const shown = keys.reduceRight((masked, key) => masked.slice(0, key.start) + 'KEY' + masked.slice(key.end), text);
  const context = (index: number) => `${language} key ${index} in ${JSON.stringify(shown)}`;
  // Each key alone, as the callers that ask about one key do.
  keys.forEach((key, index) => assert.deepEqual(keyLocation(text, key.start, key.end, language), expected[index], context(index)));
  // One locator, keys in ascending order, then each again (a memo left by a later key must not change an earlier one).
  const ascending = createKeyLocator(text, language);
  keys.forEach((key, index) => assert.deepEqual(ascending.locate(key.start, key.end), expected[index], context(index)));
  keys.forEach((key, index) => assert.deepEqual(ascending.locate(key.start, key.end), expected[index], context(index)));
  // One locator, keys in a random order.
  const shuffled = createKeyLocator(text, language);
  for (const index of order) assert.deepEqual(shuffled.locate(keys[index].start, keys[index].end), expected[index], context(index));
  // Heredoc bodies are also asked about alone (the rewriters do).
  for (const [index, key] of keys.entries()) assert.deepEqual(heredocAt(text, key.start, language), reference.heredocAt(text, key.start, language), context(index));
}

describe('The shared key lexer (red team F13, F16)', () => {
  for (const language of LANGUAGES) {
    it(`answers every key of a random ${language} text exactly as a fresh lex per key did, asked in any order`, () => {
      fc.assert(
        fc.property(
          textWithKeys(language).chain(({ text, keys }) =>
            fc.tuple(fc.constant(text), fc.constant(keys), fc.shuffledSubarray([...keys.keys()], { minLength: keys.length, maxLength: keys.length })),
          ),
          ([text, keys, order]) => check(language, text, keys, order),
        ),
        { numRuns: 1000 },
      );
    });
  }

  // Shapes where a later key falls in an interpolation, a format spec or a string that an earlier key's lex passed
  // with nothing to find (the memo's corners), each asked in every order of its keys.
  const SHAPES: Array<[FixLanguage, string]> = [
    ['python', 'x = f"@KEY@ {@KEY@} @KEY@ {a:{@KEY@}>{@KEY@}} @KEY@"'],
    ['python', `x = f"{v:'@KEY@ {'@KEY@'}}" + f"{@KEY@}"`],
    ['python', 'x = f"""@KEY@\n{f"@KEY@ {@KEY@}"}\n@KEY@"""'],
    ['python', 'x = f"{a:{b:{c:{@KEY@}}}} @KEY@" # @KEY@'],
    ['python', `x = f"{a:{'@KEY@'}{'@KEY@'}>{b}} {c:{'@KEY@'}}"`],
    ['javascript', 'const a = `@KEY@ ${b ? "@KEY@" : `@KEY@ ${@KEY@}`} @KEY@`; // @KEY@'],
    ['javascript', `f("@KEY@", /@KEY@/, \`\${"@KEY@"}\`, "@KEY@\n", '@KEY@`],
    ['javascript', 'a = `${`${`${@KEY@}`}`} @KEY@ ${/* @KEY@ */ x}` + "@KEY@"'],
    ['kotlin', 'val s = """@KEY@ ${m["@KEY@"]} ${@KEY@} @KEY@"""'],
    ['csharp', 'var s = $"@KEY@ {d["@KEY@"]:x} {@KEY@}" + @"@KEY@\n@KEY@";'],
    ['ruby', 'h = "@KEY@ #{x("@KEY@")} #{@KEY@} @KEY@"'],
    ['php', `<?php $a = "@KEY@ {$b['@KEY@']} \${@KEY@} @KEY@"; ?> @KEY@ <?php "@KEY@";`],
    ['shell', `h="@KEY@ $(echo '@KEY@' "@KEY@") \${@KEY@} @KEY@"\ncat <<EOF\n@KEY@\nEOF\n@KEY@`],
    ['rust', `let s = r#"@KEY@ "# @KEY@"#; let c = '"'; let t = "@KEY@";`],
  ];
  for (const [language, shape] of SHAPES) {
    it(`answers each key of ${JSON.stringify(shape)} (${language}) as a fresh lex did, in every order of its keys`, () => {
      const parts = shape.split('@KEY@');
      let text = parts[0];
      const keys: Array<{ start: number; end: number }> = [];
      for (const [index, part] of parts.slice(1).entries()) {
        const key = fakeKey(700 + index);
        keys.push({ start: text.length, end: text.length + key.length });
        text += key + part;
      }
      fc.assert(
        fc.property(fc.shuffledSubarray([...keys.keys()], { minLength: keys.length, maxLength: keys.length }), (order) => check(language, text, keys, order)),
        { numRuns: 200 },
      );
    });
  }

  it('answers keys in every language of a text that mixes them all', () => {
    // Pieces of every language in one text: the corners of one lexer meeting another's syntax.
    const everything = [...new Set(Object.values(PIECES).flat())];
    fc.assert(
      fc.property(
        fc.constantFrom(...LANGUAGES),
        fc.array(fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...COMMON, ...everything) }, { weight: 1, arbitrary: fc.constant(KEY) }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 100_000 }),
        (language, pieces, seed) => {
          let text = '';
          const keys: Array<{ start: number; end: number }> = [];
          for (const [index, part] of [...pieces, KEY].entries()) {
            if (part !== KEY) text += part;
            else {
              const key = fakeKey(seed + index);
              keys.push({ start: text.length, end: text.length + key.length });
              text += key;
            }
          }
          check(language, text, keys, [...keys.keys()].reverse());
        },
      ),
      { numRuns: 1500 },
    );
  });
});
