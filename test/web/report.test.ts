// The Key Hygiene Report in the web worker host: the same checklist over what the web build knows. The scan's
// findings and the .env files come through workspace.fs; what needs git (the hook, the history) says so instead of
// offering a button that cannot work here, and the .env item says once that tracking cannot be known.
import * as vscode from 'vscode';
import { CHECKLIST_IDS } from '../../src/core/report/checklist';
import * as assert from './assert';
import { activateExtension } from './helpers';

function markdownVerdicts(markdown: string): Record<string, string> {
  return Object.fromEntries([...markdown.matchAll(/`([a-z-]+)`: (pass|fail|unknown) \|/g)].map((match) => [match[1], match[2]]));
}

/** One item's section of the exported Markdown (after the summary table, which names every title too). */
function section(markdown: string, title: string): string {
  const heading = markdown.split('\n').findIndex((line) => line.startsWith('## ') && line.endsWith(` ${title}`));
  assert.ok(heading >= 0, `a section for ${title}`);
  const lines = markdown.split('\n').slice(heading);
  const end = lines.findIndex((line, index) => index > 0 && line.startsWith('## '));
  return lines.slice(0, end < 0 ? undefined : end).join('\n');
}

describe('The Key Hygiene Report in the web', () => {
  before(async () => {
    await activateExtension();
    // The suites before this one left hardcoded keys and unignored .env files in the workspace.
    await vscode.commands.executeCommand('anthropicKeyHygiene.scanWorkspace');
  });

  it('judges the workspace from the web scan and says what it cannot know, offering no command that needs Node', async () => {
    const markdown = await vscode.commands.executeCommand<string>('anthropicKeyHygiene.exportReport', { interactive: false });
    const verdicts = markdownVerdicts(markdown);
    assert.deepEqual(Object.keys(verdicts).sort(), [...CHECKLIST_IDS].sort(), 'every item is judged');
    // The workspace scan of the web build counts as a scan of the whole workspace.
    assert.equal(verdicts['no-hardcoded-keys'], 'fail');
    assert.equal(verdicts['env-files-ignored'], 'fail');
    assert.match(section(markdown, 'Every .env file ignored and untracked'), /Whether git tracks a file cannot be known in VS Code for the Web/);
    assert.equal(verdicts['pre-commit-guard'], 'unknown');
    assert.match(section(markdown, 'Pre-commit guard installed'), /Git hooks cannot be checked or installed in VS Code for the Web/);
    assert.equal(verdicts['no-key-in-history'], 'unknown');
    assert.match(section(markdown, 'No key in git history'), /Git history cannot be read in VS Code for the Web/);
    assert.doesNotMatch(markdown, /Fix: (Install Pre-commit Hook|Scan Git History|Rotate |Fix All Hardcoded Keys)/);
    assert.match(section(markdown, 'No hardcoded keys'), /Fix: Show Problems/, 'the keys are fixed file by file here');
  });

  it('renders in a webview in the browser and says what it rendered', async () => {
    const api = await activateExtension();
    const shown = await vscode.commands.executeCommand<{ id: string; verdict: string }[]>('anthropicKeyHygiene.showReport');
    const rendered = await api.reportForTests!.waitForRendered((items) => items.length === CHECKLIST_IDS.length);
    assert.deepEqual(
      rendered.map((item) => `${item.id}:${item.verdict}`).sort(),
      shown.map((item) => `${item.id}:${item.verdict}`).sort(),
      'the webview shows the verdicts the command returned',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
