// `scan --baseline FILE`, `scan --update-baseline FILE` and `--verify`: the CLI's side of baselines (the format and
// the matching are src/core/baseline*.ts). Kept apart from main.ts so that each scan there gains a baseline with one
// call, whatever else changes in it.
//
// Exit codes stay those of scan: 0 clean (every finding accepted), 1 findings (a live accepted key among them), 2 the
// baseline could not be read or written, or a key --verify was asked to check could not be checked.
import { type LoadedBaseline, loadBaseline, splitByBaseline, updateBaseline, type BaselineUpdate } from '../core/baselineFile';
import { checkAcceptedKeys, type AcceptedKeyCheck } from '../core/baselineVerify';
import type { FileFinding } from '../core/findings';
import { createGitRunner } from '../core/git';
import { formatMessage } from '../core/messages';
import { escapeForTerminal, plural, quotePath, reportIsIncomplete, type ReportInput } from '../core/report/formats';

export interface BaselineCliOptions {
  /** --baseline FILE: findings it accepts are counted, not reported. */
  baseline?: string;
  /** --update-baseline FILE: rewrite FILE to accept exactly the findings of this scan. */
  update?: string;
  /** --verify: check the accepted keys against the API (the only network request the CLI makes). */
  verify: boolean;
  /** --api-base-url: where --verify sends keys (https, or http to localhost only; verify.ts enforces it). */
  apiBaseUrl?: string;
}

/** A scan's result before formatting, as main.ts hands it to report(). */
export type ScanOutcome = Omit<ReportInput, 'displayPath' | 'toolVersion'>;

/**
 * `--baseline`: the result with accepted findings taken out (counted in `baselined`) and, with --verify, a live
 * accepted key put back as an error of its own, and a key that could not be checked listed as a problem (exit 2).
 */
export async function applyBaseline(result: ScanOutcome, options: BaselineCliOptions, err: NodeJS.WritableStream): Promise<ScanOutcome> {
  const loaded = await loadBaseline(options.baseline!, true);
  const split = splitByBaseline(result.findings, loaded);
  const replacements = new Map<FileFinding, FileFinding>();
  const problems = [...(result.problems ?? [])];
  if (options.verify) {
    for (const check of await checkAcceptedKeys(split.accepted, { baseUrl: options.apiBaseUrl })) {
      if (check.state === 'live') replacements.set(check.finding, liveFinding(check));
      else if (check.state === 'unknown') problems.push({ path: check.finding.file, message: `--verify: ${check.message}` });
      else if (check.state === 'not-checkable') err.write(`anthropic-key-hygiene: --verify: ${escapeForTerminal(check.message)}\n`);
    }
  }
  const accepted = new Set(split.accepted);
  // Original order, a live accepted key in its place.
  const findings = result.findings.flatMap((finding) => (!accepted.has(finding) ? [finding] : replacements.has(finding) ? [replacements.get(finding)!] : []));
  return { ...result, findings, problems, baselined: split.accepted.length - replacements.size };
}

/** A baselined key the API says is live, as an error finding saying so. */
function liveFinding(check: AcceptedKeyCheck): FileFinding {
  const { finding } = check;
  const message = { id: 'hardcoded-key.baselined-live' as const, args: { kind: finding.credential!.kind, hint: finding.credential!.hint, detail: check.message } };
  return { ...finding, severity: 'error', message: formatMessage(message), messageId: message.id, messageArgs: message.args };
}

/**
 * `--update-baseline`: writes the baseline for this scan and prints what changed. A partial scan never rewrites it
 * (files it could not read would drop out); with --verify a live key is left out of it and reported, and a key that
 * could not be checked leaves the file as it was.
 */
export async function runBaselineUpdate(
  result: ScanOutcome,
  options: BaselineCliOptions,
  displayPath: (file: string) => string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const file = options.update!;
  const omitted = (result.truncated ?? []).reduce((total, entry) => total + entry.omitted, 0);
  if (reportIsIncomplete(result) || omitted > 0) {
    for (const problem of result.problems ?? []) err.write(`anthropic-key-hygiene: ${quotePath(displayPath(problem.path))}: ${escapeForTerminal(problem.message)}\n`);
    for (const skip of result.skipped) if (skip.failed) err.write(`anthropic-key-hygiene: ${quotePath(displayPath(skip.file))}: not scanned: ${escapeForTerminal(skip.reason)}\n`);
    const why = omitted > 0 ? `${plural(omitted, 'finding')} went unlisted (over the per-file limit)` : 'the scan is incomplete (see above)';
    err.write(`anthropic-key-hygiene: ${quotePath(file)} was not updated: ${why}, and a baseline must see every finding.\n`);
    return 2;
  }
  const loaded: LoadedBaseline = await loadBaseline(file, false);
  let accepted = result.findings;
  const live: FileFinding[] = [];
  if (options.verify) {
    const checks = await checkAcceptedKeys(result.findings, { baseUrl: options.apiBaseUrl });
    const unknown = checks.filter((check) => check.state === 'unknown');
    if (unknown.length > 0) {
      for (const check of unknown) err.write(`anthropic-key-hygiene: ${quotePath(displayPath(check.finding.file))}: --verify: ${escapeForTerminal(check.message)}\n`);
      err.write(`anthropic-key-hygiene: ${quotePath(file)} was not updated: ${plural(unknown.length, 'key')} could not be checked.\n`);
      return 2;
    }
    for (const check of checks) if (check.state === 'not-checkable') err.write(`anthropic-key-hygiene: --verify: ${escapeForTerminal(check.message)}\n`);
    const liveChecks = checks.filter((check) => check.state === 'live');
    live.push(...liveChecks.map(liveFinding));
    const liveOnes = new Set(liveChecks.map((check) => check.finding));
    accepted = result.findings.filter((finding) => !liveOnes.has(finding));
  }
  const update = await updateBaseline(loaded, accepted, createGitRunner());
  out.write(updateSummary(file, update) + '\n');
  for (const finding of update.outside) out.write(`${quotePath(displayPath(finding.file))}  not baselined: outside the baseline's folder  [${finding.ruleId}]\n`);
  for (const finding of live) {
    out.write(`${quotePath(displayPath(finding.file))}:${finding.line}:${finding.column}  error  ${escapeForTerminal(finding.message)}  [${finding.ruleId}]\n`);
  }
  return live.length > 0 || update.outside.some((finding) => finding.severity === 'error') ? 1 : 0;
}

function updateSummary(file: string, update: BaselineUpdate): string {
  const counts = `${plural(update.entries, 'entry', 'entries')} (${update.added.toLocaleString('en-US')} added, ${update.removed.toLocaleString('en-US')} removed)`;
  let line = `Baseline ${quotePath(file)}: ${counts}.`;
  const merge = update.merge;
  if (merge.kind === 'added') line += ` Added "${merge.line}" to ${quotePath(merge.attributesFile)} so that git merges baselines line by line; commit it with the baseline.`;
  else if (merge.kind === 'not-set') line += ` Add "${merge.line}" to .gitattributes so that git merges baselines without conflicts (not done: ${escapeForTerminal(merge.reason)}).`;
  return line;
}
