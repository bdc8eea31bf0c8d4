// The fix engine's destinations bound to the Node platform (nodePlatform.ts), with the signatures the CLI's `fix`, the
// engine and the Node build's quick fixes use: the order and the checks are destination.ts', written once for both
// builds. Also the Node build's source writer: sources on disk, replaced atomically.
//   1. the destination is made safe (an env file: git must ignore it and not track it, .gitignore edited first),
//   2. the keys are stored and read back (each value compared, not only each name),
//   3. only then are sources rewritten, each only if it still holds the text the plan was made on.
// A failure in 1 or 2 writes no source; a source changed meanwhile is left alone (its keys stay stored).
import * as destination from './destination';
import type { FixGitContext } from './gitState';
import { nodeFixFiles, nodeFixPlatform, nodePaths } from './nodePlatform';
import { ChangedOnDiskError, writeFileAtomic } from './safeFiles';

export { StoreRefusedError, readBackProblem } from './destination';
export type { EnvDestination, KeyDestination, SourceWriter, StoreRefusal, StoreResult, StoredEntry } from './destination';

export interface EnvDestinationOptions extends FixGitContext {
  /** The folder the fix works in (scan root or workspace folder): the env file and the .gitignore must stay in it. */
  root: string;
}

/**
 * An env file as a destination, read now (its snapshot is what the plan is made on, and what must still be there
 * when the keys are written). Throws StoreRefusedError for a path that is not a usable env file.
 */
export function openEnvDestination(path: string, options: EnvDestinationOptions): Promise<destination.EnvDestination> {
  return destination.openEnvDestination(path, { platform: nodeFixPlatform(options), root: options.root });
}

/** Runs `action` holding the env file's lock (see destination.ts). */
export function withDestinationLock<T>(path: string, root: string, action: () => Promise<T>): Promise<T> {
  return destination.withDestinationLock(path, { platform: { paths: nodePaths, files: nodeFixFiles }, root }, action);
}

/** Writes sources on disk: atomically, and only when the file still holds the bytes the plan was made from. */
export const diskSourceWriter: destination.SourceWriter = {
  async write(plan) {
    if (plan.after === plan.before) return 'written';
    const expected = Buffer.from(plan.before, 'utf8');
    try {
      await writeFileAtomic(plan.path, plan.after, { expected });
      return 'written';
    } catch (error) {
      if (error instanceof ChangedOnDiskError) return 'changed';
      throw error;
    }
  },
};
