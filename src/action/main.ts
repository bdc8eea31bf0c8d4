// The GitHub Action (action.yml at the repository's top): the same engine as the CLI, run by the Actions runner on
// every push and pull request. It reads its inputs the way the runner passes them (INPUT_<NAME> variables), scans the
// checkout (and, when asked, its history), and writes what GitHub shows: a job summary (GITHUB_STEP_SUMMARY), workflow
// annotations on the pull request's diff, step outputs (GITHUB_OUTPUT) and a SARIF file for code scanning. It uploads
// nothing itself: github/codeql-action/upload-sarif does, in the user's workflow, with the permission they grant.
//
// Decisions:
// - A front end over src/core like the CLI, not a wrapper that parses the CLI's output (STYLE.md, point 15).
// - Everything printed comes from the repository under scan, which a pull request from anyone controls: a file name
//   can hold `::` and line breaks. The text report is printed between ::stop-commands:: markers (GitHub's mechanism for
//   untrusted output), annotation properties and messages are escaped as @actions/core escapes them, and the job
//   summary's cells are HTML-escaped, so no file name can fake an annotation, a command or a "clean" summary.
// - GitHub shows 10 error and 10 warning annotations per step; beyond that one notice says how many more there are
//   (the summary and the SARIF file list them all). A key found only in history is annotated without a file: the
//   file at the head of the branch may no longer hold it.
// - Exit codes as the CLI's: 0 clean or below fail-on, 1 findings, 2 something could not be scanned or an input is
//   wrong. Any non-zero code fails the step.
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { applyBaseline, type BaselineCliOptions, type ScanOutcome } from '../cli/baseline';
import { createExcludeMatcher } from '../core/excludes';
import { folderStaysInside, readRegularFile, writeFileAtomic } from '../core/fixes/safeFiles';
import { describeFsError } from '../core/fsErrors';
import { createGitRunner, findRepositoryRoot } from '../core/git';
import { scanHistory, type HistoryFinding } from '../core/history/historyScan';
import type { HistoryMode } from '../core/history/revisions';
import { escapeForTerminal, formatSarif, plural, quotePath, reportIsIncomplete, writeText, type ReportFinding, type ReportInput } from '../core/report/formats';
import { sarifProvenance } from '../core/report/provenance';
import { maskSecrets } from '../core/hint';
import { scanPaths } from '../core/workspaceScan';

declare const CLI_VERSION: string | undefined;

/** GitHub's annotation limits per step (docs: "Workflow commands", annotations), per level. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** Rows of the summary table; the summary file of a step is limited to 1 MiB. */
export const SUMMARY_ROWS = 500;

class InputError extends Error {}

/** An input as the runner passes it: INPUT_ + the name upper-cased, spaces as `_` (hyphens kept), trimmed. */
function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function booleanInput(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = input(env, name).toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`input ${name} must be true or false, not '${value}'`);
}

interface ActionInputs {
  paths: string[];
  exclude: string[];
  failOn: 'error' | 'warning' | 'never';
  history: 'none' | 'pushed' | 'all';
  sarifFile?: string;
  category?: string;
  baseline?: string;
  verify: boolean;
}

function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const failOn = input(env, 'fail-on') || 'warning';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') throw new InputError(`input fail-on must be error, warning or never, not '${failOn}'`);
  const history = input(env, 'history') || 'none';
  if (history !== 'none' && history !== 'pushed' && history !== 'all') throw new InputError(`input history must be none, pushed or all, not '${history}'`);
  const verify = booleanInput(env, 'verify');
  const baseline = input(env, 'baseline') || undefined;
  if (verify && !baseline) throw new InputError('input verify checks the keys a baseline accepts: set baseline too');
  return {
    paths: lines(input(env, 'paths')).length > 0 ? lines(input(env, 'paths')) : ['.'],
    exclude: lines(input(env, 'exclude')),
    failOn,
    history,
    sarifFile: input(env, 'sarif-file') || undefined,
    category: input(env, 'category') || undefined,
    baseline,
    verify,
  };
}

/**
 * The revisions `history: pushed` scans, from the event that started the run (GITHUB_EVENT_PATH): a pull request's
 * base..head, a push's before..after, and all of HEAD for a new branch or any other event.
 */
export function pushedRevisions(eventName: string | undefined, event: unknown): string[] {
  const payload = (event ?? {}) as { before?: string; after?: string; pull_request?: { base?: { sha?: string }; head?: { sha?: string } } };
  const isSha = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(value);
  if ((eventName === 'pull_request' || eventName === 'pull_request_target') && isSha(payload.pull_request?.base?.sha) && isSha(payload.pull_request?.head?.sha)) {
    return [`${payload.pull_request.base.sha}..${payload.pull_request.head.sha}`];
  }
  if (eventName === 'push' && isSha(payload.after)) {
    // A new branch's `before` is all zeros: nothing to subtract, so the whole history of what was pushed.
    return isSha(payload.before) && !/^0+$/.test(payload.before) ? [`${payload.before}..${payload.after}`] : [payload.after];
  }
  return ['HEAD'];
}

/** Runs the action; returns the exit code. `log` is the step's log (where workflow commands are read). */
export async function runAction(env: NodeJS.ProcessEnv, log: NodeJS.WritableStream): Promise<number> {
  // Every key masked before it leaves, as the CLI does: a file's name can hold one, and it is printed, annotated, put
  // in the summary and in the SARIF file. Everything is written here in whole lines, so each write is masked whole.
  const out = { write: (text: string) => log.write(maskSecrets(text)) };
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    out.write(`::error title=anthropic-key-hygiene::${escapeData((error as Error).message)}\n`);
    return 2;
  }
  const toolVersion = typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev';
  const git = createGitRunner();
  const displayPath = (file: string) => relative(workspace, file).split(sep).join('/');
  const maxFileSize = 1024 * 1024 * 1024;
  const isExcluded = createExcludeMatcher(inputs.exclude);
  const baselineOptions: BaselineCliOptions | undefined = inputs.baseline ? { baseline: resolve(workspace, inputs.baseline), verify: inputs.verify } : undefined;
  // Notes for the log (a --verify key that cannot be checked, …), shown inside the untrusted block.
  const notes: string[] = [];
  const noteStream = { write: (chunk: string) => (notes.push(chunk), true) } as unknown as NodeJS.WritableStream;

  let sourceRoot = workspace;
  let outcome: ScanOutcome;
  let historyCommits: number | undefined;
  try {
    const scanned = await scanPaths(
      inputs.paths.map((path) => resolve(workspace, path)),
      { useGitignore: true, allowGit: true, includeLowConfidence: true, maxFileSize, isExcluded, startWorkersEarly: true },
    );
    sourceRoot = (await findRepositoryRoot(git, workspace).catch(() => undefined)) ?? workspace;
    outcome = { ...scanned, sourceRoot };
    if (inputs.history !== 'none') {
      const mode: HistoryMode = { kind: 'history', revisions: inputs.history === 'all' ? [] : pushedRevisions(env.GITHUB_EVENT_NAME, readEvent(env.GITHUB_EVENT_PATH)) };
      const history = await scanHistory({ cwd: workspace, mode, includeLowConfidence: true, maxFileSize, isExcluded, checkWorkingTree: false });
      historyCommits = history.commitsScanned;
      notes.push(...history.notes.map((note) => `${note}\n`));
      outcome = {
        ...outcome,
        findings: [...outcome.findings, ...history.findings],
        // A blob history skipped (over the size limit) is also one of its problems, listed below.
        problems: [...(outcome.problems ?? []), ...history.problems.map((problem) => ({ path: history.root, message: `history: ${problem.subject ? `${problem.subject}: ` : ''}${problem.message}` }))],
      };
    }
    if (baselineOptions) outcome = await applyBaseline(outcome, baselineOptions, noteStream);
  } catch (error) {
    out.write(`::error title=anthropic-key-hygiene::${escapeData(escapeForTerminal(error instanceof Error ? error.message : String(error)))}\n`);
    return 2;
  }

  const report: ReportInput = {
    ...outcome,
    displayPath,
    toolVersion,
    sarif: { category: inputs.category, provenance: await sarifProvenance(git, sourceRoot) },
  };
  const findings = report.findings as readonly ReportFinding[];
  const incomplete = reportIsIncomplete(report);
  const fails = inputs.failOn !== 'never' && findings.some((finding) => finding.severity === 'error' || (inputs.failOn === 'warning' && finding.severity === 'warning'));

  // The text report, as repository text: workflow commands stay off while it is printed.
  const token = randomBytes(16).toString('hex');
  out.write(`::stop-commands::${token}\n`);
  writeText(report, (chunk) => out.write(chunk));
  for (const note of notes) out.write(`anthropic-key-hygiene: ${escapeForTerminal(note.trimEnd())}\n`);
  if (historyCommits !== undefined) out.write(`History: ${plural(historyCommits, 'commit')} scanned.\n`);
  out.write(`::${token}::\n`);

  writeAnnotations(findings, displayPath, out);

  let sarifWritten: string | undefined;
  if (inputs.sarifFile) {
    const target = resolve(workspace, inputs.sarifFile);
    try {
      // Never through a link a pull request could have committed at that path or in a folder of it: the folder must
      // stay inside the workspace once links are resolved, and the write is atomic, refusing anything not a file.
      if (!(await folderStaysInside(target, workspace))) throw new Error('its folder is a link out of the workspace');
      await mkdir(dirname(target), { recursive: true });
      if (!(await folderStaysInside(target, workspace))) throw new Error('its folder is a link out of the workspace');
      await writeFileAtomic(target, maskSecrets(formatSarif(report)), { expected: await readRegularFile(target), newFileMode: 0o644 });
      sarifWritten = isAbsolute(inputs.sarifFile) ? target : displayPath(target);
    } catch (error) {
      out.write(`::error title=anthropic-key-hygiene::${escapeData(`the SARIF file ${quotePath(inputs.sarifFile)} was not written: ${describeFsError(error)}`)}\n`);
      return 2;
    }
  }

  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  const exitCode = incomplete ? 2 : fails ? 1 : 0;
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, maskSecrets(jobSummary(report, { errors, warnings, incomplete, failOn: inputs.failOn, sarifFile: sarifWritten, historyCommits })));
  if (env.GITHUB_OUTPUT) {
    const outputs: Record<string, string> = {
      findings: String(findings.length),
      errors: String(errors),
      warnings: String(warnings),
      baselined: String(report.baselined ?? 0),
      'sarif-file': sarifWritten ?? '',
      result: incomplete ? 'incomplete' : findings.length > 0 ? 'findings' : 'clean',
    };
    appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([name, value]) => outputLine(name, maskSecrets(value))).join(''));
  }
  if (exitCode === 2) out.write(`::error title=anthropic-key-hygiene::${escapeData('The scan is incomplete: something could not be scanned (see the log above).')}\n`);
  else if (exitCode === 1) out.write(`::error title=anthropic-key-hygiene::${escapeData(`${plural(errors + warnings, 'finding')} at or above fail-on (${inputs.failOn}).`)}\n`);
  return exitCode;
}

function readEvent(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** GITHUB_OUTPUT's multi-line form, with a random delimiter no value can contain (as @actions/core writes it). */
function outputLine(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomBytes(16).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** A workflow command's message: `%`, CR and LF escaped (@actions/core's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and `:` and `,` too (@actions/core's escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function writeAnnotations(findings: readonly ReportFinding[], displayPath: (file: string) => string, out: { write(text: string): void }): void {
  const shown = { error: 0, warning: 0 };
  let hidden = 0;
  for (const finding of findings) {
    const level = finding.severity === 'error' ? 'error' : 'warning';
    if (shown[level] >= ANNOTATIONS_PER_LEVEL) {
      hidden++;
      continue;
    }
    shown[level]++;
    const title = `Anthropic Key Hygiene: ${finding.ruleId}`;
    const properties = (finding as Partial<HistoryFinding>).commit
      ? `title=${escapeProperty(title)}`
      : `file=${escapeProperty(displayPath(finding.file))},line=${finding.line},endLine=${finding.endLine},col=${finding.column},endColumn=${finding.endColumn},title=${escapeProperty(title)}`;
    const message = (finding as Partial<HistoryFinding>).commit ? `${historyPlace(finding)}: ${finding.message}` : finding.message;
    out.write(`::${level} ${properties}::${escapeData(message)}\n`);
  }
  if (hidden > 0) out.write(`::notice title=anthropic-key-hygiene::${escapeData(`${plural(hidden, 'more finding')} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} of each level per step): see the job summary or the SARIF file.`)}\n`);
}

function historyPlace(finding: ReportFinding): string {
  const commit = finding.commit!;
  return finding.location === 'commit-message' ? `commit ${commit.shortId} (message)` : `commit ${commit.shortId}`;
}

/** Text for a Markdown table cell: every character that Markdown or HTML could read as syntax becomes an entity. */
export function markdownCell(text: string): string {
  return escapeForTerminal(text).replace(/[^A-Za-z0-9 ,:;()?%@$./_\u00a0-\ud7ff\ue000-\uffff\u{10000}-\u{10ffff}-]/gu, (char) => `&#${char.codePointAt(0)};`);
}

interface SummaryFacts {
  errors: number;
  warnings: number;
  incomplete: boolean;
  failOn: string;
  sarifFile?: string;
  historyCommits?: number;
}

/** The job summary: a verdict, then a table of findings (hints only, as every output), then what was not read. */
export function jobSummary(report: ReportInput, facts: SummaryFacts): string {
  const findings = report.findings as readonly ReportFinding[];
  const parts = ['## Anthropic Key Hygiene', ''];
  const scanned = `${plural(report.filesScanned, 'file')} scanned${facts.historyCommits !== undefined ? `, ${plural(facts.historyCommits, 'commit')} of history` : ''}`;
  const accepted = report.baselined ? `; ${plural(report.baselined, 'finding')} accepted in the baseline` : '';
  if (findings.length === 0) parts.push(`${facts.incomplete ? '⚠️ No findings in what was read, but the scan is incomplete' : '✅ No Anthropic key hygiene problems'} (${scanned}${accepted}).`);
  else parts.push(`❌ **${plural(findings.length, 'finding')}**: ${plural(facts.errors, 'error')}, ${plural(facts.warnings, 'warning')} (${scanned}${accepted}; fail-on: ${facts.failOn}).`);
  if (findings.length > 0) {
    parts.push('', '| Severity | Rule | Where | Key | What to do |', '| --- | --- | --- | --- | --- |');
    for (const finding of findings.slice(0, SUMMARY_ROWS)) {
      const where = finding.commit ? `${historyPlace(finding)}${finding.location === 'file' ? `: ${report.displayPath(finding.file)}` : ''}` : `${report.displayPath(finding.file)}:${finding.line}:${finding.column}`;
      const cells = [finding.severity, finding.ruleId, where, finding.credential?.hint ?? '', finding.message];
      parts.push(`| ${cells.map((cell) => markdownCell(cell)).join(' | ')} |`);
    }
    if (findings.length > SUMMARY_ROWS) parts.push('', `${plural(findings.length - SUMMARY_ROWS, 'more finding')} not shown here: see the log${facts.sarifFile ? ' or the SARIF file' : ''}.`);
  }
  const unread = [...(report.problems ?? []).map((problem) => ({ path: problem.path, why: problem.message })), ...report.skipped.filter((skip) => skip.failed).map((skip) => ({ path: skip.file, why: `not scanned: ${skip.reason}` }))];
  if (unread.length > 0) {
    parts.push('', `**Not scanned** (${plural(unread.length, 'path')}; the step fails until each can be read):`, '');
    for (const { path, why } of unread.slice(0, SUMMARY_ROWS)) parts.push(`- ${markdownCell(report.displayPath(path) || '.')}: ${markdownCell(why)}`);
  }
  if (facts.sarifFile) parts.push('', `SARIF for code scanning: ${markdownCell(facts.sarifFile)}.`);
  return parts.join('\n') + '\n';
}

/** What the runner starts (action/run.cjs): the real environment and log, and the exit code. */
export function runFromEnvironment(): void {
  runAction(process.env, process.stdout).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stdout.write(`::error title=anthropic-key-hygiene::${escapeData(escapeForTerminal(error instanceof Error ? error.message : String(error)))}\n`);
      process.exitCode = 2;
    },
  );
}
