// Where a key goes: one rule for the CLI, the quick fixes and Fix All.
//
// The `.env` of the package that holds the source: the nearest folder from the source's own up to the root (the
// folder being fixed: the CLI's scan folder, the workspace folder) that has a package manifest, else the root
// itself. dotenv loaders read `.env` from the directory a program starts in, which is the package root, so a
// monorepo's packages each get their own. A file outside the root gets the nearest package folder above it, else
// its own folder. The CLI's `--env-file` puts every key in one file instead.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

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

function isInside(path: string, root: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep));
}

/** The folder whose `.env` receives the keys of `sourcePath`. `hasFile` is injectable for tests. */
export function envFolderFor(sourcePath: string, root: string, hasFile: (path: string) => boolean = existsSync): string {
  const inside = isInside(sourcePath, root);
  for (let dir = dirname(sourcePath); ; dir = dirname(dir)) {
    if (PACKAGE_MARKERS.some((marker) => hasFile(join(dir, marker)))) return dir;
    if ((inside && dir === root) || dirname(dir) === dir) break;
  }
  return inside ? root : dirname(sourcePath);
}

/** The env file that receives the keys of `sourcePath`. */
export function envFileFor(sourcePath: string, root: string, hasFile?: (path: string) => boolean): string {
  return join(envFolderFor(sourcePath, root, hasFile), ENV_FILE_NAME);
}
