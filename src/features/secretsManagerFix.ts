// The quick fix "Read it from AWS Secrets Manager / Vault / …" on a hardcoded key in server code: a second
// CodeActionProvider beside the main key fixes, so it can ship without touching them. The rewrite is planned in core
// (src/core/secretsManagerFix.ts: the provider's documented lookup, the import, a parse check); the provider and the
// secret id come from the settings `anthropicKeyHygiene.secretsManager.provider` and `.secretId`.
//
// Nothing lost: the command first stores the key in VS Code's Secret Storage (and reads it back) unless it is
// stored already, and only then edits the file, in one WorkspaceEdit (one undo). The message says where the key is
// kept until the user has put it in the secrets manager, and how (with the terminal variable, never the key).
import * as vscode from 'vscode';
import { fixLanguageFor } from '../core/fixes/languages';
import { keyHint } from '../core/hint';
import { normaliseKey } from '../core/keyInput';
import { PROVIDER_NAMES, planSecretsManagerLookup, type SecretsProvider } from '../core/secretsManagerFix';
import { isOurDiagnostic } from './diagnosticComputer';
import type { KeyMessages } from './keyCommands';
import type { KeyVault } from './keyVault';
import { readSecretsManagerSettings, type SecretsManagerProvider } from './settings';

const COMMAND = 'anthropicKeyHygiene.readKeyFromSecretsManager';

export interface SecretsManagerFixArgs {
  uri?: vscode.Uri;
  range?: vscode.Range;
  provider?: SecretsManagerProvider;
  secretId?: string;
}

export interface SecretsManagerFixResult {
  ok: boolean;
  message: string;
  /** The Secret Storage name the key is kept under. */
  storedAs?: string;
  hint?: string;
}

class SecretsManagerCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const { provider, secretId } = readSecretsManagerSettings(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (!isOurDiagnostic(diagnostic, 'hardcoded-key')) continue;
      if (!normaliseKey(document.getText(diagnostic.range)).ok) continue;
      // Offered only where the rewrite can work; the plan itself is made again when the command runs.
      if (!plan(document, diagnostic.range, provider, secretId)) continue;
      const action = new vscode.CodeAction(vscode.l10n.t('Read it from {0} ({1})', PROVIDER_NAMES[provider], secretId), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      // A location, never the key, travels in the command's arguments.
      action.command = { command: COMMAND, title: action.title, arguments: [{ uri: document.uri, range: diagnostic.range, provider, secretId }] };
      actions.push(action);
    }
    return actions;
  }
}

function plan(document: vscode.TextDocument, range: vscode.Range, provider: SecretsProvider, secretId: string) {
  const text = document.getText();
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const fileName = document.uri.scheme === 'untitled' ? undefined : document.uri.path;
  return planSecretsManagerLookup(text, start, end, fixLanguageFor(fileName ?? '', document.languageId), provider, secretId, fileName);
}

async function readFromSecretsManager(vault: KeyVault, messages: KeyMessages, args: SecretsManagerFixArgs): Promise<SecretsManagerFixResult> {
  const fail = (message: string): SecretsManagerFixResult => {
    void messages.error(message);
    return { ok: false, message };
  };
  if (!(args.uri instanceof vscode.Uri) || !(args.range instanceof vscode.Range)) return fail(vscode.l10n.t('No key was given: run this from the key’s quick fixes.'));
  const document = await vscode.workspace.openTextDocument(args.uri);
  const settings = readSecretsManagerSettings(document.uri);
  const provider = args.provider ?? settings.provider;
  const secretId = args.secretId ?? settings.secretId;
  const normalised = normaliseKey(document.getText(args.range));
  if (!normalised.ok) return fail(vscode.l10n.t('The text at that place is no longer a key; nothing was changed.'));
  const key = normalised.key;
  const hint = keyHint(key);
  const version = document.version;
  const planned = plan(document, args.range, provider, secretId);
  if (!planned) return fail(vscode.l10n.t('The key at {0} cannot be read from {1} there (see the README for where this fix applies); nothing was changed.', vscode.workspace.asRelativePath(document.uri), PROVIDER_NAMES[provider]));

  // First the key goes somewhere safe: Secret Storage, read back by the vault.
  let storedAs: string | undefined;
  for (const record of vault.list()) if ((await vault.getSecret(record.name)) === key) storedAs = record.name;
  if (!storedAs) {
    const names = new Set(vault.list().map((record) => record.name));
    storedAs = ['ANTHROPIC_API_KEY', ...Array.from({ length: 98 }, (_, i) => `ANTHROPIC_API_KEY_${i + 2}`)].find((name) => !names.has(name));
    if (!storedAs) return fail(vscode.l10n.t('No free name to store the key under; nothing was changed.'));
    const stored = await vault.store({ name: storedAs, environment: 'production', hint, storedAt: new Date().toISOString() }, key);
    if (!stored.ok) return fail(vscode.l10n.t('The key {0} could not be stored, so the code was not changed: {1}', hint, stored.error));
  }

  if (document.version !== version) return fail(vscode.l10n.t('{0} changed meanwhile; the key is stored as {1}, the code was not changed. Run the fix again.', vscode.workspace.asRelativePath(document.uri), storedAs));
  const edit = new vscode.WorkspaceEdit();
  for (const change of planned.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  if (!(await vscode.workspace.applyEdit(edit))) return fail(vscode.l10n.t('The edit was refused; the key is stored as {0}, the code was not changed.', storedAs));

  const message =
    vscode.l10n.t('The code now reads the key from {0} ({1}). The key {2} is kept in VS Code’s Secret Storage as {3} until it is there.', PROVIDER_NAMES[provider], secretId, hint, storedAs) +
    ' ' +
    planned.note +
    ' ' +
    vscode.l10n.t('With Use Stored Key in Terminals on, a terminal has it as ${0} for the command that stores it.', storedAs);
  void messages.info(message);
  return { ok: true, message, storedAs, hint };
}

/** `documents`: the web build passes its own (its files have URIs of other schemes than file:). */
export function registerSecretsManagerFix(dependencies: { vault: KeyVault; messages: KeyMessages }, documents: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }]): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(documents, new SecretsManagerCodeActionProvider(), {
      providedCodeActionKinds: SecretsManagerCodeActionProvider.providedCodeActionKinds,
    }),
    vscode.commands.registerCommand(COMMAND, (args?: SecretsManagerFixArgs) => readFromSecretsManager(dependencies.vault, dependencies.messages, args ?? {})),
  );
}
