// The fixes for a key in Claude Code's project settings (issue 13), on real repositories and real files: the key is
// stored (git-ignored, read back) before settings.json loses it, and every other byte of both files is kept.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClaudeSettingsError,
  localSettingsPath,
  planApiKeyHelper,
  planLocalSettings,
  planRemoveEnvEntry,
  settingsEnvEntryAt,
  storeInLocalSettings,
} from '../../../../src/core/fixes/claudeSettings';
import { applyEdits } from '../../../../src/core/fixes/edits';
import { createGitRunner } from '../../../../src/core/git';
import { fakeKey } from '../../../support/fakeKeys';
import { tempTree, type TempTree } from '../../../support/tempRepo';

const key = fakeKey(61);

/** settings.json text with the key, and the key's range in it. */
function settingsWith(text: string): { text: string; start: number; end: number } {
  const start = text.indexOf(key);
  return { text, start, end: start + key.length };
}

describe('settingsEnvEntryAt', () => {
  it('finds the env entry whose value is the key, and nothing for a key anywhere else', () => {
    const { text, start, end } = settingsWith(`{\n  "env": {\n    "ANTHROPIC_API_KEY": "${key}"\n  }\n}\n`);
    assert.equal(settingsEnvEntryAt(text, start, end)?.name, 'ANTHROPIC_API_KEY');
    const elsewhere = settingsWith(`{ "notes": "${key}" }`);
    assert.equal(settingsEnvEntryAt(elsewhere.text, elsewhere.start, elsewhere.end), undefined);
    const commented = settingsWith(`{ // c\n "env": { "K": "${key}" } }`);
    assert.equal(settingsEnvEntryAt(commented.text, commented.start, commented.end), undefined, 'not strict JSON: left to a human');
  });
});

describe('planRemoveEnvEntry and planApiKeyHelper', () => {
  const layouts = [
    `{\n  "env": {\n    "ANTHROPIC_API_KEY": "${key}"\n  }\n}\n`,
    `{\n  "env": {\n    "A": "1",\n    "ANTHROPIC_API_KEY": "${key}",\n    "B": "2"\n  },\n  "model": "opus"\n}\n`,
    `{\r\n\t"env": {\r\n\t\t"A": "1",\r\n\t\t"ANTHROPIC_API_KEY": "${key}"\r\n\t}\r\n}\r\n`,
    `{"permissions":{"allow":["Bash(ls)"]},"env":{"ANTHROPIC_API_KEY":"${key}","A":"1"}}`,
  ];
  for (const [index, layout] of layouts.entries()) {
    it(`takes the entry out and keeps everything else, byte for byte around it (layout ${index + 1})`, () => {
      const { text, start, end } = settingsWith(layout);
      const entry = settingsEnvEntryAt(text, start, end)!;
      const after = applyEdits(text, planRemoveEnvEntry(text, entry)!);
      assert.ok(!after.includes(key));
      const expected = JSON.parse(text);
      delete expected.env.ANTHROPIC_API_KEY;
      assert.deepEqual(JSON.parse(after), expected);
      // Only the entry's own bytes (and one separator) went.
      assert.ok(text.length - after.length <= `"ANTHROPIC_API_KEY": "${key}",`.length + 8);

      const helper = applyEdits(text, planApiKeyHelper(text, entry, 'ANTHROPIC_API_KEY')!);
      assert.deepEqual(JSON.parse(helper), { ...expected, apiKeyHelper: 'printenv ANTHROPIC_API_KEY' });
      assert.equal(helper.includes('\r\n') || !text.includes('\r\n'), true, 'line endings kept');
    });
  }

  it('does not replace an apiKeyHelper the settings already name', () => {
    const { text, start, end } = settingsWith(`{ "apiKeyHelper": "~/bin/key", "env": { "ANTHROPIC_API_KEY": "${key}" } }`);
    assert.equal(planApiKeyHelper(text, settingsEnvEntryAt(text, start, end)!, 'ANTHROPIC_API_KEY'), undefined);
  });
});

describe('planLocalSettings', () => {
  it('creates the file, adds an env block or an entry to it, and keeps every other byte', () => {
    const created = planLocalSettings(undefined, 'ANTHROPIC_API_KEY', key);
    assert.ok('text' in created && JSON.parse(created.text).env.ANTHROPIC_API_KEY === key);
    const noEnv = '{\n  "permissions": {\n    "allow": []\n  }\n}\n';
    const withEnv = planLocalSettings(noEnv, 'ANTHROPIC_API_KEY', key);
    assert.ok('text' in withEnv);
    assert.deepEqual(JSON.parse(withEnv.text), { permissions: { allow: [] }, env: { ANTHROPIC_API_KEY: key } });
    assert.ok(withEnv.text.startsWith('{\n  "permissions": {\n    "allow": []\n  }'));
    const other = '{\n  "env": {\n    "DEBUG": "1"\n  }\n}\n';
    const added = planLocalSettings(other, 'ANTHROPIC_API_KEY', key);
    assert.ok('text' in added);
    assert.equal(added.text, `{\n  "env": {\n    "DEBUG": "1",\n    "ANTHROPIC_API_KEY": "${key}"\n  }\n}\n`);
  });

  it('refuses a variable that already holds another value, and a file that is not plain JSON; holds this key: unchanged', () => {
    assert.deepEqual(planLocalSettings(`{ "env": { "ANTHROPIC_API_KEY": "${fakeKey(62)}" } }`, 'ANTHROPIC_API_KEY', key), { refused: 'local-settings-differ' });
    assert.deepEqual(planLocalSettings('{ "env": [] }', 'ANTHROPIC_API_KEY', key), { refused: 'local-settings-unusable' });
    assert.deepEqual(planLocalSettings('{ /* mine */ }', 'ANTHROPIC_API_KEY', key), { refused: 'local-settings-unusable' });
    assert.deepEqual(planLocalSettings(`{ "env": { "ANTHROPIC_API_KEY": "${key}" } }`, 'ANTHROPIC_API_KEY', key), { unchanged: true });
  });
});

describe('storeInLocalSettings', () => {
  let tree: TempTree;
  const git = createGitRunner();
  beforeEach(() => (tree = tempTree({ gitInit: true })));
  afterEach(() => tree.remove());
  const context = () => ({ git, allowGit: true, root: tree.root });

  it('git-ignores settings.local.json first, then writes the key there and reads it back', async () => {
    const settings = tree.write('.claude/settings.json', `{ "env": { "ANTHROPIC_API_KEY": "${key}" } }\n`);
    tree.write('.gitignore', 'node_modules/\n');
    const result = await storeInLocalSettings(settings, 'ANTHROPIC_API_KEY', key, context());
    assert.equal(result.created, true);
    assert.equal(result.ignore.status, 'added');
    assert.equal(readFileSync(join(tree.root, '.gitignore'), 'utf8'), 'node_modules/\n/.claude/settings.local.json\n');
    assert.equal(JSON.parse(readFileSync(localSettingsPath(settings), 'utf8')).env.ANTHROPIC_API_KEY, key);
    // git agrees: the file would not be committed.
    assert.equal(tree.git('status', '--porcelain', '--untracked-files=all').includes('settings.local.json'), false);
  });

  it('writes nothing when settings.local.json is tracked: the key would be committed from there', async () => {
    const settings = tree.write('.claude/settings.json', '{}\n');
    tree.write('.claude/settings.local.json', '{}\n');
    tree.git('add', '.claude/settings.local.json');
    await assert.rejects(storeInLocalSettings(settings, 'ANTHROPIC_API_KEY', key, context()), (error: ClaudeSettingsError) => error.reason === 'not-ignored');
    assert.equal(readFileSync(localSettingsPath(settings), 'utf8'), '{}\n');
  });

  it('writes nothing when git may not run (an untrusted workspace): tracking state is unknown', async () => {
    const settings = tree.write('.claude/settings.json', '{}\n');
    await assert.rejects(storeInLocalSettings(settings, 'ANTHROPIC_API_KEY', key, { ...context(), allowGit: false }), (error: ClaudeSettingsError) => error.reason === 'not-ignored');
    assert.equal(existsSync(localSettingsPath(settings)), false);
  });

  it('never writes through a settings.local.json that is a symbolic link', async () => {
    const settings = tree.write('.claude/settings.json', '{}\n');
    const target = tree.write('elsewhere.json', '{}\n');
    symlinkSync(target, localSettingsPath(settings));
    tree.write('.gitignore', '/.claude/settings.local.json\n');
    await assert.rejects(storeInLocalSettings(settings, 'ANTHROPIC_API_KEY', key, context()), (error: ClaudeSettingsError) => error.reason === 'unsafe-path');
    assert.equal(readFileSync(target, 'utf8'), '{}\n');
  });

  it('refuses to overwrite a different value of the variable in settings.local.json, keeping the file', async () => {
    const settings = tree.write('.claude/settings.json', '{}\n');
    const other = `{ "env": { "ANTHROPIC_API_KEY": "${fakeKey(63)}" } }\n`;
    tree.write('.claude/settings.local.json', other);
    tree.write('.gitignore', '.claude/settings.local.json\n');
    await assert.rejects(storeInLocalSettings(settings, 'ANTHROPIC_API_KEY', key, context()), (error: ClaudeSettingsError) => error.reason === 'local-settings-differ');
    assert.equal(readFileSync(localSettingsPath(settings), 'utf8'), other);
  });
});
