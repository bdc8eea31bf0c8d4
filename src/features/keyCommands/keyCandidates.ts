// Verify API Key's question "which key?": a stored key by name, a key given as an argument, the key at a document
// location (what the code action passes, so the key itself never travels in a command argument), the key under the
// cursor, ANTHROPIC_API_KEY from the workspace .env, or, when nothing says, a picker of all of these.
import * as vscode from 'vscode';
import { ANTHROPIC_KEY_PREFIX, findCredentials } from '../../core/credentials';
import { keyHint } from '../../core/hint';
import { DEFAULT_KEY_NAME, normaliseKey, readEnvAssignment } from '../../core/keyInput';
import { stringArg, type KeyCommandContext } from './context';
import { environmentLabel, keyProblem, statusLabel } from './texts';
import type { KeySource, VerifyCommandResult, VerifyKeyArgs } from './types';

/** A key taken from somewhere, with what the messages call it. */
export interface Candidate {
  key: string;
  kind: 'api-key' | 'admin-key';
  source: KeySource;
  /** "ANTHROPIC_API_KEY", "the key under the cursor"… */
  label: string;
  name?: string;
}

/** Finds the key the arguments point at (asking when they point nowhere), or says why there is none. */
export async function candidateFor(context: KeyCommandContext, args: VerifyKeyArgs, interactive: boolean): Promise<Candidate | VerifyCommandResult> {
  const name = stringArg(args.name);
  if (name !== undefined) return storedCandidate(context, name);
  const key = stringArg(args.key);
  if (key !== undefined) return givenCandidate(context, key, 'argument', vscode.l10n.t('The key'));
  if (args.uri instanceof vscode.Uri && args.range instanceof vscode.Range) return documentCandidate(context, args.uri, args.range);
  if (args.source === 'cursor') return cursorCandidate(context);
  if (args.source === 'env-file') return envFileCandidate(context, stringArg(args.variable) ?? DEFAULT_KEY_NAME);
  if (!interactive) return context.fail('missing-argument', vscode.l10n.t('No key was checked: say which key (a name, a key, or a source).'), false);
  return pickCandidate(context);
}

async function storedCandidate(context: KeyCommandContext, name: string): Promise<Candidate | VerifyCommandResult> {
  const record = context.vault.get(name);
  if (!record) return context.fail('unknown-name', vscode.l10n.t('No key named {0} is stored.', name));
  const secret = await context.vault.getSecret(name);
  if (!secret) {
    return context.fail('missing-secret', vscode.l10n.t('The key {0} ({1}) is listed but no longer in VS Code’s secret storage. Store it again, or remove it.', name, record.hint));
  }
  return { key: secret, kind: kindOf(secret), source: 'stored', label: name, name };
}

function givenCandidate(context: KeyCommandContext, text: string, source: KeySource, label: string): Candidate | VerifyCommandResult {
  const normalised = normaliseKey(text);
  if (!normalised.ok) return context.fail('rejected-key', vscode.l10n.t('{0} was not checked. {1}', label, keyProblem(normalised)!));
  return { key: normalised.key, kind: normalised.kind, source, label };
}

async function documentCandidate(context: KeyCommandContext, uri: vscode.Uri, range: vscode.Range): Promise<Candidate | VerifyCommandResult> {
  const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
  return givenCandidate(context, document.getText(range), 'editor', vscode.l10n.t('The key in the editor'));
}

function cursorCandidate(context: KeyCommandContext): Candidate | VerifyCommandResult {
  const found = keyAtCursor(vscode.window.activeTextEditor);
  if (!found) return context.fail('no-key-found', vscode.l10n.t('No Anthropic key is under the cursor. Put the cursor on a key (or select it) and try again.'));
  return givenCandidate(context, found, 'editor', vscode.l10n.t('The key under the cursor'));
}

async function envFileCandidate(context: KeyCommandContext, variable: string): Promise<Candidate | VerifyCommandResult> {
  const found = await findEnvFileKeys(variable);
  if (found.length === 0) return context.fail('no-key-found', vscode.l10n.t('No workspace folder has a .env file that sets {0}.', variable));
  const [first] = found;
  return givenCandidate(context, first.value, 'env-file', first.label);
}

async function pickCandidate(context: KeyCommandContext): Promise<Candidate | VerifyCommandResult> {
  type Item = vscode.QuickPickItem & { pick: () => Promise<Candidate | VerifyCommandResult> };
  const items: Item[] = context.vault.list().map((record) => ({
    label: `$(key) ${record.name}`,
    description: `${record.hint} · ${environmentLabel(record.environment)}`,
    detail: record.lastResult ? vscode.l10n.t('Last check: {0}', statusLabel(record.lastResult)) : undefined,
    pick: () => storedCandidate(context, record.name),
  }));
  const atCursor = keyAtCursor(vscode.window.activeTextEditor);
  if (atCursor) {
    items.push({ label: `$(edit) ${vscode.l10n.t('The key under the cursor')}`, description: keyHint(atCursor), pick: async () => cursorCandidate(context) });
  }
  for (const env of await findEnvFileKeys(DEFAULT_KEY_NAME)) {
    items.push({ label: `$(file) ${env.label}`, description: keyHint(env.value), pick: async () => givenCandidate(context, env.value, 'env-file', env.label) });
  }
  items.push({ label: `$(pencil) ${vscode.l10n.t('Enter a key…')}`, pick: () => promptCandidate(context) });
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Verify API Key'), placeHolder: vscode.l10n.t('Which key should be checked?'), ignoreFocusOut: true });
  if (!picked) return context.fail('cancelled', vscode.l10n.t('No key was checked.'), false);
  return picked.pick();
}

async function promptCandidate(context: KeyCommandContext): Promise<Candidate | VerifyCommandResult> {
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Verify API Key'),
    prompt: vscode.l10n.t('Paste the key to check. It is sent only to the configured API, and is not stored.'),
    placeHolder: 'sk-ant-api03-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
  });
  if (entered === undefined) return context.fail('cancelled', vscode.l10n.t('No key was checked.'), false);
  return givenCandidate(context, entered, 'prompt', vscode.l10n.t('The key'));
}


// ---- finding keys in the editor and in .env files -----------------------------------------------------

/** The selected text, or the API or Admin key the cursor is on. */
function keyAtCursor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const { selection, document } = editor;
  if (!selection.isEmpty) return document.getText(selection);
  const line = document.lineAt(selection.active.line).text;
  const at = selection.active.character;
  const match = findCredentials(line).find((found) => found.start <= at && at <= found.end);
  return match && (match.kind === 'api-key' || match.kind === 'admin-key') ? line.slice(match.start, match.end) : undefined;
}

/** What a stored secret is; it passed normaliseKey when stored, so only the prefix matters. */
export function kindOf(secret: string): 'api-key' | 'admin-key' {
  return secret.startsWith(`${ANTHROPIC_KEY_PREFIX}admin`) ? 'admin-key' : 'api-key';
}

/** `variable` as set by the .env file at the root of each workspace folder (the unsaved text if it is open). */
async function findEnvFileKeys(variable: string): Promise<Array<{ value: string; label: string }>> {
  const found: Array<{ value: string; label: string }> = [];
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, '.env');
    let text = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.getText();
    if (text === undefined) {
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue; // no .env here
      }
    }
    const assignment = readEnvAssignment(text, variable);
    if (assignment && assignment.value !== '') {
      const where = folders.length > 1 ? `${folder.name}/.env` : '.env';
      found.push({ value: assignment.value, label: vscode.l10n.t('{0} in {1}', variable, where) });
    }
  }
  return found;
}
