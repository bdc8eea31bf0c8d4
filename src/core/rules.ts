// The rule registry: every fact about a rule, declared once (gitleaks' config.Rule, secretlint's rule objects).
// The engine takes severities from here, the CLI's text, JSON and SARIF formats their metadata, the diagnostics
// their docs links and setting keys, the settings module and the manifest test the setting names, and a unit test
// the README's rule table. Each rule carries its own true and false positives; a test runs every one of them
// through the real engine and fails when a rule has none of either or misjudges one.
//
// Examples that need a key take it from the factory the caller passes (the tests' seeded fake-key generator), so
// no credential-shaped literal is ever written here.
import type { CredentialKind, RuleId, Severity } from './findings';

export interface ExampleKeys {
  /** A fake key of the published shape (`sk-ant-api03-` + 93 + `AA`), different per seed. */
  apiKey(seed: number): string;
  adminKey(seed: number): string;
  /** A fake OAuth access token (`sk-ant-oat01-` + a long body). */
  oauthToken(seed: number): string;
}

/** One example: a file's name and text, and for the env-file rules what git says of the file. */
export interface RuleExample {
  /** Says what the example shows; used as the test's name, so it never holds a key. */
  title: string;
  fileName: string;
  text: string;
  gitState?: { ignored: boolean; tracked: boolean };
}

export interface RuleDefinition {
  id: RuleId;
  /** PascalCase, for SARIF's `name`. */
  name: string;
  /** The severity a finding of this rule gets unless the rule says otherwise (tokens of an unknown kind are warnings). */
  defaultSeverity: Severity;
  /** GitHub code scanning's 0–10 score for the rule's worst case (a live key is critical: 9.0 and above). */
  securitySeverity: string;
  /** The setting (after `anthropicKeyHygiene.`) that overrides the severity in the editor. */
  severitySetting: string;
  shortDescription: string;
  fullDescription: string;
  /** Why it matters and how to fix it, as plain text and as Markdown (SARIF `help`, hovers, docs). */
  help: { text: string; markdown: string };
  examples(keys: ExampleKeys): { truePositives: RuleExample[]; falsePositives: RuleExample[] };
}

const DOCS_BASE = 'https://github.com/key-hygiene/anthropic-key-hygiene/blob/main/docs/rules.md';

/** Where each rule is explained; the diagnostics' `code.target` and SARIF's `helpUri`. */
export function ruleDocsUrl(ruleId: RuleId): string {
  return `${DOCS_BASE}#${ruleId}`;
}

export const PROJECT_URL = 'https://github.com/key-hygiene/anthropic-key-hygiene';

/** Where each credential kind is conventionally read from: the SDKs' and Claude Code's variable names. */
export const DEFAULT_VARIABLE: Record<CredentialKind, string> = {
  'api-key': 'ANTHROPIC_API_KEY',
  'admin-key': 'ANTHROPIC_ADMIN_KEY',
  'oauth-access-token': 'CLAUDE_CODE_OAUTH_TOKEN',
  'oauth-refresh-token': 'ANTHROPIC_OAUTH_REFRESH_TOKEN',
  'session-key': 'ANTHROPIC_SESSION_KEY',
  'other-token': 'ANTHROPIC_CREDENTIAL',
};

const HARDCODED_KEY: RuleDefinition = {
  id: 'hardcoded-key',
  name: 'HardcodedKey',
  defaultSeverity: 'error',
  securitySeverity: '9.5',
  severitySetting: 'severity.hardcodedKey',
  shortDescription: 'An Anthropic API key, admin key or token is written into a file git would commit.',
  fullDescription:
    'An Anthropic credential (an API key sk-ant-api03-…, an Admin API key sk-ant-admin01-…, or an OAuth or session token) ' +
    'is written into a file that git would commit: source code, docs, notebooks, configuration, CI workflows, env templates ' +
    'or env files git does not ignore. Anything committed is copied to every clone, fork and CI log, and stays in the history ' +
    'after the line is deleted.',
  help: {
    text:
      'Move the key to a git-ignored .env file (or VS Code Secret Storage) and read it from the environment, for example ' +
      'process.env.ANTHROPIC_API_KEY or os.environ["ANTHROPIC_API_KEY"]; the Anthropic SDKs read ANTHROPIC_API_KEY themselves. ' +
      '`anthropic-key-hygiene fix` does this for every key, storing each key before its file changes. If the key was ever ' +
      'committed or shared, rotate it in the Anthropic Console: create a new key, update every application, then deactivate the old one.',
    markdown: [
      'An Anthropic credential is written into a file git would commit. Anything committed is copied to every clone, fork and',
      'CI log, and stays in the history after the line is deleted.',
      '',
      '**Fix**',
      '',
      '1. Move the key to a git-ignored `.env` (or VS Code Secret Storage) and read it from the environment:',
      '   `process.env.ANTHROPIC_API_KEY`, `os.environ["ANTHROPIC_API_KEY"]`. The SDKs read `ANTHROPIC_API_KEY` themselves,',
      '   so `new Anthropic()` needs no `apiKey`.',
      '2. Or run `npx anthropic-key-hygiene fix`, which stores every key in `.env` (made git-ignored first) before it',
      '   rewrites the code.',
      '3. If the key was ever committed or shared, rotate it in the [Anthropic Console](https://console.anthropic.com/settings/keys):',
      '   create a new key, update every application, then deactivate the old one.',
    ].join('\n'),
  },
  examples: (keys) => ({
    truePositives: [
      { title: 'an API key in a TypeScript string', fileName: 'src/client.ts', text: `const client = new Anthropic({ apiKey: '${keys.apiKey(1)}' });\n` },
      { title: 'an Admin API key in Python', fileName: 'admin.py', text: `ADMIN_KEY = "${keys.adminKey(2)}"\n` },
      { title: 'an API key in JSON configuration', fileName: 'config.json', text: `{ "anthropic": { "key": "${keys.apiKey(3)}" } }\n` },
      { title: 'an API key in Markdown prose', fileName: 'README.md', text: `Use the key ${keys.apiKey(4)} to try it.\n` },
      { title: 'an API key in an env template', fileName: '.env.example', text: `ANTHROPIC_API_KEY=${keys.apiKey(5)}\n` },
      { title: 'an OAuth token (low confidence) in a shell script', fileName: 'run.sh', text: `export CLAUDE_CODE_OAUTH_TOKEN=${keys.oauthToken(6)}\n` },
      // How keys travel once they leave source code (issue 13).
      { title: 'an API key right after a \\n escape in a JSON log line', fileName: 'app.log', text: `{"msg":"request headers:\\nx-api-key: ${keys.apiKey(9)}\\n"}\n` },
      { title: 'an API key after a percent-encoded space in an access log', fileName: 'access.log', text: `GET /proxy?auth=Bearer%20${keys.apiKey(10)}%22 HTTP/1.1\n` },
      { title: 'an API key after an ANSI colour code in a CI log', fileName: 'ci.log', text: `\x1b[32m${keys.apiKey(11)}\x1b[0m\n` },
      { title: 'the base64 of an API key in a Kubernetes Secret (a warning)', fileName: 'k8s/secret.yaml', text: `data:\n  ANTHROPIC_API_KEY: ${Buffer.from(keys.apiKey(12)).toString('base64')}\n` },
      { title: 'an API key split across adjacent string literals (a warning)', fileName: 'client.py', text: `KEY = ("${keys.apiKey(13).slice(0, 50)}"\n       "${keys.apiKey(13).slice(50)}")\n` },
      { title: 'an API key hard-wrapped across two lines of a terminal capture (a warning)', fileName: 'session.txt', text: `$ env | grep KEY\nANTHROPIC_API_KEY=${keys.apiKey(14).slice(0, 62)}\n${keys.apiKey(14).slice(62)}\n` },
      { title: "an API key in the env block of Claude Code's project settings", fileName: '.claude/settings.json', text: `{ "env": { "ANTHROPIC_API_KEY": "${keys.apiKey(15)}" } }\n` },
      { title: "an OAuth token in a copy of Claude Code's credential store (an error)", fileName: '.claude/.credentials.json', text: `{"claudeAiOauth":{"accessToken":"${keys.oauthToken(16)}"}}\n` },
      { title: "an API key in an MCP server's env block", fileName: '.mcp.json', text: `{ "mcpServers": { "docs": { "command": "npx", "env": { "ANTHROPIC_API_KEY": "${keys.apiKey(17)}" } } } }\n` },
    ],
    falsePositives: [
      { title: 'a placeholder key', fileName: 'README.md', text: 'ANTHROPIC_API_KEY=sk-ant-api03-your-key-here\n' },
      { title: 'a key hint as the Console shows it', fileName: 'notes.md', text: 'Rotated sk-ant-api03-R2D...igAA yesterday.\n' },
      { title: 'a key glued to a longer token', fileName: 'data.txt', text: `x${keys.apiKey(7)}\n` },
      { title: 'a key prefix with a short body', fileName: 'a.ts', text: "const prefix = 'sk-ant-api03-abc';\n" },
      { title: 'a key silenced by the suppression comment', fileName: 'fixture.ts', text: `// anthropic-key-hygiene-ignore\nconst k = '${keys.apiKey(8)}';\n` },
      { title: 'a key reading from the environment', fileName: 'client.py', text: 'key = os.environ["ANTHROPIC_API_KEY"]\n' },
      { title: 'a key glued to a word that ends in a letter, not an escape', fileName: 'data.txt', text: `mysk${keys.apiKey(18).slice(2)}\n` },
      { title: 'the base64 of a placeholder key', fileName: 'secret.yaml', text: `data:\n  KEY: ${Buffer.from('sk-ant-api03-your-key-here').toString('base64')}\n` },
      { title: 'string literals that do not join to a whole key', fileName: 'a.ts', text: `const key = "${keys.apiKey(19).slice(0, 50)}" + "${keys.apiKey(19).slice(50, -1)}";\n` },
      { title: "an environment reference in Claude Code's project settings", fileName: '.claude/settings.json', text: '{ "apiKeyHelper": "printenv ANTHROPIC_API_KEY" }\n' },
    ],
  }),
};

const UNIGNORED_ENV_FILE: RuleDefinition = {
  id: 'unignored-env-file',
  name: 'UnignoredEnvFile',
  defaultSeverity: 'warning',
  securitySeverity: '7.5',
  severitySetting: 'severity.unignoredEnvFile',
  shortDescription: 'A .env file is not covered by any ignore rule, so git would commit it.',
  fullDescription:
    'A .env, .env.* or *.env file that no .gitignore rule covers, so `git add .` would commit it with every key it holds. ' +
    'Templates (.env.example, .env.sample, .env.template, .env.dist) are meant to be committed and are not reported.',
  help: {
    text: 'Add the file (or a pattern such as .env* with !.env.example) to .gitignore before its keys are committed.',
    markdown: [
      'A `.env` file that no ignore rule covers: `git add .` would commit it, with every key it holds.',
      '',
      '**Fix.** Add the file to `.gitignore` (or `.env*` with `!.env.example`). In VS Code the quick fix',
      '**Add to .gitignore** appends the line, keeping every existing byte.',
    ].join('\n'),
  },
  examples: () => ({
    truePositives: [
      { title: 'a .env that no rule covers', fileName: '.env', text: 'PORT=3000\n', gitState: { ignored: false, tracked: false } },
      { title: 'a .env.local that no rule covers', fileName: 'web/.env.local', text: 'PORT=3000\n', gitState: { ignored: false, tracked: false } },
    ],
    falsePositives: [
      { title: 'an env template', fileName: '.env.example', text: 'ANTHROPIC_API_KEY=\n', gitState: { ignored: false, tracked: true } },
      { title: 'an ignored .env', fileName: '.env', text: 'PORT=3000\n', gitState: { ignored: true, tracked: false } },
      { title: 'an encrypted dotenv-vault file', fileName: '.env.vault', text: 'DOTENV_VAULT=vlt_0\n', gitState: { ignored: false, tracked: true } },
      { title: 'a direnv .envrc (shell script, not a dotenv file)', fileName: '.envrc', text: 'use node\n', gitState: { ignored: false, tracked: true } },
    ],
  }),
};

const TRACKED_ENV_FILE: RuleDefinition = {
  id: 'tracked-env-file',
  name: 'TrackedEnvFile',
  defaultSeverity: 'error',
  securitySeverity: '8.5',
  severitySetting: 'severity.trackedEnvFile',
  shortDescription: 'A .env file is tracked, so git keeps committing it.',
  fullDescription:
    'A .env file that git tracks, whether or not .gitignore covers it: ignoring a file does not untrack it, so every change to it is ' +
    'still committed, and every earlier version is in the history.',
  help: {
    text: 'Stop tracking the file with `git rm --cached <file>` (it stays on disk), commit that, and rotate every key the file ever held: the history still has them.',
    markdown: [
      'A `.env` file that `.gitignore` covers but git still tracks: ignoring does not untrack, so every change is still committed.',
      '',
      '**Fix.** `git rm --cached <file>` (the file stays on disk), commit, and rotate every key the file ever held: the',
      'history still has them. In VS Code the quick fix **Stop tracking** does the first step.',
    ].join('\n'),
  },
  examples: () => ({
    truePositives: [
      { title: 'an ignored .env that git still tracks', fileName: '.env', text: 'PORT=3000\n', gitState: { ignored: true, tracked: true } },
      // Tracked and not ignored: an ignore rule alone would not stop git committing it (red team F26.1).
      { title: 'a prod.env that git tracks and no rule covers', fileName: 'deploy/prod.env', text: 'PORT=3000\n', gitState: { ignored: false, tracked: true } },
    ],
    falsePositives: [
      { title: 'an ignored, untracked .env', fileName: '.env', text: 'PORT=3000\n', gitState: { ignored: true, tracked: false } },
      { title: 'an ignored env template git tracks', fileName: '.env.sample', text: 'PORT=\n', gitState: { ignored: true, tracked: true } },
    ],
  }),
};

/** A bundler-public variable name, joined at run time so that this file does not itself hold one (the project
 * scans itself clean). */
function publicName(prefix: string, name: string): string {
  return prefix + name;
}

/** The SDK's browser opt-in, likewise joined at run time. */
const BROWSER_OPTION = ['dangerously', 'AllowBrowser'].join('');

const CLIENT_EXPOSED_KEY: RuleDefinition = {
  id: 'client-exposed-key',
  name: 'ClientExposedKey',
  defaultSeverity: 'warning',
  securitySeverity: '8.0',
  severitySetting: 'severity.clientExposedKey',
  shortDescription: 'An Anthropic key is exposed to browser code (a bundler-inlined variable or dangerouslyAllowBrowser).',
  fullDescription:
    'An Anthropic key reaches the browser, where any visitor can read it: a client created with dangerouslyAllowBrowser: true, ' +
    'or an Anthropic or Claude key variable whose prefix makes a bundler inline it into client code (NEXT_PUBLIC_, VITE_, ' +
    'REACT_APP_, EXPO_PUBLIC_, PUBLIC_, NUXT_PUBLIC_, GATSBY_, VUE_APP_).',
  help: {
    text: 'Call Anthropic from your server or a backend proxy and keep the key there, in a server-only variable such as ANTHROPIC_API_KEY; rotate the key if it has already shipped to browsers.',
    markdown: [
      'A key that reaches the browser can be read by any visitor.',
      '',
      '**Fix.** Call Anthropic from your server (an API route, a backend proxy) and keep the key there, in a server-only',
      'variable such as `ANTHROPIC_API_KEY`. Rename public variables such as `NEXT_PUBLIC_…_API_KEY` (the quick fix',
      '**Rename to a server-only name** does it), and rotate the key if it has already shipped.',
    ].join('\n'),
  },
  examples: () => ({
    truePositives: [
      { title: 'a Next.js public key variable', fileName: 'app/page.tsx', text: `const key = process.env.${publicName('NEXT_PUBLIC_', 'ANTHROPIC_API_KEY')};\n` },
      { title: 'a Vite public key variable in a .env file', fileName: '.env.local', text: `${publicName('VITE_', 'CLAUDE_API_KEY')}=\n` },
      {
        title: 'an Anthropic client created for the browser',
        fileName: 'src/chat.ts',
        text: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ ${BROWSER_OPTION}: true });\n`,
      },
    ],
    falsePositives: [
      { title: 'a server-only key variable', fileName: 'server.ts', text: 'const key = process.env.ANTHROPIC_API_KEY;\n' },
      { title: "another vendor's client created for the browser", fileName: 'openai.ts', text: `import OpenAI from 'openai';\nconst client = new OpenAI({ ${BROWSER_OPTION}: true });\n` },
      { title: 'the option mentioned in a README', fileName: 'README.md', text: 'Never pass `dangerouslyAllowBrowser: true` to the Anthropic client.\n' },
      { title: 'a public variable that is not a key', fileName: 'env.ts', text: `const url = process.env.${publicName('NEXT_PUBLIC_', 'ANTHROPIC_DOCS_URL')};\n` },
    ],
  }),
};

/** Every rule, in the order they are listed everywhere (README, SARIF, settings). */
export const RULES: readonly RuleDefinition[] = [HARDCODED_KEY, UNIGNORED_ENV_FILE, TRACKED_ENV_FILE, CLIENT_EXPOSED_KEY];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: RuleId): RuleDefinition {
  return BY_ID.get(id)!;
}

/**
 * The severity of one finding. Every credential of a kind Anthropic issues is an error, matched by its published shape
 * or not: an OAuth token (`sk-ant-oat01-…`, what Claude Code signs in with), a refresh or session token, an API key
 * with something glued on: each one works, and the commit guard blocks errors only (red team F11). Only a token of a
 * kind word nobody knows (`sk-ant-xyz01-…`) is a warning: it may not be a credential at all.
 */
export function findingSeverity(ruleId: RuleId, confidence: 'high' | 'low' = 'high', kind?: CredentialKind): Severity {
  if (ruleId === 'hardcoded-key' && confidence === 'low' && (kind === undefined || kind === 'other-token')) return 'warning';
  return ruleById(ruleId).defaultSeverity;
}
