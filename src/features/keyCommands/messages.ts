// The key vault's notifications: every text shown is remembered (the last 200), so the integration tests can
// prove that none ever held a key.
import * as vscode from 'vscode';


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
