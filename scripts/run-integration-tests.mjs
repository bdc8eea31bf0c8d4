// Runs the integration suite (out/test/integration) inside a real VS Code: code-server's remote Node
// extension host, with the workbench opened in Debian's headless Chromium through playwright-core.
// Prints the VS Code version and the test counts; the exit code is the suite's result.
//   VERBOSE=1        also print code-server's and the browser's logs
//   TEST_TIMEOUT_MS  overall limit (default 10 minutes)
//   SCREENSHOT=path  save a screenshot of the workbench when the tests finish
//   AKH_WORKSPACE    open this folder instead of a fresh empty one
//   AKH_TESTS_ENTRY  run this compiled entry point instead of the integration suite
// --untrusted      run the suite in test/integration/untrusted with the workspace in Restricted Mode
// --suite NAME     run the suite in test/integration/NAME (e.g. perf) instead of the main one
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, startCodeServer, vscodeVersion, workbenchUrl } from './vscode-server.mjs';

const verbose = process.env.VERBOSE === '1';
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 600000);
const extensionDevelopmentPath = resolve('.');
const untrusted = process.argv.includes('--untrusted');
const suiteArgument = process.argv.indexOf('--suite');
const suite = untrusted ? 'untrusted' : suiteArgument > 0 ? process.argv[suiteArgument + 1] : undefined;
const extensionTestsPath = resolve(process.env.AKH_TESTS_ENTRY ?? (suite ? `out/test/integration/${suite}/index.js` : 'out/test/integration/index.js'));

// Each run gets an empty workspace folder; the tests build their fixtures in it at run time.
const workspaceRoot = mkdtempSync(join(tmpdir(), 'akh-workspace-'));
const workspace = process.env.AKH_WORKSPACE ? resolve(process.env.AKH_WORKSPACE) : join(workspaceRoot, 'workspace');
mkdirSync(workspace, { recursive: true });

const server = await startCodeServer({ verbose, trusted: !untrusted });
console.log(`Running integration tests${suite ? ` (${suite} suite)` : ''} in VS Code ${vscodeVersion(server.env)} (code-server, remote extension host)`);

let browser;
let page;
let counts;
const finish = async (code, message) => {
  if (message) console.error(message);
  if (code !== 0 && !verbose) console.error(`--- code-server log ---\n${server.log()}`);
  await browser?.close().catch(() => {});
  await server.stop();
  rmSync(workspaceRoot, { recursive: true, force: true });
  if (counts) console.log(`${suite ?? 'integration'}: ${counts.passed} passed, ${counts.failed} failed`);
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

async function takeScreenshot() {
  // The Problems panel and the hover render a moment after the diagnostics exist; wait for them.
  await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 15000 }).catch(() => console.error('screenshot: the Problems panel showed no rows'));
  await page.waitForSelector('.monaco-hover-content', { timeout: 5000 }).catch(() => console.error('screenshot: no hover'));
  await page.screenshot({ path: process.env.SCREENSHOT ?? 'screenshot.png' });
  console.log(`screenshot saved to ${process.env.SCREENSHOT ?? 'screenshot.png'}`);
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
    // The tour has arranged the workbench and waits for this marker file before it lets VS Code go.
    void takeScreenshot().finally(() => writeFileSync(first.slice('AKH-SCREENSHOT '.length), 'done'));
    return;
  }
  if (!verbose && typeof first === 'string' && NOISE.test(first)) return;
  (console[type] ?? console.log)(...args);
});
await page.exposeFunction('codeAutomationExit', (code) => {
  setTimeout(() => finish(code === 0 ? 0 : 1), 0);
});
await page.goto(workbenchUrl(server.host, workspace, { extensionDevelopmentPath, extensionTestsPath }));
