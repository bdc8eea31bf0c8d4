// "Rotate this key": a quick fix on a hardcoded-key diagnostic whose key git history also holds. Moving such a key
// out of the file is not enough (every clone has it), so the fix that matters is rotating it; this runs Rotate Key
// Found in Git History with the key's hint filled in (src/features/gitHistory.ts), never with the key.
//
// keyFixes.ts puts it first among a hardcoded key's quick fixes, ahead of moving the key to .env.
import * as vscode from 'vscode';
import { keyHint } from '../core/hint';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnosticComputer';
import type { GitHistory } from './gitHistory';

/** The "Rotate this key" action for one diagnostic, or undefined when it is no hardcoded key or history lacks it. */
export function rotateActionFor(history: GitHistory, document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || ruleIdOf(diagnostic) !== 'hardcoded-key') return undefined;
  // The diagnostic's range is the key: its hint is all that leaves this function.
  const hint = keyHint(document.getText(diagnostic.range));
  const entry = history.index().get(hint);
  if (!entry) return undefined;
  const action = new vscode.CodeAction(vscode.l10n.t('Rotate this key: it is already in commit {0}', entry.commit.shortId), vscode.CodeActionKind.QuickFix);
  action.command = { command: 'anthropicKeyHygiene.rotateLeakedKey', title: action.title, arguments: [{ hint }] };
  action.diagnostics = [diagnostic];
  return action;
}
