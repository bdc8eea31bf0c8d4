// PHP: `getenv('NAME')`, concatenated with `.` into a larger string.

import { lineBefore, rewriteWithConcatenation, type FixPlan, type Site } from './common';

export function rewritePhp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  if (location.kind !== 'string') return undefined;
  // Constants and property defaults must be constant expressions: a getenv() call there is a fatal error.
  const before = lineBefore(text, location.span.start);
  if (/\bconst\b|\bdefine\s*\(/.test(before)) return undefined;
  if (/^\s*(?:(?:public|private|protected|static|readonly|var)\s+)+(?:\??[\w\\]+\s+)?\$\w+\s*=\s*$/.test(before)) return undefined;
  return rewriteWithConcatenation(site, `getenv('${site.variable}')`, '.', { singleQuotedStrings: true });
}
