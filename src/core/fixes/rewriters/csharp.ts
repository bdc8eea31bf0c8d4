// C#: `Environment.GetEnvironmentVariable("NAME")`, with `using System;` added where the file lacks it.

import { csharpUsingSystemEdit } from '../imports';
import { lineBefore, rewriteWithConcatenation, type FixPlan, type Site } from './common';

export function rewriteCSharp(site: Site): FixPlan | undefined {
  const { text, location } = site;
  if (location.kind !== 'string') return undefined;
  // Attribute arguments must be constants too.
  if (/^\s*\[/.test(lineBefore(text, location.span.start))) return undefined;
  return rewriteWithConcatenation(site, `Environment.GetEnvironmentVariable("${site.variable}")`, '+', {
    refuseConst: true,
    extraEdits: [csharpUsingSystemEdit(text)],
  });
}
