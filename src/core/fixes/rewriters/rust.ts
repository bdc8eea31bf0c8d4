// Rust: `std::env::var("NAME").expect(…)` for a whole str literal outside a const or static.

import { isWhole, lineBefore, plan, replace, type FixPlan, type Site } from './common';

export function rewriteRust(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  // Only a whole str literal: format!() would change the type, and b"…" is bytes.
  if (!isWhole(span, keyStart, keyEnd) || span.prefix === 'b' || span.open.startsWith('b')) return undefined;
  // A const or static needs a constant expression.
  if (/^\s*(?:pub(?:\([\w:\s]+\))?\s+)?(?:const|static)\b/.test(lineBefore(text, span.start))) return undefined;
  const lookup = `std::env::var("${variable}").expect("${variable} is not set")`;
  return plan([replace(span.start, span.end, lookup)], lookup, 'std::env::var returns a String where the literal was a &str: borrow it (&) where a &str is required.');
}
