// planFixes (src/core/fixes/plan.ts): the names keys are stored under, and what counts as fixed. Pure: texts in,
// plans out.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { applyEdits } from '../../../../src/core/fixes/edits';
import { planFixes, type SourceToFix } from '../../../../src/core/fixes/plan';
import { fakeKey } from '../../../support/fakeKeys';

const [a, b, c] = [fakeKey(8301), fakeKey(8302), fakeKey(8303)];
const options = (stored: Record<string, string> = {}, onNameTaken: 'new-name' | 'replace' = 'new-name') => ({
  includeLowConfidence: true,
  stored: new Map(Object.entries(stored)),
  onNameTaken,
});
const js = (path: string, text: string): SourceToFix => ({ path, text });

describe('planFixes', () => {
  it('leaves a key in base64 or split into pieces to a human, with that reason, and fixes the plain key beside it (issue 13)', () => {
    const text = `const x = '${a}';\nconst y = "${Buffer.from(b).toString('base64')}";\nconst z = "${c.slice(0, 40)}" + "${c.slice(40)}";\n`;
    const [source] = planFixes([js('/p/a.js', text)], options()).sources;
    assert.deepEqual(source.fixed.map((key) => key.variable), ['ANTHROPIC_API_KEY']);
    assert.deepEqual(source.needsHuman.map((key) => [key.line, key.reason]), [
      [2, 'encoded-key'],
      [3, 'encoded-key'],
    ]);
    assert.ok(source.after.startsWith('const x = process.env.ANTHROPIC_API_KEY;\n'));
  });

  it('stores each key once under a name of its own, and the code reads that name', () => {
    const plan = planFixes([js('/p/a.js', `const x = '${a}';\nconst y = '${b}';\nconst z = '${a}';\n`)], options());
    assert.deepEqual(plan.entries.map((entry) => entry.name), ['ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY_2']);
    assert.equal(plan.sources[0].after, 'const x = process.env.ANTHROPIC_API_KEY;\nconst y = process.env.ANTHROPIC_API_KEY_2;\nconst z = process.env.ANTHROPIC_API_KEY;\n');
    assert.equal(applyEdits(plan.sources[0].before, plan.sources[0].edits), plan.sources[0].after, 'the edits give the text');
  });

  it('never takes a name that holds a different value, and reuses one that holds this key (issue 12 #14)', () => {
    const plan = planFixes([js('/p/a.js', `const x = '${a}';\nconst y = '${b}';\n`)], options({ ANTHROPIC_API_KEY: c, ANTHROPIC_API_KEY_3: b }));
    assert.deepEqual(plan.sources[0].fixed.map((key) => key.variable), ['ANTHROPIC_API_KEY_2', 'ANTHROPIC_API_KEY_3']);
    assert.deepEqual(plan.entries, [{ name: 'ANTHROPIC_API_KEY_2', value: a }], 'the key already stored is not stored again');
  });

  it('replaces a value that was there before the run only when asked, keeping it, and never one given in this run', () => {
    const plan = planFixes([js('/p/a.js', `const x = '${a}';\nconst y = '${b}';\n`)], options({ ANTHROPIC_API_KEY: c }, 'replace'));
    assert.deepEqual(plan.sources[0].fixed.map((key) => key.variable), ['ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY_2']);
    assert.deepEqual(plan.entries[0], { name: 'ANTHROPIC_API_KEY', value: a, replaces: { previousName: 'ANTHROPIC_API_KEY_PREVIOUS', previousValue: c } });
    assert.deepEqual(plan.entries[1], { name: 'ANTHROPIC_API_KEY_2', value: b });
  });

  it('removes the apiKey option only under the name the SDK reads, and says so when it is taken', () => {
    const text = `const client = new Anthropic({ apiKey: '${a}' });\n`;
    const taken = planFixes([{ ...js('/p/a.ts', text), mode: 'remove-api-key-option' }], options({ ANTHROPIC_API_KEY: c }));
    assert.equal(taken.sources[0].needsHuman[0].reason, 'sdk-variable-taken');
    assert.deepEqual(taken.entries, [], 'nothing to store for a refused key');
    const free = planFixes([{ ...js('/p/a.ts', text), mode: 'remove-api-key-option' }], options());
    assert.equal(free.sources[0].after, 'const client = new Anthropic();\n');
    assert.equal(free.sources[0].fixed[0].rewrite, 'option-removal');
  });

  it('gives back the names of a file whose plan is rejected, so the next file gets them', () => {
    // The first file's only key sits in a Java case label, which no rewrite may touch.
    const java = `class A { String f(String s) { switch (s) { case "${a}": return "x"; default: return s; } } }\n`;
    const plan = planFixes([{ path: '/p/A.java', text: java }, js('/p/b.js', `const y = '${b}';\n`)], options());
    assert.equal(plan.sources[0].fixed.length, 0);
    assert.equal(plan.sources[0].needsHuman[0].reason, 'no-safe-rewrite');
    assert.deepEqual(plan.entries.map((entry) => entry.name), ['ANTHROPIC_API_KEY'], "the Java key's name was not kept for it");
    assert.equal(plan.sources[1].fixed[0].variable, 'ANTHROPIC_API_KEY');
  });

  it('lists keys it will not rewrite, by reason, and rewrites nothing in env files and templates', () => {
    const plan = planFixes(
      [
        { path: '/p/.env.example', text: `ANTHROPIC_API_KEY=${a}\n` },
        { path: '/p/.env.local', text: `ANTHROPIC_API_KEY=${a}\n` },
        { path: '/p/config.json', text: `{ "key": "${a}" }\n` },
      ],
      options(),
    );
    assert.deepEqual(
      plan.sources.map((source) => source.needsHuman.map((item) => item.reason)),
      [['env-template'], ['env-file'], ['no-lookup-config']],
    );
    assert.ok(plan.sources.every((source) => source.after === source.before));
  });

  it('redacts a key in prose or a comment to its hint, after storing it', () => {
    const plan = planFixes([{ path: '/p/README.md', text: `Use ${a} to try it.\n` }], options());
    assert.equal(plan.sources[0].fixed[0].rewrite, 'redaction');
    assert.ok(!plan.sources[0].after.includes(a));
    assert.deepEqual(plan.entries, [{ name: 'ANTHROPIC_API_KEY', value: a }]);
  });

  it('falls back to one key at a time where two rewrites overlap, and still fixes both', () => {
    const text = `FROM node:20\nENV ANTHROPIC_API_KEY=${a} OTHER_ANTHROPIC_KEY=${b}\n`;
    const plan = planFixes([{ path: '/p/Dockerfile', text }], options());
    const source = plan.sources[0];
    assert.ok(!source.after.includes(a) && !source.after.includes(b), source.after.replace(a, '<a>').replace(b, '<b>'));
    assert.equal(source.fixed.length + source.needsHuman.length, 2);
  });
});

describe('planFixes: the name book (red team F13)', () => {
  // The book now remembers where the free names start and which names hold each key, instead of walking NAME_2,
  // NAME_3… from 2 for every key. Whatever the env file held, each key must get the name that walk gives: the
  // preferred name when free or holding this key, else the first NAME_n (n >= 2) that is free or holds it.
  const pool = [8401, 8402, 8403, 8404, 8405, 8406].map((seed) => fakeKey(seed));
  const names = ['ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY_2', 'ANTHROPIC_API_KEY_3', 'ANTHROPIC_API_KEY_4', 'ANTHROPIC_API_KEY_6', 'ANTHROPIC_API_KEY_02', 'OTHER'];

  function walk(stored: Map<string, string>, keys: string[]): string[] {
    const values = new Map(stored);
    return keys.map((key) => {
      let name = 'ANTHROPIC_API_KEY';
      for (let suffix = 2; values.has(name) && values.get(name) !== key; suffix++) name = `ANTHROPIC_API_KEY_${suffix}`;
      values.set(name, key);
      return name;
    });
  }

  it('gives every key the name a walk from NAME_2 gives, whatever the env file holds', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...pool.map((_, index) => index))),
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 12 }),
        (storedIndexes, keyIndexes) => {
          const stored = new Map(Object.entries(storedIndexes).map(([name, index]) => [name, pool[index]]));
          const keys = keyIndexes.map((index) => pool[index]);
          const text = keys.map((key, index) => `const k${index} = '${key}';\n`).join('');
          const plan = planFixes([js('/p/a.js', text)], { includeLowConfidence: true, stored, onNameTaken: 'new-name' });
          assert.deepEqual(plan.sources[0].fixed.map((key) => key.variable), walk(stored, keys));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('planFixes: a key assigned to an environment variable (red team F22, issue 12 #8)', () => {
  // A lookup in place of the key would assign the variable to itself (`process.env.X = process.env.X`, which in Node
  // stores the string "undefined" when X is unset; `export X="$X"`), and the program that set it no longer would.
  // Each such key is left to a human with that reason, and the file is not touched. @KEY@ marks the key.
  const SETS: Array<[file: string, code: string]> = [
    ['a.js', 'process.env.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.js', "process.env['MY_KEY'] = '@KEY@';\n"],
    // As a formatter writes it: the value on the next line.
    ['a.ts', 'process.env.ANTHROPIC_API_KEY =\n  "@KEY@";\n'],
    ['a.mjs', 'process.env.ANTHROPIC_API_KEY ??= `@KEY@`;\n'],
    ['a.ts', 'Deno.env.set("ANTHROPIC_API_KEY", "@KEY@");\n'],
    ['a.js', 'Object.assign(process.env, { ANTHROPIC_API_KEY: "@KEY@" });\n'],
    ['a.js', "Object.assign(process.env, {\n  DEBUG: '1',\n  'MY_KEY': '@KEY@',\n});\n"],
    ['a.py', 'import os\nos.environ["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.py', "import os\nos.environ.setdefault('ANTHROPIC_API_KEY', '@KEY@')\n"],
    ['a.py', "import os\nos.putenv('OTHER_NAME', '@KEY@')\n"],
    ['a.py', 'import os\nos.environ.update(ANTHROPIC_API_KEY="@KEY@")\n'],
    ['a.rb', 'ENV["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.rb', "ENV.store('ANTHROPIC_API_KEY', '@KEY@')\n"],
    ['a.php', "<?php\n$_ENV['ANTHROPIC_API_KEY'] = '@KEY@';\n"],
    ['a.php', '<?php\nputenv("ANTHROPIC_API_KEY=@KEY@");\n'],
    ['a.go', 'package main\n\nimport "os"\n\nfunc main() {\n\tos.Setenv("ANTHROPIC_API_KEY", "@KEY@")\n}\n'],
    ['a.rs', 'fn main() {\n    std::env::set_var("ANTHROPIC_API_KEY", "@KEY@");\n}\n'],
    ['A.cs', 'class A { void M() { System.Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", "@KEY@"); } }\n'],
    ['A.java', 'class A { void m(ProcessBuilder pb) { pb.environment().put("ANTHROPIC_API_KEY", "@KEY@"); } }\n'],
    ['a.kt', 'fun m(pb: ProcessBuilder) { pb.environment()["ANTHROPIC_API_KEY"] = "@KEY@" }\n'],
    ['a.sh', 'export ANTHROPIC_API_KEY=@KEY@\n'],
    ['a.sh', 'export ANTHROPIC_API_KEY="@KEY@"\n'],
    ['a.sh', "set -e; declare -x OTHER='@KEY@'\n"],
    ['a.sh', 'export A=1 ANTHROPIC_API_KEY=@KEY@\n'],
    // direnv's file is a shell script (projects often commit it), not a dotenv file: the key is refused here too.
    ['.envrc', 'export ANTHROPIC_API_KEY=@KEY@\n'],
    // Through a name the file gives the environment object itself (red team F22: an alias was "fixed" into a
    // self-assignment).
    ['a.js', 'const env = process.env;\nenv.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.ts', "const { env } = process;\nenv['MY_KEY'] = '@KEY@';\n"],
    ['a.js', "const { argv, env: e } = require('node:process');\ne.K ??= '@KEY@';\n"],
    ['a.mjs', "import { env as E } from 'node:process';\nE.ANTHROPIC_API_KEY = `@KEY@`;\n"],
    ['a.js', "let $env = process.env, x = 1;\nObject.assign($env, { K: '@KEY@' });\n"],
    // Rarer forms the red team listed as still open (each was a self-assignment with exit 0).
    ['a.js', 'const p = process;\np.env.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.mjs', "import * as proc from 'node:process';\nproc.env['K'] = '@KEY@';\n"],
    ['a.mjs', "import proc from 'process';\nproc.env.K ||= '@KEY@';\n"],
    ['a.js', "Reflect.set(process.env, 'ANTHROPIC_API_KEY', '@KEY@');\n"],
    ['a.js', "Object.defineProperty(process.env, 'K', { enumerable: true, value: '@KEY@' });\n"],
    ['a.js', "const env = process.env;\n;(env).K = '@KEY@';\n"],
    ['a.js', "process.env['ANTHROPIC' + '_API_KEY'] = '@KEY@';\n"],
    ['a.js', "Object.assign(process.env, { OPTS: { n: 1 }, K: '@KEY@' });\n"],
    ['a.py', 'import os as o\no.environ["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.py', "import os\nos.environ.__setitem__('K', '@KEY@')\n"],
    ['a.py', "import os\nos.environ |= {'K': '@KEY@'}\n"],
    ['a.py', "from os import (\n    getenv,\n    environ as e,\n)\ne['K'] = '@KEY@'\n"],
    ['a.rb', "ENV.[]=('K', '@KEY@')\n"],
    ['a.rb', 'class C\n  def initialize\n    @env = ENV\n    @env["K"] = "@KEY@"\n  end\nend\n'],
    ['a.rb', "ENV.replace(ENV.to_h.merge('K' => '@KEY@'))\n"],
    // An alias kept in a property or an attribute.
    ['a.ts', "class Config {\n  env = {};\n  constructor() {\n    this.env = process.env;\n    this.env.ANTHROPIC_API_KEY = '@KEY@';\n  }\n}\n"],
    ['a.py', 'import os\nclass C:\n    def __init__(self):\n        self.env = os.environ\n        self.env["K"] = "@KEY@"\n'],
    // A test suite's environment reset: the object literal becomes process.env.
    ['a.test.js', "process.env = { ...process.env, ANTHROPIC_API_KEY: '@KEY@' };\n"],
    ['a.test.ts', "process.env = {\n  ...OLD_ENV,\n  NODE_ENV: 'test',\n  ANTHROPIC_API_KEY: '@KEY@',\n};\n"],
    ['a.py', 'import os\nenv = os.environ\nenv["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.py', "from os import getenv, environ as e\ne.setdefault('K', '@KEY@')\n"],
    ['a.rb', 'env = ENV\nenv["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    // Red team, session 4: each was "fixed" into a self-assignment, exit 0. The key inside the assigned value (a
    // fallback, a call), the environment object reached another way, and aliases the first finders missed.
    ['a.js', 'process.env.ANTHROPIC_API_KEY = process.env.ANTHROPIC_API_KEY || "@KEY@";\n'],
    ['a.ts', "process.env.ANTHROPIC_API_KEY = process.env.ANTHROPIC_API_KEY ?? String('@KEY@');\n"],
    ['a.js', "globalThis.process.env.ANTHROPIC_API_KEY = '@KEY@';\n"],
    ['a.js', "process['env'].ANTHROPIC_API_KEY = '@KEY@';\n"],
    ['a.ts', 'const env: NodeJS.ProcessEnv = process.env;\nenv.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.js', 'let env;\nenv = process.env;\nenv.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.js', 'const other = 1, env = process.env;\nenv.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.js', "const env = require('process').env;\nenv.ANTHROPIC_API_KEY = '@KEY@';\n"],
    ['a.js', 'const env = (process.env);\nenv.ANTHROPIC_API_KEY = "@KEY@";\n'],
    ['a.py', 'import os\nos.environ["ANTHROPIC_API_KEY"] = os.environ.get("ANTHROPIC_API_KEY") or "@KEY@"\n'],
    ['a.py', 'import os\nos.environ["ANTHROPIC_API_KEY"] = (\n    "@KEY@"\n)\n'],
    ['a.py', 'import os\nos.environ.update({"OTHER": "1", "ANTHROPIC_API_KEY": "@KEY@"})\n'],
    ['a.py', 'import os\nos.environ.update(OTHER="1", ANTHROPIC_API_KEY="@KEY@")\n'],
    ['a.py', 'import os\nenv: dict = os.environ\nenv["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.py', 'import os\nenv = os.environ; env["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.rb', 'ENV["ANTHROPIC_API_KEY"] ||= "@KEY@"\n'],
    ['a.rb', '::ENV["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.rb', 'env = ::ENV\nenv["ANTHROPIC_API_KEY"] = "@KEY@"\n'],
    ['a.rb', 'ENV.update("OTHER" => "1", "ANTHROPIC_API_KEY" => "@KEY@")\n'],
  ];
  for (const [file, code] of SETS) {
    it(`leaves the key in ${JSON.stringify(code.trim())} (${file}) to a human: the code sets the variable`, () => {
      const text = code.replace('@KEY@', a);
      const [source] = planFixes([js(`/p/${file}`, text)], options()).sources;
      assert.deepEqual(source.fixed, [], 'nothing is fixed');
      assert.deepEqual(source.needsHuman.map((key) => key.reason), ['sets-env-variable']);
      assert.equal(source.after, text, 'the file is left as it was');
    });
  }

  // Reading a variable, with the key as a default or beside it, is still rewritten.
  const READS: Array<[file: string, code: string, after: string]> = [
    ['a.js', 'const k = "@KEY@";\nprocess.env.OTHER = k;\n', 'const k = process.env.ANTHROPIC_API_KEY;\nprocess.env.OTHER = k;\n'],
    ['a.js', 'if (process.env.X == "@KEY@") f();\n', 'if (process.env.X == process.env.ANTHROPIC_API_KEY) f();\n'],
    // Another object merged into the environment's copy, not into process.env itself.
    ['a.js', 'const env = Object.assign({}, process.env, { K: "@KEY@" });\n', 'const env = Object.assign({}, process.env, { K: process.env.ANTHROPIC_API_KEY });\n'],
    ['a.py', 'import os\nk = os.environ.get("X", "@KEY@")\n', 'import os\nk = os.environ.get("X", os.environ["ANTHROPIC_API_KEY"])\n'],
    ['a.sh', 'curl -H "x-api-key: @KEY@" https://api.anthropic.com\n', 'curl -H "x-api-key: ${ANTHROPIC_API_KEY}" https://api.anthropic.com\n'],
    // A copy of the environment, or one variable of it, is no alias: the key set into it is a value like any other.
    ['a.js', 'const env = { ...process.env };\nenv.K = "@KEY@";\n', 'const env = { ...process.env };\nenv.K = process.env.ANTHROPIC_API_KEY;\n'],
    ['a.js', 'const mode = process.env.NODE_ENV;\nconst config = {};\nconfig.key = "@KEY@";\n', 'const mode = process.env.NODE_ENV;\nconst config = {};\nconfig.key = process.env.ANTHROPIC_API_KEY;\n'],
    ['a.py', 'import os\nenv = dict(os.environ)\nenv["K"] = "@KEY@"\n', 'import os\nenv = dict(os.environ)\nenv["K"] = os.environ["ANTHROPIC_API_KEY"]\n'],
    // A name for something other than the process or os module is no alias either.
    ['a.js', 'const p = getProcess();\np.env.K = "@KEY@";\n', 'const p = getProcess();\np.env.K = process.env.ANTHROPIC_API_KEY;\n'],
    // A property that holds something else than the environment is no alias, even beside one that does.
    ['a.js', 'this.env = process.env;\nthis.config.key = "@KEY@";\n', 'this.env = process.env;\nthis.config.key = process.env.ANTHROPIC_API_KEY;\n'],
    ['a.js', 'const p = process.argv;\nconst config = { key: "@KEY@" };\n', 'const p = process.argv;\nconst config = { key: process.env.ANTHROPIC_API_KEY };\n'],
    ['a.py', 'import json as o\nconfig = {}\nconfig["key"] = "@KEY@"\n', 'import os\nimport json as o\nconfig = {}\nconfig["key"] = os.environ["ANTHROPIC_API_KEY"]\n'],
    // The value's line only: a variable set by the statement before, or on the line before, leaves the next key alone.
    ['a.js', 'process.env.NODE_ENV = "test"; const k = "@KEY@";\n', 'process.env.NODE_ENV = "test"; const k = process.env.ANTHROPIC_API_KEY;\n'],
    ['a.js', 'process.env.NODE_ENV = "test"\nconst k = "@KEY@"\n', 'process.env.NODE_ENV = "test"\nconst k = process.env.ANTHROPIC_API_KEY\n'],
    ['a.js', 'process.env.DEBUG = "1", client = new Client({ apiKey: "@KEY@" });\n', 'process.env.DEBUG = "1", client = new Client({ apiKey: process.env.ANTHROPIC_API_KEY });\n'],
    ['a.js', 'const check = () => process.env.X === "@KEY@";\n', 'const check = () => process.env.X === process.env.ANTHROPIC_API_KEY;\n'],
    ['a.js', 'const mode = process.env.NODE_ENV, env = loadConfig();\nenv.key = "@KEY@";\n', 'const mode = process.env.NODE_ENV, env = loadConfig();\nenv.key = process.env.ANTHROPIC_API_KEY;\n'],
  ];
  for (const [file, code, after] of READS) {
    it(`still rewrites ${JSON.stringify(code.trim().split('\n').pop())} (${file}), which reads rather than sets`, () => {
      const [source] = planFixes([js(`/p/${file}`, code.replace('@KEY@', a))], options()).sources;
      assert.deepEqual(source.needsHuman, []);
      assert.equal(source.after, after);
    });
  }
});
