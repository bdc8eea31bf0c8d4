// Go: `os.Getenv("NAME")`, with "os" imported; a single-line `const` becomes `var`.

import type { TextEdit } from '../edits';
import { goImportOsEdit } from '../imports';
import { concatenate, isWhole, lineStartOf, plan, replace, type FixPlan, type Site } from './common';

export function rewriteGo(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined; // a rune, not a string
  const span = location.span;
  const lookup = `os.Getenv("${variable}")`;
  // A function call is not a constant: `const k = "…"` becomes `var k = …`; inside a const ( … ) block the
  // declaration would have to move, which is not mechanical.
  const constEdit = goConstEdit(text, span.start);
  if (constEdit === null) return undefined;
  let edit: TextEdit | undefined;
  if (isWhole(span, keyStart, keyEnd)) edit = replace(span.start, span.end, lookup);
  else if (!span.multiline) edit = concatenate(site, span, lookup, '+');
  if (!edit) return undefined;
  const note = constEdit ? 'The constant became a variable: os.Getenv is evaluated at run time.' : undefined;
  return plan([goImportOsEdit(text), constEdit, edit], lookup, note);
}

/** An edit turning a single-line `const` into `var`, undefined when none is needed, null inside a const block. */
function goConstEdit(text: string, offset: number): TextEdit | undefined | null {
  const lineStart = lineStartOf(text, offset);
  const line = /^([ \t]*)const(?=[ \t])/.exec(text.slice(lineStart, offset));
  if (line) return replace(lineStart + line[1].length, lineStart + line[0].length, 'var');
  let cursor = lineStart;
  for (let steps = 0; steps < 1000 && cursor > 0; steps++) {
    const previousStart = lineStartOf(text, cursor - 1);
    const previous = text.slice(previousStart, cursor - 1);
    if (/^[ \t]*const[ \t]*\(/.test(previous)) return null;
    if (/^[ \t]*\)/.test(previous) || /^[ \t]*(?:var|import)[ \t]*\(/.test(previous) || /^(?:func|type)\b/.test(previous)) {
      return undefined;
    }
    cursor = previousStart;
  }
  return undefined;
}
