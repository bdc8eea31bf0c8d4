// "Install Pre-push Hook": puts the pre-push hook of src/core/preCommitHook.ts (the 'pre-push' kind) into the
// repository of a workspace folder, so a push whose commits add an Anthropic key is refused, with the commit that
// added each key and the steps to take it out. The hook never rewrites history.
//
// Like Install Pre-commit Hook: trusted workspaces only (it runs git and writes a script git will run); a pre-push
// hook it did not write is never replaced without asking (keep it and run it first, or replace it and keep a
// backup); scripts and tests pass the answer in the argument object with `interactive: false`. The hook records
// this extension's bundled CLI and the runtime running it as its last resort.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { GitUnavailableError, type GitRunner } from '../core/git';
import { NotInRepositoryError, SharedHooksFolderError, installPrePushHook, type ForeignHookMode, type InstallStatus } from '../core/preCommitHook';
import { readGuardFailOn } from './settings';

export interface InstallPrePushHookArgs {
  /** A folder in the repository's work tree (path or file URI). Default: the active editor's workspace folder, else
   * the only one, else the one picked (the first when not interactive). */
  folder?: string | vscode.Uri;
  /** A pre-push hook that is not ours: true replaces it (kept under a backup name, not run). */
  overwrite?: boolean;
  /** A pre-push hook that is not ours: true keeps it, running it before the check. */
  chain?: boolean;
  /** false: never ask; a hook that is not ours is then left alone unless `overwrite` or `chain` says otherwise. */
  interactive?: boolean;
}

export interface InstallPrePushHookResult {
  ok: boolean;
  status?: InstallStatus;
  reason?: 'untrusted-workspace' | 'no-folder' | 'not-a-repository' | 'foreign-hook' | 'shared-hooks-folder' | 'cancelled' | 'failed';
  hookPath?: string;
  movedTo?: string;
  message: string;
}

export interface PrePushHookDependencies {
  git: GitRunner;
  /** The extension's folder: its dist/cli.js is the CLI the hook falls back on. */
  extensionPath: string;
}

export function registerPrePushHookCommand(dependencies: PrePushHookDependencies): vscode.Disposable {
  return vscode.commands.registerCommand('anthropicKeyHygiene.installPrePushHook', (args?: InstallPrePushHookArgs) => install(dependencies, args ?? {}));
}

async function install(dependencies: PrePushHookDependencies, args: InstallPrePushHookArgs): Promise<InstallPrePushHookResult> {
  const interactive = args.interactive !== false;
  const fail = (reason: NonNullable<InstallPrePushHookResult['reason']>, message: string, hookPath?: string): InstallPrePushHookResult => {
    if (reason !== 'cancelled') void vscode.window.showWarningMessage(message);
    return { ok: false, reason, message, ...(hookPath ? { hookPath } : {}) };
  };
  if (!vscode.workspace.isTrusted) return fail('untrusted-workspace', vscode.l10n.t('Installing the pre-push hook runs git and writes a script git will run; trust this workspace first.'));
  const folder = await chooseFolder(args.folder, interactive);
  if (folder === null) return fail('cancelled', vscode.l10n.t('No pre-push hook was installed.'));
  if (folder === undefined) return fail('no-folder', vscode.l10n.t('Open a folder in a git repository to install the pre-push hook.'));

  let mode: ForeignHookMode = args.overwrite ? 'overwrite' : args.chain ? 'chain' : 'refuse';
  const run = () =>
    installPrePushHook({
      git: dependencies.git,
      dir: folder,
      foreignHook: mode,
      recordedCli: { script: join(dependencies.extensionPath, 'dist', 'cli.js'), runtime: process.execPath },
      // Both hooks block on what anthropicKeyHygiene.guard.failOn says (errors by default).
      failOn: readGuardFailOn(vscode.Uri.file(folder)),
    });
  try {
    let result = await run();
    if (result.status === 'refused' && interactive && args.overwrite === undefined && args.chain === undefined) {
      const chain = vscode.l10n.t('Keep It and Add the Check');
      const replace = vscode.l10n.t('Replace It');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('A pre-push hook that Anthropic Key Hygiene did not write is already at {0}.', result.hookPath),
        { modal: true, detail: vscode.l10n.t('Keep it: it runs first, then the key check. Replace it: it is kept under a backup name and no longer runs.') },
        chain,
        replace,
      );
      if (answer === undefined) return fail('cancelled', vscode.l10n.t('No pre-push hook was installed.'), result.hookPath);
      mode = answer === chain ? 'chain' : 'overwrite';
      result = await run();
    }
    if (result.status === 'refused') {
      return fail(
        'foreign-hook',
        vscode.l10n.t('A pre-push hook that Anthropic Key Hygiene did not write is already at {0}; it was left as it is. Run the command again to keep it and add the check, or to replace it.', result.hookPath),
        result.hookPath,
      );
    }
    const message =
      result.status === 'updated'
        ? vscode.l10n.t('Pre-push hook updated at {0}. Pushes whose commits add an Anthropic key are refused.', result.hookPath)
        : result.movedTo
          ? vscode.l10n.t('Pre-push hook installed at {0}; the hook that was there is kept at {1}. Pushes whose commits add an Anthropic key are now refused.', result.hookPath, result.movedTo)
          : vscode.l10n.t('Pre-push hook installed at {0}. Pushes whose commits add an Anthropic key are now refused.', result.hookPath);
    void vscode.window.showInformationMessage(message);
    return { ok: true, status: result.status, hookPath: result.hookPath, message, ...(result.movedTo ? { movedTo: result.movedTo } : {}) };
  } catch (error) {
    // The hooks folder is in the work tree and git would commit the hook (red team F19): the error says what to do.
    if (error instanceof SharedHooksFolderError) return fail('shared-hooks-folder', vscode.l10n.t('The pre-push hook was not installed: {0}', error.message), error.hookPath);
    if (error instanceof NotInRepositoryError) return fail('not-a-repository', vscode.l10n.t('{0} is not in a git repository, so there is no push to guard.', folder));
    if (error instanceof GitUnavailableError) return fail('failed', vscode.l10n.t('The pre-push hook needs git, which was not found.'));
    return fail('failed', vscode.l10n.t('The pre-push hook could not be installed: {0}', (error as Error).message));
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
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Install the pre-push hook in the repository of which folder?') });
  return picked ? picked.uri.fsPath : null;
}
