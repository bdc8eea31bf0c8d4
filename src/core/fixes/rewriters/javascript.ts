// JavaScript and TypeScript, and the script parts of JSX, Vue, Svelte and Astro files: `process.env.NAME`.

import type { StringSpan } from '../lexer';
import { endsInEscape, extensionOf, isWhole, plan, replace, type FixPlan, type Site } from './common';

function isTypeScript(site: Site): boolean {
  const { languageId, fileName } = site.options;
  if (languageId === 'typescript' || languageId === 'typescriptreact') return true;
  const ext = extensionOf(fileName);
  if (['ts', 'tsx', 'mts', 'cts'].includes(ext)) return true;
  if (ext === 'astro') return true; // Astro frontmatter is TypeScript
  return (ext === 'vue' || ext === 'svelte') && /<script\b[^>]*\blang=["']ts["']/.test(site.text);
}

/** The SDK options that accept `string | undefined`, so TypeScript needs no non-null assertion there. */
const SDK_KEY_OPTION = /(?:\b|["'])(?:apiKey|authToken)["']?\s*:\s*$/;

export function rewriteJavaScript(site: Site): FixPlan | undefined {
  const { text, keyStart, keyEnd, variable, location } = site;
  if (location.kind !== 'string') return undefined;
  const span = location.span;
  const lookup = `process.env.${variable}`;
  const markup = markupContext(site, span);
  if (markup === 'template') return undefined; // Vue templates cannot read process.env
  if (span.open === '`') {
    if (isTaggedTemplate(text, span.start)) return undefined; // a tag (String.raw, sql`…`) sees the parts
    if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
    return plan([replace(keyStart, keyEnd, '${' + lookup + '}')], lookup);
  }
  if (span.multiline) return undefined; // a quoted string continued with backslash-newline
  if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
  // A larger '…' or "…" string becomes a template literal with the lookup interpolated.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  let template = '`' + toTemplateText(before) + '${' + lookup + '}' + toTemplateText(after) + '`';
  if (markup === 'attribute') template = `{${template}}`;
  return plan([replace(span.start, span.end, template)], lookup);
}

function wholeJavaScript(site: Site, span: StringSpan, lookup: string, markup: 'attribute' | undefined): FixPlan | undefined {
  const { text } = site;
  // `'…' as const` would become `process.env.X as const`, which TypeScript rejects.
  if (/^\s*as\s+const\b/.test(text.slice(span.end, span.end + 20))) return undefined;
  const assert = isTypeScript(site) && !SDK_KEY_OPTION.test(text.slice(Math.max(0, span.start - 40), span.start));
  let expression = assert ? `${lookup}!` : lookup;
  if (markup === 'attribute') expression = `{${expression}}`;
  const note = assert
    ? `process.env values are typed string | undefined; the ! keeps the string type the literal had, so make sure ${site.variable} is set wherever this code runs.`
    : undefined;
  return plan([replace(span.start, span.end, expression)], lookup, note);
}

/** Escapes what a template literal would interpret (an unescaped backtick, `${`), leaving existing escapes. */
function toTemplateText(content: string): string {
  let result = '';
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (char === '\\') {
      result += content.slice(i, i + 2);
      i++;
    } else if (char === '`') result += '\\`';
    else if (char === '$' && content[i + 1] === '{') result += '\\$';
    else result += char;
  }
  return result;
}

const NOT_A_TAG = /(?:^|[^\w$.])(?:return|typeof|await|yield|case|in|of|else|void|throw|delete|new|do)$/;

function isTaggedTemplate(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start).trimEnd();
  return /[\w$)\]]$/.test(before) && !NOT_A_TAG.test(before);
}

/** A tag's attribute list up to `name=` (JSX, Svelte, Astro, Vue templates). */
const ATTRIBUTE_BEFORE =
  /<[A-Za-z][\w.:-]*(?:\s+(?:[\w:.@-]+(?:=(?:"[^"]*"|'[^']*'|\{[^{}]*\}))?|\{\.\.\.[^{}]*\}))*\s+[\w:.@-]+=$/;

/**
 * Whether the literal is a markup attribute value (`<Client apiKey="…" />`, which takes `{expression}`) or sits
 * in a Vue template (where process.env does not exist). Script blocks of .vue/.svelte files and Astro
 * frontmatter are plain code.
 */
function markupContext(site: Site, span: StringSpan): 'attribute' | 'template' | undefined {
  const { text } = site;
  const ext = extensionOf(site.options.fileName) || (site.options.languageId ?? '');
  const isComponentFile = ['vue', 'svelte', 'astro'].includes(ext);
  if (isComponentFile && inScriptBlock(text, span.start, ext)) return undefined;
  const isAttribute = ATTRIBUTE_BEFORE.test(text.slice(Math.max(0, span.start - 1000), span.start));
  if (ext === 'vue') return 'template';
  if (isAttribute) return 'attribute';
  return isComponentFile ? 'template' : undefined;
}

function inScriptBlock(text: string, offset: number, ext: string): boolean {
  if (ext === 'astro') {
    // Frontmatter: between a leading `---` line and the next one.
    const fence = /^---[ \t]*\r?\n/.exec(text);
    if (fence) {
      const close = text.indexOf('\n---', fence[0].length - 1);
      if (close < 0 || offset < close) return true;
    }
  }
  const open = text.lastIndexOf('<script', offset);
  if (open < 0) return false;
  const close = text.lastIndexOf('</script', offset);
  return close < open;
}
