// Go: `os.Getenv("NAME")`, with "os" imported; a single-line `const` becomes `var`.

import type { TextEdit } from '../edits';
import { goImportOsEdit } from '../imports';
import { perText, withImport, concatenate, enclosingOpen, isWhole, lineBefore, lineStartOf, plan, replace, textBefore, type FixPlan, type Site } from './common';

export function rewriteGo(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string' || location.span.open === "'") return undefined; // a rune, not a string
  const span = location.span;
  const lookup = `os.Getenv("${variable}")`;
  // A function call is not a constant. Turning `const k = "…"` into `var` would change what k is (an untyped
  // constant converts to named string types and folds into other constants; a string variable does neither),
  // and other files of the package may rely on that, so a constant needs a human (issue 12 #8).
  if (inConstDeclaration(text, span.start)) return undefined;
  // A struct field's tag (`json:"…"`) must be a literal: reflection reads it, nothing evaluates it.
  if (isStructTag(text, span.start)) return undefined;
  let edit: TextEdit | undefined;
  if (isWhole(span, keyStart, keyEnd)) edit = replace(span.start, span.end, lookup);
  else if (!span.multiline) edit = concatenate(site, span, lookup, '+');
  if (!edit) return undefined;
  const importEdit = perText(site, 'go-import-os', goImportOsEdit);
  return withImport(plan([importEdit, edit], lookup), importEdit, 'import "os"');
}

function isStructTag(text: string, offset: number): boolean {
  const open = enclosingOpen(text, offset);
  if (open < 0 || text[open] !== '{' || !/\bstruct$/.test(textBefore(text, open))) return false;
  // `Name Type` or an embedded `Type` before the literal, with no operator: a field declaration.
  return /^\s*(?:[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s+)?[\w.*[\]]+\s+$/.test(lineBefore(text, offset));
}

/** Whether the literal initialises a constant: a `const` line, or a line inside a `const ( … )` block. */
function inConstDeclaration(text: string, offset: number): boolean {
  const lineStart = lineStartOf(text, offset);
  if (/^[ \t]*const(?=[ \t])/.test(text.slice(lineStart, offset))) return true;
  let cursor = lineStart;
  for (let steps = 0; steps < 1000 && cursor > 0; steps++) {
    const previousStart = lineStartOf(text, cursor - 1);
    const previous = text.slice(previousStart, cursor - 1);
    if (/^[ \t]*const[ \t]*\(/.test(previous)) return true;
    if (/^[ \t]*\)/.test(previous) || /^[ \t]*(?:var|import)[ \t]*\(/.test(previous) || /^(?:func|type)\b/.test(previous)) {
      return false;
    }
    cursor = previousStart;
  }
  return false;
}
