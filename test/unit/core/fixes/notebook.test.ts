// Fixing a key in a notebook's JSON text, as the CLI must (issue 12: "the CLI cannot fix a notebook that the
// editor can"). Notebooks are written the way Jupyter writes them (nbformat 4, indent 1), with fake keys.
import { strict as assert } from 'node:assert';
import { applyEdits } from '../../../../src/core/fixes/edits';
import { rewriteNotebookKey } from '../../../../src/core/fixes/notebook';
import { keyHint } from '../../../../src/core/hint';
import { findTextFindings } from '../../../../src/core/textFindings';
import { fakeKey } from '../../../support/fakeKeys';

const KEY = fakeKey(501);

interface CellSpec {
  type: 'code' | 'markdown' | 'raw';
  source: string[] | string;
}

/** A notebook as Jupyter saves it: one-space indentation, a list of lines per cell, metadata after the cells. */
function notebook(cells: CellSpec[]): string {
  return (
    JSON.stringify(
      {
        cells: cells.map((cell) => ({
          cell_type: cell.type,
          ...(cell.type === 'code' ? { execution_count: null, outputs: [] } : {}),
          metadata: {},
          source: cell.source,
        })),
        metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    ) + '\n'
  );
}

function fix(text: string, hint = keyHint(KEY)): string | undefined {
  const start = text.indexOf(KEY);
  const plan = rewriteNotebookKey(text, start, start + KEY.length, 'ANTHROPIC_API_KEY', hint);
  return plan && applyEdits(text, plan.edits);
}

/** The cells' sources of a notebook text, as Jupyter reads them. */
function sources(text: string): string[] {
  return (JSON.parse(text) as { cells: Array<{ source: string[] | string }> }).cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

describe('rewriteNotebookKey', () => {
  it('rewrites a code cell as Python, adding import os as a line of its own in the same list style', () => {
    const before = notebook([
      { type: 'markdown', source: ['# Analysis\n', 'Calls Claude.'] },
      { type: 'code', source: ['import anthropic\n', `client = anthropic.Anthropic(api_key="${KEY}")\n`, 'print(client)'] },
    ]);
    const after = fix(before)!;
    assert.deepEqual(sources(after), ['# Analysis\nCalls Claude.', 'import os\nimport anthropic\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\nprint(client)']);
    // Only the edits changed: the new element carries the list's own separator, everything else is as it was.
    const expected = before.replace('"import anthropic\\n",', '"import os\\n",\n    "import anthropic\\n",').replace(`api_key=\\"${KEY}\\"`, 'api_key=os.environ[\\"ANTHROPIC_API_KEY\\"]');
    assert.equal(after, expected);
    assert.deepEqual(findTextFindings(after, { fileName: 'analysis.ipynb' }).filter((f) => f.ruleId === 'hardcoded-key'), []);
  });

  it('adds no import when an earlier code cell imports os', () => {
    const before = notebook([
      { type: 'code', source: ['import os'] },
      { type: 'code', source: [`key = '${KEY}'`] },
    ]);
    assert.deepEqual(sources(fix(before)!), ['import os', 'key = os.environ["ANTHROPIC_API_KEY"]']);
  });

  it('keeps the notebook\'s \\u00e9 escapes, also in a string the rewrite turns into an f-string', () => {
    const before = notebook([{ type: 'code', source: ['import os\n', `h = "Caf\u00e9 ${KEY}"\n`, 'x = "na\u00efve"'] }]).replace(/é/g, '\\u00e9').replace(/ï/g, '\\u00ef');
    const after = fix(before)!;
    assert.ok(after.includes('f\\"Caf\\u00e9 {os.environ[\'ANTHROPIC_API_KEY\']}\\"'), after);
    assert.ok(after.includes('"x = \\"na\\u00efve\\""'), 'the untouched line keeps its escape');
    assert.deepEqual(sources(after)[0], 'import os\nh = f"Caf\u00e9 {os.environ[\'ANTHROPIC_API_KEY\']}"\nx = "na\u00efve"');
  });

  it('keeps raw é where the notebook writes it raw', () => {
    const before = notebook([{ type: 'code', source: ['import os\n', `h = "Café ${KEY}"`] }]);
    assert.ok(fix(before)!.includes('f\\"Café {os.environ['));
  });

  it('keeps CRLF line endings and a key after an escape on its line', () => {
    const before = notebook([{ type: 'code', source: ['import os\n', `k = "\\t" + "${KEY}"`] }]).replace(/\n/g, '\r\n');
    const after = fix(before)!;
    assert.ok(!/[^\r]\n/.test(after), 'every line break is still CRLF');
    assert.deepEqual(sources(after), ['import os\nk = "\\t" + os.environ["ANTHROPIC_API_KEY"]']);
  });

  it('rewrites a cell whose source is one string', () => {
    const before = notebook([{ type: 'code', source: `import sys\nkey = "${KEY}"\n` }]);
    assert.deepEqual(sources(fix(before)!), ['import os\nimport sys\nkey = os.environ["ANTHROPIC_API_KEY"]\n']);
  });

  it('redacts a key in a Markdown cell and in a code cell comment, leaving the hint', () => {
    for (const cell of [{ type: 'markdown', source: [`Use ${KEY} here.`] }, { type: 'code', source: [`# old key: ${KEY}\n`, 'x = 1'] }] as CellSpec[]) {
      const before = notebook([cell]);
      const after = fix(before)!;
      assert.equal(after, before.replace(KEY, keyHint(KEY).replace('…', '...')));
    }
  });

  it('refuses what the Python rewrite refuses, and a key outside any cell source', () => {
    assert.equal(fix(notebook([{ type: 'code', source: ['match k:\n', `    case "${KEY}":\n`, '        pass'] }])), undefined);
    const inMetadata = notebook([{ type: 'code', source: ['x = 1'] }]).replace('"kernelspec"', `"${KEY}"`);
    assert.equal(fix(inMetadata), undefined);
    assert.equal(fix(`{"cells": [${JSON.stringify(KEY)}`), undefined, 'not JSON');
  });

  it('leaves every other cell byte-identical', () => {
    const cells: CellSpec[] = [
      { type: 'code', source: ['a = "\\u00e9"\n', 'b = 2'] },
      { type: 'code', source: [`key = "${KEY}"`] },
      { type: 'markdown', source: ['done'] },
    ];
    const before = notebook(cells);
    const after = fix(before)!;
    const first = before.indexOf('"cell_type": "code"');
    const second = before.indexOf('"cell_type": "code"', first + 1);
    assert.equal(after.slice(0, second), before.slice(0, second));
    assert.ok(after.endsWith(before.slice(before.indexOf('"cell_type": "markdown"'))));
  });
});
