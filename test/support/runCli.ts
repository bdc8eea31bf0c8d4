// Runs the CLI as users do: the bundled dist/cli.js in a child process, with git's global and system
// config kept out so the developer's own excludes and hooks never change a result.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** dist/cli.js, from out/test/support/ at run time. */
export const CLI_PATH = resolve(__dirname, '../../../dist/cli.js');

export const ISOLATED_GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export function runCli(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { cwd, encoding: 'utf8', env: ISOLATED_GIT_ENV });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
