// Every notification the extension shows during the web run (the twin of test/integration/notifications.ts): in the
// web worker host too, the extension and its tests share one `vscode` API object, so wrapping its show*Message
// functions sees every feature's messages. index.ts checks at the end that none held more of a key than its hint.
import * as vscode from 'vscode';

type Show = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/** The texts shown so far: message, detail and button titles, in order. */
export const shownTexts: string[] = [];

export function recordNotifications(): void {
  const window = vscode.window as unknown as Record<'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage', Show>;
  for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) {
    const original = window[name].bind(vscode.window);
    window[name] = (message: string, ...rest: unknown[]) => {
      const texts = [message];
      for (const item of rest) {
        if (typeof item === 'string') texts.push(item);
        else if (item && typeof item === 'object') {
          const { detail, title } = item as { detail?: unknown; title?: unknown };
          if (typeof detail === 'string') texts.push(detail);
          if (typeof title === 'string') texts.push(title);
        }
      }
      shownTexts.push(texts.join(' | '));
      return original(message, ...rest);
    };
  }
}

/** A run of `sk-ant-` and key characters longer than a hint's head: more of a key than may ever be shown. */
const KEY_RUN = /sk-ant-[A-Za-z0-9_-]{20,}/;

export function notificationsShowingKeys(): string[] {
  return shownTexts.filter((text) => KEY_RUN.test(text));
}
