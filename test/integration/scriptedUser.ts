// A scripted user for tests that run commands the way a person does (no argument object), so the commands ask
// their questions. It takes the place of VS Code's input boxes, quick picks, dialogs and notifications for the
// extension under test: the test files and the extension share one `vscode` API object, so replacing its
// `window.show*` functions here is what the extension calls. Each expected question is answered once, as it
// comes; a question nobody expected is cancelled and recorded, so a test can fail on it with its text.
//
// Answers are what a user would type or click, and an input box's own validation runs on them first, as it
// would while the user types: an answer the box would refuse fails the test instead of slipping through.
import * as vscode from 'vscode';

export type PromptKind = 'input' | 'pick' | 'modal' | 'notification' | 'folder';

/** One question as the user saw it. */
export interface Prompt {
  kind: PromptKind;
  /** The message, or the input box's / quick pick's title, prompt and placeholder, joined. */
  text: string;
  /** Buttons of a message; labels of a quick pick's items. */
  choices: string[];
  /** An input box that hides what is typed. */
  password?: boolean;
  /** What the user answered (undefined: cancelled or dismissed). Never a key: inputs are recorded as their length. */
  answer?: string;
}

/** What the user does when a question matching `when` appears. */
export type Step =
  | { kind: 'input'; when: RegExp; type: string | ((options: vscode.InputBoxOptions) => string); password?: boolean }
  | { kind: 'pick'; when: RegExp; choose: RegExp }
  | { kind: 'modal' | 'notification'; when: RegExp; click: string };

type MessageFunction = (message: string, ...rest: unknown[]) => Thenable<unknown>;

const MESSAGE_FUNCTIONS = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;

function labelOf(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object' && 'title' in item) return String((item as vscode.MessageItem).title);
  if (item && typeof item === 'object' && 'label' in item) return String((item as vscode.QuickPickItem).label);
  return String(item);
}

export class ScriptedUser implements vscode.Disposable {
  /** Every question asked since the user arrived, in order. */
  readonly seen: Prompt[] = [];
  /** Questions no step expected: cancelled, and a reason to fail. */
  readonly unexpected: Prompt[] = [];
  private steps: Step[] = [];
  private readonly originals = new Map<string, unknown>();

  constructor() {
    const window = vscode.window as unknown as Record<string, unknown>;
    for (const name of [...MESSAGE_FUNCTIONS, 'showInputBox', 'showQuickPick', 'showWorkspaceFolderPick']) this.originals.set(name, window[name]);
    window.showInputBox = (options?: vscode.InputBoxOptions) => this.input(options ?? {});
    window.showQuickPick = (items: readonly unknown[] | Thenable<readonly unknown[]>, options?: vscode.QuickPickOptions) => this.pick(items, options ?? {});
    window.showWorkspaceFolderPick = (options?: vscode.WorkspaceFolderPickOptions) => this.folder(options ?? {});
    for (const name of MESSAGE_FUNCTIONS) {
      window[name] = ((message: string, ...rest: unknown[]) => this.message(message, rest)) satisfies MessageFunction;
    }
  }

  /** Gives the user what to do next; the steps left over from before are dropped (see `pending`). */
  expect(...steps: Step[]): void {
    this.steps = [...steps];
  }

  /** Steps that have not happened yet: the questions the user was told to expect but was never asked. */
  get pending(): readonly Step[] {
    return this.steps;
  }

  dispose(): void {
    const window = vscode.window as unknown as Record<string, unknown>;
    for (const [name, original] of this.originals) window[name] = original;
  }

  /** The first step still to come that answers this question; consumed. */
  private take(kind: PromptKind, text: string): Step | undefined {
    const index = this.steps.findIndex((step) => step.kind === kind && step.when.test(text));
    return index < 0 ? undefined : this.steps.splice(index, 1)[0];
  }

  private record(prompt: Prompt, expected: boolean): void {
    this.seen.push(prompt);
    if (!expected) this.unexpected.push(prompt);
  }

  private async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const text = [options.title, options.prompt, options.placeHolder].filter(Boolean).join(' · ');
    const step = this.take('input', text);
    const prompt: Prompt = { kind: 'input', text, choices: [], password: options.password === true };
    if (step?.kind !== 'input') {
      this.record(prompt, false);
      return undefined;
    }
    if (step.password !== undefined && step.password !== prompt.password) {
      this.record({ ...prompt, text: `${text} (expected ${step.password ? 'a password box' : 'a plain input box'})` }, false);
      return undefined;
    }
    const value = typeof step.type === 'function' ? step.type(options) : step.type;
    // The box checks what is typed before Enter is accepted.
    const problem = await options.validateInput?.(value);
    const message = typeof problem === 'string' ? problem : problem?.message;
    if (message) {
      this.record({ ...prompt, text: `${text} (refused the answer: ${message})` }, false);
      return undefined;
    }
    this.record({ ...prompt, answer: `<${value.length} characters>` }, true);
    return value;
  }

  private async pick(itemsOrPromise: readonly unknown[] | Thenable<readonly unknown[]>, options: vscode.QuickPickOptions): Promise<unknown> {
    const items = await itemsOrPromise;
    const text = [options.title, options.placeHolder].filter(Boolean).join(' · ');
    const choices = items.map(labelOf);
    const step = this.take('pick', text);
    const index = step?.kind === 'pick' ? choices.findIndex((choice) => step.choose.test(choice)) : -1;
    if (index < 0) {
      this.record({ kind: 'pick', text: step ? `${text} (no item matches ${String((step as { choose: RegExp }).choose)})` : text, choices }, false);
      return undefined;
    }
    this.record({ kind: 'pick', text, choices, answer: choices[index] }, true);
    return options.canPickMany ? [items[index]] : items[index];
  }

  private async folder(options: vscode.WorkspaceFolderPickOptions): Promise<vscode.WorkspaceFolder | undefined> {
    this.record({ kind: 'folder', text: options.placeHolder ?? '', choices: (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.name) }, false);
    return undefined;
  }

  private async message(message: string, rest: unknown[]): Promise<unknown> {
    const first = rest[0];
    const options = first && typeof first === 'object' && !('title' in first) ? (first as vscode.MessageOptions) : undefined;
    const items = options ? rest.slice(1) : rest;
    const modal = options?.modal === true;
    const text = options?.detail ? `${message} ${options.detail}` : message;
    const choices = items.map(labelOf);
    const step = this.take(modal ? 'modal' : 'notification', text);
    const kind = modal ? 'modal' : 'notification';
    if (step && 'click' in step) {
      const index = choices.indexOf(step.click);
      if (index >= 0) {
        this.record({ kind, text, choices, answer: step.click }, true);
        return items[index];
      }
      this.record({ kind, text: `${text} (no button ${step.click})`, choices }, false);
      return undefined;
    }
    // A notification nobody planned for is read and closed, as a user does; a dialog nobody planned for is a
    // question the test did not expect: it is cancelled and counted.
    this.record({ kind, text, choices }, !modal);
    return undefined;
  }
}
