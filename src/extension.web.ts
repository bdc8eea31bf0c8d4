// The web build's activate() (package.json `browser`): the extension as vscode.dev, github.dev and code-server's
// web worker extension host run it, with no Node and no git. It wires what works without them and answers the
// rest with one message (see src/features/web/nodeOnlyCommands.ts). Like activate() in extension.ts, it only wires.
import * as vscode from 'vscode';
import { KeyMessages } from './features/keyCommands/messages';
import { registerNodeOnlyCommands } from './features/web/nodeOnlyCommands';

/** What the web build exports; its integration tests read it to prove where and what ran. */
export interface WebExtensionApi {
  /** Which build is running: this one says 'web'. */
  readonly build: 'web';
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  /** Only when VS Code runs the extension's tests: the texts of the notifications shown, oldest first. */
  readonly notificationsForTests?: readonly string[];
}

export function activate(context: vscode.ExtensionContext): WebExtensionApi {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const messages = new KeyMessages();
  context.subscriptions.push(registerNodeOnlyCommands((message) => void messages.warn(message)));
  return {
    build: 'web',
    activationMs: performance.now() - started,
    ...(testMode ? { notificationsForTests: messages.shown } : {}),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
