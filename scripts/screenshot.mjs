// Takes the README's pictures in the real VS Code: builds a demo workspace, opens it with the extension
// through the integration runner, and lets a tour in test/screenshots/ arrange the workbench and ask for each
// picture. One VS Code session at a time.
//   node scripts/screenshot.mjs          both of the below
//   node scripts/screenshot.mjs tour     media/screenshot.png (test/screenshots/tour.ts, the `npm start` workspace)
//   node scripts/screenshot.mjs demo     media/demo/*.png, the stepwise demo (test/screenshots/demo.ts)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDemoWorkspace, createStepsWorkspace } from './demo-workspace.mjs';

const wanted = process.argv.slice(2);
const runs = {
  tour: () => ({ workspace: createDemoWorkspace(resolve('.vscode-test/screenshot-workspace')), entry: 'out/test/screenshots/tour.js', SCREENSHOT: resolve('media/screenshot.png') }),
  demo: () => {
    mkdirSync('media/demo', { recursive: true });
    // A neutral path: the report shows it.
    const workspace = createStepsWorkspace(join(tmpdir(), 'anthropic-key-hygiene-demo', 'chat-app'));
    return { workspace, entry: 'out/test/screenshots/demo.js', SCREENSHOT_DIR: resolve('media/demo') };
  },
};
for (const name of wanted.length > 0 ? wanted : Object.keys(runs)) {
  if (!runs[name]) throw new Error(`unknown picture set ${name}; one of: ${Object.keys(runs).join(', ')}`);
  const { workspace, entry, ...output } = runs[name]();
  execFileSync(process.execPath, ['scripts/run-integration-tests.mjs'], {
    stdio: 'inherit',
    // Narrow enough that no planted key fits on screen whole: the pictures show hints, never a full key.
    env: { ...process.env, AKH_WORKSPACE: workspace, AKH_TESTS_ENTRY: entry, VIEWPORT_WIDTH: '1100', ...output },
  });
}
