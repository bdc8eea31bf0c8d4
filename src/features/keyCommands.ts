// The key vault's commands: Store, Verify, Remove, List and Rotate API Key, and Use Stored Key in
// Terminals. Each takes an optional argument object, so it can be bound to a key, scripted, or run by a
// test without any dialog, and returns a plain result object saying what happened.
//
// The rule for dialogs: a prompt or question appears only for an answer missing from the arguments, and
// never when `interactive: false` is passed; then a missing answer means "no" (or fails the command with
// a reason). Messages are ordinary notifications, which never block.
//
// No key ever appears in a message, a result, or a command argument: only hints (`sk-ant-api03-R2D…igAA`).
import * as vscode from 'vscode';
import { ANTHROPIC_KEY_PREFIX, findCredentials } from '../core/credentials';
import type { CredentialKind } from '../core/findings';
import { keyHint } from '../core/hint';
import {
  DEFAULT_KEY_NAME,
  checkKeyName,
  normaliseKey,
  publishedKeyLength,
  readEnvAssignment,
  type KeyNameRejection,
  type NormalisedKey,
  type TrimmedPart,
} from '../core/keyInput';
import { KEY_ENVIRONMENTS, isKeyEnvironment, isRotationDue, keyAgeDays, withVerification, type KeyEnvironment, type KeyMetadata } from '../core/keyMetadata';
import { isInsecureBaseUrl, verifyKey, type VerifyStatus } from '../core/verify';
import type { KeyVault } from './keyVault';
import { readKeyVaultSettings } from './settings';
import type { InjectedKey, TerminalKeys } from './keyTerminals';

const CONSOLE_KEYS_URL = 'https://console.anthropic.com/settings/keys';

// ---- arguments and results ------------------------------------------------------------------------

interface CommonArgs {
  /** false: never prompt or ask; a missing answer counts as "no". Default true. */
  interactive?: boolean;
}

export interface StoreKeyArgs extends CommonArgs {
  name?: string;
  key?: string;
  environment?: KeyEnvironment;
  /** Check the key right after storing it. Unset: offer it (interactive only). */
  verify?: boolean;
  /** Replace a key already stored under the name. Unset: ask (interactive only). */
  overwrite?: boolean;
}

export interface VerifyKeyArgs extends CommonArgs {
  /** A stored key, by name. */
  name?: string;
  /** A key given directly. */
  key?: string;
  /** The key under the cursor of the active editor, or the variable in the workspace's .env. */
  source?: 'cursor' | 'env-file';
  /** With source 'env-file': the variable to read (default ANTHROPIC_API_KEY). */
  variable?: string;
  /** A key in a document, by location (what the code action passes, so the key itself never travels). */
  uri?: vscode.Uri;
  range?: vscode.Range;
}

export interface RemoveKeyArgs extends CommonArgs {
  name?: string;
  /** Remove without asking. */
  confirm?: boolean;
}

export interface RotateKeyArgs extends CommonArgs {
  name?: string;
  newKey?: string;
}

export interface UseInTerminalsArgs extends CommonArgs {
  /** Unset: toggle. */
  enable?: boolean;
}

/** Why a command did not do what it was asked. */
export type FailureReason =
  | 'cancelled'
  | 'missing-argument'
  | 'rejected-key'
  | 'rejected-name'
  | 'unknown-name'
  | 'exists'
  | 'missing-secret'
  | 'no-key-found'
  | 'insecure-base-url'
  | 'same-key'
  | 'kind-mismatch'
  | 'new-key-not-valid'
  | 'storage-failed'
  | 'untrusted-workspace';

export type KeySource = 'stored' | 'argument' | 'prompt' | 'editor' | 'env-file';

export interface CommandResult {
  /** The command did what was asked (for Verify: a check ran, whatever it found). */
  ok: boolean;
  reason?: FailureReason;
  /** What the user was told (or would have been). Never contains a key. */
  message: string;
}

export interface VerifyCommandResult extends CommandResult {
  status?: VerifyStatus;
  httpStatus?: number;
  requestId?: string;
  host?: string;
  source?: KeySource;
  name?: string;
  hint?: string;
}

export interface StoreKeyResult extends CommandResult {
  name?: string;
  hint?: string;
  trimmed?: TrimmedPart[];
  verification?: VerifyCommandResult;
}

export interface RotateKeyResult extends CommandResult {
  name?: string;
  oldHint?: string;
  newHint?: string;
  verification?: VerifyCommandResult;
}

export interface RemoveKeyResult extends CommandResult {
  name?: string;
  hint?: string;
}

export interface ListedKey extends KeyMetadata {
  ageDays: number;
  rotationDue: boolean;
  /** False when the metadata remains but the secret storage no longer has the key. */
  secretPresent: boolean;
}

export interface ListKeysResult extends CommandResult {
  keys: ListedKey[];
}

export interface UseInTerminalsResult extends CommandResult {
  enabled: boolean;
  keys: readonly InjectedKey[];
}

// ---- messages -----------------------------------------------------------------------------------

/** Shows notifications and remembers their texts (the integration tests check none holds a key). */
export class KeyMessages {
  private readonly log: string[] = [];

  /** The texts shown, oldest first (the last 200). */
  get shown(): readonly string[] {
    return this.log;
  }

  info(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(text);
    return vscode.window.showInformationMessage(text, ...actions);
  }

  warn(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(text);
    return vscode.window.showWarningMessage(text, ...actions);
  }

  error(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(text);
    return vscode.window.showErrorMessage(text, ...actions);
  }

  /** A modal warning: only for questions that must be answered before going on. */
  ask(text: string, detail: string | undefined, ...actions: string[]): Thenable<string | undefined> {
    this.remember(detail ? `${text} ${detail}` : text);
    return vscode.window.showWarningMessage(text, { modal: true, detail }, ...actions);
  }

  private remember(text: string): void {
    this.log.push(text);
    if (this.log.length > 200) this.log.shift();
  }
}

// ---- the commands -------------------------------------------------------------------------------

export interface KeyCommandDependencies {
  vault: KeyVault;
  terminals: TerminalKeys;
  messages: KeyMessages;
}

export function registerKeyCommands(dependencies: KeyCommandDependencies): vscode.Disposable {
  const commands = new KeyCommands(dependencies);
  return vscode.Disposable.from(
    vscode.commands.registerCommand('anthropicKeyHygiene.storeKey', (args?: unknown) => commands.store(argsOf<StoreKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.verifyKey', (args?: unknown) => commands.verify(argsOf<VerifyKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.removeKey', (args?: unknown) => commands.remove(argsOf<RemoveKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.listKeys', (args?: unknown) => commands.list(argsOf<CommonArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.rotateKey', (args?: unknown) => commands.rotate(argsOf<RotateKeyArgs>(args))),
    vscode.commands.registerCommand('anthropicKeyHygiene.useStoredKeyInTerminals', (args?: unknown) =>
      commands.useInTerminals(argsOf<UseInTerminalsArgs>(args)),
    ),
  );
}

/** Menus pass a Uri, palettes nothing: only a plain object is an argument object. */
function argsOf<T>(value: unknown): T {
  return (value !== null && typeof value === 'object' && !(value instanceof vscode.Uri) && !Array.isArray(value) ? value : {}) as T;
}

const stringArg = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A key taken from somewhere, with what the messages call it. */
interface Candidate {
  key: string;
  kind: 'api-key' | 'admin-key';
  source: KeySource;
  /** "ANTHROPIC_API_KEY", "the key under the cursor"… */
  label: string;
  name?: string;
}

class KeyCommands {
  private readonly vault: KeyVault;
  private readonly terminals: TerminalKeys;
  private readonly messages: KeyMessages;

  constructor({ vault, terminals, messages }: KeyCommandDependencies) {
    this.vault = vault;
    this.terminals = terminals;
    this.messages = messages;
  }

  // ---- Store ----

  async store(args: StoreKeyArgs): Promise<StoreKeyResult> {
    const interactive = args.interactive !== false;
    const pasted =
      stringArg(args.key) ??
      (interactive
        ? await vscode.window.showInputBox({
            title: vscode.l10n.t('Store API Key'),
            prompt: vscode.l10n.t('Paste the Anthropic API key. It is kept in VS Code’s secret storage (the system keychain on desktop), never in settings or files.'),
            placeHolder: 'sk-ant-api03-…',
            password: true,
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
          })
        : undefined);
    if (pasted === undefined) return this.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('No key was stored.'), false);

    const normalised = normaliseKey(pasted);
    if (!normalised.ok) return this.fail('rejected-key', vscode.l10n.t('The key was not stored. {0}', keyProblem(normalised)!));

    const name = await this.askName(args, normalised.assignedName, interactive);
    if (name === undefined) return this.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('No key was stored.'), false);
    const nameProblem = checkKeyName(name);
    if (nameProblem) return this.fail('rejected-name', vscode.l10n.t('The key was not stored. {0}', nameText(nameProblem)));

    const existing = this.vault.get(name);
    if (existing && args.overwrite !== true) {
      const replace = vscode.l10n.t('Replace');
      const rotate = vscode.l10n.t('Rotate Instead');
      const choice =
        interactive && args.overwrite === undefined
          ? await this.messages.ask(
              vscode.l10n.t('A key named {0} ({1}) is already stored. Replace it?', name, existing.hint),
              vscode.l10n.t('Rotate API Key checks the new key against the API before it replaces the stored one.'),
              replace,
              rotate,
            )
          : undefined;
      if (choice === rotate) {
        const rotated = await this.rotate({ name, newKey: normalised.key, interactive });
        return { ...rotated, hint: rotated.newHint, trimmed: normalised.trimmed };
      }
      if (choice !== replace) {
        return this.fail('exists', vscode.l10n.t('The key was not stored: a key named {0} ({1}) is already stored. Rotate it, or remove it first.', name, existing.hint), !interactive);
      }
    }

    const environment = await this.askEnvironment(args, existing?.environment, interactive);
    if (environment === undefined) return this.fail('cancelled', vscode.l10n.t('No key was stored.'), false);

    const hint = keyHint(normalised.key);
    const stored = await this.vault.store({ name, environment, hint, storedAt: new Date().toISOString() }, normalised.key);
    if (!stored.ok) return this.fail('storage-failed', vscode.l10n.t('The key {0} could not be stored: {1}', hint, stored.error));

    const trimmedNote = normalised.trimmed.length > 0 ? ' ' + trimmedText(normalised.trimmed) : '';
    const message = vscode.l10n.t('Stored {0} ({1}, {2}) in VS Code’s secret storage.', name, hint, environmentLabel(environment)) + trimmedNote;
    const result: StoreKeyResult = { ok: true, message, name, hint, trimmed: normalised.trimmed };
    if (args.verify === true) {
      void this.messages.info(message);
      result.verification = await this.verify({ name, interactive });
    } else if (args.verify === undefined && interactive) {
      const verifyNow = vscode.l10n.t('Verify Now');
      void this.messages.info(message, verifyNow).then((choice) => {
        if (choice === verifyNow) void this.verify({ name });
      });
    } else {
      void this.messages.info(message);
    }
    return result;
  }

  private async askName(args: StoreKeyArgs, assignedName: string | undefined, interactive: boolean): Promise<string | undefined> {
    const given = stringArg(args.name)?.trim();
    if (given !== undefined) return given;
    const suggestion = assignedName && !checkKeyName(assignedName) ? assignedName : DEFAULT_KEY_NAME;
    if (!interactive) return suggestion;
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Store API Key'),
      prompt: vscode.l10n.t('Name for the key: the environment variable it stands for. Use separate names for separate services, e.g. ANTHROPIC_ANALYTICS_KEY.'),
      value: suggestion,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const problem = checkKeyName(value);
        return problem ? nameText(problem) : undefined;
      },
    });
    return name?.trim();
  }

  private async askEnvironment(args: StoreKeyArgs, current: KeyEnvironment | undefined, interactive: boolean): Promise<KeyEnvironment | undefined> {
    if (isKeyEnvironment(args.environment)) return args.environment;
    if (!interactive) return current ?? 'development';
    const items = KEY_ENVIRONMENTS.map((environment) => ({ label: environmentLabel(environment), environment, picked: environment === current }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Store API Key'),
      placeHolder: vscode.l10n.t('Which environment is this key for?'),
      ignoreFocusOut: true,
    });
    return picked?.environment;
  }

  // ---- Verify ----

  async verify(args: VerifyKeyArgs): Promise<VerifyCommandResult> {
    const interactive = args.interactive !== false;
    const candidate = await this.candidateFor(args, interactive);
    if (!('key' in candidate)) return candidate;
    return this.check(candidate, interactive);
  }

  /** Finds the key the arguments point at (asking when they point nowhere), or says why there is none. */
  private async candidateFor(args: VerifyKeyArgs, interactive: boolean): Promise<Candidate | VerifyCommandResult> {
    const name = stringArg(args.name);
    if (name !== undefined) return this.storedCandidate(name);
    const key = stringArg(args.key);
    if (key !== undefined) return this.givenCandidate(key, 'argument', vscode.l10n.t('The key'));
    if (args.uri instanceof vscode.Uri && args.range instanceof vscode.Range) return this.documentCandidate(args.uri, args.range);
    if (args.source === 'cursor') return this.cursorCandidate();
    if (args.source === 'env-file') return this.envFileCandidate(stringArg(args.variable) ?? DEFAULT_KEY_NAME);
    if (!interactive) return this.fail('missing-argument', vscode.l10n.t('No key was checked: say which key (a name, a key, or a source).'), false);
    return this.pickCandidate();
  }

  private async storedCandidate(name: string): Promise<Candidate | VerifyCommandResult> {
    const record = this.vault.get(name);
    if (!record) return this.fail('unknown-name', vscode.l10n.t('No key named {0} is stored.', name));
    const secret = await this.vault.getSecret(name);
    if (!secret) {
      return this.fail('missing-secret', vscode.l10n.t('The key {0} ({1}) is listed but no longer in VS Code’s secret storage. Store it again, or remove it.', name, record.hint));
    }
    return { key: secret, kind: kindOf(secret), source: 'stored', label: name, name };
  }

  private givenCandidate(text: string, source: KeySource, label: string): Candidate | VerifyCommandResult {
    const normalised = normaliseKey(text);
    if (!normalised.ok) return this.fail('rejected-key', vscode.l10n.t('{0} was not checked. {1}', label, keyProblem(normalised)!));
    return { key: normalised.key, kind: normalised.kind, source, label };
  }

  private async documentCandidate(uri: vscode.Uri, range: vscode.Range): Promise<Candidate | VerifyCommandResult> {
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    return this.givenCandidate(document.getText(range), 'editor', vscode.l10n.t('The key in the editor'));
  }

  private cursorCandidate(): Candidate | VerifyCommandResult {
    const found = keyAtCursor(vscode.window.activeTextEditor);
    if (!found) return this.fail('no-key-found', vscode.l10n.t('No Anthropic key is under the cursor. Put the cursor on a key (or select it) and try again.'));
    return this.givenCandidate(found, 'editor', vscode.l10n.t('The key under the cursor'));
  }

  private async envFileCandidate(variable: string): Promise<Candidate | VerifyCommandResult> {
    const found = await findEnvFileKeys(variable);
    if (found.length === 0) return this.fail('no-key-found', vscode.l10n.t('No workspace folder has a .env file that sets {0}.', variable));
    const [first] = found;
    return this.givenCandidate(first.value, 'env-file', first.label);
  }

  private async pickCandidate(): Promise<Candidate | VerifyCommandResult> {
    type Item = vscode.QuickPickItem & { pick: () => Promise<Candidate | VerifyCommandResult> };
    const items: Item[] = this.vault.list().map((record) => ({
      label: `$(key) ${record.name}`,
      description: `${record.hint} · ${environmentLabel(record.environment)}`,
      detail: record.lastResult ? vscode.l10n.t('Last check: {0}', statusLabel(record.lastResult)) : undefined,
      pick: () => this.storedCandidate(record.name),
    }));
    const atCursor = keyAtCursor(vscode.window.activeTextEditor);
    if (atCursor) {
      items.push({ label: `$(edit) ${vscode.l10n.t('The key under the cursor')}`, description: keyHint(atCursor), pick: async () => this.cursorCandidate() });
    }
    for (const env of await findEnvFileKeys(DEFAULT_KEY_NAME)) {
      items.push({ label: `$(file) ${env.label}`, description: keyHint(env.value), pick: async () => this.givenCandidate(env.value, 'env-file', env.label) });
    }
    items.push({ label: `$(pencil) ${vscode.l10n.t('Enter a key…')}`, pick: () => this.promptCandidate() });
    const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Verify API Key'), placeHolder: vscode.l10n.t('Which key should be checked?'), ignoreFocusOut: true });
    if (!picked) return this.fail('cancelled', vscode.l10n.t('No key was checked.'), false);
    return picked.pick();
  }

  private async promptCandidate(): Promise<Candidate | VerifyCommandResult> {
    const entered = await vscode.window.showInputBox({
      title: vscode.l10n.t('Verify API Key'),
      prompt: vscode.l10n.t('Paste the key to check. It is sent only to the configured API, and is not stored.'),
      placeHolder: 'sk-ant-api03-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
    });
    if (entered === undefined) return this.fail('cancelled', vscode.l10n.t('No key was checked.'), false);
    return this.givenCandidate(entered, 'prompt', vscode.l10n.t('The key'));
  }

  /** One request to the API for one key, after the base URL passed; the result is shown and returned. */
  private async check(candidate: Candidate, interactive: boolean, options: { quiet?: boolean } = {}): Promise<VerifyCommandResult> {
    const hint = keyHint(candidate.key);
    const common = { source: candidate.source, hint, ...(candidate.name ? { name: candidate.name } : {}) };
    const blocked = await this.insecureBaseUrl(interactive);
    if (blocked) return { ...common, ok: false, reason: 'insecure-base-url', message: blocked };

    const settings = readKeyVaultSettings();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} ({1})…', candidate.label, hint) },
      () => verifyKey(candidate.key, { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, kind: candidate.kind }),
    );
    if (candidate.name) await this.vault.update(candidate.name, (record) => withVerification(record, result.status, new Date()));

    let message = vscode.l10n.t('{0} ({1}): {2}.', candidate.label, hint, statusLabel(result.status)) + ' ' + result.message;
    if (result.status === 'valid' && candidate.source === 'editor') {
      // A live key in a file is the emergency this extension exists for.
      message += ' ' + vscode.l10n.t('Anyone with a copy of this file can use it: revoke it in the Anthropic Console and store a new one in VS Code.');
    }
    const outcome: VerifyCommandResult = {
      ...common,
      ok: true,
      message,
      status: result.status,
      host: result.host,
      ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
      ...(result.requestId ? { requestId: result.requestId } : {}),
    };
    if (!options.quiet) this.showVerification(outcome);
    return outcome;
  }

  private showVerification(outcome: VerifyCommandResult): void {
    const { status, source, name } = outcome;
    if (status === 'valid' && source === 'editor') {
      const openConsole = vscode.l10n.t('Open Console');
      void this.messages.error(outcome.message, openConsole).then((choice) => {
        if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
      });
      return;
    }
    if (status === 'valid') {
      void this.messages.info(outcome.message);
      return;
    }
    if (status === 'invalid' && source === 'stored' && name) {
      const rotate = vscode.l10n.t('Rotate API Key');
      void this.messages.error(outcome.message, rotate).then((choice) => {
        if (choice === rotate) void this.rotate({ name });
      });
      return;
    }
    if (status === 'invalid' || status === 'no-permission' || status === 'billing' || status === 'not-found') void this.messages.error(outcome.message);
    else void this.messages.warn(outcome.message);
  }

  /** The message to show when the configured base URL would expose the key; undefined when it is fine. */
  private async insecureBaseUrl(interactive: boolean): Promise<string | undefined> {
    const { baseUrl } = readKeyVaultSettings();
    if (!isInsecureBaseUrl(baseUrl)) return undefined;
    const text = vscode.l10n.t(
      'The key was not sent: anthropicKeyHygiene.apiBaseUrl is {0}, which is not HTTPS, so the key could be read on the way. Use an https:// address (plain http is allowed only for localhost).',
      displayUrl(baseUrl),
    );
    if (!interactive) {
      void this.messages.warn(text);
      return text;
    }
    const openSettings = vscode.l10n.t('Open Settings');
    if ((await this.messages.ask(text, undefined, openSettings)) === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'anthropicKeyHygiene.apiBaseUrl');
    }
    return text;
  }

  // ---- Remove ----

  async remove(args: RemoveKeyArgs): Promise<RemoveKeyResult> {
    const interactive = args.interactive !== false;
    const name = await this.pickStoredName(args.name, interactive, vscode.l10n.t('Which key should be removed?'));
    if (!('name' in name)) return name;
    const record = this.vault.get(name.name)!;
    const common = { name: record.name, hint: record.hint };
    let confirmed = args.confirm === true;
    if (!confirmed && args.confirm === undefined && interactive) {
      const remove = vscode.l10n.t('Remove');
      confirmed =
        (await this.messages.ask(
          vscode.l10n.t('Remove {0} ({1}) from VS Code?', record.name, record.hint),
          vscode.l10n.t('This does not revoke the key: it stays live until you revoke it in the Anthropic Console.'),
          remove,
        )) === remove;
    }
    if (!confirmed) return { ...common, ...this.fail('cancelled', vscode.l10n.t('{0} was not removed.', record.name), false) };

    const removed = await this.vault.remove(record.name);
    if (!removed.ok) return { ...common, ...this.fail('storage-failed', vscode.l10n.t('{0} ({1}) could not be removed: {2}', record.name, record.hint, removed.error)) };
    // Wait for the terminals to drop it, so "removed" also means "no longer given to new terminals".
    await this.terminals.refresh();
    let message = vscode.l10n.t('Removed {0} ({1}) from VS Code. It stays live until you revoke it in the Anthropic Console.', record.name, record.hint);
    if (this.terminals.enabled) message += ' ' + vscode.l10n.t('New terminals no longer get it; terminals opened before keep it until closed.');
    const openConsole = vscode.l10n.t('Open Console');
    void this.messages.info(message, openConsole).then((choice) => {
      if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
    });
    return { ...common, ok: true, message };
  }

  // ---- List ----

  async list(args: CommonArgs): Promise<ListKeysResult> {
    const interactive = args.interactive !== false;
    const now = new Date();
    const days = readKeyVaultSettings().rotationReminderDays;
    const keys: ListedKey[] = [];
    for (const record of this.vault.list()) {
      keys.push({
        ...record,
        ageDays: keyAgeDays(record, now),
        rotationDue: isRotationDue(record, days, now),
        secretPresent: (await this.vault.getSecret(record.name)) !== undefined,
      });
    }
    const message = keys.length === 0 ? vscode.l10n.t('No Anthropic key is stored in VS Code.') : vscode.l10n.t('{0} Anthropic key(s) stored in VS Code.', keys.length);
    if (!interactive) return { ok: true, message, keys };

    if (keys.length === 0) {
      const store = vscode.l10n.t('Store API Key');
      void this.messages.info(message, store).then((choice) => {
        if (choice === store) void this.store({});
      });
      return { ok: true, message, keys };
    }
    const picked = await vscode.window.showQuickPick(
      keys.map((key) => ({ label: `${key.rotationDue || !key.secretPresent ? '$(warning)' : '$(key)'} ${key.name}`, description: `${key.hint} · ${environmentLabel(key.environment)}`, detail: listDetail(key), key })),
      { title: vscode.l10n.t('Stored Anthropic Keys'), placeHolder: vscode.l10n.t('Pick a key to verify, rotate or remove it') },
    );
    if (picked) {
      const actions = [
        { label: vscode.l10n.t('Verify'), run: () => this.verify({ name: picked.key.name }) },
        { label: vscode.l10n.t('Rotate'), run: () => this.rotate({ name: picked.key.name }) },
        { label: vscode.l10n.t('Remove'), run: () => this.remove({ name: picked.key.name }) },
      ];
      const action = await vscode.window.showQuickPick(actions, { title: `${picked.key.name} (${picked.key.hint})` });
      if (action) await action.run();
    }
    return { ok: true, message, keys };
  }

  // ---- Rotate ----

  async rotate(args: RotateKeyArgs): Promise<RotateKeyResult> {
    const interactive = args.interactive !== false;
    const picked = await this.pickStoredName(args.name, interactive, vscode.l10n.t('Which key do you want to rotate?'));
    if (!('name' in picked)) return picked;
    const record = this.vault.get(picked.name)!;
    const name = record.name;
    const oldHint = record.hint;
    const common = { name, oldHint };
    const oldSecret = await this.vault.getSecret(name);

    const pasted =
      stringArg(args.newKey) ??
      (interactive
        ? await vscode.window.showInputBox({
            title: vscode.l10n.t('Rotate {0}', name),
            prompt: vscode.l10n.t(
              'First create a new key in the Anthropic Console, then paste it here. It is checked against the API before it replaces the current key ({0}), which stays stored until then.',
              oldHint,
            ),
            placeHolder: 'sk-ant-api03-…',
            password: true,
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
          })
        : undefined);
    const unchanged = vscode.l10n.t('{0} still holds the current key ({1}).', name, oldHint);
    if (pasted === undefined) return { ...common, ...this.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('Nothing was rotated.') + ' ' + unchanged, false) };

    const normalised = normaliseKey(pasted);
    if (!normalised.ok) return { ...common, ...this.fail('rejected-key', vscode.l10n.t('The new key was not used. {0}', keyProblem(normalised)!) + ' ' + unchanged) };
    const newHint = keyHint(normalised.key);
    if (normalised.key === oldSecret) {
      return { ...common, newHint, ...this.fail('same-key', vscode.l10n.t('That is the key {0} already holds. Create a new key in the Anthropic Console first.', name)) };
    }
    const oldKind = oldSecret ? kindOf(oldSecret) : undefined;
    if (oldKind && oldKind !== normalised.kind) {
      return {
        ...common,
        newHint,
        ...this.fail('kind-mismatch', vscode.l10n.t('The new key is {0}, but {1} holds {2}. Rotate a key with a key of the same kind.', kindLabel(normalised.kind), name, kindLabel(oldKind)) + ' ' + unchanged),
      };
    }

    // The docs' order: the new key must be proven live before the old one is let go.
    const verification = await this.check({ key: normalised.key, kind: normalised.kind, source: 'argument', label: vscode.l10n.t('The new key for {0}', name) }, interactive, { quiet: true });
    if (verification.status !== 'valid') {
      const reason = verification.reason ?? 'new-key-not-valid';
      return { ...common, newHint, verification, ...this.fail(reason, vscode.l10n.t('{0} was not rotated.', name) + ' ' + verification.message + ' ' + unchanged) };
    }

    const now = new Date().toISOString();
    const stored = await this.vault.store({ ...record, hint: newHint, storedAt: now, lastVerifiedAt: now, lastResult: 'valid' }, normalised.key);
    if (!stored.ok) {
      return { ...common, newHint, verification, ...this.fail('storage-failed', vscode.l10n.t('The new key for {0} is live but could not be stored: {1}', name, stored.error) + ' ' + unchanged) };
    }
    await this.terminals.refresh();

    let message = vscode.l10n.t(
      '{0} now holds the new key ({1}), verified live. Now revoke the old key {2} in the Anthropic Console: until then it still works for anyone who has a copy.',
      name,
      newHint,
      oldHint,
    );
    if (this.terminals.enabled) message += ' ' + vscode.l10n.t('New terminals get the new key; close terminals opened before.');
    const openConsole = vscode.l10n.t('Open Console');
    void this.messages.warn(message, openConsole).then((choice) => {
      if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
    });
    return { ...common, ok: true, message, newHint, verification };
  }

  // ---- Terminals ----

  async useInTerminals(args: UseInTerminalsArgs): Promise<UseInTerminalsResult> {
    const enable = typeof args.enable === 'boolean' ? args.enable : !this.terminals.enabled;
    if (enable && !vscode.workspace.isTrusted) {
      const message = vscode.l10n.t('Stored keys are not given to terminals of a workspace in Restricted Mode. Trust the workspace first.');
      void this.messages.warn(message);
      return { ok: false, reason: 'untrusted-workspace', message, enabled: this.terminals.enabled, keys: this.terminals.injected };
    }
    const keys = await this.terminals.setEnabled(enable);
    const listed = keys.map(({ name, hint }) => `${name} (${hint})`).join(', ');
    const message = !enable
      ? vscode.l10n.t('New terminals in this workspace no longer get stored Anthropic keys; terminals opened before keep them until closed.')
      : keys.length === 0
        ? vscode.l10n.t('New terminals in this workspace will get stored Anthropic keys, but none is stored yet: run Store API Key.')
        : vscode.l10n.t('New terminals in this workspace get {0} from VS Code’s secret storage; no .env file is needed. Terminals opened before do not.', listed);
    void this.messages.info(message);
    return { ok: true, message, enabled: enable, keys };
  }

  // ---- helpers ----

  private async pickStoredName(given: unknown, interactive: boolean, placeHolder: string): Promise<{ name: string } | CommandResult> {
    const records = this.vault.list();
    const name = stringArg(given);
    if (name !== undefined) {
      return records.some((record) => record.name === name) ? { name } : this.fail('unknown-name', vscode.l10n.t('No key named {0} is stored.', name));
    }
    if (records.length === 0) return this.fail('unknown-name', vscode.l10n.t('No Anthropic key is stored in VS Code. Run Store API Key first.'));
    if (records.length === 1) return { name: records[0].name };
    if (!interactive) return this.fail('missing-argument', vscode.l10n.t('Several keys are stored: say which one by name.'), false);
    const picked = await vscode.window.showQuickPick(
      records.map((record) => ({ label: record.name, description: `${record.hint} · ${environmentLabel(record.environment)}`, name: record.name })),
      { placeHolder, ignoreFocusOut: true },
    );
    return picked ? { name: picked.name } : this.fail('cancelled', vscode.l10n.t('Nothing was changed.'), false);
  }

  /** A failed result; shown as an error unless `show` is false (cancellations are not news). */
  private fail(reason: FailureReason, message: string, show = true): CommandResult & { ok: false; reason: FailureReason } {
    if (show) void this.messages.error(message);
    return { ok: false, reason, message };
  }
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
function kindOf(secret: string): 'api-key' | 'admin-key' {
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

// ---- texts ----------------------------------------------------------------------------------------------

function keyProblem(normalised: NormalisedKey): string | undefined {
  if (normalised.ok) return undefined;
  switch (normalised.reason) {
    case 'empty':
      return vscode.l10n.t('Nothing was entered.');
    case 'inner-whitespace':
      return vscode.l10n.t('The text has spaces or line breaks inside it. Paste exactly one key.');
    case 'not-anthropic':
      return vscode.l10n.t('This is not an Anthropic key: those start with sk-ant-.');
    case 'placeholder':
      return vscode.l10n.t('This is a placeholder from documentation or a template, not a real key.');
    case 'not-an-api-key':
      return vscode.l10n.t('This is {0}, not an API key. Only API keys and Admin keys can be stored and checked.', kindLabel(normalised.kind ?? 'other-token'));
    case 'malformed':
      return vscode.l10n.t(
        'This does not look like a whole key ({0} characters; API keys have {1}). It may have been cut off when copying: copy it again.',
        normalised.length ?? 0,
        publishedKeyLength('api-key'),
      );
  }
}

function trimmedText(parts: TrimmedPart[]): string {
  const names = parts.map((part) => {
    switch (part) {
      case 'whitespace':
        return vscode.l10n.t('surrounding whitespace');
      case 'assignment':
        return vscode.l10n.t('the variable name before the key');
      case 'trailing-punctuation':
        return vscode.l10n.t('a trailing comma or semicolon');
      case 'quotes':
        return vscode.l10n.t('surrounding quotes');
    }
  });
  return vscode.l10n.t('Removed {0} from the pasted text.', names.join(', '));
}

function nameText(problem: KeyNameRejection): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter a name, e.g. ANTHROPIC_API_KEY.');
    case 'invalid-characters':
      return vscode.l10n.t('A name may contain only letters, digits and underscores (it is used as an environment variable).');
    case 'starts-with-digit':
      return vscode.l10n.t('A name must not start with a digit (it is used as an environment variable).');
    case 'too-long':
      return vscode.l10n.t('A name may have at most 64 characters.');
    case 'reserved':
      return vscode.l10n.t('That name is a system environment variable; setting it in terminals would break them. Choose another.');
  }
}

function kindLabel(kind: CredentialKind): string {
  switch (kind) {
    case 'api-key':
      return vscode.l10n.t('an API key');
    case 'admin-key':
      return vscode.l10n.t('an Admin key');
    case 'oauth-access-token':
      return vscode.l10n.t('an OAuth access token');
    case 'oauth-refresh-token':
      return vscode.l10n.t('an OAuth refresh token');
    case 'session-key':
      return vscode.l10n.t('a session key');
    case 'other-token':
      return vscode.l10n.t('an Anthropic token of an unknown kind');
  }
}

function environmentLabel(environment: KeyEnvironment): string {
  switch (environment) {
    case 'development':
      return vscode.l10n.t('development');
    case 'staging':
      return vscode.l10n.t('staging');
    case 'production':
      return vscode.l10n.t('production');
  }
}

export function statusLabel(status: VerifyStatus): string {
  switch (status) {
    case 'valid':
      return vscode.l10n.t('live');
    case 'invalid':
      return vscode.l10n.t('invalid');
    case 'no-permission':
      return vscode.l10n.t('no permission');
    case 'billing':
      return vscode.l10n.t('billing problem');
    case 'not-found':
      return vscode.l10n.t('not confirmed (not found)');
    case 'rate-limited':
      return vscode.l10n.t('unknown (rate-limited)');
    case 'server-error':
      return vscode.l10n.t('unknown (server error)');
    case 'overloaded':
      return vscode.l10n.t('unknown (overloaded)');
    case 'unreachable':
      return vscode.l10n.t('unknown (unreachable)');
    case 'unexpected':
      return vscode.l10n.t('unknown (unexpected answer)');
  }
}

function listDetail(key: ListedKey): string {
  const parts = [key.ageDays === 0 ? vscode.l10n.t('stored today') : vscode.l10n.t('stored {0} days ago', key.ageDays)];
  if (key.lastResult && key.lastVerifiedAt) parts.push(vscode.l10n.t('last check: {0} ({1})', statusLabel(key.lastResult), key.lastVerifiedAt.slice(0, 10)));
  else parts.push(vscode.l10n.t('never checked'));
  if (key.rotationDue) parts.push(vscode.l10n.t('due for rotation'));
  if (!key.secretPresent) parts.push(vscode.l10n.t('missing from the secret storage'));
  return parts.join(' · ');
}

/** The scheme and host of a URL, never a user name, password, path or query. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return vscode.l10n.t('not a valid URL');
  }
}
