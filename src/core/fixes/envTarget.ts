// Where a key goes, bound to the disk (the rule is envFolders.ts', shared with the web build): synchronous, for the
// CLI's `fix` and the Node build's quick fixes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_FILE_NAME, PACKAGE_MARKERS, envFolderCandidates } from './envFolders';
import { nodePaths } from './nodePlatform';

export { ENV_FILE_NAME, PACKAGE_MARKERS } from './envFolders';

/** The folder whose `.env` receives the keys of `sourcePath`. `hasFile` is injectable for tests. */
export function envFolderFor(sourcePath: string, root: string, hasFile: (path: string) => boolean = existsSync): string {
  const { candidates, fallback } = envFolderCandidates(sourcePath, root, nodePaths);
  return candidates.find((dir) => PACKAGE_MARKERS.some((marker) => hasFile(join(dir, marker)))) ?? fallback;
}

/** The env file that receives the keys of `sourcePath`. */
export function envFileFor(sourcePath: string, root: string, hasFile?: (path: string) => boolean): string {
  return join(envFolderFor(sourcePath, root, hasFile), ENV_FILE_NAME);
}
