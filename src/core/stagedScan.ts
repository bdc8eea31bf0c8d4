// Scans what is about to be committed: the blobs in the index, not the files in the work tree. A key
// removed from the file after `git add` is still committed; a key typed after it is not. The CLI's
// `scan --staged` (and so the pre-commit hook) runs this.
//
// Four git processes whatever the number of files: `diff --cached --raw` lists the staged paths with
// their blob ids, `check-ignore` decides the .env rules, `cat-file --batch-check` gives the sizes, and
// `cat-file --batch` streams the blobs (split into a few calls only when they add up to a lot of memory).
// Blob ids rather than `:path` names, because `cat-file --batch` reads one name per line and a path may
// hold a newline.
//
// Decisions:
// - Everything the commit adds or changes is scanned, whatever git calls the change (added, copied, modified,
//   renamed, type-changed: a symbolic link or a submodule replaced by a file is T, and a key in that file is committed
//   like any other): every status but D, as `--diff-filter=d` says. A staged deletion is the fix, not a finding.
// - Regular files and symbolic links: a link's blob is the path it points to, which the commit records and which can
//   hold a key as well as any file. A submodule entry is a commit id of another repository: skipped.
// - When git cannot answer (a repository it refuses, a failed call), the scan fails with a GitStateError naming the
//   cause: a commit check that guesses would let a key through.
// - A staged env file (not a template) is about to be committed, whatever .gitignore says. It gets the
//   rule the workspace scan gives the same file, so the editor, the hook and a baseline agree: it is in the index,
//   so `tracked-env-file` (red team F26.1: git lists it as tracked). The message says what to do with a staged file
//   (unstage it), which adding an ignore rule alone would not do, and whether an ignore rule covers it (it was
//   force-added, or was tracked before the rule).
// - Inside a hook git sets GIT_INDEX_FILE (a temporary index for `git commit -a` or `git commit <path>`); the
//   git processes started here inherit it, so the scan reads the index the commit is made from.
import { realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { classifyEnvFileName } from './envFiles';
import { lfsObjectsDir, parseLfsPointer, readLfsObject } from './lfs';
import { formatMessage } from './messages';
import { addFindings, scanContents, tooLargeReason, type EnvFileRule, type FileScanOptions } from './fileScan';
import { findKeysInName } from './nameFindings';
import type { FileFinding } from './findings';
import { createGitRunner, findRepositoryRoot, queryPathStates, runOrThrow, type GitRunner } from './git';
import { decodePathBytes } from './rawPaths';
import type { ScanResult } from './workspaceScan';

export interface StagedScanOptions extends FileScanOptions {
  /** Where the scan was started; any folder inside the work tree. */
  cwd: string;
  git?: GitRunner;
  /** Limits the scan to these files or folders (relative to `cwd`, or absolute); they must lie in the work tree. */
  paths?: readonly string[];
  /** Extra exclusions, on paths relative to the repository's top. */
  isExcluded?: (relativePath: string) => boolean;
}

export interface StagedScanResult extends ScanResult {
  /** The top of the work tree whose index was scanned. */
  root: string;
}

/** One entry of `git diff --cached --raw -z`: what the commit will hold at `path`. */
export interface StagedEntry {
  /** Relative to the repository's top, `/` separators. */
  path: string;
  /** The new mode: `100644`/`100755` regular file, `120000` symbolic link, `160000` submodule. */
  mode: string;
  /** The staged blob's id. */
  blob: string;
  /** A, C, M or R (without the similarity score). */
  status: string;
}

export class NotARepositoryError extends Error {
  constructor(dir: string) {
    super(`${dir} is not inside a git work tree; --staged scans what git is about to commit`);
    this.name = 'NotARepositoryError';
  }
}

/** Modes whose blob is contents the commit records: regular files, executables and symbolic links. */
const SCANNED_MODES = new Set(['100644', '100755', '120000']);
/** Blob bytes held in memory at once by one `cat-file --batch` call (one larger blob still gets a call of its own). */
const BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Parses `git diff --raw -z` output. Each entry is `:<old mode> <new mode> <old id> <new id> <status>\0<path>\0`,
 * with a second path (the new one) for renames and copies (git-diff(1), "Raw output format").
 */
export function parseRawDiff(output: Buffer): StagedEntry[] {
  // Split on NUL as bytes: a path is kept exactly even when it is not UTF-8 (see rawPaths).
  const fields: Buffer[] = [];
  for (let start = 0; start < output.length; ) {
    const end = output.indexOf(0, start);
    fields.push(output.subarray(start, end < 0 ? output.length : end));
    start = end < 0 ? output.length : end + 1;
  }
  const entries: StagedEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const header = fields[i].toString('latin1');
    if (!header.startsWith(':')) continue;
    const [, mode, , blob, status] = header.slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const path = fields[twoPaths ? i + 2 : i + 1];
    i += twoPaths ? 2 : 1;
    if (path !== undefined) entries.push({ path: decodePathBytes(path), mode, blob, status: status[0] });
  }
  return entries;
}

/**
 * Parses `git cat-file --batch-check` output (`<id> <type> <size>` per line, or `<name> missing`) into
 * the sizes of the blobs found.
 */
export function parseBatchCheck(output: Buffer): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of output.toString('utf8').split('\n')) {
    const [id, type, size] = line.split(' ');
    if (type === 'blob') sizes.set(id, Number(size));
  }
  return sizes;
}

/**
 * Parses `git cat-file --batch` output: for each object `<id> <type> <size>\n<contents>\n`, or
 * `<name> missing\n` (git-cat-file(1), "BATCH OUTPUT"). The contents are views into `output`, not copies.
 */
export function parseBatch(output: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const lineEnd = output.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    const [id, type, size] = output.toString('utf8', offset, lineEnd).split(' ');
    offset = lineEnd + 1;
    if (type === 'missing' || type === 'ambiguous' || size === undefined) continue;
    const length = Number(size);
    if (type === 'blob') blobs.set(id, output.subarray(offset, offset + length));
    offset += length + 1; // the contents, then a newline
  }
  return blobs;
}

/** Staged additions and changes, optionally limited to some paths. */
export async function listStagedEntries(git: GitRunner, root: string, paths: readonly string[] = []): Promise<StagedEntry[]> {
  // --no-renames: a rename is listed as an addition of the new path, which is all the scan needs, and
  // rename detection costs time on large commits. On an unborn branch --cached compares with the empty tree.
  const args = ['diff', '--cached', '--raw', '-z', '--no-abbrev', '--no-renames', '--no-ext-diff', '--diff-filter=d'];
  if (paths.length > 0) args.push('--', ...paths.map((path) => `:(top,literal)${path}`));
  return parseRawDiff((await runOrThrow(git, root, args)).stdout);
}

/** The contents of the given blobs, fetched with as few `cat-file --batch` calls as the memory budget allows. */
async function* readBlobs(git: GitRunner, root: string, sizes: ReadonlyMap<string, number>): AsyncGenerator<Map<string, Buffer>> {
  let batch: string[] = [];
  let batchBytes = 0;
  const fetch = async (ids: string[]) => {
    return parseBatch((await runOrThrow(git, root, ['cat-file', '--batch', '--buffer'], Buffer.from(ids.join('\n') + '\n'))).stdout);
  };
  for (const [id, size] of sizes) {
    if (batch.length > 0 && batchBytes + size > BATCH_BYTES) {
      yield await fetch(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(id);
    batchBytes += size;
  }
  if (batch.length > 0) yield await fetch(batch);
}

export async function scanStaged(options: StagedScanOptions): Promise<StagedScanResult> {
  // Inside a hook, the index git designates (GIT_INDEX_FILE: see gitEnvironment) is the one the commit is made from.
  const git = options.git ?? createGitRunner('git', undefined, undefined, { inheritRepository: true });
  const root = await findRepositoryRoot(git, options.cwd);
  if (!root) throw new NotARepositoryError(options.cwd);
  const result: StagedScanResult = { root, findings: [], filesScanned: 0, bytesScanned: 0, skipped: [], problems: [], repositories: [root] };

  const entries: StagedEntry[] = [];
  for (const entry of await listStagedEntries(git, root, topRelativePaths(root, options.cwd, options.paths ?? []))) {
    if (options.isExcluded?.(entry.path)) continue;
    // The path is committed like the contents, whatever the entry is (red team F3).
    for (const finding of findKeysInName(entry.path, join(root, entry.path))) result.findings.push(finding);
    if (!SCANNED_MODES.has(entry.mode)) {
      // A submodule (160000) records a commit of another repository, which that repository's own check reads.
      result.skipped.push({ file: join(root, entry.path), reason: entry.mode === '160000' ? 'submodule' : `mode ${entry.mode}` });
      continue;
    }
    entries.push(entry);
  }
  if (entries.length === 0) return result;

  // The staged env files, and which of them an ignore rule covers (check-ignore reads the work tree's rules): that
  // changes what their message says, not their rule.
  const envIgnored = new Map<string, boolean>();
  const envPaths = entries.map((entry) => entry.path).filter((path) => classifyEnvFileName(basename(path)) === 'env');
  if (envPaths.length > 0) {
    for (const [path, state] of await queryPathStates(git, root, envPaths)) envIgnored.set(path, state.ignored);
  }
  const envRuleOf = (path: string): EnvFileRule | undefined => (envIgnored.has(path) ? 'tracked-env-file' : undefined);

  const check = await runOrThrow(git, root, ['cat-file', '--batch-check', '--buffer'], Buffer.from([...new Set(entries.map((entry) => entry.blob))].join('\n') + '\n'));
  const sizes = parseBatchCheck(check.stdout);
  const wanted = new Map<string, number>();
  const byBlob = new Map<string, StagedEntry[]>();
  for (const entry of entries) {
    const file = join(root, entry.path);
    const size = sizes.get(entry.blob);
    const envRule = envRuleOf(entry.path);
    if (size === undefined) {
      result.skipped.push({ file, reason: 'missing from the object store', failed: true });
    } else if (size > options.maxFileSize) {
      result.skipped.push({ file, reason: tooLargeReason(options.maxFileSize), failed: true });
      if (envRule) result.findings.push(...withStagedMessages(scanContents(file, Buffer.alloc(0), options, envRule).findings, envIgnored.get(entry.path)));
    } else {
      wanted.set(entry.blob, size);
      const sharing = byBlob.get(entry.blob);
      if (sharing) sharing.push(entry);
      else byBlob.set(entry.blob, [entry]);
    }
  }

  let lfsDir: Promise<string | undefined> | undefined;
  for await (const blobs of readBlobs(git, root, wanted)) {
    for (const [blob, staged] of blobs) {
      // A Git LFS pointer stands for contents the push sends to the LFS server: scan those (red team F27).
      let bytes = staged;
      const pointer = parseLfsPointer(staged);
      if (pointer) {
        const contents = await readLfsObject(await (lfsDir ??= lfsObjectsDir(git, root)), pointer, options.maxFileSize);
        if (!('bytes' in contents)) {
          const reason = 'tooLarge' in contents ? tooLargeReason(options.maxFileSize) : contents.missing;
          for (const entry of byBlob.get(blob) ?? []) result.skipped.push({ file: join(root, entry.path), reason, failed: true });
          continue;
        }
        bytes = contents.bytes;
      }
      // The same contents staged at several paths (a copy) are read once and reported at each path.
      for (const entry of byBlob.get(blob) ?? []) {
        const file = join(root, entry.path);
        const scanned = scanContents(file, bytes, options, envRuleOf(entry.path));
        result.bytesScanned += scanned.bytes;
        result.filesScanned++;
        const omitted = addFindings(result.findings, { ...scanned, findings: withStagedMessages(scanned.findings, envIgnored.get(entry.path)) });
        if (omitted > 0) (result.truncated ??= []).push({ file, omitted });
      }
    }
  }
  result.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return result;
}

/** Paths given relative to `cwd`, made relative to the repository's top (where git's `:(top)` magic reads them);
 * none when one of them is the top itself. */
function topRelativePaths(root: string, cwd: string, paths: readonly string[]): string[] {
  // git reports the top with symbolic links resolved; so must the folder the paths are relative to.
  const base = realpathSync(cwd);
  const fromTop = paths.map((path) => {
    const relativePath = relative(root, resolve(base, path));
    if (relativePath === '..' || relativePath.startsWith('..' + sep) || isAbsolute(relativePath)) {
      throw new Error(`${path} is outside the repository at ${root}`);
    }
    return relativePath.split(sep).join('/');
  });
  return fromTop.includes('') ? [] : fromTop;
}

/** A staged env file's fix is to unstage it, which an ignore rule alone would not do: say that instead (and whether
 * an ignore rule covers it: `envIgnored`). */
function withStagedMessages(findings: FileFinding[], envIgnored: boolean | undefined): FileFinding[] {
  return findings.map((finding) => {
    if (finding.ruleId !== 'tracked-env-file') return finding;
    const message = { id: envIgnored ? ('tracked-env-file.staged' as const) : ('tracked-env-file.staged-unignored' as const), args: {} };
    // Staged, the file is about to be committed with every secret it holds, ignored or not: an error, which the
    // pre-commit guard blocks (a warning would let a fresh .env swept in by `git add .` through: red team F25).
    return { ...finding, severity: 'error' as const, message: formatMessage(message), messageId: message.id, messageArgs: message.args };
  });
}
