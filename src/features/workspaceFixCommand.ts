// "Fix All Hardcoded Keys in Workspace": the CLI's fix engine (src/cli/fix.ts) run over every workspace
// folder, so the editor and CI fix keys the same way. It writes files on disk, so it first saves open
// editors (their text is what gets fixed) and asks once; its summary, which shows hints only, goes to an
// output channel.
import * as vscode from 'vscode';
import { Writable } from 'node:stream';
import { runFix } from '../cli/fix';
import { createExcludeMatcher } from '../core/excludes';
import { excludeGlobs, readSettings } from './settings';

export interface WorkspaceFixArgs {
  /** Skip the confirmation (scripts and tests). */
  confirm?: boolean;
}

export interface WorkspaceFixResult {
  ran: boolean;
  /** Per folder: the fix engine's exit code (0 all fixed, 1 some need a human, 2 error). */
  exitCodes: number[];
  summary: string;
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

export function registerWorkspaceFixCommand(): vscode.Disposable {
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
        { modal: true, detail: vscode.l10n.t('Each key is written to the .env (and read back) before its file changes. Open editors are saved first.') },
        fix,
      );
      if (answer !== fix) return none;
    }
    await vscode.workspace.saveAll(false);
    const settings = readSettings();
    const exitCodes: number[] = [];
    let summary = '';
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const out = collector();
      const err = collector();
      let code: number;
      try {
        code = await runFix(
          {
            paths: [folder.uri.fsPath],
            dryRun: false,
            includeLowConfidence: settings.reportLowConfidenceTokens,
            maxFileSize: settings.maxFileSize,
            isExcluded: createExcludeMatcher(excludeGlobs(folder, settings)),
          },
          out.stream,
          err.stream,
        );
      } catch (error) {
        code = 2;
        err.stream.write(`${(error as Error).message}\n`);
      }
      exitCodes.push(code);
      summary += `# ${folder.name}\n${out.text()}${err.text()}\n`;
    }
    output.clear();
    output.append(summary);
    const show = vscode.l10n.t('Show Details');
    const message = exitCodes.every((code) => code === 0)
      ? vscode.l10n.t('Every hardcoded key was moved to .env.')
      : exitCodes.some((code) => code === 2)
        ? vscode.l10n.t('Fixing keys failed in some folders; nothing was changed there.')
        : vscode.l10n.t('Some keys need a human; the rest were moved to .env.');
    void vscode.window.showInformationMessage(message, show).then((choice) => {
      if (choice === show) output.show();
    });
    return { ran: true, exitCodes, summary };
  });
  return vscode.Disposable.from(command, output);
}
