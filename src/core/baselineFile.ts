// A baseline on disk (baseline.ts has the format): reading it, telling accepted findings from the rest, and writing
// an updated one the way every file this product writes is written (atomically, never through a link, refusing a
// file that changed meanwhile, one writer at a time), with git told to merge it as a union of lines.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Baseline, BaselineError, DEFAULT_BASELINE_FILE, type BaselineFinding } from './baseline';
import type { FileFinding } from './findings';
import { readRegularFile, withFileLocks, writeFileAtomic } from './fixes/safeFiles';
import { describeFsError } from './fsErrors';
import { findRepositoryRoot, type GitRunner } from './git';

export interface LoadedBaseline {
  baseline: Baseline;
  /** The baseline file, absolute. */
  file: string;
  /** The bytes read, so that a rewrite can refuse a file changed meanwhile; undefined when there was none. */
  bytes: Buffer | undefined;
  /** Entry paths are relative to this folder (links resolved). */
  folder: string;
}

/** Reads the baseline at `path`. `mustExist`: a missing file is an error (`--baseline`), else a new empty baseline
 * (`--update-baseline`). Throws BaselineError with the reason. */
export async function loadBaseline(path: string, mustExist: boolean): Promise<LoadedBaseline> {
  const file = resolve(path);
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(file);
  } catch (error) {
    throw new BaselineError(`${path}: cannot read the baseline: ${describeFsError(error)}`);
  }
  if (bytes === undefined && mustExist) throw new BaselineError(`${path}: no such baseline; create it with scan --update-baseline ${path}`);
  const baseline = bytes === undefined ? Baseline.create() : Baseline.parse(bytes.toString('utf8'), path);
  return { baseline, file, bytes, folder: realFolder(dirname(file)) };
}

/** `dir` with links resolved, as far as it exists (a folder that cannot be resolved is used as it is). */
function realFolder(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * A finding's path as a baseline names it: relative to the baseline's folder, `/` separators; undefined when the file
 * lies outside that folder, or when the finding has no file (a key in a commit message). The file's folder is
 * resolved like the baseline's, so a scan through a linked path names files as a scan through the real one does;
 * the file itself is not (a link is scanned as a link).
 */
export function baselinePath(loaded: Pick<LoadedBaseline, 'folder'>, file: string, folders = new Map<string, string>()): string | undefined {
  if (file === '') return undefined;
  const dir = dirname(file);
  let real = folders.get(dir);
  if (real === undefined) {
    real = realFolder(dir);
    folders.set(dir, real);
  }
  const path = relative(loaded.folder, join(real, basename(file)));
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * The baseline the editor honours for a repository: DEFAULT_BASELINE_FILE at its top; undefined when there is none.
 * Throws BaselineError for one that cannot be read (the editor says so once, as for any file it cannot read).
 */
export async function loadRepositoryBaseline(top: string): Promise<LoadedBaseline | undefined> {
  const file = join(top, DEFAULT_BASELINE_FILE);
  const loaded = await loadBaseline(file, false);
  return loaded.bytes === undefined ? undefined : loaded;
}

/** Whether `loaded` accepts `finding` found in `file` (absolute): a TextFinding of an open document or a FileFinding
 * of the workspace scan alike. The editor shows such a finding greyed, "Accepted in the baseline". */
export function acceptsFinding(loaded: Pick<LoadedBaseline, 'baseline' | 'folder'>, file: string, finding: BaselineFinding): boolean {
  const path = baselinePath(loaded, file);
  return path !== undefined && loaded.baseline.accepts(finding, path);
}

export interface BaselineSplit<T> {
  /** Findings the baseline does not accept: these are reported and fail the scan. */
  reported: T[];
  /** Findings it accepts: counted, not listed. */
  accepted: T[];
}

/** Separates the findings `loaded` accepts from the rest, keeping their order. */
export function splitByBaseline<T extends FileFinding>(findings: readonly T[], loaded: Pick<LoadedBaseline, 'baseline' | 'folder'>): BaselineSplit<T> {
  const split: BaselineSplit<T> = { reported: [], accepted: [] };
  const folders = new Map<string, string>();
  for (const finding of findings) {
    const path = baselinePath(loaded, finding.file, folders);
    (path !== undefined && loaded.baseline.accepts(finding, path) ? split.accepted : split.reported).push(finding);
  }
  return split;
}

export interface BaselineUpdate {
  /** Entries now in the file. */
  entries: number;
  added: number;
  removed: number;
  /** Findings outside the baseline's folder, which it cannot name (they stay reported). */
  outside: FileFinding[];
  /** What was done so that git merges the file as a union of lines (see ensureUnionMerge). */
  merge: UnionMergeOutcome;
}

/**
 * Rewrites the baseline so that it accepts exactly `findings` (every entry of a finding that is gone drops out), with
 * the salt it had. Unchanged content is not rewritten. Throws BaselineError for a file that changed since it was read
 * or cannot be written.
 */
export async function updateBaseline(loaded: LoadedBaseline, findings: readonly FileFinding[], git: GitRunner | undefined): Promise<BaselineUpdate> {
  const inside: Array<{ finding: FileFinding; path: string }> = [];
  const outside: FileFinding[] = [];
  const folders = new Map<string, string>();
  for (const finding of findings) {
    const path = baselinePath(loaded, finding.file, folders);
    if (path === undefined) outside.push(finding);
    else inside.push({ finding, path });
  }
  const next = loaded.baseline.withExactly(inside);
  const text = next.serialize();
  const before = new Set(loaded.bytes === undefined ? [] : Baseline.parse(loaded.bytes.toString('utf8'), loaded.file).serialize().split('\n').slice(1));
  const after = new Set(text.split('\n').slice(1));
  const added = [...after].filter((line) => line !== '' && !before.has(line)).length;
  const removed = [...before].filter((line) => line !== '' && !after.has(line)).length;
  if (loaded.bytes === undefined || loaded.bytes.toString('utf8') !== text) {
    try {
      // 0o644: the file holds no secret (salted digests and hints) and is meant to be committed.
      await withFileLocks([loaded.file], () => writeFileAtomic(loaded.file, text, { expected: loaded.bytes, newFileMode: 0o644 }));
    } catch (error) {
      throw new BaselineError(`${loaded.file}: the baseline was not written: ${describeFsError(error)}`);
    }
  }
  const merge = git ? await ensureUnionMerge(git, loaded.file) : { kind: 'not-in-repository' as const };
  return { entries: next.entries.length, added, removed, outside, merge };
}

export type UnionMergeOutcome =
  | { kind: 'already' }
  | { kind: 'added'; attributesFile: string; line: string }
  | { kind: 'not-in-repository' }
  /** It could not be set: the user is told the line to add and why. */
  | { kind: 'not-set'; reason: string; line: string };

/** A file name a .gitattributes pattern can hold as it is (no space, quote, glob or escape character). */
const PLAIN_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Makes git merge the baseline as a union of lines (gitattributes(5), "merge=union"), so that two branches that
 * accept different findings merge without a conflict whatever lines they add. Appends `/<name> merge=union` to the
 * .gitattributes beside the file (every existing byte kept) unless git already says `union` for it.
 */
export async function ensureUnionMerge(git: GitRunner, file: string): Promise<UnionMergeOutcome> {
  const folder = dirname(file);
  const name = basename(file);
  const line = `/${name} merge=union`;
  let top: string | undefined;
  try {
    top = await findRepositoryRoot(git, folder);
  } catch (error) {
    return { kind: 'not-set', reason: `git cannot answer for ${folder}: ${(error as Error).message}`, line };
  }
  if (top === undefined) return { kind: 'not-in-repository' };
  if (await mergeAttribute(git, folder, name) === 'union') return { kind: 'already' };
  if (!PLAIN_NAME.test(name)) return { kind: 'not-set', reason: 'the file name needs quoting in .gitattributes', line };
  const attributesFile = join(folder, '.gitattributes');
  try {
    await withFileLocks([attributesFile], async () => {
      const bytes = await readRegularFile(attributesFile);
      const existing = bytes?.toString('utf8') ?? '';
      // Append after a final newline; every existing byte stays as it was.
      const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
      await writeFileAtomic(attributesFile, Buffer.concat([bytes ?? Buffer.alloc(0), Buffer.from(`${separator}${line}\n`, 'utf8')]), { expected: bytes, newFileMode: 0o644 });
    });
  } catch (error) {
    return { kind: 'not-set', reason: `.gitattributes could not be written: ${describeFsError(error)}`, line };
  }
  // Read back what git now says: a rule elsewhere (a macro, info/attributes) can still override ours.
  const now = await mergeAttribute(git, folder, name);
  if (now !== 'union') return { kind: 'not-set', reason: `git still says merge=${now} for it (another attributes rule overrides .gitattributes)`, line };
  return { kind: 'added', attributesFile, line };
}

/** What `git check-attr merge` says of `name` in `folder`: `union`, `unspecified`, `set`…, or `unknown` on failure. */
async function mergeAttribute(git: GitRunner, folder: string, name: string): Promise<string> {
  const result = await git.run(folder, ['check-attr', '-z', 'merge', '--', name]).catch(() => undefined);
  if (!result || result.exitCode !== 0) return 'unknown';
  // -z: path NUL attribute NUL value NUL.
  const [, , value] = result.stdout.toString('utf8').split('\0');
  return value ?? 'unknown';
}
