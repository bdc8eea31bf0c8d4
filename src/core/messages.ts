// Message texts of the file-level rules. They name what is wrong and what to do; none carries a key.
import type { RuleId } from './findings';

export function envFileMessage(ruleId: Extract<RuleId, 'unignored-env-file' | 'tracked-env-file'>): string {
  return ruleId === 'tracked-env-file'
    ? 'This .env file is git-ignored but still tracked, so git keeps committing it. Run `git rm --cached` on it (the file stays on disk) and rotate any key it held.'
    : 'This .env file is not covered by .gitignore, so git would commit it. Add it to .gitignore.';
}

/** Where each rule is explained; the diagnostics' `code.target`. */
export function ruleDocsUrl(ruleId: RuleId): string {
  return `https://github.com/key-hygiene/anthropic-key-hygiene/blob/main/docs/rules.md#${ruleId}`;
}
