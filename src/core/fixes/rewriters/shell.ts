// Shell (and dotenv files, which are written in shell syntax): `"$NAME"`.

import { endsInEscape, isWhole, plan, replace, type FixPlan, type Site } from './common';

export function rewriteShell(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  const quoted = `"$${variable}"`;
  if (location.kind === 'bare') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  if (isWhole(span, keyStart, keyEnd)) return plan([replace(span.start, span.end, quoted)], quoted);
  if (span.open === '"') return plan([replace(keyStart, keyEnd, '${' + variable + '}')], quoted);
  if (span.open === '`') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  // '…' and $'…' never expand: close the quote, expand in double quotes, reopen.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (span.prefix === '$' && endsInEscape(before)) return undefined;
  const literal = (content: string) => (content ? span.prefix + span.open + content + span.close : '');
  return plan([replace(span.start, span.end, literal(before) + quoted + literal(after))], quoted);
}
