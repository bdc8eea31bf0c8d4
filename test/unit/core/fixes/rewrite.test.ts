// The rewrite table: every language's lookup, as exact resulting text, with the cases that must be refused.
// `@KEY@` marks where a fake key (built at run time) goes; outputs never hold it unless the key stays.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { applyEdits } from '../../../../src/core/fixes/edits';
import { fixLanguageFor, type FixLanguage } from '../../../../src/core/fixes/languages';
import {
  addSuppressionComment,
  assignedNameAt,
  keyLocation,
  redactKey,
  removeApiKeyOption,
  renamePublicVariable,
  renamePublicVariableEdits,
  rewriteToEnvLookup,
  variableNameFor,
} from '../../../../src/core/fixes/rewrite';
import { rewriteKeepsSyntax } from '../../../../src/core/fixes/syntaxCheck';
import { keyHint } from '../../../../src/core/hint';
import { findTextFindings } from '../../../../src/core/textFindings';
import { fakeKey } from '../../../support/fakeKeys';

const KEY = fakeKey(101);
const MARK = '@KEY@';

/** A bundler-public variable name, joined at run time so this file scans clean of client exposures. */
function publicName(prefix: string, rest: string): string {
  return prefix + rest;
}

function place(source: string): { text: string; start: number; end: number } {
  const start = source.indexOf(MARK);
  assert.ok(start >= 0 && source.indexOf(MARK, start + 1) < 0, 'each input marks exactly one key');
  return { text: source.replace(MARK, KEY), start, end: start + KEY.length };
}

/** The result with the key shown as the marker again, so expectations stay free of keys. */
function unplace(text: string): string {
  return text.split(KEY).join(MARK);
}

interface Case {
  says: string;
  language: FixLanguage;
  input: string;
  /** undefined: the rewrite must refuse. */
  output: string | undefined;
  fileName?: string;
  variable?: string;
}

const LOOKUP_CASES: Case[] = [
  // JavaScript / TypeScript
  { language: 'javascript', says: 'replaces a single-quoted literal, quotes included', input: "const key = '@KEY@';\n", output: 'const key = process.env.ANTHROPIC_API_KEY;\n' },
  { language: 'javascript', says: 'keeps the string type in TypeScript with a non-null assertion', fileName: 'app.ts', input: 'const key: string = "@KEY@";\n', output: 'const key: string = process.env.ANTHROPIC_API_KEY!;\n' },
  { language: 'javascript', says: 'needs no assertion for the SDK apiKey option, which accepts undefined', fileName: 'app.ts', input: "const client = new Anthropic({ apiKey: '@KEY@' });\n", output: 'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n' },
  { language: 'javascript', says: 'replaces a template literal that is only the key', input: 'const key = `@KEY@`;\n', output: 'const key = process.env.ANTHROPIC_API_KEY;\n' },
  { language: 'javascript', says: 'interpolates into a larger template literal', input: 'fetch(url, { headers: { Authorization: `Bearer @KEY@` } });\n', output: 'fetch(url, { headers: { Authorization: `Bearer ${process.env.ANTHROPIC_API_KEY}` } });\n' },
  { language: 'javascript', says: 'turns a larger quoted string into a template literal', input: "const auth = 'Bearer @KEY@';\n", output: 'const auth = `Bearer ${process.env.ANTHROPIC_API_KEY}`;\n' },
  { language: 'javascript', says: 'escapes backticks and ${ when a string becomes a template literal', input: 'const s = "a `b` ${c} @KEY@";\n', output: 'const s = `a \\`b\\` \\${c} ${process.env.ANTHROPIC_API_KEY}`;\n' },
  { language: 'javascript', says: 'interpolates a key inside a multi-line template literal, even in quotes there', input: 'const prompt = `\nx-api-key: "@KEY@"\n`;\n', output: 'const prompt = `\nx-api-key: "${process.env.ANTHROPIC_API_KEY}"\n`;\n' },
  { language: 'javascript', says: 'wraps a JSX attribute value in braces', fileName: 'App.jsx', input: '<Chat apiKey="@KEY@" model="claude" />\n', output: '<Chat apiKey={process.env.ANTHROPIC_API_KEY} model="claude" />\n' },
  { language: 'javascript', says: 'rewrites the script block of a Vue component', fileName: 'Chat.vue', input: "<script>\nconst key = '@KEY@';\n</script>\n", output: '<script>\nconst key = process.env.ANTHROPIC_API_KEY;\n</script>\n' },
  { language: 'javascript', says: 'refuses a Vue template, which cannot read process.env', fileName: 'Chat.vue', input: '<template><Chat api-key="@KEY@" /></template>\n', output: undefined },
  { language: 'javascript', says: 'is not misled by an apostrophe in an earlier string on the line', input: 'const a = "it\'s", key = \'@KEY@\';\n', output: "const a = \"it's\", key = process.env.ANTHROPIC_API_KEY;\n" },
  { language: 'javascript', says: 'is not misled by // inside an earlier string', input: 'const u = "https://x", k = "@KEY@";\n', output: 'const u = "https://x", k = process.env.ANTHROPIC_API_KEY;\n' },
  { language: 'javascript', says: 'uses the variable it is given', variable: 'ANALYTICS_ANTHROPIC_KEY', input: 'const ANALYTICS_ANTHROPIC_KEY = "@KEY@";\n', output: 'const ANALYTICS_ANTHROPIC_KEY = process.env.ANALYTICS_ANTHROPIC_KEY;\n' },
  { language: 'javascript', says: 'refuses a key in a line comment', input: '// old key: @KEY@\n', output: undefined },
  { language: 'javascript', says: 'refuses a key in a block comment', input: '/**\n * Example: @KEY@\n */\nconst x = 1;\n', output: undefined },
  { language: 'javascript', says: 'refuses a key outside any string', input: 'const x = 1; @KEY@\n', output: undefined },
  { language: 'javascript', says: "refuses a literal under 'as const'", fileName: 'a.ts', input: "const key = '@KEY@' as const;\n", output: undefined },
  { language: 'javascript', says: 'refuses a tagged template', input: 'const q = sql`select @KEY@`;\n', output: undefined },
  // Python
  { language: 'python', says: 'adds import os to the import block', input: "import sys\n\nkey = '@KEY@'\n", output: 'import os\nimport sys\n\nkey = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'does not duplicate an existing import os', input: 'import os\nclient = Anthropic(api_key="@KEY@")\n', output: 'import os\nclient = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n' },
  { language: 'python', says: 'counts import sys, os as importing os', input: 'import sys, os\nk = "@KEY@"\n', output: 'import sys, os\nk = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'puts the import after the docstring and __future__ imports', input: '"""Calls Claude."""\nfrom __future__ import annotations\n\nkey = "@KEY@"\n', output: '"""Calls Claude."""\nfrom __future__ import annotations\n\nimport os\nkey = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'puts the import after a multi-line docstring', input: '"""Module.\n\nMore.\n"""\n\nkey = "@KEY@"\n', output: '"""Module.\n\nMore.\n"""\n\nimport os\nkey = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'keeps the shebang and encoding lines first', input: '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nkey = "@KEY@"\n', output: '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\nkey = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'leaves a leading comment block above the import', input: '# Copyright\n\nkey = "@KEY@"\n', output: '# Copyright\n\nimport os\nkey = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'keeps CRLF line endings', input: 'import sys\r\nkey = "@KEY@"\r\n', output: 'import os\r\nimport sys\r\nkey = os.environ["ANTHROPIC_API_KEY"]\r\n' },
  { language: 'python', says: 'turns a larger string into an f-string with the other quote inside', input: 'headers = {"x-api-key": "Bearer @KEY@"}\n', output: "import os\nheaders = {\"x-api-key\": f\"Bearer {os.environ['ANTHROPIC_API_KEY']}\"}\n" },
  { language: 'python', says: 'doubles existing braces when a string becomes an f-string', input: "t = 'use {x} @KEY@'\n", output: 'import os\nt = f\'use {{x}} {os.environ["ANTHROPIC_API_KEY"]}\'\n' },
  { language: 'python', says: 'adds a replacement field to an existing f-string', input: 'h = f"Bearer {prefix}@KEY@"\n', output: "import os\nh = f\"Bearer {prefix}{os.environ['ANTHROPIC_API_KEY']}\"\n" },
  { language: 'python', says: 'keeps bytes literals bytes', input: 'k = b"@KEY@"\n', output: 'import os\nk = os.environ["ANTHROPIC_API_KEY"].encode()\n' },
  { language: 'python', says: 'replaces a raw string with its prefix', input: "k = r'@KEY@'\n", output: 'import os\nk = os.environ["ANTHROPIC_API_KEY"]\n' },
  { language: 'python', says: 'keeps an implicitly concatenated literal a literal', input: 'auth = ("Bearer " "@KEY@")\n', output: "import os\nauth = (\"Bearer \" f\"{os.environ['ANTHROPIC_API_KEY']}\")\n" },
  { language: 'python', says: 'treats a notebook cell as Python', fileName: 'analysis.ipynb', input: 'client = anthropic.Anthropic(api_key="@KEY@")\n', output: 'import os\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n' },
  { language: 'python', says: 'refuses a key in a comment', input: '# key: @KEY@\n', output: undefined },
  { language: 'python', says: 'refuses a key in a docstring', input: 'def f():\n    """\n    Use @KEY@\n    """\n', output: undefined },
  // Go
  { language: 'go', says: 'adds "os" to the import block in sorted position', input: 'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nvar key = "@KEY@"\n', output: 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\nvar key = os.Getenv("ANTHROPIC_API_KEY")\n' },
  { language: 'go', says: 'adds an import after the package clause when there is none', input: 'package main\n\nfunc main() {\n\tkey := "@KEY@"\n\t_ = key\n}\n', output: 'package main\n\nimport "os"\n\nfunc main() {\n\tkey := os.Getenv("ANTHROPIC_API_KEY")\n\t_ = key\n}\n' },
  { language: 'go', says: 'adds an import line after a single-line import', input: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("@KEY@") }\n', output: 'package main\n\nimport "fmt"\nimport "os"\n\nfunc main() { fmt.Println(os.Getenv("ANTHROPIC_API_KEY")) }\n' },
  { language: 'go', says: 'does not duplicate an existing "os" import', input: 'package main\n\nimport (\n\t"os"\n)\n\nvar k = "@KEY@"\n', output: 'package main\n\nimport (\n\t"os"\n)\n\nvar k = os.Getenv("ANTHROPIC_API_KEY")\n' },
  { language: 'go', says: 'concatenates into a larger string', input: 'package main\n\nimport "net/http"\n\nfunc f(r *http.Request) { r.Header.Set("Authorization", "Bearer @KEY@") }\n', output: 'package main\n\nimport "net/http"\nimport "os"\n\nfunc f(r *http.Request) { r.Header.Set("Authorization", "Bearer " + os.Getenv("ANTHROPIC_API_KEY")) }\n' },
  { language: 'go', says: 'replaces a raw string', input: 'package main\n\nimport "os"\n\nvar k = `@KEY@`\n', output: 'package main\n\nimport "os"\n\nvar k = os.Getenv("ANTHROPIC_API_KEY")\n' },
  { language: 'go', says: 'refuses a key in a const block', input: 'package main\n\nconst (\n\tmodel = "claude"\n\tkey   = "@KEY@"\n)\n', output: undefined },
  // Java, Kotlin, C#
  { language: 'java', says: 'replaces a literal with System.getenv', input: 'String key = "@KEY@";\n', output: 'String key = System.getenv("ANTHROPIC_API_KEY");\n' },
  { language: 'java', says: 'concatenates into a larger string', input: 'conn.setRequestProperty("Authorization", "Bearer @KEY@");\n', output: 'conn.setRequestProperty("Authorization", "Bearer " + System.getenv("ANTHROPIC_API_KEY"));\n' },
  { language: 'java', says: 'parenthesizes a concatenation followed by a method call', input: 'int n = "Bearer @KEY@".length();\n', output: 'int n = ("Bearer " + System.getenv("ANTHROPIC_API_KEY")).length();\n' },
  { language: 'java', says: 'refuses a text block', input: 'String s = """\n    @KEY@\n    """;\n', output: undefined },
  { language: 'kotlin', says: 'drops const from a private const val the file never uses as a constant', input: 'private const val API_KEY = "@KEY@"\n', output: 'private val API_KEY = System.getenv("ANTHROPIC_API_KEY")\n' },
  { language: 'kotlin', says: 'uses a string template inside a larger string', input: 'val auth = "Bearer @KEY@"\n', output: 'val auth = "Bearer ${System.getenv("ANTHROPIC_API_KEY")}"\n' },
  { language: 'csharp', says: 'uses Environment with an existing using System', input: 'using System;\nusing System.Net.Http;\n\nvar key = "@KEY@";\n', output: 'using System;\nusing System.Net.Http;\n\nvar key = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");\n' },
  { language: 'csharp', says: 'adds using System before the other usings', input: 'using System.Net.Http;\n\nvar key = "@KEY@";\n', output: 'using System;\nusing System.Net.Http;\n\nvar key = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");\n' },
  { language: 'csharp', says: 'splits a verbatim string keeping its prefix', input: 'using System;\nvar h = @"Bearer @KEY@";\n', output: 'using System;\nvar h = @"Bearer " + Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");\n' },
  { language: 'csharp', says: 'refuses a const', input: 'const string Key = "@KEY@";\n', output: undefined },
  // Ruby, PHP, Rust
  { language: 'ruby', says: 'replaces a literal with ENV.fetch', input: 'client = Anthropic::Client.new(api_key: "@KEY@")\n', output: 'client = Anthropic::Client.new(api_key: ENV.fetch("ANTHROPIC_API_KEY"))\n' },
  { language: 'ruby', says: 'interpolates into a double-quoted string', input: 'auth = "Bearer @KEY@"\n', output: 'auth = "Bearer #{ENV.fetch("ANTHROPIC_API_KEY")}"\n' },
  { language: 'ruby', says: 'concatenates into a single-quoted string', input: "auth = 'Bearer @KEY@'\n", output: "auth = 'Bearer ' + ENV.fetch(\"ANTHROPIC_API_KEY\")\n" },
  { language: 'ruby', says: 'refuses a key in a comment', input: '# @KEY@\n', output: undefined },
  { language: 'php', says: 'replaces a literal with getenv', input: "<?php\n$client = Anthropic::client('@KEY@');\n", output: "<?php\n$client = Anthropic::client(getenv('ANTHROPIC_API_KEY'));\n" },
  { language: 'php', says: 'concatenates with the dot operator', input: "<?php\n$h = 'x-api-key: @KEY@';\n", output: "<?php\n$h = 'x-api-key: ' . getenv('ANTHROPIC_API_KEY');\n" },
  { language: 'php', says: 'refuses a property default, which must be constant', input: "<?php\nclass C {\n    private string $key = '@KEY@';\n}\n", output: undefined },
  { language: 'rust', says: 'replaces a str literal with std::env::var and an error message', input: 'let key = "@KEY@";\n', output: 'let key = std::env::var("ANTHROPIC_API_KEY").expect("ANTHROPIC_API_KEY is not set");\n' },
  { language: 'rust', says: 'replaces a raw string', input: 'let key = r#"@KEY@"#;\n', output: 'let key = std::env::var("ANTHROPIC_API_KEY").expect("ANTHROPIC_API_KEY is not set");\n' },
  { language: 'rust', says: 'is not misled by a lifetime', input: "fn f<'a>(x: &'a str) -> String { \"@KEY@\".to_string() }\n", output: "fn f<'a>(x: &'a str) -> String { std::env::var(\"ANTHROPIC_API_KEY\").expect(\"ANTHROPIC_API_KEY is not set\").to_string() }\n" },
  { language: 'rust', says: 'refuses a const', input: 'const KEY: &str = "@KEY@";\n', output: undefined },
  { language: 'rust', says: 'refuses a key inside a larger string', input: 'let h = "Bearer @KEY@";\n', output: undefined },
  // Shell
  { language: 'shell', says: 'quotes an unquoted value so it expands', input: 'API=@KEY@\n', output: 'API="$ANTHROPIC_API_KEY"\n' },
  // `export X="$X"` would set nothing (direnv's .envrc then exports an empty key): the code sets the variable.
  { language: 'shell', says: 'refuses the value exported to the environment (red team F22)', input: 'export ANTHROPIC_API_KEY=@KEY@\n', output: undefined },
  { language: 'shell', says: 'turns single quotes into expanding double quotes', input: "API='@KEY@'\n", output: 'API="$ANTHROPIC_API_KEY"\n' },
  { language: 'shell', says: 'closes and reopens a larger single-quoted string', input: "curl -H 'x-api-key: @KEY@' https://api.anthropic.com\n", output: 'curl -H \'x-api-key: \'"$ANTHROPIC_API_KEY" https://api.anthropic.com\n' },
  { language: 'shell', says: 'uses ${NAME} inside a larger double-quoted string', input: 'curl -H "x-api-key: @KEY@" https://api.anthropic.com\n', output: 'curl -H "x-api-key: ${ANTHROPIC_API_KEY}" https://api.anthropic.com\n' },
  { language: 'shell', says: 'splits an ANSI-C quoted string', input: "h=$'x-api-key: @KEY@\\n'\n", output: 'h=$\'x-api-key: \'"$ANTHROPIC_API_KEY"$\'\\n\'\n' },
  { language: 'shell', says: 'does not take a # inside a word for a comment', input: 'curl "u#x" -H x-api-key:@KEY@\n', output: 'curl "u#x" -H x-api-key:"$ANTHROPIC_API_KEY"\n' },
  { language: 'shell', says: 'refuses a key in a comment', input: '# export ANTHROPIC_API_KEY=@KEY@\n', output: undefined },
  // Dockerfile
  { language: 'dockerfile', says: 'replaces a sole ENV pair with a run-time comment', input: 'FROM node:20\nENV ANTHROPIC_API_KEY=@KEY@\nCMD ["node", "app.js"]\n', output: 'FROM node:20\n# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY ...\nCMD ["node", "app.js"]\n' },
  { language: 'dockerfile', says: 'handles the legacy ENV NAME value form', input: 'ENV ANTHROPIC_API_KEY @KEY@\n', output: '# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY ...\n' },
  { language: 'dockerfile', says: 'removes one pair from a continued ENV', input: 'ENV MODEL=claude \\\n    ANTHROPIC_API_KEY="@KEY@" \\\n    DEBUG=1\n', output: '# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY ...\nENV MODEL=claude \\\n    DEBUG=1\n' },
  { language: 'dockerfile', says: 'removes the last pair of a continued ENV and its continuation', input: 'ENV MODEL=claude \\\n    ANTHROPIC_API_KEY=@KEY@\nRUN npm ci\n', output: '# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY ...\nENV MODEL=claude\nRUN npm ci\n' },
  { language: 'dockerfile', says: 'removes one pair from a single-line ENV', input: 'ENV MODEL=claude ANTHROPIC_API_KEY=@KEY@ DEBUG=1\n', output: '# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY ...\nENV MODEL=claude DEBUG=1\n' },
  { language: 'dockerfile', says: 'names the stored variable when it differs from the ENV name', variable: 'ANTHROPIC_API_KEY_2', input: 'ENV ANTHROPIC_API_KEY=@KEY@\n', output: '# ANTHROPIC_API_KEY is provided at run time: docker run -e ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY_2" ...\n' },
  { language: 'dockerfile', says: 'drops an ARG default and points to build secrets', input: 'ARG ANTHROPIC_API_KEY=@KEY@\n', output: '# ANTHROPIC_API_KEY has no default: pass the key as a build secret (docker build --secret id=ANTHROPIC_API_KEY,env=ANTHROPIC_API_KEY with RUN --mount=type=secret,id=ANTHROPIC_API_KEY,env=ANTHROPIC_API_KEY ...), not --build-arg\nARG ANTHROPIC_API_KEY\n' },
  { language: 'dockerfile', says: 'refuses a key in a RUN command', input: 'RUN curl -H "x-api-key: @KEY@" https://api.anthropic.com\n', output: undefined },
  { language: 'dockerfile', says: 'refuses a key in a comment', input: '# ENV ANTHROPIC_API_KEY=@KEY@\n', output: undefined },
  // docker compose, GitHub Actions
  { language: 'compose', says: 'substitutes a mapping value', input: 'services:\n  app:\n    environment:\n      ANTHROPIC_API_KEY: @KEY@\n', output: 'services:\n  app:\n    environment:\n      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY}\n' },
  { language: 'compose', says: 'substitutes in the list form', input: '    environment:\n      - ANTHROPIC_API_KEY=@KEY@\n', output: '    environment:\n      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}\n' },
  { language: 'compose', says: 'keeps the quotes of a quoted value', input: '      ANTHROPIC_API_KEY: "@KEY@"\n', output: '      ANTHROPIC_API_KEY: "${ANTHROPIC_API_KEY}"\n' },
  { language: 'compose', says: 'quotes the substitution in a flow mapping', input: '    environment: { ANTHROPIC_API_KEY: @KEY@ }\n', output: '    environment: { ANTHROPIC_API_KEY: "${ANTHROPIC_API_KEY}" }\n' },
  { language: 'compose', says: 'refuses a key in a comment', input: '    # ANTHROPIC_API_KEY: @KEY@\n', output: undefined },
  { language: 'github-actions', says: 'reads a secret in env', input: 'env:\n  ANTHROPIC_API_KEY: @KEY@\n', output: 'env:\n  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n' },
  { language: 'github-actions', says: 'reads a secret inside a run command', input: '      - run: curl -H "x-api-key: @KEY@" https://api.anthropic.com/v1/models\n', output: '      - run: curl -H "x-api-key: ${{ secrets.ANTHROPIC_API_KEY }}" https://api.anthropic.com/v1/models\n' },
  { language: 'github-actions', says: 'refuses a secret name GitHub reserves', variable: 'GITHUB_ANTHROPIC_KEY', input: 'env:\n  K: @KEY@\n', output: undefined },
  // No lookup at all
  { language: 'config', says: 'offers no lookup in JSON', fileName: 'settings.json', input: '{ "anthropicKey": "@KEY@" }\n', output: undefined },
  { language: 'prose', says: 'offers no lookup in Markdown', fileName: 'README.md', input: 'Set `ANTHROPIC_API_KEY=@KEY@`.\n', output: undefined },
];

describe('rewriteToEnvLookup', () => {
  for (const testCase of LOOKUP_CASES) {
    it(`${testCase.language}: ${testCase.says}`, () => {
      const { text, start, end } = place(testCase.input);
      const result = rewriteToEnvLookup(text, start, end, testCase.variable ?? 'ANTHROPIC_API_KEY', testCase.language, { fileName: testCase.fileName });
      if (testCase.output === undefined) {
        assert.equal(result, undefined);
        return;
      }
      assert.ok(result, 'a rewrite is offered');
      const output = applyEdits(text, result.edits);
      assert.equal(unplace(output), testCase.output);
      assert.ok(!output.includes(KEY), 'the key is gone');
      assert.ok(!result.title.includes(KEY) && !(result.note ?? '').includes(KEY), 'the title and note hold no key');
    });
  }

  it('refuses names that are not environment variable names', () => {
    const { text, start, end } = place("const k = '@KEY@';\n");
    assert.equal(rewriteToEnvLookup(text, start, end, 'NOT A NAME', 'javascript'), undefined);
    assert.equal(rewriteToEnvLookup(text, start, end, 'X; rm -rf /', 'shell'), undefined);
  });

  it('produces Python that parses, for every Python case', function () {
    const outputs = LOOKUP_CASES.filter((c) => c.language === 'python' && c.output !== undefined).map((c) => c.output!);
    const check = spawnSync('python3', ['-c', 'import ast, json, sys\nfor source in json.load(sys.stdin): ast.parse(source)'], {
      input: JSON.stringify(outputs),
      encoding: 'utf8',
    });
    if (check.error) this.skip(); // no python3 on this machine
    assert.equal(check.status, 0, check.stderr);
  });

  it('produces JavaScript and TypeScript without syntax errors, for every such case', () => {
    for (const testCase of LOOKUP_CASES.filter((c) => c.language === 'javascript' && c.output !== undefined)) {
      const fileName = testCase.fileName ?? 'case.ts';
      if (/\.(?:vue|svelte|astro)$/.test(fileName)) continue;
      const source = ts.createSourceFile(fileName.replace(/\.jsx$/, '.tsx').replace(/\.js$/, '.ts'), testCase.output!, ts.ScriptTarget.Latest, true);
      const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], testCase.says);
    }
  });

  it('produces shell that bash accepts, for every shell case', function () {
    const outputs = LOOKUP_CASES.filter((c) => c.language === 'shell' && c.output !== undefined).map((c) => c.output!);
    const check = spawnSync('bash', ['-n'], { input: outputs.join(''), encoding: 'utf8' });
    if (check.error) this.skip();
    assert.equal(check.status, 0, check.stderr);
  });

  it('produces Java that compiles', function () {
    this.timeout(60000);
    const dir = mkdtempSync(join(tmpdir(), 'akh-java-'));
    try {
      const { text, start, end } = place('class Main {\n  private static final String KEY = "@KEY@";\n  static int n() { return "Bearer x".length(); }\n}\n');
      const result = rewriteToEnvLookup(text, start, end, 'ANTHROPIC_API_KEY', 'java')!;
      writeFileSync(join(dir, 'Main.java'), applyEdits(text, result.edits));
      const check = spawnSync('javac', ['-d', dir, join(dir, 'Main.java')], { encoding: 'utf8' });
      if (check.error) this.skip();
      assert.equal(check.status, 0, check.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Issue 12 #8 and its siblings: contexts where a lookup would not compile or would change what the code means.
 * Each either gets the one rewrite that keeps the meaning, or none (the key then needs a human). */
const MEANING_CASES: Case[] = [
  // JavaScript / TypeScript
  { language: 'javascript', says: 'refuses a key in a regex literal holding a backtick (issue 12 #8)', input: 'const re = /`x-api-key: @KEY@`/;\n', output: undefined },
  { language: 'javascript', says: 'refuses a key in quotes inside a regex literal', input: 'if (/"@KEY@"/.test(header)) deny();\n', output: undefined },
  { language: 'javascript', says: 'still rewrites after a division, which is not a regex', input: "const half = total / 2, key = '@KEY@';\n", output: 'const half = total / 2, key = process.env.ANTHROPIC_API_KEY;\n' },
  { language: 'javascript', says: 'refuses a key used as an object key (issue 12 #8)', input: "const allowed = { '@KEY@': true };\n", output: undefined },
  { language: 'javascript', says: 'refuses a key used as a class member name', input: "class Keys { '@KEY@' = 1; }\n", output: undefined },
  { language: 'javascript', says: 'refuses a module specifier', input: "import key from '@KEY@';\n", output: undefined },
  { language: 'javascript', says: 'rewrites a string nested in a template literal expression as a string', input: "const h = `Bearer ${admin ? '@KEY@' : ''}`;\n", output: "const h = `Bearer ${admin ? process.env.ANTHROPIC_API_KEY : ''}`;\n" },
  { language: 'javascript', says: 'refuses a key right after a backslash in a template literal, where ${ would be escaped', input: 'const s = `x\\@KEY@`;\n', output: undefined },
  { language: 'javascript', says: 'refuses a key in JSX text, where quotes are text', fileName: 'Help.jsx', input: 'const help = <p>Paste "@KEY@" here</p>;\n', output: undefined },
  { language: 'javascript', says: 'refuses a TypeScript literal type (issue 12 #8)', fileName: 'a.ts', input: "type Key = '@KEY@';\n", output: undefined },
  { language: 'javascript', says: 'refuses a literal type in a variable annotation', fileName: 'a.ts', input: "let key: '@KEY@' = load();\n", output: undefined },
  { language: 'javascript', says: 'refuses a literal type in a parameter annotation', fileName: 'a.ts', input: "function use(key: '@KEY@') {}\n", output: undefined },
  { language: 'javascript', says: 'refuses a template literal type', fileName: 'a.ts', input: 'type Header = `Bearer @KEY@`;\n', output: undefined },
  { language: 'javascript', says: 'refuses a member of a union type', fileName: 'a.ts', input: "type Keys = 'none' | '@KEY@';\n", output: undefined },
  { language: 'javascript', says: 'refuses a generic type argument', fileName: 'a.ts', input: "const keys = new Set<'@KEY@'>();\n", output: undefined },
  { language: 'javascript', says: 'refuses an interface member type', fileName: 'a.ts', input: "interface Config { key: '@KEY@' }\n", output: undefined },
  { language: 'javascript', says: 'refuses a string enum member, which takes literals only', fileName: 'a.ts', input: "enum Keys { Main = '@KEY@' }\n", output: undefined },
  { language: 'javascript', says: 'still rewrites the value of a conditional in TypeScript', fileName: 'a.ts', input: "const key = prod ? '@KEY@' : '';\n", output: "const key = prod ? process.env.ANTHROPIC_API_KEY! : '';\n" },
  // Python
  { language: 'python', says: 'keeps a 3.12 f-string whole when its field reuses the outer quote (issue 12 #8)', input: 'auth = f"{creds["scheme"]} @KEY@"\n', output: 'import os\nauth = f"{creds["scheme"]} {os.environ[\'ANTHROPIC_API_KEY\']}"\n' },
  { language: 'python', says: 'refuses a key in a string inside an f-string replacement field', input: 'auth = f"Bearer {\'@KEY@\'}"\n', output: undefined },
  { language: 'python', says: 'refuses a match/case literal pattern (issue 12 #8)', input: 'match key:\n    case "@KEY@":\n        allow()\n', output: undefined },
  { language: 'python', says: 'refuses a typing.Literal type', input: 'def check(k: Literal["@KEY@"]) -> None: ...\n', output: undefined },
  { language: 'python', says: 'refuses a docstring', input: 'def f():\n    "@KEY@"\n', output: undefined },
  // Go
  { language: 'go', says: 'refuses a single-line const, whose untyped constant a var would not replace', input: 'package main\n\nconst key = "@KEY@"\n', output: undefined },
  { language: 'go', says: 'refuses a struct field tag', input: 'package main\n\ntype T struct {\n\tKey string `json:"@KEY@"`\n}\n', output: undefined },
  // Java
  { language: 'java', says: 'refuses a case label (issue 12 #8)', input: 'switch (key) {\n  case "@KEY@": return true;\n}\n', output: undefined },
  { language: 'java', says: 'refuses an annotation argument', input: 'class C {\n  @Header("@KEY@")\n  void call() {}\n}\n', output: undefined },
  { language: 'java', says: 'refuses a package-visible constant other classes may use as one', input: 'class C {\n  static final String KEY = "@KEY@";\n}\n', output: undefined },
  { language: 'java', says: 'refuses a private constant the file uses in a case label', input: 'class C {\n  private static final String KEY = "@KEY@";\n  boolean ok(String k) { switch (k) { case KEY: return true; default: return false; } }\n}\n', output: undefined },
  { language: 'java', says: 'refuses an interface field, which is a constant', input: 'interface Keys {\n  String MAIN = "@KEY@";\n}\n', output: undefined },
  // Kotlin
  { language: 'kotlin', says: 'refuses a public const val, which other code may use as a constant', input: 'const val API_KEY = "@KEY@"\n', output: undefined },
  { language: 'kotlin', says: 'refuses an annotation argument', input: '@Named("@KEY@")\nclass Client\n', output: undefined },
  // C#
  { language: 'csharp', says: 'refuses a case label', input: 'switch (k) { case "@KEY@": break; }\n', output: undefined },
  { language: 'csharp', says: 'refuses a constant pattern', input: 'var ok = k is "@KEY@";\n', output: undefined },
  { language: 'csharp', says: 'refuses a switch expression arm', input: 'var r = k switch { "@KEY@" => 1, _ => 0 };\n', output: undefined },
  { language: 'csharp', says: 'refuses an optional parameter default', input: 'void Call(string key = "@KEY@") {}\n', output: undefined },
  { language: 'csharp', says: 'refuses an attribute argument on a line of its own', input: 'class C {\n    [Header(\n        "@KEY@")]\n    void M() {}\n}\n', output: undefined },
  { language: 'csharp', says: 'refuses a string nested in an interpolation hole', input: 'var h = $"{(admin ? "@KEY@" : "")}";\n', output: undefined },
  // Rust
  { language: 'rust', says: 'refuses a match arm pattern', input: 'let ok = match k { "@KEY@" => true, _ => false };\n', output: undefined },
  { language: 'rust', says: 'refuses an attribute value', input: '#[doc = "@KEY@"]\nfn f() {}\n', output: undefined },
  { language: 'rust', says: 'refuses a concat! argument', input: 'let s = concat!("@KEY@", "x");\n', output: undefined },
  { language: 'rust', says: 'refuses a format string', input: 'println!("@KEY@");\n', output: undefined },
  // PHP
  { language: 'php', says: 'refuses a parameter default', input: "<?php\nfunction call($key = '@KEY@') {}\n", output: undefined },
  { language: 'php', says: 'refuses an enum case value', input: "<?php\nenum Keys: string {\n    case Main = '@KEY@';\n}\n", output: undefined },
  { language: 'php', says: 'refuses an attribute argument', input: "<?php\n#[Header('@KEY@')]\nfunction f() {}\n", output: undefined },
  { language: 'php', says: 'refuses a heredoc body, where quotes are text', input: '<?php\n$body = <<<EOT\n{"key": "@KEY@"}\nEOT;\n', output: undefined },
  { language: 'php', says: 'refuses a nowdoc body', input: "<?php\n$body = <<<'EOT'\n'@KEY@'\nEOT;\n", output: undefined },
  { language: 'php', says: 'refuses HTML outside the PHP tags', input: '<?php $x = 1; ?>\n<input value="@KEY@">\n', output: undefined },
  // Ruby
  { language: 'ruby', says: 'interpolates into a heredoc that interpolates, where quotes are text', input: 'body = <<~EOS\n  {"key": "@KEY@"}\nEOS\n', output: 'body = <<~EOS\n  {"key": "#{ENV.fetch("ANTHROPIC_API_KEY")}"}\nEOS\n' },
  { language: 'ruby', says: 'refuses a quoted heredoc, which interpolates nothing', input: "body = <<~'EOS'\n  key: '@KEY@'\nEOS\n", output: undefined },
  { language: 'ruby', says: 'refuses a symbol', input: 'k = :"@KEY@"\n', output: undefined },
  { language: 'ruby', says: 'refuses a string used as a symbol hash key', input: 'h = { "@KEY@": 1 }\n', output: undefined },
  { language: 'ruby', says: 'refuses quotes inside a %q literal', input: "k = %q('@KEY@')\n", output: undefined },
  { language: 'ruby', says: 'refuses an in pattern', input: 'case k\nin "@KEY@" then 1\nend\n', output: undefined },
  { language: 'ruby', says: 'refuses quotes inside a regex literal', input: 'ok = header =~ /"@KEY@"/\n', output: undefined },
  // Shell, Dockerfile
  { language: 'shell', says: "refuses a quoted heredoc, where $NAME is never expanded (issue 12 #8)", input: 'cat <<\'EOF\' > req.json\n{"key": "@KEY@"}\nEOF\n', output: undefined },
  { language: 'shell', says: 'writes a bare ${NAME} in an unquoted heredoc, where quotes are literal', input: "cat <<EOF > req.json\n{\"key\": '@KEY@'}\nEOF\n", output: "cat <<EOF > req.json\n{\"key\": '${ANTHROPIC_API_KEY}'}\nEOF\n" },
  { language: 'shell', says: 'knows a <<- heredoc ends at a tab-indented delimiter', input: 'cat <<-EOF\n\tkey=@KEY@\n\tEOF\n', output: 'cat <<-EOF\n\tkey=${ANTHROPIC_API_KEY}\n\tEOF\n' },
  { language: 'shell', says: 'rewrites after a heredoc has ended', input: "cat <<'EOF'\ntext\nEOF\nK=@KEY@\n", output: 'cat <<\'EOF\'\ntext\nEOF\nK="$ANTHROPIC_API_KEY"\n' },
  { language: 'shell', says: 'does not take an arithmetic shift for a heredoc', input: 'x=$((1 << 2))\nK=@KEY@\n', output: 'x=$((1 << 2))\nK="$ANTHROPIC_API_KEY"\n' },
  { language: 'shell', says: 'refuses a string nested in a command substitution in double quotes', input: 'curl -H "x-api-key: $(echo \'@KEY@\')" https://api.anthropic.com\n', output: undefined },
  { language: 'dockerfile', says: 'refuses an ENV line that is a heredoc body', input: 'RUN <<EOF\nENV ANTHROPIC_API_KEY=@KEY@\nEOF\n', output: undefined },
];

describe('rewriteToEnvLookup keeps the meaning or refuses (issue 12 #8)', () => {
  it('passes the parse check with every JavaScript, TypeScript and Python rewrite in the tables', () => {
    for (const testCase of [...LOOKUP_CASES, ...MEANING_CASES].filter((c) => (c.language === 'javascript' || c.language === 'python') && c.output !== undefined)) {
      const { text, start, end } = place(testCase.input);
      const result = rewriteToEnvLookup(text, start, end, testCase.variable ?? 'ANTHROPIC_API_KEY', testCase.language, { fileName: testCase.fileName });
      const fileName = testCase.fileName ?? (testCase.language === 'python' ? 'case.py' : 'case.ts');
      assert.ok(rewriteKeepsSyntax(text, applyEdits(text, result!.edits), testCase.language, fileName), testCase.says);
    }
  });

  for (const testCase of MEANING_CASES) {
    it(`${testCase.language}: ${testCase.says}`, () => {
      const { text, start, end } = place(testCase.input);
      const result = rewriteToEnvLookup(text, start, end, testCase.variable ?? 'ANTHROPIC_API_KEY', testCase.language, { fileName: testCase.fileName });
      if (testCase.output === undefined) {
        assert.equal(result && unplace(applyEdits(text, result.edits)), undefined, 'no rewrite is offered');
        return;
      }
      assert.ok(result, 'a rewrite is offered');
      assert.equal(unplace(applyEdits(text, result.edits)), testCase.output);
    });
  }
});

describe('plan titles say exactly what the edit writes (issue 12, small things)', () => {
  const titles: Array<[FixLanguage, string, string, string?]> = [
    ['python', "import sys\nk = '@KEY@'\n", 'Replace the key with os.environ["ANTHROPIC_API_KEY"] and add import os'],
    ['python', 'import os\nk = b"@KEY@"\n', 'Replace the key with os.environ["ANTHROPIC_API_KEY"].encode()'],
    ['python', 'import os\nh = "Bearer @KEY@"\n', "Replace the key with an f-string reading os.environ['ANTHROPIC_API_KEY']"],
    ['go', 'package main\n\nvar k = "@KEY@"\n', 'Replace the key with os.Getenv("ANTHROPIC_API_KEY") and add import "os"'],
    ['csharp', 'var k = "@KEY@";\n', 'Replace the key with Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") and add using System;'],
    ['javascript', "const k: string = '@KEY@';\n", 'Replace the key with process.env.ANTHROPIC_API_KEY!', 'a.ts'],
    ['javascript', "const h = 'Bearer @KEY@';\n", 'Replace the key with a template literal reading ${process.env.ANTHROPIC_API_KEY}'],
    ['shell', 'curl -H "x-api-key: @KEY@"\n', 'Replace the key with ${ANTHROPIC_API_KEY}'],
    ['kotlin', 'private const val K = "@KEY@"\n', 'Replace the key with System.getenv("ANTHROPIC_API_KEY") and drop const from the private const val'],
    ['ruby', 'h = "Bearer @KEY@"\n', 'Replace the key with #{ENV.fetch("ANTHROPIC_API_KEY")}'],
  ];
  for (const [language, source, title, fileName] of titles) {
    it(`${language}: ${title}`, () => {
      const { text, start, end } = place(source);
      assert.equal(rewriteToEnvLookup(text, start, end, 'ANTHROPIC_API_KEY', language, { fileName })?.title, title);
    });
  }

  it('names the option in the language of the call: apiKey in JavaScript, api_key= in Python', () => {
    const js = place("new Anthropic({ apiKey: '@KEY@' });\n");
    const py = place('Anthropic(api_key="@KEY@")\n');
    assert.equal(removeApiKeyOption(js.text, js.start, js.end, 'javascript', 'api-key')?.title, 'Remove the apiKey option (the SDK reads ANTHROPIC_API_KEY)');
    assert.equal(removeApiKeyOption(py.text, py.start, py.end, 'python', 'api-key')?.title, 'Remove api_key= (the SDK reads ANTHROPIC_API_KEY)');
  });
});

interface RemoveCase {
  says: string;
  language: FixLanguage;
  input: string;
  output: string | undefined;
}

const REMOVE_CASES: RemoveCase[] = [
  { language: 'javascript', says: 'leaves new Anthropic() when apiKey was the only option', input: "const client = new Anthropic({ apiKey: '@KEY@' });\n", output: 'const client = new Anthropic();\n' },
  { language: 'javascript', says: 'leaves new Anthropic() for a multi-line sole option with a trailing comma', input: "const client = new Anthropic({\n  apiKey: '@KEY@',\n});\n", output: 'const client = new Anthropic();\n' },
  { language: 'javascript', says: 'removes the line of an option among others', input: "const client = new Anthropic({\n  apiKey: '@KEY@',\n  maxRetries: 2,\n});\n", output: 'const client = new Anthropic({\n  maxRetries: 2,\n});\n' },
  { language: 'javascript', says: 'removes a first inline option with its comma', input: 'new Anthropic({ apiKey: "@KEY@", maxRetries: 2 });\n', output: 'new Anthropic({ maxRetries: 2 });\n' },
  { language: 'javascript', says: 'removes a last inline option with the comma before it', input: 'new Anthropic({ maxRetries: 2, apiKey: "@KEY@" });\n', output: 'new Anthropic({ maxRetries: 2 });\n' },
  { language: 'javascript', says: 'accepts a namespaced constructor and a quoted option name', input: "new sdk.Anthropic({ 'apiKey': '@KEY@' });\n", output: 'new sdk.Anthropic();\n' },
  { language: 'javascript', says: "accepts the AI SDK's createAnthropic", input: "const anthropic = createAnthropic({ apiKey: '@KEY@' });\n", output: 'const anthropic = createAnthropic();\n' },
  { language: 'javascript', says: 'refuses another vendor’s client', input: "new OpenAI({ apiKey: '@KEY@' });\n", output: undefined },
  { language: 'javascript', says: 'refuses a key that is not the apiKey option', input: "new Anthropic({ defaultHeaders: { 'x-api-key': '@KEY@' } });\n", output: undefined },
  { language: 'python', says: 'leaves Anthropic() when api_key was the only argument', input: 'client = anthropic.Anthropic(api_key="@KEY@")\n', output: 'client = anthropic.Anthropic()\n' },
  { language: 'python', says: 'removes a first keyword argument with its comma', input: "client = Anthropic(api_key='@KEY@', max_retries=2)\n", output: 'client = Anthropic(max_retries=2)\n' },
  { language: 'python', says: 'removes the line of a keyword argument in a multi-line call', input: "client = AsyncAnthropic(\n    max_retries=2,\n    api_key='@KEY@',\n)\n", output: 'client = AsyncAnthropic(\n    max_retries=2,\n)\n' },
  { language: 'python', says: 'refuses another vendor’s client', input: 'client = openai.OpenAI(api_key="@KEY@")\n', output: undefined },
  { language: 'go', says: 'offers nothing outside JavaScript and Python', input: 'c := anthropic.NewClient(option.WithAPIKey("@KEY@"))\n', output: undefined },
];

describe('removeApiKeyOption', () => {
  for (const testCase of REMOVE_CASES) {
    it(`${testCase.language}: ${testCase.says}`, () => {
      const { text, start, end } = place(testCase.input);
      const result = removeApiKeyOption(text, start, end, testCase.language, 'api-key');
      if (testCase.output === undefined) {
        assert.equal(result, undefined);
        return;
      }
      assert.ok(result);
      assert.equal(applyEdits(text, result.edits), testCase.output);
    });
  }

  it('applies to API keys only: an admin key is not what the client reads', () => {
    const admin = fakeKey(103, 'admin');
    const text = `new Anthropic({ apiKey: '${admin}' });\n`;
    const start = text.indexOf(admin);
    assert.equal(removeApiKeyOption(text, start, start + admin.length, 'javascript', 'admin-key'), undefined);
    assert.ok(removeApiKeyOption(text, start, start + admin.length, 'javascript', 'api-key'));
  });
});

describe('redactKey', () => {
  const documents: Array<[string, string]> = [
    ['README.md', 'Run `export ANTHROPIC_API_KEY=@KEY@` first.\n'],
    ['notes.txt', 'key: @KEY@\n'],
    ['app.ts', '// the old key was @KEY@\nconst x = 1;\n'],
    ['inline.md', 'token=@KEY@; done\n'],
  ];
  for (const [fileName, source] of documents) {
    it(`leaves ${fileName} clean for the scanner, with the key shown as its hint`, () => {
      const { text, start, end } = place(source);
      const result = redactKey(text, start, end, keyHint(KEY));
      const output = applyEdits(text, result.edits);
      assert.deepEqual(findTextFindings(output, { fileName, reportKeysInEnvFiles: true }), []);
      assert.ok(output.includes(keyHint(KEY).replace('…', '...')), 'the ASCII hint replaces the key');
      assert.ok(!output.includes(KEY));
      assert.ok(/^[\x20-\x7e\n]*$/.test(output), 'the placeholder is ASCII');
    });
  }

  it('falls back to <REDACTED> when the hint it is given would still scan as a key', () => {
    const { text, start, end } = place('key: @KEY@\n');
    const result = redactKey(text, start, end, KEY);
    assert.equal(applyEdits(text, result.edits), 'key: <REDACTED>\n');
  });
});

interface SuppressCase {
  says: string;
  fileName: string;
  input: string;
  output: string | undefined;
  languageId?: string;
}

const SUPPRESS_CASES: SuppressCase[] = [
  { fileName: 'app.ts', says: 'adds a // line above, indented like the key', input: "function f() {\n  const key = '@KEY@';\n}\n", output: "function f() {\n  // anthropic-key-hygiene-ignore\n  const key = '@KEY@';\n}\n" },
  { fileName: 'app.py', says: 'adds a # line above', input: "key = '@KEY@'\n", output: "# anthropic-key-hygiene-ignore\nkey = '@KEY@'\n" },
  { fileName: 'app.py', says: 'keeps CRLF line endings', input: "x = 1\r\n    key = '@KEY@'\r\n", output: "x = 1\r\n    # anthropic-key-hygiene-ignore\r\n    key = '@KEY@'\r\n" },
  { fileName: 'config.yml', says: 'uses # in YAML', input: 'key: @KEY@\n', output: '# anthropic-key-hygiene-ignore\nkey: @KEY@\n' },
  { fileName: 'settings.ini', says: 'uses ; in INI files', input: 'key=@KEY@\n', output: '; anthropic-key-hygiene-ignore\nkey=@KEY@\n' },
  { fileName: 'settings.json', says: 'refuses JSON, which has no comments', input: '{"key": "@KEY@"}\n', output: undefined },
  { fileName: 'notes.txt', says: 'refuses plain text, which has no comments', input: 'key @KEY@\n', output: undefined },
  { fileName: 'README.md', says: 'puts an invisible HTML comment at the end of a Markdown line', input: 'Use @KEY@ here.\n', output: 'Use @KEY@ here. <!-- anthropic-key-hygiene-ignore -->\n' },
  { fileName: 'README.md', says: "uses the code fence's language inside a fenced block", input: '```bash\nexport ANTHROPIC_API_KEY=@KEY@\n```\n', output: '```bash\n# anthropic-key-hygiene-ignore\nexport ANTHROPIC_API_KEY=@KEY@\n```\n' },
  { fileName: 'run.sh', says: 'goes at the end of the line inside a backslash continuation', input: 'curl https://api.anthropic.com \\\n  -H "x-api-key: @KEY@"\n', output: 'curl https://api.anthropic.com \\\n  -H "x-api-key: @KEY@" # anthropic-key-hygiene-ignore\n' },
  { fileName: 'run.sh', says: 'refuses a line that itself continues inside a continuation', input: 'curl https://api.anthropic.com \\\n  -H "x-api-key: @KEY@" \\\n  -d {}\n', output: undefined },
  { fileName: 'Dockerfile', says: 'adds a comment line inside a continued instruction, which Docker allows', input: 'ENV A=1 \\\n    K=@KEY@\n', output: 'ENV A=1 \\\n    # anthropic-key-hygiene-ignore\n    K=@KEY@\n' },
  { fileName: 'cell', languageId: 'python', says: 'follows the language id of a notebook cell', input: 'k = "@KEY@"\n', output: '# anthropic-key-hygiene-ignore\nk = "@KEY@"\n' },
];

describe('addSuppressionComment', () => {
  for (const testCase of SUPPRESS_CASES) {
    it(`${testCase.fileName}: ${testCase.says}`, () => {
      const { text, start } = place(testCase.input);
      const language = fixLanguageFor(testCase.fileName, testCase.languageId);
      const result = addSuppressionComment(text, start, language, { fileName: testCase.fileName, languageId: testCase.languageId });
      if (testCase.output === undefined) {
        assert.equal(result, undefined);
        return;
      }
      assert.ok(result);
      const output = applyEdits(text, result.edits);
      assert.equal(unplace(output), testCase.output);
      const findings = findTextFindings(output, { fileName: testCase.fileName }).filter((f) => f.ruleId === 'hardcoded-key');
      assert.deepEqual(findings, [], 'the marker silences the finding');
    });
  }
});

describe('variable names', () => {
  it('defaults to ANTHROPIC_API_KEY, ANTHROPIC_ADMIN_KEY and the OAuth token variable', () => {
    assert.equal(variableNameFor('api-key'), 'ANTHROPIC_API_KEY');
    assert.equal(variableNameFor('admin-key'), 'ANTHROPIC_ADMIN_KEY');
    assert.equal(variableNameFor('oauth-access-token'), 'CLAUDE_CODE_OAUTH_TOKEN');
  });

  it('keeps an environment-style Anthropic name the key was assigned to', () => {
    assert.equal(variableNameFor('api-key', 'ANALYTICS_ANTHROPIC_KEY'), 'ANALYTICS_ANTHROPIC_KEY');
    assert.equal(variableNameFor('admin-key', 'CLAUDE_ADMIN_KEY'), 'CLAUDE_ADMIN_KEY');
  });

  it('strips a bundler prefix from the assigned name', () => {
    assert.equal(variableNameFor('api-key', publicName('NEXT_PUBLIC_', 'ANTHROPIC_API_KEY')), 'ANTHROPIC_API_KEY');
    assert.equal(variableNameFor('api-key', publicName('VITE_', 'ANTHROPIC_KEY')), 'ANTHROPIC_KEY');
  });

  it('ignores local, generic and reserved names', () => {
    for (const name of ['analyticsKey', 'apiKey', 'API_KEY', 'KEY', 'GITHUB_ANTHROPIC_KEY', 'anthropic_key']) {
      assert.equal(variableNameFor('api-key', name), 'ANTHROPIC_API_KEY', name);
    }
  });

  const assignments: Array<[string, string | undefined]> = [
    ["const ANALYTICS_ANTHROPIC_KEY = '@KEY@';", 'ANALYTICS_ANTHROPIC_KEY'],
    ['ANTHROPIC_API_KEY="@KEY@"', 'ANTHROPIC_API_KEY'],
    ['export ANTHROPIC_API_KEY=@KEY@', 'ANTHROPIC_API_KEY'],
    ['  ANTHROPIC_API_KEY: @KEY@', 'ANTHROPIC_API_KEY'],
    ['{ "CLAUDE_KEY": "@KEY@" }', 'CLAUDE_KEY'],
    ['key := "@KEY@"', 'key'],
    ["'ANTHROPIC_KEY' => '@KEY@',", 'ANTHROPIC_KEY'],
    ['ANTHROPIC_KEY: str = "@KEY@"', 'ANTHROPIC_KEY'],
    ['const val ANTHROPIC_KEY: String = "@KEY@"', 'ANTHROPIC_KEY'],
    ['os.environ["ANTHROPIC_KEY"] = "@KEY@"', 'ANTHROPIC_KEY'],
    ['os.Setenv("ANTHROPIC_KEY", "@KEY@")', 'ANTHROPIC_KEY'],
    ['ENV ANTHROPIC_KEY @KEY@', 'ANTHROPIC_KEY'],
    ['client = Anthropic(api_key=f"@KEY@")', 'api_key'],
    ['if (key == "@KEY@") {}', undefined],
    ['call("@KEY@")', undefined],
  ];
  for (const [line, expected] of assignments) {
    it(`assignedNameAt reads ${expected ?? 'no name'} from ${line.replace(MARK, '…')}`, () => {
      const { text, start } = place(line);
      assert.equal(assignedNameAt(text, start), expected);
    });
  }

  it('renames a public variable to its server-only name', () => {
    assert.equal(renamePublicVariable(publicName('NEXT_PUBLIC_', 'ANTHROPIC_API_KEY')), 'ANTHROPIC_API_KEY');
    assert.equal(renamePublicVariable(publicName('REACT_APP_', 'CLAUDE_KEY')), 'CLAUDE_KEY');
    assert.equal(renamePublicVariable('ANTHROPIC_API_KEY'), undefined);
  });

  it('renames every whole-word occurrence in a text, and nothing else', () => {
    const name = publicName('NEXT_PUBLIC_', 'ANTHROPIC_API_KEY');
    const text = `const k = process.env.${name};\n// ${name}_OLD stays\n`;
    const result = renamePublicVariableEdits(text, name)!;
    assert.equal(applyEdits(text, result.edits), `const k = process.env.ANTHROPIC_API_KEY;\n// ${name}_OLD stays\n`);
  });
});

describe('keyLocation', () => {
  it('says where a key sits across the lexed languages', () => {
    const cases: Array<[FixLanguage, string, string]> = [
      ['python', 'x = """\n@KEY@\n"""\n', 'string'],
      ['python', 'x = 1  # @KEY@\n', 'comment'],
      ['javascript', 'const a = `\n${b}\n@KEY@`;\n', 'string'],
      ['go', '/* a\n@KEY@ */\n', 'comment'],
      ['csharp', 'var s = @"a\n@KEY@";\n', 'string'],
      // Ruby is lexed from the key's line only: the string's opening quote is out of sight.
      ['ruby', 'x = "a\n@KEY@"\n', 'bare'],
      ['ruby', 'x = "a @KEY@\n"\n', 'unknown'],
      ['shell', 'echo a#@KEY@\n', 'bare'],
      ['compose', "k: it's @KEY@\n", 'bare'],
      ['prose', 'see @KEY@\n', 'bare'],
    ];
    for (const [language, source, expected] of cases) {
      const { text, start, end } = place(source);
      assert.equal(keyLocation(text, start, end, language).kind, expected, `${language}: ${JSON.stringify(source)}`);
    }
  });
});
