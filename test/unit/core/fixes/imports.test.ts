// The one import each lookup needs, placed where the language's tools would put it, touching no other line.
import { strict as assert } from 'node:assert';
import { applyEdits } from '../../../../src/core/fixes/edits';
import { csharpUsingSystemEdit, goImportOsEdit, goImportsOs, lineEndingOf, pythonImportOsEdit, pythonImportsOs } from '../../../../src/core/fixes/imports';
import type { TextEdit } from '../../../../src/core/fixes/edits';

function apply(text: string, edit: TextEdit | undefined): string {
  return edit ? applyEdits(text, [edit]) : text;
}

describe('lineEndingOf', () => {
  it('judges the line ending from the first line break', () => {
    assert.equal(lineEndingOf('a\r\nb\n'), '\r\n');
    assert.equal(lineEndingOf('a\nb\r\n'), '\n');
    assert.equal(lineEndingOf('no break'), '\n');
  });
});

describe('pythonImportsOs / pythonImportOsEdit', () => {
  it('recognises the statements that bind os, and not those that do not', () => {
    for (const text of ['import os\n', 'import os.path\n', 'import sys, os\n']) assert.ok(pythonImportsOs(text), text);
    for (const text of ['import os as o\n', 'from os import environ\n', '    import os\n', '# import os\n', 'import osx\n']) assert.ok(!pythonImportsOs(text), text);
  });

  const cases: Array<[string, string, string]> = [
    ['an empty file', '', 'import os\n'],
    ['a file without a final newline', 'x = 1', 'import os\nx = 1'],
    ['a module that only has a docstring', '"""Doc."""', '"""Doc."""\nimport os\n'],
    ['a BOM, which stays first', '\uFEFFx = 1\n', '\uFEFFimport os\nx = 1\n'],
    ['two __future__ imports', 'from __future__ import a\nfrom __future__ import b\nx = 1\n', 'from __future__ import a\nfrom __future__ import b\nimport os\nx = 1\n'],
    ['CRLF', '"""D."""\r\nx = 1\r\n', '"""D."""\r\nimport os\r\nx = 1\r\n'],
  ];
  for (const [says, before, after] of cases) {
    it(`adds import os to ${says}`, () => assert.equal(apply(before, pythonImportOsEdit(before)), after));
  }

  it('adds nothing when os is imported, and gives up on an unterminated docstring', () => {
    assert.equal(pythonImportOsEdit('import os\nx = 1\n'), undefined);
    assert.equal(pythonImportOsEdit('"""never closed\nx = 1\n'), undefined);
  });
});

describe('goImportsOs / goImportOsEdit', () => {
  it('recognises "os" in a single import and in a block, not an aliased or other package', () => {
    assert.ok(goImportsOs('package m\n\nimport "os"\n'));
    assert.ok(goImportsOs('package m\n\nimport (\n\t"fmt"\n\t"os"\n)\n'));
    assert.ok(!goImportsOs('package m\n\nimport (\n\t"os/exec"\n)\n'));
  });

  it('sorts "os" into the first group of a block, after the last import when it sorts last', () => {
    assert.equal(apply('package m\n\nimport (\n\t"fmt"\n\n\t"github.com/x/y"\n)\n', goImportOsEdit('package m\n\nimport (\n\t"fmt"\n\n\t"github.com/x/y"\n)\n')), 'package m\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"github.com/x/y"\n)\n');
  });

  it('adds an import after the package clause, keeping CRLF, and nothing without one', () => {
    assert.equal(apply('package m\r\n\r\nfunc f() {}\r\n', goImportOsEdit('package m\r\n\r\nfunc f() {}\r\n')), 'package m\r\n\r\nimport "os"\r\n\r\nfunc f() {}\r\n');
    assert.equal(goImportOsEdit('func f() {}\n'), undefined);
  });
});

describe('csharpUsingSystemEdit', () => {
  it('adds using System before the first using, at the top otherwise, and nothing when present', () => {
    assert.equal(apply('using System.Text;\nclass C {}\n', csharpUsingSystemEdit('using System.Text;\nclass C {}\n')), 'using System;\nusing System.Text;\nclass C {}\n');
    assert.equal(apply('class C {}\n', csharpUsingSystemEdit('class C {}\n')), 'using System;\n\nclass C {}\n');
    assert.equal(csharpUsingSystemEdit('global using System;\nclass C {}\n'), undefined);
  });
});
