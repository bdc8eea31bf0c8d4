// From findings at offsets to findings at lines and columns, and the limits of one file's scan, the one way for every
// scan of a file's contents: the Node scan of bytes (fileScan.ts) and the web build's scan of decoded text
// (contentScan.ts). Node-free.
import type { EnvFileRule } from './envFiles';
import type { FileFinding, TextFinding } from './findings';
import { formatMessage } from './messages';
import { findingSeverity } from './rules';
import type { TextFindingOptions } from './textFindings';
import type { LineColumn } from './textPositions';

/** Findings listed per file at most; beyond it they are only counted. */
export const MAX_FINDINGS_PER_FILE = 1000;

/** Why a file over the size limit was not scanned: `larger than the 1024 MB limit` (whole bytes below a megabyte). */
export function tooLargeReason(maxFileSize: number): string {
  const megabyte = 1024 * 1024;
  const limit = maxFileSize >= megabyte ? `${+(maxFileSize / megabyte).toFixed(2)} MB` : `${Math.floor(maxFileSize)} bytes`;
  return `larger than the ${limit} limit`;
}

/** What a file's scan needs to know (fileScan.ts' FileScanOptions). */
export interface ContentScanOptions {
  includeLowConfidence: boolean;
}

/** Length of the first line in UTF-16 units, for the range of a file-level finding. */
export function firstLineLength(text: string): number {
  const end = text.search(/\r?\n/);
  return end === -1 ? text.length : end;
}

/** Turns findings with offsets into located ones, computing every position in one pass. */
export function locateAll(file: string, found: TextFinding[], into: FileFinding[], positions: (offsets: number[]) => LineColumn[]): void {
  if (found.length === 0) return;
  const located = positions(found.flatMap((finding) => [finding.start, finding.end]));
  found.forEach((finding, i) => into.push(locate(file, finding, located[2 * i], located[2 * i + 1])));
}

/** Keys in .env files are reported too: the scan only reads .env files git would commit (or already tracks). */
export function findingOptions(file: string, options: ContentScanOptions, overflow: { count: number }, envRule: EnvFileRule | undefined): TextFindingOptions {
  return { includeLowConfidence: options.includeLowConfidence, fileName: file, reportKeysInEnvFiles: true, envFileRule: envRule, maxMatches: MAX_FINDINGS_PER_FILE, overflow };
}

function locate(
  file: string,
  finding: TextFinding,
  start: { line: number; column: number },
  end: { line: number; column: number },
): FileFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: finding.message,
    messageId: finding.messageId,
    messageArgs: finding.messageArgs,
    ...(finding.credential ? { credential: finding.credential } : {}),
  };
}

/** The file-level finding of an env-file rule, on the file's first line. */
export function envFinding(file: string, ruleId: EnvFileRule, firstLineLength: number): FileFinding {
  const message = { id: ruleId, args: {} };
  return {
    ruleId,
    severity: findingSeverity(ruleId),
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: firstLineLength + 1,
    message: formatMessage(message),
    messageId: message.id,
    messageArgs: message.args,
  };
}
