// `--format gitlab`: GitLab's secret-detection report (schema 15.0.7 of gitlab-org/security-products/
// security-report-schemas, dist/secret-detection-report-format.json), so that the same CLI fills GitLab's security
// widgets as an `artifacts: reports: secret_detection` file. The unit tests validate it against a copy of the schema.
//
// Decisions:
// - GitLab's own analyzer puts the secret itself in `raw_source_code_extract`; this report never does (the hint is in
//   the message). `id` is the finding's fingerprint (rule, path, hint: formats.ts), stable across line moves.
// - Severity from the rule's security severity, banded as GitHub and CVSS band it (≥ 9 Critical, ≥ 7 High, ≥ 4
//   Medium, else Low); a hardcoded-key finding the engine calls a warning (a token of a kind nobody knows, which may be
//   no credential at all) is one band lower.
// - `location.commit` is required: the commit checked out when git knows it (`0000000` otherwise, as GitLab's
//   analyzer writes for a working tree it cannot name), and for a history finding the commit that introduced the key.
// - What could not be scanned is listed in `scan.messages` and makes the status `failure`; written in pieces like
//   the other formats.
import { relative, sep } from 'node:path';
import { RULES, ruleById, ruleDocsUrl } from '../rules';
import { findingFingerprint, plural, reportIsIncomplete, type ReportFinding, type ReportInput, type ReportSink } from './formats';

export const GITLAB_SCHEMA_VERSION = '15.0.7';
const SCHEMA_URL = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SCHEMA_VERSION}/dist/secret-detection-report-format.json`;
const TOOL = { id: 'anthropic-key-hygiene', name: 'Anthropic Key Hygiene', url: 'https://github.com/key-hygiene/anthropic-key-hygiene', vendor: { name: 'Anthropic Key Hygiene' } };
const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'] as const;

/** `2026-12-07T10:00:00`: the schema's UTC format, without fractions or zone. */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function severityOf(finding: ReportFinding): (typeof SEVERITIES)[number] {
  const score = Number(ruleById(finding.ruleId).securitySeverity);
  let band = score >= 9 ? 3 : score >= 7 ? 2 : score >= 4 ? 1 : 0;
  if (finding.ruleId === 'hardcoded-key' && finding.severity !== 'error') band = Math.max(0, band - 1);
  return SEVERITIES[band];
}

/** The report; `now` is when the scan is said to have ended (the tests pass a fixed one). */
export function writeGitLab(input: ReportInput, sink: ReportSink, now: Date = new Date()): void {
  const root = input.sourceRoot ?? process.cwd();
  const headSha = input.sarif?.revision ?? input.sarif?.provenance?.revisionId ?? '0000000';
  const messages = [
    ...(input.problems ?? []).map((problem) => ({ level: 'warn', value: `${input.displayPath(problem.path)}: ${problem.message}` })),
    ...input.skipped.filter((skip) => skip.failed).map((skip) => ({ level: 'warn', value: `${input.displayPath(skip.file)}: not scanned: ${skip.reason}` })),
    ...(input.baselined ? [{ level: 'info', value: `${plural(input.baselined, 'finding')} accepted in the baseline, not listed` }] : []),
  ];
  const scan = {
    analyzer: { ...TOOL, version: input.toolVersion },
    scanner: { ...TOOL, version: input.toolVersion },
    type: 'secret_detection',
    start_time: gitlabTime(now),
    end_time: gitlabTime(now),
    status: reportIsIncomplete(input) ? 'failure' : 'success',
    messages,
    primary_identifiers: RULES.map((rule) => identifierOf(rule.id)),
  };
  const counts = new Map<string, number>();
  const vulnerability = (finding: ReportFinding) => {
    const rule = ruleById(finding.ruleId);
    const path = finding.location === 'commit-message' ? `commit ${finding.commit?.id}` : relative(root, finding.file).split(sep).join('/');
    const fingerprint = findingFingerprint(finding, path);
    const n = (counts.get(fingerprint) ?? 0) + 1;
    counts.set(fingerprint, n);
    const commit = finding.commit
      ? { sha: finding.commit.id, author: finding.commit.author, date: finding.commit.date, message: finding.commit.subject }
      : { sha: headSha };
    return {
      id: `${fingerprint}-${n}`,
      category: 'secret_detection',
      name: rule.shortDescription,
      message: finding.message,
      description: finding.message,
      severity: severityOf(finding),
      solution: rule.help.text,
      identifiers: [identifierOf(finding.ruleId)],
      links: [{ name: rule.name, url: ruleDocsUrl(finding.ruleId) }],
      location: {
        // Relative to the repository's top, as GitLab links files; a key in a commit message has no file.
        ...(finding.location === 'commit-message' ? {} : { file: path }),
        commit,
        start_line: finding.line,
        end_line: finding.endLine,
      },
    };
  };
  const head = JSON.stringify({ version: GITLAB_SCHEMA_VERSION, schema: SCHEMA_URL, scan }, null, 2);
  sink(head.slice(0, -2) + ',\n  "vulnerabilities": [');
  input.findings.forEach((finding, i) => sink(`${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(vulnerability(finding), null, 2).split('\n').join('\n    ')}`));
  sink(`${input.findings.length > 0 ? '\n  ' : ''}],\n  "remediations": []\n}\n`);
}

function identifierOf(ruleId: ReportFinding['ruleId']): { type: string; name: string; value: string; url: string } {
  return { type: 'anthropic_key_hygiene_rule_id', name: `Anthropic Key Hygiene rule ${ruleId}`, value: ruleId, url: ruleDocsUrl(ruleId) };
}
