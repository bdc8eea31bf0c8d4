// Where a key goes, on either platform: one rule for the CLI, the quick fixes and Fix All (envTarget.ts binds it to
// the disk for the Node build; the web build asks it through workspace.fs).
//
// The `.env` of the package that holds the source: the nearest folder from the source's own up to the root (the
// folder being fixed: the CLI's scan folder, the workspace folder) that has a package manifest, else the root
// itself. dotenv loaders read `.env` from the directory a program starts in, which is the package root, so a
// monorepo's packages each get their own. A file outside the root gets the nearest package folder above it, else
// its own folder. The CLI's `--env-file` puts every key in one file instead.
import type { FixPlatform, PathOps } from './platform';

/** Files that mark the root of a package, in the ecosystems whose lookups the rewrites produce. */
export const PACKAGE_MARKERS = [
  'package.json',
  'pyproject.toml',
  'requirements.txt',
  'setup.py',
  'go.mod',
  'Cargo.toml',
  'Gemfile',
  'composer.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'deno.json',
];

export const ENV_FILE_NAME = '.env';

/** The folders that may hold the source's package manifest, nearest first, and the folder used when none does. */
export function envFolderCandidates(sourcePath: string, root: string, paths: PathOps): { candidates: string[]; fallback: string } {
  const inside = paths.inside(root, sourcePath) !== undefined;
  const candidates: string[] = [];
  for (let dir = paths.dirname(sourcePath); ; dir = paths.dirname(dir)) {
    candidates.push(dir);
    if ((inside && dir === root) || paths.dirname(dir) === dir) break;
  }
  return { candidates, fallback: inside ? root : paths.dirname(sourcePath) };
}

/** The env file that receives the keys of `sourcePath`, its package folder found through the platform's files. */
export async function envFileOn(platform: Pick<FixPlatform, 'paths' | 'files'>, sourcePath: string, root: string): Promise<string> {
  const { paths } = platform;
  const { candidates, fallback } = envFolderCandidates(sourcePath, root, paths);
  for (const dir of candidates) {
    for (const marker of PACKAGE_MARKERS) if (await platform.files.exists(paths.join(dir, marker))) return paths.join(dir, ENV_FILE_NAME);
  }
  return paths.join(fallback, ENV_FILE_NAME);
}
