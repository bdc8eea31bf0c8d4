// Python: `os.environ["NAME"]`, with `import os` added where the module lacks it.

import { pythonImportOsEdit } from '../imports';
import { endsInEscape, isWhole, plan, replace, type FixPlan, type Site } from './common';

export function rewritePython(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const prefix = span.prefix.toLowerCase();
  if (prefix.includes('t')) return undefined; // template strings (3.14) produce Template objects, not str
  const lookup = `os.environ["${variable}"]`;
  const importEdit = pythonImportOsEdit(text);
  // An implicitly concatenated literal ("Bearer " "sk-…") must stay a literal: it becomes an f-string.
  const adjacent = /["']\s*$/.test(text.slice(Math.max(0, span.start - 10), span.start)) || /^\s*[rRbBuUfF]{0,2}["']/.test(text.slice(span.end, span.end + 10));
  if (isWhole(span, keyStart, keyEnd) && !adjacent) {
    return plan([importEdit, replace(span.start, span.end, prefix.includes('b') ? `${lookup}.encode()` : lookup)], lookup);
  }
  // Part of a larger string (or a whole literal in an implicit concatenation): interpolate in an f-string. Before
  // Python 3.12 an f-string cannot reuse its own quote inside a replacement field.
  if (prefix.includes('b') || span.multiline) return undefined;
  const quote = span.open[0];
  const inner = quote === '"' ? `os.environ['${variable}']` : `os.environ["${variable}"]`;
  if (prefix.includes('f')) return plan([importEdit, replace(keyStart, keyEnd, `{${inner}}`)], lookup);
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  const doubleBraces = (content: string) => content.replace(/[{}]/g, '$&$&');
  const newPrefix = span.prefix.replace(/[uU]/g, '') + 'f';
  const fString = newPrefix + span.open + doubleBraces(before) + `{${inner}}` + doubleBraces(after) + span.close;
  return plan([importEdit, replace(span.start, span.end, fString)], lookup);
}
