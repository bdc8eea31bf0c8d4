// `anthropic-key-hygiene fix [PATH...] [--dry-run] [--env-file PATH] [--replace-existing]`: runs the core fix engine
// (src/core/fixes/engine.ts) and prints what it did. Everything a user needs to decide is here; everything that
// decides is in the engine, which the editor's Fix All runs too.
//
// Output: what was fixed, stored and added to .gitignore; then everything still flagged after the fix (re-scanned),
// each with the reason it needs a human; then errors. With --dry-run: the diffs first (sources with keys shown as
// hints, env files and .gitignore only the lines the fix would append, keys as hints), then the same summary. All
// on stdout; errors on stderr. Every line passes through maskSecrets, so no `sk-ant-` run longer than a hint leaves.
// Exit codes: 0 nothing left to fix, 1 something needs a human, 2 an error (see fixExitCode).
import { basename, relative, sep } from 'node:path';
import { classifyEnvFileName } from '../core/envFiles';
import { createGitRunner } from '../core/git';
import { keyHint, maskSecrets } from '../core/hint';
import { escapeForTerminal, quotePath } from '../core/report/formats';
import { formatMessage } from '../core/messages';
import { fixExitCode, fixPaths, type FixRunResult, type PlannedWrite } from '../core/fixes/engine';
import type { NameConflictChoice } from '../core/fixes/plan';
import { unifiedDiff } from './unifiedDiff';
import { FixUsageError } from './fixUsageError';

export interface FixCommandOptions {
  paths: string[];
  dryRun: boolean;
  envFile?: string;
  includeLowConfidence: boolean;
  maxFileSize: number;
  isExcluded?: (relativePath: string) => boolean;
  onNameTaken?: NameConflictChoice;
}


/** Runs the command; returns the exit code. */
export async function runFix(options: FixCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (options.envFile !== undefined && classifyEnvFileName(basename(options.envFile)) !== 'env') {
    throw new FixUsageError('--env-file must name an env file such as .env or .env.local (scans skip those, and templates are committed)');
  }
  const result = await fixPaths({
    paths: options.paths,
    cwd: process.cwd(),
    envFile: options.envFile,
    dryRun: options.dryRun,
    includeLowConfidence: options.includeLowConfidence,
    maxFileSize: options.maxFileSize,
    isExcluded: options.isExcluded,
    onNameTaken: options.onNameTaken,
    git: createGitRunner(),
    allowGit: true,
  });
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(maskSecrets(text));
  if (options.dryRun) for (const planned of result.planned) write(out, plannedDiff(planned, display));
  write(out, summary(result, options.dryRun));
  for (const error of result.errors) write(err, `anthropic-key-hygiene: ${display(error.path)}: ${escapeForTerminal(error.message)}\n`);
  for (const skip of result.notScanned) write(err, `anthropic-key-hygiene: ${display(skip.file)}: not scanned: ${escapeForTerminal(skip.reason)}\n`);
  return fixExitCode(result);
}

/** A path as printed: relative, quoted and escaped as git quotes names when it holds control characters or bytes that
 * are not UTF-8, so a file name can neither fake nor erase a line of the report (red team F12, issue 12 #17). */
function display(path: string): string {
  return quotePath(relative(process.cwd(), path).split(sep).join('/') || '.');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A dry run's picture of one write. An env file shows only the lines the fix would append, never what it holds. */
function plannedDiff(planned: PlannedWrite, show: (path: string) => string): string {
  if (planned.kind === 'source') return unifiedDiff({ path: show(planned.path), before: planned.before, after: planned.after });
  const lines = planned.appended
    .split('\n')
    .filter((line, index, all) => index < all.length - 1 || line !== '')
    .map((line) => line.replace(/\r$/, ''))
    // Every value shown as a hint, whatever it looks like: a replaced value (NAME_PREVIOUS) may be a gateway's key,
    // a password: env-file content this product did not make (red team F18).
    .map((line) => (planned.secret ? line.replace(/^([A-Za-z_][A-Za-z0-9_]*=)(.+)$/, (_whole, name: string, value: string) => name + keyHint(value.replace(/^'(.*)'$/, '$1'))) : line));
  const header = planned.exists ? `--- a/${show(planned.path)}\n+++ b/${show(planned.path)}\n` : `--- /dev/null\n+++ b/${show(planned.path)}\n`;
  return `${header}@@ appended @@\n${lines.map((line) => `+${line}`).join('\n')}\n`;
}

function summary(result: FixRunResult, dryRun: boolean): string {
  const lines: string[] = [];
  const fixedFiles = new Set(result.fixed.map((key) => key.file)).size;
  if (result.fixed.length > 0) {
    lines.push(`${dryRun ? 'Would fix' : 'Fixed'} ${plural(result.fixed.length, 'key', 'keys')} in ${plural(fixedFiles, 'file', 'files')}:`);
    for (const key of result.fixed) lines.push(`  ${display(key.file)}:${key.line}:${key.column}  ${key.hint}  ${key.title}`);
  }
  for (const store of result.stored) {
    if (store.entries.length > 0) {
      const names = store.entries.map((entry) => (entry.previousName ? `${entry.name} (its earlier value kept as ${entry.previousName})` : entry.name));
      lines.push(`Stored ${names.join(', ')} in ${display(store.destination)}${store.created ? ' (new file)' : ''}.`);
    } else if (result.fixed.some((key) => key.destination === store.destination)) {
      lines.push(`The keys were already stored in ${display(store.destination)}.`);
    }
    if (store.ignore?.status === 'added') lines.push(`Added ${store.ignore.pattern} to ${display(store.ignore.gitignore)}.`);
  }
  if (dryRun) {
    const destinations = [...new Set(result.fixed.map((key) => key.destination))];
    for (const destination of destinations) {
      const names = [...new Set(result.fixed.filter((key) => key.destination === destination).map((key) => key.variable))];
      lines.push(`Would store ${names.join(', ')} in ${display(destination)}.`);
    }
  }
  const notes = [...new Set(result.fixed.flatMap((key) => (key.note ? [`${display(key.file)}: ${key.note}`] : [])))];
  if (notes.length > 0) lines.push('Notes:', ...notes.map((note) => `  ${note}`));
  if (result.needsHuman.length > 0) {
    lines.push(`${plural(result.needsHuman.length, 'problem needs', 'problems need')} a human${dryRun ? '' : ' (still found after the fix)'}:`);
    for (const item of result.needsHuman) {
      lines.push(`  ${display(item.file)}:${item.line}:${item.column}  ${item.hint ? `${item.hint}  ` : ''}${escapeForTerminal(formatMessage(item.reason))}  [${item.ruleId}]`);
    }
  }
  if (lines.length === 0 && result.errors.length === 0) lines.push(dryRun ? 'No hardcoded keys to fix.' : `No hardcoded keys to fix in ${plural(result.filesScanned, 'file', 'files')}.`);
  if (result.errors.length > 0) lines.push(`${plural(result.errors.length, 'error', 'errors')}; see below. Nothing was written for the files an error names.`);
  return lines.join('\n') + '\n';
}
