// Ruby: `ENV.fetch("NAME")`, interpolated with `#{}` into a larger double-quoted string or an expanding heredoc.

import { endsInEscape, isWhole, lineBefore, plan, replace, rewriteWithConcatenation, textAfter, textBefore, type FixPlan, type Site } from './common';

export function rewriteRuby(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  const lookup = `ENV.fetch("${variable}")`;
  const interpolation = '#{' + lookup + '}';
  // A heredoc body: `<<~EOS` interpolates like a double-quoted string; `<<~'EOS'` is literal text (issue 12 #8).
  if (location.kind === 'heredoc') {
    if (!location.expands || endsInEscape(text.slice(Math.max(0, keyStart - 20), keyStart))) return undefined;
    return plan([replace(keyStart, keyEnd, interpolation)], interpolation);
  }
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  if (rubyNeedsLiteral(text, span.start, span.end)) return undefined;
  if (!isWhole(span, keyStart, keyEnd) && span.open !== "'") {
    // Double quotes and backticks interpolate; #{} takes any expression, quotes included. A backslash right
    // before the key would escape the `#`.
    if (endsInEscape(text.slice(span.contentStart, keyStart))) return undefined;
    return plan([replace(keyStart, keyEnd, interpolation)], interpolation);
  }
  return rewriteWithConcatenation(site, lookup, '+', { singleQuotedStrings: true });
}

/**
 * Where a Ruby string is not an expression a lookup can replace: a symbol (`:"…"`, `"…": v` as a hash key), a
 * `%q(…)`/`%w[…]`/`%r{…}` literal around it (the lexer reads only quotes), and an `in` pattern (Ruby 3 pattern
 * matching takes literals, not calls).
 */
function rubyNeedsLiteral(text: string, start: number, end: number): boolean {
  const before = textBefore(text, start);
  // `:"…"` is a symbol; `api_key:"…"` (a name right before the colon) is a keyword argument.
  if (text[start - 1] === ':' && !/[\w:]/.test(text[start - 2] ?? '')) return true;
  if (/^:(?!:)/.test(textAfter(text, end, 5)) && !/\?\s*$/.test(before)) return true;
  if (/%[qQwWiIrsx]?[^\w\s]/.test(lineBefore(text, start))) return true;
  return /^\s*in\b/.test(lineBefore(text, start));
}
