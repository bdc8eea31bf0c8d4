// Turns the engine's findings into VS Code diagnostics, and does nothing else (the markdown extension's
// DiagnosticComputer): no events, no timers, no git. Severity, docs link and message all come from the rule
// registry; the message is the registry's English template, translated with vscode.l10n.
import * as vscode from 'vscode';
import { envFileRule } from '../core/envFiles';
import type { FileFinding, RuleId, Severity } from '../core/findings';
import { formatMessage, type Message } from '../core/messages';
import { findingSeverity, ruleDocsUrl } from '../core/rules';
import { findKeysInName } from '../core/nameFindings';
import { findTextFindings } from '../core/textFindings';
import { toDiagnosticSeverity, type FindingsConfiguration } from './settings';

export const DIAGNOSTIC_SOURCE = 'Anthropic Key Hygiene';

/** The rule id of a diagnostic (its `code`); the one helper every feature uses to recognise ours. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/** Whether a diagnostic is ours (and of `rule`, when given). */
export function isOurDiagnostic(diagnostic: vscode.Diagnostic, rule?: RuleId): boolean {
  return diagnostic.source === DIAGNOSTIC_SOURCE && (rule === undefined || ruleIdOf(diagnostic) === rule);
}

/** What git says of an open document's file; undefined for documents that are not files. In the web build, git
 * cannot be asked: `ignored` comes from the .gitignore files and `tracked` is false (tracking is unknown there, and
 * the tracked-env-file rule is never judged). */
export interface DocumentGitState {
  ignored: boolean;
  tracked: boolean;
  /** Git could not answer: neither ignored nor tracked is known, so no env-file rule is judged. */
  unknown?: boolean;
}

/** What else is known of a key, by hint, as translated sentences put before its message: its organisation record
 * ("This key is ACTIVE: 'ci-prod' in workspace Production…") and git history ("already in commit a1b2c3d…"). */
export type KeyNotes = (hint: string) => string[];

/** Whether the repository's baseline accepts a finding of `file` (baselineAcceptance.ts); the web build has none. */
export type BaselineAccepts = (file: string, finding: Pick<FileFinding, 'ruleId' | 'messageId' | 'messageArgs' | 'credential'>) => boolean;

export class DiagnosticComputer {
  constructor(
    private readonly configuration: FindingsConfiguration,
    private readonly keyNotes: KeyNotes = () => [],
    private readonly baselineAccepts: BaselineAccepts = () => false,
  ) {}

  /**
   * The diagnostics of an open document's text. A git-ignored, untracked file is where keys belong: none. The scan
   * itself is synchronous and takes tens of microseconds for 10,000 lines.
   */
  forDocument(document: vscode.TextDocument, state: DocumentGitState | undefined): vscode.Diagnostic[] {
    if (state?.ignored && !state.tracked) return [];
    // A file is a document the build knows a state for (a file: URI, or a workspace file of the web build's
    // vscode-remote:, vscode-vfs: … URIs); untitled buffers and notebook cells have none.
    const isFile = document.uri.scheme === 'file' || state !== undefined;
    const envRule = isFile && state && !state.unknown ? envFileRule(document.uri.fsPath, state) : undefined;
    const findings = findTextFindings(document.getText(), {
      includeLowConfidence: this.configuration.current.reportLowConfidenceTokens,
      fileName: isFile ? document.fileName : undefined,
      // A .env git would commit is reported like any file (ignored ones returned above).
      reportKeysInEnvFiles: true,
      envFileRule: envRule,
    });
    const diagnostics = findings.map((finding) =>
      this.toDiagnostic(
        finding.ruleId,
        finding.severity,
        new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end)),
        { id: finding.messageId, args: finding.messageArgs },
        finding.credential?.hint,
        isFile && this.baselineAccepts(document.uri.fsPath, finding),
      ),
    );
    if (envRule) diagnostics.unshift(this.toDiagnostic(envRule, findingSeverity(envRule), document.lineAt(0).range, { id: envRule, args: {} }));
    // A key in the file's name (red team F3), as the workspace scan reports it: the name below the workspace folder.
    // Without this an open file's text replaced the scan's finding, and the key in its name vanished while it was open.
    // Most paths hold no key: one substring test before any workspace lookup, on every live update.
    if (isFile && document.uri.path.includes('k-ant-')) {
      // Outside every workspace folder only the base name is the file's own; the folders above are this machine's.
      const inWorkspace = vscode.workspace.getWorkspaceFolder(document.uri) !== undefined;
      const name = inWorkspace ? vscode.workspace.asRelativePath(document.uri, false) : document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1);
      for (const finding of findKeysInName(name, document.uri.fsPath)) {
        diagnostics.push(
          this.toDiagnostic(finding.ruleId, finding.severity, new vscode.Range(0, 0, 0, 0), { id: finding.messageId, args: finding.messageArgs }, finding.credential?.hint, this.baselineAccepts(document.uri.fsPath, finding)),
        );
      }
    }
    return diagnostics;
  }

  /** The diagnostics of a file the workspace scan read (lines and columns are 1-based there). */
  forFileFindings(findings: readonly FileFinding[]): vscode.Diagnostic[] {
    return findings.map((finding) =>
      this.toDiagnostic(
        finding.ruleId,
        finding.severity,
        new vscode.Range(finding.line - 1, finding.column - 1, finding.endLine - 1, finding.endColumn - 1),
        { id: finding.messageId, args: finding.messageArgs },
        finding.credential?.hint,
        this.baselineAccepts(finding.file, finding),
      ),
    );
  }

  private toDiagnostic(ruleId: RuleId, severity: Severity, range: vscode.Range, message: Message, hint?: string, accepted = false): vscode.Diagnostic {
    // The engine's English template is the translation key (messages.ts).
    let text = formatMessage(message, (template, args) => vscode.l10n.t(template, args));
    // A key that is live in the organisation, or already in a commit, is out: moving it is not enough, and the
    // message says so first.
    const notes = ruleId === 'hardcoded-key' && hint ? this.keyNotes(hint) : [];
    if (notes.length > 0) text = `${notes.join(' ')} ${text}`;
    // Accepted in the repository's baseline (issue 18): greyed, a hint, as `scan --baseline` leaves it out of a failure.
    if (accepted) text = `${vscode.l10n.t('Accepted in the baseline.')} ${text}`;
    const diagnostic = new vscode.Diagnostic(range, text, accepted ? vscode.DiagnosticSeverity.Hint : toDiagnosticSeverity(severity, this.configuration.current.severity[ruleId]));
    if (accepted) diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: ruleId, target: vscode.Uri.parse(ruleDocsUrl(ruleId)) };
    return diagnostic;
  }
}
