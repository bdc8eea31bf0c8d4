// Where a key sits, straight from the lexer: strings (and which), comments, regex literals, interpolations,
// heredocs, PHP markup. `@KEY@` marks the key (a fake one, built at run time).
import { strict as assert } from 'node:assert';
import type { FixLanguage } from '../../../../src/core/fixes/languages';
import { heredocAt, keyLocation } from '../../../../src/core/fixes/lexer';
import { fakeKey } from '../../../support/fakeKeys';

const KEY = fakeKey(601);

function at(source: string): { text: string; start: number; end: number } {
  const start = source.indexOf('@KEY@');
  return { text: source.replace('@KEY@', KEY), start, end: start + KEY.length };
}

const CASES: Array<[FixLanguage, string, string]> = [
  ['javascript', "const k = '@KEY@';", 'string'],
  ['javascript', 'const re = /`@KEY@`/;', 'regex (issue 12 #8)'],
  ['javascript', "const re = /[/'] @KEY@/;", 'regex'],
  ['javascript', 'return /"@KEY@"/.test(s);', 'regex'],
  ['javascript', "const r = a / b, k = '@KEY@';", 'string'],
  ['javascript', "const r = (a) / 2; const k = '@KEY@';", 'string'],
  ['javascript', "x = <a>t</a>; k = '@KEY@';", 'string'],
  ['javascript', "const h = `a ${c ? '@KEY@' : ''}`;", 'string nested'],
  ['javascript', 'const h = `a ${@KEY@}`;', 'interpolation'],
  ['javascript', 'const h = `${a}x @KEY@`;', 'string interpolated'],
  ['python', 'x = f"{d["k"]} @KEY@"', 'string interpolated'],
  ['python', 'x = f"{\'@KEY@\'}"', 'string nested'],
  ['python', 'x = f"{v:>{w}} @KEY@"', 'string interpolated'],
  ['python', "x = f\"{v:'>9} @KEY@\"", 'string interpolated'],
  ['python', 'x = f"{{@KEY@}}"', 'string'],
  ['python', 'x = """\n@KEY@\n"""', 'string'],
  ['python', 'x = 1  # @KEY@', 'comment'],
  ['kotlin', 'val h = "${m["a"]} @KEY@"', 'string interpolated'],
  ['csharp', 'var h = $"{d["a"]} @KEY@";', 'string interpolated'],
  ['csharp', 'var s = @"a\n@KEY@";', 'string'],
  ['ruby', 'h = "#{x} @KEY@"', 'string interpolated'],
  ['ruby', 'ok = s =~ /"@KEY@"/', 'regex'],
  ['shell', 'h="x: $(echo \'@KEY@\')"', 'string nested'],
  ['shell', 'echo a#@KEY@', 'bare'],
  ['shell', "cat <<'EOF'\n@KEY@\nEOF", 'heredoc literal'],
  ['shell', 'cat <<EOF\n"@KEY@"\nEOF', 'heredoc expands'],
  ['shell', 'cat <<E"O"F\n@KEY@\nEOF', 'heredoc literal'],
  ['shell', 'cat <<\\EOF\n@KEY@\nEOF', 'heredoc literal'],
  ['shell', 'a <<A; b <<\'B\'\nx\nA\n@KEY@\nB', 'heredoc literal'],
  ['shell', 'echo "<<EOF"\n@KEY@', 'bare'],
  ['shell', 'cat <<EOF\nx\nEOF\n@KEY@', 'bare'],
  ['ruby', "x = <<~'EOS'\n  @KEY@\n  EOS", 'heredoc literal'],
  ['ruby', 'x = <<~EOS\n  @KEY@\n  EOS', 'heredoc expands'],
  ['php', "<?php\n$x = <<<'EOT'\n@KEY@\nEOT;", 'heredoc literal'],
  ['php', '<?php\n$x = <<<EOT\n@KEY@\n  EOT;', 'heredoc expands'],
  ['php', '<?php ?>\n<b>"@KEY@"</b>', 'markup'],
  ['php', "<?php\n$k = '@KEY@';", 'string'],
  ['dockerfile', 'RUN <<EOF\n@KEY@\nEOF', 'heredoc expands'],
  ['rust', "fn f<'a>() { let k = \"@KEY@\"; }", 'string'],
  ['compose', "k: it's @KEY@", 'bare'],
  ['prose', 'see @KEY@', 'bare'],
];

function describeLocation(text: string, start: number, end: number, language: FixLanguage): string {
  const location = keyLocation(text, start, end, language);
  if (location.kind === 'string') return ['string', location.span.nested ? 'nested' : '', location.span.interpolated ? 'interpolated' : ''].filter(Boolean).join(' ');
  if (location.kind === 'heredoc') return location.expands ? 'heredoc expands' : 'heredoc literal';
  return location.kind;
}

describe('keyLocation', () => {
  for (const [language, source, expected] of CASES) {
    it(`${language}: ${JSON.stringify(source)} is ${expected}`, () => {
      const { text, start, end } = at(source);
      assert.equal(describeLocation(text, start, end, language), expected.replace(/ \(issue.*\)$/, ''));
    });
  }

  it('gives the span of the string, prefix and quotes included', () => {
    const { text, start, end } = at('k = rb"@KEY@"\n');
    const location = keyLocation(text, start, end, 'python');
    assert.ok(location.kind === 'string');
    assert.deepEqual({ ...location.span }, { start: 4, end: text.length - 1, prefix: 'rb', open: '"', close: '"', contentStart: 7, contentEnd: text.length - 2, multiline: false });
  });

  it('stays linear on adversarial input: deep interpolations, slashes, unclosed heredocs', function () {
    this.timeout(10000);
    const inputs: Array<[FixLanguage, string]> = [
      ['javascript', '`${'.repeat(20000) + '@KEY@'],
      ['javascript', '/'.repeat(200000) + "'@KEY@'"],
      ['javascript', 'a = x / y\n'.repeat(20000) + "k = '@KEY@'"],
      ['javascript', 'x =/[' + '/['.repeat(100000) + "'@KEY@'"],
      ['python', 'f"{'.repeat(20000) + '@KEY@'],
      ['shell', 'cat <<EOF\n'.repeat(20000) + '@KEY@'],
      ['ruby', '"#{'.repeat(20000) + '@KEY@'],
    ];
    for (const [language, source] of inputs) {
      const { text, start, end } = at(source);
      const started = process.hrtime.bigint();
      keyLocation(text, start, end, language);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 5000, `${language} took ${ms.toFixed(0)} ms on ${text.length} characters`);
    }
  });
});

describe('heredocAt', () => {
  it('answers only for the languages with heredocs', () => {
    const { text, start } = at('x = <<EOF\n@KEY@\nEOF');
    assert.equal(heredocAt(text, start, 'python'), undefined);
    assert.deepEqual(heredocAt(text, start, 'shell'), { kind: 'heredoc', expands: true });
  });
});
