// Typed access to the anthropicKeyHygiene.* settings. The manifest test checks these keys against
// package.json, so the two cannot drift apart silently.
import * as vscode from 'vscode';
import type { RuleId, Severity } from '../core/findings';
import { RULES } from '../core/rules';

export const SETTINGS_SECTION = 'anthropicKeyHygiene';

export type SeveritySetting = 'default' | 'error' | 'warning' | 'information' | 'hint';

export interface HygieneSettings {
  enable: boolean;
  scope: 'workspace' | 'openFiles';
  severity: Record<RuleId, SeveritySetting>;
  exclude: string[];
  /** Bytes; larger files are not scanned in the workspace scan. */
  maxFileSize: number;
  reportLowConfidenceTokens: boolean;
}

/** Setting keys (after the prefix) that carry each rule's severity. */
export const SEVERITY_SETTING_KEYS = Object.fromEntries(RULES.map((rule) => [rule.id, rule.severitySetting])) as Record<RuleId, string>;

/** Every key the code reads, for the manifest test. */
export const READ_SETTING_KEYS = ['enable', 'scope', 'exclude', 'maxFileSizeMB', 'reportLowConfidenceTokens', ...Object.values(SEVERITY_SETTING_KEYS)];

export function readSettings(scope?: vscode.ConfigurationScope): HygieneSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const severity = {} as Record<RuleId, SeveritySetting>;
  for (const [ruleId, key] of Object.entries(SEVERITY_SETTING_KEYS) as Array<[RuleId, string]>) {
    severity[ruleId] = config.get<SeveritySetting>(key, 'default');
  }
  return {
    enable: config.get('enable', true),
    scope: config.get('scope', 'workspace'),
    severity,
    exclude: config.get<string[]>('exclude', []),
    maxFileSize: Math.max(0, config.get('maxFileSizeMB', 10)) * 1024 * 1024,
    reportLowConfidenceTokens: config.get('reportLowConfidenceTokens', true),
  };
}

export function toDiagnosticSeverity(engine: Severity, setting: SeveritySetting): vscode.DiagnosticSeverity {
  const chosen = setting === 'default' ? engine : setting;
  switch (chosen) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

/** files.exclude globs that are switched on, plus our own exclude globs. */
export function excludeGlobs(folder: vscode.WorkspaceFolder, settings: HygieneSettings): string[] {
  const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude', {});
  return [...Object.entries(filesExclude).filter(([, on]) => on === true).map(([glob]) => glob), ...settings.exclude];
}
