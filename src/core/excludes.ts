// Glob exclusions (the editor's files.exclude and anthropicKeyHygiene.exclude, the CLI's --exclude) as one predicate
// over paths relative to the scanned folder, in the glob syntax VS Code documents: `*`, `**`, `?`, `[...]` (with `!`
// to negate) and `{a,b}`. The globs of a workspace's own .vscode/settings.json are input the scan does not control,
// so they are matched by glob.ts in linear time: picomatch, used before, compiled `**/a*a*a*a*a*a*a*a*a*a*b` to a
// regular expression that did not finish within a minute on a 100-character file name (issue 12 #18).
import { compileGlobWithLiteral, foldText, globAcceptsPathOrFolder, type NfaState } from './glob';

/** Alternatives one glob may expand to through its braces; a glob expanding to more is not applied (scanning a file
 * it meant to exclude is the safe way to fail, and `{a,b}{c,d}…` grows exponentially). */
const MAX_BRACE_EXPANSIONS = 256;

/** The globs `{a,b}` stands for (nested braces too; `\{` is literal); undefined beyond MAX_BRACE_EXPANSIONS. */
export function expandBraces(glob: string): string[] | undefined {
  // The first top-level `{…}` holding a comma, by position; its alternatives are split at top-level commas.
  let open = -1;
  let depth = 0;
  const commas: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') {
      i++;
    } else if (char === '{') {
      if (depth === 0) {
        open = i;
        commas.length = 0;
      }
      depth++;
    } else if (char === ',' && depth === 1) {
      commas.push(i);
    } else if (char === '}' && depth > 0) {
      depth--;
      if (depth === 0 && commas.length > 0) {
        const head = glob.slice(0, open);
        const tail = glob.slice(i + 1);
        const bounds = [open, ...commas, i];
        const expanded: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
          const more = expandBraces(head + glob.slice(bounds[k] + 1, bounds[k + 1]) + tail);
          if (!more || expanded.length + more.length > MAX_BRACE_EXPANSIONS) return undefined;
          expanded.push(...more);
        }
        return expanded;
      }
    }
  }
  return [glob];
}

export function createExcludeMatcher(globs: readonly string[]): ((relativePath: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  // Each automaton with the literal text any path it matches must hold: most paths are settled by that search.
  const automata: Array<{ nfa: NfaState[]; literal: string }> = [];
  for (const glob of globs) {
    for (const expanded of expandBraces(glob) ?? []) {
      // A trailing `/` names a folder; folders are matched as path prefixes below, so it changes nothing.
      const alternative = expanded.endsWith('/') && expanded.length > 1 ? expanded.slice(0, -1) : expanded;
      // `dir/**` excludes the folder itself too, as VS Code (and picomatch, used before) read it.
      const forms = alternative.endsWith('/**') ? [alternative, alternative.slice(0, -3)] : [alternative];
      for (const form of forms) {
        const compiled = compileGlobWithLiteral(form);
        if (compiled) automata.push(compiled);
      }
    }
  }
  // A glob like `**/node_modules` names a folder: everything beneath it is excluded too.
  return (relativePath) => {
    const folded = foldText(relativePath);
    return automata.some(({ nfa, literal }) => folded.includes(literal) && globAcceptsPathOrFolder(nfa, relativePath));
  };
}
