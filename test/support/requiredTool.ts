// For checks that need a tool from outside the project (python3 to compile a rewritten file, sh to parse a script).
// A check that quietly does nothing when its tool is missing passes on exactly the machines where nobody is looking
// (issue 12): in CI (CI or AKH_REQUIRE_TOOLS set) a missing tool fails the test; elsewhere it says, on stderr, which
// check did not run.
import type { SpawnSyncReturns } from 'node:child_process';

/** True when `result` ran (then check its status); false, with a note, when the tool is missing outside CI. */
export function toolRan(result: SpawnSyncReturns<string>, tool: string, check: string): boolean {
  if (!result.error) return true;
  const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
  if (!missing) throw result.error;
  if (process.env.CI || process.env.AKH_REQUIRE_TOOLS) throw new Error(`${tool} is required for ${check}, and was not found`);
  process.stderr.write(`      note: ${tool} was not found, so ${check} did not run\n`);
  return false;
}
