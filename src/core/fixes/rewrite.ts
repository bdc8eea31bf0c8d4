// The text of every quick fix for a hardcoded key, as pure functions over (text, offsets): the editor turns the
// edits into one WorkspaceEdit, the CLI applies them to the file. Each returns undefined when it does not apply,
// and never guesses: a key the lexer cannot place, a construct that would not compile after the rewrite
// (a Go `const` block, a C# `const`, a PHP property default, a Rust `static`), or a language with no lookup
// gets no rewrite, and the caller falls back to "move to .env" alone or to a human.
//
// None of these functions stores the key: the caller must write it to the env file or Secret Storage first
// (envFile.ts plans that), because a fix never destroys a key it has not stored elsewhere.
//
// This module is the front door; the work lives along the seams the rewrites already had:
//   rewriters/<language>.ts   one file per language family: its lookup and what it must refuse
//   rewriters/common.ts       the site, the plan, and the helpers every language shares
//   apiKeyOption.ts, redaction.ts, suppressionComment.ts, variableNames.ts   the other fixes
// A language gets its rewriter from one table below, so adding one is a file plus a line.

import { setsEnvironmentVariable } from './envAssignment';
import type { FixLanguage } from './languages';
import { locateKey } from './lexer';
import { ENV_NAME, type FixPlan, type RewriteOptions, type Rewriter } from './rewriters/common';
import { rewriteCSharp } from './rewriters/csharp';
import { rewriteDockerfile } from './rewriters/dockerfile';
import { rewriteGo } from './rewriters/go';
import { rewriteJava } from './rewriters/java';
import { rewriteJavaScript } from './rewriters/javascript';
import { rewriteKotlin } from './rewriters/kotlin';
import { rewritePhp } from './rewriters/php';
import { rewritePython } from './rewriters/python';
import { rewriteRuby } from './rewriters/ruby';
import { rewriteRust } from './rewriters/rust';
import { rewriteShell } from './rewriters/shell';
import { actionsNote, composeNote, rewriteYamlValue } from './rewriters/yaml';

export { createKeyLocator, keyLocation, locateKey, type KeyLocation, type KeyLocator } from './lexer';
export type { FixPlan, RewriteOptions } from './rewriters/common';
export { removeApiKeyOption } from './apiKeyOption';
export { redactKey } from './redaction';
export { addSuppressionComment } from './suppressionComment';
export { assignedNameAt, renamePublicVariable, renamePublicVariableEdits, variableNameFor } from './variableNames';

/**
 * Replaces the key with the language's environment lookup of `variable`: the whole literal, quotes included,
 * when the string is just the key; only the key, spliced in with the language's interpolation or concatenation,
 * when it is part of a larger string. Adds the import the lookup needs when the file lacks it.
 */
export function rewriteToEnvLookup(
  text: string,
  keyStart: number,
  keyEnd: number,
  variable: string,
  language: FixLanguage,
  options: RewriteOptions = {},
): FixPlan | undefined {
  if (!ENV_NAME.test(variable) || keyStart < 0 || keyEnd > text.length || keyStart >= keyEnd) return undefined;
  const rewriter = REWRITERS[language];
  if (!rewriter) return undefined;
  const location = locateKey(options.locator, text, keyStart, keyEnd, language);
  // A lookup means something only in code or a string; in a comment, a regex literal, the code of an
  // interpolation, PHP's HTML or a string the lexer could not delimit it would be text, or break the code.
  if (location.kind !== 'string' && location.kind !== 'bare' && location.kind !== 'heredoc') return undefined;
  // The value this code assigns to an environment variable: a lookup would assign the variable to itself (F22).
  if (setsEnvironmentVariable(text, keyStart, location, language)) return undefined;
  return rewriter({ text, keyStart, keyEnd, variable, location, options });
}

const REWRITERS: Partial<Record<FixLanguage, Rewriter>> = {
  javascript: rewriteJavaScript,
  python: rewritePython,
  go: rewriteGo,
  java: rewriteJava,
  kotlin: rewriteKotlin,
  csharp: rewriteCSharp,
  ruby: rewriteRuby,
  php: rewritePhp,
  rust: rewriteRust,
  shell: rewriteShell,
  dockerfile: rewriteDockerfile,
  compose: (site) => rewriteYamlValue(site, '${' + site.variable + '}', composeNote(site.variable)),
  'github-actions': (site) =>
    site.variable.toUpperCase().startsWith('GITHUB_')
      ? undefined // GitHub reserves the GITHUB_ prefix for its own secrets
      : rewriteYamlValue(site, '${{ secrets.' + site.variable + ' }}', actionsNote(site.variable)),
};
