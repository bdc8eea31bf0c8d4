// Path arithmetic on `/`-separated absolute paths, without Node's path module: the web build's file paths are the
// paths of URIs (vscode-remote:, vscode-vfs:), which are POSIX whatever machine the browser runs on. Only what the
// fix engine needs: join, dirname, basename, and whether a path lies inside a folder.

/** Joins and normalises (`.`, `..`, repeated slashes); an absolute first part keeps the result absolute. */
export function join(...parts: string[]): string {
  const joined = parts.filter((part) => part !== '').join('/');
  return normalize(joined === '' ? '.' : joined);
}

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body === '' ? '.' : body;
}

export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}

export function basename(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** `path` relative to `root` (`/`-separated, '' for the root itself), or undefined when it is not inside it. */
export function inside(root: string, path: string): string | undefined {
  const base = normalize(root);
  const target = normalize(path);
  if (target === base) return '';
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
}
