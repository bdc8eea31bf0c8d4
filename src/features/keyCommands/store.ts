// Store API Key: asks for what the arguments leave out (the key in a password box, its name, its environment),
// refuses placeholders, malformed keys and bad names, never silently replaces a stored key (Rotate API Key is
// offered instead), stores it, and offers to verify it.
import * as vscode from 'vscode';
import { keyHint } from '../../core/hint';
import { DEFAULT_KEY_NAME, checkKeyName, normaliseKey } from '../../core/keyInput';
import { KEY_ENVIRONMENTS, isKeyEnvironment, type KeyEnvironment } from '../../core/keyMetadata';
import { stringArg, type KeyCommandContext } from './context';
import { environmentLabel, keyProblem, nameText, trimmedText } from './texts';
import type { StoreKeyArgs, StoreKeyResult } from './types';

/** Where an Admin key is stored by default: the Admin API commands look for it there first. */
const ADMIN_KEY_NAME = 'ANTHROPIC_ADMIN_KEY';

export async function store(context: KeyCommandContext, args: StoreKeyArgs): Promise<StoreKeyResult> {
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
  if (pasted === undefined) return context.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('No key was stored.'), false);

  const normalised = normaliseKey(pasted);
  if (!normalised.ok) return context.fail('rejected-key', vscode.l10n.t('The key was not stored. {0}', keyProblem(normalised)!));

  const name = await askName(args, normalised.assignedName, interactive, normalised.kind === 'admin-key' ? ADMIN_KEY_NAME : DEFAULT_KEY_NAME);
  if (name === undefined) return context.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('No key was stored.'), false);
  const nameProblem = checkKeyName(name);
  if (nameProblem) return context.fail('rejected-name', vscode.l10n.t('The key was not stored. {0}', nameText(nameProblem)));

  const existing = context.vault.get(name);
  if (existing && args.overwrite !== true) {
    const replace = vscode.l10n.t('Replace');
    const rotate = vscode.l10n.t('Rotate Instead');
    const choice =
      interactive && args.overwrite === undefined
        ? await context.messages.ask(
            vscode.l10n.t('A key named {0} ({1}) is already stored. Replace it?', name, existing.hint),
            vscode.l10n.t('Rotate API Key checks the new key against the API before it replaces the stored one.'),
            replace,
            rotate,
          )
        : undefined;
    if (choice === rotate) {
      const rotated = await context.commands.rotate({ name, newKey: normalised.key, interactive });
      return { ...rotated, hint: rotated.newHint, trimmed: normalised.trimmed };
    }
    if (choice !== replace) {
      return context.fail('exists', vscode.l10n.t('The key was not stored: a key named {0} ({1}) is already stored. Rotate it, or remove it first.', name, existing.hint), !interactive);
    }
  }

  const environment = await askEnvironment(args, existing?.environment, interactive);
  if (environment === undefined) return context.fail('cancelled', vscode.l10n.t('No key was stored.'), false);

  const hint = keyHint(normalised.key);
  const stored = await context.vault.store({ name, environment, hint, storedAt: new Date().toISOString() }, normalised.key);
  if (!stored.ok) return context.fail('storage-failed', vscode.l10n.t('The key {0} could not be stored: {1}', hint, stored.error));

  const trimmedNote = normalised.trimmed.length > 0 ? ' ' + trimmedText(normalised.trimmed) : '';
  const message = vscode.l10n.t('Stored {0} ({1}, {2}) in VS Code’s secret storage.', name, hint, environmentLabel(environment)) + trimmedNote;
  const result: StoreKeyResult = { ok: true, message, name, hint, trimmed: normalised.trimmed };
  if (args.verify === true) {
    void context.messages.info(message);
    result.verification = await context.commands.verify({ name, interactive });
  } else if (args.verify === undefined && interactive) {
    const verifyNow = vscode.l10n.t('Verify Now');
    void context.messages.info(message, verifyNow).then((choice) => {
      if (choice === verifyNow) void context.commands.verify({ name });
    });
  } else {
    void context.messages.info(message);
  }
  return result;
}

async function askName(args: StoreKeyArgs, assignedName: string | undefined, interactive: boolean, defaultName: string): Promise<string | undefined> {
  const given = stringArg(args.name)?.trim();
  if (given !== undefined) return given;
  const suggestion = assignedName && !checkKeyName(assignedName) ? assignedName : defaultName;
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

async function askEnvironment(args: StoreKeyArgs, current: KeyEnvironment | undefined, interactive: boolean): Promise<KeyEnvironment | undefined> {
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
