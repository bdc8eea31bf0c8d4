// JavaScript and TypeScript, and the script parts of JSX, Vue, Svelte and Astro files: `process.env.NAME`.

import type { StringSpan } from '../lexer';
import { enclosingOpen, endsInEscape, extensionOf, isWhole, plan, replace, textAfter, textBefore, type FixPlan, type Site } from './common';

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
  if (literalOnlyContext(site, span)) return undefined;
  if (span.open === '`') {
    if (isTaggedTemplate(text, span.start)) return undefined; // a tag (String.raw, sql`…`) sees the parts
    if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
    // `\${` would be an escaped dollar, not an interpolation.
    if (endsInEscape(text.slice(span.contentStart, keyStart))) return undefined;
    return plan([replace(keyStart, keyEnd, '${' + lookup + '}')], '${' + lookup + '}');
  }
  if (span.multiline) return undefined; // a quoted string continued with backslash-newline
  if (isWhole(span, keyStart, keyEnd)) return wholeJavaScript(site, span, lookup, markup);
  // A larger '…' or "…" string becomes a template literal with the lookup interpolated.
  const before = text.slice(span.contentStart, keyStart);
  const after = text.slice(keyEnd, span.contentEnd);
  if (endsInEscape(before)) return undefined;
  let template = '`' + toTemplateText(before) + '${' + lookup + '}' + toTemplateText(after) + '`';
  if (markup === 'attribute') template = `{${template}}`;
  return plan([replace(span.start, span.end, template)], `a template literal reading \${${lookup}}`);
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
  return plan([replace(span.start, span.end, expression)], expression, note);
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

/** `import … from '…'`, `export … from '…'`, `import '…'`, `declare module '…'`: specifiers are literals. */
const MODULE_SPECIFIER_BEFORE = /(?:^|[^\w$.])(?:from|import|module)$/;
/** TypeScript type operators and the words that introduce a type: what follows them is a type, not a value. */
const TYPE_WORD_BEFORE = /(?:^|[^\w$.])(?:as|satisfies|extends|keyof|infer|is|implements)$/;
/** `type Name<…> =`: the right-hand side is a type. */
const TYPE_ALIAS_BEFORE = /(?:^|[^\w$.])type\s+[\w$]+\s*(?:<[^;]*>)?\s*=$/;
/** `let k:` / `const k:` / `readonly k:` / `private k?:`: an annotation. */
const DECLARATION_ANNOTATION_BEFORE = /(?:^|[^\w$.])(?:let|const|var|readonly|declare|public|private|protected|static|abstract|override|accessor)\s+[\w$]+\s*[?!]?\s*:$/;
/** A JSX element's text: `<p>` … up to the literal, with no expression container in between. */
const JSX_TEXT_BEFORE = /<[A-Za-z][\w.:-]*(?:\s[^<>]*)?>[^<>{}()=;]*$/;

/**
 * Positions where JavaScript or TypeScript accepts only a literal, so `process.env.NAME` there would not compile
 * or would change what the code means (issue 12 #8): an object or class property name (`{ '…': v }`, which
 * would need `[…]` and a different type), a module specifier, a TypeScript literal type (an alias, an
 * annotation, a union, a generic argument, after `as`), an enum member's value, and JSX text (where quotes are
 * text). Judged from the code right around the literal; the parse check backs it up when the fix is applied.
 */
function literalOnlyContext(site: Site, span: StringSpan): boolean {
  const { text } = site;
  const before = textBefore(text, span.start);
  const after = textAfter(text, span.end, 20);
  const previous = before.slice(-1);
  // A property name: `{ '…': v }`, `{ '…'() {} }`, `{ a, '…'?: T }`, a class member `'…' = v;`.
  if ((previous === '{' || previous === ',' || previous === ';' || previous === '') && /^(?:\?\s*:|:|\(|!?\s*=(?![=>]))/.test(after)) {
    // `(a, '…' = …)` is not a member; the brace or a class body is.
    const open = enclosingOpen(text, span.start);
    if (open < 0 || text[open] === '{') return true;
  }
  if (MODULE_SPECIFIER_BEFORE.test(before)) return true;
  // A union or intersection member: `'a' | '…'` (bitwise operators on a string make no sense in JavaScript).
  if (/(?:^|[^|])\|$/.test(before) || /(?:^|[^&])&$/.test(before) || /^\|(?!\|)/.test(after)) return true;
  if (TYPE_WORD_BEFORE.test(before) || TYPE_ALIAS_BEFORE.test(before)) return true;
  const open = enclosingOpen(text, span.start);
  // An enum member's value: `enum E { A = '…' }` (string enums take literals only).
  if (open >= 0 && text[open] === '{' && /(?:^|[^\w$.])enum\s+[\w$]+$/.test(textBefore(text, open))) return true;
  if (isTypeScript(site)) {
    if (DECLARATION_ANNOTATION_BEFORE.test(before)) return true;
    // A generic argument: `Record<'…', T>`, `Set<'…'>`.
    if (/[\w$]\s*<$/.test(before)) return true;
    if (open >= 0) {
      const head = textBefore(text, open);
      const inside = text.slice(open + 1, span.start);
      // A parameter annotation `(k: '…')`: a `name:` right inside parentheses, with no `?` of a conditional.
      if (text[open] === '(' && /(?:^|[,(\s])[\w$]+\s*\??\s*:\s*$/.test(inside) && !/\?(?![.?])/.test(inside)) return true;
      // A member of an interface, a type literal or a class: `interface I { k: '…' }`.
      if (text[open] === '{' && /:\s*$/.test(before) && /(?:^|[^\w$.])(?:interface\s+[\w$<>,\s]+|type\s+[\w$]+\s*(?:<[^;]*>)?\s*=|class\s+[\w$][^{]*)$/.test(head)) return true;
    }
  }
  // JSX text: `<p>"…"</p>` shows the quotes; a lookup there would show its own source.
  const ext = extensionOf(site.options.fileName);
  if (['jsx', 'tsx', 'js', ''].includes(ext) && JSX_TEXT_BEFORE.test(text.slice(Math.max(0, span.start - 300), span.start).split('\n').pop()!)) return true;
  return false;
}
