// "A new user can go from install to a clean report by following the walkthrough alone" (issue 7), checked in
// the real VS Code: a fresh session (no key stored, no setting changed) opens a repository that leaks a key in
// its code and has a .env git would commit. The test then does only what the walkthrough offers: for each step,
// in order, it runs the commands the step's description links to, as clicking the link does (no argument
// object), and answers their questions the way a user would (a scripted user: ../scriptedUser.ts). At the end
// every item of the Key Hygiene Report must pass.
//
// The one thing a real user has and this machine lacks is the Anthropic API: Verify talks to the local fake
// (test/support/fakeAnthropicServer.ts) through the apiBaseUrl user setting, as the key vault tests do.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ReportTestApi } from '../../../src/features/report';
import { keyHint } from '../../../src/core/hint';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { fakeKey } from '../../support/fakeKeys';
import { EXTENSION_ID, activateExtension, ruleOf, waitForDiagnostics, workspaceFolder } from '../helpers';
import { ScriptedUser, type Step } from '../scriptedUser';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  completionEvents: string[];
}

/** The walkthrough as the manifest declares it, with its %keys% replaced by the English texts. */
function walkthrough(): { id: string; steps: WalkthroughStep[] } {
  const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const nls: Record<string, string> = JSON.parse(readFileSync(join(extensionPath, 'package.nls.json'), 'utf8'));
  const text = (value: string) => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? value);
  const [declared] = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8')).contributes.walkthroughs;
  return {
    id: declared.id,
    steps: declared.steps.map((step: WalkthroughStep) => ({ ...step, title: text(step.title), description: text(step.description) })),
  };
}

/** The command links of a description, `[label](command:id)`, in order. */
function commandLinks(description: string): { label: string; command: string; args?: string }[] {
  return [...description.matchAll(/\[([^\]]+)\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map(([, label, command, args]) => ({
    label,
    command,
    ...(args ? { args: decodeURIComponent(args) } : {}),
  }));
}

describe('The walkthrough, followed by a new user', function () {
  // Each step waits on real work: git, a workspace scan, a fix run on disk, a request to the fake API.
  this.timeout(120000);
  const key = fakeKey(701);
  let root: string;
  let fake: FakeAnthropicServer;
  let user: ScriptedUser;
  let report: ReportTestApi;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const write = (relativePath: string, text: string) => {
    mkdirSync(dirname(join(root, relativePath)), { recursive: true });
    writeFileSync(join(root, relativePath), text);
  };

  /** What the user does with the questions each linked command asks. */
  const answers: Record<string, Step[]> = {
    'anthropicKeyHygiene.storeKey': [
      // The key they had pasted into their code, now into the password box.
      { kind: 'input', when: /Paste the Anthropic API key/, type: key, password: true },
      { kind: 'input', when: /Name for the key/, type: (options) => options.value ?? '' }, // the suggested name
      { kind: 'pick', when: /Which environment/, choose: /^development$/ },
    ],
    'anthropicKeyHygiene.fixAllInWorkspace': [{ kind: 'modal', when: /Move every hardcoded Anthropic key/, click: 'Fix All' }],
    'anthropicKeyHygiene.ignoreEnvFiles': [],
    'anthropicKeyHygiene.installPreCommitHook': [],
    // The key they just stored.
    'anthropicKeyHygiene.verifyKey': [{ kind: 'pick', when: /Which key should be checked/, choose: /^\$\(key\) ANTHROPIC_API_KEY$/ }],
    'anthropicKeyHygiene.showReport': [],
    // Reads the history of the new user's repository (issue 16): its one commit holds no key.
    'anthropicKeyHygiene.scanHistory': [],
  };

  before(async () => {
    fake = await startFakeAnthropicServer({ behaviours: [[key, 200]] });
    const api = await activateExtension();
    assert.ok(api.reportForTests, 'the report test API is there when VS Code runs tests');
    report = api.reportForTests;
    await vscode.workspace.getConfiguration('anthropicKeyHygiene').update('apiBaseUrl', fake.baseUrl, vscode.ConfigurationTarget.Global);

    // The new user's project: the workspace folder itself is the repository.
    root = workspaceFolder();
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'new-user@example.invalid');
    git('config', 'user.name', 'New User');
    git('config', 'commit.gpgsign', 'false');
    write('.gitignore', 'node_modules/\n');
    write('package.json', '{ "name": "new-user-app", "private": true }\n');
    git('add', '.gitignore', 'package.json');
    git('commit', '-q', '-m', 'Initial commit');
    write('src/app.ts', `import Anthropic from '@anthropic-ai/sdk';\n\nexport const client = new Anthropic({ apiKey: '${key}' });\n`);
    write('.env', `ANTHROPIC_API_KEY=${key}\n`);
    await waitForDiagnostics(vscode.Uri.file(join(root, 'src/app.ts')), (d) => d.some((x) => ruleOf(x) === 'hardcoded-key'), 'the hardcoded key', 30000);
    await waitForDiagnostics(vscode.Uri.file(join(root, '.env')), (d) => d.some((x) => ruleOf(x) === 'unignored-env-file'), 'the unignored .env', 30000);
    user = new ScriptedUser();
  });

  after(async () => {
    user?.dispose();
    await vscode.workspace.getConfiguration('anthropicKeyHygiene').update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fake?.close();
  });

  it('starts from a workspace that fails the report', async () => {
    const markdown = await vscode.commands.executeCommand<string>('anthropicKeyHygiene.exportReport', { interactive: false });
    for (const id of ['no-hardcoded-keys', 'env-files-ignored', 'keys-in-env-or-secret-storage', 'pre-commit-guard']) {
      assert.match(markdown, new RegExp('`' + id + '`: fail'), `${id} fails before the walkthrough`);
    }
  });

  it('links every step to commands, and completes the step when its link is used', () => {
    const { steps } = walkthrough();
    assert.deepEqual(
      steps.map((step) => step.id),
      ['store', 'fix', 'ignore', 'verify', 'report'],
    );
    for (const step of steps) {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, `step "${step.title}" links to a command`);
      for (const link of links) {
        assert.ok(step.completionEvents.includes(`onCommand:${link.command}`), `step "${step.title}" is marked done when "${link.label}" is used`);
      }
    }
  });

  // One test per step, in the walkthrough's order: later steps build on earlier ones, as they do for the user.
  for (const step of walkthrough().steps) {
    it(`step "${step.title}": runs ${commandLinks(step.description).map((link) => link.label).join(', ')}`, async () => {
      for (const link of commandLinks(step.description)) {
        const expected = answers[link.command];
        assert.ok(expected, `the test knows how a user answers ${link.command}; add its answers`);
        user.expect(...expected);
        const args: unknown[] = link.args ? [JSON.parse(link.args)] : [];
        const result = await vscode.commands.executeCommand<unknown>(link.command, ...args);
        assert.deepEqual(user.unexpected, [], `"${link.label}" asked only what a user expects`);
        assert.deepEqual(user.pending, [], `"${link.label}" asked every question the user expected`);
        if (result && typeof result === 'object' && 'ok' in result) assert.equal(result.ok, true, JSON.stringify(result));
      }
    });
  }

  it('ends with every item of the report passing', async () => {
    const allPass = (items: readonly { id: string; verdict: string }[]) => items.length === 8 && items.every((item) => item.verdict === 'pass');
    try {
      await report.waitForRendered(allPass, 30000);
    } catch (error) {
      const markdown = await vscode.commands.executeCommand<string>('anthropicKeyHygiene.exportReport', { interactive: false });
      assert.fail(`${(error as Error).message}\n${markdown}`);
    }
  });

  it('leaves the key only in the git-ignored .env and Secret Storage, and a commit of everything passes the guard', () => {
    assert.ok(!readFileSync(join(root, 'src/app.ts'), 'utf8').includes(key), 'the key left the source');
    assert.match(readFileSync(join(root, 'src/app.ts'), 'utf8'), /process\.env\.ANTHROPIC_API_KEY/);
    assert.equal(git('check-ignore', '.env').trim(), '.env');
    const hook = resolve(root, git('rev-parse', '--git-path', 'hooks').trim(), 'pre-commit');
    assert.ok(existsSync(hook), 'the pre-commit hook is installed');
    git('add', '-A');
    assert.ok(!git('diff', '--cached', '--name-only').split('\n').includes('.env'), '.env is not staged');
    git('commit', '-q', '-m', 'Keep the key out of the code');
    assert.equal(git('status', '--porcelain').trim(), '', 'everything else is committed');
  });

  it('checked the key once against the API, and never showed it', () => {
    assert.deepEqual(
      fake.requests.map((request) => [request.path, request.headers['x-api-key']]),
      [['/v1/models', keyHint(key)]],
    );
    for (const prompt of user.seen) {
      assert.ok(![prompt.text, ...prompt.choices].some((text) => text.includes(key)), `no full key in: ${prompt.text}`);
    }
  });
});
