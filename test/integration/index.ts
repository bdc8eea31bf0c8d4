// Entry point VS Code loads as extensionTestsPath: runs every *.test.js beside this file with mocha,
// inside the extension host. Both launchers (code-server here, @vscode/test-electron on a desktop) use it.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { notificationsShowingKeys, recordNotifications, shownTexts } from './notifications';

export function run(): Promise<void> {
  return runSuite(__dirname);
}

/** Runs the *.test.js files of one folder (not its subfolders: untrusted/ is a suite of its own). */
export async function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(join(dir, name));
  }
  // Every notification of the run, from every feature, must show hints only: checked once all tests have run.
  recordNotifications();
  mocha.suite.afterAll('no notification of the run showed a key', () => {
    const leaks = notificationsShowingKeys();
    if (leaks.length > 0) throw new Error(`notifications showed a key:\n${leaks.join('\n')}`);
    console.log(`checked ${shownTexts.length} notifications: none showed a key`);
  });
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}), extension host ${process.version}`);
  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  // The code-server launcher reads this line for its summary; desktop runs just print it.
  console.log(`AKH-RESULT ${JSON.stringify({ passed, failed })}`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
