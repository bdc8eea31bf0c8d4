// Rust: `std::env::var("NAME").expect(…)` for a whole str literal outside a const or static.

import { enclosingOpens, isWhole, lineBefore, plan, replace, textAfter, textBefore, type FixPlan, type Site } from './common';

/** Macros whose arguments must be literals (`concat!`, `env!`, `include_str!`…) or whose first argument is a
 * format string, which must be a literal too (`format!`, `println!`, `panic!`…). */
const LITERAL_MACROS = /(?:^|[^\w])(concat|env|option_env|include_str|include_bytes|include|compile_error|stringify|matches|format|format_args|print|println|eprint|eprintln|panic|unreachable|todo|unimplemented|write|writeln)!\s*$/;

export function rewriteRust(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  // Only a whole str literal: format!() would change the type, and b"…" is bytes.
  if (!isWhole(span, keyStart, keyEnd) || span.prefix === 'b' || span.open.startsWith('b')) return undefined;
  // A const or static needs a constant expression.
  if (/^\s*(?:pub(?:\([\w:\s]+\))?\s+)?(?:const|static)\b/.test(lineBefore(text, span.start))) return undefined;
  if (rustNeedsLiteral(text, span.start, span.end)) return undefined;
  const lookup = `std::env::var("${variable}").expect("${variable} is not set")`;
  return plan([replace(span.start, span.end, lookup)], lookup, 'std::env::var returns a String where the literal was a &str: borrow it (&) where a &str is required.');
}

/**
 * Where Rust takes only a literal (issue 12 #8): a pattern (a `match` arm `"…" =>`, an alternative `"…" |`,
 * `if let "…" =`), an attribute (`#[doc = "…"]`, `#[serde(rename = "…")]`), and the macros above.
 */
function rustNeedsLiteral(text: string, start: number, end: number): boolean {
  const before = textBefore(text, start);
  const after = textAfter(text, end, 10);
  if (/^(?:=>|\|(?!\|))/.test(after) || /(?:^|[^|])\|$/.test(before) || /\blet$/.test(before)) return true;
  if (/^\s*#!?\[/.test(lineBefore(text, start))) return true;
  for (const open of enclosingOpens(text, start, 3)) {
    const head = textBefore(text, open, 200);
    if (text[open] === '[' && /#!?$/.test(head)) return true;
    const macro = LITERAL_MACROS.exec(head);
    if (!macro) continue;
    const argumentsBefore = text.slice(open + 1, start).trim();
    const formatFirst = !['concat', 'env', 'option_env', 'include_str', 'include_bytes', 'include', 'compile_error', 'stringify', 'matches'].includes(macro[1]);
    if (!formatFirst) return true;
    // The format string: the first argument (the second of write!/writeln!, after the writer).
    if (argumentsBefore === '' || (/^(?:write|writeln)$/.test(macro[1]) && !argumentsBefore.slice(0, -1).includes(',') && argumentsBefore.endsWith(','))) return true;
  }
  return false;
}
