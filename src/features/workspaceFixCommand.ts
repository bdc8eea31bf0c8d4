// "Fix All Hardcoded Keys in Workspace": the core fix engine (src/core/fixes/engine.ts) over every workspace folder,
// the same run as the CLI's `fix`: keys stored in their package's git-ignored .env before any file changes, then
// every folder scanned again. Open documents are fixed as the user sees them (unsaved edits included) through
// edits, and saved; closed files on disk, atomically. Its summary, which shows hints only, goes to an output
// channel.
import * as vscode from 'vscode';
import { fixExitCode, fixPaths, readSourceFromDisk, type FixRunResult } from '../core/fixes/engine';
import { createExcludeMatcher } from '../core/excludes';
import type { GitRunner } from '../core/git';
import { maskSecrets } from '../core/hint';
import { formatMessage } from '../core/messages';
import { readOpenDocument } from './fixAdapters';
import { editorSourceWriter } from './nodeFixPlaces';
import { excludeGlobs, readSettings } from './settings';

export interface WorkspaceFixArgs {
  /** Skip the confirmation (scripts and tests). */
  confirm?: boolean;
}

export interface WorkspaceFixResult {
  ran: boolean;
  /** Per folder: the engine's exit status (0 nothing left, 1 something needs a human, 2 an error). */
  exitCodes: number[];
  summary: string;
}

const t = (template: string, args: Record<string, string>) => vscode.l10n.t(template, args);

export function registerWorkspaceFixCommand(git: GitRunner): vscode.Disposable {
  const output = vscode.window.createOutputChannel(vscode.l10n.t('Anthropic Key Hygiene: Fix All'));
  const command = vscode.commands.registerCommand('anthropicKeyHygiene.fixAllInWorkspace', async (args?: WorkspaceFixArgs): Promise<WorkspaceFixResult> => {
    const none: WorkspaceFixResult = { ran: false, exitCodes: [], summary: '' };
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Fixing every key runs git and writes files; trust this workspace first.'));
      return none;
    }
    if (args?.confirm !== true) {
      const fix = vscode.l10n.t('Fix All');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Move every hardcoded Anthropic key in the workspace to a git-ignored .env?'),
        { modal: true, detail: vscode.l10n.t('Each key is written to the .env of its package (and read back) before its file changes. Files open in the editor are fixed there and saved.') },
        fix,
      );
      if (answer !== fix) return none;
    }
    const settings = readSettings();
    const exitCodes: number[] = [];
    let summary = '';
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      let text: string;
      try {
        const result = await fixPaths({
          paths: [folder.uri.fsPath],
          cwd: folder.uri.fsPath,
          dryRun: false,
          includeLowConfidence: settings.reportLowConfidenceTokens,
          maxFileSize: settings.maxFileSize,
          isExcluded: createExcludeMatcher(excludeGlobs(folder, settings)),
          git,
          allowGit: true,
          readSource: async (path) => (await readOpenDocument(path)) ?? readSourceFromDisk(path),
          writer: editorSourceWriter,
        });
        exitCodes.push(fixExitCode(result));
        text = describe(result, (path) => vscode.workspace.asRelativePath(path, false));
      } catch (error) {
        exitCodes.push(2);
        text = vscode.l10n.t('The fix could not run: {0}', (error as Error).message);
      }
      summary += `# ${folder.name}\n${maskSecrets(text)}\n`;
    }
    output.clear();
    output.append(summary);
    const show = vscode.l10n.t('Show Details');
    const message = exitCodes.every((code) => code === 0)
      ? vscode.l10n.t('Every hardcoded key was moved to .env, and a new scan found nothing left.')
      : exitCodes.some((code) => code === 2)
        ? vscode.l10n.t('Fixing keys failed in some folders; nothing was changed where it failed.')
        : vscode.l10n.t('Some problems need a human; the other keys were moved to .env.');
    const show_ = exitCodes.every((code) => code === 0) ? vscode.window.showInformationMessage(message, show) : vscode.window.showWarningMessage(message, show);
    void show_.then((choice) => {
      if (choice === show) output.show();
    });
    return { ran: true, exitCodes, summary };
  });
  return vscode.Disposable.from(command, output);
}

/** The run in words: what moved where, then what still needs a human and why, then errors. Hints only. */
function describe(result: FixRunResult, display: (path: string) => string): string {
  const lines: string[] = [];
  for (const key of result.fixed) {
    lines.push(t('Fixed {place}  {hint}  now reads {variable}', { place: `${display(key.file)}:${key.line}:${key.column}`, hint: key.hint, variable: key.variable }));
  }
  for (const store of result.stored) {
    if (store.entries.length > 0) lines.push(t('Stored {names} in {file}.', { names: store.entries.map((entry) => entry.name).join(', '), file: display(store.destination) }));
    if (store.ignore?.status === 'added') lines.push(t('Added {pattern} to {file}.', { pattern: store.ignore.pattern, file: display(store.ignore.gitignore) }));
  }
  if (result.needsHuman.length > 0) {
    lines.push(vscode.l10n.t('Still found after the fix, needing a human:'));
    for (const item of result.needsHuman) {
      lines.push(`  ${display(item.file)}:${item.line}:${item.column}  ${item.hint ? `${item.hint}  ` : ''}${formatMessage(item.reason, t)}`);
    }
  }
  for (const error of result.errors) lines.push(t('Error: {path}: {message}', { path: display(error.path), message: error.message }));
  for (const skip of result.notScanned) lines.push(t('Not scanned: {path}: {reason}', { path: display(skip.file), reason: skip.reason }));
  if (lines.length === 0) lines.push(vscode.l10n.t('No hardcoded keys to fix.'));
  return lines.join('\n');
}
