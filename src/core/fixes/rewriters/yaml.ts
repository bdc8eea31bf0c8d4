// YAML that reads variables itself: docker compose `${NAME}` and GitHub Actions `${{ secrets.NAME }}`.

import { lineBefore, plan, replace, type FixPlan, type Site } from './common';

export function rewriteYamlValue(site: Site, lookup: string, note: string): FixPlan | undefined {
  const { text, keyStart, keyEnd, location } = site;
  if (location.kind === 'string') return plan([replace(keyStart, keyEnd, lookup)], lookup, note);
  if (location.kind !== 'bare') return undefined;
  // In a flow collection ({…} or […]) braces are indicators, so the lookup goes in quotes.
  const before = lineBefore(text, keyStart);
  const inFlow = (before.match(/[{[]/g) ?? []).length > (before.match(/[}\]]/g) ?? []).length;
  return plan([replace(keyStart, keyEnd, inFlow ? `"${lookup}"` : lookup)], lookup, note);
}

export function composeNote(variable: string): string {
  return `docker compose substitutes \${${variable}} from the shell environment or from the .env file in the project directory (next to the compose file).`;
}

export function actionsNote(variable: string): string {
  return `Add the key as a repository or environment secret named ${variable} (Settings → Secrets and variables → Actions, or gh secret set ${variable}).`;
}
