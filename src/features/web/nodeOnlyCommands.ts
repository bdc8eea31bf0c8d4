// The commands that need Node or git, as the web build registers them (vscode.dev, github.dev, code-server's web
// worker host): hidden from the menus there by their `when` clauses (package.json), and, if run anyway (a
// keybinding, a walkthrough link, another extension), each answers with one message that says what it needs and
// where it works, and returns a result saying so. Nothing runs half-way.
import * as vscode from 'vscode';

/** What a command needs that the web build does not have. */
export type NodeNeed = 'git' | 'terminals' | 'rotation' | 'fix-all' | 'admin-api';

/** Every command the web build answers this way, with what it needs. The manifest test checks that each is hidden
 * in the web by its `when` clause, and the web suite runs each one. */
export const NODE_ONLY_COMMANDS: Readonly<Record<string, NodeNeed>> = {
  'anthropicKeyHygiene.installPreCommitHook': 'git',
  'anthropicKeyHygiene.installPrePushHook': 'git',
  'anthropicKeyHygiene.scanHistory': 'git',
  'anthropicKeyHygiene.rotateLeakedKey': 'git',
  'anthropicKeyHygiene.stopTracking': 'git',
  // Claude Code settings fixes (issue 13): git must say that settings.local.json is ignored before a key moves there.
  'anthropicKeyHygiene.moveKeyToClaudeLocalSettings': 'git',
  'anthropicKeyHygiene.useClaudeApiKeyHelper': 'git',
  'anthropicKeyHygiene.ignoreClaudeLocalSettings': 'git',
  'anthropicKeyHygiene.useStoredKeyInTerminals': 'terminals',
  // Rotation replaces the key in the workspace's .env files with core/admin/rotation.ts, which writes with Node.
  'anthropicKeyHygiene.rotateKey': 'rotation',
  // Fix All runs core/fixes/engine.ts over the files on disk (the CLI's scan); the web build fixes file by file.
  'anthropicKeyHygiene.fixAllInWorkspace': 'fix-all',
  // The organisation's keys (issue 17): not wired in the web build.
  'anthropicKeyHygiene.refreshKeys': 'admin-api',
  'anthropicKeyHygiene.deactivateKey': 'admin-api',
  'anthropicKeyHygiene.reactivateKey': 'admin-api',
  'anthropicKeyHygiene.archiveKey': 'admin-api',
};

/** The context key the Node build sets: menus show a Node-only command where it is set, or outside the browser. */
export const NODE_HOST_CONTEXT_KEY = 'anthropicKeyHygiene.nodeHost';

export interface UnavailableResult {
  ok: false;
  reason: 'unavailable-in-browser';
  message: string;
}

/** The one message for a command that needs `need`: what it needs, and where it works instead. */
export function unavailableMessage(need: NodeNeed): string {
  switch (need) {
    case 'git':
      return vscode.l10n.t(
        'This command runs git, which VS Code for the Web does not have. Run it in desktop VS Code or a remote window (Codespaces, a container), or use the CLI: npx anthropic-key-hygiene scan.',
      );
    case 'terminals':
      return vscode.l10n.t('VS Code for the Web has no terminals to give the key to. Run this command in desktop VS Code or a remote window.');
    case 'rotation':
      return vscode.l10n.t(
        'Rotate API Key replaces the key in the workspace’s .env files with Node, which VS Code for the Web does not have. Rotate in desktop VS Code or a remote window; Store, Verify, List and Remove API Key work here.',
      );
    case 'fix-all':
      return vscode.l10n.t(
        'Fix All Hardcoded Keys in Workspace needs Node, which VS Code for the Web does not have. Here, fix each file with its quick fixes (Ctrl+.) or with Fix All in the file; or run it in desktop VS Code, or run npx anthropic-key-hygiene fix.',
      );
    case 'admin-api':
      return vscode.l10n.t('The organization’s keys (the Admin API) are not read in VS Code for the Web. Use desktop VS Code or a remote window.');
  }
}

/** Registers every Node-only command as one that answers with its message. `show` is how the message is shown
 * (the key commands' notifications, so the tests see it like any other). */
export function registerNodeOnlyCommands(show: (message: string) => void): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(NODE_ONLY_COMMANDS).map(([command, need]) =>
      vscode.commands.registerCommand(command, (): UnavailableResult => {
        const message = unavailableMessage(need);
        show(message);
        return { ok: false, reason: 'unavailable-in-browser', message };
      }),
    ),
  );
}
