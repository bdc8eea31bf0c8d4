// Every text a finding carries, as an id plus named arguments. The engine never builds a sentence itself: the CLI
// formats these templates in English, the editor hands the same template to vscode.l10n.t so Problems-panel text
// is translatable like the rest of the UI (the English template is the translation key, as l10n.t expects).
//
// Decisions:
// - Named placeholders (`{hint}`), which vscode.l10n.t supports, so a translator can reorder them.
// - Arguments are never secrets: a key appears only as its hint. A credential kind is passed as `kind` and
//   turned into a translatable label (`{credential}`) here, so no English phrase is glued into a translated one.
// - The unit tests check that every template's placeholders are exactly the arguments its builders pass.
import type { CredentialKind } from './findings';

/** The English templates, by message id. Placeholders: `{name}`, filled from the message's arguments. */
export const MESSAGE_TEMPLATES = {
  'hardcoded-key': 'Hardcoded {credential} {hint}. Move it to a git-ignored .env file or Secret Storage and read it from {variable}.',
  'hardcoded-key.off-shape':
    'Possible hardcoded {credential} {hint}: it has the key prefix but not the published format (93 characters, then AA): it runs on past the key or was altered, or it is a false positive. If it is real, move it to a git-ignored .env file or Secret Storage and read it from {variable}.',
  'hardcoded-key.unpublished-shape':
    'Possible hardcoded {credential} {hint}. Anthropic does not publish the length of these tokens, so it is matched by shape and may be a false positive. If it is real, move it to a git-ignored .env file or Secret Storage and read it from {variable}.',
  'hardcoded-key.env-file.unignored':
    '{credential} {hint} in an env file that git would commit. Keep the key here but the file out of git: add the file to .gitignore, and rotate the key if the file was ever committed.',
  'hardcoded-key.env-file.tracked':
    '{credential} {hint} in an env file that git still tracks. Keep the key here but stop tracking the file (git rm --cached; it stays on disk), and rotate the key: earlier commits hold it.',
  'hardcoded-key.env-file':
    '{credential} {hint} in an env file. Keep the key here but the file out of git: make sure .gitignore covers it and git does not track it, and rotate the key if the file was ever committed.',
  'hardcoded-key.template':
    '{credential} {hint} in an env template. Templates are committed and shared: replace the value with a placeholder, and rotate the key if this file was ever committed.',
  // A key in another form (src/core/base64Keys.ts, and the split keys of credentials.ts): a warning that names it.
  'hardcoded-key.base64':
    'Base64 of an {credential} ({hint}): anyone who decodes it has the key. Keep the key out of this file (in a git-ignored .env file, Secret Storage or a secrets manager), and rotate it if this file was ever committed.',
  'hardcoded-key.split':
    '{credential} {hint}, split into pieces (across lines, or in adjacent string literals) that join to a whole key. Move it to a git-ignored .env file or Secret Storage and read it from {variable}; rotate it if this file was ever committed.',
  // A key in a coding agent's configuration (src/core/agentFiles.ts): why that file is special, and what to use instead.
  'hardcoded-key.claude-settings':
    "{credential} {hint} in Claude Code's project settings (.claude/settings.json), which is meant to be committed: everyone who clones the repository gets the key. Move it to .claude/settings.local.json (git-ignored) or replace it with an apiKeyHelper command that reads it from the environment, and rotate it if this file was ever committed.",
  'hardcoded-key.claude-local-settings':
    "{credential} {hint} in .claude/settings.local.json, which git would commit: Claude Code means this file to stay on your machine. Add it to .gitignore, and rotate the key if the file was ever committed.",
  'hardcoded-key.mcp-config':
    "{credential} {hint} in an MCP server configuration, whose env block is plain text and usually committed or shared. Reference an environment variable instead (such as {variable}) and keep the key out of the file; rotate it if this file was ever committed.",
  'hardcoded-key.claude-credentials':
    "{credential} {hint} in a copy of Claude Code's credential store (.credentials.json), which must never be in a repository. Stop tracking it (git rm --cached) and git-ignore it, then log out of Claude Code (/logout) and log in again so the token is replaced.",
  'unignored-env-file': 'This .env file is not covered by .gitignore, so git would commit it. Add it to .gitignore.',
  'tracked-env-file':
    'This .env file is tracked, so git keeps committing it, whatever .gitignore says. Run `git rm --cached` on it (the file stays on disk), make sure .gitignore covers it, and rotate any key it held.',
  'tracked-env-file.staged-unignored':
    'This .env file is staged, so this commit would add it to the repository. Unstage it with `git rm --cached` (the file stays on disk) and add it to .gitignore.',
  'tracked-env-file.staged':
    'This .env file is git-ignored but staged, so this commit would record it anyway. Unstage it with `git rm --cached` (the file stays on disk), and rotate any key it held if it was committed before.',
  // A baselined key that --verify found live (src/core/baselineVerify.ts); {detail} is the key check's own sentence.
  'hardcoded-key.baselined-live':
    '{credential} {hint} is accepted in the baseline, but the Anthropic API says it is live: {detail} A live key is never accepted: rotate it, then take it out of the file.',
  // The editor's note on a finding a baseline accepts (src/core/baseline.ts), shown greyed; {name} is the baseline file.
  'baseline.accepted': 'Accepted in the baseline {name}.',
  'client-exposed-key.browser-opt-in':
    'This Anthropic client is created with dangerouslyAllowBrowser: true, so its API key is sent from the browser, where anyone can read it. Call Anthropic from your server or a backend proxy and keep the key there.',
  'client-exposed-key.public-prefix':
    '{name} has the {prefix} prefix, so {bundler} exposes its value to browser code, where anyone can read the key. Rename it to a server-only name such as {serverName}, read it only in server code, and rotate the key if it has already shipped.',
  // Why `fix` left a key for a human (src/core/fixes/plan.ts, NeedsHumanReason; engine.ts adds changed-on-disk).
  'fix.env-template': 'env template: replace the value with a placeholder, and rotate the key if this file was ever committed',
  'fix.env-file': 'the key is in an env file, where keys belong: keep the file out of git (add it to .gitignore, or stop tracking it with git rm --cached)',
  'fix.not-utf8': 'the file is not UTF-8 text, so it is not rewritten',
  'fix.too-large': 'the file is too large to rewrite safely; move the key by hand',
  'fix.notebook': 'the key is not in a code or Markdown cell that can be rewritten (an output, or a cell the Python rewrite refuses); fix the cell in the editor',
  'fix.no-lookup-config': 'no environment lookup in this file type: move the key to .env and load it in code, or use a placeholder',
  'fix.dockerfile-not-env': 'only keys in ENV and ARG instructions are moved; pass this one as a build secret by hand',
  'fix.string-spans-lines': 'the key is in a string that spans lines or could not be delimited; rewrite it by hand',
  'fix.not-in-string': 'the key is not in a string literal; rewrite it by hand',
  'fix.no-safe-rewrite': 'no rewrite keeps what the code means here (a constant, a case label, a type, a regular expression…); rewrite it by hand',
  'fix.rewrite-not-exact': 'the rewrite did not remove exactly this key, so it was not applied',
  'fix.syntax-would-break': 'the rewritten file would no longer parse, or the lookup would land where code does not run (a type), so it was not applied',
  'fix.sdk-variable-taken':
    '{variable} already holds a different key and the SDK reads only that name: replace it there (the old value is kept) or keep the option',
  'fix.sets-env-variable':
    'this code sets the variable: load it from .env instead (dotenv, python-dotenv, or `dotenv` in .envrc) and delete the assignment; a lookup here would assign the variable to itself',
  'fix.no-api-key-option': 'the key is not the apiKey option of an Anthropic client, so there is no option to remove',
  'fix.not-a-key': 'the text at this position is no longer a key',
  'fix.encoded-key': 'the key is written in another form (base64, or split into pieces), which no rewrite can replace: take it out by hand and rotate it',
  'fix.changed-on-disk': 'the file changed while the fix was being prepared, so it was left as it is (its key is stored); run the fix again',
  'fix.not-stored': 'the key could not be stored, so the file was left as it is: {detail}',
  'fix.not-written': 'the key is stored, but the file could not be rewritten, so it still holds the key: {detail}',
  'fix.not-planned': 'the fix could not be planned for this file, so nothing was changed: {detail}',
  // A key in a file's or folder's name (src/core/nameFindings.ts): git commits and pushes the name like the contents.
  'hardcoded-key.file-name':
    '{credential} {hint} is in the name of this file or of a folder above it ({name}). git commits and pushes a name like the contents, and no edit of the file removes it: rename it without the key, and rotate the key if the name was ever committed.',
  // A key found in git history (src/core/history/): where the first commit that holds it put it, and whether that
  // commit is pushed. One template per case, so no English phrase is glued into a translated one.
  'hardcoded-key.history.pushed':
    '{credential} {hint} was committed in {commit} ({date}, "{subject}"), and that commit is pushed to {remoteBranch}: the key is in every clone. Rotate it: create a new key, update every application, then revoke this one.',
  'hardcoded-key.history.unpushed':
    '{credential} {hint} was committed in {commit} ({date}, "{subject}"), which is not pushed yet. Take the key out of the unpushed commits before you push (amend or rebase them), and rotate it if it was shared anywhere else.',
  'hardcoded-key.history.message.pushed':
    '{credential} {hint} is in the message of commit {commit} ({date}, "{subject}"), and that commit is pushed to {remoteBranch}: the key is in every clone. Rotate it: create a new key, update every application, then revoke this one.',
  'hardcoded-key.history.message.unpushed':
    '{credential} {hint} is in the message of commit {commit} ({date}, "{subject}"), which is not pushed yet. Reword the commit (git rebase -i, "reword") before you push, and rotate the key if it was shared anywhere else.',
  'hardcoded-key.history.rotated':
    '{credential} {hint} was committed in {commit} ({date}, "{subject}"); you rotated it on {rotatedOn}. History cannot be changed, but once the old key is revoked, this copy is harmless.',
  // Keys a push sends outside any commit (src/core/history/refScan.ts): in a ref's name, in an annotated tag's message.
  'hardcoded-key.history.ref-name':
    "{credential} {hint} is in the name of the ref {ref}. git push sends a ref's name as it is: rename or delete the ref (git branch -m, git tag -d) before you push it, and rotate the key if the ref was ever pushed.",
  'hardcoded-key.history.ref-name.pushed':
    '{credential} {hint} is in the name of the remote-tracking branch {ref}: the remote has a branch named with the key. Rotate it: create a new key, update every application, then revoke this one; then delete that branch on the remote.',
  'hardcoded-key.history.tag-message':
    '{credential} {hint} is in the message of the annotated tag {ref}. git push sends a tag with its message: delete the tag (git tag -d) and tag again without the key before you push it, and rotate the key if the tag was ever pushed.',
  'hardcoded-key.history.ref.rotated':
    '{credential} {hint} is in {ref}; you rotated it on {rotatedOn}. Once the old key is revoked this copy is harmless, but rename or delete the ref all the same.',
  // The hardcoded-key diagnostic of a key that is also in history (src/core/history/historyIndex.ts).
  'hardcoded-key.in-history.pushed':
    '{credential} {hint} is already in commit {commit} (pushed to {remoteBranch}, {age}): moving it is not enough, rotate it.',
  'hardcoded-key.in-history.unpushed':
    '{credential} {hint} is already in commit {commit} (not pushed yet, {age}): take it out of the unpushed commits before you push, or rotate it.',
  'hardcoded-key.in-history.rotated':
    '{credential} {hint} is in commit {commit} ({age}); you rotated it on {rotatedOn}. Move it out of the file all the same.',
} as const;

export type MessageId = keyof typeof MESSAGE_TEMPLATES;

/** Argument values are plain text (hints, names, paths); `kind` is a credential kind, shown as its label. */
export type MessageArgs = Readonly<Record<string, string>>;

export interface Message {
  id: MessageId;
  args: MessageArgs;
}

/** The label of each credential kind, itself a template (without placeholders) so the editor translates it. */
export const CREDENTIAL_LABELS: Record<CredentialKind, string> = {
  'api-key': 'Anthropic API key',
  'admin-key': 'Anthropic Admin API key',
  'oauth-access-token': 'Anthropic OAuth access token',
  'oauth-refresh-token': 'Anthropic OAuth refresh token',
  'session-key': 'Anthropic session key',
  'other-token': 'Anthropic credential',
};

/** How long ago something happened, by whole days (`days` argument): each a template, so the editor translates it. */
export const AGE_LABELS = { today: 'today', oneDay: '1 day ago', days: '{days} days ago' } as const;

/** Turns a template and its arguments into text: vscode.l10n.t in the editor, English substitution elsewhere. */
export type Translate = (template: string, args: Record<string, string>) => string;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** English: fills `{name}` from `args`; an unknown placeholder stays as written (the tests catch that). */
export const english: Translate = (template, args) => {
  const parts = COMPILED_TEMPLATES.get(template);
  if (parts === undefined) return template.replace(PLACEHOLDER, (whole, name: string) => args[name] ?? whole);
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) text += (args[parts[i]] ?? `{${parts[i]}}`) + parts[i + 1];
  return text;
};

/**
 * This module's templates cut at their placeholders once, as [text, name, text, name, …, text]: a finding's message
 * is formatted on every rescan of a document, and a replace with a callback per message cost more than finding the
 * key. Only these constant templates, so the table never grows.
 */
const COMPILED_TEMPLATES = new Map<string, string[]>(
  [...Object.values(MESSAGE_TEMPLATES), ...Object.values(CREDENTIAL_LABELS), ...Object.values(AGE_LABELS)].map((template) => [
    template,
    template.split(new RegExp(PLACEHOLDER.source)),
  ]),
);

/** The message as text, translated by `translate` (English by default). */
export function formatMessage(message: Message, translate: Translate = english): string {
  const args: Record<string, string> = { ...message.args };
  const kind = message.args.kind as CredentialKind | undefined;
  if (kind !== undefined && kind in CREDENTIAL_LABELS) {
    const label = translate(CREDENTIAL_LABELS[kind], {});
    // A sentence that starts with the label capitalises it (labels start with a capital in English already).
    args.credential = label;
  }
  // A `days` argument (a whole number) is shown as `{age}`: "today", "1 day ago", "14 days ago", each translatable.
  const days = message.args.days;
  if (days !== undefined) {
    args.age = translate(days === '0' ? AGE_LABELS.today : days === '1' ? AGE_LABELS.oneDay : AGE_LABELS.days, { days });
  }
  return translate(MESSAGE_TEMPLATES[message.id], args);
}

/** The placeholders a template uses, for the tests. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}
