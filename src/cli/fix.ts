// `anthropic-key-hygiene fix [PATH...] [--dry-run] [--env-file PATH]`: applies the preferred fix to every
// hardcoded-key finding in the scanned tree.
//
// Decisions:
// - The preferred fix is the environment lookup (rewriteToEnvLookup). Where none exists but the key is prose
//   (Markdown, text) or sits in a comment, the key is redacted to its hint. Everything else "needs a human" and
//   is listed: config files (JSON, YAML, TOML…) have no lookup, env templates must get a placeholder by hand,
//   notebooks are fixed cell by cell in the editor, and a key the rewrites cannot place safely is left alone.
// - Nothing is lost: the keys go into the env file (default `.env` in the scanned folder, or in the current
//   folder when several paths or a file are given) BEFORE any source is rewritten; the env file must be an env
//   file by name (so scans never report it) and must not be tracked by git; a .gitignore line is added first
//   when git would not ignore it. A key the env file already holds under the chosen name is not added twice.
// - Each file is fixed one finding at a time, re-scanning the text after each rewrite and checking that
//   exactly that key disappeared; a rewrite that does anything else is dropped and the finding listed.
// - Files are written only when their text changed, as UTF-8 (files that are not valid UTF-8 are listed, never
//   rewritten), so files without findings stay byte-identical and a second run changes nothing.
// - --dry-run prints a unified diff on stdout and writes nothing. Keys never appear in it: every credential in
//   the diff (the removed literal in `-` lines, the new env entry in `+` lines) is shown as its hint, so the
//   diff is for reading, not for `git apply`. The summary goes to stderr then, so stdout is only the diff.
// - Exit codes: 0 every finding fixed (or none), 1 some need a human, 2 an error (nothing further written).
import { existsSync, promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { findCredentials } from '../core/credentials';
import { classifyEnvFileName } from '../core/envFiles';
import type { CredentialKind, TextFinding } from '../core/findings';
import { applyEdits, type TextEdit } from '../core/fixes/edits';
import { planEnvEntry, planGitignoreEntry, readEnvValue } from '../core/fixes/envFile';
import { fixLanguageFor, type FixLanguage } from '../core/fixes/languages';
import { assignedNameAt, keyLocation, redactKey, rewriteToEnvLookup, variableNameFor } from '../core/fixes/rewrite';
import { createGitRunner } from '../core/git';
import { keyHint } from '../core/hint';
import { positionsForOffsets } from '../core/positions';
import { findTextFindings } from '../core/textFindings';
import { fileGitState, scanPaths } from '../core/workspaceScan';
import { unifiedDiff } from './unifiedDiff';

export interface FixCommandOptions {
  paths: string[];
  dryRun: boolean;
  envFile?: string;
  includeLowConfidence: boolean;
  maxFileSize: number;
  isExcluded?: (relativePath: string) => boolean;
}

export class FixUsageError extends Error {}

interface Fixed {
  line: number;
  column: number;
  hint: string;
  title: string;
  variable: string;
  note?: string;
}

interface NeedsHuman {
  line: number;
  column: number;
  hint: string;
  reason: string;
}

interface FilePlan {
  path: string;
  before: string;
  after: string;
  fixed: Fixed[];
  needsHuman: NeedsHuman[];
}

/** The env file as the run plans it: its text on disk and the text after the appends so far. */
interface EnvState {
  path: string;
  original: string | undefined;
  text: string | undefined;
  /** Variables this run adds, in order. */
  added: string[];
}

/** Runs the command; returns the exit code. Usage errors throw FixUsageError, I/O errors their own error. */
export async function runFix(options: FixCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const inputs = options.paths.length > 0 ? options.paths : ['.'];
  const root = await scanRoot(inputs);
  const envPath = resolve(options.envFile ?? join(root, '.env'));
  if (classifyEnvFileName(basename(envPath)) !== 'env') {
    throw new FixUsageError(`--env-file must name an env file such as .env or .env.local (scans skip those, and templates are committed)`);
  }
  const display = (path: string) => relative(process.cwd(), path).split(sep).join('/') || '.';
  const git = createGitRunner();

  const scan = await scanPaths(inputs, {
    useGitignore: true,
    allowGit: true,
    includeLowConfidence: options.includeLowConfidence,
    maxFileSize: options.maxFileSize,
    isExcluded: options.isExcluded,
  });
  for (const problem of scan.problems) err.write(`anthropic-key-hygiene: ${display(problem.path)}: ${problem.message}\n`);
  const files = [...new Set(scan.findings.filter((f) => f.ruleId === 'hardcoded-key' && resolve(f.file) !== envPath).map((f) => f.file))];

  const envText = existsSync(envPath) ? await fs.readFile(envPath, 'utf8') : undefined;
  const env: EnvState = { path: envPath, original: envText, text: envText, added: [] };
  const plans: FilePlan[] = [];
  for (const file of files) plans.push(await planFile(file, env, options.includeLowConfidence));

  const changedPlans = plans.filter((plan) => plan.after !== plan.before);
  const fixedCount = plans.reduce((sum, plan) => sum + plan.fixed.length, 0);
  const needsHuman = plans.filter((plan) => plan.needsHuman.length > 0);

  // Where the keys go must be (made) ignored by git before any key is written there, and before any source is
  // rewritten to read from it: a key the env file already holds is no safer there if git would commit the file.
  let gitignore: { path: string; before: string | undefined; edit: TextEdit } | undefined;
  if (env.text !== env.original || changedPlans.length > 0) {
    const state = await fileGitState(envPath, true, git);
    if (state.tracked) {
      throw new Error(`${display(envPath)} is tracked by git, so keys kept there would be committed; untrack it (git rm --cached) or pass --env-file`);
    }
    if (!state.ignored) gitignore = await planGitignore(root, envPath);
  }

  const report = options.dryRun ? err : out;
  if (options.dryRun) {
    if (gitignore) out.write(unifiedDiff({ path: display(gitignore.path), before: gitignore.before, after: applyEdits(gitignore.before ?? '', [gitignore.edit]) }));
    if (env.text !== env.original) out.write(maskKeys(unifiedDiff({ path: display(envPath), before: env.original, after: env.text ?? '' })));
    for (const plan of changedPlans) out.write(maskKeys(unifiedDiff({ path: display(plan.path), before: plan.before, after: plan.after })));
  } else {
    if (gitignore) {
      await writeAppend(gitignore.path, gitignore.before, gitignore.edit);
      // Outside a repository nothing is committed (and git applies no ignore rules there), so only a
      // repository's verdict can fail this check.
      const after = await fileGitState(envPath, true, git);
      if (after.repositoryRoot && !after.ignored) {
        throw new Error(`${display(envPath)} is still not ignored after adding it to ${display(gitignore.path)} (a later rule re-includes it); no key was written`);
      }
    }
    if (env.text !== env.original) {
      await fs.mkdir(dirname(envPath), { recursive: true });
      await writeAppend(envPath, env.original, { start: (env.original ?? '').length, end: (env.original ?? '').length, newText: (env.text ?? '').slice((env.original ?? '').length) }, 0o600);
      await verifyStored(envPath, plans);
    }
    // Only now, with every key stored, are the sources rewritten.
    for (const plan of changedPlans) await fs.writeFile(plan.path, plan.after, 'utf8');
  }

  writeSummary(report, { plans, fixedCount, env, gitignore, display, dryRun: options.dryRun });
  return needsHuman.length > 0 ? 1 : 0;
}

/** The folder whose .env and .gitignore the run uses: the one folder given, else the current folder. */
async function scanRoot(inputs: readonly string[]): Promise<string> {
  if (inputs.length === 1) {
    const stat = await fs.stat(inputs[0]);
    if (stat.isDirectory()) return resolve(inputs[0]);
  }
  return process.cwd();
}

/** The .gitignore line that covers the env file: in the scan root's .gitignore when the env file is inside
 * the root (`.env`, or `config/.env`), else next to the env file. */
async function planGitignore(root: string, envPath: string): Promise<{ path: string; before: string | undefined; edit: TextEdit }> {
  const inside = relative(root, envPath);
  const underRoot = !inside.startsWith('..') && !inside.startsWith(sep) && inside !== '';
  const folder = underRoot ? root : dirname(envPath);
  const entry = underRoot ? inside.split(sep).join('/') : basename(envPath);
  const path = join(folder, '.gitignore');
  const before = existsSync(path) ? await fs.readFile(path, 'utf8') : undefined;
  // The line is present but git still does not ignore the file (a later `!` rule): append it again, last wins.
  const edit = planGitignoreEntry(before, entry) ?? planGitignoreEntry(before, `/${entry}`) ?? {
    start: (before ?? '').length,
    end: (before ?? '').length,
    newText: `${before && !before.endsWith('\n') ? '\n' : ''}/${entry}\n`,
  };
  return { path, before, edit };
}

/** Appends without rewriting what is there, so bytes the run never decoded stay exactly as they were. */
async function writeAppend(path: string, before: string | undefined, edit: TextEdit, mode?: number): Promise<void> {
  if ((before ?? '').length !== edit.start || edit.start !== edit.end) throw new Error(`internal: not an append to ${path}`);
  if (before === undefined) await fs.writeFile(path, edit.newText, { encoding: 'utf8', mode, flag: 'wx' });
  else await fs.appendFile(path, edit.newText, 'utf8');
}

/** Reads the env file back and checks every key the sources will stop holding is in it. */
async function verifyStored(envPath: string, plans: readonly FilePlan[]): Promise<void> {
  const stored = await fs.readFile(envPath, 'utf8');
  for (const plan of plans) {
    for (const fixed of plan.fixed) {
      if (readEnvValue(stored, fixed.variable) === undefined) {
        throw new Error(`${fixed.variable} did not read back from ${envPath}; no source was changed`);
      }
    }
  }
}

/** Every credential in a text replaced by its hint. */
function maskKeys(text: string): string {
  const matches = findCredentials(text);
  let result = '';
  let cursor = 0;
  for (const match of matches) {
    result += text.slice(cursor, match.start) + keyHint(text.slice(match.start, match.end));
    cursor = match.end;
  }
  return result + text.slice(cursor);
}

function hardcodedKeys(text: string, fileName: string, includeLowConfidence: boolean): TextFinding[] {
  return findTextFindings(text, { fileName, includeLowConfidence }).filter((finding) => finding.ruleId === 'hardcoded-key');
}

async function planFile(path: string, env: EnvState, includeLowConfidence: boolean): Promise<FilePlan> {
  const bytes = await fs.readFile(path);
  const original = bytes.toString('utf8');
  const findings = hardcodedKeys(original, path, includeLowConfidence);
  const positions = positionsForOffsets(original, findings.map((finding) => finding.start));
  const at = (index: number) => ({ ...positions[index], hint: findings[index].credential?.hint ?? keyHint(original.slice(findings[index].start, findings[index].end)) });
  const plan: FilePlan = { path, before: original, after: original, fixed: [], needsHuman: [] };
  const refuseAll = (reason: string) => {
    plan.needsHuman = findings.map((_, index) => ({ ...at(index), reason }));
    return plan;
  };
  if (!Buffer.from(original, 'utf8').equals(bytes)) return refuseAll('the file is not UTF-8 text, so it is not rewritten');
  if (classifyEnvFileName(basename(path)) === 'template') {
    return refuseAll('env template: replace the value with a placeholder, and revoke the key if this file was ever committed');
  }
  const language = fixLanguageFor(path);
  if (path.toLowerCase().endsWith('.ipynb')) return refuseAll('notebook: fix the cell in the editor (cells are rewritten as Python there)');

  // originals[i] is the index in `findings` of the i-th key still in the text.
  let originals = findings.map((_, index) => index);
  let text = original;
  let current = findings;
  let skipped = 0;
  while (skipped < current.length) {
    const finding = current[skipped];
    const index = originals[skipped];
    const attempt = fixOne(text, finding, language, path, env);
    if ('reason' in attempt) {
      plan.needsHuman.push({ ...at(index), reason: attempt.reason });
      skipped++;
      continue;
    }
    const next = applyEdits(text, attempt.edits);
    const remaining = hardcodedKeys(next, path, includeLowConfidence);
    const keysBefore = current.map((f) => text.slice(f.start, f.end));
    const keysAfter = remaining.map((f) => next.slice(f.start, f.end));
    keysBefore.splice(skipped, 1);
    if (keysAfter.length !== keysBefore.length || keysAfter.some((key, i) => key !== keysBefore[i])) {
      plan.needsHuman.push({ ...at(index), reason: 'the rewrite did not remove exactly this key, so it was not applied' });
      skipped++;
      continue;
    }
    // Commit: the env entry (if new) and the rewritten text.
    if (attempt.envEdit) {
      env.text = applyEdits(env.text ?? '', [attempt.envEdit]);
      env.added.push(attempt.variable);
    }
    plan.fixed.push({ ...at(index), title: attempt.title, variable: attempt.variable, note: attempt.note });
    text = next;
    current = remaining;
    originals = originals.filter((_, i) => i !== skipped);
  }
  plan.after = text;
  // Report needs-human findings in file order.
  plan.needsHuman.sort((a, b) => a.line - b.line || a.column - b.column);
  return plan;
}

type Attempt = { edits: TextEdit[]; title: string; note?: string; variable: string; envEdit?: TextEdit } | { reason: string };

function fixOne(text: string, finding: TextFinding, language: FixLanguage, path: string, env: EnvState): Attempt {
  const key = text.slice(finding.start, finding.end);
  const kind: CredentialKind = finding.credential?.kind ?? 'other-token';
  const entry = planEnvEntry(env.text, variableNameFor(kind, assignedNameAt(text, finding.start)), key);
  const stored = { variable: entry.name, envEdit: entry.edit };
  const lookup = rewriteToEnvLookup(text, finding.start, finding.end, entry.name, language, { fileName: path });
  if (lookup) return { ...lookup, ...stored };
  const location = keyLocation(text, finding.start, finding.end, language);
  if (language === 'prose' || location.kind === 'comment') {
    return { ...redactKey(text, finding.start, finding.end, finding.credential?.hint ?? keyHint(key)), ...stored };
  }
  return { reason: whyNot(language, location.kind) };
}

function whyNot(language: FixLanguage, location: string): string {
  if (language === 'config') return 'no environment lookup in this file type: move the key to .env and load it in code, or use a placeholder';
  if (language === 'dockerfile') return 'only keys in ENV and ARG instructions are moved; pass this one as a build secret by hand';
  if (location === 'unknown') return 'the key is in a string that spans lines or could not be delimited; rewrite it by hand';
  if (location === 'bare') return 'the key is not in a string literal; rewrite it by hand';
  return 'no safe mechanical rewrite here (a constant, an attribute, a template tag…); rewrite it by hand';
}

function writeSummary(
  report: NodeJS.WritableStream,
  context: {
    plans: FilePlan[];
    fixedCount: number;
    env: EnvState;
    gitignore: { path: string } | undefined;
    display: (path: string) => string;
    dryRun: boolean;
  },
): void {
  const { plans, fixedCount, env, gitignore, display, dryRun } = context;
  const would = dryRun ? 'Would fix' : 'Fixed';
  const files = plans.filter((plan) => plan.fixed.length > 0).length;
  const human = plans.flatMap((plan) => plan.needsHuman.map((item) => ({ ...item, path: plan.path })));
  if (fixedCount === 0 && human.length === 0) {
    report.write('No hardcoded keys to fix.\n');
    return;
  }
  if (fixedCount > 0) {
    report.write(`${would} ${fixedCount} ${fixedCount === 1 ? 'key' : 'keys'} in ${files} ${files === 1 ? 'file' : 'files'}:\n`);
    for (const plan of plans) {
      for (const fixed of plan.fixed) report.write(`  ${display(plan.path)}:${fixed.line}:${fixed.column}  ${fixed.hint}  ${fixed.title}\n`);
    }
    if (env.added.length > 0) {
      report.write(`${dryRun ? 'Would store' : 'Stored'} ${env.added.join(', ')} in ${display(env.path)}${env.original === undefined ? ' (new file)' : ''}.\n`);
    } else {
      report.write(`The keys were already stored in ${display(env.path)}.\n`);
    }
    if (gitignore) report.write(`${dryRun ? 'Would add' : 'Added'} ${display(env.path)} to ${display(gitignore.path)}.\n`);
    const notes = [...new Set(plans.flatMap((plan) => plan.fixed.flatMap((fixed) => (fixed.note ? [`${display(plan.path)}: ${fixed.note}`] : []))))];
    if (notes.length > 0) {
      report.write('Notes:\n');
      for (const note of notes) report.write(`  ${note}\n`);
    }
  }
  if (human.length > 0) {
    report.write(`${human.length} ${human.length === 1 ? 'key needs' : 'keys need'} a human:\n`);
    for (const item of human) report.write(`  ${display(item.path)}:${item.line}:${item.column}  ${item.hint}  ${item.reason}\n`);
  }
}
