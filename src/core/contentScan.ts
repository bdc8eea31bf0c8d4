// One file's contents scanned as decoded text, without Node: the web build's workspace scan (its files come from
// vscode.workspace.fs as bytes). The Node scan (fileScan.ts' scanContents) searches the bytes themselves, which is
// faster but needs Buffer; for text this gives the same findings at the same lines and columns, which
// test/unit/core/contentScan.test.ts checks file by file against scanContents.
//
// Decisions:
// - Text is decoded as the editor would show it: UTF-16 when the file starts with its byte order mark or looks like
//   UTF-16 (utf16.ts' detectUtf16, VS Code's own guess), UTF-8 otherwise; a UTF-8 byte order mark is kept in the
//   text, where positions skip it as the editor does.
// - Binary data (NUL bytes, not UTF-16) is decoded as UTF-8 too, so a key in ASCII among it is found as the Node scan
//   finds it; a key embedded in binary data as UTF-16 is not (the Node scan's windowed search needs Buffer).
import type { EnvFileRule } from './envFiles';
import type { FileFinding } from './findings';
import { MAX_FINDINGS_PER_FILE, envFinding, findingOptions, firstLineLength, locateAll, type ContentScanOptions } from './locatedFindings';
import { findTextFindings } from './textFindings';
import { positionsForOffsets } from './textPositions';
import { detectUtf16, type Utf16Order } from './utf16';

export interface ContentScanResult {
  findings: FileFinding[];
  bytes: number;
  /** Findings beyond MAX_FINDINGS_PER_FILE, counted but not listed. */
  omitted?: number;
}

const TEXT_DECODER_LABEL: Record<Utf16Order, string> = { utf16le: 'utf-16le', utf16be: 'utf-16be' };

/** The text the editor shows for these bytes. */
export function decodeForScan(bytes: Uint8Array): string {
  const utf16 = detectUtf16(bytes);
  if (!utf16) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  // A trailing odd byte is no character (utf16.ts' decodeUtf16 drops it too).
  const end = utf16.textStart + ((bytes.length - utf16.textStart) & ~1);
  return new TextDecoder(TEXT_DECODER_LABEL[utf16.order], { ignoreBOM: true }).decode(bytes.subarray(utf16.textStart, end));
}

/** Findings for one file's contents. `envRule` adds the file-level finding on its first line. */
export function scanDecodedContents(file: string, bytes: Uint8Array, options: ContentScanOptions, envRule?: EnvFileRule): ContentScanResult {
  const overflow = { count: 0 };
  const text = decodeForScan(bytes);
  const findings: FileFinding[] = [];
  locateAll(file, findTextFindings(text, findingOptions(file, options, overflow, envRule)), findings, (offsets) => positionsForOffsets(text, offsets));
  if (findings.length > 1) findings.sort((a, b) => a.line - b.line || a.column - b.column);
  if (envRule) findings.unshift(envFinding(file, envRule, firstLineLength(text.slice(0, 4096).replace(/^\uFEFF/, ''))));
  const omitted = overflow.count + Math.max(0, findings.length - MAX_FINDINGS_PER_FILE);
  if (findings.length > MAX_FINDINGS_PER_FILE) findings.length = MAX_FINDINGS_PER_FILE;
  return omitted > 0 ? { findings, bytes: bytes.length, omitted } : { findings, bytes: bytes.length };
}
