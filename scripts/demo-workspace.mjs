// Builds the demo workspace `npm start` opens: a git repository with planted fake keys (generated here,
// at run time, from a seeded generator; nothing key-shaped is committed to this project).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeKey } from './fake-keys.mjs';

// Built from parts, like the keys, so this project's own scan stays clean.
const PUBLIC_KEY_VARIABLE = ['NEXT', 'PUBLIC', 'ANTHROPIC', 'API', 'KEY'].join('_');
const BROWSER_OPTION = 'dangerously' + 'AllowBrowser';

export function createDemoWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const files = {
    '.gitignore': 'node_modules/\n.env\n',
    '.env': `ANTHROPIC_API_KEY=${fakeKey(11)}\n`, // ignored: where a key belongs, so not flagged
    '.env.local': `ANTHROPIC_API_KEY=${fakeKey(12)}\n`, // not ignored: flagged twice
    'src/client.ts': `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({\n  apiKey: '${fakeKey(13)}',\n});\n\nexport default client;\n`,
    'src/browser.ts': `import Anthropic from '@anthropic-ai/sdk';\n\nexport const client = new Anthropic({\n  apiKey: process.env.${PUBLIC_KEY_VARIABLE},\n  ${BROWSER_OPTION}: true,\n});\n`,
    'scripts/summarise.py': `import anthropic\n\nclient = anthropic.Anthropic(api_key="${fakeKey(14)}")\n`,
    'README.md': '# Demo\n\nSet `ANTHROPIC_API_KEY=sk-ant-api03-your-key-here` in `.env` (placeholders are not flagged).\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=demo', '-c', 'user.email=demo@example.invalid', 'add', '.gitignore', 'README.md');
  git('-c', 'user.name=demo', '-c', 'user.email=demo@example.invalid', 'commit', '-q', '-m', 'demo');
  return dir;
}

/**
 * The workspace of the README's stepwise demo (test/screenshots/demo.ts): a small committed app whose client
 * has an empty `apiKey` for the demo to paste a key into; no .env yet, and .gitignore does not mention one.
 */
export function createStepsWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const files = {
    '.gitignore': 'node_modules/\n',
    'package.json': '{\n  "name": "chat-app",\n  "private": true,\n  "dependencies": { "@anthropic-ai/sdk": "^1.14.0" }\n}\n',
    'src/client.ts': `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({\n  apiKey: '',\n});\n\nexport default client;\n`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=demo', '-c', 'user.email=demo@example.invalid', 'commit', '-q', '-m', 'demo');
  return dir;
}
