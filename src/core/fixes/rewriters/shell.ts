// Shell (and dotenv files, which are written in shell syntax): `"$NAME"`.

import { endsInEscape, isWhole, plan, replace, type FixPlan, type Site } from './common';

export function rewriteShell(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  const quoted = `"$${variable}"`;
  const braced = '${' + variable + '}';
  // A heredoc body: quotes there are text, so `<<EOF` gets a bare ${NAME}, which it expands; `<<'EOF'` expands
  // nothing, so the key can only be moved by a human (issue 12 #8). A backslash before it would escape the `$`.
  if (location.kind === 'heredoc') {
    if (!location.expands || endsInEscape(text.slice(Math.max(0, keyStart - 20), keyStart))) return undefined;
    return plan([replace(keyStart, keyEnd, braced)], braced);
  }
  if (location.kind === 'bare') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  // In a command substitution inside double quotes (`"$(… '…' …)"`) the quoting rules nest; not mechanical.
  if (span.nested) return undefined;
  if (isWhole(span, keyStart, keyEnd)) return plan([replace(span.start, span.end, quoted)], quoted);
  if (span.open === '"') {
    if (endsInEscape(text.slice(span.contentStart, keyStart))) return undefined;
    return plan([replace(keyStart, keyEnd, braced)], braced);
  }
  if (span.open === '`') return plan([replace(keyStart, keyEnd, quoted)], quoted);
  // '…' and $'…' never expand: close the quote, expand in double quotes, reopen.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (span.prefix === '$' && endsInEscape(before)) return undefined;
  const literal = (content: string) => (content ? span.prefix + span.open + content + span.close : '');
  return plan([replace(span.start, span.end, literal(before) + quoted + literal(after))], quoted);
}
