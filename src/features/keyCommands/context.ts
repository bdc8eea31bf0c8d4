// What every key command shares: the vault, the terminal injection, the notifications, the other commands (Store
// may hand over to Rotate, List to Verify, Rotate or Remove), and the two helpers most commands need: failing
// with a reason, and picking a stored key by name. One object passed to each command instead of one class that
// holds them all.
//
// The rule for dialogs: a prompt or question appears only for an answer missing from the arguments, and never
// when `interactive: false` is passed; then a missing answer means "no" (or fails the command with a reason).
import * as vscode from 'vscode';
import type { KeyInventory } from '../keyInventory';
import type { KeyVault } from '../keyVault';
import type { TerminalKeys } from '../keyTerminals';
import type { KeyMessages } from './messages';
import { environmentLabel } from './texts';
import type {
  CommandResult,
  CommonArgs,
  FailureReason,
  ListKeysResult,
  RemoveKeyArgs,
  RemoveKeyResult,
  RotateKeyArgs,
  RotateKeyResult,
  StoreKeyArgs,
  StoreKeyResult,
  UseInTerminalsArgs,
  UseInTerminalsResult,
  VerifyCommandResult,
  VerifyKeyArgs,
} from './types';

export interface KeyCommandDependencies {
  vault: KeyVault;
  terminals: TerminalKeys;
  messages: KeyMessages;
  /** The organisation's keys as last read; Rotate marks the old key deactivated in it. */
  inventory?: KeyInventory;
  /** The web build: checks are sent from the browser, with the header the API requires of browsers (verify.ts). */
  fromBrowser?: boolean;
}

/** The commands, callable from one another without going through the command registry. */
export interface KeyCommandSet {
  store(args: StoreKeyArgs): Promise<StoreKeyResult>;
  verify(args: VerifyKeyArgs): Promise<VerifyCommandResult>;
  remove(args: RemoveKeyArgs): Promise<RemoveKeyResult>;
  list(args: CommonArgs): Promise<ListKeysResult>;
  rotate(args: RotateKeyArgs): Promise<RotateKeyResult>;
  useInTerminals(args: UseInTerminalsArgs): Promise<UseInTerminalsResult>;
}

/** The scheme of the read-only documents the commands show (a rotation's planned .env changes). */
export const READ_ONLY_SCHEME = 'anthropic-key-hygiene';

export const stringArg = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export class KeyCommandContext {
  readonly vault: KeyVault;
  readonly terminals: TerminalKeys;
  readonly messages: KeyMessages;
  readonly inventory: KeyInventory | undefined;
  readonly fromBrowser: boolean;
  /** The user agreed, in this window, to checks sent from the browser (asked once; see verify.ts). */
  browserChecksConfirmed = false;

  constructor(
    { vault, terminals, messages, inventory, fromBrowser }: KeyCommandDependencies,
    /** The other commands; set once by registerKeyCommands. */
    readonly commands: KeyCommandSet,
  ) {
    this.vault = vault;
    this.terminals = terminals;
    this.messages = messages;
    this.inventory = inventory;
    this.fromBrowser = fromBrowser === true;
  }

  /** The stored key named by `given`, or the only one stored, or the one the user picks; else why there is none. */
  async pickStoredName(given: unknown, interactive: boolean, placeHolder: string): Promise<{ name: string } | CommandResult> {
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

  /** Shows `content` (hints only) in a read-only editor: a planned change the user is asked about. */
  async showReadOnly(name: string, content: string, language: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}` });
    this.readOnlyContents.set(uri.toString(), content);
    this.readOnlyChanged.fire(uri);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  /** Contents of the read-only documents shown by showReadOnly. */
  readonly readOnlyContents = new Map<string, string>();
  readonly readOnlyChanged = new vscode.EventEmitter<vscode.Uri>();

  /** A failed result; shown as an error unless `show` is false (cancellations are not news). */
  fail(reason: FailureReason, message: string, show = true): CommandResult & { ok: false; reason: FailureReason } {
    if (show) void this.messages.error(message);
    return { ok: false, reason, message };
  }
}
