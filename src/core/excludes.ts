// Glob exclusions (the editor's files.exclude and anthropicKeyHygiene.exclude) as one predicate over
// paths relative to the scanned folder. picomatch implements the glob syntax VS Code documents.
import picomatch from 'picomatch';

export function createExcludeMatcher(globs: readonly string[]): ((relativePath: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  // A glob like `**/node_modules` names a folder: everything beneath it is excluded too.
  return (relativePath) => {
    const parts = relativePath.split('/');
    for (let end = parts.length; end > 0; end--) {
      const prefix = parts.slice(0, end).join('/');
      if (matchers.some((match) => match(prefix))) return true;
    }
    return false;
  };
}
