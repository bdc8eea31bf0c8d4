// Which rewrite family a file gets, and its comment syntax.
import { strict as assert } from 'node:assert';
import { commentSyntax, fixLanguageFor, type FixLanguage } from '../../../../src/core/fixes/languages';

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
