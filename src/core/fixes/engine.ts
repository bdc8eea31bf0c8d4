// The fix of a whole tree: scan, group the keys by where they go, plan, store, rewrite, scan again. The CLI's `fix`
// and the editor's Fix All in Workspace both run this and only format its result, so they store keys in the same
// places, run the same checks and call the same things fixed.
//
// Decisions:
// - Nothing counts as fixed on the plan's word: after writing, the same paths are scanned again, and every finding
//   still there (of any rule, including keys in env files git would commit and keys the rewrites refused) is listed
//   as needing a human, with the planner's reason where it gave one.
// - A destination that refuses (a tracked or linked .env, git unable to answer) fails its own group: none of that
//   group's sources is written, the other groups go on, and the run ends with an error.
import { existsSync, promises as fs } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileFinding, RuleId } from '../findings';
import { formatMessage, type Message } from '../messages';
import { FILE_NAME_MESSAGE_ID } from '../nameFindings';
import { detectUtf16 } from '../utf16';
import { scanPaths, type ScanResult } from '../workspaceScan';
import { diskSourceWriter, openEnvDestination, withDestinationLock, type SourceWriter, type StoredEntry } from './apply';
import { envFileFor } from './envTarget';
import type { FixGitContext } from './gitState';
import type { IgnoreOutcome } from './ignoreFile';
import { planFixes, type NameConflictChoice, type NeedsHumanReason, type PlanOptions, type PlannedKey, type SourceToFix } from './plan';
import { readRegularFile } from './safeFiles';

export interface FixRunOptions extends FixGitContext {
  /** Folders and files to fix (absolute, or relative to `cwd`); none means `cwd`. */
  paths: readonly string[];
  cwd: string;
  /** One env file for every key (the CLI's --env-file); default: the package rule of envTarget.ts. */
  envFile?: string;
  dryRun: boolean;
  includeLowConfidence: boolean;
  maxFileSize: number;
  isExcluded?: (relativePath: string) => boolean;
  onNameTaken?: NameConflictChoice;
  keepsSyntax?: PlanOptions['keepsSyntax'];
  /** Where rewritten sources go (default: the disk, atomically). The editor writes open documents through edits. */
  writer?: SourceWriter;
  /** The text to fix for a path (the editor passes open documents' text); default: the file on disk. */
  readSource?: (path: string) => Promise<{ text: string; notUtf8: boolean } | undefined>;
  signal?: AbortSignal;
}

export interface FixedKey extends PlannedKey {
  file: string;
  destination: string;
}

export interface StoreReport {
  destination: string;
  entries: StoredEntry[];
  created: boolean;
  ignore?: IgnoreOutcome;
}

export interface NeedsHuman {
  file: string;
  line: number;
  column: number;
  ruleId: RuleId;
  hint?: string;
  /** Why, as a message (messages.ts): the planner's reason, or the finding's own message. */
  reason: Message;
}

/** What a dry run would write: whole texts for sources, only the appended lines for env files and .gitignore. */
export type PlannedWrite =
  | { kind: 'source'; path: string; before: string; after: string }
  | { kind: 'append'; path: string; exists: boolean; appended: string; secret: boolean };

export interface FixRunResult {
  /** The folder the run worked in: env files and .gitignore edits stay inside it. */
  root: string;
  fixed: FixedKey[];
  stored: StoreReport[];
  needsHuman: NeedsHuman[];
  /** What stopped part of the run: a refused destination, an unreadable path, a git failure. */
  errors: Array<{ path: string; message: string }>;
  /** Files the scan could not read, with why (besides the designed skips: binary, links). */
  notScanned: Array<{ file: string; reason: string }>;
  planned: PlannedWrite[];
  filesScanned: number;
}

/** Exit status of a run, as the CLI reports it: 2 an error, 1 something needs a human, 0 all clean. */
export function fixExitCode(result: FixRunResult): 0 | 1 | 2 {
  if (result.errors.length > 0 || result.notScanned.length > 0) return 2;
  return result.needsHuman.length > 0 ? 1 : 0;
}

/** The folder the run works in: the one folder given, else the working folder. */
async function runRoot(inputs: readonly string[], cwd: string): Promise<string> {
  if (inputs.length === 1) {
    const path = resolve(cwd, inputs[0]);
    if ((await fs.stat(path)).isDirectory()) return path;
  }
  return cwd;
}

function scanOptions(options: FixRunOptions) {
  return {
    useGitignore: true,
    allowGit: options.allowGit,
    git: options.git,
    includeLowConfidence: options.includeLowConfidence,
    maxFileSize: options.maxFileSize,
    isExcluded: options.isExcluded,
    signal: options.signal,
  };
}

export async function readSourceFromDisk(path: string): Promise<{ text: string; notUtf8: boolean } | undefined> {
  const bytes = await readRegularFile(path);
  if (!bytes) return undefined;
  const text = bytes.toString('utf8');
  // UTF-16 of ASCII text is valid UTF-8 (a NUL after each character), but its keys are not in `text`: the file is
  // refused with the not-UTF-8 reason rather than left with the finding's own "move it" message (red team F26.4).
  return { text, notUtf8: detectUtf16(bytes) !== undefined || !Buffer.from(text, 'utf8').equals(bytes) };
}

export async function fixPaths(options: FixRunOptions): Promise<FixRunResult> {
  const inputs = (options.paths.length > 0 ? options.paths : ['.']).map((path) => resolve(options.cwd, path));
  const root = await runRoot(inputs, options.cwd);
  const result: FixRunResult = { root, fixed: [], stored: [], needsHuman: [], errors: [], notScanned: [], planned: [], filesScanned: 0 };
  const first = await scanPaths(inputs, scanOptions(options));
  collectScanTrouble(first, result);
  const reasons = new Map<string, Array<{ hint: string; reason: Message }>>();

  // Group the files with hardcoded keys by the env file their keys go to.
  const envOverride = options.envFile === undefined ? undefined : resolve(options.cwd, options.envFile);
  const groups = new Map<string, string[]>();
  // A key in a file's name has no text to rewrite (nameFindings.ts): it stays in the report, for a human to rename.
  const inContents = first.findings.filter((finding) => finding.ruleId === 'hardcoded-key' && finding.messageId !== FILE_NAME_MESSAGE_ID);
  for (const file of new Set(inContents.map((finding) => finding.file))) {
    const destination = envOverride ?? envFileFor(file, root);
    if (resolve(file) === destination) continue; // keys in the destination itself are where they belong
    groups.set(destination, [...(groups.get(destination) ?? []), file]);
  }

  const writer = options.writer ?? diskSourceWriter;
  const readSource = options.readSource ?? readSourceFromDisk;
  for (const [destinationPath, files] of groups) {
    if (options.signal?.aborted) break;
    try {
      await fixGroup(destinationPath, files);
    } catch (error) {
      result.errors.push({ path: destinationPath, message: (error as Error).message });
      for (const file of files) remember(file, undefined, { id: 'fix.not-stored', args: { detail: (error as Error).message } });
    }
  }

  // Nothing is called fixed on the plan's word: what the scan still finds needs a human.
  const last = options.dryRun ? undefined : await scanPaths(inputs, scanOptions(options));
  if (last) collectScanTrouble(last, result, true);
  result.filesScanned = (last ?? first).filesScanned;
  const remaining = last ? last.findings : projectedFindings(first.findings, result);
  for (const finding of remaining) result.needsHuman.push(toNeedsHuman(finding, reasons));
  return result;

  async function fixGroup(destinationPath: string, files: string[]): Promise<void> {
    // Planned and stored under the env file's lock; sources are written after it is released.
    // An env file the user named (--env-file) may sit outside the folder being fixed; the default one may not.
    const containment = envOverride && !isInside(envOverride, root) ? existingAncestor(dirname(envOverride)) : root;
    const plan = await withDestinationLock(destinationPath, containment, async () => {
      const destination = await openEnvDestination(destinationPath, { git: options.git, allowGit: options.allowGit, root: containment });
      const sources: SourceToFix[] = [];
      for (const file of files) {
        try {
          const source = await readSource(file);
          if (source) sources.push({ path: file, text: source.text, notUtf8: source.notUtf8 });
        } catch (error) {
          result.errors.push({ path: file, message: (error as Error).message });
        }
      }
      let planned: ReturnType<typeof planFixes>;
      try {
        planned = planFixes(sources, {
          includeLowConfidence: options.includeLowConfidence,
          stored: destination.stored,
          onNameTaken: options.onNameTaken,
          keepsSyntax: options.keepsSyntax,
        });
      } catch (error) {
        // A planner failure is the sources' (a construct the rewriters choke on), not the destination's.
        // Its first line: Node appends a module's require stack to a load failure (a parser missing from a broken
        // install), which is noise in a report line.
        const detail = String((error as Error).message).split('\n')[0];
        for (const file of files) {
          result.errors.push({ path: file, message: `the fix could not be planned: ${detail}` });
          remember(file, undefined, { id: 'fix.not-planned', args: { detail } });
        }
        return undefined;
      }
      for (const source of planned.sources) {
        for (const item of source.needsHuman) remember(source.path, item.hint, { id: `fix.${item.reason}` as const, args: reasonArgs(item.reason) });
      }
      const changing = planned.sources.filter((source) => source.after !== source.before);
      if (changing.length === 0 && planned.entries.length === 0) return undefined;
      if (options.dryRun) {
        const ignore = await destination.planIgnore();
        if (ignore) result.planned.push({ kind: 'append', path: ignore.gitignore, exists: ignore.before !== undefined, appended: ignore.edit.newText, secret: false });
        const appended = destination.appendedText(planned.entries);
        if (appended) result.planned.push({ kind: 'append', path: destinationPath, exists: destination.before !== undefined, appended, secret: true });
        for (const source of changing) {
          result.planned.push({ kind: 'source', path: source.path, before: source.before, after: source.after });
          for (const key of source.fixed) result.fixed.push({ ...key, file: source.path, destination: destinationPath });
        }
        return undefined;
      }
      // Stored (and read back) before any source changes; a refusal throws and writes no source.
      const stored = await destination.store(planned.entries);
      result.stored.push({ destination: destinationPath, entries: stored.stored, created: stored.created, ignore: stored.ignore });
      return planned;
    });
    if (!plan) return;
    for (const source of plan.sources) {
      if (source.after === source.before) continue;
      let outcome: 'written' | 'changed';
      try {
        outcome = await writer.write(source);
      } catch (error) {
        // The keys are stored; this file could not be rewritten (a full disk, a permission): say so of this file,
        // and go on with the others (red team F9).
        result.errors.push({ path: source.path, message: (error as Error).message });
        for (const key of source.fixed) remember(source.path, key.hint, { id: 'fix.not-written', args: { detail: (error as Error).message } });
        continue;
      }
      if (outcome === 'changed') {
        for (const key of source.fixed) remember(source.path, key.hint, { id: 'fix.changed-on-disk', args: {} });
        continue;
      }
      for (const key of source.fixed) result.fixed.push({ ...key, file: source.path, destination: destinationPath });
    }
  }

  function remember(file: string, hint: string | undefined, reason: Message): void {
    const list = reasons.get(file) ?? [];
    list.push({ hint: hint ?? '', reason });
    reasons.set(file, list);
  }
}

function isInside(path: string, root: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith('..' + sep));
}

function existingAncestor(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function reasonArgs(reason: NeedsHumanReason): Record<string, string> {
  return reason === 'sdk-variable-taken' ? { variable: 'ANTHROPIC_API_KEY' } : {};
}

function collectScanTrouble(scan: ScanResult, result: FixRunResult, second = false): void {
  const known = new Set(result.notScanned.map((item) => item.file));
  for (const problem of scan.problems) {
    if (!second || !result.errors.some((error) => error.path === problem.path && error.message === problem.message)) result.errors.push({ path: problem.path, message: problem.message });
  }
  for (const skip of scan.skipped) {
    // A skip the scan chose (a link it does not follow, a file deleted meanwhile) is fine; one it failed is not.
    if (skip.failed && !known.has(skip.file)) result.notScanned.push({ file: skip.file, reason: skip.reason });
  }
}

/** For a dry run: the findings that would remain (every first-scan finding but the keys the plan fixes). */
function projectedFindings(findings: readonly FileFinding[], result: FixRunResult): FileFinding[] {
  const fixed = new Set(result.fixed.map((key) => `${key.file}\0${key.line}\0${key.column}`));
  return findings.filter((finding) => !(finding.ruleId === 'hardcoded-key' && fixed.has(`${finding.file}\0${finding.line}\0${finding.column}`)));
}

/**
 * A finding still there after the fix, with the planner's reason for its key where it gave one: matched by file and
 * hint (positions move when a fix adds an import above), or by file alone for a reason that covers every key of the
 * file (its destination refused). Other rules' findings say what their own message says.
 */
function toNeedsHuman(finding: FileFinding, reasons: Map<string, Array<{ hint: string; reason: Message }>>): NeedsHuman {
  const hint = finding.credential?.hint;
  const list = finding.ruleId === 'hardcoded-key' ? reasons.get(finding.file) : undefined;
  const index = list?.findIndex((entry) => entry.hint === hint) ?? -1;
  const fileWide = list?.find((entry) => entry.hint === '');
  const reason = index >= 0 ? list!.splice(index, 1)[0].reason : (fileWide?.reason ?? { id: finding.messageId, args: finding.messageArgs });
  return { file: finding.file, line: finding.line, column: finding.column, ruleId: finding.ruleId, ...(hint ? { hint } : {}), reason };
}

/** English text of a needs-human reason. */
export function needsHumanText(item: NeedsHuman): string {
  return formatMessage(item.reason);
}

