// A leaked key's organisation record where the key is: hovering a `hardcoded-key` diagnostic shows "This key is
// ACTIVE: 'ci-prod' in workspace Production, created by …" when its hint matches exactly one organisation key of
// the inventory's last read (no request). Its own hover provider, so it needs nothing from the diagnostics layer;
// the diagnostic's message can carry the same sentence once the diagnostics call describeLeakRecord.
import * as vscode from 'vscode';
import { keyHint } from '../core/hint';
import { isOurDiagnostic } from './diagnosticComputer';
import { describeLeakRecord, type KeyInventory } from './keyInventory';

class LeakRecordHoverProvider implements vscode.HoverProvider {
  constructor(private readonly inventory: KeyInventory) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const diagnostic = vscode.languages.getDiagnostics(document.uri).find((candidate) => isOurDiagnostic(candidate, 'hardcoded-key') && candidate.range.contains(position));
    if (!diagnostic) return undefined;
    const record = this.inventory.recordForHint(keyHint(document.getText(diagnostic.range)));
    if (!record) return undefined;
    // The key's name is the organisation's text: escaped, so it renders as text (appendText would turn spaces into
    // &nbsp;, which screen readers and copies get wrong). The string is not trusted: no command link can run.
    const text = describeLeakRecord(record).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return new vscode.Hover(new vscode.MarkdownString(text), diagnostic.range);
  }
}

export function registerLeakRecordHover(inventory: KeyInventory): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new LeakRecordHoverProvider(inventory));
}
