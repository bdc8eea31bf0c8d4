// Output formats of the CLI. Every format carries findings as the engine produced them, whose messages
// hold hints only; no format ever sees a full key.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULE_IDS, type FileFinding } from '../findings';
import { PROJECT_URL, RULES, ruleDocsUrl } from '../rules';
import type { HistoryFinding } from '../history/historyScan';

/** A finding, and when it comes from git history (`scan --history`, `--unpushed`), the commit that introduced it. */
export type ReportFinding = FileFinding & Partial<Pick<HistoryFinding, 'location' | 'commit' | 'pushed' | 'pushedTo' | 'inWorkingTree'>>;

export interface ReportInput {
  findings: readonly ReportFinding[];
  filesScanned: number;
  bytesScanned: number;
  skipped: ReadonlyArray<{ file: string; reason: string }>;
  /** Turns an absolute path into the one to print (relative to the working directory, `/` separators). */
  displayPath: (file: string) => string;
  toolVersion: string;
  /** Set for a history scan: what was read. filesScanned then counts the distinct file versions (blobs) read. */
  history?: { scope: string; commits: number };
}

/** `a1b2c3d:src/app.ts` (git's own name for a file in a commit) or `a1b2c3d (commit message)`; the plain path otherwise. */
function findingPlace(input: ReportInput, finding: ReportFinding): string {
  if (!finding.commit) return input.displayPath(finding.file);
  return finding.location === 'commit-message' ? `${finding.commit.shortId} (commit message)` : `${finding.commit.shortId}:${input.displayPath(finding.file)}`;
}

/** The history fields of a finding, for JSON and SARIF properties; nothing for a working-tree finding. */
function historyFields(finding: ReportFinding): Record<string, unknown> {
  if (!finding.commit) return {};
  return {
    location: finding.location,
    commit: finding.commit,
    pushed: finding.pushed === true,
    ...(finding.pushedTo !== undefined ? { pushedTo: finding.pushedTo } : {}),
    ...(finding.inWorkingTree !== undefined ? { inWorkingTree: finding.inWorkingTree } : {}),
  };
}

function countBy(findings: readonly FileFinding[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(RULE_IDS.map((ruleId) => [ruleId, 0]));
  for (const finding of findings) counts[finding.ruleId]++;
  return counts;
}

export function formatJson(input: ReportInput): string {
  const document = {
    version: 1,
    findings: input.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      path: input.displayPath(finding.file),
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      message: finding.message,
      ...(finding.credential ? { credential: finding.credential } : {}),
      ...historyFields(finding),
    })),
    summary: {
      findings: input.findings.length,
      byRule: countBy(input.findings),
      filesScanned: input.filesScanned,
      bytesScanned: input.bytesScanned,
      filesSkipped: input.skipped.length,
      ...(input.history ? { commitsScanned: input.history.commits, scope: input.history.scope } : {}),
    },
  };
  return JSON.stringify(document, null, 2) + '\n';
}

/** SARIF 2.1.0 as GitHub code scanning reads it (rules with help URIs, physical locations, 1-based regions). */
export function formatSarif(input: ReportInput): string {
  // Every fact about a rule comes from the registry, so SARIF, the editor and the README cannot disagree.
  const rules: ReportingDescriptor[] = RULES.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: rule.help.text, markdown: rule.help.markdown },
    helpUri: ruleDocsUrl(rule.id),
    defaultConfiguration: { level: rule.defaultSeverity === 'info' ? 'note' : rule.defaultSeverity },
    properties: { tags: ['security', 'secret'], 'security-severity': rule.securitySeverity, precision: 'high' },
  }));
  const results: Result[] = input.findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((rule) => rule.id === finding.ruleId),
    level: finding.severity === 'info' ? 'note' : finding.severity,
    message: { text: finding.message },
    locations: [
      finding.location === 'commit-message'
        ? // A commit's message is no file: it is named as a logical location, and the commit is in the properties.
          { logicalLocations: [{ name: `commit ${finding.commit?.id} message`, kind: 'resource' }] }
        : {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(input.displayPath(finding.file)), uriBaseId: '%SRCROOT%' },
              region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
            },
          },
    ],
    ...(finding.commit ? { properties: historyFields(finding) } : {}),
  }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'anthropic-key-hygiene', version: input.toolVersion, informationUri: PROJECT_URL, rules } },
        // SARIF columns are UTF-16 code units by default, as ours are.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Reads like a linter: `path:line:column  severity  message  [rule]`, then a summary. */
export function formatText(input: ReportInput): string {
  const lines = input.findings.map(
    (finding) => `${findingPlace(input, finding)}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.message}  [${finding.ruleId}]`,
  );
  // A file that could not be read, was too large, or was named but is ignored may hold a key: name each one. Binary
  // files and symbolic links are skipped by design and only counted.
  for (const { file, reason } of input.skipped) {
    if (!EXPECTED_SKIP_REASONS.has(reason)) lines.push(`${input.displayPath(file)}  not scanned: ${reason}`);
  }
  const count = input.findings.length;
  if (input.history) {
    lines.push(historySummary(input, input.history) + skippedSummary(input.skipped) + '.');
    return lines.join('\n') + '\n';
  }
  lines.push(
    (count === 0
      ? `No Anthropic key hygiene problems in ${input.filesScanned} file(s)`
      : `${count} problem(s) in ${new Set(input.findings.map((finding) => finding.file)).size} file(s) (${input.filesScanned} file(s) scanned)`) +
      skippedSummary(input.skipped) +
      '.',
  );
  return lines.join('\n') + '\n';
}

/** Skip reasons that are the scan working as designed rather than a file it failed to read. */
const EXPECTED_SKIP_REASONS = new Set(['binary', 'symbolic link', 'submodule', 'deleted', 'not a regular file']);

/** `; 3 skipped (2 binary, 1 symbolic link)`, or nothing when no file was skipped. */
function skippedSummary(skipped: ReportInput['skipped']): string {
  if (skipped.length === 0) return '';
  const byReason = new Map<string, number>();
  for (const { reason } of skipped) {
    const kind = EXPECTED_SKIP_REASONS.has(reason) ? reason : reason.startsWith('larger than') ? 'too large' : reason.startsWith('git ignores') ? 'git-ignored' : 'unreadable';
    byReason.set(kind, (byReason.get(kind) ?? 0) + 1);
  }
  return `; ${skipped.length} skipped (${[...byReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${n} ${kind}`).join(', ')})`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** `No Anthropic key in 20,207 commits of all refs (42,649 file versions read)`, or how many keys were found. */
function historySummary(input: ReportInput, history: { scope: string; commits: number }): string {
  const read = `${plural(history.commits, 'commit', 'commits')} of ${history.scope}; ${plural(input.filesScanned, 'file version', 'file versions')} read`;
  const count = input.findings.length;
  if (count === 0) return `No Anthropic key in the history (${read})`;
  const pushed = input.findings.filter((finding) => finding.pushed).length;
  return `${plural(count, 'key', 'keys')} in the history, ${pushed.toLocaleString('en-US')} of them pushed (${read})`;
}
