// C#: `Environment.GetEnvironmentVariable("NAME")`, with `using System;` added where the file lacks it.

import { csharpUsingSystemEdit } from '../imports';
import { perText, withImport, enclosingOpens, lineBefore, rewriteWithConcatenation, textAfter, textBefore, type FixPlan, type Site } from './common';

export function rewriteCSharp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  if (location.kind !== 'string') return undefined;
  // A string nested in an interpolation hole may not reuse the outer quote before C# 11.
  if (location.span.nested || csharpNeedsConstant(text, location.span.start, location.span.end)) return undefined;
  const usingEdit = perText(site, 'csharp-using-system', csharpUsingSystemEdit);
  const result = rewriteWithConcatenation(site, `Environment.GetEnvironmentVariable("${site.variable}")`, '+', {
    refuseConst: true,
    extraEdits: [usingEdit],
  });
  return withImport(result, usingEdit, 'using System;');
}

/**
 * Where C# requires a constant (issue 12 #8): attribute arguments, `case` labels and patterns (`is "…"`, a
 * switch expression arm `"…" =>`), and optional parameters' default values (the `const` declaration is refused
 * by the caller).
 */
function csharpNeedsConstant(text: string, start: number, end: number): boolean {
  const head = textBefore(text, start);
  if (/^\s*\[/.test(lineBefore(text, start))) return true;
  if (enclosingOpens(text, start).some((open) => text[open] === '[' && /(?:^|[;{}\]])$/.test(textBefore(text, open, 200)) && /^\s*[A-Za-z_][\w.]*\s*(?:\(|$)/.test(text.slice(open + 1, start)))) return true;
  if (/(?:^|[^\w.])(?:case|is|not|or|and)$/.test(head) || /^=>/.test(textAfter(text, end, 10))) return true;
  // `void F(string key = "…")`: a type and a name, then `=`, right inside a parameter list.
  const opens = enclosingOpens(text, start, 1);
  if (opens.length > 0 && text[opens[0]] === '(' && /(?:^|[(,])\s*(?:(?:this|in|ref|out|params)\s+)?[\w.<>?[\],]+\s+[A-Za-z_]\w*\s*=$/.test(text.slice(opens[0], start).trimEnd())) return true;
  return false;
}
