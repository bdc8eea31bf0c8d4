// Every anthropicKeyHygiene.* setting, read in one place with its range checks (vscode-eslint's typed settings).
// SETTING_KEYS lists them all; the manifest test compares it with package.json both ways, so the code and the
// manifest cannot drift apart. Rule severities come from the rule registry (src/core/rules.ts).
//
// Decisions:
// - `apiBaseUrl` is machine-scoped: a workspace's .vscode/settings.json must not be able to point key checks at a
//   server of its choosing and collect the keys sent there. The manifest says so; readers read only that scope.
// - Findings settings and key-vault settings are apart in what they trigger: changing a severity rescans, changing
//   the rotation reminder does not (HygieneConfiguration.onDidChange fires for the former only).
import * as vscode from 'vscode';
import type { RuleId, Severity } from '../core/findings';
import { DEFAULT_ROTATION_REMINDER_DAYS } from '../core/keyMetadata';
import { RULES } from '../core/rules';
import { DEFAULT_BASE_URL, DEFAULT_VERIFY_TIMEOUT_MS } from '../core/verify';

export const SETTINGS_SECTION = 'anthropicKeyHygiene';

export type SeveritySetting = 'default' | 'error' | 'warning' | 'information' | 'hint';

/** Setting keys (after the prefix) that carry each rule's severity, from the registry. */
export const SEVERITY_SETTING_KEYS = Object.fromEntries(RULES.map((rule) => [rule.id, rule.severitySetting])) as Record<RuleId, string>;

/** The settings that change what is found or how it is shown: a change rescans. */
export const FINDINGS_SETTING_KEYS = ['enable', 'scope', 'exclude', 'maxFileSizeMB', 'reportLowConfidenceTokens', ...Object.values(SEVERITY_SETTING_KEYS)];
/** The key vault's settings: checks, reminders. */
export const KEY_VAULT_SETTING_KEYS = ['apiBaseUrl', 'verifyTimeoutSeconds', 'rotationReminderDays'];
/** The guard's settings: what the installed hooks block on. */
export const GUARD_SETTING_KEYS = ['guard.failOn'];

/** The git history scan's settings (src/features/gitHistory.ts). */
export const HISTORY_SETTING_KEYS = ['history.scanOnStartup'];

/** Every key the code reads; the manifest test checks package.json contributes exactly these. */
export const SETTING_KEYS: readonly string[] = [...FINDINGS_SETTING_KEYS, ...KEY_VAULT_SETTING_KEYS, ...GUARD_SETTING_KEYS, ...HISTORY_SETTING_KEYS];

export interface HygieneSettings {
  enable: boolean;
  scope: 'workspace' | 'openFiles';
  severity: Record<RuleId, SeveritySetting>;
  exclude: string[];
  /** Bytes; larger files are not scanned in the workspace scan. */
  maxFileSize: number;
  reportLowConfidenceTokens: boolean;
}

const SEVERITY_VALUES = new Set<SeveritySetting>(['default', 'error', 'warning', 'information', 'hint']);

function oneOf<T extends string>(value: unknown, allowed: ReadonlySet<T> | readonly T[], fallback: T): T {
  const set = allowed instanceof Set ? allowed : new Set(allowed as readonly T[]);
  return typeof value === 'string' && set.has(value as T) ? (value as T) : fallback;
}

function finiteNumber(value: unknown, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

export function readSettings(scope?: vscode.ConfigurationScope): HygieneSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const severity = {} as Record<RuleId, SeveritySetting>;
  for (const [ruleId, key] of Object.entries(SEVERITY_SETTING_KEYS) as Array<[RuleId, string]>) {
    severity[ruleId] = oneOf(config.get(key), SEVERITY_VALUES, 'default');
  }
  const exclude = config.get<unknown>('exclude', []);
  return {
    enable: config.get<unknown>('enable', true) !== false,
    scope: oneOf(config.get('scope'), ['workspace', 'openFiles'] as const, 'workspace'),
    severity,
    exclude: Array.isArray(exclude) ? exclude.filter((glob): glob is string => typeof glob === 'string') : [],
    maxFileSize: finiteNumber(config.get('maxFileSizeMB'), 10, 0) * 1024 * 1024,
    reportLowConfidenceTokens: config.get<unknown>('reportLowConfidenceTokens', true) !== false,
  };
}

export interface KeyVaultSettings {
  /** The base URL keys are checked against; the SDK's default when the setting is empty. */
  baseUrl: string;
  timeoutMs: number;
  /** 0 turns rotation reminders off. */
  rotationReminderDays: number;
}

export function readKeyVaultSettings(): KeyVaultSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // Declared machine-scoped in the manifest, so VS Code itself ignores a value in workspace settings.
  const baseUrl = config.get<unknown>('apiBaseUrl', '');
  return {
    baseUrl: (typeof baseUrl === 'string' ? baseUrl.trim() : '') || DEFAULT_BASE_URL,
    timeoutMs: finiteNumber(config.get('verifyTimeoutSeconds'), DEFAULT_VERIFY_TIMEOUT_MS / 1000, 1, 120) * 1000,
    rotationReminderDays: finiteNumber(config.get('rotationReminderDays'), DEFAULT_ROTATION_REMINDER_DAYS, 0),
  };
}

export function affectsKeyVaultSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return KEY_VAULT_SETTING_KEYS.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}

/** What an installed git hook blocks on: errors (default; warnings are shown) or warnings too. */
export function readGuardFailOn(scope?: vscode.ConfigurationScope): 'error' | 'warning' {
  return oneOf(vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get('guard.failOn'), ['error', 'warning'] as const, 'error');
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

/** The findings settings as the diagnostics see them: current values and a change event (tests can supply their own). */
export interface FindingsConfiguration {
  readonly current: HygieneSettings;
  readonly onDidChange: vscode.Event<HygieneSettings>;
}

/** The real one: re-read when a findings setting or files.exclude changes, and nothing else. */
export class HygieneConfiguration implements FindingsConfiguration, vscode.Disposable {
  private settings = readSettings();
  private readonly emitter = new vscode.EventEmitter<HygieneSettings>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      const affects = FINDINGS_SETTING_KEYS.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`)) || event.affectsConfiguration('files.exclude');
      if (!affects) return;
      this.settings = readSettings();
      this.emitter.fire(this.settings);
    });
  }

  get current(): HygieneSettings {
    return this.settings;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

/** Whether to scan git history when VS Code starts (default off: it reads every commit). */
export function readHistoryScanOnStartup(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get('history.scanOnStartup') === true;
}
