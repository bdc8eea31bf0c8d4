// The report formats on a fixed input: a SARIF snapshot (fake keys made at run time, hints only), the JSON and
// SARIF layouts against JSON.stringify's, and the text format's escaping, plurals and summary.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FileFinding } from '../../../../src/core/findings';
import { keyHint } from '../../../../src/core/hint';
import {
  SARIF_DISPLAY_LIMIT,
  SARIF_RESULT_LIMIT,
  escapeForTerminal,
  formatJson,
  formatSarif,
  formatText,
  plural,
  quotePath,
  uriPath,
  writeText,
  type ReportInput,
} from '../../../../src/core/report/formats';
import { fakeKey } from '../../../support/fakeKeys';

const hint = keyHint(fakeKey(801));
/** The partial fingerprint as the issue defines it (rule, path, the key's kind and hint), computed here independently. */
const expectedFingerprint = (rule: string, path: string, what: string, n = 1) => `${createHash('sha256').update(`${rule}\0${path}\0${what}`).digest('hex').slice(0, 32)}:${n}`;
/** A message as the engine writes one (the formats carry messages as they are; their wording is the rules' business). */
const message = `Hardcoded Anthropic API key ${hint}. Move it to a git-ignored .env file.`;
const finding = (file: string, line: number, column: number, length: number): FileFinding => ({
  ruleId: 'hardcoded-key',
  severity: 'error',
  file,
  line,
  column,
  endLine: line,
  endColumn: column + length,
  message,
  messageId: 'hardcoded-key',
  messageArgs: { kind: 'api-key', hint, variable: 'ANTHROPIC_API_KEY' },
  credential: { kind: 'api-key', hint },
});

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    findings: [finding('/repo/src/a#b?.ts', 3, 15, 108), finding('/repo/lib/caf\u00e9 \udcff.js', 1, 1, 108)],
    filesScanned: 12,
    bytesScanned: 3456,
    skipped: [],
    problems: [],
    displayPath: (file) => file.replace(/^\/repo\//, ''),
    toolVersion: '9.9.9',
    sourceRoot: '/repo',
    ...overrides,
  };
}

describe('formatSarif', () => {
  it('matches the snapshot: regions, percent-encoded URIs relative to the source root, and a successful run', () => {
    const log = JSON.parse(formatSarif(input()));
    const [run] = log.runs;
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///repo/' } });
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    assert.deepEqual(run.results, [
      {
        ruleId: 'hardcoded-key',
        ruleIndex: 0,
        level: 'error',
        message: { text: message },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a%23b%3F.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 15, endLine: 3, endColumn: 123 } } }],
        partialFingerprints: { 'anthropicKeyHygiene/v1': expectedFingerprint('hardcoded-key', 'src/a#b?.ts', `api-key ${hint}`) },
      },
      {
        ruleId: 'hardcoded-key',
        ruleIndex: 0,
        level: 'error',
        message: { text: message },
        // é in UTF-8, the space, and the byte that is not UTF-8, each percent-encoded.
        locations: [{ physicalLocation: { artifactLocation: { uri: 'lib/caf%C3%A9%20%FF.js', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 109 } } }],
        partialFingerprints: { 'anthropicKeyHygiene/v1': expectedFingerprint('hardcoded-key', 'lib/caf\u00e9 \udcff.js', `api-key ${hint}`) },
      },
    ]);
    assert.deepEqual(
      run.tool.driver.rules.map((rule: { id: string; name: string }) => [rule.id, rule.name]),
      [['hardcoded-key', 'HardcodedKey'], ['unignored-env-file', 'UnignoredEnvFile'], ['tracked-env-file', 'TrackedEnvFile'], ['client-exposed-key', 'ClientExposedKey']],
    );
    assert.equal(run.tool.driver.version, '9.9.9');
  });

  it('gives a file outside the source root an absolute file URI, and reports what it could not scan as failed execution', () => {
    const log = JSON.parse(
      formatSarif(
        input({
          findings: [finding('/elsewhere/k.ts', 1, 1, 108)],
          problems: [{ path: '/repo/vendor', message: 'git refuses to read the repository' }],
          skipped: [{ file: '/repo/big.bin', reason: 'larger than the 1 MB limit', failed: true }, { file: '/repo/sub', reason: 'submodule' }],
        }),
      ),
    );
    const [run] = log.runs;
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///elsewhere/k.ts' });
    assert.deepEqual(run.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'git refuses to read the repository' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'vendor', uriBaseId: '%SRCROOT%' } } }] },
          { level: 'error', message: { text: 'not scanned: larger than the 1 MB limit' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'big.bin', uriBaseId: '%SRCROOT%' } } }] },
        ],
      },
    ]);
  });

  it('streams the layout JSON.stringify gives, with no results and with some', () => {
    for (const report of [input(), input({ findings: [] })]) {
      const text = formatSarif(report);
      assert.equal(text, JSON.stringify(JSON.parse(text), null, 2) + '\n');
    }
  });

  it('never holds a full key, only hints', () => {
    assert.ok(!formatSarif(input()).includes(fakeKey(801)));
    assert.ok(formatSarif(input()).includes(hint));
  });

  it('keeps a finding\'s fingerprint when its line moves, and tells two copies of a key in one file apart (issue 18)', () => {
    const fingerprints = (findings: FileFinding[]) =>
      JSON.parse(formatSarif(input({ findings }))).runs[0].results.map((result: { partialFingerprints: Record<string, string> }) => result.partialFingerprints['anthropicKeyHygiene/v1']);
    const [before] = fingerprints([finding('/repo/src/a.ts', 3, 15, 108)]);
    const [moved] = fingerprints([finding('/repo/src/a.ts', 40, 2, 108)]);
    assert.equal(moved, before);
    const [other] = fingerprints([finding('/repo/src/b.ts', 3, 15, 108)]);
    assert.notEqual(other, before, 'another file is another finding');
    assert.deepEqual(fingerprints([finding('/repo/src/a.ts', 3, 15, 108), finding('/repo/src/a.ts', 9, 1, 108)]), [before, before.replace(/:1$/, ':2')]);
    // The digest a baseline matches on never reaches the SARIF file, and neither does the key.
    const withDigest = { ...finding('/repo/src/a.ts', 3, 15, 108), credential: { kind: 'api-key' as const, hint, digest: 'f'.repeat(64) } };
    assert.ok(!formatSarif(input({ findings: [withDigest] })).includes('f'.repeat(64)));
  });

  it('names the analysis category and the commit scanned, when given', () => {
    const provenance = { repositoryUri: 'https://github.com/o/r.git', revisionId: 'a'.repeat(40), branch: 'main' };
    const [run] = JSON.parse(formatSarif(input({ sarif: { category: 'key-hygiene/history', provenance } }))).runs;
    assert.deepEqual(run.automationDetails, { id: 'key-hygiene/history/' });
    assert.deepEqual(run.versionControlProvenance, [{ ...provenance, mappedTo: { uriBaseId: '%SRCROOT%' } }]);
    const [plain] = JSON.parse(formatSarif(input())).runs;
    assert.equal(plain.automationDetails, undefined);
    assert.equal(plain.versionControlProvenance, undefined);
  });

  it('writes at most 25,000 results, the most severe first, and says so; says GitHub shows 5,000 (issue 18)', () => {
    const many = (count: number, severity: 'error' | 'warning') => Array.from({ length: count }, (_, i) => ({ ...finding('/repo/a.ts', i + 1, 1, 108), severity }));
    // Warnings first in the input: the errors after them must still all be written.
    const findings = [...many(SARIF_RESULT_LIMIT, 'warning'), ...many(10, 'error')];
    const [run] = JSON.parse(formatSarif(input({ findings }))).runs;
    assert.equal(run.results.length, SARIF_RESULT_LIMIT);
    assert.equal(run.results.filter((result: { level: string }) => result.level === 'error').length, 10);
    assert.deepEqual(run.properties, { resultsOmitted: 10 });
    const notices = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.match(notices.join('\n'), /25,010 results: GitHub code scanning rejects a run of more than 25,000/);
    assert.equal(run.invocations[0].executionSuccessful, true, 'nothing went unread');
    const [shown] = JSON.parse(formatSarif(input({ findings: many(SARIF_DISPLAY_LIMIT + 1, 'error') }))).runs;
    assert.equal(shown.results.length, SARIF_DISPLAY_LIMIT + 1);
    assert.match(shown.invocations[0].toolExecutionNotifications[0].message.text, /shows the first 5,000/);
    const [small] = JSON.parse(formatSarif(input({ findings: many(SARIF_DISPLAY_LIMIT, 'error') }))).runs;
    assert.deepEqual(small.invocations[0].toolExecutionNotifications, []);
  });

  it('says which files had more findings than were listed', () => {
    const [run] = JSON.parse(formatSarif(input({ truncated: [{ file: '/repo/keys.txt', omitted: 41 }] }))).runs;
    assert.deepEqual(run.invocations[0].toolExecutionNotifications, [
      { level: 'warning', message: { text: '41 more findings in this file not listed' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'keys.txt', uriBaseId: '%SRCROOT%' } } }] },
    ]);
  });
});

describe('formatJson', () => {
  it('lists findings, problems, skipped and truncated files, with a summary that says whether the scan is complete', () => {
    const report = JSON.parse(
      formatJson(
        input({
          problems: [{ path: '/repo/deep', message: 'could not list folder: path too long' }],
          skipped: [{ file: '/repo/.env', reason: 'git ignores it' }],
          truncated: [{ file: '/repo/src/a#b?.ts', omitted: 41 }],
        }),
      ),
    );
    assert.deepEqual(report.problems, [{ path: 'deep', message: 'could not list folder: path too long' }]);
    assert.deepEqual(report.skipped, [{ path: '.env', reason: 'git ignores it', failed: false }]);
    assert.deepEqual(report.truncated, [{ path: 'src/a#b?.ts', omitted: 41 }]);
    assert.deepEqual(report.summary, {
      findings: 2,
      byRule: { 'hardcoded-key': 2, 'unignored-env-file': 0, 'tracked-env-file': 0, 'client-exposed-key': 0 },
      filesScanned: 12,
      bytesScanned: 3456,
      filesSkipped: 1,
      findingsOmitted: 41,
      problems: 1,
      complete: false,
    });
    assert.equal(report.findings[1].path, 'lib/caf\u00e9 \udcff.js');
  });

  it('prints a key\'s kind and hint but never the digest a baseline matches on, and counts baselined findings', () => {
    const withDigest = { ...finding('/repo/a.ts', 1, 1, 108), credential: { kind: 'api-key' as const, hint, digest: 'e'.repeat(64) } };
    const report = JSON.parse(formatJson(input({ findings: [withDigest], baselined: 3 })));
    assert.deepEqual(report.findings[0].credential, { kind: 'api-key', hint });
    assert.equal(report.summary.baselined, 3);
    assert.equal(JSON.parse(formatJson(input())).summary.baselined, undefined, 'no baseline, no count');
  });

  it('streams the layout JSON.stringify gives', () => {
    for (const report of [input(), input({ findings: [], skipped: [{ file: '/repo/x', reason: 'deleted' }] })]) {
      const text = formatJson(report);
      assert.equal(text, JSON.stringify(JSON.parse(text), null, 2) + '\n');
    }
  });
});

describe('formatText', () => {
  it('prints one line per finding, then what it did not read, then a summary with proper plurals', () => {
    assert.equal(
      formatText(input({ findings: [input().findings[0]], skipped: [{ file: '/repo/.env', reason: 'git ignores it' }, { file: '/repo/sub', reason: 'submodule' }] })),
      `src/a#b?.ts:3:15  error  ${message}  [hardcoded-key]\n` +
        '.env  not scanned: git ignores it\n' +
        '1 problem in 1 file (12 files scanned); 2 skipped (1 git-ignored, 1 submodule).\n',
    );
    assert.equal(formatText(input({ findings: [], filesScanned: 1 })), 'No Anthropic key hygiene problems in 1 file.\n');
    assert.equal(formatText(input({ findings: [], filesScanned: 1, baselined: 2 })), 'No Anthropic key hygiene problems in 1 file; 2 findings accepted in the baseline.\n');
  });

  it('names the folder it runs in as "." in a problem line, never as nothing (red team F26.2)', () => {
    const text = formatText(input({ findings: [], problems: [{ path: '/repo/', message: 'git refuses to read the repository' }], displayPath: () => '' }));
    assert.match(text, /^\. {2}error: git refuses to read the repository\n/);
  });

  it('never says "no problems" of a scan that could not read everything (issue 12 #9)', () => {
    const text = formatText(input({ findings: [], problems: [{ path: '/repo/vendor', message: 'git was not found (git)' }], skipped: [{ file: '/repo/p', reason: 'not a regular file (a FIFO)', failed: true }] }));
    assert.equal(
      text,
      'p  not scanned: not a regular file (a FIFO)\n' +
        'vendor  error: git was not found (git)\n' +
        'No Anthropic key hygiene problems in the 12 files scanned; 1 skipped (1 not a regular file). The scan is incomplete: 2 paths could not be scanned (listed above).\n',
    );
  });

  it('escapes control characters, bidirectional overrides and bytes that are not UTF-8 in paths and messages (issue 12 #17)', () => {
    const text = formatText(
      input({
        findings: [{ ...finding('/repo/x\r\u001b[2Kfake.ts', 1, 1, 108), message: 'bad\u202etxt.exe' }],
        problems: [{ path: '/repo/a\nb', message: 'line one\nline two' }],
      }),
    );
    assert.equal(text.split('\n')[0], '"x\\r\\x1b[2Kfake.ts":1:1  error  bad\\u202etxt.exe  [hardcoded-key]');
    assert.equal(text.split('\n')[1], '"a\\nb"  error: line one\\nline two');
  });

  it('writes in pieces rather than one string, so a huge report never needs a string longer than V8 allows (issue 12 #19)', () => {
    const chunks: string[] = [];
    writeText(input({ findings: Array.from({ length: 500 }, (_, i) => finding('/repo/a.ts', i + 1, 1, 108)) }), (chunk) => chunks.push(chunk));
    assert.equal(chunks.length, 501);
  });
});

describe('quotePath, escapeForTerminal, uriPath and plural', () => {
  it('leave plain text alone and quote what needs it as git does', () => {
    assert.equal(quotePath('src/app.ts'), 'src/app.ts');
    assert.equal(quotePath('naïve 😀.ts'), 'naïve 😀.ts', 'printable Unicode, a surrogate pair included, is plain');
    assert.equal(quotePath('tab\there'), '"tab\\there"');
    assert.equal(quotePath('with "quote" and \\ \x7f'), '"with \\"quote\\" and \\\\ \\x7f"');
    assert.equal(quotePath('trailing space '), '"trailing space "');
    assert.equal(quotePath('raw\udc80byte'), '"raw\\x80byte"');
    assert.equal(escapeForTerminal('ok \u0085 next\u2028'), 'ok \\x85 next\\u2028');
  });

  it('percent-encode every byte outside the unreserved set, keeping slashes', () => {
    assert.equal(uriPath('a#b?.js'), 'a%23b%3F.js');
    assert.equal(uriPath('dir/with space/100%.ts'), 'dir/with%20space/100%25.ts');
    assert.equal(uriPath('x\udcfe'), 'x%FE');
    assert.equal(uriPath('~a_b-c.d'), '~a_b-c.d');
  });

  it('count in words', () => {
    assert.deepEqual([plural(0, 'file'), plural(1, 'file'), plural(2, 'file'), plural(2, 'path')], ['0 files', '1 file', '2 files', '2 paths']);
  });
});
