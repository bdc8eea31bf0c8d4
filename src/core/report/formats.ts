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
import { relative, sep } from 'node:path';
import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
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
    ...(finding.credential ? { credential: finding.credential } : {}),
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
  const toResult = (finding: ReportFinding): Result => ({
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((rule) => rule.id === finding.ruleId),
    level: finding.severity === 'info' ? 'note' : finding.severity,
    message: { text: finding.message },
    locations: [sarifLocation(finding, sourceRoot)],
    ...(finding.commit ? { properties: historyFields(finding) } : {}),
  });
  // Everything that was asked for and not read, as the tool's own error notifications.
  const notifications: Notification[] = [
    ...(input.problems ?? []).map((problem) => notification(problem.message, problem.path, sourceRoot)),
    ...input.skipped.filter((skip) => skip.failed).map((skip) => notification(`not scanned: ${skip.reason}`, skip.file, sourceRoot)),
  ];
  const rootUri = `file://${uriPath(toPosixPath(sourceRoot).replace(/\/?$/, '/'))}`;
  // The log without its results, which are streamed into the placeholder one at a time.
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'anthropic-key-hygiene', version: input.toolVersion, informationUri: PROJECT_URL, rules } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        // SARIF columns are UTF-16 code units by default, as ours are.
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  const placeholder = '"results": []';
  const [before, after] = JSON.stringify(log, null, 2).split(placeholder);
  sink(before);
  if (input.findings.length === 0) sink(placeholder);
  else {
    sink('"results": [\n');
    input.findings.forEach((finding, i) => sink(`        ${indented(toResult(finding), '        ')}${i < input.findings.length - 1 ? ',' : ''}\n`));
    sink('      ]');
  }
  sink(after + '\n');
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

function notification(text: string, path: string, sourceRoot: string): Notification {
  return { level: 'error', message: { text }, locations: [{ physicalLocation: { artifactLocation: artifactLocation(path, sourceRoot) } }] };
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
  const path = (file: string) => quotePath(input.displayPath(file));
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
  const unread = (input.problems?.length ?? 0) + input.skipped.filter((skip) => skip.failed).length;
  // "No problems" after an error would be a lie: say the scan is incomplete.
  if (unread > 0) line += ` The scan is incomplete: ${plural(unread, 'path')} could not be scanned (listed above).`;
  return line;
}

/** Skip reasons that are the scan working as designed rather than a file it failed to read. */
const EXPECTED_SKIP_REASONS = new Set(['submodule', 'deleted', 'a folder (a submodule or a nested repository)']);

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
