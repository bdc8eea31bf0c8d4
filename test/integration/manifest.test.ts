// The manifest and the code must agree (markdown-language-features' manifest.test.ts): every contributed
// command is registered at activation and categorised, every registered command is contributed or
// deliberately hidden, every setting the code reads is contributed, and every setting is described.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { SETTING_KEYS } from '../../src/features/settings';
import { EXTENSION_ID, activateExtension } from './helpers';

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus?: { commandPalette?: Array<{ command: string; when?: string }> };
    configuration: { properties: Record<string, { type?: string; markdownDescription?: string; description?: string }> };
  };
}

const extensionPath = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
const manifest = (): Manifest => JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8'));
const nls = (): Record<string, string> => JSON.parse(readFileSync(join(extensionPath(), 'package.nls.json'), 'utf8'));

/** Command ids passed to registerCommand anywhere in src/. */
function commandsRegisteredInSource(): string[] {
  const ids = new Set<string>();
  const srcDir = join(extensionPath(), 'src');
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath ?? entry.path, entry.name), 'utf8');
    for (const match of text.matchAll(/register(?:TextEditor)?Command\(\s*'([^']+)'/g)) ids.add(match[1]);
  }
  return [...ids];
}

describe('The manifest', () => {
  before(async () => {
    await activateExtension();
  });

  it('registers every contributed command at activation, each with the category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const { commands } = manifest().contributes;
    assert.ok(commands.length > 0);
    for (const command of commands) {
      assert.ok(registered.has(command.command), `${command.command} is registered`);
      assert.equal(command.category, '%category%', `${command.command} has the category`);
      assert.match(command.title, /^%.+%$/, `${command.command}'s title is localisable`);
      assert.ok(nls()[command.title.slice(1, -1)], `${command.title} is in package.nls.json`);
    }
    assert.equal(nls().category, 'Anthropic Key Hygiene');
  });

  it('contributes every command the code registers, or hides it from the palette on purpose', () => {
    const contributed = new Set(manifest().contributes.commands.map((command) => command.command));
    const hidden = new Set((manifest().contributes.menus?.commandPalette ?? []).filter((item) => item.when === 'false').map((item) => item.command));
    const registered = commandsRegisteredInSource();
    assert.ok(registered.length > 0, 'the source registers commands');
    for (const id of registered) assert.ok(contributed.has(id) || hidden.has(id), `${id} is contributed or hidden`);
  });

  it('gives every setting the prefix, a type and a localised description', () => {
    const properties = manifest().contributes.configuration.properties;
    for (const [key, schema] of Object.entries(properties)) {
      assert.ok(key.startsWith('anthropicKeyHygiene.'), `${key} has the prefix`);
      assert.ok(schema.type, `${key} has a type`);
      const description = schema.markdownDescription ?? schema.description;
      assert.match(description ?? '', /^%.+%$/, `${key} has a localisable description`);
      assert.ok(nls()[description!.slice(1, -1)], `${key}'s description is in package.nls.json`);
    }
    // Both ways: every key the code reads is contributed, and every contributed key is one the code reads.
    assert.deepEqual(
      Object.keys(properties).sort(),
      SETTING_KEYS.map((key) => `anthropicKeyHygiene.${key}`).sort(),
    );
  });

  it('walks a new user through commands that exist, with pages and pictures that exist', () => {
    const { contributes } = JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8')) as {
      contributes: Manifest['contributes'] & { walkthroughs: Array<{ steps: Array<{ id: string; media: { markdown: string }; completionEvents: string[] }> }> };
    };
    const commands = new Set(contributes.commands.map((command) => command.command));
    const steps = contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.ok(steps.length >= 5);
    for (const step of steps) {
      const page = join(extensionPath(), step.media.markdown);
      assert.ok(existsSync(page), `${step.id}: ${step.media.markdown} exists`);
      // The pictures a page shows, `![…](../demo/walkthrough-store.png)`, relative to the page.
      for (const [, picture] of readFileSync(page, 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        assert.ok(existsSync(join(dirname(page), picture)), `${step.id}: the picture ${picture} exists`);
      }
      for (const event of step.completionEvents) assert.ok(commands.has(event.replace(/^onCommand:/, '')), `${step.id} completes on a contributed command`);
    }
  });

  it('activates on startup rather than on every event', () => {
    const events: string[] = JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8')).activationEvents;
    assert.ok(!events.includes('*'));
  });
});
