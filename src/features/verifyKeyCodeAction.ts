// "Verify whether this key is live" on a hardcoded-key diagnostic: a leaked key that still works is an
// emergency, a revoked one is only clutter. The action passes the key's location, not the key, so the
// secret is never part of a command argument; Verify API Key reads it from the document when run.
import * as vscode from 'vscode';
import { normaliseKey } from '../core/keyInput';
import { isOurDiagnostic } from './diagnosticComputer';

export class VerifyKeyCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (!isOurDiagnostic(diagnostic, 'hardcoded-key')) continue;
      // OAuth and session tokens cannot be checked with the API's key header; offer nothing for them.
      if (!normaliseKey(document.getText(diagnostic.range)).ok) continue;
      const action = new vscode.CodeAction(vscode.l10n.t('Verify whether this key is live'), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = {
        command: 'anthropicKeyHygiene.verifyKey',
        title: action.title,
        arguments: [{ uri: document.uri, range: diagnostic.range }],
      };
      actions.push(action);
    }
    return actions;
  }
}

/** `documents`: the web build passes its own (its files have URIs of other schemes than file:). */
export function registerVerifyKeyCodeAction(documents: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }]): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(documents, new VerifyKeyCodeActionProvider(), {
    providedCodeActionKinds: VerifyKeyCodeActionProvider.providedCodeActionKinds,
  });
}
