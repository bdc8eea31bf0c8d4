// Java: `System.getenv("NAME")`, concatenated into a larger string.

import { rewriteWithConcatenation, type FixPlan, type Site } from './common';

export function rewriteJava(site: Site): FixPlan | undefined {
  return rewriteWithConcatenation(site, `System.getenv("${site.variable}")`, '+', {});
}
