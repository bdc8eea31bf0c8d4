// The planners for the env file and .gitignore: append-only, byte-preserving, never overwriting a value.
import { strict as assert } from 'node:assert';
import { applyEdits, type TextEdit } from '../../../../src/core/fixes/edits';
import { parseEnvFile, planEnvEntry, planGitignoreEntry, readEnvValue } from '../../../../src/core/fixes/envFile';
import { fakeKey } from '../../../support/fakeKeys';

const KEY = fakeKey(201);
const OTHER = fakeKey(202);
const THIRD = fakeKey(203);

function apply(text: string | undefined, edit: TextEdit | undefined): string | undefined {
  return edit ? applyEdits(text ?? '', [edit]) : text;
}

describe('planEnvEntry', () => {
  it('creates the file with one line when there is none', () => {
    const plan = planEnvEntry(undefined, 'ANTHROPIC_API_KEY', KEY);
    assert.deepEqual({ ...plan, edit: undefined }, { name: 'ANTHROPIC_API_KEY', created: true, alreadyStored: false, edit: undefined });
    assert.equal(apply(undefined, plan.edit), `ANTHROPIC_API_KEY=${KEY}\n`);
  });

  it('appends after the last line, keeping every existing byte', () => {
    const before = '# local settings\nMODEL=claude\n';
    const plan = planEnvEntry(before, 'ANTHROPIC_API_KEY', KEY);
    assert.equal(apply(before, plan.edit), `${before}ANTHROPIC_API_KEY=${KEY}\n`);
    assert.equal(plan.created, false);
  });

  it('keeps CRLF line endings', () => {
    const before = 'MODEL=claude\r\nDEBUG=1\r\n';
    assert.equal(apply(before, planEnvEntry(before, 'ANTHROPIC_API_KEY', KEY).edit), `${before}ANTHROPIC_API_KEY=${KEY}\r\n`);
  });

  it('adds a line break first when the file lacks a final one', () => {
    assert.equal(apply('MODEL=claude', planEnvEntry('MODEL=claude', 'ANTHROPIC_API_KEY', KEY).edit), `MODEL=claude\nANTHROPIC_API_KEY=${KEY}\n`);
    assert.equal(apply('A=1\r\nB=2', planEnvEntry('A=1\r\nB=2', 'ANTHROPIC_API_KEY', KEY).edit), `A=1\r\nB=2\r\nANTHROPIC_API_KEY=${KEY}\r\n`);
  });

  it('changes nothing when the name already holds the same key', () => {
    for (const line of [`ANTHROPIC_API_KEY=${KEY}`, `export ANTHROPIC_API_KEY="${KEY}"`, `ANTHROPIC_API_KEY='${KEY}' # main key`, `  ANTHROPIC_API_KEY = ${KEY}  `]) {
      const plan = planEnvEntry(`${line}\n`, 'ANTHROPIC_API_KEY', KEY);
      assert.deepEqual(plan, { name: 'ANTHROPIC_API_KEY', created: false, alreadyStored: true }, line.replace(KEY, '…'));
    }
  });

  it('never overwrites a different value: it picks the next free name', () => {
    const before = `ANTHROPIC_API_KEY=${OTHER}\n`;
    const plan = planEnvEntry(before, 'ANTHROPIC_API_KEY', KEY);
    assert.equal(plan.name, 'ANTHROPIC_API_KEY_2');
    assert.equal(apply(before, plan.edit), `${before}ANTHROPIC_API_KEY_2=${KEY}\n`);
  });

  it('skips taken suffixes and reuses one that already holds the key', () => {
    const taken = `ANTHROPIC_API_KEY=${OTHER}\nANTHROPIC_API_KEY_2=${THIRD}\n`;
    assert.equal(planEnvEntry(taken, 'ANTHROPIC_API_KEY', KEY).name, 'ANTHROPIC_API_KEY_3');
    const stored = `ANTHROPIC_API_KEY=${OTHER}\nANTHROPIC_API_KEY_2=${KEY}\n`;
    assert.deepEqual(planEnvEntry(stored, 'ANTHROPIC_API_KEY', KEY), { name: 'ANTHROPIC_API_KEY_2', created: false, alreadyStored: true });
  });

  it('counts an empty value as taken, since someone put the name there', () => {
    assert.equal(planEnvEntry('ANTHROPIC_API_KEY=\n', 'ANTHROPIC_API_KEY', KEY).name, 'ANTHROPIC_API_KEY_2');
  });

  it('does not mistake a name inside a multi-line quoted value for an entry', () => {
    const before = `CERT="-----BEGIN-----\nANTHROPIC_API_KEY=${OTHER}\n-----END-----"\n`;
    assert.equal(planEnvEntry(before, 'ANTHROPIC_API_KEY', KEY).name, 'ANTHROPIC_API_KEY');
  });

  it('keeps a byte order mark and reads the first entry after it', () => {
    const before = `\uFEFFANTHROPIC_API_KEY=${KEY}\n`;
    assert.equal(planEnvEntry(before, 'ANTHROPIC_API_KEY', KEY).alreadyStored, true);
  });

  it('rejects a name that is not an environment variable name', () => {
    assert.throws(() => planEnvEntry(undefined, 'A B', KEY));
  });
});

describe('readEnvValue and parseEnvFile', () => {
  const text = [
    '# comment',
    'export A=1',
    'B="two words"',
    "C='single # not a comment'",
    'D=plain # a comment',
    'E: yaml-style',
    'F=`back`',
    'A=last',
    'not an entry',
    '',
  ].join('\n');

  it('reads values as dotenv does, the last assignment winning', () => {
    assert.equal(readEnvValue(text, 'A'), 'last');
    assert.equal(readEnvValue(text, 'B'), 'two words');
    assert.equal(readEnvValue(text, 'C'), 'single # not a comment');
    assert.equal(readEnvValue(text, 'D'), 'plain');
    assert.equal(readEnvValue(text, 'E'), 'yaml-style');
    assert.equal(readEnvValue(text, 'F'), 'back');
    assert.equal(readEnvValue(text, 'G'), undefined);
    assert.equal(readEnvValue(undefined, 'A'), undefined);
  });

  it('lists the entries in order with their line offsets', () => {
    const entries = parseEnvFile('A=1\r\nB="x\ny"\r\nC=3');
    assert.deepEqual(entries.map((e) => [e.name, e.value, e.start, e.end]), [
      ['A', '1', 0, 3],
      ['B', 'x\ny', 5, 12],
      ['C', '3', 14, 17],
    ]);
  });
});

describe('planGitignoreEntry', () => {
  it('creates the file content for a missing or empty .gitignore', () => {
    assert.equal(apply(undefined, planGitignoreEntry(undefined, '.env')), '.env\n');
    assert.equal(apply('', planGitignoreEntry('', '.env')), '.env\n');
  });

  it('appends with a final line break when the file has one', () => {
    assert.equal(apply('node_modules/\n', planGitignoreEntry('node_modules/\n', '.env')), 'node_modules/\n.env\n');
  });

  it('keeps a missing final line break missing', () => {
    assert.equal(apply('node_modules/', planGitignoreEntry('node_modules/', '.env')), 'node_modules/\n.env');
  });

  it('keeps CRLF line endings in both final-newline states', () => {
    assert.equal(apply('dist\r\n', planGitignoreEntry('dist\r\n', '.env')), 'dist\r\n.env\r\n');
    assert.equal(apply('a\r\ndist', planGitignoreEntry('a\r\ndist', '.env')), 'a\r\ndist\r\n.env');
  });

  it('does nothing when the line is already there, anchored or with trailing blanks', () => {
    for (const text of ['.env\n', 'a\n/.env\n', '.env  \r\n', 'x\n.env']) assert.equal(planGitignoreEntry(text, '.env'), undefined, JSON.stringify(text));
  });

  it('adds the line when only a similar pattern is there (git decides what covers what)', () => {
    assert.ok(planGitignoreEntry('.env.local\n!.env\n', '.env'));
  });
});
