// The same integration suite in desktop VS Code, for machines that can download it (a laptop, a hosted
// CI runner). Offline machines use scripts/run-integration-tests.mjs (code-server) instead.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const workspace = join(mkdtempSync(join(tmpdir(), 'akh-workspace-')), 'workspace');
mkdirSync(workspace);
try {
  await runTests({
    extensionDevelopmentPath: resolve('.'),
    extensionTestsPath: resolve('out/test/integration/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(`desktop integration tests failed: ${error.message ?? error}`);
  process.exit(1);
}
