// What needs Node or git is not offered in the web: each such command answers with one message (and a result that
// says so) when run anyway, and is hidden from the Command Palette there by its `when` clause.
import * as vscode from 'vscode';
import { NODE_HOST_CONTEXT_KEY, NODE_ONLY_COMMANDS, type UnavailableResult } from '../../src/features/web/nodeOnlyCommands';
import * as assert from './assert';
import { EXTENSION_ID, activateExtension } from './helpers';

describe('Commands that need Node or git, in the web', () => {
  before(async () => {
    await activateExtension();
  });

  for (const [command, need] of Object.entries(NODE_ONLY_COMMANDS)) {
    it(`${command} answers with one message saying it needs ${need}`, async () => {
      const api = await activateExtension();
      const before = api.notificationsForTests?.length ?? 0;
      const result = await vscode.commands.executeCommand<UnavailableResult>(command);
      assert.equal(result.ok, false);
      assert.equal(result.reason, 'unavailable-in-browser');
      assert.match(result.message, /VS Code for the Web/);
      assert.deepEqual(api.notificationsForTests?.slice(before), [result.message], 'exactly that message was shown, once');
    });
  }

  it('hides each of them from the Command Palette in the browser unless a Node host runs the extension', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: { commandPalette: Array<{ command: string; when?: string }> } } };
    for (const command of Object.keys(NODE_ONLY_COMMANDS)) {
      const entry = manifest.contributes.menus.commandPalette.find((item) => item.command === command);
      assert.ok(entry?.when, `${command} has a when clause`);
      // Shown outside the browser, or where the Node build announced itself; never in the web worker host alone.
      assert.match(entry.when, new RegExp(`(!isWeb|false)`), `${command}: ${entry.when}`);
      if (entry.when !== 'false') assert.match(entry.when, new RegExp(NODE_HOST_CONTEXT_KEY.replace('.', '\\.')), `${command}: ${entry.when}`);
    }
  });
});
