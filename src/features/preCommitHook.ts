// "Install Pre-commit Hook": puts the git hook from src/core/preCommitHook.ts into the repository of a
// workspace folder, so a commit whose staged content holds a key or a .env file is refused.
//
// It runs git and writes into the repository's hooks folder, so it works in trusted workspaces only. A
// pre-commit hook it did not write is never replaced without asking: the user chooses to keep it (it runs
// first, then the check) or to replace it (it is kept under a backup name). Scripts and tests pass the
// answer in the argument object and `interactive: false`; the command returns what it did.
//
// The hook records this extension's bundled CLI and the runtime running it (the editor's Node, which is not
// on PATH) as its last resort, after a project or global install; see the script itself for why.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { GitRunner } from '../core/git';
import { GitUnavailableError } from '../core/git';
import { readGuardFailOn } from './settings';
import { NotInRepositoryError, SharedHooksFolderError, installPreCommitHook, type ExistingHook, type ForeignHookMode, type InstallStatus } from '../core/preCommitHook';

export interface InstallHookArgs {
  /** A folder in the repository's work tree (path or file URI). Default: the active editor's workspace
   * folder, else the only one, else the one picked (the first when not interactive). */
  folder?: string | vscode.Uri;
  /** A pre-commit hook that is not ours: true replaces it (it is kept under a backup name, not run). */
  overwrite?: boolean;
  /** A pre-commit hook that is not ours: true keeps it, running it before the check. */
  chain?: boolean;
  /** false: never ask; a hook that is not ours is then left alone unless `overwrite` or `chain` says otherwise. */
  interactive?: boolean;
}

export type InstallHookFailure = 'untrusted-workspace' | 'no-folder' | 'not-a-repository' | 'foreign-hook' | 'shared-hooks-folder' | 'cancelled' | 'failed';

export interface InstallHookResult {
  ok: boolean;
  status?: InstallStatus;
  reason?: InstallHookFailure;
  /** The hook file (also when a foreign one was left there). */
  hookPath?: string;
  /** Where a foreign hook was moved. */
  movedTo?: string;
  message: string;
}

export interface PreCommitHookDependencies {
  git: GitRunner;
  /** The extension's folder: its dist/cli.js is the CLI the hook falls back on. */
  extensionPath: string;
}

export function registerPreCommitHookCommand(dependencies: PreCommitHookDependencies): vscode.Disposable {
  return vscode.commands.registerCommand('anthropicKeyHygiene.installPreCommitHook', (args?: InstallHookArgs) => installHook(dependencies, args ?? {}));
}

async function installHook(dependencies: PreCommitHookDependencies, args: InstallHookArgs): Promise<InstallHookResult> {
  const interactive = args.interactive !== false;
  const fail = (reason: InstallHookFailure, message: string, hookPath?: string): InstallHookResult => {
    if (reason !== 'cancelled') void vscode.window.showWarningMessage(message);
    return { ok: false, reason, message, ...(hookPath ? { hookPath } : {}) };
  };
  if (!vscode.workspace.isTrusted) {
    return fail('untrusted-workspace', vscode.l10n.t('Installing the pre-commit hook runs git and writes a script git will run; trust this workspace first.'));
  }
  const folder = await chooseFolder(args.folder, interactive);
  if (!folder) return folder === null ? fail('cancelled', vscode.l10n.t('No pre-commit hook was installed.')) : fail('no-folder', vscode.l10n.t('Open a folder in a git repository to install the pre-commit hook.'));

  let mode: ForeignHookMode = args.overwrite ? 'overwrite' : args.chain ? 'chain' : 'refuse';
  const install = () =>
    installPreCommitHook({
      git: dependencies.git,
      dir: folder,
      foreignHook: mode,
      recordedCli: { script: join(dependencies.extensionPath, 'dist', 'cli.js'), runtime: process.execPath },
      failOn: readGuardFailOn(vscode.Uri.file(folder)),
    });
  try {
    let result = await install();
    if (result.status === 'refused' && interactive && args.overwrite === undefined && args.chain === undefined) {
      const chain = vscode.l10n.t('Keep It and Add the Check');
      const replace = vscode.l10n.t('Replace It');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('A pre-commit hook that Anthropic Key Hygiene did not write is already at {0}.', result.hookPath),
        { modal: true, detail: foreignHookDetail(result.existing) },
        chain,
        replace,
      );
      if (answer === undefined) return fail('cancelled', vscode.l10n.t('No pre-commit hook was installed.'), result.hookPath);
      mode = answer === chain ? 'chain' : 'overwrite';
      result = await install();
    }
    if (result.status === 'refused') {
      return fail(
        'foreign-hook',
        vscode.l10n.t('A pre-commit hook that Anthropic Key Hygiene did not write is already at {0}; it was left as it is. Run the command again to keep it and add the check, or to replace it.', result.hookPath),
        result.hookPath,
      );
    }
    const message = successMessage(result.status, result.hookPath, result.movedTo);
    void vscode.window.showInformationMessage(message);
    return { ok: true, status: result.status, hookPath: result.hookPath, message, ...(result.movedTo ? { movedTo: result.movedTo } : {}) };
  } catch (error) {
    // The hooks folder is in the work tree and git would commit the hook (red team F19): the error says what to do.
    if (error instanceof SharedHooksFolderError) return fail('shared-hooks-folder', vscode.l10n.t('The pre-commit hook was not installed: {0}', error.message), error.hookPath);
    if (error instanceof NotInRepositoryError) return fail('not-a-repository', vscode.l10n.t('{0} is not in a git repository, so there is no commit to guard.', folder));
    if (error instanceof GitUnavailableError) return fail('failed', vscode.l10n.t('The pre-commit hook needs git, which was not found.'));
    return fail('failed', vscode.l10n.t('The pre-commit hook could not be installed: {0}', (error as Error).message));
  }
}

/** The folder's path; undefined when there is none, null when the user cancelled the pick. */
async function chooseFolder(folder: string | vscode.Uri | undefined, interactive: boolean): Promise<string | undefined | null> {
  if (typeof folder === 'string') return folder;
  if (folder) return folder.fsPath;
  const local = (vscode.workspace.workspaceFolders ?? []).filter((candidate) => candidate.uri.scheme === 'file');
  const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
  if (active && active.uri.scheme === 'file') return active.uri.fsPath;
  if (local.length <= 1 || !interactive) return local[0]?.uri.fsPath;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Install the pre-commit hook in the repository of which folder?') });
  return picked ? picked.uri.fsPath : null;
}

function foreignHookDetail(existing: ExistingHook): string {
  const choices = vscode.l10n.t('Keep it: it runs first, then the key check. Replace it: it is kept under a backup name and no longer runs.');
  if (existing.kind !== 'foreign' || !existing.manager) return choices;
  // These tools rewrite their hooks; adding the check to their own configuration lasts (README, "Guard the commit").
  const advice =
    existing.manager === 'husky'
      ? vscode.l10n.t('husky manages it: adding `anthropic-key-hygiene scan --staged` to .husky/pre-commit lasts longer, as husky rewrites its hooks.')
      : vscode.l10n.t('The pre-commit framework manages it: adding the anthropic-key-hygiene hook to .pre-commit-config.yaml lasts longer, as pre-commit rewrites its hook.');
  return `${advice}\n\n${choices}`;
}

function successMessage(status: InstallStatus, hookPath: string, movedTo: string | undefined): string {
  switch (status) {
    case 'chained':
      return vscode.l10n.t('Pre-commit hook installed at {0}; the hook that was there runs first, from {1}. Commits with a staged Anthropic key or .env file are now refused.', hookPath, movedTo ?? '');
    case 'replaced':
      return vscode.l10n.t('Pre-commit hook installed at {0}; the hook that was there is kept at {1}. Commits with a staged Anthropic key or .env file are now refused.', hookPath, movedTo ?? '');
    case 'updated':
      return vscode.l10n.t('Pre-commit hook updated at {0}. Commits with a staged Anthropic key or .env file are refused.', hookPath);
    default:
      return vscode.l10n.t('Pre-commit hook installed at {0}. Commits with a staged Anthropic key or .env file are now refused.', hookPath);
  }
}
