// What the key vault's commands take and give back: one argument object per command (every field optional, so
// a command can be bound to a key, scripted, or run by a test without a dialog) and a plain result object saying
// what happened. No key ever appears in a result, only hints (`sk-ant-api03-R2D…igAA`).
import type * as vscode from 'vscode';
import type { TrimmedPart } from '../../core/keyInput';
import type { KeyEnvironment, KeyMetadata } from '../../core/keyMetadata';
import type { VerifyStatus } from '../../core/verify';
import type { OldKeyOutcome, RotationStep, RotationStopReason } from '../../core/admin/rotation';
import type { InjectedKey } from '../keyTerminals';

export interface CommonArgs {
  /** false: never prompt or ask; a missing answer counts as "no". Default true. */
  interactive?: boolean;
}

export interface StoreKeyArgs extends CommonArgs {
  name?: string;
  key?: string;
  environment?: KeyEnvironment;
  /** Check the key right after storing it. Unset: offer it (interactive only). */
  verify?: boolean;
  /** Replace a key already stored under the name. Unset: ask (interactive only). */
  overwrite?: boolean;
}

export interface VerifyKeyArgs extends CommonArgs {
  /** A stored key, by name. */
  name?: string;
  /** A key given directly. */
  key?: string;
  /** The key under the cursor of the active editor, or the variable in the workspace's .env. */
  source?: 'cursor' | 'env-file';
  /** With source 'env-file': the variable to read (default ANTHROPIC_API_KEY). */
  variable?: string;
  /** A key in a document, by location (what the code action passes, so the key itself never travels). */
  uri?: vscode.Uri;
  range?: vscode.Range;
}

export interface RemoveKeyArgs extends CommonArgs {
  name?: string;
  /** Remove without asking. */
  confirm?: boolean;
}

export interface RotateKeyArgs extends CommonArgs {
  name?: string;
  newKey?: string;
  /** The answer to "replace the old key in these .env files?" (the diff is shown when interactive). Unset: ask. */
  replaceInEnvFiles?: boolean;
  /** Abandon the rotation of `name` under way: both keys stay live, the old one is not deactivated. */
  abandon?: boolean;
}

export interface UseInTerminalsArgs extends CommonArgs {
  /** Unset: toggle. */
  enable?: boolean;
}

/** Why a command did not do what it was asked. */
export type FailureReason =
  | 'cancelled'
  | 'missing-argument'
  | 'rejected-key'
  | 'rejected-name'
  | 'unknown-name'
  | 'exists'
  | 'missing-secret'
  | 'no-key-found'
  | 'insecure-base-url'
  | 'same-key'
  | 'kind-mismatch'
  | 'new-key-not-valid'
  | 'storage-failed'
  | 'untrusted-workspace'
  /** The rotation stopped part-way (every place still holds a working key); run it again to resume. */
  | 'rotation-stopped'
  /** Another rotation of the key is under way, or none is to resume. */
  | 'rotation-in-progress'
  /** The command needs Node or git, which the web build does not have (src/features/web/nodeOnlyCommands.ts). */
  | 'unavailable-in-browser';

export type KeySource = 'stored' | 'argument' | 'prompt' | 'editor' | 'env-file';

export interface CommandResult {
  /** The command did what was asked (for Verify: a check ran, whatever it found). */
  ok: boolean;
  reason?: FailureReason;
  /** What the user was told (or would have been). Never contains a key. */
  message: string;
}

export interface VerifyCommandResult extends CommandResult {
  status?: VerifyStatus;
  httpStatus?: number;
  requestId?: string;
  host?: string;
  source?: KeySource;
  name?: string;
  hint?: string;
}

export interface StoreKeyResult extends CommandResult {
  name?: string;
  hint?: string;
  trimmed?: TrimmedPart[];
  verification?: VerifyCommandResult;
}

export interface RotateKeyResult extends CommandResult {
  name?: string;
  oldHint?: string;
  newHint?: string;
  /** The first check of the new key. */
  verification?: VerifyCommandResult;
  /** The rotation's steps this run completed (src/core/admin/rotation.ts), and where and why it stopped. */
  steps?: RotationStep[];
  stoppedAt?: RotationStep;
  stopReason?: RotationStopReason;
  /** Workspace-relative .env files that now hold the new key. */
  envFilesChanged?: string[];
  /** What became of the old key: deactivated through the Admin API, or left to the Console (and why). */
  oldKey?: OldKeyOutcome;
  /** A rotation interrupted earlier was resumed. */
  resumed?: boolean;
}

export interface RemoveKeyResult extends CommandResult {
  name?: string;
  hint?: string;
}

export interface ListedKey extends KeyMetadata {
  ageDays: number;
  rotationDue: boolean;
  /** False when the metadata remains but the secret storage no longer has the key. */
  secretPresent: boolean;
}

export interface ListKeysResult extends CommandResult {
  keys: ListedKey[];
}

export interface UseInTerminalsResult extends CommandResult {
  enabled: boolean;
  keys: readonly InjectedKey[];
}
