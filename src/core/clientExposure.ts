// Finds code that sends an Anthropic key to the browser, where any visitor can read it:
// - an Anthropic client created with `dangerouslyAllowBrowser: true` (the SDK's explicit opt-in to running in a
//   browser, named so because the key then ships with the page);
// - an Anthropic/Claude key variable with a prefix that a bundler inlines into client code (`NEXT_PUBLIC_`,
//   `VITE_`, …), wherever it is defined or read.
//
// Every pattern is ASCII, so this works unchanged on a latin1 decoding of raw bytes, whose offsets are byte
// offsets (that is how the buffer scan uses it). For the same reason whitespace means ASCII whitespace here.

export type ClientExposureKind = 'dangerously-allow-browser' | 'public-env-prefix';

export interface ClientExposure {
  start: number;
  end: number;
  kind: ClientExposureKind;
  /** For 'public-env-prefix': the prefix (`VITE_`). For 'dangerously-allow-browser': the constructor or function
   * the option is passed to (`Anthropic`, `sdk.AnthropicBedrock`), or '' when it sits in a standalone object. */
  detail: string;
}

/** Prefixes whose variables bundlers inline into client code, longest first so `NEXT_PUBLIC_` wins over `PUBLIC_`. */
export const PUBLIC_ENV_PREFIXES: ReadonlyArray<{ prefix: string; bundler: string }> = [
  { prefix: 'NEXT_PUBLIC_', bundler: 'Next.js' },
  { prefix: 'NUXT_PUBLIC_', bundler: 'Nuxt' },
  { prefix: 'EXPO_PUBLIC_', bundler: 'Expo' },
  { prefix: 'REACT_APP_', bundler: 'Create React App' },
  { prefix: 'VUE_APP_', bundler: 'Vue CLI' },
  { prefix: 'GATSBY_', bundler: 'Gatsby' },
  { prefix: 'PUBLIC_', bundler: 'SvelteKit and Astro' },
  { prefix: 'VITE_', bundler: 'Vite' },
];

export function bundlerForPrefix(prefix: string): string | undefined {
  return PUBLIC_ENV_PREFIXES.find((entry) => entry.prefix === prefix)?.bundler;
}

const OPTION_NAME = 'dangerouslyAllowBrowser';
/** The vendor words, in the casings names are written in (`ANTHROPIC_API_KEY`, `anthropicKey`, `AnthropicKey`).
 * Mixed casings such as `aNtHrOpIc` are ignored, which lets raw bytes be prefiltered with plain byte searches. */
export const PREFILTER_WORDS = [OPTION_NAME, 'ANTHROPIC', 'nthropic', 'CLAUDE', 'laude'] as const;
const VENDOR_WORD = /ANTHROPIC|[Aa]nthropic|CLAUDE|[Cc]laude/g;
const KEY_WORD = /KEY|TOKEN|SECRET|CREDENTIAL|AUTH/;
const ANTHROPIC_NAME = /anthropic|claude/i;

/** Cheap test before the real scan: can this text contain a finding at all? */
export function mayContainClientExposure(text: string): boolean {
  return PREFILTER_WORDS.some((word) => text.includes(word));
}

/** The same prefilter on raw bytes, without decoding. */
export function bufferMayContainClientExposure(buf: Buffer): boolean {
  return PREFILTER_WORDS.some((word) => buf.includes(word, 0, 'latin1'));
}

/** All exposures in a text, ordered by start offset (UTF-16 units). */
export function findClientExposures(text: string): ClientExposure[] {
  if (!mayContainClientExposure(text)) return [];
  const found = [...findBrowserOptIns(text), ...findPublicKeyVariables(text)];
  return found.sort((a, b) => a.start - b.start);
}

function isIdentifierCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x24 // $
  );
}

function findPublicKeyVariables(text: string): ClientExposure[] {
  const found: ClientExposure[] = [];
  const vendorWord = new RegExp(VENDOR_WORD.source, 'g');
  for (let hit = vendorWord.exec(text); hit; hit = vendorWord.exec(text)) {
    // Env names are [A-Za-z0-9_]; `$` bounds them (`$VITE_KEY` in a shell, `$env/static/public`).
    let start = hit.index;
    while (start > 0 && isIdentifierCode(text.charCodeAt(start - 1)) && text[start - 1] !== '$') start--;
    let end = hit.index + hit[0].length;
    while (end < text.length && isIdentifierCode(text.charCodeAt(end)) && text[end] !== '$') end++;
    // Resuming after the name keeps this linear: no name is expanded twice, however many vendor words it has.
    vendorWord.lastIndex = end;
    const name = text.slice(start, end);
    const prefix = PUBLIC_ENV_PREFIXES.find((entry) => name.startsWith(entry.prefix))?.prefix;
    if (prefix && KEY_WORD.test(name.slice(prefix.length).toUpperCase())) {
      found.push({ start, end, kind: 'public-env-prefix', detail: prefix });
    }
  }
  return found;
}

// `dangerouslyAllowBrowser: true`, `"dangerouslyAllowBrowser": true`; matched from just after the name.
const OPTION_VALUE_TRUE = /[ \t\r\n]*:[ \t\r\n]*true(?![A-Za-z0-9_$])/y;
/** How far back to look for the call that receives the options object. */
const CALL_SEARCH_WINDOW = 2000;

function findBrowserOptIns(text: string): ClientExposure[] {
  const found: ClientExposure[] = [];
  let anthropicNames: Set<string> | undefined;
  const mentionsAnthropic = ANTHROPIC_NAME.test(text);
  // The search back for a callee never crosses the previous option, keeping many options in one file linear;
  // an option whose callee is out of reach is judged like the previous one (typically the same object).
  let previousEnd = 0;
  let previousCallee: Callee | undefined;
  for (let at = text.indexOf(OPTION_NAME); at >= 0; at = text.indexOf(OPTION_NAME, at + OPTION_NAME.length)) {
    const before = text[at - 1];
    const quote = before === '"' || before === "'" ? before : '';
    const start = at - quote.length;
    if (start > 0 && isIdentifierCode(text.charCodeAt(start - 1))) continue;
    let afterName = at + OPTION_NAME.length;
    if (quote) {
      if (text[afterName] !== quote) continue;
      afterName++;
    }
    OPTION_VALUE_TRUE.lastIndex = afterName;
    if (!OPTION_VALUE_TRUE.test(text)) continue;
    const end = OPTION_VALUE_TRUE.lastIndex;

    const callee = calleeOfObjectAround(text, start, Math.max(previousEnd, start - CALL_SEARCH_WINDOW)) ?? previousCallee;
    previousEnd = end;
    previousCallee = callee;
    anthropicNames ??= namesImportedFromAnthropic(text);
    if (isAnthropicClient(callee, anthropicNames, mentionsAnthropic)) {
      found.push({ start, end, kind: 'dangerously-allow-browser', detail: callee?.name ?? '' });
    }
  }
  return found;
}

interface Callee {
  /** '' when the object literal is not an argument of a call (e.g. `const options = { … }`). */
  name: string;
  isConstructor: boolean;
}

/**
 * The other SDKs generated like Anthropic's (OpenAI, Groq, …) have the same option, so a `new X({…})` decides by
 * X: Anthropic-named or imported from `@anthropic-ai/…` counts, anything else does not. A plain function call or a
 * standalone options object counts when the file mentions Anthropic or Claude at all.
 */
function isAnthropicClient(callee: Callee | undefined, anthropicNames: Set<string>, mentionsAnthropic: boolean): boolean {
  if (callee?.name) {
    const rootName = callee.name.split('.')[0];
    if (ANTHROPIC_NAME.test(callee.name) || anthropicNames.has(rootName)) return true;
    if (callee.isConstructor) return false;
  }
  return mentionsAnthropic;
}

/**
 * Walks back from `from` to the `{` opening the object that holds the option, then to the call that object is
 * passed to. Brackets inside strings or comments may mislead it; it then gives up (undefined), which falls back
 * to the file-level judgement.
 */
function calleeOfObjectAround(text: string, from: number, limit: number): Callee | undefined {
  let depth = 0;
  let objectOpen = -1;
  for (let i = from - 1; i >= limit; i--) {
    const char = text[i];
    if (char === ')' || char === '}' || char === ']') depth++;
    else if (char === '(' || char === '{' || char === '[') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (objectOpen < 0 && char === '{') {
        objectOpen = i;
        continue;
      }
      if (objectOpen < 0) return undefined;
      return char === '(' ? calleeBeforeParen(text, i) : { name: '', isConstructor: false };
    } else if (objectOpen >= 0 && depth === 0 && (char === ';' || char === '=')) {
      // The object was assigned or stands alone, not passed to a call.
      return { name: '', isConstructor: false };
    }
  }
  return undefined;
}

const CALLEE_BEFORE_PAREN = /(?:\bnew[ \t\r\n]+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[ \t\r\n]*$/;

function calleeBeforeParen(text: string, paren: number): Callee {
  const match = CALLEE_BEFORE_PAREN.exec(text.slice(Math.max(0, paren - 200), paren));
  if (!match) return { name: '', isConstructor: false };
  return { name: match[1], isConstructor: /^new[ \t\r\n]/.test(match[0]) };
}

const ESM_IMPORT = /\bimport[ \t\r\n]+([^;'"]{0,500}?)[ \t\r\n]+from[ \t\r\n]*['"]@anthropic-ai\/[^'"]*['"]/g;
const CJS_REQUIRE = /\b(?:const|let|var)[ \t\r\n]+([^=;]{1,500}?)[ \t\r\n]*=[ \t\r\n]*require\([ \t\r\n]*['"]@anthropic-ai\/[^'"]*['"][ \t\r\n]*\)/g;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const NOT_BINDINGS = new Set(['as', 'type']);

/** Every name bound by an import or require of an `@anthropic-ai/…` package (`import Client from …`). */
function namesImportedFromAnthropic(text: string): Set<string> {
  const names = new Set<string>();
  if (!text.includes('@anthropic-ai/')) return names;
  for (const pattern of [ESM_IMPORT, CJS_REQUIRE]) {
    for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) {
      for (const name of match[1].match(IDENTIFIER) ?? []) if (!NOT_BINDINGS.has(name)) names.add(name);
    }
  }
  return names;
}
