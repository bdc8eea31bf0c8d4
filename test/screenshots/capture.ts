// Shared by the screenshot tours: asks the runner (scripts/run-integration-tests.mjs) for a screenshot of the
// workbench as it is now, and waits until it is saved before the tour changes anything again.
import * as vscode from 'vscode';
import { existsSync, mkdtempSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CaptureOptions {
  /** Saved as SCREENSHOT_DIR/<name>.png; without a name, to SCREENSHOT. */
  name?: string;
  /** Selectors the runner waits for before it takes the picture (default: Problems rows and a hover). */
  waitFor?: string[];
  /**
   * Seed of a fake key (scripts/fake-keys.mjs) the runner pastes where the focus is before the picture, e.g.
   * into a password box. A seed, not the key: only the runner ever holds it, so the key never reaches a log.
   */
  pasteFakeKey?: number;
  /** Milliseconds to wait after those, for what no selector marks. */
  settleMs?: number;
  /** Crop to the smallest rectangle holding the first match of each selector (default: the whole window). */
  clipTo?: string[];
}

export async function capture(options: CaptureOptions = {}): Promise<void> {
  const marker = join(mkdtempSync(join(tmpdir(), 'akh-shot-')), 'done');
  const saved = new Promise<void>((resolve) => {
    const watcher = watch(dirname(marker), () => {
      if (existsSync(marker)) {
        watcher.close();
        resolve();
      }
    });
  });
  console.log(`AKH-SCREENSHOT ${marker} ${JSON.stringify(options)}`);
  await saved;
}

/** Resolves once `done` holds for the diagnostics of `uri`, checking now and on every change. */
export function diagnosticsWhere(uri: vscode.Uri, done: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => done(vscode.languages.getDiagnostics(uri));
    if (check()) return resolve();
    const subscription = vscode.languages.onDidChangeDiagnostics(() => {
      if (check()) {
        subscription.dispose();
        resolve();
      }
    });
  });
}
