// The parse check applied before a rewrite lands: real snippets of each language it covers, as a rewrite would
// change them, with the contexts where a lookup parses but is not code (issue 12 #8).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { FixLanguage } from '../../../../src/core/fixes/languages';
import { rewriteKeepsSyntax } from '../../../../src/core/fixes/syntaxCheck';
import { fakeKey } from '../../../support/fakeKeys';

const KEY = fakeKey(401);
const k = (text: string) => text.split('@KEY@').join(KEY);

interface CheckCase {
  says: string;
  language: FixLanguage;
  fileName?: string;
  before: string;
  after: string;
  keeps: boolean;
}

const CASES: CheckCase[] = [
  // JavaScript and TypeScript (@babel/parser)
  { language: 'javascript', fileName: 'client.ts', says: 'accepts a literal replaced by process.env', before: "const c = new Anthropic({ apiKey: '@KEY@' });\n", after: 'const c = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n', keeps: true },
  { language: 'javascript', fileName: 'App.tsx', says: 'accepts a JSX attribute expression', before: 'export const A = () => <Chat apiKey="@KEY@" />;\n', after: 'export const A = () => <Chat apiKey={process.env.ANTHROPIC_API_KEY} />;\n', keeps: true },
  { language: 'javascript', fileName: 'a.js', says: 'rejects an object key that no longer parses', before: "const o = { '@KEY@': 1 };\n", after: 'const o = { process.env.ANTHROPIC_API_KEY: 1 };\n', keeps: false },
  { language: 'javascript', fileName: 'a.ts', says: 'rejects a lookup that became a type (parses, but is no read)', before: "type K = '@KEY@';\n", after: 'type K = process.env.ANTHROPIC_API_KEY;\n', keeps: false },
  { language: 'javascript', fileName: 'a.js', says: 'rejects a lookup written into a regex literal (issue 12 #8)', before: 'const re = /`@KEY@`/;\n', after: 'const re = /`${process.env.ANTHROPIC_API_KEY}`/;\n', keeps: false },
  { language: 'javascript', fileName: 'Help.jsx', says: 'rejects a lookup written into JSX text', before: 'const h = <p>"@KEY@"</p>;\n', after: 'const h = <p>process.env.ANTHROPIC_API_KEY</p>;\n', keeps: false },
  { language: 'javascript', fileName: 'a.js', says: 'gives no verdict when the original does not parse either', before: "const x = ;\nconst k = '@KEY@';\n", after: 'const x = ;\nconst k = process.env.ANTHROPIC_API_KEY;\n', keeps: true },
  { language: 'javascript', says: 'tries TypeScript and JSX when the file name says nothing', before: "const k = <string>'@KEY@';\n", after: 'const k = <string>process.env.ANTHROPIC_API_KEY!;\n', keeps: true },
  { language: 'javascript', fileName: 'Chat.vue', says: 'gives no verdict on a component file it cannot split', before: "<script>\nconst k = '@KEY@'\n</script>\n", after: '<script>\nconst k = process.env.X x\n</script>\n', keeps: true },
  // Python (@lezer/python)
  { language: 'python', fileName: 'app.py', says: 'accepts os.environ with the added import', before: 'import sys\nclient = Anthropic(api_key="@KEY@")\n', after: 'import os\nimport sys\nclient = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n', keeps: true },
  { language: 'python', fileName: 'app.py', says: 'accepts a lookup in an f-string replacement field', before: 'h = f"Bearer @KEY@"\n', after: 'import os\nh = f"Bearer {os.environ[\'ANTHROPIC_API_KEY\']}"\n', keeps: true },
  { language: 'python', fileName: 'app.py', says: 'rejects a subscript in a match/case pattern (issue 12 #8)', before: 'match k:\n    case "@KEY@":\n        pass\n', after: 'import os\nmatch k:\n    case os.environ["ANTHROPIC_API_KEY"]:\n        pass\n', keeps: false },
  { language: 'python', fileName: 'app.py', says: 'rejects a lookup that landed in a string', before: 'doc = "see @KEY@"\n', after: 'import os\ndoc = "see os.environ[\'ANTHROPIC_API_KEY\']"\n', keeps: false },
  { language: 'python', fileName: 'app.py', says: 'rejects an f-string broken by a reused quote', before: 'h = f"{d[\'a\']} @KEY@"\n', after: 'import os\nh = f"{d[\'a\']} {os.environ["ANTHROPIC_API_KEY"]"\n', keeps: false },
  // JSON (notebooks)
  { language: 'python', fileName: 'analysis.ipynb', says: 'accepts a notebook that still parses as JSON', before: '{"cells": ["@KEY@"]}', after: '{"cells": ["x"]}', keeps: true },
  { language: 'python', fileName: 'analysis.ipynb', says: 'rejects a notebook that no longer parses as JSON', before: '{"cells": ["@KEY@"]}', after: '{"cells": ["x"}', keeps: false },
  // No parser
  { language: 'go', fileName: 'main.go', says: 'gives no verdict where no parser applies', before: 'var k = "@KEY@"\n', after: 'var k = os.Getenv(\n', keeps: true },
];

describe('rewriteKeepsSyntax', () => {
  for (const testCase of CASES) {
    it(`${testCase.language}${testCase.fileName ? ` (${testCase.fileName})` : ''}: ${testCase.says}`, () => {
      assert.equal(rewriteKeepsSyntax(k(testCase.before), k(testCase.after), testCase.language, testCase.fileName), testCase.keeps);
    });
  }

  it('loads no parser until a check runs, so activation and scans never initialise one', () => {
    const out = join(__dirname, '..', '..', '..', '..', 'src', 'core', 'fixes');
    const script = `
      const loaded = () => Object.keys(require.cache).filter((p) => /[\\\\/]@(?:babel|lezer)[\\\\/]/.test(p)).length;
      const check = require(${JSON.stringify(join(out, 'syntaxCheck.js'))});
      require(${JSON.stringify(join(out, 'rewrite.js'))});
      const before = loaded();
      check.rewriteKeepsSyntax('let a = 1;', 'let a = 2;', 'javascript', 'a.js');
      check.rewriteKeepsSyntax('a = 1\\n', 'a = 2\\n', 'python', 'a.py');
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { before, after } = JSON.parse(result.stdout) as { before: number; after: number };
    assert.equal(before, 0, 'no parser module is loaded by importing the fix modules');
    assert.ok(after >= 2, 'both parsers load on first use');
  });
});
