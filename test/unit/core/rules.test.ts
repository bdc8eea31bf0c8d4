// The rule registry (src/core/rules.ts) against the engine, the message templates and the README: every rule is
// proven by its own examples, run through the real engine, and the places that list rules agree with it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envFileRule } from '../../../src/core/envFiles';
import { RULE_IDS, type RuleId } from '../../../src/core/findings';
import { CREDENTIAL_LABELS, MESSAGE_TEMPLATES, english, formatMessage, placeholdersOf, type MessageId } from '../../../src/core/messages';
import { RULES, findingSeverity, ruleById, ruleDocsUrl, type ExampleKeys, type RuleExample } from '../../../src/core/rules';
import { findTextFindings } from '../../../src/core/textFindings';
import { fakeKey } from '../../support/fakeKeys';

const ROOT = join(__dirname, '..', '..', '..', '..');

const KEYS: ExampleKeys = {
  apiKey: (seed) => fakeKey(1000 + seed, 'api'),
  adminKey: (seed) => fakeKey(2000 + seed, 'admin'),
  oauthToken: (seed) => fakeKey(3000 + seed, 'oat'),
};

/** What the engine reports for an example: its text findings, and the env-file rule its git state gives. */
function judge(example: RuleExample): RuleId[] {
  const rules: RuleId[] = findTextFindings(example.text, { fileName: example.fileName, reportKeysInEnvFiles: example.gitState !== undefined }).map(
    (finding) => finding.ruleId,
  );
  const fileRule = example.gitState && envFileRule(example.fileName, example.gitState);
  if (fileRule) rules.push(fileRule);
  return rules;
}

describe('The rule registry', () => {
  it('lists every rule id once, in the order the engine declares them', () => {
    assert.deepEqual(
      RULES.map((rule) => rule.id),
      [...RULE_IDS],
    );
  });

  for (const rule of RULES) {
    describe(`rule ${rule.id}`, () => {
      const { truePositives, falsePositives } = rule.examples(KEYS);

      it('has at least one true positive and one false positive', () => {
        assert.ok(truePositives.length > 0, 'no true positive');
        assert.ok(falsePositives.length > 0, 'no false positive');
      });

      for (const example of truePositives) {
        it(`reports ${example.title}`, () => assert.ok(judge(example).includes(rule.id), `${rule.id} missed: ${example.title}`));
      }
      for (const example of falsePositives) {
        it(`stays silent on ${example.title}`, () => assert.ok(!judge(example).includes(rule.id), `${rule.id} misjudged: ${example.title}`));
      }

      it('has the metadata SARIF and the settings need', () => {
        assert.match(rule.name, /^[A-Z][A-Za-z]+$/);
        assert.ok(rule.shortDescription.length > 20 && rule.fullDescription.length > rule.shortDescription.length);
        assert.ok(rule.help.text.length > 20 && rule.help.markdown.includes('**Fix'));
        assert.match(rule.securitySeverity, /^(?:\d|10)\.\d$/);
        assert.match(rule.severitySetting, /^severity\.[a-z][A-Za-z]+$/);
        assert.equal(ruleDocsUrl(rule.id).split('#')[1], rule.id);
        assert.equal(ruleById(rule.id), rule);
      });

      it('keeps every key out of its examples\' titles and its descriptions', () => {
        const prose = [rule.shortDescription, rule.fullDescription, rule.help.text, rule.help.markdown, ...[...truePositives, ...falsePositives].map((example) => example.title)];
        for (const text of prose) assert.deepEqual(findTextFindings(text).filter((finding) => finding.ruleId === 'hardcoded-key'), []);
      });
    });
  }

  it('makes every credential kind Anthropic issues an error, and only an unknown kind a warning', () => {
    assert.equal(findingSeverity('hardcoded-key', 'high'), 'error');
    assert.equal(findingSeverity('hardcoded-key', 'low'), 'warning');
    // Every kind Anthropic issues is an error, its shape published or not: the commit guard blocks errors (red team F11).
    for (const kind of ['api-key', 'admin-key', 'oauth-access-token', 'oauth-refresh-token', 'session-key'] as const) {
      assert.equal(findingSeverity('hardcoded-key', 'low', kind), 'error', kind);
    }
    assert.equal(findingSeverity('hardcoded-key', 'low', 'other-token'), 'warning');
    assert.equal(findingSeverity('tracked-env-file'), 'error');
    assert.equal(findingSeverity('unignored-env-file'), 'warning');
  });
});

describe('The message templates', () => {
  // The history messages (src/core/history/historyMessages.ts) name the commit and where it went; {age} comes from {days}.
  const ARGUMENTS = new Set(['credential', 'hint', 'variable', 'name', 'prefix', 'bundler', 'serverName', 'detail', 'commit', 'date', 'subject', 'remoteBranch', 'rotatedOn', 'age', 'ref']);

  it('use only the named arguments the engine passes', () => {
    for (const [id, template] of Object.entries(MESSAGE_TEMPLATES)) {
      for (const name of placeholdersOf(template)) assert.ok(ARGUMENTS.has(name), `${id} uses {${name}}`);
    }
    for (const label of Object.values(CREDENTIAL_LABELS)) assert.deepEqual(placeholdersOf(label), []);
  });

  it('are filled completely for every finding the rules\' examples produce', () => {
    for (const rule of RULES) {
      for (const example of rule.examples(KEYS).truePositives) {
        for (const finding of findTextFindings(example.text, { fileName: example.fileName, reportKeysInEnvFiles: true })) {
          const text = formatMessage({ id: finding.messageId, args: finding.messageArgs });
          assert.equal(text, finding.message, 'the English message is the formatted template');
          assert.doesNotMatch(text, /\{[A-Za-z]+\}/, `${finding.messageId} left a placeholder`);
        }
      }
    }
  });

  it('hand the translator the English template and the arguments, and the label of a credential kind', () => {
    const seen: Array<[string, Record<string, string>]> = [];
    const translated = formatMessage({ id: 'hardcoded-key', args: { kind: 'admin-key', hint: 'sk-ant-admin01-abc…wxAA', variable: 'ANTHROPIC_ADMIN_KEY' } }, (template, args) => {
      seen.push([template, args]);
      return english(template.toUpperCase().replace(/\{([A-Z]+)\}/g, (_, name: string) => `{${name.toLowerCase()}}`), args);
    });
    assert.deepEqual(
      seen.map(([template]) => template),
      [CREDENTIAL_LABELS['admin-key'], MESSAGE_TEMPLATES['hardcoded-key']],
    );
    assert.ok(translated.startsWith('HARDCODED ANTHROPIC ADMIN API KEY sk-ant-admin01-abc…wxAA.'), translated);
  });

  it('are filled in English as a replacement of each {name} would fill them, an unknown name left as written', () => {
    const replaced = (template: string, args: Record<string, string>) => template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => args[name] ?? whole);
    const args = Object.fromEntries([...ARGUMENTS].filter((_, index) => index % 3 !== 1).map((name) => [name, `<${name} $1 {x}>`]));
    for (const template of [...Object.values(MESSAGE_TEMPLATES), ...Object.values(CREDENTIAL_LABELS), '{name} not a template of ours {hint}']) {
      assert.equal(english(template, args), replaced(template, args));
      assert.equal(english(template, {}), template);
    }
  });

  it('give every file-level rule a message of its own id', () => {
    for (const id of ['unignored-env-file', 'tracked-env-file'] satisfies MessageId[]) assert.ok(MESSAGE_TEMPLATES[id]);
  });
});

describe('The README rule table', () => {
  it('lists exactly the registry\'s rules, in its order, with their default severities and short descriptions', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What it finds'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \| (.*) \|$/gm)].map((match) => ({ id: match[1], severity: match[2], what: match[3] }));
    assert.deepEqual(
      rows.map((row) => row.id),
      RULES.map((rule) => rule.id),
    );
    for (const [index, rule] of RULES.entries()) {
      assert.equal(rows[index].severity, rule.defaultSeverity, `${rule.id}'s severity`);
      assert.ok(rows[index].what.startsWith(rule.shortDescription.replace(/\.$/, '')), `${rule.id}'s row starts with its short description`);
    }
  });
});
