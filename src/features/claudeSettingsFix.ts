// Quick fixes for a key in Claude Code's settings (issue 13), a provider of its own beside the main key fixes: the
// key cannot be replaced by an environment lookup there (JSON has none), so it moves to where Claude Code reads it
// without committing it. The planning, the storing and every check are in core (src/core/fixes/claudeSettings.ts);
// this file offers the actions and applies the settings.json edit as one WorkspaceEdit (one undo), only after the
// key is stored and read back, and only if the document still holds the text the plan was made on.
//
// - `.claude/settings.json`: "Move key to .claude/settings.local.json" (made git-ignored first), or, for an API key,
//   "Replace key with an apiKeyHelper" that prints it from the environment, the key kept in Secret Storage.
// - `.claude/settings.local.json` that git would commit: "Add .claude/settings.local.json to .gitignore".
import * as vscode from 'vscode';
import { classifyAgentFile } from '../core/agentFiles';
import { describeCredential } from '../core/credentials';
import {
  ClaudeSettingsError,
  apiKeyHelperCommand,
  helperFitsKind,
  localSettingsPath,
  planApiKeyHelper,
  planRemoveEnvEntry,
  settingsEnvEntryAt,
  storeInLocalSettings,
} from '../core/fixes/claudeSettings';
import type { TextEdit } from '../core/fixes/edits';
import { ensureGitIgnores } from '../core/fixes/ignoreFile';
import type { GitRunner } from '../core/git';
import { keyHint } from '../core/hint';
import { isOurDiagnostic } from './diagnosticComputer';
import type { KeyMessages } from './keyCommands';
import type { KeyVault } from './keyVault';

const MOVE_COMMAND = 'anthropicKeyHygiene.moveKeyToClaudeLocalSettings';
const HELPER_COMMAND = 'anthropicKeyHygiene.useClaudeApiKeyHelper';
const IGNORE_COMMAND = 'anthropicKeyHygiene.ignoreClaudeLocalSettings';

/** A key's place, as the commands receive it: a location, never the key. */
export interface ClaudeSettingsFixArgs {
  uri: vscode.Uri;
  range: vscode.Range;
}

export interface ClaudeSettingsFixResult {
  ok: boolean;
  message: string;
}

export interface ClaudeSettingsFixDependencies {
  git: GitRunner;
  vault: KeyVault;
  messages: KeyMessages;
}

class ClaudeSettingsCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const kind = classifyAgentFile(document.uri.path);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (!isOurDiagnostic(diagnostic, 'hardcoded-key')) continue;
      const args: ClaudeSettingsFixArgs = { uri: document.uri, range: diagnostic.range };
      if (kind === 'claude-local-settings') {
        actions.push(action(vscode.l10n.t('Add .claude/settings.local.json to .gitignore'), diagnostic, IGNORE_COMMAND, args, true));
        continue;
      }
      if (kind !== 'claude-settings') continue;
      const site = siteOf(document, diagnostic.range);
      if (!site) continue;
      const move = action(vscode.l10n.t('Move key to .claude/settings.local.json (git-ignored)'), diagnostic, MOVE_COMMAND, args, true);
      // Whether git tracks settings.local.json decides whether the key may go there: unknown where git may not run.
      if (!vscode.workspace.isTrusted) move.disabled = { reason: vscode.l10n.t('In an untrusted workspace git may not run, so whether settings.local.json would be committed is unknown.') };
      actions.push(move);
      if (helperFitsKind(site.kind) && planApiKeyHelper(document.getText(), site.entry, site.entry.name)) {
        const title = vscode.l10n.t('Replace key with an apiKeyHelper that prints ${0} (key kept in Secret Storage)', site.entry.name);
        actions.push(action(title, diagnostic, HELPER_COMMAND, args, false));
      }
    }
    return actions;
  }
}

function action(title: string, diagnostic: vscode.Diagnostic, command: string, args: ClaudeSettingsFixArgs, preferred: boolean): vscode.CodeAction {
  const codeAction = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  codeAction.diagnostics = [diagnostic];
  codeAction.isPreferred = preferred;
  codeAction.command = { command, title, arguments: [args] };
  return codeAction;
}

/** The env entry holding the key at `range`, and the key's kind; undefined when the key is anywhere else. */
function siteOf(document: vscode.TextDocument, range: vscode.Range) {
  const text = document.getText();
  const entry = settingsEnvEntryAt(text, document.offsetAt(range.start), document.offsetAt(range.end));
  const verdict = entry && describeCredential(entry.key);
  return entry && verdict ? { entry, kind: verdict.kind } : undefined;
}

/** Applies edits planned on `text` to the document, only if it still holds that text. */
async function applyIfUnchanged(document: vscode.TextDocument, text: string, edits: readonly TextEdit[]): Promise<boolean> {
  if (document.getText() !== text) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  return vscode.workspace.applyEdit(edit);
}

/** The folder a fix may write in: the document's workspace folder. */
function rootOf(uri: vscode.Uri): string | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
}

async function moveToLocalSettings(dependencies: ClaudeSettingsFixDependencies, args: ClaudeSettingsFixArgs): Promise<ClaudeSettingsFixResult> {
  const fail = (message: string): ClaudeSettingsFixResult => {
    void dependencies.messages.error(message);
    return { ok: false, message };
  };
  const document = await vscode.workspace.openTextDocument(args.uri);
  const text = document.getText();
  const site = siteOf(document, args.range);
  const root = rootOf(document.uri);
  if (!site || !root) return fail(vscode.l10n.t('The text at that place is no longer a key in the env block of the settings; nothing was changed.'));
  const edits = planRemoveEnvEntry(text, site.entry);
  if (!edits) return fail(vscode.l10n.t('The settings could not be edited without changing anything else; nothing was changed.'));
  const localPath = localSettingsPath(document.uri.fsPath);
  // An unsaved edit of the local settings would be overwritten by, or overwrite, the key written on disk.
  if (vscode.workspace.textDocuments.some((open) => open.uri.fsPath === localPath && open.isDirty)) {
    return fail(vscode.l10n.t('Save or revert .claude/settings.local.json first; nothing was changed.'));
  }
  try {
    await storeInLocalSettings(document.uri.fsPath, site.entry.name, site.entry.key, { git: dependencies.git, allowGit: vscode.workspace.isTrusted, root });
  } catch (error) {
    if (error instanceof ClaudeSettingsError || (error as Error).name === 'GitStateError') return fail((error as Error).message);
    throw error;
  }
  const hint = keyHint(site.entry.key);
  if (!(await applyIfUnchanged(document, text, edits))) {
    return fail(vscode.l10n.t('The key {0} is stored in .claude/settings.local.json, but .claude/settings.json changed meanwhile and was not edited. Run the fix again.', hint));
  }
  const message = vscode.l10n.t(
    'The key {0} moved to .claude/settings.local.json, which git ignores; Claude Code reads it from there as {1}. Save .claude/settings.json, and rotate the key if it was ever committed.',
    hint,
    site.entry.name,
  );
  void dependencies.messages.info(message);
  return { ok: true, message };
}

async function useApiKeyHelper(dependencies: ClaudeSettingsFixDependencies, args: ClaudeSettingsFixArgs): Promise<ClaudeSettingsFixResult> {
  const fail = (message: string): ClaudeSettingsFixResult => {
    void dependencies.messages.error(message);
    return { ok: false, message };
  };
  const document = await vscode.workspace.openTextDocument(args.uri);
  const text = document.getText();
  const site = siteOf(document, args.range);
  if (!site || !helperFitsKind(site.kind)) return fail(vscode.l10n.t('The text at that place is no longer an API key in the env block of the settings; nothing was changed.'));
  const { vault } = dependencies;
  const key = site.entry.key;
  const hint = keyHint(key);
  // The name the key is kept under, which the helper prints: the entry's own name, or a free one beside it.
  let name: string | undefined;
  for (const candidate of [site.entry.name, ...Array.from({ length: 98 }, (_, i) => `${site.entry.name}_${i + 2}`)]) {
    const held = vault.get(candidate) ? await vault.getSecret(candidate) : undefined;
    if (held === undefined || held === key) {
      name = candidate;
      break;
    }
  }
  if (!name) return fail(vscode.l10n.t('No free name to keep the key under in Secret Storage; nothing was changed.'));
  const edits = planApiKeyHelper(text, site.entry, name);
  if (!edits) return fail(vscode.l10n.t('The settings could not be edited without changing anything else (or they name an apiKeyHelper already); nothing was changed.'));
  // First the key goes somewhere safe: Secret Storage, read back by the vault.
  if ((await vault.getSecret(name)) !== key) {
    const stored = await vault.store({ name, environment: 'development', hint, storedAt: new Date().toISOString() }, key);
    if (!stored.ok) return fail(vscode.l10n.t('The key {0} could not be stored, so the settings were not changed: {1}', hint, stored.error));
  }
  if (!(await applyIfUnchanged(document, text, edits))) {
    return fail(vscode.l10n.t('The key {0} is stored in Secret Storage as {1}, but .claude/settings.json changed meanwhile and was not edited. Run the fix again.', hint, name));
  }
  const message = vscode.l10n.t(
    'The key {0} is kept in Secret Storage as {1}, and Claude Code now runs "{2}" to get it. Turn on Use Stored Key in Terminals so the terminals Claude Code runs in have ${1}. Save .claude/settings.json, and rotate the key if it was ever committed.',
    hint,
    name,
    apiKeyHelperCommand(name),
  );
  void dependencies.messages.info(message);
  return { ok: true, message };
}

async function ignoreLocalSettings(dependencies: ClaudeSettingsFixDependencies, args: ClaudeSettingsFixArgs): Promise<ClaudeSettingsFixResult> {
  const root = rootOf(args.uri);
  const fail = (message: string): ClaudeSettingsFixResult => {
    void dependencies.messages.error(message);
    return { ok: false, message };
  };
  if (!root) return fail(vscode.l10n.t('The file is not in a workspace folder; nothing was changed.'));
  // Adding the line is safe even where git may not run (it is checked against the .gitignore files then); a file git
  // tracks needs untracking too, which the message says.
  const outcome = await ensureGitIgnores(args.uri.fsPath, { git: dependencies.git, allowGit: vscode.workspace.isTrusted, fallbackRoot: root, allowTracked: true, allowUnknownTracking: true });
  if (outcome.status === 'refused') return fail(vscode.l10n.t('.claude/settings.local.json could not be git-ignored ({0}); nothing was changed.', outcome.detail ?? outcome.reason));
  const tracked = outcome.state.tracked;
  const message = tracked
    ? vscode.l10n.t('.claude/settings.local.json is now git-ignored, but git still tracks it: stop tracking it (git rm --cached) and rotate every key it held.')
    : vscode.l10n.t('.claude/settings.local.json is now git-ignored.');
  void dependencies.messages.info(message);
  return { ok: true, message };
}

export function registerClaudeSettingsFixes(dependencies: ClaudeSettingsFixDependencies): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file', pattern: '**/.claude/{settings,settings.local}.json' }, new ClaudeSettingsCodeActionProvider(), {
      providedCodeActionKinds: ClaudeSettingsCodeActionProvider.providedCodeActionKinds,
    }),
    vscode.commands.registerCommand(MOVE_COMMAND, (args: ClaudeSettingsFixArgs) => moveToLocalSettings(dependencies, args)),
    vscode.commands.registerCommand(HELPER_COMMAND, (args: ClaudeSettingsFixArgs) => useApiKeyHelper(dependencies, args)),
    vscode.commands.registerCommand(IGNORE_COMMAND, (args: ClaudeSettingsFixArgs) => ignoreLocalSettings(dependencies, args)),
  );
}
