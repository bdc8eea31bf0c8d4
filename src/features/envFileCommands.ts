// The fixes for env files themselves: "Add to .gitignore" (unignored-env-file), "Stop tracking" (tracked-env-file),
// and "Keep .env Files Out of Git", which does both for every flagged file at once (the walkthrough and the report
// link to it). The .gitignore edit is the core's (gitignoreFix.ts: exact pattern, atomic, re-checked with git, or in
// the web build with the .gitignore files); untracking is git's (the Node build passes it: git update-index, which
// runs no filter), so the web build has no Stop Tracking.
import * as vscode from 'vscode';
import { ensureGitIgnores } from '../core/fixes/gitignoreFix';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnosticComputer';
import type { FixPlaces } from './fixAdapters';

export interface EnvFileCommandDependencies {
  /** Where the .gitignore fixes write (the Node build: disk and git; the web build: workspace.fs). */
  places: FixPlaces;
  /** Untracks a file (git); absent in the web build, which registers no Stop Tracking. */
  untrack?: (path: string) => Promise<void>;
}

export interface IgnoreEnvFilesArgs {
  /** Untrack tracked .env files without asking (scripts and tests). */
  confirm?: boolean;
  /** false: never ask; tracked files then stay tracked unless `confirm` is true. Default true. */
  interactive?: boolean;
}

export interface IgnoreEnvFilesResult {
  ok: boolean;
  /** Workspace-relative paths added to .gitignore. */
  ignored: string[];
  /** Workspace-relative paths git no longer tracks. */
  untracked: string[];
  /** Tracked files left tracked: not confirmed, an untrusted workspace, or git refused. */
  stillTracked: string[];
  message: string;
}

export function registerEnvFileCommands(dependencies: EnvFileCommandDependencies): vscode.Disposable {
  const { untrack } = dependencies;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('anthropicKeyHygiene.addToGitignore', (args: { uri: vscode.Uri }) => addToGitignore(args.uri, dependencies)),
    ...(untrack ? [vscode.commands.registerCommand('anthropicKeyHygiene.stopTracking', (args: { uri: vscode.Uri; confirm?: boolean }) => stopTracking(args, untrack))] : []),
    vscode.commands.registerCommand('anthropicKeyHygiene.ignoreEnvFiles', (args?: IgnoreEnvFilesArgs) => ignoreEnvFiles(args ?? {}, dependencies)),
  );
}

/**
 * Makes git ignore one env file, keeping every byte of .gitignore. In an untrusted workspace git may not run: the
 * line is still added, and checked against the .gitignore files themselves.
 */
async function addToGitignore(uri: vscode.Uri, { places }: EnvFileCommandDependencies): Promise<boolean> {
  const place = places.locate(uri);
  if (!place) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be added to .gitignore: {1}', vscode.workspace.asRelativePath(uri), vscode.l10n.t('it is not a file of the workspace')));
    return false;
  }
  try {
    const outcome = await ensureGitIgnores(place.path, {
      platform: place.platform,
      fallbackRoot: place.root,
      // Adding the line is right whatever git tracks; untracking is the other fix.
      allowTracked: true,
      allowUnknownTracking: true,
    });
    if (outcome.status !== 'refused') return true;
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be added to .gitignore: {1}', vscode.workspace.asRelativePath(uri), outcome.detail ?? outcome.reason));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be added to .gitignore: {1}', vscode.workspace.asRelativePath(uri), (error as Error).message));
  }
  return false;
}

/** Untracking after a confirmation that says what it does and does not do. Trusted workspaces only. */
async function stopTracking(args: { uri: vscode.Uri; confirm?: boolean }, untrackFile: (path: string) => Promise<void>): Promise<boolean> {
  if (!vscode.workspace.isTrusted) return false;
  const name = baseName(args.uri);
  if (args.confirm !== true && !(await confirmStopTracking(name))) return false;
  if (!(await untrack(args.uri, untrackFile))) return false;
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} is no longer tracked. Commit the change, then rotate the keys it held.', name));
  return true;
}

async function confirmStopTracking(names: string): Promise<boolean> {
  const stop = vscode.l10n.t('Stop Tracking');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop tracking {0}?', names),
    {
      modal: true,
      detail: vscode.l10n.t(
        'The file stays on disk and stays ignored; git stops committing it. Its earlier versions remain in the history, so rotate every key it held.',
      ),
    },
    stop,
  );
  return answer === stop;
}

/** Untracks one file; false (with the error shown) when git refused or could not answer. */
async function untrack(uri: vscode.Uri, untrackFile: (path: string) => Promise<void>): Promise<boolean> {
  try {
    await untrackFile(uri.fsPath);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be untracked: {1}', vscode.workspace.asRelativePath(uri), (error as Error).message));
    return false;
  }
}

/**
 * "Keep .env Files Out of Git": the two .env quick fixes for every .env file the diagnostics flag. Unignored files
 * are added to .gitignore first (no question: it keeps every byte); then every one of them git still tracks is
 * untracked after one confirmation, as untracking changes the next commit.
 */
async function ignoreEnvFiles(args: IgnoreEnvFilesArgs, dependencies: EnvFileCommandDependencies): Promise<IgnoreEnvFilesResult> {
  const { places, untrack: untrackFile } = dependencies;
  const flagged = new Map<string, { uri: vscode.Uri; unignored: boolean }>();
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (!places.locate(uri)) continue;
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = ruleIdOf(diagnostic);
      if (rule !== 'unignored-env-file' && rule !== 'tracked-env-file') continue;
      const entry = flagged.get(uri.toString()) ?? { uri, unignored: false };
      entry.unignored ||= rule === 'unignored-env-file';
      flagged.set(uri.toString(), entry);
    }
  }
  const files = [...flagged.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  const display = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri);
  const result: IgnoreEnvFilesResult = { ok: true, ignored: [], untracked: [], stillTracked: [], message: '' };
  if (files.length === 0) {
    result.message = vscode.l10n.t('No .env file needs it: none is flagged as one git would commit or already tracks.');
    void vscode.window.showInformationMessage(result.message);
    return result;
  }

  const tracked: vscode.Uri[] = [];
  for (const { uri, unignored } of files) {
    const place = places.locate(uri)!;
    // A tracked file is reported as tracked whether or not a rule ignores it (envFileRule): ask git for both.
    let state: { ignored: boolean; tracked: boolean };
    try {
      state = await place.platform.gitState(place.path);
    } catch (error) {
      result.ok = false;
      void vscode.window.showErrorMessage((error as Error).message);
      continue;
    }
    if (unignored || !state.ignored) {
      if (!(await addToGitignore(uri, dependencies))) {
        result.ok = false;
        continue;
      }
      result.ignored.push(display(uri));
    }
    // Ignoring does not untrack: git still has the file in its index (the web build cannot know: never tracked).
    if (state.tracked) tracked.push(uri);
  }
  if (tracked.length > 0) {
    const names = tracked.map(display).join(', ');
    const confirmed = untrackFile !== undefined && vscode.workspace.isTrusted && (args.confirm === true || (args.confirm === undefined && args.interactive !== false && (await confirmStopTracking(names))));
    for (const uri of tracked) {
      if (confirmed && (await untrack(uri, untrackFile))) result.untracked.push(display(uri));
      else result.stillTracked.push(display(uri));
    }
  }

  const parts: string[] = [];
  if (result.ignored.length > 0) parts.push(vscode.l10n.t('Added {0} to .gitignore.', result.ignored.join(', ')));
  if (result.untracked.length > 0) parts.push(vscode.l10n.t('{0} no longer tracked: commit the change, then rotate the keys it held.', result.untracked.join(', ')));
  if (result.stillTracked.length > 0) parts.push(vscode.l10n.t('{0} still tracked by git: git commits it until it is untracked.', result.stillTracked.join(', ')));
  if (!result.ok) parts.push(vscode.l10n.t('Some .env files could not be added to .gitignore.'));
  result.ok &&= result.stillTracked.length === 0;
  result.message = parts.join(' ');
  if (result.ok) void vscode.window.showInformationMessage(result.message);
  else void vscode.window.showWarningMessage(result.message);
  return result;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
