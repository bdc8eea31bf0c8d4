// Git LFS pointers made by hand, as git-lfs's clean filter writes them (docs/spec.md), so the LFS tests need no
// git-lfs: the pointer is what the commit records, the contents go to `<git dir>/lfs/objects/<aa>/<bb>/<oid>`.
import { createHash } from 'node:crypto';
import type { TempTree } from './tempRepo';

/** The pointer text for `contents`; with `store`, the object is also put where git-lfs keeps it in `tree`. */
export function lfsPointer(tree: TempTree, contents: string, options: { store: boolean }): string {
  const bytes = Buffer.from(contents, 'utf8');
  const oid = createHash('sha256').update(bytes).digest('hex');
  if (options.store) tree.write(`.git/lfs/objects/${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid}`, bytes);
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${bytes.length}\n`;
}
