// The benchmark corpus: a deterministic (seeded) tree of mixed TypeScript, Python, JSON, YAML, Markdown, .env,
// shell, plain-text and minified one-line JavaScript files, with planted fake keys and decoys, and a truth file
// that records where each one is (path, 1-based line, 1-based UTF-16 column, 1-based byte column).
//
// Layout (bench-corpus/ is git-ignored):
//   bench-corpus/files/        the full corpus (≈20,000 files, ≈200 MB)
//   bench-corpus/truth.json    where its planted keys and decoys are
//   bench-corpus/quick/...     the same for --quick (≈2,000 files, ≈20 MB)
// The corpus has no .git and no .gitignore, so every tool sees the same files.
//
// No key is ever stored in this file or in truth.json: keys are rebuilt from their seeds with the same mulberry32
// generator as test/support/fakeKeys.ts, and the prefix is assembled at run time.
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_ALPHABET, KIND_PREFIX, PREFIX, fakeKey, randomBody, seededRandom } from './fake-keys.mjs';

/** Bump when the generator changes: a cached corpus of another version is regenerated. */
export const CORPUS_VERSION = 4;

export { KEY_ALPHABET, fakeKey, keyHint, seededRandom } from './fake-keys.mjs';

export function corpusParams(quick) {
  return quick
    ? { name: 'quick', files: 2000, bytes: 20e6, minified: [1.5e6, 2.5e6], keyOnlyFiles: 4, binaries: 4, seed: 0x5eed0002 }
    : { name: 'full', files: 20000, bytes: 200e6, minified: [2e6, 3e6, 4e6, 5e6, 6e6, 8e6], keyOnlyFiles: 20, binaries: 20, seed: 0x5eed0001 };
}

export function corpusPaths(baseDir, quick) {
  const dir = quick ? join(baseDir, 'quick') : baseDir;
  return { dir, filesDir: join(dir, 'files'), truthPath: join(dir, 'truth.json') };
}

/** The cached corpus if it matches this generator and these parameters, else a freshly generated one. */
export function ensureCorpus(baseDir, { quick = false, regenerate = false, log = () => {} } = {}) {
  const params = corpusParams(quick);
  const { filesDir, truthPath } = corpusPaths(baseDir, quick);
  if (!regenerate && existsSync(truthPath) && existsSync(filesDir)) {
    try {
      const truth = JSON.parse(readFileSync(truthPath, 'utf8'));
      if (truth.version === CORPUS_VERSION && JSON.stringify(truth.params) === JSON.stringify(params)) {
        return { truth, filesDir, cached: true, seconds: 0 };
      }
    } catch {
      // unreadable truth: regenerate
    }
  }
  const started = Date.now();
  rmSync(truthPath, { force: true });
  rmSync(filesDir, { recursive: true, force: true });
  const truth = generateCorpus(filesDir, params, log);
  mkdirSync(dirname(truthPath), { recursive: true });
  // Written last: its presence marks a complete corpus.
  writeFileSync(truthPath, JSON.stringify(truth));
  return { truth, filesDir, cached: false, seconds: (Date.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------------
// Text generators. `g` is a Gen: a seeded random source with helpers.

const WORDS = (
  'user account request response client server message model token config cache stream handler router event ' +
  'session payload buffer result error value index item list map queue worker batch file path name data state ' +
  'store view props context options params header body status retry timeout limit offset count total page query ' +
  'filter sort order price amount invoice customer product inventory report metric logger parser schema field ' +
  'record entry node tree graph edge vertex matrix vector layer prompt completion embedding assistant tool content ' +
  'role system important relevant constant variant elegant significant deploy build release version upload ' +
  'download render update delete create fetch parse format encode decode validate merge split'
).split(' ');
const HYPHENATED = [
  'well-known', 'long-running', 'built-in', 'read-only', 'non-blocking', 'end-to-end', 'up-to-date', 'server-side',
  'client-side', 'opt-in', 're-run', 'ant-design', 'x-api-key', 'rate-limit', 'follow-up',
];
const TYPES = ['string', 'number', 'boolean', 'Message', 'Request', 'Response', 'Record<string, unknown>', 'Promise<void>', 'ReadonlyArray<Item>', 'Map<string, number>'];
const NPM_PACKAGES = [
  '@anthropic-ai/sdk', 'node:fs', 'node:path', 'react', 'react-dom', '@types/node', 'eslint-plugin-import',
  'ant-design-vue', '@ant-design/icons', 'vue-ant-icons', 'lodash-es', 'date-fns', 'zod', 'express', 'vite',
  '@vitejs/plugin-react', 'typescript-eslint', 'fast-check',
];
const PY_MODULES = ['os', 'sys', 'json', 're', 'typing', 'dataclasses', 'pathlib', 'anthropic', 'requests', 'numpy', 'pandas', 'asyncio', 'logging'];
const NON_ASCII = [
  'vérifie la clé — très important', 'ne pas oublier : déjà fait', '注意: この値は変更しないでください',
  'Пример конфигурации сервера', '✅ done', '🚀 fast path', 'naïve café résumé', 'Größe überprüfen', '¿por qué?',
  '→ see below', '数据处理完成', 'ß ü ö ä', '👍🏽 reviewed',
];

class Gen {
  constructor(seed) {
    this.random = seededRandom(seed);
  }
  int(n) {
    return Math.floor(this.random() * n);
  }
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  chance(p) {
    return this.random() < p;
  }
  pick(array) {
    return array[Math.floor(this.random() * array.length)];
  }
  /** Picks an index by weight. */
  weighted(weights) {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.random() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
  normal() {
    return Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
  }
  word() {
    return this.pick(WORDS);
  }
  camel(n = this.range(1, 3)) {
    let s = this.word();
    for (let i = 1; i < n; i++) {
      const w = this.word();
      s += w[0].toUpperCase() + w.slice(1);
    }
    return s;
  }
  pascal() {
    const s = this.camel();
    return s[0].toUpperCase() + s.slice(1);
  }
  snake(n = this.range(1, 3)) {
    let s = this.word();
    for (let i = 1; i < n; i++) s += '_' + this.word();
    return s;
  }
  upper() {
    return this.snake(this.range(2, 3)).toUpperCase();
  }
  kebab(n = this.range(1, 3)) {
    let s = this.word();
    for (let i = 1; i < n; i++) s += '-' + this.word();
    return s;
  }
  num() {
    return this.chance(0.7) ? String(this.int(1000)) : (this.random() * 100).toFixed(2);
  }
  sentence(asciiOnly) {
    if (!asciiOnly && this.chance(0.03)) return this.pick(NON_ASCII);
    const n = this.range(4, 12);
    let s = '';
    for (let i = 0; i < n; i++) {
      const w = this.chance(0.06) ? this.pick(HYPHENATED) : this.word();
      s += (i === 0 ? w[0].toUpperCase() + w.slice(1) : ' ' + w);
    }
    return s + (this.chance(0.8) ? '.' : '');
  }
  base64(n) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(64)];
    return s;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  indent(max = 3) {
    return '  '.repeat(this.int(max + 1));
  }
}

const LINE_GENERATORS = {
  ts(g, ascii) {
    const i = g.indent();
    switch (g.weighted([3, 4, 8, 5, 4, 4, 8, 2, 3, 3, 2, 8, 2, 10])) {
      case 0: return `import { ${g.pascal()}, ${g.camel()} } from '${g.chance(0.5) ? g.pick(NPM_PACKAGES) : './' + g.kebab()}';`;
      case 1: return `${g.chance(0.5) ? 'export ' : ''}${g.chance(0.3) ? 'async ' : ''}function ${g.camel()}(${g.camel()}: ${g.pick(TYPES)}, ${g.camel()}?: ${g.pick(TYPES)}): ${g.pick(TYPES)} {`;
      case 2: return `${i}const ${g.camel()} = await ${g.camel()}.${g.camel()}(${g.camel()}, { ${g.camel()}: ${g.num()}, ${g.camel()}: '${g.kebab()}' });`;
      case 3: return `${i}if (${g.camel()} > ${g.num()} && !${g.camel()}) return ${g.camel()} - ${g.num()};`;
      case 4: return `${i}// ${g.sentence(ascii)}`;
      case 5: return `${i}${g.camel()}.${g.camel()}('${g.kebab()}', (${g.camel(1)}) => ${g.camel(1)} * ${g.num()});`;
      case 6: return `${i}}`;
      case 7: return `${i}throw new Error(\`${g.sentence(true)}: \${${g.camel()}}\`);`;
      case 8: return `${i}for (let i = 0; i < ${g.camel()}.length; i++) ${g.camel()}[i] -= ${g.num()};`;
      case 9: return `${i}const ${g.camel()}: Record<string, ${g.pick(TYPES)}> = { '${g.kebab()}': ${g.num()} };`;
      case 10: return `/** ${g.sentence(ascii)} */`;
      case 11: return '';
      case 12: return `${i}<${g.pascal()} className="${g.kebab()} ${g.kebab()}" on${g.pascal()}={${g.camel()}} />`;
      default: return g.pick([`${i}return ${g.camel(1)};`, `${i}});`, `${i}break;`, `${i}${g.camel(1)}++;`, `${i}} else {`, `${i}let ${g.camel(1)} = ${g.num()};`]);
    }
  },
  py(g, ascii) {
    const i = '    '.repeat(g.int(3));
    switch (g.weighted([2, 2, 3, 7, 4, 3, 4, 1, 2, 2, 2, 3])) {
      case 0: return `import ${g.pick(PY_MODULES)}`;
      case 1: return `from ${g.pick(PY_MODULES)}.${g.word()} import ${g.pascal()}, ${g.snake()}`;
      case 2: return `${i}def ${g.snake()}(self, ${g.snake()}, ${g.snake()}=None) -> ${g.pick(['int', 'str', 'None', 'dict[str, Any]'])}:`;
      case 3: return `${i}${g.snake()} = ${g.snake()}.${g.snake()}(${g.snake()}, ${g.snake()}=${g.num()})`;
      case 4: return `${i}if ${g.snake()} is not None and ${g.snake()} > ${g.num()}:`;
      case 5: return `${i}    return ${g.snake()} - ${g.num()}`;
      case 6: return `${i}# ${g.sentence(ascii)}`;
      case 7: return `class ${g.pascal()}(${g.pascal()}):`;
      case 8: return `${i}"""${g.sentence(ascii)}"""`;
      case 9: return `${i}raise ValueError(f"${g.sentence(true)}: {${g.snake()}!r}")`;
      case 10: return `${i}${g.snake()}: list[str] = ["${g.kebab()}", "${g.word()}", "${g.word()}"]`;
      default: return '';
    }
  },
  json(g, ascii) {
    const i = '  '.repeat(g.range(1, 3));
    switch (g.weighted([5, 3, 2, 2, 3, 1])) {
      case 0: return `${i}"${g.camel()}": "${g.sentence(ascii)}",`;
      case 1: return `${i}"${g.kebab()}": ${g.num()},`;
      case 2: return `${i}"${g.word()}": [${g.num()}, ${g.num()}, ${g.num()}],`;
      case 3: {
        const pkg = g.pick(NPM_PACKAGES).replace('node:', '');
        return `${i}"node_modules/${pkg}": { "version": "${g.int(10)}.${g.int(20)}.${g.int(30)}", "resolved": "https://registry.example.invalid/${pkg}/-/${pkg.split('/').pop()}-1.0.${g.int(9)}.tgz", "integrity": "sha512-${g.base64(86)}==" },`;
      }
      case 4: return `${i}"${g.camel()}": ${g.chance(0.5) ? 'true' : 'null'},`;
      default: return `${i}"${g.word()}": { "${g.camel()}": "${g.kebab()}" },`;
    }
  },
  yaml(g, ascii) {
    switch (g.weighted([2, 5, 3, 2, 2, 2, 1])) {
      case 0: return `${g.kebab()}:`;
      case 1: return `${g.indent(2)}${g.snake()}: ${g.chance(0.5) ? g.word() : g.num()}`;
      case 2: return `  - name: ${g.sentence(ascii)}`;
      case 3: return `    run: npm ci && npm test -- --reporter=${g.word()} --max-workers=${g.int(8)}`;
      case 4: return `    image: ${g.word()}/${g.kebab()}:${g.int(20)}.${g.int(10)}`;
      case 5: return `# ${g.sentence(ascii)}`;
      default: return `    env: { ${g.upper()}: "\${{ secrets.${g.upper()} }}" }`;
    }
  },
  md(g, ascii) {
    switch (g.weighted([1, 1, 8, 4, 2, 1, 2, 2, 2])) {
      case 0: return `# ${g.sentence(ascii)}`;
      case 1: return `## ${g.sentence(true)}`;
      case 2: return `${g.sentence(ascii)} ${g.sentence(true)} ${g.sentence(true)}`;
      case 3: return `- ${g.sentence(ascii)}`;
      case 4: return '```bash';
      case 5: return `npm install --save-dev ${g.pick(NPM_PACKAGES)} && npx ${g.kebab()} --${g.kebab()}`;
      case 6: return `| ${g.word()} | ${g.kebab()} | ${g.num()} |`;
      case 7: return `See [${g.sentence(true)}](https://docs.example.invalid/${g.kebab()}#${g.kebab()}).`;
      default: return '';
    }
  },
  env(g, ascii) {
    switch (g.weighted([6, 2, 2, 1])) {
      case 0: return `${g.upper()}=${g.chance(0.5) ? g.word() : g.num()}`;
      case 1: return `# ${g.sentence(ascii)}`;
      case 2: return `${g.upper()}=https://${g.kebab()}.example.invalid/${g.word()}`;
      default: return '';
    }
  },
  sh(g, ascii) {
    switch (g.weighted([3, 2, 2, 2, 1])) {
      case 0: return `${g.indent(1)}${g.pick(['npm', 'git', 'docker', 'curl'])} ${g.kebab()} --${g.kebab()}=${g.word()} -- ${g.word()}`;
      case 1: return `export ${g.upper()}="\${${g.upper()}:-${g.word()}}"`;
      case 2: return `# ${g.sentence(ascii)}`;
      case 3: return `if [ -z "$${g.upper()}" ]; then echo "${g.sentence(true)}" >&2; exit 1; fi`;
      default: return '';
    }
  },
  txt(g, ascii) {
    return g.sentence(ascii);
  },
};

/** One segment of a minified bundle (no newlines). */
function minifiedSegment(g) {
  const a = g.camel(1).slice(0, 2);
  switch (g.weighted([6, 5, 4, 3, 2, 1, 1, 1])) {
    case 0: return `function ${a}(${g.camel(1)[0]},${g.camel(1)[0]}){return ${g.camel(1)[0]}+${g.num()}}`;
    case 1: return `var ${a}={${g.camel()}:"${g.sentence(true)}",${g.camel()}:${g.num()}};`;
    case 2: return `${a}.exports={${g.camel()}:"${g.kebab()}",${g.camel()}:[${g.num()},${g.num()}]};`;
    case 3: return `if(${a}>${g.num()}&&!${g.camel(1)})throw new Error("${g.sentence(true)}");`;
    case 4: return `"use strict";`;
    case 5: return `${a}.src="data:image/png;base64,${g.base64(g.range(200, 3000))}";`;
    case 6: return `${a}.id="${g.pick(KEY_ALPHABET.split(''))}${randomBody(g.random, g.range(64, 2000))}";`;
    default: return `${a}.t="${g.pick(NON_ASCII)}";`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Planted keys and decoys: each context is [type, before, after]; the credential sits between them. `after` ''
// means the credential ends the line. The terminator recorded is the character after the key (or 'EOL').

const KEY_CONTEXTS = {
  ts: [
    ['const ANTHROPIC_API_KEY = "', '";'],
    ["const client = new Anthropic({ apiKey: '", "' });"],
    ['// rotated on 2024-05-01: ', ', do not reuse'],
    ['const res = await fetch(`https://proxy.example.invalid/v1/messages?key=', '&stream=true`);'],
    ['const payload = "{\\"api_key\\":\\"', '\\"}";'],
    ['// usage: client.setApiKey(', ')'],
    ['// ', ''],
    ['  // clé API (à révoquer) : ', ''],
    ['/* 🔑 ', ' */'],
    ['process.env.ANTHROPIC_ADMIN_KEY ??= `', '`;'],
    ['// export ANTHROPIC_API_KEY=', '; npm start'],
    ['  <Config apiKey="', '" />'],
    ['const keys = [', ', process.env.ANTHROPIC_API_KEY];'],
    ['let fallback = ', ';'],
  ],
  py: [
    ['client = anthropic.Anthropic(api_key="', '")'],
    ["ANTHROPIC_API_KEY = '", "'"],
    ['headers = {"x-api-key": "', '", "anthropic-version": "2023-06-01"}'],
    ['url = f"https://proxy.example.invalid/v1?key=', '&beta=1"'],
    ['# 日本語: APIキーは ', ''],
    ['key = keys.get("prod", ', ')'],
    ['# fallback keys: ', ', see vault'],
    ["payload = '{\"key\": \"", "\\n\"}'"],
    ['rotate(', ', dry_run=True)'],
  ],
  json: [
    ['    "apiKey": "', '",'],
    ['    "command": "curl -H \\"x-api-key: ', '\\" https://api.example.invalid",'],
    ['    "url": "https://proxy.example.invalid/?key=', '&v=2",'],
    ['    "keys": "', ',backup",'],
  ],
  yaml: [
    ['  ANTHROPIC_API_KEY: ', ''],
    ['  api_key: "', '"'],
    ['  keys: [', ', backup]'],
    ['  # ключ: ', ''],
    ['    run: curl -H "x-api-key: ', '" https://api.example.invalid'],
  ],
  md: [
    ['export ANTHROPIC_API_KEY=', '; npm start'],
    ['Use [this key](https://console.example.invalid/keys?k=', ') for testing.'],
    ['`', '`'],
    ['> 🚀 Clé de démo : ', ''],
    ['curl "https://proxy.example.invalid/v1?key=', '&model=claude"'],
    ['| prod | ', ' |'],
  ],
  env: [
    ['ANTHROPIC_API_KEY=', ''],
    ['ANTHROPIC_ADMIN_KEY="', '"'],
    ['ANTHROPIC_API_KEY=', ' # prod'],
    ["export ANTHROPIC_API_KEY='", "';"],
  ],
  sh: [
    ['export ANTHROPIC_API_KEY=', ''],
    ['curl -H "x-api-key: ', '" https://api.example.invalid/v1/models'],
    ['KEY=', '; run_job'],
  ],
  txt: [
    ['', ''],
    ['old key: ', ''],
  ],
  min: [
    ['apiKey:"', '",'],
    ['headers:{"x-api-key":"', '"}'],
    ['fetch("/v1?key=', '&a=1")'],
    ['.setKey(', ')'],
    ['JSON.parse("{\\"k\\":\\"', '\\"}")'],
    ['title:"Clé — ', '"'],
    ["k='", "';"],
  ],
};

const DECOY_CONTEXTS = {
  ts: [['// e.g. apiKey: "', '"'], ['const ANTHROPIC_API_KEY = process.env.KEY ?? "', '";']],
  py: [['api_key = "', '"  # replace me'], ['# set ANTHROPIC_API_KEY=', '']],
  json: [['    "apiKey": "', '",']],
  yaml: [['  api_key: ', ''], ['  ANTHROPIC_API_KEY: "', '"']],
  md: [['export ANTHROPIC_API_KEY=', ''], ['`ANTHROPIC_API_KEY=', '`'], ['Set `apiKey` to `', '` in your config.']],
  env: [['ANTHROPIC_API_KEY=', '']],
  sh: [['export ANTHROPIC_API_KEY=', '']],
  txt: [['key: ', '']],
  min: [['placeholder:"', '",']],
};

const DECOY_CLASSES = ['placeholder', 'hint', 'glued', 'truncated', 'truncated-long', 'low-entropy', 'sequential'];
const DECOY_WEIGHTS = [40, 15, 12, 13, 8, 7, 5];

function decoyText(g, cls, seed) {
  const kind = g.chance(0.8) ? 'api' : 'admin';
  const head = PREFIX + KIND_PREFIX[kind];
  switch (cls) {
    case 'placeholder':
      return g.pick([
        head + 'your-key-here', head + '...', head + '<YOUR_KEY>', head + '${ANTHROPIC_KEY}', head + 'xxxxxxxxxxxxxxxx',
        head + '*'.repeat(93) + 'AA', PREFIX + '...', head + 'YOUR_API_KEY', head + '…',
      ]);
    case 'hint': {
      const key = fakeKey(seed, kind);
      const body = key.slice(head.length);
      return head + body.slice(0, 3) + g.pick(['...', '…']) + body.slice(-4);
    }
    case 'glued':
      return g.pick(['x', 'Z', '7', '_', '-']) + fakeKey(seed, kind);
    case 'truncated':
      return head + randomBody(g.random, g.range(12, 39));
    case 'truncated-long':
      return head + randomBody(g.random, g.range(60, 92));
    case 'low-entropy':
      return head + g.pick(['x', 'X', '0', 'a']).repeat(93) + 'AA';
    default: {
      const run = (KEY_ALPHABET + KEY_ALPHABET).slice(g.int(20));
      return head + run.slice(0, 93) + 'AA';
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

const FOLDERS = {
  ts: ['src', 'src/lib', 'src/components', 'src/utils', 'tests'],
  py: ['app', 'app/core', 'scripts', 'tests'],
  json: ['config', 'src/data', '.'],
  yaml: ['config', '.github/workflows', 'deploy'],
  md: ['docs', 'docs/guides', '.'],
  env: ['.', 'config', 'services'],
  sh: ['scripts'],
};
const EXTENSIONS = { ts: ['ts', 'tsx', 'js'], py: ['py'], json: ['json'], yaml: ['yaml', 'yml'], md: ['md'], sh: ['sh'] };
const ENV_NAMES = ['.env', '.env.local', '.env.production', '.env.development', 'prod.env', '.env.example', '.env.test'];
const TYPE_NAMES = ['ts', 'py', 'json', 'yaml', 'md', 'env', 'sh'];
const TYPE_WEIGHTS = [32, 20, 12, 10, 17, 4, 5];

/** Generates the corpus into `filesDir` and returns its truth (no keys in it: seeds only). */
export function generateCorpus(filesDir, params, log = () => {}) {
  const g = new Gen(params.seed);
  const truth = { version: CORPUS_VERSION, params, files: 0, bytes: 0, binaryFiles: 0, longestLine: 0, keys: [], decoys: [] };
  const madeDirs = new Set();
  const usedPaths = new Set();
  let keySeed = 100000;
  let decoySeed = 900000;

  const write = (path, content) => {
    const full = join(filesDir, path);
    const dir = dirname(full);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    writeFileSync(full, content);
    usedPaths.add(path);
    truth.files++;
    truth.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  };

  const newKey = () => {
    const kind = g.chance(0.8) ? 'api' : 'admin';
    const seed = keySeed++;
    return { kind, seed, text: fakeKey(seed, kind) };
  };
  const newDecoy = () => {
    const cls = DECOY_CLASSES[g.weighted(DECOY_WEIGHTS)];
    const text = decoyText(g, cls, decoySeed++);
    // Where a tool that ignores the glued character would report it: at `sk-ant-`.
    return { cls, text, skOffset: cls === 'glued' ? 1 : 0 };
  };

  const packageCount = Math.max(1, Math.round(params.files / 80));
  const special = params.minified.length + params.keyOnlyFiles + params.binaries;
  const regularCount = params.files - special;

  // Budget: the minified bundles have fixed sizes; the rest share what is left, log-normally distributed.
  const minifiedTotal = params.minified.reduce((a, b) => a + b, 0);
  const budget = params.bytes - minifiedTotal - params.binaries * 40000 - params.keyOnlyFiles * 120;
  const sigma = 1.0;
  const rawSizes = Array.from({ length: regularCount }, () => Math.exp(sigma * g.normal()));
  const rawTotal = rawSizes.reduce((a, b) => a + b, 0);
  const sizes = rawSizes.map((s) => Math.max(80, Math.min(2e6, Math.round((s / rawTotal) * budget))));

  const pathFor = (pkg, type, index) => {
    const folder = g.pick(FOLDERS[type]);
    const base = `pkg-${String(pkg).padStart(3, '0')}${folder === '.' ? '' : '/' + folder}`;
    if (type === 'env') {
      const name = g.pick(ENV_NAMES);
      if (!usedPaths.has(`${base}/${name}`)) return `${base}/${name}`;
      return `${base}/svc-${index}.env`;
    }
    return `${base}/${g.kebab(2)}-${index}.${g.pick(EXTENSIONS[type])}`;
  };

  const progressEvery = Math.max(1, Math.floor(regularCount / 10));
  for (let index = 0; index < regularCount; index++) {
    if (index % progressEvery === 0) log(`generating corpus: ${index}/${params.files} files`);
    const type = TYPE_NAMES[g.weighted(TYPE_WEIGHTS)];
    const path = pathFor(index % packageCount, type, index);
    const target = sizes[index];
    const ascii = g.chance(0.7); // most files are pure ASCII; the rest get an occasional non-ASCII line
    const lines = [];
    let length = 0;
    if (type === 'json') lines.push('{');
    const generate = LINE_GENERATORS[type];
    while (length < target) {
      const line = generate(g, ascii);
      lines.push(line);
      length += line.length + 1;
    }
    if (type === 'json') lines.push('}');

    // What to plant: keys in ~1.5% of files, decoys in a third of the docs and a few % of the rest.
    const items = [];
    if (g.chance(0.015)) {
      const n = g.chance(0.25) ? 2 : 1;
      for (let k = 0; k < n; k++) items.push({ key: newKey() });
    }
    const decoyChance = type === 'md' ? 0.35 : 0.04;
    if (g.chance(decoyChance)) {
      const n = type === 'md' ? g.range(1, 4) : 1;
      for (let k = 0; k < n; k++) items.push({ decoy: newDecoy() });
    }
    for (const item of items) {
      const [before, after] = g.pick(item.key ? KEY_CONTEXTS[type] : DECOY_CONTEXTS[type]);
      const text = item.key ? item.key.text : item.decoy.text;
      // Sometimes the last line, so that keys also end files (with and without a final newline).
      const at = g.chance(0.1) ? lines.length : g.int(lines.length + 1);
      lines.splice(at, 0, { text: before + text + after, offset: before.length, item, after });
    }
    // CRLF in some files (more often where keys are, so that keys before '\r\n' are well represented).
    const crlf = g.chance(items.some((item) => item.key) ? 0.25 : type === 'env' || type === 'yaml' || type === 'md' ? 0.12 : 0.04);
    const bom = g.chance(0.02);
    const finalNewline = g.chance(0.9);
    emitFile(path, lines, { crlf, bom, finalNewline });
  }

  // Files holding just a key (column 1 of line 1), some with a BOM, some without a final newline.
  for (let k = 0; k < params.keyOnlyFiles; k++) {
    const key = newKey();
    const [before, after] = g.pick(KEY_CONTEXTS.txt);
    emitFile(`pkg-${String(k % packageCount).padStart(3, '0')}/notes/old-key-${k}.txt`, [{ text: before + key.text + after, offset: before.length, item: { key }, after }], {
      crlf: k % 4 === 2,
      bom: k % 4 === 1,
      finalNewline: k % 3 !== 0,
    });
  }

  // Binary files (a NUL in the first bytes): every tool must skip them.
  for (let k = 0; k < params.binaries; k++) {
    const bytes = Buffer.alloc(40000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = g.int(256);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).copy(bytes);
    write(`pkg-${String(k % packageCount).padStart(3, '0')}/assets/logo-${k}.png`, bytes);
    truth.binaryFiles++;
  }

  // Minified bundles: one line of several MB, keys and decoys scattered along it.
  params.minified.forEach((size, m) => {
    log(`generating corpus: minified bundle ${m + 1}/${params.minified.length} (${(size / 1e6).toFixed(1)} MB)`);
    const path = `pkg-${String(m % packageCount).padStart(3, '0')}/dist/bundle-${m}.min.js`;
    const items = [];
    for (let k = 0; k < 8; k++) items.push({ key: newKey(), at: g.random() * size });
    for (let k = 0; k < 10; k++) items.push({ decoy: newDecoy(), at: g.random() * size });
    items.sort((a, b) => a.at - b.at);
    const parts = ['!function(){'];
    let chars = parts[0].length;
    let bytes = parts[0].length;
    let next = 0;
    while (chars < size) {
      if (next < items.length && chars >= items[next].at) {
        const item = items[next++];
        const [before, after] = g.pick(item.key ? KEY_CONTEXTS.min : DECOY_CONTEXTS.min);
        record(item, path, 1, chars + before.length, bytes + Buffer.byteLength(before), after, 'EOF');
        const segment = before + (item.key ? item.key.text : item.decoy.text) + after;
        parts.push(segment);
        chars += segment.length;
        bytes += Buffer.byteLength(segment);
        continue;
      }
      const segment = minifiedSegment(g);
      parts.push(segment);
      chars += segment.length;
      bytes += Buffer.byteLength(segment);
    }
    parts.push('}();');
    const content = parts.join('');
    truth.longestLine = Math.max(truth.longestLine, Buffer.byteLength(content));
    write(path, content);
  });

  log(`generating corpus: done (${truth.files} files)`);
  return truth;

  function record(item, path, line, offset, byteOffset, after, ending = 'LF', bom = false) {
    const terminator = after === '' ? ending : after[0];
    if (item.key) {
      const key = { path, line, column: offset + 1, byteColumn: byteOffset + 1, kind: item.key.kind, seed: item.key.seed, terminator };
      if (bom) key.bom = true;
      if (byteOffset !== offset) key.nonAsciiBefore = true;
      truth.keys.push(key);
    } else {
      const skip = item.decoy.skOffset;
      truth.decoys.push({ path, line, column: offset + skip + 1, byteColumn: byteOffset + skip + 1, cls: item.decoy.cls });
    }
  }

  function emitFile(path, lines, { crlf, bom, finalNewline }) {
    const texts = new Array(lines.length);
    let longest = 0;
    lines.forEach((line, i) => {
      if (typeof line === 'string') {
        texts[i] = line;
      } else {
        texts[i] = line.text;
        // Column: UTF-16 units from the line start (a BOM is not a column). Byte column: UTF-8 bytes, no BOM.
        const ending = i === lines.length - 1 && !finalNewline ? 'EOF' : crlf ? 'CRLF' : 'LF';
        const byteOffset = Buffer.byteLength(line.text.slice(0, line.offset));
        record(line.item, path, i + 1, line.offset, byteOffset, line.after, ending, bom && i === 0);
      }
      if (texts[i].length > longest) longest = texts[i].length;
    });
    const eol = crlf ? '\r\n' : '\n';
    const content = (bom ? '\uFEFF' : '') + texts.join(eol) + (finalNewline ? eol : '');
    truth.longestLine = Math.max(truth.longestLine, longest);
    write(path, content);
  }
}

/** Realistic ASCII-only text of about `bytes` characters (mixed languages), for the in-memory benchmarks. */
export function generateText(seed, bytes, { types = ['ts', 'py', 'json', 'yaml', 'md'] } = {}) {
  const g = new Gen(seed);
  const lines = [];
  let length = 0;
  while (length < bytes) {
    const generate = LINE_GENERATORS[g.pick(types)];
    for (let k = 0; k < 50 && length < bytes; k++) {
      const line = generate(g, true);
      lines.push(line);
      length += line.length + 1;
    }
  }
  return lines;
}
