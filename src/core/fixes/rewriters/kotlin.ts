// Kotlin: `System.getenv("NAME")`, in a string template inside a larger string; `const val` becomes `val`.

import { endsInEscape, isWhole, lineBefore, lineStartOf, plan, replace, type FixPlan, type Site } from './common';
import { inAnnotation, usedAsConstant } from './java';

export function rewriteKotlin(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined;
  const span = location.span;
  const lookup = `System.getenv("${variable}")`;
  // Annotation arguments must be compile-time constants.
  if (inAnnotation(text, span.start)) return undefined;
  // `const val` needs a compile-time constant; a plain `val` takes the lookup. Dropping `const` changes what the
  // name is for code that needs a constant (an annotation argument), so only a `private` one the file never
  // uses that way loses it; any other needs a human (issue 12 #8).
  const before = lineBefore(text, span.start);
  const constMatch = /\bconst[ \t]+(?=val\b)/.exec(before);
  if (constMatch) {
    const name = /\bval\s+([A-Za-z_]\w*)/.exec(before)?.[1];
    if (!/\bprivate\b/.test(before) || !name || usedAsConstant(site, name)) return undefined;
  }
  // `\${` would be an escaped dollar, not a template.
  if (!isWhole(span, keyStart, keyEnd) && endsInEscape(text.slice(span.contentStart, keyStart))) return undefined;
  const constStart = lineStartOf(text, span.start) + (constMatch?.index ?? 0);
  const constEdit = constMatch ? replace(constStart, constStart + constMatch[0].length, '') : undefined;
  // Kotlin templates take any expression, so a larger string keeps its shape.
  const edit = isWhole(span, keyStart, keyEnd)
    ? replace(span.start, span.end, lookup)
    : replace(keyStart, keyEnd, '${' + lookup + '}');
  const result = plan([constEdit, edit], isWhole(span, keyStart, keyEnd) ? lookup : '${' + lookup + '}');
  return constEdit ? { ...result, title: `${result.title} and drop const from the private const val` } : result;
}
