// Which rewrite family a file gets, its comment syntax, and the edit applier they all rely on.
import { strict as assert } from 'node:assert';
import { applyEdits, mergeEdits } from '../../src/core/fixes/edits';
import { commentSyntax, fixLanguageFor, type FixLanguage } from '../../src/core/fixes/languages';

describe('fixLanguageFor', () => {
  const byName: Record<string, FixLanguage> = {
    'src/app.ts': 'javascript',
    'App.tsx': 'javascript',
    'index.mjs': 'javascript',
    'lib.cjs': 'javascript',
    'Chat.vue': 'javascript',
    'Page.svelte': 'javascript',
    'main.py': 'python',
    'analysis.ipynb': 'python',
    'main.go': 'go',
    'Main.java': 'java',
    'Main.kt': 'kotlin',
    'build.gradle.kts': 'kotlin',
    'Program.cs': 'csharp',
    'app.rb': 'ruby',
    'Gemfile': 'ruby',
    'index.php': 'php',
    'main.rs': 'rust',
    'run.sh': 'shell',
    'setup.bash': 'shell',
    '.zshrc': 'shell',
    '.envrc': 'shell',
    '.env.local': 'shell',
    'Dockerfile': 'dockerfile',
    'Dockerfile.dev': 'dockerfile',
    'prod.Dockerfile': 'dockerfile',
    'api.dockerfile': 'dockerfile',
    'Containerfile': 'dockerfile',
    'docker-compose.yml': 'compose',
    'docker-compose.override.yaml': 'compose',
    'compose.yaml': 'compose',
    '.github/workflows/ci.yml': 'github-actions',
    'C:\\repo\\.github\\workflows\\release.yaml': 'github-actions',
    '.github/dependabot.yml': 'config',
    'README.md': 'prose',
    'notes.txt': 'prose',
    'docs/index.rst': 'prose',
    'package.json': 'config',
    'config.yaml': 'config',
    'pyproject.toml': 'config',
    'settings.ini': 'config',
    'unknown.xyz': 'config',
  };
  for (const [fileName, expected] of Object.entries(byName)) {
    it(`puts ${fileName} in the ${expected} family`, () => assert.equal(fixLanguageFor(fileName), expected));
  }

  it('lets the language id decide where the name says nothing', () => {
    assert.equal(fixLanguageFor('Untitled-1', 'typescript'), 'javascript');
    assert.equal(fixLanguageFor('notebook.ipynb#cell', 'python'), 'python');
    assert.equal(fixLanguageFor('script', 'shellscript'), 'shell');
  });

  it('lets a workflow or compose path win over the yaml language id', () => {
    assert.equal(fixLanguageFor('.github/workflows/ci.yml', 'yaml'), 'github-actions');
    assert.equal(fixLanguageFor('docker-compose.yml', 'yaml'), 'compose');
  });
});

describe('commentSyntax', () => {
  it('gives each family its comment', () => {
    assert.deepEqual(commentSyntax('javascript'), { line: '//' });
    assert.deepEqual(commentSyntax('python'), { line: '#' });
    assert.deepEqual(commentSyntax('dockerfile'), { line: '#' });
    assert.deepEqual(commentSyntax('prose', 'README.md'), { block: ['<!--', '-->'] });
    assert.deepEqual(commentSyntax('config', 'a.toml'), { line: '#' });
    assert.deepEqual(commentSyntax('config', 'tsconfig.jsonc'), { line: '//' });
  });

  it('has none for JSON, plain text and unknown config', () => {
    assert.equal(commentSyntax('config', 'package.json'), undefined);
    assert.equal(commentSyntax('config', undefined, 'json'), undefined);
    assert.equal(commentSyntax('prose', 'notes.txt'), undefined);
    assert.equal(commentSyntax('config', 'data.xyz'), undefined);
  });
});

describe('applyEdits', () => {
  it('applies edits given in any order against the original offsets', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 1, newText: 'AA' }]), 'AAbcdEf');
  });

  it('keeps insertions at the same offset in the given order, before a replacement there', () => {
    const edits = [
      { start: 2, end: 3, newText: 'C' },
      { start: 2, end: 2, newText: '1' },
      { start: 2, end: 2, newText: '2' },
    ];
    assert.equal(applyEdits('abcd', edits), 'ab12Cd');
  });

  it('rejects overlapping or out-of-range edits', () => {
    assert.throws(() => applyEdits('abcd', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), /overlap/);
    assert.throws(() => applyEdits('abcd', [{ start: 3, end: 9, newText: '' }]), /outside/);
  });
});

describe('mergeEdits', () => {
  it('keeps identical edits from two fixes once', () => {
    const importOs = { start: 0, end: 0, newText: 'import os\n' };
    const merged = mergeEdits([importOs, { start: 4, end: 9, newText: 'a' }, importOs, { start: 12, end: 15, newText: 'b' }]);
    assert.deepEqual(merged, [importOs, { start: 4, end: 9, newText: 'a' }, { start: 12, end: 15, newText: 'b' }]);
  });

  it('refuses overlapping edits and two different insertions at one offset', () => {
    assert.equal(mergeEdits([{ start: 0, end: 5, newText: 'a' }, { start: 3, end: 8, newText: 'b' }]), undefined);
    assert.equal(mergeEdits([{ start: 2, end: 2, newText: 'a' }, { start: 2, end: 2, newText: 'b' }]), undefined);
  });
});
