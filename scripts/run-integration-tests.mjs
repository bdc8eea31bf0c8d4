// Runs the integration suite (out/test/integration) inside a real VS Code: code-server's remote Node
// extension host, with the workbench opened in Debian's headless Chromium through playwright-core.
// Prints the VS Code version and the test counts; the exit code is the suite's result.
//   VERBOSE=1        also print code-server's and the browser's logs
//   TEST_TIMEOUT_MS  overall limit (default 10 minutes)
//   SCREENSHOT=path  where a screenshot the tests ask for goes (`AKH-SCREENSHOT <marker>`, see below)
//   SCREENSHOT_DIR   where named screenshots go (`AKH-SCREENSHOT <marker> {"name": "1-flagged"}` → DIR/1-flagged.png)
//   AKH_WORKSPACE    open this folder instead of a fresh empty one
//   AKH_TESTS_ENTRY  run this compiled entry point instead of the integration suite
// --untrusted      run the suite in test/integration/untrusted with the workspace in Restricted Mode
// --suite NAME     run the suite in test/integration/NAME (perf, walkthrough) instead of the main one
// --web            run the web suite (out/web-test/index.js, built from test/web/) with the extension in
//                  code-server's web worker extension host, from its `browser` entry, as vscode.dev runs it;
//                  `--web --suite perf` runs the web figures of `npm run bench:editor` instead
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { fakeKey } from './fake-keys.mjs';
import { chromiumArgs, startCodeServer, vscodeVersion, webWorkerSettings, workbenchUrl } from './vscode-server.mjs';

const verbose = process.env.VERBOSE === '1';
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 600000);
const extensionDevelopmentPath = resolve('.');
const untrusted = process.argv.includes('--untrusted');
const web = process.argv.includes('--web');
const suiteArgument = process.argv.indexOf('--suite');
const suite = untrusted ? 'untrusted' : suiteArgument > 0 ? process.argv[suiteArgument + 1] : undefined;
const suiteName = web ? (suite ? `web ${suite}` : 'web') : suite;
const defaultEntry = web ? 'out/web-test/index.js' : suite ? `out/test/integration/${suite}/index.js` : 'out/test/integration/index.js';
const extensionTestsPath = resolve(process.env.AKH_TESTS_ENTRY ?? defaultEntry);
const EXTENSION_ID = 'key-hygiene.anthropic-key-hygiene';

// Each run gets an empty workspace folder; the tests build their fixtures in it at run time.
const workspaceRoot = mkdtempSync(join(tmpdir(), 'akh-workspace-'));
const workspace = process.env.AKH_WORKSPACE ? resolve(process.env.AKH_WORKSPACE) : join(workspaceRoot, 'workspace');
mkdirSync(workspace, { recursive: true });

// The web suite runs in a browser worker, which can start no server: the fake Anthropic API runs here, and the
// suite learns where from environment.json beside its bundle (read through workspace.fs). The live key's seed is
// the runner's and the suite's shared knowledge; the key itself is made on each side, never passed.
let fakeApi;
if (web) {
  const { startFakeAnthropicServer } = createRequire(import.meta.url)('../out/test/support/fakeAnthropicServer.js');
  const liveKeySeed = 1901;
  fakeApi = await startFakeAnthropicServer({ behaviours: [[fakeKey(liveKeySeed), 200]] });
  writeFileSync(resolve(extensionTestsPath, '..', 'environment.json'), JSON.stringify({ apiBaseUrl: fakeApi.baseUrl, liveKeySeed, suite: suite ?? 'web' }));
  // What a browser cannot make through workspace.fs, for the suite to meet: a package whose .env is a symbolic link
  // to a file outside the workspace (a fix must never write through it).
  mkdirSync(join(workspace, 'linked'));
  writeFileSync(join(workspace, 'linked', 'package.json'), '{ "name": "linked" }\n');
  writeFileSync(join(workspaceRoot, 'outside.env'), 'OUTSIDE=1\n');
  symlinkSync(join(workspaceRoot, 'outside.env'), join(workspace, 'linked', '.env'));
}

const server = await startCodeServer({ verbose, trusted: !untrusted, ...(web ? { userSettings: webWorkerSettings(EXTENSION_ID) } : {}) });
const host = web ? 'web worker extension host' : 'remote extension host';
console.log(`Running integration tests${suiteName ? ` (${suiteName} suite)` : ''} in VS Code ${vscodeVersion(server.env)} (code-server, ${host})`);

let browser;
let page;
let counts;
const finish = async (code, message) => {
  if (message) console.error(message);
  if (code !== 0 && !verbose) console.error(`--- code-server log ---\n${server.log()}`);
  await browser?.close().catch(() => {});
  await server.stop();
  await fakeApi?.close();
  rmSync(workspaceRoot, { recursive: true, force: true });
  if (counts) console.log(`${(suiteName ?? 'integration').replace(' ', '-')}: ${counts.passed} passed, ${counts.failed} failed`);
  if (code === 0 && (!counts || counts.passed === 0)) {
    console.error('integration: no test ran');
    code = 1;
  }
  process.exit(code);
};
setTimeout(() => finish(124, `integration: timed out after ${timeoutMs} ms`), timeoutMs).unref();

browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, env: server.env, args: chromiumArgs });
page = await browser.newPage({ viewport: { width: Number(process.env.VIEWPORT_WIDTH ?? 1400), height: 860 } });
if (verbose) page.on('console', (message) => console.error(`[browser ${message.type()}] ${message.text()}`));
page.on('pageerror', (error) => console.error('[pageerror]', error.message));

/**
 * A screenshot the test code arranged the workbench for (test/screenshots/). `name` saves it as
 * SCREENSHOT_DIR/<name>.png, else to SCREENSHOT. Parts of the workbench render a moment after the command
 * that opened them returns (the Problems panel, a hover, a menu): `waitFor` lists their selectors (default:
 * Problems rows and a hover), `settleMs` waits for what no selector marks (a list emptying). `pasteFakeKey`
 * pastes the fake key of that seed where the focus is (a password box) before the picture: the key is made
 * here, from scripts/fake-keys.mjs, so it never passes through the extension host's log.
 */
async function takeScreenshot({ name, waitFor = ['.markers-panel .monaco-list-row', '.monaco-hover-content'], pasteFakeKey, settleMs = 0, clipTo = [] } = {}) {
  for (const selector of waitFor) {
    await page.waitForSelector(selector, { timeout: 15000 }).catch(() => console.error(`screenshot${name ? ` ${name}` : ''}: nothing matched ${selector}`));
  }
  // One input event with the whole text, as a paste gives.
  if (pasteFakeKey !== undefined) await page.keyboard.insertText(fakeKey(pasteFakeKey));
  if (settleMs > 0) await new Promise((resolveSettle) => setTimeout(resolveSettle, settleMs));
  const path = name ? join(resolve(process.env.SCREENSHOT_DIR ?? '.'), `${name}.png`) : (process.env.SCREENSHOT ?? 'screenshot.png');
  // `clipTo`: the smallest rectangle around the first match of each selector.
  const boxes = (await Promise.all(clipTo.map((selector) => page.locator(selector).first().boundingBox()))).filter(Boolean);
  const clip = boxes.length === 0 ? undefined : (() => {
    const x = Math.min(...boxes.map((box) => box.x));
    const y = Math.min(...boxes.map((box) => box.y));
    return { x, y, width: Math.max(...boxes.map((box) => box.x + box.width)) - x, height: Math.max(...boxes.map((box) => box.y + box.height)) - y };
  })();
  await page.screenshot({ path, animations: 'disabled', ...(clip ? { clip } : {}) });
  console.log(`screenshot saved to ${path}`);
}

// Workbench noise that says nothing about our tests (offline marketplace, agent features, reconnects).
const NOISE = /^Canceled|^Creation of workbench contribution|^\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)|^(Resolv|Creating a socket|Updating additional)|open-vsx\.org|authentication provider 'github'/;
await page.exposeFunction('codeAutomationLog', (type, args) => {
  const first = args[0];
  if (typeof first === 'string' && first.startsWith('AKH-RESULT ')) {
    counts = JSON.parse(first.slice('AKH-RESULT '.length));
    return;
  }
  if (typeof first === 'string' && first.startsWith('AKH-SCREENSHOT ')) {
    // `AKH-SCREENSHOT <marker> [options JSON]`: the workbench is arranged; the tour waits for the marker file
    // before it changes anything again.
    const [, marker, options] = /^AKH-SCREENSHOT (\S+)(?: (.*))?$/s.exec(first);
    void takeScreenshot(options ? JSON.parse(options) : {})
      .catch((error) => console.error(`screenshot failed: ${error.message}`))
      .finally(() => writeFileSync(marker, 'done'));
    return;
  }
  if (!verbose && typeof first === 'string' && NOISE.test(first)) return;
  (console[type] ?? console.log)(...args);
});
await page.exposeFunction('codeAutomationExit', (code) => {
  setTimeout(() => finish(code === 0 ? 0 : 1), 0);
});
await page.goto(workbenchUrl(server.host, workspace, { extensionDevelopmentPath, extensionTestsPath }));
