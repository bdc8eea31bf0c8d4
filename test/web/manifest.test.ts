// The manifest and the web build agree: every contributed command is registered when the browser entry activates
// (either as itself or as one that says it needs Node), and the view that needs the Admin API is hidden there.
import * as vscode from 'vscode';
import { NODE_ONLY_COMMANDS, NODE_HOST_CONTEXT_KEY } from '../../src/features/web/nodeOnlyCommands';
import * as assert from './assert';
import { EXTENSION_ID, activateExtension } from './helpers';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    views: { explorer: Array<{ id: string; when?: string }> };
    menus: { commandPalette: Array<{ command: string; when?: string }> };
  };
  capabilities: { virtualWorkspaces: { supported: boolean | 'limited'; description?: string } };
}

describe('The manifest, in the web', () => {
  const manifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;

  before(async () => {
    await activateExtension();
  });

  it('registers every contributed command when the browser entry activates', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of manifest().contributes.commands) assert.ok(registered.has(command), `${command} is registered in the web build`);
  });

  it('hides every command that needs Node from the palette in the browser, and nothing else', () => {
    const webHidden = manifest()
      .contributes.menus.commandPalette.filter((item) => item.when !== 'false' && item.when?.includes('!isWeb'))
      .map((item) => item.command)
      .sort();
    // Commands hidden everywhere ("when": "false": run by quick fixes and notifications only) need no web clause.
    const hiddenEverywhere = new Set(manifest().contributes.menus.commandPalette.filter((item) => item.when === 'false').map((item) => item.command));
    const nodeOnly = Object.keys(NODE_ONLY_COMMANDS).filter((command) => !hiddenEverywhere.has(command));
    assert.deepEqual(webHidden, nodeOnly.sort(), 'the when clauses and NODE_ONLY_COMMANDS name the same commands');
    for (const item of manifest().contributes.menus.commandPalette.filter((entry) => entry.when?.includes('!isWeb'))) {
      assert.ok(item.when!.includes(NODE_HOST_CONTEXT_KEY), `${item.command} shows where the Node build runs, also in a browser workbench`);
    }
  });

  it('hides the Anthropic Keys view (the Admin API) in the browser, and declares virtual workspaces supported', () => {
    const view = manifest().contributes.views.explorer.find((entry) => entry.id === 'anthropicKeyHygiene.keys');
    assert.equal(view?.when, `!isWeb || ${NODE_HOST_CONTEXT_KEY}`);
    const { virtualWorkspaces } = manifest().capabilities;
    assert.ok(virtualWorkspaces.supported === true || virtualWorkspaces.supported === 'limited');
  });
});
