// PHP: `getenv('NAME')`, concatenated with `.` into a larger string.

import { enclosingOpens, lineBefore, rewriteWithConcatenation, textBefore, type FixPlan, type Site } from './common';

export function rewritePhp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  // Heredoc and nowdoc bodies (no function call interpolates there), HTML outside `<?php`, and strings nested
  // in an interpolation are left to a human (issue 12 #8).
  if (location.kind !== 'string' || location.span.nested) return undefined;
  if (phpNeedsConstant(text, location.span.start)) return undefined;
  return rewriteWithConcatenation(site, `getenv('${site.variable}')`, '.', { singleQuotedStrings: true });
}

/**
 * Where PHP requires a constant expression, so a getenv() call is a fatal error: `const` and `define()`,
 * property defaults and `static` variables, enum case values, parameter defaults, and attribute arguments.
 */
function phpNeedsConstant(text: string, start: number): boolean {
  const before = lineBefore(text, start);
  if (/\bconst\b|\bdefine\s*\(/.test(before)) return true;
  if (/^\s*(?:(?:public|private|protected|static|readonly|var)\s+)+(?:\??[\w\\]+\s+)?\$\w+\s*=\s*$/.test(before)) return true;
  if (/^\s*case\s+\w+\s*=\s*$/.test(before)) return true;
  if (/#\[[^\]]*$/.test(before)) return true;
  return enclosingOpens(text, start, 2).some(
    (open) => text[open] === '(' && /\b(?:function|fn)\s*&?\s*\w*\s*$/.test(textBefore(text, open, 200)) && /\$\w+\s*=\s*$/.test(text.slice(open, start)),
  );
}
