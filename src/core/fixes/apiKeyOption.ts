// Removing the key option that the Anthropic SDKs fill from ANTHROPIC_API_KEY themselves, so the code keeps no
// trace of the key at all: `new Anthropic({ apiKey: '…' })` and `Anthropic(api_key='…')`.

import type { CredentialKind } from '../findings';
import type { TextEdit } from './edits';
import type { FixLanguage } from './languages';
import { locateKey, type KeyLocator } from './lexer';
import { enclosingOpen, isWhole, lineEndOf, lineStartOf, replace, type FixPlan } from './rewriters/common';

const JS_CLIENT_CALL = /(?:\bnew\s+(?:[\w$]+\.)*Anthropic|\bcreateAnthropic)\s*\(\s*$/;
const PY_CLIENT_CALL = /(?:^|[^\w.])(?:[A-Za-z_]\w*\.)*(?:Async)?Anthropic\s*$/;

/**
 * Removes the key option the SDKs fill from ANTHROPIC_API_KEY themselves: `apiKey: '…'` in
 * `new Anthropic({ … })` / `createAnthropic({ … })`, and `api_key='…'` in `Anthropic(…)` / `AsyncAnthropic(…)`.
 * A sole option leaves `new Anthropic()`. Only for API keys (pass the finding's kind): an admin key is not
 * what the client reads. The caller must store the key under exactly ANTHROPIC_API_KEY first, or the client
 * would silently pick up whatever that variable holds.
 */
export function removeApiKeyOption(
  text: string,
  keyStart: number,
  keyEnd: number,
  language: FixLanguage,
  kind?: CredentialKind,
  locator?: KeyLocator,
): FixPlan | undefined {
  if (kind !== undefined && kind !== 'api-key') return undefined;
  if (language !== 'javascript' && language !== 'python') return undefined;
  const location = locateKey(locator, text, keyStart, keyEnd, language);
  if (location.kind !== 'string' || location.span.multiline || !isWhole(location.span, keyStart, keyEnd)) return undefined;
  const span = location.span;
  if (/[bt]/i.test(span.prefix)) return undefined;
  const head = text.slice(Math.max(0, span.start - 200), span.start);
  const option = language === 'javascript' ? /(?:\bapiKey|(["'])apiKey\1)\s*:\s*$/.exec(head) : /\bapi_key\s*=\s*$/.exec(head);
  if (!option) return undefined;
  const itemStart = span.start - (head.length - option.index);
  const open = enclosingOpen(text, itemStart);
  if (open < 0 || text[open] !== (language === 'javascript' ? '{' : '(')) return undefined;
  const callHead = text.slice(Math.max(0, open - 200), open);
  if (!(language === 'javascript' ? JS_CLIENT_CALL : PY_CLIENT_CALL).test(callHead)) return undefined;
  const close = matchingClose(text, open, language);
  if (close < 0) return undefined;
  const title = language === 'javascript' ? 'Remove the apiKey option (the SDK reads ANTHROPIC_API_KEY)' : 'Remove api_key= (the SDK reads ANTHROPIC_API_KEY)';
  const note = 'The client now reads the key from ANTHROPIC_API_KEY: store it under exactly that name where the code runs.';
  const removal = removeItem(text, open, close, itemStart, span.end);
  if (removal === undefined) return undefined;
  if (removal !== 'sole') return { edits: [removal], title, note };
  if (language === 'python') return { edits: [replace(open + 1, close, '')], title, note };
  // `new Anthropic({ apiKey })` with nothing else: `new Anthropic()`.
  const parenOpen = open - /\(\s*$/.exec(text.slice(0, open))![0].length;
  const afterObject = /^\s*,?\s*\)/.exec(text.slice(close + 1, close + 200));
  if (afterObject) return { edits: [replace(parenOpen + 1, close + 1 + afterObject[0].length - 1, '')], title, note };
  return { edits: [replace(open + 1, close, '')], title, note };
}

/** The bracket closing the one at `open`, skipping strings and comments (via the lexer's view of them). */
function matchingClose(text: string, open: number, language: FixLanguage): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 20000; i++) {
    const char = text[i];
    if (char === '"' || char === "'" || char === '`') {
      const quoteEnd = skipSimpleString(text, i);
      if (quoteEnd < 0) return -1;
      i = quoteEnd;
      continue;
    }
    if ((language === 'python' && char === '#') || (language === 'javascript' && text.startsWith('//', i))) {
      const newline = text.indexOf('\n', i);
      if (newline < 0) return -1;
      i = newline;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

function skipSimpleString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** The edit removing one item of a comma-separated list between `open` and `close`, or 'sole' when it is the
 * only one. An item on its own line goes with its line; inline, it goes with one adjacent comma. */
function removeItem(text: string, open: number, close: number, itemStart: number, itemEnd: number): TextEdit | 'sole' | undefined {
  const trailingComma = /^[ \t]*,/.exec(text.slice(itemEnd, close));
  const itemEndWithComma = itemEnd + (trailingComma ? trailingComma[0].length : 0);
  const others = text.slice(open + 1, itemStart) + text.slice(itemEndWithComma, close);
  if (others.replace(/,/g, '').trim() === '') return 'sole';
  const lineStart = lineStartOf(text, itemStart);
  const restOfLine = text.slice(itemEndWithComma, lineEndOf(text, itemEndWithComma));
  if (lineStart > open && text.slice(lineStart, itemStart).trim() === '' && restOfLine.trim() === '') {
    const newline = text.indexOf('\n', itemEndWithComma);
    return replace(lineStart, newline < 0 ? text.length : newline + 1, '');
  }
  if (trailingComma) {
    const spaces = /^[ \t]*/.exec(text.slice(itemEndWithComma))![0].length;
    return replace(itemStart, itemEndWithComma + spaces, '');
  }
  const before = /,\s*$/.exec(text.slice(open + 1, itemStart));
  if (!before) return undefined; // no comma on either side: not a list this can edit safely
  return replace(open + 1 + before.index, itemEnd, '');
}
