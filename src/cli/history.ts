// `scan --history [REVISION...]` and `scan --unpushed [REVISION...]`: keys in git history, in the three formats of
// `scan` and with its exit codes (0 clean or below --fail-on, 1 findings, 2 anything asked for that could not be
// scanned: a blob git cannot read, one over the size limit, a shallow clone's missing history, a bad revision).
// Progress goes to stderr when it is a terminal and the format is text.
import { relative, sep } from 'node:path';
import { displayText, scanHistory, type HistoryFinding, type HistoryMode, type HistoryScanResult } from '../core/history/historyScan';
import { RevisionError } from '../core/history/revisions';
import { formatJson, formatSarif, formatText } from '../core/report/formats';

export interface HistoryCliOptions {
  mode: HistoryMode;
  format: 'text' | 'json' | 'sarif';
  includeLowConfidence: boolean;
  maxFileSize: number;
  isExcluded?: (path: string) => boolean;
  /** Does a finding fail the scan (exit 1)? Decided by --fail-on. */
  fails: (findings: readonly { severity: string }[]) => boolean;
  quiet: boolean;
  toolVersion: string;
  /** The pre-push hook's wording: how to take a key out of commits not yet pushed. */
  prePush: boolean;
}

/** Runs the scan and prints it; returns the exit code. Errors that stop the scan are thrown to the caller (exit 2). */
export async function runHistoryScan(options: HistoryCliOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const showProgress = options.format === 'text' && err.isTTY === true;
  let result: HistoryScanResult;
  try {
    result = await scanHistory({
      cwd: process.cwd(),
      mode: withPreCommitFrameworkRefs(options.mode, process.env),
      // Whether a key is still in the files matters to a history audit; a push needs only its own commits checked,
      // and a large working tree would slow every push.
      checkWorkingTree: options.mode.kind === 'history',
      includeLowConfidence: options.includeLowConfidence,
      maxFileSize: options.maxFileSize,
      isExcluded: options.isExcluded,
      onProgress: showProgress
        ? (progress) => {
            const total = progress.commitsTotal !== undefined ? `/${progress.commitsTotal.toLocaleString('en-US')}` : '';
            err.write(`\rscanning history: ${progress.commitsDone.toLocaleString('en-US')}${total} commits, ${(progress.bytesRead / 1e6).toFixed(0)} MB read\x1b[K`);
          }
        : undefined,
    });
  } finally {
    if (showProgress) err.write('\r\x1b[K');
  }
  // Paths relative to the repository's top, as git names them in a commit; escaped, as they are repository text.
  const display = (file: string) => (file === '' ? '' : displayText(relative(result.root, file).split(sep).join('/')));
  for (const note of result.notes) err.write(`anthropic-key-hygiene: ${note}\n`);
  // Every problem on its own line, after the findings; each one makes the exit code 2.
  const problems = result.problems.map((problem) => `anthropic-key-hygiene: ${problem.subject ? `${problem.subject}: ` : ''}${problem.message}`);
  const quietAndClean = options.quiet && result.findings.length === 0 && result.problems.length === 0;
  if (!quietAndClean) {
    const report = {
      findings: result.findings,
      filesScanned: result.blobsScanned,
      bytesScanned: result.bytesScanned,
      skipped: result.skipped,
      displayPath: display,
      toolVersion: options.toolVersion,
      history: { scope: result.scope, commits: result.commitsScanned },
    };
    out.write(options.format === 'json' ? formatJson(report) : options.format === 'sarif' ? formatSarif(report) : formatText(report));
  }
  for (const line of problems) err.write(line + '\n');
  const blocking = options.fails(result.findings);
  if (options.prePush && blocking) err.write(prePushAdvice(result.findings));
  if (result.problems.length > 0) return 2;
  return blocking ? 1 : 0;
}

/**
 * `scan --unpushed` run by the pre-commit framework's pre-push stage: it names the commits being pushed in
 * PRE_COMMIT_TO_REF (the local id) and PRE_COMMIT_FROM_REF (what the remote has), and passes no arguments.
 */
export function withPreCommitFrameworkRefs(mode: HistoryMode, env: NodeJS.ProcessEnv): HistoryMode {
  const to = env.PRE_COMMIT_TO_REF;
  if (mode.kind !== 'unpushed' || mode.revisions.length > 0 || !to) return mode;
  const from = env.PRE_COMMIT_FROM_REF;
  // The framework names the remote too; only its branches are left out.
  const remote = mode.remote ?? env.PRE_COMMIT_REMOTE_NAME;
  return { kind: 'unpushed', revisions: from && !/^0+$/.test(from) ? [to, `^${from}`] : [to], ...(remote ? { remote } : {}) };
}

/** What to do when the pre-push check finds keys: the commits that introduced them, and plain steps. Never runs them. */
export function prePushAdvice(findings: readonly HistoryFinding[]): string {
  const unpushed = findings.filter((finding) => !finding.pushed);
  const commits = [...new Map(unpushed.map((finding) => [finding.commit.id, finding])).values()];
  const lines = ['', 'anthropic-key-hygiene: push blocked. These commits add a key:'];
  for (const finding of commits) lines.push(`  ${finding.commit.shortId} ${finding.commit.subject} (${finding.commit.author}, ${finding.commit.date.slice(0, 10)})`);
  lines.push(
    'Take each key out of the commits before you push (nothing was changed for you):',
    '  - in the last commit: remove the key from the file, git add it, then git commit --amend;',
    '  - in an earlier commit: remove the key, git add it, git commit --fixup=<commit above>, then git rebase -i --autosquash <commit above>~1;',
    '  - in a commit message: git rebase -i <commit above>~1 and mark that commit "reword".',
    'Then push again. If the key was ever shared or pushed anywhere, rotate it as well. In an emergency, git push --no-verify skips this check.',
  );
  if (findings.length > unpushed.length) lines.push('Keys in commits that are already pushed cannot be taken back: rotate them.');
  return lines.join('\n') + '\n';
}

export { RevisionError };
