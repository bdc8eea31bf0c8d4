// The key vault's settings. `apiBaseUrl` is machine-scoped on purpose: a workspace's .vscode/settings.json
// must not be able to point key checks at a server of its choosing and collect the keys sent there.
import * as vscode from 'vscode';
import { DEFAULT_ROTATION_REMINDER_DAYS } from '../core/keyMetadata';
import { DEFAULT_BASE_URL, DEFAULT_VERIFY_TIMEOUT_MS } from '../core/verify';

const SECTION = 'anthropicKeyHygiene';

/** The keys (after the prefix) this file reads, for the manifest check. */
export const KEY_VAULT_SETTING_KEYS = ['apiBaseUrl', 'verifyTimeoutSeconds', 'rotationReminderDays'] as const;

export interface KeyVaultSettings {
  /** The base URL keys are checked against; the SDK's default when the setting is empty. */
  baseUrl: string;
  timeoutMs: number;
  /** 0 turns rotation reminders off. */
  rotationReminderDays: number;
}

export function readKeyVaultSettings(): KeyVaultSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const baseUrl = config.get<string>('apiBaseUrl', '').trim();
  const seconds = config.get<number>('verifyTimeoutSeconds', DEFAULT_VERIFY_TIMEOUT_MS / 1000);
  const days = config.get<number>('rotationReminderDays', DEFAULT_ROTATION_REMINDER_DAYS);
  return {
    baseUrl: baseUrl || DEFAULT_BASE_URL,
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 300) * 1000 : DEFAULT_VERIFY_TIMEOUT_MS,
    rotationReminderDays: Number.isFinite(days) ? Math.max(0, days) : DEFAULT_ROTATION_REMINDER_DAYS,
  };
}

export function affectsKeyVaultSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return KEY_VAULT_SETTING_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
