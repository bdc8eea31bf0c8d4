// Takes the README's screenshot in the real VS Code: builds the demo workspace, opens it with the
// extension through the integration runner, lets test/screenshots/tour.ts arrange the workbench, and
// saves media/screenshot.png.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createDemoWorkspace } from './demo-workspace.mjs';

const workspace = createDemoWorkspace(resolve('.vscode-test/screenshot-workspace'));
execFileSync(process.execPath, ['scripts/run-integration-tests.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, AKH_WORKSPACE: workspace, AKH_TESTS_ENTRY: 'out/test/screenshots/tour.js',
    // Narrow enough that no planted key fits on screen whole: the picture shows hints, never a full key.
    VIEWPORT_WIDTH: '1100', SCREENSHOT: resolve(process.argv[2] ?? 'media/screenshot.png') },
});
