// Python: `os.environ["NAME"]`, with `import os` added where the module lacks it.

import { pythonImportOsEdit } from '../imports';
import type { StringSpan } from '../lexer';
import { perText, withImport, enclosingOpen, endsInEscape, isWhole, lineBefore, lineEndOf, lineStartOf, plan, replace, textBefore, type FixPlan, type Site } from './common';

export function rewritePython(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const prefix = span.prefix.toLowerCase();
  if (prefix.includes('t')) return undefined; // template strings (3.14) produce Template objects, not str
  // Inside an f-string's replacement field the quotes an os.environ lookup needs may be the outer ones, which
  // Python before 3.12 rejects (PEP 701).
  if (span.nested) return undefined;
  if (literalOnlyContext(text, span)) return undefined;
  const lookup = `os.environ["${variable}"]`;
  const importEdit = perText(site, 'python-import-os', pythonImportOsEdit);
  // An implicitly concatenated literal ("Bearer " "sk-…") must stay a literal: it becomes an f-string.
  const adjacent = /["']\s*$/.test(text.slice(Math.max(0, span.start - 10), span.start)) || /^\s*[rRbBuUfF]{0,2}["']/.test(text.slice(span.end, span.end + 10));
  if (isWhole(span, keyStart, keyEnd) && !adjacent) {
    return withImport(plan([importEdit, replace(span.start, span.end, prefix.includes('b') ? `${lookup}.encode()` : lookup)], prefix.includes('b') ? `${lookup}.encode()` : lookup), importEdit, 'import os');
  }
  // Part of a larger string (or a whole literal in an implicit concatenation): interpolate in an f-string. Before
  // Python 3.12 an f-string cannot reuse its own quote inside a replacement field.
  if (prefix.includes('b') || span.multiline) return undefined;
  const quote = span.open[0];
  const inner = quote === '"' ? `os.environ['${variable}']` : `os.environ["${variable}"]`;
  if (prefix.includes('f')) return withImport(plan([importEdit, replace(keyStart, keyEnd, `{${inner}}`)], `{${inner}}`), importEdit, 'import os');
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  const doubleBraces = (content: string) => content.replace(/[{}]/g, '$&$&');
  const newPrefix = span.prefix.replace(/[uU]/g, '') + 'f';
  const fString = newPrefix + span.open + doubleBraces(before) + `{${inner}}` + doubleBraces(after) + span.close;
  return withImport(plan([importEdit, replace(span.start, span.end, fString)], `an f-string reading ${inner}`), importEdit, 'import os');
}

/**
 * Where Python needs the literal itself (issue 12 #8): a `match` statement's `case` pattern (literal patterns
 * take no calls or subscripts, PEP 634), a `Literal[…]` type, and a docstring (a lookup there is no longer the
 * function's `__doc__`).
 */
function literalOnlyContext(text: string, span: StringSpan): boolean {
  // `case "…":`, `case {"k": "…"}:`, `case Point(x="…") | "…":`, on the case line (not `case = …`).
  if (/^\s*case\b(?!\s*(?:=[^=]|\.|\)))/.test(lineBefore(text, span.start)) && /:\s*(?:#.*)?$/.test(text.slice(span.end, lineEndOf(text, span.end)))) return true;
  const open = enclosingOpen(text, span.start);
  if (open >= 0 && text[open] === '[' && /(?:^|[^\w.])(?:typing\.|typing_extensions\.|t\.)?Literal$/.test(textBefore(text, open))) return true;
  return isDocstring(text, span);
}

/** A string statement alone on its line, first in a module, class or function body. */
function isDocstring(text: string, span: StringSpan): boolean {
  if (lineBefore(text, span.start).trim() !== '' || !/^\s*(?:#.*)?$/.test(text.slice(span.end, lineEndOf(text, span.end)))) return false;
  // The previous line that holds code: a `def`/`class` header, or none (the module's first statement).
  let cursor = lineStartOf(text, span.start);
  while (cursor > 0) {
    const start = lineStartOf(text, cursor - 1);
    const line = text.slice(start, cursor - 1).trim();
    cursor = start;
    if (line === '' || line.startsWith('#')) continue;
    return /^(?:async\s+)?(?:def|class)\b.*:$/.test(line.replace(/\s*#.*$/, ''));
  }
  return true;
}
