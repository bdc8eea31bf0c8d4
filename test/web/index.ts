// Entry point of the web suite: VS Code's web worker extension host loads this one bundle (out/web-test/index.js,
// built by `node esbuild.mjs --tests`) as the extension's tests, because it lies inside the extension's folder and
// the extension runs there (scripts/run-integration-tests.mjs --web). There is no Node in that host: mocha is its
// browser build, assertions are ./assert.ts, and the fake Anthropic API runs in the runner (see environment.json).
import * as vscode from 'vscode';
import { testEnvironment } from './helpers';
import { notificationsShowingKeys, recordNotifications, shownTexts } from './notifications';

/** The test files of the suite, in order. A unit test (test/unit/project/webSuite.test.ts) checks that every
 * test/web/*.test.ts is listed here, so a new file cannot be left out of the run. */
export const WEB_TEST_FILES = ['environment.test', 'nodeOnlyCommands.test', 'diagnostics.test', 'keyFixes.test', 'keyVault.test', 'report.test', 'manifest.test'];

export async function run(): Promise<void> {
  // The browser build exports the mocha instance when loaded as a module; setup() defines describe/it globally.
  // The requires in this function are resolved by esbuild when it bundles the suite, not at run time.
  /* eslint-disable @typescript-eslint/no-require-imports, no-restricted-globals */
  const mocha = require('mocha/mocha.js') as BrowserMocha;
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60000, color: false });
  // Required here, after setup, so that describe() exists when each file runs. esbuild bundles these requires.
  // `--web --suite perf` runs the web figures of `npm run bench:editor` instead of the tests.
  if ((await testEnvironment()).suite === 'perf') {
    require('./perf.figures');
  } else {
    require('./environment.test');
    require('./nodeOnlyCommands.test');
    require('./diagnostics.test');
    require('./keyFixes.test');
    require('./keyVault.test');
    require('./report.test');
    require('./manifest.test');
  }
  /* eslint-enable @typescript-eslint/no-require-imports, no-restricted-globals */
  // Every notification of the run, from every feature, must show hints only: checked once all tests have run.
  recordNotifications();
  mocha.suite.afterAll('no notification of the run showed a key', () => {
    const leaks = notificationsShowingKeys();
    if (leaks.length > 0) throw new Error(`notifications showed a key:\n${leaks.join('\n')}`);
    console.log(`checked ${shownTexts.length} notifications: none showed a key`);
  });
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}), web worker extension host`);
  return new Promise((resolve, reject) => {
    const runner = mocha.run(() => {
      const passed = runner.stats?.passes ?? 0;
      const failed = runner.stats?.failures ?? 0;
      // The launcher reads this line for its summary.
      console.log(`AKH-RESULT ${JSON.stringify({ passed, failed })}`);
      if (failed > 0) reject(new Error(`${failed} web test(s) failed`));
      else resolve();
    });
  });
}
