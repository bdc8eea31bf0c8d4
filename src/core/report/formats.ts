// Output formats of the CLI. Every format carries findings as the engine produced them, whose messages
// hold hints only; no format ever sees a full key.
//
// Decisions:
// - Written piece by piece to a sink rather than built as one string: a report of millions of lines would exceed the
//   longest string V8 can hold ("Invalid string length"), and nothing needs it whole.
// - Text is for a terminal: a path or message holding control characters (a name with a carriage return or an escape
//   sequence could fake a "no problems" line), bidirectional overrides, or bytes that are not UTF-8 is escaped, and a
//   path needing it is quoted the way git quotes names (core.quotePath). JSON escapes control characters itself.
// - SARIF locations are relative to the source root (the repository's top) with uriBaseId %SRCROOT%, defined in
//   originalUriBaseIds; anything outside it gets an absolute file URI. URIs are percent-encoded byte by byte
//   (RFC 3986), so `a#b?.js` and names that are not UTF-8 survive.
// - Everything that could not be scanned is part of every format: problems and failed skips in the JSON and as
//   SARIF tool notifications (with executionSuccessful false), and counted in the text summary.
// - A SARIF result carries a partial fingerprint made of its rule, its path and what it found (a key's hint, a
//   variable's name), never its line: a finding that moves keeps its identity. GitHub code scanning itself reads only
//   `primaryLocationLineHash`, which its upload action computes from the line's own text (that also survives a move);
//   ours is left under its own name rather than overriding GitHub's, whose upload action would warn once per result.
// - GitHub rejects a run of more than 25,000 results and shows the first 5,000: beyond 25,000 the most severe are
//   written and the rest counted, and both limits are said as tool notifications (and by the CLI on stderr).
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import type { Location, Log, Notification, ReportingDescriptor, Result, VersionControlDetails } from 'sarif';
import { SUBMODULE_NOT_CHECKED_OUT_REASON } from '../fileScan';
import { RULE_IDS, type FileFinding } from '../findings';
import type { HistoryFinding } from '../history/historyScan';
import { encodePath } from '../rawPaths';
import { PROJECT_URL, RULES, ruleDocsUrl } from '../rules';

/** A finding, and when it comes from git history (`scan --history`, `--unpushed`), the commit that introduced it. */
export type ReportFinding = FileFinding & Partial<Pick<HistoryFinding, 'location' | 'ref' | 'commit' | 'pushed' | 'pushedTo' | 'inWorkingTree'>>;

export interface ReportInput {
  findings: readonly ReportFinding[];
  filesScanned: number;
  bytesScanned: number;
  skipped: ReadonlyArray<{ file: string; reason: string; failed?: boolean }>;
  /** What kept part of the scan from running (see ScanResult.problems). */
  problems?: ReadonlyArray<{ path: string; message: string }>;
  /** Files with more findings than listed. */
  truncated?: ReadonlyArray<{ file: string; omitted: number }>;
  /** Turns an absolute path into the one to print (relative to the working directory, `/` separators). */
  displayPath: (file: string) => string;
  toolVersion: string;
  /** SARIF: the folder locations are relative to (the repository's top); default: the working directory. */
  sourceRoot?: string;
  /** Set for a history scan: what was read. filesScanned then counts the distinct file versions (blobs) read. */
  history?: { scope: string; commits: number };
  /** SARIF and GitLab: the analysis category (GitHub's `automationDetails.id` is `category/`), where git says the code
   * comes from (sarifProvenance in provenance.ts), and the commit checked out (GitLab's `location.commit`). */
  sarif?: { category?: string; provenance?: VersionControlDetails; revision?: string };
  /** How many findings a baseline accepted (not listed in `findings`); said in every format's summary. */
  baselined?: number;
}

/** GitHub code scanning's limits per SARIF run ("SARIF support for code scanning", File compatibility): a run with
 * more results is rejected whole; of those accepted, this many are shown. */
export const SARIF_RESULT_LIMIT = 25_000;
export const SARIF_DISPLAY_LIMIT = 5_000;

/** The name of this tool's partial fingerprint (SARIF §3.27.17: `name/version`). */
export const FINGERPRINT_NAME = 'anthropicKeyHygiene/v1';

/**
 * What identifies a finding whatever line it is on: its rule, its path relative to the source root, and what it
 * found (a key's kind and hint; a variable's name or the message's id for the other rules). Never the key: the hint
 * is what every output already shows. 32 hex digits of SHA-256.
 */
export function findingFingerprint(finding: Pick<FileFinding, 'ruleId' | 'messageId' | 'messageArgs' | 'credential'>, relativePath: string): string {
  const what = finding.credential ? `${finding.credential.kind} ${finding.credential.hint}` : (finding.messageArgs.name ?? finding.messageId);
  return createHash('sha256').update(`${finding.ruleId}\0${relativePath}\0${what}`).digest('hex').slice(0, 32);
}

/** Numbers each finding's fingerprint by occurrence (`…:1`, `…:2` for the same key twice in a file), as GitHub does
 * for its own line hashes, so that no two results of a run share one. */
function fingerprintCounter(): (fingerprint: string) => string {
  const seen = new Map<string, number>();
  return (fingerprint) => {
    const n = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, n);
    return `${fingerprint}:${n}`;
  };
}

/** Receives the report piece by piece. */
export type ReportSink = (chunk: string) => void;

/** `1 file`, `20,000 files`: a count with its noun, singular or plural. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** `a1b2c3d:src/app.ts` (git's own name for a file in a commit), `a1b2c3d (commit message)`, `refs/tags/v1 (tag message)`;
 * the plain path otherwise. */
function findingPlace(input: ReportInput, finding: ReportFinding): string {
  const path = quotePath(input.displayPath(finding.file));
  if (!finding.commit) return path;
  if (finding.location === 'ref-name') return `${finding.ref} (ref name)`;
  if (finding.location === 'tag-message') return `${finding.ref} (tag message)`;
  return finding.location === 'commit-message' ? `${finding.commit.shortId} (commit message)` : `${finding.commit.shortId}:${path}`;
}

/** The history fields of a finding, for JSON and SARIF properties; nothing for a working-tree finding. */
function historyFields(finding: ReportFinding): Record<string, unknown> {
  if (!finding.commit) return {};
  return {
    location: finding.location,
    ...(finding.ref !== undefined ? { ref: finding.ref } : {}),
    commit: finding.commit,
    pushed: finding.pushed === true,
    ...(finding.pushedTo !== undefined ? { pushedTo: finding.pushedTo } : {}),
    ...(finding.inWorkingTree !== undefined ? { inWorkingTree: finding.inWorkingTree } : {}),
  };
}

/** Whether anything asked for went unread (the CLI exits 2). */
export function reportIsIncomplete(input: Pick<ReportInput, 'problems' | 'skipped'>): boolean {
  return (input.problems?.length ?? 0) > 0 || input.skipped.some((skip) => skip.failed);
}

function countBy(findings: readonly FileFinding[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(RULE_IDS.map((ruleId) => [ruleId, 0]));
  for (const finding of findings) counts[finding.ruleId]++;
  return counts;
}

/** A format's whole output as one string (for small reports and tests; the CLI streams with the write functions). */
function collect(write: (input: ReportInput, sink: ReportSink) => void, input: ReportInput): string {
  const chunks: string[] = [];
  write(input, (chunk) => chunks.push(chunk));
  return chunks.join('');
}

export function formatJson(input: ReportInput): string {
  return collect(writeJson, input);
}

export function formatSarif(input: ReportInput): string {
  return collect(writeSarif, input);
}

export function formatText(input: ReportInput): string {
  return collect(writeText, input);
}

/** `JSON.stringify(value, null, 2)` placed at `indent` spaces (its lines after the first shifted too). */
function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).split('\n').join('\n' + indent);
}

/** Writes a JSON array of `items` under `key`, one item at a time, as JSON.stringify(…, null, 2) lays it out. */
function writeArray<T>(sink: ReportSink, key: string, items: readonly T[], indent: string, toJson: (item: T) => unknown, last = false): void {
  if (items.length === 0) {
    sink(`${indent}${JSON.stringify(key)}: []${last ? '' : ','}\n`);
    return;
  }
  sink(`${indent}${JSON.stringify(key)}: [\n`);
  items.forEach((item, i) => sink(`${indent}  ${indented(toJson(item), indent + '  ')}${i < items.length - 1 ? ',' : ''}\n`));
  sink(`${indent}]${last ? '' : ','}\n`);
}

/** `{"version":1,"findings":[…],"problems":[…],"skipped":[…],"truncated":[…],"summary":{…}}`, pretty-printed. */
export function writeJson(input: ReportInput, sink: ReportSink): void {
  sink('{\n  "version": 1,\n');
  writeArray(sink, 'findings', input.findings, '  ', (finding) => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    path: input.displayPath(finding.file),
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    message: finding.message,
    // Kind and hint only: the digest a baseline matches on is never printed.
    ...(finding.credential ? { credential: { kind: finding.credential.kind, hint: finding.credential.hint } } : {}),
    ...historyFields(finding),
  }));
  writeArray(sink, 'problems', input.problems ?? [], '  ', (problem) => ({ path: input.displayPath(problem.path), message: problem.message }));
  writeArray(sink, 'skipped', input.skipped, '  ', (skip) => ({ path: input.displayPath(skip.file), reason: skip.reason, failed: skip.failed === true }));
  writeArray(sink, 'truncated', input.truncated ?? [], '  ', (entry) => ({ path: input.displayPath(entry.file), omitted: entry.omitted }));
  const summary = {
    findings: input.findings.length,
    byRule: countBy(input.findings),
    filesScanned: input.filesScanned,
    bytesScanned: input.bytesScanned,
    filesSkipped: input.skipped.length,
    findingsOmitted: (input.truncated ?? []).reduce((total, entry) => total + entry.omitted, 0),
    problems: input.problems?.length ?? 0,
    ...(input.baselined !== undefined ? { baselined: input.baselined } : {}),
    complete: !reportIsIncomplete(input),
    ...(input.history ? { commitsScanned: input.history.commits, scope: input.history.scope } : {}),
  };
  sink(`  "summary": ${indented(summary, '  ')}\n}\n`);
}

/** Characters of `0-9A-Za-z-._~` and `/`, which a URI path carries as they are (RFC 3986, 2.3 and 3.3). */
function isUriSafeByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e || byte === 0x2f
  );
}

/** A `/`-separated path as a URI path: every other byte (of its UTF-8, or its raw bytes) percent-encoded. */
export function uriPath(path: string): string {
  let encoded = '';
  for (const byte of encodePath(path)) encoded += isUriSafeByte(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}

function toPosixPath(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A file's SARIF location: relative to the source root when inside it, else an absolute file URI. */
function artifactLocation(file: string, sourceRoot: string): { uri: string; uriBaseId?: string } {
  const relativePath = toPosixPath(relative(sourceRoot, file));
  if (relativePath === '' || relativePath === '..' || relativePath.startsWith('../') || /^[A-Za-z]:/.test(relativePath)) {
    const absolute = toPosixPath(file);
    return { uri: `file://${uriPath(absolute.startsWith('/') ? absolute : `/${absolute}`)}` };
  }
  return { uri: uriPath(relativePath), uriBaseId: '%SRCROOT%' };
}

/** SARIF 2.1.0 as GitHub code scanning reads it (rules with help URIs, physical locations, 1-based regions). */
export function writeSarif(input: ReportInput, sink: ReportSink): void {
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
  const sourceRoot = input.sourceRoot ?? process.cwd();
  const numbered = fingerprintCounter();
  const toResult = (finding: ReportFinding): Result => {
    const location = sarifLocation(finding, sourceRoot);
    // A commit message has no path: its fingerprint is made of the commit instead.
    const place = finding.location === 'commit-message' ? `commit ${finding.commit?.id}` : toPosixPath(relative(sourceRoot, finding.file));
    return {
      ruleId: finding.ruleId,
      ruleIndex: RULES.findIndex((rule) => rule.id === finding.ruleId),
      level: finding.severity === 'info' ? 'note' : finding.severity,
      message: { text: finding.message },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_NAME]: numbered(findingFingerprint(finding, place)) },
      ...(finding.commit ? { properties: historyFields(finding) } : {}),
    };
  };
  const written = resultsWithinLimit(input.findings);
  // Everything that was asked for and not read, as the tool's own error notifications; then what was read but not
  // listed, as warnings: a clean-looking run must not hide either.
  const failures: Notification[] = [
    ...(input.problems ?? []).map((problem) => notification(problem.message, problem.path, sourceRoot)),
    ...input.skipped.filter((skip) => skip.failed).map((skip) => notification(`not scanned: ${skip.reason}`, skip.file, sourceRoot)),
  ];
  const notices: Notification[] = [...(input.truncated ?? []).map((entry) => notification(`${plural(entry.omitted, 'more finding')} in this file not listed`, entry.file, sourceRoot, 'warning'))];
  for (const sentence of sarifLimitSentences(input.findings.length)) notices.push({ level: 'warning', message: { text: sentence } });
  const rootUri = `file://${uriPath(toPosixPath(sourceRoot).replace(/\/?$/, '/'))}`;
  const category = input.sarif?.category;
  const provenance = input.sarif?.provenance;
  // The log without its results, which are streamed into the placeholder one at a time.
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'anthropic-key-hygiene', version: input.toolVersion, semanticVersion: input.toolVersion, informationUri: PROJECT_URL, rules } },
        invocations: [{ executionSuccessful: failures.length === 0, toolExecutionNotifications: [...failures, ...notices] }],
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        ...(provenance ? { versionControlProvenance: [{ ...provenance, mappedTo: { uriBaseId: '%SRCROOT%' } }] } : {}),
        // GitHub reads the category as everything up to the last `/`; the trailing `/` leaves the run id empty.
        ...(category ? { automationDetails: { id: `${category}/` } } : {}),
        // SARIF columns are UTF-16 code units by default, as ours are.
        columnKind: 'utf16CodeUnits',
        results: [],
        ...(written.length < input.findings.length || input.baselined ? { properties: sarifRunProperties(input, written.length) } : {}),
      },
    ],
  };
  const placeholder = '"results": []';
  const [before, after] = JSON.stringify(log, null, 2).split(placeholder);
  sink(before);
  if (written.length === 0) sink(placeholder);
  else {
    sink('"results": [\n');
    written.forEach((finding, i) => sink(`        ${indented(toResult(finding), '        ')}${i < written.length - 1 ? ',' : ''}\n`));
    sink('      ]');
  }
  sink(after + '\n');
}

/** What GitHub does with a run of this many results, in sentences: nothing to say below 5,000. */
export function sarifLimitSentences(results: number): string[] {
  if (results > SARIF_RESULT_LIMIT) {
    return [
      `${plural(results, 'result')}: GitHub code scanning rejects a run of more than ${SARIF_RESULT_LIMIT.toLocaleString('en-US')}, so only the ${SARIF_RESULT_LIMIT.toLocaleString('en-US')} most severe are written here (every one is in --format json), and GitHub shows the first ${SARIF_DISPLAY_LIMIT.toLocaleString('en-US')} of those.`,
    ];
  }
  if (results > SARIF_DISPLAY_LIMIT) return [`${plural(results, 'result')}: GitHub code scanning shows the first ${SARIF_DISPLAY_LIMIT.toLocaleString('en-US')} of a run (the rest are in this file and in --format json).`];
  return [];
}

/** The findings a SARIF run can hold: all of them up to GitHub's limit, else the most severe first (stable). */
function resultsWithinLimit(findings: readonly ReportFinding[]): readonly ReportFinding[] {
  if (findings.length <= SARIF_RESULT_LIMIT) return findings;
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank[a.finding.severity] - rank[b.finding.severity] || a.index - b.index)
    .slice(0, SARIF_RESULT_LIMIT)
    .sort((a, b) => a.index - b.index)
    .map(({ finding }) => finding);
}

function sarifRunProperties(input: ReportInput, written: number): Record<string, number> {
  return {
    ...(written < input.findings.length ? { resultsOmitted: input.findings.length - written } : {}),
    ...(input.baselined ? { baselined: input.baselined } : {}),
  };
}

/** Where a finding is: a region of a file, or for a key in a commit's message (no file), the commit by name. */
function sarifLocation(finding: ReportFinding, sourceRoot: string): Location {
  if (finding.location === 'commit-message') return { logicalLocations: [{ name: `commit ${finding.commit?.id} message`, kind: 'resource' }] };
  if (finding.location === 'ref-name') return { logicalLocations: [{ name: `${finding.ref} (ref name)`, kind: 'resource' }] };
  if (finding.location === 'tag-message') return { logicalLocations: [{ name: `${finding.ref} (tag message)`, kind: 'resource' }] };
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(finding.file, sourceRoot),
      region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
    },
  };
}

function notification(text: string, path: string, sourceRoot: string, level: 'error' | 'warning' = 'error'): Notification {
  return { level, message: { text }, locations: [{ physicalLocation: { artifactLocation: artifactLocation(path, sourceRoot) } }] };
}

/**
 * Characters a terminal must not receive raw: C0 and C1 controls, DEL, the Unicode line and paragraph separators,
 * bidirectional formatting (which can reorder what a line seems to say), and the lone surrogates that stand for bytes
 * that are not UTF-8 (rawPaths). A surrogate pair is an ordinary character and is left alone.
 */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_FOR_TERMINAL_GLOBAL = new RegExp(UNSAFE_FOR_TERMINAL.source, 'g');
const C_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };

function escapeCharacter(char: string): string {
  if (C_ESCAPES[char]) return C_ESCAPES[char];
  const code = char.charCodeAt(0);
  // A byte that is not UTF-8, by its own value; anything else by its code point.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16).padStart(2, '0')}`;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A message or other text for a terminal, with unsafe characters escaped (see UNSAFE_FOR_TERMINAL). */
export function escapeForTerminal(text: string): string {
  return UNSAFE_FOR_TERMINAL.test(text) ? text.replace(UNSAFE_FOR_TERMINAL_GLOBAL, escapeCharacter) : text;
}

/**
 * A path for a terminal: as it is when plain, else in double quotes with `"` and `\` escaped and unsafe characters
 * as C escapes, the way git prints such names. Leading or trailing spaces are quoted too, to be seen.
 */
export function quotePath(path: string): string {
  if (!UNSAFE_FOR_TERMINAL.test(path) && !/^\s|\s$/.test(path)) return path;
  return `"${path.replace(/["\\]/g, (char) => `\\${char}`).replace(UNSAFE_FOR_TERMINAL_GLOBAL, escapeCharacter)}"`;
}

/** Reads like a linter: `path:line:column  severity  message  [rule]`, the paths not read and why, then a summary. */
export function writeText(input: ReportInput, sink: ReportSink): void {
  // The folder the CLI runs in displays as '' (every path is relative to it): '.' names it (red team F26.2).
  const path = (file: string) => quotePath(input.displayPath(file) || '.');
  for (const finding of input.findings) {
    sink(`${findingPlace(input, finding)}:${finding.line}:${finding.column}  ${finding.severity}  ${escapeForTerminal(finding.message)}  [${finding.ruleId}]\n`);
  }
  for (const { file, omitted } of input.truncated ?? []) sink(`${path(file)}  ${plural(omitted, 'more finding')} not listed\n`);
  // A file that could not be read, or was named but is ignored, is named: it may hold a key. Submodules and files
  // deleted since git listed them are only counted.
  for (const { file, reason, failed } of input.skipped) {
    if (failed || !EXPECTED_SKIP_REASONS.has(reason)) sink(`${path(file)}  not scanned: ${escapeForTerminal(reason)}\n`);
  }
  for (const problem of input.problems ?? []) sink(`${path(problem.path)}  error: ${escapeForTerminal(problem.message)}\n`);
  sink(summaryLine(input) + '\n');
}

function summaryLine(input: ReportInput): string {
  let line: string;
  if (input.history) {
    line = historySummary(input, input.history) + skippedSummary(input.skipped) + '.';
  } else {
    const count = input.findings.length + (input.truncated ?? []).reduce((total, entry) => total + entry.omitted, 0);
    const files = new Set(input.findings.map((finding) => finding.file)).size;
    const scanned = plural(input.filesScanned, 'file');
    line =
      (count === 0
        ? `No Anthropic key hygiene problems in ${reportIsIncomplete(input) ? `the ${scanned} scanned` : scanned}`
        : `${plural(count, 'problem')} in ${plural(files, 'file')} (${scanned} scanned)`) +
      skippedSummary(input.skipped) +
      '.';
  }
  // Accepted findings are not listed, but never silently: the count says how many the baseline let through.
  if (input.baselined) line = `${line.slice(0, -1)}; ${plural(input.baselined, 'finding')} accepted in the baseline.`;
  const unread = (input.problems?.length ?? 0) + input.skipped.filter((skip) => skip.failed).length;
  // "No problems" after an error would be a lie: say the scan is incomplete.
  if (unread > 0) line += ` The scan is incomplete: ${plural(unread, 'path')} could not be scanned (listed above).`;
  return line;
}

/** Skip reasons that are the scan working as designed rather than a file it failed to read. */
const EXPECTED_SKIP_REASONS = new Set(['submodule', 'deleted', 'a folder (a submodule or a nested repository)', SUBMODULE_NOT_CHECKED_OUT_REASON]);

/** `; 3 skipped (2 git-ignored, 1 too large)`, or nothing when no file was skipped. */
function skippedSummary(skipped: ReportInput['skipped']): string {
  if (skipped.length === 0) return '';
  const byReason = new Map<string, number>();
  for (const { reason } of skipped) {
    const kind = reason.startsWith('larger than')
      ? 'too large'
      : reason.startsWith('git ignores')
        ? 'git-ignored'
        : reason.startsWith('unreadable')
          ? 'unreadable'
          : reason.startsWith('a folder')
            ? 'folder'
            : reason.startsWith('a symbolic link')
              ? 'symbolic link'
              : reason.startsWith('not a regular file')
                ? 'not a regular file'
                : reason;
    byReason.set(kind, (byReason.get(kind) ?? 0) + 1);
  }
  return `; ${skipped.length} skipped (${[...byReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${n} ${kind}`).join(', ')})`;
}

/** `No Anthropic key in 20,207 commits of all refs (42,649 file versions read)`, or how many keys were found. */
function historySummary(input: ReportInput, history: { scope: string; commits: number }): string {
  const read = `${plural(history.commits, 'commit')} of ${history.scope}; ${plural(input.filesScanned, 'file version')} read`;
  const count = input.findings.length;
  if (count === 0) return `No Anthropic key in the history (${read})`;
  const pushed = input.findings.filter((finding) => finding.pushed).length;
  return `${plural(count, 'key')} in the history, ${pushed.toLocaleString('en-US')} of them pushed (${read})`;
}
