// Keys a push sends outside any commit: in a ref's name (`git push origin HEAD:refs/heads/<key>`) and in an annotated
// tag's message (release notes with a pasted key). `git log` shows neither, so the commit walk of historyScan.ts
// never sees them (red team F15, F23).
//
// Decisions:
// - `scan --history` with no revision reads the name of every ref and the message of every annotated tag among them
//   (one `for-each-ref`, one `cat-file --batch` for the tag objects, following a tag of a tag).
// - `scan --unpushed` with revisions (the pre-push hook) reads the tag objects among the ids being pushed, and the ref
//   names the hook was handed (local and remote), which only the hook knows.
// - A ref under refs/remotes/ is a branch the remote has: its name is pushed. Whether another ref or a tag is on a
//   remote, this clone cannot know without asking the network: the message says so rather than guessing.
// - Only keys are reported (no other rule applies to a name); the text is masked wherever it is shown.
import type { FileScanOptions } from '../fileScan';
import { scanContents } from '../fileScan';
import type { FileFinding } from '../findings';
import type { GitRunner } from '../git';

export interface RefSighting {
  /** The full ref name as git spells it (`refs/tags/v1.0`); repository text, to be masked before it is shown. */
  ref: string;
  location: 'ref-name' | 'tag-message';
  finding: FileFinding;
  /** The commit the ref leads to (through tags), when it leads to one. */
  commitId?: string;
}

/** What to read: ref names, and annotated tag objects (id → the ref that names it). */
export interface RefTargets {
  names: string[];
  tags: Map<string, string>;
}

const ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** How deep a tag of a tag of a tag is followed: git itself never makes one; a crafted chain stops here. */
const MAX_TAG_DEPTH = 8;

/** Every ref's name, and the annotated tags among them. */
export async function allRefTargets(git: GitRunner, root: string): Promise<RefTargets> {
  const listing = await git.run(root, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)']);
  if (listing.exitCode !== 0) throw new Error(`git for-each-ref failed: ${listing.stderr.trim()}`);
  const targets: RefTargets = { names: [], tags: new Map() };
  // A ref name cannot hold a space or a line break (git check-ref-format), so a line is three fields.
  for (const line of listing.stdout.toString('utf8').split('\n')) {
    const [id, type, ...rest] = line.split(' ');
    const ref = rest.join(' ');
    if (!id || !ref) continue;
    targets.names.push(ref);
    if (type === 'tag' && ID.test(id)) targets.tags.set(id, ref);
  }
  return targets;
}

/** The annotated tag objects among ids being pushed (the pre-push hook's local ids: a tag push sends the tag object). */
export async function tagTargets(git: GitRunner, root: string, ids: readonly string[], refNames: readonly string[]): Promise<RefTargets> {
  const targets: RefTargets = { names: [...refNames], tags: new Map() };
  const candidates = ids.filter((id) => ID.test(id));
  if (candidates.length === 0) return targets;
  const check = await git.run(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], candidates.join('\n') + '\n');
  for (const line of check.stdout.toString('utf8').split('\n')) {
    const [id, type] = line.split(' ');
    if (type !== 'tag') continue;
    // Named by the tag ref that points at it, as the push names it (a tag object with no ref: by its id).
    const named = await git.run(root, ['for-each-ref', '--count=1', '--format=%(refname)', `--points-at=${id}`, 'refs/tags/']);
    const ref = named.exitCode === 0 ? named.stdout.toString('utf8').trim() : '';
    targets.tags.set(id, ref || `tag ${id.slice(0, 7)}`);
  }
  return targets;
}

/** The keys in the names and tag messages of `targets`, with the commit each leads to. */
export async function scanRefTargets(git: GitRunner, root: string, targets: RefTargets, options: FileScanOptions): Promise<RefSighting[]> {
  const sightings: RefSighting[] = [];
  const keysIn = (text: Buffer) => scanContents('', text, options).findings.filter((finding) => finding.ruleId === 'hardcoded-key' && finding.credential);

  // In a name a key is glued to its neighbours (`wip-sk-ant-…`), where the scanner, made for code, wants a boundary:
  // one is put before each `sk-ant-`. Only the kind and hint of a key in a name are used, never its column.
  const nameKeys = (ref: string) => (ref.includes('k-ant-') ? keysIn(Buffer.from(ref.replace(/sk-ant-/g, ' sk-ant-'), 'utf8')) : []);
  const namesWithKeys = targets.names.map((ref) => ({ ref, findings: nameKeys(ref) })).filter((entry) => entry.findings.length > 0);

  // The tag objects, read in rounds: a tag may point at another tag, which is reported under the first one's name.
  const refOf = new Map(targets.tags);
  const commitOf = new Map<string, string>();
  const pointsTo = new Map<string, string>();
  const found: Array<{ tag: string; finding: FileFinding }> = [];
  let round = [...targets.tags.keys()];
  for (let depth = 0; round.length > 0 && depth < MAX_TAG_DEPTH; depth++) {
    const next: string[] = [];
    const read = await git.run(root, ['cat-file', '--batch'], round.join('\n') + '\n');
    if (read.exitCode !== 0) throw new Error(`git cat-file failed while reading tags: ${read.stderr.trim()}`);
    for (const [id, object] of parseObjects(read.stdout)) {
      if (object.type !== 'tag') continue;
      const header = object.contents.subarray(0, Math.max(0, object.contents.indexOf('\n\n'))).toString('utf8');
      const target = /^object ([0-9a-f]+)$/m.exec(header)?.[1];
      const targetType = /^type (\w+)$/m.exec(header)?.[1];
      if (target && targetType === 'commit') commitOf.set(id, target);
      else if (target && targetType === 'tag' && !refOf.has(target)) {
        pointsTo.set(id, target);
        refOf.set(target, refOf.get(id)!);
        next.push(target);
      }
      if (object.contents.includes('k-ant-')) for (const finding of keysIn(object.contents)) found.push({ tag: id, finding });
    }
    round = next;
  }
  for (const { tag, finding } of found) {
    let at: string | undefined = tag;
    for (let hops = 0; at !== undefined && !commitOf.has(at) && hops < MAX_TAG_DEPTH; hops++) at = pointsTo.get(at);
    const commitId = at === undefined ? undefined : commitOf.get(at);
    sightings.push({ ref: refOf.get(tag)!, location: 'tag-message', finding, ...(commitId ? { commitId } : {}) });
  }

  if (namesWithKeys.length > 0) {
    // What each named ref leads to, peeled through tags to a commit when it is one ("<name>^{commit} missing" if not).
    const peeled = await git.run(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], namesWithKeys.map((entry) => `${entry.ref}^{commit}`).join('\n') + '\n');
    const lines = peeled.stdout.toString('utf8').split('\n');
    for (const [index, entry] of namesWithKeys.entries()) {
      const [id, type] = (lines[index] ?? '').split(' ');
      const commitId = type === 'commit' && ID.test(id) ? id : undefined;
      for (const finding of entry.findings) sightings.push({ ref: entry.ref, location: 'ref-name', finding, ...(commitId ? { commitId } : {}) });
    }
  }
  return sightings;
}

/** `cat-file --batch` output: each object's type and contents, by id. */
function parseObjects(output: Buffer): Map<string, { type: string; contents: Buffer }> {
  const objects = new Map<string, { type: string; contents: Buffer }>();
  let offset = 0;
  while (offset < output.length) {
    const lineEnd = output.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    const [id, type, size] = output.toString('utf8', offset, lineEnd).split(' ');
    offset = lineEnd + 1;
    if (size === undefined) continue;
    const length = Number(size);
    objects.set(id, { type, contents: output.subarray(offset, offset + length) });
    offset += length + 1;
  }
  return objects;
}
