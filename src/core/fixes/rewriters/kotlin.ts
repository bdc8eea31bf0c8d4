// Kotlin: `System.getenv("NAME")`, in a string template inside a larger string; `const val` becomes `val`.

import { isWhole, lineBefore, lineStartOf, plan, replace, type FixPlan, type Site } from './common';

export function rewriteKotlin(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined;
  const span = location.span;
  const lookup = `System.getenv("${variable}")`;
  // `const val` needs a compile-time constant; a plain `val` takes the lookup.
  const before = lineBefore(text, span.start);
  const constMatch = /\bconst[ \t]+(?=val\b)/.exec(before);
  const constStart = lineStartOf(text, span.start) + (constMatch?.index ?? 0);
  const constEdit = constMatch ? replace(constStart, constStart + constMatch[0].length, '') : undefined;
  // Kotlin templates take any expression, so a larger string keeps its shape.
  const edit = isWhole(span, keyStart, keyEnd)
    ? replace(span.start, span.end, lookup)
    : replace(keyStart, keyEnd, '${' + lookup + '}');
  return plan([constEdit, edit], lookup);
}
