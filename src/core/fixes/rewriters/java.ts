// Java: `System.getenv("NAME")`, concatenated into a larger string.

import { enclosingOpens, lineBefore, perText, rewriteWithConcatenation, textBefore, usedIn, type FixPlan, type Site } from './common';

export function rewriteJava(site: Site): FixPlan | undefined {
  if (site.location.kind !== 'string' || javaNeedsConstant(site, site.location.span.start)) return undefined;
  return rewriteWithConcatenation(site, `System.getenv("${site.variable}")`, '+', {});
}

/** An annotation's argument list: the bracket's head is `@Name` (JLS §9.7: element values are constants). */
export function inAnnotation(text: string, offset: number): boolean {
  return enclosingOpens(text, offset).some((open) => text[open] === '(' && /@[\w.]+\s*$/.test(textBefore(text, open, 200)));
}

/**
 * Where Java requires a constant expression (JLS §15.29), so a method call would not compile (issue 12 #8):
 * a `case` label, an annotation argument or an annotation element's `default`, and a constant variable (a
 * `final` field or local initialised with a literal, or any interface field) that other code may use as one.
 * A `private` constant the file never uses in a `case` or an annotation is rewritten: nothing else can.
 */
function javaNeedsConstant(site: Site, start: number): boolean {
  const { text } = site;
  const before = lineBefore(text, start);
  const head = textBefore(text, start);
  if (/(?:^|[^\w.])case(?:\s+[^:;]*,)?$/.test(head) || /(?:^|[^\w.])default$/.test(head)) return true;
  if (inAnnotation(text, start)) return true;
  const interfaceField = enclosingOpens(text, start, 1).some((open) => text[open] === '{' && /\binterface\s+\w+[^{;]*$/.test(textBefore(text, open, 200)));
  const constant = /\bfinal\b[^=;(){}]*?([A-Za-z_$][\w$]*)\s*=\s*$/.exec(before) ?? (interfaceField ? /([A-Za-z_$][\w$]*)\s*=\s*$/.exec(before) : null);
  if (!constant) return false;
  if (interfaceField || !/\bprivate\b/.test(before)) return true;
  return usedAsConstant(site, constant[1]);
}

/** A use of `name` in a `case` label or an annotation's arguments. */
export function usedAsConstant(site: Site, name: string): boolean {
  // Every use starts at a `case` or at an annotation with arguments; a file with neither (asked once per file, not
  // per key: red team F13) has none, and the search of the whole file for each constant's name is skipped.
  if (!perText(site, 'java-constant-contexts', (text) => /\bcase\s|@[\w.]+\s*\(/.test(text))) return false;
  return usedIn(site.text, name, (n) => new RegExp(`\\bcase\\s+(?:[^:;\\n]{0,200}[,\\s(])?${n}\\b|@[\\w.]+\\s*\\([^)]{0,500}\\b${n}\\b`));
}
