// The SARIF the CLI writes, checked by Microsoft's SARIF Multitool with the rules GitHub Advanced Security applies on
// upload (`validate --rule-kind "Ghas;Sarif"`, @microsoft/sarif-multitool from npm, run offline): no error and no
// warning on real output from a real repository with several rules, many results and odd paths (issue 18).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeKey } from '../../../support/fakeKeys';
import { runCli } from '../../../support/runCli';
import { tempTree, type TempTree } from '../../../support/tempRepo';

/** The validator's Linux binary, called directly: its bin.js passes arguments through a shell, where `;` breaks. */
const VALIDATOR = join(__dirname, '../../../../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

const POLICY = join(__dirname, '../../../../../test/fixtures/sarif/validator-offline.xml');

interface ValidatorResult {
  ruleId: string;
  level: string;
  message: { id?: string; arguments?: string[] };
}

/** Runs the validator on `sarifFile`; returns its error and warning results (notes are advice, not rejections). */
function validate(sarifFile: string): ValidatorResult[] {
  const output = `${sarifFile}.validation.sarif`;
  // The policy switches off the one rule that would go on the network (SARIF2006 fetches every URI in the log).
  const args = ['validate', '--config', POLICY, '--rule-kind', 'Ghas;Sarif', '--level', 'Error;Warning', '--log', 'ForceOverwrite', '-o', output, sarifFile];
  const run = spawnSync(VALIDATOR, args, {
    encoding: 'utf8',
    // No telemetry from the .NET runtime; nothing of ours is sent anywhere.
    // The .NET runtime without ICU (a minimal machine has none) and without telemetry.
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  assert.equal(run.status, 0, `the validator ran: ${run.stdout}${run.stderr}`);
  const log = JSON.parse(readFileSync(output, 'utf8'));
  return (log.runs[0].results ?? []) as ValidatorResult[];
}

describe('SARIF validated as GitHub code scanning ingests it', function () {
  this.timeout(120_000);
  let tree: TempTree;

  before(function () {
    assert.ok(existsSync(VALIDATOR), `the SARIF Multitool is installed (npm ci): ${VALIDATOR}`);
  });
  beforeEach(() => {
    tree = tempTree({ gitInit: true });
  });
  afterEach(() => tree.remove());

  it('finds nothing to reject in the CLI\'s output: four rules, many results, odd paths, provenance and a category', () => {
    // Every rule: keys (published and by shape), an unignored and a tracked env file, a browser-exposed variable.
    for (let i = 0; i < 40; i++) tree.write(`src/module ${i}/k#${i}?.ts`, `export const a = '${fakeKey(1900 + i)}';\nexport const b = '${fakeKey(1950 + i, 'admin')}';\n`);
    tree.write('caf\u00e9/\u00fcber 100%.py', `KEY = "${fakeKey(1999, 'oat')}"\n`);
    tree.write(Buffer.from('raw-\xff-name.txt', 'latin1').toString('latin1'), `key ${fakeKey(1998)}\n`);
    tree.write('web/.env.local', `${['NEXT_PUBLIC_', 'ANTHROPIC_API_KEY'].join('')}=x\n`);
    tree.write('.gitignore', 'deploy/.env\n');
    tree.write('deploy/.env', 'PORT=1\n');
    tree.write('app/page.tsx', `const k = process.env.${['NEXT_PUBLIC_', 'ANTHROPIC_API_KEY'].join('')};\n`);
    tree.git('add', '-A');
    tree.git('add', '-f', 'deploy/.env');
    tree.git('commit', '-qm', 'fixtures');
    // An env file git would commit, not yet tracked (a tracked one is tracked-env-file, ignored or not).
    tree.write('web/.env.production', 'PORT=2\n');
    tree.git('remote', 'add', 'origin', 'git@github.com:key-hygiene/example.git');
    const { code, stdout } = runCli(tree.root, 'scan', '--format', 'sarif', '--sarif-category', 'anthropic-key-hygiene/tree');
    assert.equal(code, 1);
    const log = JSON.parse(stdout);
    const rules = new Set(log.runs[0].results.map((result: { ruleId: string }) => result.ruleId));
    assert.deepEqual([...rules].sort(), ['client-exposed-key', 'hardcoded-key', 'tracked-env-file', 'unignored-env-file']);
    assert.ok(log.runs[0].results.length >= 80, 'many results');
    assert.equal(log.runs[0].versionControlProvenance[0].repositoryUri, 'ssh://github.com/key-hygiene/example.git');
    const file = join(tree.root, 'out.sarif');
    writeFileSync(file, stdout);
    assert.deepEqual(validate(file), []);
  });

  it('rejects a log without the rules\' full descriptions and help: the validator can fail this test', () => {
    tree.write('a.ts', `const k = '${fakeKey(1997)}';\n`);
    const log = JSON.parse(runCli(tree.root, 'scan', '--format', 'sarif').stdout);
    for (const rule of log.runs[0].tool.driver.rules) {
      delete rule.fullDescription;
      delete rule.help;
    }
    const file = join(tree.root, 'stripped.sarif');
    writeFileSync(file, JSON.stringify(log));
    const found = validate(file);
    assert.equal(found.filter((result) => result.ruleId === 'GH2012' && result.level === 'error').length, 8, JSON.stringify(found));
  });
});
