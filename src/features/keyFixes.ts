// Quick fixes for the hygiene diagnostics, and source.fixAll. The rewrite texts come from the pure table in
// src/core/fixes; this file only finds the files involved (.env, .gitignore), turns plans into one
// WorkspaceEdit per fix (one undo reverts everything), and runs the steps no edit can do (Secret Storage,
// `git rm --cached`).
//
// The rule that outranks all others: a fix never removes a key it has not stored elsewhere first. The .env
// fixes append the key to the .env on disk and read it back before the WorkspaceEdit that rewrites the
// source (so undo restores the code and the key stays stored); the Secret Storage fix writes (and reads back)
// the secret before it edits anything.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describeCredential } from '../core/credentials';
import { mergeEdits, type TextEdit } from '../core/fixes/edits';
import { planEnvEntry, planGitignoreEntry } from '../core/fixes/envFile';
import { fixLanguageFor } from '../core/fixes/languages';
import { addSuppressionComment, assignedNameAt, keyLocation, redactKey, removeApiKeyOption, renamePublicVariable, renamePublicVariableEdits, rewriteToEnvLookup, variableNameFor } from '../core/fixes/rewrite';
import type { CredentialKind, RuleId } from '../core/findings';
import type { GitRunner } from '../core/git';
import { keyHint } from '../core/hint';
import { ruleDocsUrl } from '../core/rules';
import { fileGitState } from '../core/workspaceScan';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnostics';
import type { KeyVault } from './keyVault';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('anthropicKeyHygiene');
/** Project markers: a .env belongs at the root of the package that reads it. */
const PACKAGE_MARKERS = ['package.json', 'pyproject.toml', 'requirements.txt', 'go.mod', 'Cargo.toml', 'Gemfile', 'composer.json', 'pom.xml', 'build.gradle'];

type FixKind = 'moveToEnv' | 'removeApiKeyOption' | 'redact' | 'fixAll';

interface KeyFixArgs {
  uri: vscode.Uri;
  ranges: vscode.Range[];
  fix: FixKind;
}

/** A fix that stores keys runs as a command: the key is written to disk (and read back) before any edit. */
function keyFixAction(title: string, kind: vscode.CodeActionKind, document: vscode.TextDocument, fix: FixKind, ranges: vscode.Range[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, kind);
  action.command = { command: 'anthropicKeyHygiene.applyKeyFix', title, arguments: [{ uri: document.uri, ranges, fix } satisfies KeyFixArgs] };
  return action;
}

interface KeySite {
  key: string;
  kind: CredentialKind;
  start: number;
  end: number;
}

export interface KeyFixDependencies {
  git: GitRunner;
  vault: KeyVault;
}

export class KeyFixProvider implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly dependencies: KeyFixDependencies) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    const wantsFixAll = context.only !== undefined && context.only.intersects(FIX_ALL_KIND) && !context.only.intersects(vscode.CodeActionKind.QuickFix);
    if (wantsFixAll) {
      // "Fix all" and fix-on-save: every key in the file, each moved to the .env.
      return this.fixAllAction(document);
    }
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      switch (ruleIdOf(diagnostic) as RuleId) {
        case 'hardcoded-key':
          actions.push(...this.keyActions(document, diagnostic));
          break;
        case 'unignored-env-file':
          actions.push(this.command(vscode.l10n.t('Add {0} to .gitignore', baseName(document.uri)), diagnostic, 'anthropicKeyHygiene.addToGitignore', [{ uri: document.uri }], true));
          break;
        case 'tracked-env-file':
          if (vscode.workspace.isTrusted) {
            actions.push(this.command(vscode.l10n.t('Stop tracking {0} (git rm --cached)', baseName(document.uri)), diagnostic, 'anthropicKeyHygiene.stopTracking', [{ uri: document.uri }], true));
          }
          break;
        case 'client-exposed-key':
          actions.push(...this.exposureActions(document, diagnostic));
          break;
      }
    }
    return actions;
  }

  private keyActions(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const site = siteOf(document, diagnostic.range);
    if (!site) return [];
    const text = document.getText();
    const language = fixLanguageFor(document.fileName, document.languageId);
    const options = { fileName: document.fileName, languageId: document.languageId };
    const name = variableNameFor(site.kind, assignedNameAt(text, site.start));
    const lookup = rewriteToEnvLookup(text, site.start, site.end, name, language, options);
    const actions: vscode.CodeAction[] = [];
    const fixAction = (title: string, fix: FixKind, preferred = false) => {
      const action = keyFixAction(title, vscode.CodeActionKind.QuickFix, document, fix, [diagnostic.range]);
      action.diagnostics = [diagnostic];
      action.isPreferred = preferred;
      actions.push(action);
    };
    // A notebook cell's path is its notebook's, so the .env lands beside the notebook.
    const inFile = document.uri.scheme === 'file' || document.uri.scheme === 'vscode-notebook-cell';
    if (inFile) {
      fixAction(
        lookup
          ? vscode.l10n.t('Move key to .env and read it from {0}', name)
          : vscode.l10n.t('Move key to .env as {0} and redact it here (this file type has no environment lookup: load {0} in your code)', name),
        'moveToEnv',
        true,
      );
      if (removeApiKeyOption(text, site.start, site.end, language, site.kind)) {
        fixAction(vscode.l10n.t('Move key to .env and remove the apiKey option (the SDK reads ANTHROPIC_API_KEY)'), 'removeApiKeyOption');
      }
      if (language === 'prose' || keyLocation(text, site.start, site.end, language).kind === 'comment') {
        fixAction(vscode.l10n.t('Move key to .env and redact it here'), 'redact');
      }
    }
    if (lookup) {
      // The key goes to Secret Storage first (the command stores, reads back, then edits).
      actions.push(
        this.command(vscode.l10n.t('Store key in Secret Storage and read it from {0}', name), diagnostic, 'anthropicKeyHygiene.moveKeyToSecretStorage', [
          { uri: document.uri, range: diagnostic.range, name },
        ]),
      );
    }
    const suppression = addSuppressionComment(text, site.start, language, options);
    if (suppression) {
      const action = new vscode.CodeAction(vscode.l10n.t('Ignore this key here (anthropic-key-hygiene-ignore)'), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of suppression.edits) action.edit.replace(document.uri, rangeOf(document, edit), edit.newText);
      actions.push(action);
    }
    return actions;
  }

  private exposureActions(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const name = document.getText(diagnostic.range);
    const rename = renamePublicVariableEdits(document.getText(), name);
    if (rename) {
      // The title is built here, not taken from core's English plan title, so that it is translated.
      const title = vscode.l10n.t('Rename {0} to {1} (server-only)', name, renamePublicVariable(name) ?? name);
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of rename.edits) action.edit.replace(document.uri, rangeOf(document, edit), edit.newText);
      actions.push(action);
    }
    actions.push(
      this.command(vscode.l10n.t('Learn how to call Anthropic from a server instead'), diagnostic, 'vscode.open', [vscode.Uri.parse(ruleDocsUrl('client-exposed-key'))]),
    );
    return actions;
  }

  private fixAllAction(document: vscode.TextDocument): vscode.CodeAction[] {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'vscode-notebook-cell') return [];
    const ranges = vscode.languages
      .getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && ruleIdOf(diagnostic) === 'hardcoded-key')
      .map((diagnostic) => diagnostic.range);
    if (ranges.length === 0) return [];
    return [keyFixAction(vscode.l10n.t('Move every key in this file to .env'), FIX_ALL_KIND, document, 'fixAll', ranges)];
  }

  private command(title: string, diagnostic: vscode.Diagnostic, command: string, args: unknown[], preferred = false): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    action.command = { command, title, arguments: args };
    return action;
  }

  /**
   * Stores each key in the .env first (appended on disk and read back; .gitignore made to cover the .env
   * before that), then rewrites the source in one WorkspaceEdit. Undo reverts the source; the key stays
   * stored. Returns false, changing nothing, when the text moved on or a step failed.
   */
  async applyEnvFix(document: vscode.TextDocument, ranges: readonly vscode.Range[], fix: FixKind): Promise<boolean> {
    const sites = ranges.map((range) => siteOf(document, range)).filter((site): site is KeySite => site !== undefined);
    if (sites.length === 0) return false;
    const folder = envFolderFor(document.uri);
    const envUri = vscode.Uri.file(join(folder, '.env'));
    let envText = await readText(envUri);
    const envOriginal = envText;
    const text = document.getText();
    const language = fixLanguageFor(document.fileName, document.languageId);
    const options = { fileName: document.fileName, languageId: document.languageId };
    const sourceEdits: TextEdit[] = [];
    const stored: string[] = [];
    for (const site of sites) {
      const preferred = fix === 'removeApiKeyOption' ? 'ANTHROPIC_API_KEY' : variableNameFor(site.kind, assignedNameAt(text, site.start));
      const entry = planEnvEntry(envText, preferred, site.key);
      // Removing the option only works when the SDK's own variable holds this key.
      if (fix === 'removeApiKeyOption' && entry.name !== 'ANTHROPIC_API_KEY') return false;
      if (entry.edit) envText = (envText ?? '') + entry.edit.newText;
      stored.push(`${entry.name}=${site.key}`);
      const plan =
        fix === 'removeApiKeyOption'
          ? removeApiKeyOption(text, site.start, site.end, language, site.kind)
          : fix === 'redact'
            ? redactKey(text, site.start, site.end, keyHint(site.key))
            : (rewriteToEnvLookup(text, site.start, site.end, entry.name, language, options) ?? redactKey(text, site.start, site.end, keyHint(site.key)));
      if (plan) sourceEdits.push(...plan.edits);
    }
    // Two keys in one file may each add the same import: keep identical edits once; conflicting ones mean no fix.
    const merged = mergeEdits(sourceEdits);
    if (!merged) return false;

    // .gitignore before the key lands: the .env must never hold a key git would commit.
    const state = await fileGitState(envUri.fsPath, vscode.workspace.isTrusted, this.dependencies.git);
    if (!state.ignored) {
      const gitignoreUri = vscode.Uri.file(join(folder, '.gitignore'));
      const gitignoreText = await readText(gitignoreUri);
      const gitignoreEdit = planGitignoreEntry(gitignoreText, '.env');
      if (gitignoreEdit && !(await appendAndSave(gitignoreUri, gitignoreText, gitignoreEdit.newText))) return false;
    }
    if (envText !== envOriginal) {
      const appended = envText!.slice((envOriginal ?? '').length);
      if (!(await appendAndSave(envUri, envOriginal, appended))) return false;
    }
    // Read the .env back from disk: only a key that is there may leave the source.
    const onDisk = await readFile(envUri.fsPath, 'utf8').catch(() => '');
    const lines = onDisk.split(/\r?\n/);
    if (!stored.every((line) => lines.includes(line))) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The key could not be stored in {0}; the source was left unchanged.', envUri.fsPath));
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const sourceEdit of merged) edit.replace(document.uri, rangeOf(document, sourceEdit), sourceEdit.newText);
    return vscode.workspace.applyEdit(edit);
  }
}

/**
 * Appends to a file keeping every existing byte. An editor with unsaved changes holds the newer text, so it
 * is edited and saved there; otherwise the file is appended to on disk (created owner-only when new).
 */
async function appendAndSave(uri: vscode.Uri, before: string | undefined, appended: string): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, open.positionAt(open.getText().length), appended);
    return (await vscode.workspace.applyEdit(edit)) && (await open.save());
  }
  try {
    if (before === undefined) await writeFile(uri.fsPath, appended, { flag: 'wx', mode: 0o600 });
    else await appendFile(uri.fsPath, appended);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', uri.fsPath, (error as Error).message));
    return false;
  }
}

export function registerKeyFixes(dependencies: KeyFixDependencies): vscode.Disposable {
  const provider = new KeyFixProvider(dependencies);
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-notebook-cell' }], provider, {
      providedCodeActionKinds: KeyFixProvider.providedCodeActionKinds,
    }),
    vscode.commands.registerCommand('anthropicKeyHygiene.applyKeyFix', async (args: KeyFixArgs) => {
      const document = await vscode.workspace.openTextDocument(args.uri);
      return provider.applyEnvFix(document, args.ranges.map((range) => new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character)), args.fix);
    }),
    vscode.commands.registerCommand('anthropicKeyHygiene.addToGitignore', (args: { uri: vscode.Uri }) => addToGitignore(args.uri, dependencies.git)),
    vscode.commands.registerCommand('anthropicKeyHygiene.stopTracking', (args: { uri: vscode.Uri; confirm?: boolean }) => stopTracking(args, dependencies.git)),
    vscode.commands.registerCommand('anthropicKeyHygiene.ignoreEnvFiles', (args?: IgnoreEnvFilesArgs) => ignoreEnvFiles(args ?? {}, dependencies.git)),
    vscode.commands.registerCommand('anthropicKeyHygiene.moveKeyToSecretStorage', (args: { uri: vscode.Uri; range: vscode.Range; name: string }) =>
      moveKeyToSecretStorage(args, dependencies.vault),
    ),
  );
}

// ---- commands ------------------------------------------------------------------------------------------------

/** Appends the .env file's path to the .gitignore of its repository (or folder), keeping every existing byte. */
async function addToGitignore(uri: vscode.Uri, git: GitRunner): Promise<boolean> {
  const state = await fileGitState(uri.fsPath, vscode.workspace.isTrusted, git);
  const root = state.repositoryRoot ?? vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath);
  const gitignoreUri = vscode.Uri.file(join(root, '.gitignore'));
  const text = await readText(gitignoreUri);
  // Anchored to the repository root, so it names exactly this file.
  const entry = '/' + relative(root, uri.fsPath).split('\\').join('/');
  const planned = planGitignoreEntry(text, entry);
  if (!planned) return true;
  // Appended on disk (or in the open editor holding newer text): saving a whole document would re-encode it and
  // run save participants such as trimTrailingWhitespace, which can change other rules' bytes.
  return appendAndSave(gitignoreUri, text, planned.newText);
}

/** `git rm --cached`, after a confirmation that says what it does and does not do. Trusted workspaces only. */
async function stopTracking(args: { uri: vscode.Uri; confirm?: boolean }, git: GitRunner): Promise<boolean> {
  if (!vscode.workspace.isTrusted) return false;
  const name = baseName(args.uri);
  if (args.confirm !== true && !(await confirmStopTracking(name))) return false;
  if (!(await untrack(args.uri, git))) return false;
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} is no longer tracked. Commit the change, then rotate the keys it held.', name));
  return true;
}

async function confirmStopTracking(names: string): Promise<boolean> {
  const stop = vscode.l10n.t('Stop Tracking');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop tracking {0}?', names),
    {
      modal: true,
      detail: vscode.l10n.t(
        'The file stays on disk and stays ignored; git stops committing it. Its earlier versions remain in the history, so rotate every key it held.',
      ),
    },
    stop,
  );
  return answer === stop;
}

/** `git rm --cached` of one file; false (with the error shown) when git refused. */
async function untrack(uri: vscode.Uri, git: GitRunner): Promise<boolean> {
  const state = await fileGitState(uri.fsPath, true, git);
  if (!state.repositoryRoot) return false;
  const result = await git.run(state.repositoryRoot, ['rm', '--cached', '--quiet', '--', relative(state.repositoryRoot, uri.fsPath)]);
  if (result.exitCode !== 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('git rm --cached failed: {0}', result.stderr.trim()));
    return false;
  }
  return true;
}

export interface IgnoreEnvFilesArgs {
  /** Untrack tracked .env files without asking (scripts and tests). */
  confirm?: boolean;
  /** false: never ask; tracked files then stay tracked unless `confirm` is true. Default true. */
  interactive?: boolean;
}

export interface IgnoreEnvFilesResult {
  ok: boolean;
  /** Workspace-relative paths added to .gitignore. */
  ignored: string[];
  /** Workspace-relative paths git no longer tracks. */
  untracked: string[];
  /** Tracked files left tracked: not confirmed, an untrusted workspace, or git refused. */
  stillTracked: string[];
  message: string;
}

/**
 * "Keep .env Files Out of Git": the two .env quick fixes for every .env file the diagnostics flag, so the
 * walkthrough and the report can do in one step what the Problems panel does file by file. Unignored files
 * are added to .gitignore first (no question: it keeps every byte and undo reverts it); then every one of them
 * git still tracks is untracked after one confirmation, as `git rm --cached` changes the next commit.
 */
async function ignoreEnvFiles(args: IgnoreEnvFilesArgs, git: GitRunner): Promise<IgnoreEnvFilesResult> {
  const flagged = new Map<string, { uri: vscode.Uri; unignored: boolean }>();
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (uri.scheme !== 'file') continue;
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = ruleIdOf(diagnostic);
      if (rule !== 'unignored-env-file' && rule !== 'tracked-env-file') continue;
      const entry = flagged.get(uri.toString()) ?? { uri, unignored: false };
      entry.unignored ||= rule === 'unignored-env-file';
      flagged.set(uri.toString(), entry);
    }
  }
  const files = [...flagged.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  const display = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri);
  const result: IgnoreEnvFilesResult = { ok: true, ignored: [], untracked: [], stillTracked: [], message: '' };
  if (files.length === 0) {
    result.message = vscode.l10n.t('No .env file needs it: none is flagged as one git would commit or already tracks.');
    void vscode.window.showInformationMessage(result.message);
    return result;
  }

  const tracked: vscode.Uri[] = [];
  for (const { uri, unignored } of files) {
    if (unignored) {
      if (!(await addToGitignore(uri, git))) {
        result.ok = false;
        continue;
      }
      result.ignored.push(display(uri));
    }
    // Ignoring does not untrack: ask git whether the file is still in the index.
    if ((await fileGitState(uri.fsPath, vscode.workspace.isTrusted, git)).tracked) tracked.push(uri);
  }
  if (tracked.length > 0) {
    const names = tracked.map(display).join(', ');
    const confirmed = vscode.workspace.isTrusted && (args.confirm === true || (args.confirm === undefined && args.interactive !== false && (await confirmStopTracking(names))));
    for (const uri of tracked) {
      if (confirmed && (await untrack(uri, git))) result.untracked.push(display(uri));
      else result.stillTracked.push(display(uri));
    }
  }

  const parts: string[] = [];
  if (result.ignored.length > 0) parts.push(vscode.l10n.t('Added {0} to .gitignore.', result.ignored.join(', ')));
  if (result.untracked.length > 0) parts.push(vscode.l10n.t('{0} no longer tracked: commit the change, then rotate the keys it held.', result.untracked.join(', ')));
  if (result.stillTracked.length > 0) parts.push(vscode.l10n.t('{0} still tracked by git: git commits it until it is untracked.', result.stillTracked.join(', ')));
  if (!result.ok) parts.push(vscode.l10n.t('Some .env files could not be added to .gitignore.'));
  result.ok &&= result.stillTracked.length === 0;
  result.message = parts.join(' ');
  if (result.ok) void vscode.window.showInformationMessage(result.message);
  else void vscode.window.showWarningMessage(result.message);
  return result;
}

/** Stores the key (and reads it back) before the rewrite: only a stored key may leave the file. */
async function moveKeyToSecretStorage(args: { uri: vscode.Uri; range: vscode.Range; name: string }, vault: KeyVault): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(args.uri);
  const range = new vscode.Range(args.range.start.line, args.range.start.character, args.range.end.line, args.range.end.character);
  const site = siteOf(document, range);
  if (!site) return false;
  const existing = await vault.getSecret(args.name);
  if (existing !== undefined && existing !== site.key) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Secret Storage already holds a different key as {0}; nothing was changed. Use Rotate API Key to replace it.', args.name),
    );
    return false;
  }
  const stored = await vault.store({ name: args.name, environment: 'development', hint: keyHint(site.key), storedAt: new Date().toISOString() }, site.key);
  if (!stored.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The key was not stored ({0}); the file was left unchanged.', stored.error));
    return false;
  }
  const text = document.getText();
  const plan = rewriteToEnvLookup(text, site.start, site.end, args.name, fixLanguageFor(document.fileName, document.languageId), {
    fileName: document.fileName,
    languageId: document.languageId,
  });
  if (!plan) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const sourceEdit of plan.edits) edit.replace(document.uri, rangeOf(document, sourceEdit), sourceEdit.newText);
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Stored {0} in Secret Storage. Run "Use Stored Key in Terminals" so programs started from VS Code can read it.', keyHint(site.key)),
    );
  }
  return applied;
}

// ---- helpers -------------------------------------------------------------------------------------------------

/** The key at `range`, if it still is one (the document may have changed since the diagnostic). */
function siteOf(document: vscode.TextDocument, range: vscode.Range): KeySite | undefined {
  const key = document.getText(range);
  const verdict = describeCredential(key);
  if (!verdict) return undefined;
  return { key, kind: verdict.kind, start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

/** The nearest folder between the file and its workspace folder that holds a package manifest; else the workspace folder. */
function envFolderFor(uri: vscode.Uri): string {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath);
  for (let dir = dirname(uri.fsPath); dir.startsWith(workspaceFolder); dir = dirname(dir)) {
    if (PACKAGE_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dir === workspaceFolder || dirname(dir) === dir) break;
  }
  return workspaceFolder;
}

/** An open document's current text (unsaved edits included), else the file on disk, else undefined. */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function rangeOf(document: vscode.TextDocument, edit: TextEdit): vscode.Range {
  return new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
