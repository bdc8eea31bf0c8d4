// Every notification the extension shows during a test run, whichever feature shows it: the extension and its
// tests share one `vscode` API object in the extension host, so wrapping its three show*Message functions sees
// them all (the key vault's, the fixes', the hook's, the report's). runSuite checks at the end that none of them
// ever held more of a key than its hint.
import * as vscode from 'vscode';

type Show = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/** The texts shown so far: message, detail and button titles, in order. */
export const shownTexts: string[] = [];

const listeners = new Set<(text: string) => void>();

/** Resolves with the first notification from now on whose text matches `pattern` (or rejects after `timeoutMs`). */
export function nextNotification(pattern: RegExp, timeoutMs = 15000): Promise<string> {
  return new Promise((resolve, reject) => {
    const listener = (text: string) => {
      if (!pattern.test(text)) return;
      listeners.delete(listener);
      clearTimeout(timer);
      resolve(text);
    };
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new Error(`no notification matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    listeners.add(listener);
  });
}

let installed = false;

export function recordNotifications(): void {
  if (installed) return;
  installed = true;
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
      const text = texts.join(' | ');
      shownTexts.push(text);
      for (const listener of [...listeners]) listener(text);
      return original(message, ...rest);
    };
  }
}

/** A run of `sk-ant-` and key characters longer than a hint's head: more of a key than may ever be shown. */
const KEY_RUN = /sk-ant-[A-Za-z0-9_-]{20,}/;

export function notificationsShowingKeys(): string[] {
  return shownTexts.filter((text) => KEY_RUN.test(text)).map((text) => text.replace(/sk-ant-[A-Za-z0-9_-]{20,}/g, '<KEY>'));
}
