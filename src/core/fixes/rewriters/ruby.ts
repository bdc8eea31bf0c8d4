// Ruby: `ENV.fetch("NAME")`, interpolated with `#{}` into a larger double-quoted string.

import { isWhole, plan, replace, rewriteWithConcatenation, type FixPlan, type Site } from './common';

export function rewriteRuby(site: Site): FixPlan | undefined {
  const { keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const lookup = `ENV.fetch("${variable}")`;
  if (!isWhole(span, keyStart, keyEnd) && span.open !== "'") {
    // Double quotes and backticks interpolate; #{} takes any expression, quotes included.
    return plan([replace(keyStart, keyEnd, '#{' + lookup + '}')], lookup);
  }
  return rewriteWithConcatenation(site, lookup, '+', { singleQuotedStrings: true });
}
