// `npm run bench`: times the CLI against ripgrep and secretlint on a generated corpus, and the core scanner in
// memory. Every figure is measured on this machine in this run; nothing is hard-coded but the targets.
//
//   node scripts/bench.mjs [--quick] [--no-secretlint] [--runs N] [--secretlint-timeout S] [--regenerate]
//                          [--no-in-memory | --in-memory-only | --git-only] [--no-history | --history-only] [--baseline REF]
//                          [--no-fix | --fix-only [--fix-cases RE]]
//
//   --quick               small corpus (≈2,000 files, ≈20 MB) and smaller in-memory inputs: a smoke run
//   --no-secretlint       skip secretlint (it takes minutes on the full corpus)
//   --runs N              timed runs per fast tool (default 3; secretlint always runs once)
//   --secretlint-timeout  seconds before secretlint is stopped and reported as timed out (default 300)
//   --regenerate          rebuild the cached corpus even if it matches
//   --no-in-memory        skip the in-memory benchmarks
//   --in-memory-only      run only the in-memory benchmarks (the core scanner's throughput, the editor's rescan, the
//                         linearity rows), with --baseline's previous build beside them: no corpus, CLI or git runs
//   --git-only            run only the section inside git repositories (issue 15): the corpus committed and untracked,
//                         the CLI with git grep and reading every file, ripgrep, git grep alone (and --baseline's build)
//   --no-history          skip the git history scan (scripts/bench-history.mjs)
//   --history-only        run only the git history scan: its generated repository, floors and recall
//   --no-fix              skip the rewrite path (`fix` on one file at n, 2n, 4n keys or bytes: scripts/bench-fix.mjs)
//   --fix-only            run only the rewrite path; --fix-cases RE keeps the cases whose label matches RE
//   --baseline REF        a previous build to run side by side, from this git revision (e.g. a release tag), bundled
//                         the same way (scripts/bench-baseline.mjs); its figures are printed first. Without it, the
//                         only comparison inside git is this build reading every file (ANTHROPIC_KEY_HYGIENE_SCAN=read-all)
//
// The corpus is generated once (seeded) into bench-corpus/ (git-ignored) and reused. It lives inside this
// repository's ignored folder, so the CLI's default mode rightly scans nothing there: the CLI is timed with
// --no-gitignore, which scans every file, as `rg --no-ignore --hidden` does.
// Output: a report on stdout; progress on stderr. Exit code 2 only when a tool fails (a missed target is
// printed as MISSED, not an error).
import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { KEY_ALPHABET, ensureCorpus, fakeKey, generateText, keyHint } from './bench-corpus.mjs';
import { benchFix } from './bench-fix.mjs';
import { benchHistory } from './bench-history.mjs';
import { buildBaseline, ensureRepoCorpora } from './bench-baseline.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, 'bench-corpus');
const BUILD_DIR = join(BENCH_DIR, '.build');
const CLI = join(ROOT, 'dist', 'cli.js');
const SECRETLINT = join(ROOT, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const SECRETLINT_REPORT = join(BUILD_DIR, 'secretlint-report.txt');
const GNU_TIME = '/usr/bin/time';
const RG = 'rg';
const PREFIX = ['sk', 'ant'].join('-') + '-';
const RG_REGEX = PREFIX + '(api03|admin01)-[A-Za-z0-9_-]{93}AA';
const FULL_KEY = new RegExp(RG_REGEX, 'g');

// A reference point, not a competitor: the simplest fast scanner plain Node allows (one thread, synchronous reads,
// Buffer.indexOf on '-ant-', then the published shapes), printing path:line:byte-column like ripgrep.
const BASELINE_SCRIPT = `
const { readdirSync, readFileSync } = require('node:fs');
const NEEDLE = Buffer.from('-ant-');
const KEY = new Uint8Array(256);
for (const c of ${JSON.stringify('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}) KEY[c.charCodeAt(0)] = 1;
const SHAPE = /^sk-ant-(api03|admin01)-[A-Za-z0-9_-]{93}AA$/;
const out = [];
function scan(path) {
  const b = readFileSync(path);
  if (b.subarray(0, 8000).includes(0)) return;
  let from = 0;
  for (;;) {
    const dash = b.indexOf(NEEDLE, from);
    if (dash < 0) return;
    from = dash + 5;
    const start = dash - 2;
    if (start < 0 || b[start] !== 115 || b[start + 1] !== 107 || (start > 0 && KEY[b[start - 1]])) continue;
    let end = from;
    while (end < b.length && KEY[b[end]]) end++;
    from = end;
    if (!SHAPE.test(b.toString('latin1', start, end))) continue;
    let line = 1, lineStart = 0;
    for (let i = b.indexOf(10); i >= 0 && i < start; i = b.indexOf(10, i + 1)) { line++; lineStart = i + 1; }
    out.push(path + ':' + line + ':' + (start - lineStart + 1) + ':');
  }
}
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = dir + '/' + entry.name;
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) scan(path);
  }
}
walk(process.argv[1]);
process.stdout.write(out.join('\\n') + '\\n');
`;

const TARGET_RATIO = 1.25;
const TARGET_GBPS = 10;
const TARGET_RESCAN_US = 50;
// "About the time of any other 50 MB": adversarial input within this factor of plain text of the same size.
const TARGET_ADVERSARIAL_FACTOR = 2;
// Linear: doubling the input at most this much more than doubles the time.
const LINEAR_LIMIT = 2.5;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-secretlint': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'secretlint-timeout': { type: 'string', default: '300' },
    regenerate: { type: 'boolean', default: false },
    'no-in-memory': { type: 'boolean', default: false },
    'in-memory-only': { type: 'boolean', default: false },
    'git-only': { type: 'boolean', default: false },
    'no-history': { type: 'boolean', default: false },
    'history-only': { type: 'boolean', default: false },
    'no-fix': { type: 'boolean', default: false },
    'fix-only': { type: 'boolean', default: false },
    'fix-cases': { type: 'string' },
    baseline: { type: 'string' },
  },
});
const quick = args.quick;
const runs = Math.max(1, Number(args.runs) || 3);
const secretlintTimeoutMs = Math.max(1, Number(args['secretlint-timeout']) || 300) * 1000;

const progress = (message) => process.stderr.write(`[bench] ${message}\n`);
let toolFailed = false;
function fail(message) {
  toolFailed = true;
  progress(`ERROR: ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(a === b ? 0 : 1)}%`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');

function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    '  ' + cells.map((c, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'l' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), '  ' + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const out = [];
const print = (text = '') => out.push(text);

// ---------------------------------------------------------------------------------------------------------------
// Running whole processes

let timeFileCounter = 0;

/** Runs a command under GNU time; resolves with wall seconds (hrtime), peak RSS (MB), exit code and output. */
function runTimed(command, commandArgs, { cwd = ROOT, timeoutMs = 0, env = process.env } = {}) {
  const haveTime = existsSync(GNU_TIME);
  const timeFile = join(BUILD_DIR, `time-${process.pid}-${timeFileCounter++}.txt`);
  const [file, argv] = haveTime ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...commandArgs]] : [command, commandArgs];
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    // Own process group, so a timeout can stop the tool and GNU time together (by this group's id only).
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout = [];
    const stderr = [];
    let stderrBytes = 0;
    let timedOut = false;
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => {
      if (stderrBytes < 65536) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, timeoutMs)
      : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ error, wall: NaN, peakMB: NaN, code: -1, stdout: Buffer.alloc(0), stderr: '' });
    });
    child.on('close', (code, signal) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (timer) clearTimeout(timer);
      let peakMB = NaN;
      if (haveTime && existsSync(timeFile)) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const [, maxRssKB] = lines[lines.length - 1].split(' ').map(Number);
        peakMB = maxRssKB / 1024;
        rmSync(timeFile, { force: true });
      }
      resolvePromise({ wall, peakMB, code: code ?? -1, signal, timedOut, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

// Another reference point: the least any Node program can spend here reading the corpus, finding nothing. It walks
// the tree and opens, reads and closes every file on one thread per core, no scanning, no output: a worker started
// first takes batches of files while the walk goes on, and the main thread reads alongside it once the walk is done
// (the CLI's own scheme; a walk-then-split version was no faster). What is left of the CLI's time above this is its
// own work; the rest is Node's start and its file system calls.
const READ_FLOOR_SCRIPT = `
const { readdirSync, openSync, readSync, closeSync } = require('node:fs');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const { availableParallelism } = require('node:os');
const buf = Buffer.allocUnsafe(1 << 20);
function readFiles(files) {
  let bytes = 0;
  for (const path of files) {
    const fd = openSync(path, 'r');
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = n === buf.length ? readSync(fd, buf, 0, buf.length, null) : 0) bytes += n;
    closeSync(fd);
  }
  return bytes;
}
if (isMainThread) {
  const workers = Array.from({ length: availableParallelism() - 1 }, () => ({ worker: new Worker(process.argv[2], { eval: true }), inFlight: 0 }));
  const files = [];
  let next = 0, walking = true, bytes = 0;
  const send = () => {
    for (const entry of workers) {
      while (entry.inFlight < 2 && files.length - next >= (walking ? 64 : 1)) {
        const n = Math.min(64, files.length - next);
        entry.worker.postMessage(files.slice(next, next + n));
        next += n;
        entry.inFlight++;
      }
    }
  };
  const finish = () => {
    if (walking || next < files.length || workers.some((entry) => entry.inFlight > 0)) return;
    for (const entry of workers) entry.worker.terminate();
    process.stdout.write(bytes + ' bytes\\n');
  };
  for (const entry of workers) entry.worker.on('message', (n) => { bytes += n; entry.inFlight--; send(); finish(); });
  const pending = [process.argv[1]];
  const walkSlice = () => {
    const started = performance.now();
    while (pending.length > 0 && performance.now() - started < 4) {
      const dir = pending.pop();
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = dir + '/' + entry.name;
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile()) files.push(path);
      }
    }
    send();
    if (pending.length > 0) setImmediate(walkSlice);
    else { walking = false; send(); readSlice(); }
  };
  const readSlice = () => {
    const end = Math.min(files.length, next + 16);
    bytes += readFiles(files.slice(next, end));
    next = end;
    if (next < files.length) setImmediate(readSlice);
    else finish();
  };
  walkSlice();
} else {
  parentPort.on('message', (files) => parentPort.postMessage(readFiles(files)));
}
`;

// Each tool: how to run it, which exit codes are fine, and how to read its findings as
// { path (relative to the corpus root), line, column (1-based, in the tool's unit), severity?, rule? }.
function tools(filesDir, baselineCli) {
  const relFiles = relative(ROOT, filesDir).split(sep).join('/');
  const stripPrefix = (path) => (path.startsWith(relFiles + '/') ? path.slice(relFiles.length + 1) : path);
  const cliParse = (stdout) => {
    const report = JSON.parse(stdout.toString('utf8'));
    return {
      summary: report.summary,
      findings: report.findings
        .filter((f) => f.ruleId === 'hardcoded-key')
        .map((f) => ({ path: stripPrefix(f.path), line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity })),
    };
  };
  return {
    cliBaseline: {
      label: 'previous build (CLI)',
      command: process.execPath,
      args: [baselineCli ?? '', 'scan', relFiles, '--format', 'json', '--no-gitignore'],
      okCodes: [0, 1],
      unit: 'utf16',
      parse: cliParse,
    },
    cli: {
      label: 'CLI (anthropic-key-hygiene)',
      command: process.execPath,
      args: [CLI, 'scan', relFiles, '--format', 'json', '--no-gitignore'],
      okCodes: [0, 1],
      unit: 'utf16',
      parse(stdout) {
        const report = JSON.parse(stdout.toString('utf8'));
        return {
          summary: report.summary,
          findings: report.findings
            .filter((f) => f.ruleId === 'hardcoded-key')
            .map((f) => ({ path: stripPrefix(f.path), line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity })),
        };
      },
    },
    rg: {
      label: 'ripgrep',
      command: RG,
      args: ['--no-config', '--no-ignore', '--hidden', '--vimgrep', '-o', '-e', RG_REGEX, relFiles],
      okCodes: [0, 1],
      unit: 'byte',
      parse(stdout) {
        return allToolsParseVimgrep(stdout, stripPrefix);
      },
    },
    node1: {
      label: 'reference: plain Node, 1 thread',
      command: process.execPath,
      args: ['-e', BASELINE_SCRIPT, relFiles],
      okCodes: [0],
      unit: 'byte',
      parse(stdout) {
        return allToolsParseVimgrep(stdout, stripPrefix);
      },
    },
    floor: {
      label: 'reference: Node reading only, all cores',
      command: process.execPath,
      args: ['-e', READ_FLOOR_SCRIPT, relFiles, READ_FLOOR_SCRIPT],
      okCodes: [0],
      unit: 'byte',
      parse() {
        return { findings: [] };
      },
    },
    secretlint: {
      label: 'secretlint + rule-anthropic',
      command: process.execPath,
      // --output: secretlint exits right after writing its report, which loses the end of a large report
      // written to a pipe; a file gets all of it (it then exits 0 even with findings).
      args: [SECRETLINT, '--secretlintrc', join(BUILD_DIR, 'secretlintrc.json'), '--format', 'unix', '--no-color', '--no-terminalLink', '--output', SECRETLINT_REPORT, '**/*'],
      cwd: filesDir,
      outputFile: SECRETLINT_REPORT,
      okCodes: [0, 1],
      unit: 'utf16',
      parse(stdout) {
        const findings = [];
        for (const line of stdout.toString('utf8').split('\n')) {
          const m = /^(\/.*?):(\d+):(\d+): /.exec(line);
          // secretlint's columns are 0-based.
          if (m) findings.push({ path: relative(filesDir, m[1]).split(sep).join('/'), line: Number(m[2]), column: Number(m[3]) + 1 });
        }
        return { findings };
      },
    },
  };
}

/** `path:line:column:…` lines (ripgrep's --vimgrep, the reference scanner). */
function allToolsParseVimgrep(stdout, stripPrefix) {
  const findings = [];
  for (const line of stdout.toString('utf8').split('\n')) {
    const m = /^(.*?):(\d+):(\d+):/.exec(line);
    if (m) findings.push({ path: stripPrefix(m[1]), line: Number(m[2]), column: Number(m[3]) });
  }
  return { findings };
}

/** Matches a tool's findings against the truth: planted keys found (file + line), exact columns, decoys hit. */
function score(findings, truth, unit) {
  const byLine = new Map();
  const add = (entry) => {
    const id = `${entry.rec.path}:${entry.rec.line}`;
    if (!byLine.has(id)) byLine.set(id, []);
    byLine.get(id).push(entry);
  };
  truth.keys.forEach((rec) => add({ type: 'key', rec, matched: false }));
  truth.decoys.forEach((rec) => add({ type: 'decoy', rec, matched: false }));
  const result = { found: 0, exactColumn: 0, exactEnd: 0, decoyHits: [], unexpected: [], wrongColumn: [] };
  for (const f of findings) {
    const candidates = (byLine.get(`${f.path}:${f.line}`) ?? []).filter((e) => !e.matched);
    let best;
    let bestDistance = Infinity;
    for (const e of candidates) {
      const column = unit === 'byte' ? e.rec.byteColumn : e.rec.column;
      const distance = Math.abs(column - f.column);
      if (distance < bestDistance) [best, bestDistance] = [e, distance];
    }
    // Within a few columns: a BOM or a glued character shifts some tools' columns; items on a line are far apart.
    if (!best || bestDistance > 4) {
      result.unexpected.push(f);
      continue;
    }
    best.matched = true;
    if (best.type === 'decoy') {
      result.decoyHits.push({ ...best.rec, severity: f.severity });
      continue;
    }
    result.found++;
    if (bestDistance === 0) result.exactColumn++;
    else result.wrongColumn.push({ rec: best.rec, got: f.column });
    const keyLength = best.rec.kind === 'admin' ? 110 : 108;
    if (f.endLine === best.rec.line && f.endColumn === best.rec.column + keyLength) result.exactEnd++;
  }
  result.missed = [];
  for (const entries of byLine.values()) for (const e of entries) if (e.type === 'key' && !e.matched) result.missed.push(e.rec);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// In-memory benchmarks on the core scanner, bundled from src/ so that they measure the current sources.

async function loadCore() {
  const outfile = join(BUILD_DIR, 'core.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { findCredentials, findCredentialsInBuffer } from './src/core/credentials';",
        "export { findTextFindings, findBufferFindings } from './src/core/textFindings';",
        "export { findClientExposures, findClientExposuresInBuffer } from './src/core/clientExposure';",
        "export { IgnoreRules } from './src/core/gitignore';",
        "export { findUtf16KeysInBinary } from './src/core/utf16';",
        "export { findBase64Credentials, findBase64CredentialsInBuffer } from './src/core/base64Keys';",
        "export { findKeyForms, findKeyFormsInBuffer } from './src/core/keyForms';",
        "export { TEXT_NEEDLES } from './src/core/scanNeedles';",
        "export { fakeKey } from './test/support/fakeKeys';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'bench-core-entry.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true, // as the production bundles are
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** Bytes read before a timed run by bestOf(n, fn, { cold: true }): more than any last-level cache of a current server
 * processor (this machine's L3 is 32 MB), so that the run reads its input from memory. */
const EVICTION_BYTES = 128 << 20;
let evictionBuffer;

/** Reads EVICTION_BYTES of other memory (a memchr for a byte that is not there), pushing earlier data out of the caches. */
function evictCaches() {
  evictionBuffer ??= Buffer.alloc(EVICTION_BYTES, 0x20);
  if (evictionBuffer.indexOf(0x01) >= 0) throw new Error('unreachable');
}

/** The fastest of n runs. `cold`: each run starts with its input out of the caches. Linearity rows need it: a 25 MB
 * input fits in a 32 MB L3 and its 50 MB double does not, and a pass that is one memchr then measured the cache
 * (×2 of 2.3 to 3.3 from run to run on the same code), not the search. `upTo`: more runs, up to that many, while the
 * runs so far took under 250 ms: a run of a millisecond or two varies by a fifth from one to the next, which best of 5
 * does not always smooth out, and slow runs stay at n. */
function bestOf(n, fn, { cold = false, upTo = n } = {}) {
  let best = Infinity;
  let result;
  let spent = 0;
  for (let i = 0; i < n || (i < upTo && spent < 0.25); i++) {
    if (cold) evictCaches();
    const t0 = process.hrtime.bigint();
    result = fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    spent += seconds;
    if (seconds < best) best = seconds;
  }
  return { seconds: best, result };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `lines` joined with '\n', `count` keys planted at evenly spread line starts; returns the text. */
function plantKeys(lines, count, seedBase) {
  const copy = [...lines];
  for (let k = 0; k < count; k++) {
    const at = Math.floor(((k + 0.5) * copy.length) / count);
    copy[at] = `const key${k} = "${fakeKey(seedBase + k, k % 3 === 2 ? 'admin' : 'api')}"; ` + copy[at];
  }
  return copy.join('\n');
}

/** A flat (non-rope) copy of a string, so that timing does not include V8 flattening it. */
function flat(text) {
  text.indexOf('\u0001');
  return text;
}

/** The adversarial inputs by label, each a function of the size; `plain` is ordinary text to compare with. */
function adversarialInputs(plain) {
  const prefix = PREFIX + 'api03-';
  return {
    'plain text': (size) => plain.slice(0, size),
    [`'${prefix}' repeated`]: (size) => prefix.repeat(Math.ceil(size / prefix.length)).slice(0, size),
    [`'${prefix} ' repeated (separate hits)`]: (size) => (prefix + ' ').repeat(Math.ceil(size / (prefix.length + 1))).slice(0, size),
    'one prefix + key-alphabet run': (size) => (prefix + KEY_ALPHABET.repeat(Math.ceil(size / KEY_ALPHABET.length))).slice(0, size),
    // Issue 13: escapes before each prefix, joinable literals, encoded prefixes (the CLI runs every key form on them).
    [`'\\n${prefix}' repeated (escapes)`]: (size) => ('\\n' + prefix).repeat(Math.ceil(size / (prefix.length + 2))).slice(0, size),
    [`'"${prefix}" + ' repeated (split keys)`]: (size) => (`"${prefix}" + `).repeat(Math.ceil(size / (prefix.length + 5))).slice(0, size),
    "'c2stYW50L' repeated (base64 of sk-ant-)": (size) => 'c2stYW50L'.repeat(Math.ceil(size / 9)).slice(0, size),
  };
}

/**
 * Adversarial inputs for every other search on the scan path (issue 12 #18): each a function of a size `n`, run at n
 * and 2n, so that the ratio shows whether the cost grows linearly. The client-exposure inputs are the shapes that made
 * its old patterns backtrack (an import line of spaces took 6.2 s at 101 KB), the ignore patterns the ones that made
 * the `ignore` package's regular expressions do so (globstars between literal folders, on a deep path, did not finish).
 */
function otherSearches(core) {
  const option = ['dangerously', 'AllowBrowser'].join('');
  const publicName = ['VITE', 'ANTHROPIC', 'API', 'KEY'].join('_');
  const repeat = (unit, n) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));
  const exposure = (text) => () => {
    core.findClientExposures(text);
    core.findClientExposuresInBuffer(Buffer.from(text, 'latin1'));
  };
  const ignore = (pattern, path) => {
    const rules = new core.IgnoreRules(pattern + '\n');
    return () => rules.test(path, false);
  };
  return [
    ['client exposure: import + spaces before the package, many lines', (n) => exposure(`${option}: true\n` + repeat('import' + ' '.repeat(480) + "'@anthropic-ai/sdk';\n", n))],
    ['client exposure: require + spaces, many lines', (n) => exposure(`${option}: true\n` + repeat('const' + ' '.repeat(480) + "= require('@anthropic-ai/sdk')\n", n))],
    ['client exposure: package mentions with no import', (n) => exposure(`${option}: true\n` + repeat("from '@anthropic-ai/sdk' ", n))],
    ['client exposure: long dotted callee before each option', (n) => exposure("import A from '@anthropic-ai/sdk';\n" + repeat(`${'a.'.repeat(95)}b({ ${option}: true })\n`, n))],
    ['client exposure: option then spaces, no colon', (n) => exposure(option + ' '.repeat(n))],
    ['client exposure: one public name n characters long', (n) => exposure(`VITE_${repeat('ANTHROPIC_', n)}KEY`)],
    ['client exposure: public names repeated', (n) => exposure(repeat(`${publicName}\n`, n))],
    ['code lexer: nested template literals', (n) => exposure(repeat('`${', n) + `${option}: true ANTHROPIC`)],
    ['code lexer: regex-looking slashes and classes', (n) => exposure(repeat('/[', n) + ` ${option}: true ANTHROPIC`)],
    ['ignore rules: a/**/a/**/z on an n-deep path', (n) => ignore('a/**/a/**/z', repeat('a/', n / 100) + 'y')],
    ['ignore rules: 12 × a/** on an n-deep path', (n) => ignore(Array(12).fill('a/**').join('/') + '/z', repeat('a/', n / 100) + 'y')],
    ['ignore rules: a*a*…b (50 stars) on a long name', (n) => ignore('a*'.repeat(50) + 'b', 'a'.repeat(n / 100))],
    ['UTF-16 in binary: UTF-16 key prefixes repeated', (n) => () => core.findUtf16KeysInBinary(Buffer.from(repeat(PREFIX + 'api03-', n / 2), 'utf16le'), { includeLowConfidence: true })],
    // Issue 13's new paths: escapes before a key, split keys, base64 forms.
    ...[
      ['escapes: \\n before each key prefix', '\\n' + PREFIX + 'api03-'],
      ['escapes: %22 runs before a key prefix', '%22'.repeat(20) + PREFIX + 'api03-'],
      ['escapes: ESC[ runs (colour codes) before a key prefix', '\x1b[1;32m\x1b['.repeat(5) + PREFIX],
      ['escapes: \\u001b[ parameter runs, no letter', '\\u001b[' + '1;'.repeat(40)],
      ['split keys: joinable literals, repeated', `"${PREFIX}api03-" + `],
      ['split keys: one prefix, then + "a" pieces', `"${PREFIX}api03-" ` + '+ "a" '.repeat(200)],
      ['split keys: prefixes wrapped at every line', `${PREFIX}api03-ab\n`],
      ['base64: the three encoded prefixes repeated', 'c2stYW50LNrLWFudCzay1hbnQt'],
      ['base64: an encoded prefix, then base64 alphabet', 'c2stYW50L' + KEY_ALPHABET.repeat(40)],
      ['base64: a run of W (the rare letters the needles start with)', 'W'],
    ].map(([label, unit]) => [label, (n) => {
      const text = repeat(unit, n);
      const bytes = Buffer.from(text, 'latin1');
      return () => {
        core.findTextFindings(text);
        core.findBufferFindings(bytes);
      };
    }]),
  ].map(([label, make]) => {
    progress(`in-memory: other searches: ${label}`);
    const sizes = quick ? [500_000, 1_000_000] : [2_000_000, 4_000_000];
    const seconds = sizes.map((size) => {
      const run = make(size);
      run();
      return bestOf(5, run).seconds;
    });
    return { label, sizes, seconds };
  });
}

/**
 * The same adversarial inputs as files, each scanned by the whole CLI (mean of 3): what a user waits for, start,
 * read and scan included. Plain text here is mixed code and docs of the same size.
 */
async function adversarialFiles(size) {
  const dir = join(BUILD_DIR, 'adversarial');
  mkdirSync(dir, { recursive: true });
  const plain = generateText(0xad5, size * 1.05, { types: ['ts', 'py', 'json', 'yaml', 'md'] }).join('\n');
  const rows = [];
  for (const [label, make] of Object.entries(adversarialInputs(plain))) {
    progress(`whole-process adversarial file: ${label}`);
    const file = join(dir, `${rows.length}.txt`);
    writeFileSync(file, make(size), 'latin1');
    const walls = [];
    await runTimed(process.execPath, [CLI, 'scan', '--no-gitignore', '--format', 'json', file]); // warm-up
    for (let i = 0; i < 3; i++) walls.push((await runTimed(process.execPath, [CLI, 'scan', '--no-gitignore', '--format', 'json', file])).wall);
    rows.push({ label, wall: walls.reduce((a, b) => a + b, 0) / walls.length, walls });
    rmSync(file);
  }
  return rows;
}

function inMemory(core, oldCore) {
  const MB = 1e6;
  const bigSize = quick ? 20 * MB : 100 * MB;
  const advSizes = quick ? [5 * MB, 10 * MB] : [25 * MB, 50 * MB];
  const planted = 10;
  const results = { bigSize, advSizes, rows: [], adversarial: [] };

  const dashesPerKB = (t) => {
    let n = 0;
    for (let i = t.indexOf('-'); i >= 0; i = t.indexOf('-', i + 1)) n++;
    return (n / t.length) * 1000;
  };
  let plainText;
  const texts = [
    ['mixed code + docs', ['ts', 'py', 'json', 'yaml', 'md']],
    ['code only, TS + Python', ['ts', 'py']],
  ];
  for (const [label, types] of texts) {
    progress(`in-memory: generating ${bigSize / MB} MB of text (${label})`);
    let text = plantKeys(generateText(0xbe7c, bigSize, { types }), planted, 700000);
    if (text.length > bigSize) text = text.slice(0, bigSize);
    text = flat(text);
    plainText ??= text;
    const buffer = Buffer.from(text, 'latin1');
    // The same text as a two-byte V8 string (one non-ASCII character makes the whole string UTF-16).
    const twoByte = flat(Buffer.from('→' + text.slice(1), 'utf8').toString('utf8'));
    const dashes = fmt(dashesPerKB(text), 1);
    // Each case on this build and, beside it, on the previous one (`old`: undefined where it has no such function).
    // "Every key form" is what the text and file scans run: the keys written out (with escapes and split keys) and
    // their base64 forms, in one chunked walk (src/core/keyForms.ts) where the build has it, else the two searches one
    // after the other; the build before issue 13 had only the first.
    const allForms = (c, input) => () =>
      c.findKeyForms ? c.findKeyForms(input) : c.findBase64Credentials ? [...c.findCredentials(input), ...c.findBase64Credentials(input)] : c.findCredentials(input);
    const allFormsInBuffer = (c, input) => () =>
      c.findKeyFormsInBuffer
        ? c.findKeyFormsInBuffer(input)
        : c.findBase64CredentialsInBuffer
          ? [...c.findCredentialsInBuffer(input), ...c.findBase64CredentialsInBuffer(input)]
          : c.findCredentialsInBuffer(input);
    const cases = [
      ['findCredentials', `string, one-byte`, (c) => () => c.findCredentials(text), text.length],
      ['findCredentials', `string, two-byte (one non-ASCII char)`, (c) => () => c.findCredentials(twoByte), twoByte.length],
      ['findCredentialsInBuffer', `Buffer`, (c) => () => c.findCredentialsInBuffer(buffer), buffer.length],
      ['every key form (+ base64)', `string, one-byte`, (c) => allForms(c, text), text.length],
      ['every key form (+ base64)', `Buffer`, (c) => allFormsInBuffer(c, buffer), buffer.length],
    ];
    for (const [fn, input, make, size] of cases) {
      progress(`in-memory: ${fn} on ${input} (${label})`);
      const measure = (c) => {
        const run = make(c);
        run(); // warm-up
        return bestOf(7, run);
      };
      const old = oldCore ? measure(oldCore) : undefined;
      const { seconds, result } = measure(core);
      const high = result.filter((m) => m.confidence === 'high' && !m.encoding).length;
      results.rows.push({ fn, input: `${bigSize / MB} MB ${input}; ${label} (${dashes} '-'/KB)`, ms: seconds * 1000, gbps: size / seconds / 1e9, found: high, planted, oldGbps: old ? size / old.seconds / 1e9 : undefined });
    }
  }
  const text = plainText;

  // Rescanning an editor document of 10,000 lines.
  progress('in-memory: findTextFindings on a 10,000-line document');
  const docLines = generateText(0xd0c, 10000 * 100, { types: ['ts'] }).slice(0, 10000);
  while (docLines.length < 10000) docLines.push('');
  const doc = flat(plantKeys(docLines, 3, 710000));
  const docTwoByte = flat(Buffer.from('// → ' + doc.slice(5), 'utf8').toString('utf8'));
  results.rescan = [];
  const rescan = (c, input) => {
    for (let i = 0; i < 50; i++) c.findTextFindings(input);
    const times = [];
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      const t0 = process.hrtime.bigint();
      found = c.findTextFindings(input).filter((f) => f.ruleId === 'hardcoded-key').length;
      times.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
    return { us: median(times), p90: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)], found, runs: times.length };
  };
  for (const [label, input] of [['one-byte', doc], ['two-byte', docTwoByte]]) {
    const old = oldCore ? rescan(oldCore, input) : undefined;
    results.rescan.push({ label, chars: input.length, lines: input.split('\n').length, ...rescan(core, input), oldUs: old?.us });
  }

  // Adversarial linearity.
  for (const [label, make] of Object.entries(adversarialInputs(text))) {
    progress(`in-memory: adversarial: ${label}`);
    const row = { label, string: [], buffer: [] };
    for (const size of advSizes) {
      // Through a Buffer: a fresh sequential string. A slice of a repeated (rope) string stays a view into it,
      // and how V8 reads such a view varied from run to run by a factor of two.
      const b = Buffer.from(make(size), 'latin1');
      const s = b.toString('latin1');
      core.findCredentials(s);
      core.findCredentialsInBuffer(b);
      row.string.push(bestOf(5, () => core.findCredentials(s), { cold: true, upTo: 25 }).seconds);
      row.buffer.push(bestOf(5, () => core.findCredentialsInBuffer(b), { cold: true, upTo: 25 }).seconds);
    }
    results.adversarial.push(row);
  }
  results.otherSearches = otherSearches(core);
  return results;
}


// ---------------------------------------------------------------------------------------------------------------
// Inside git repositories (issue 15): the corpus committed, and untracked in a fresh repository. The CLI in its default
// mode (git decides what is scanned), the previous build, ripgrep on the same files, and git grep alone as the floor:
// the two searches the scan runs, at once, as it runs them.

/** The git grep of src/core/git.ts's grepCandidates, as one command line for `sh`, with the scan's environment. */
function gitGrepFloorCommand(dir, needles) {
  const quote = (word) => `'${word.split("'").join(`'\\''`)}'`;
  const literal = (text) => text.replace(/[^A-Za-z0-9]/g, (char) => `\\${char}`);
  const command = ['git', '-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'core.untrackedCache=false', '-c', 'grep.fullName=false', 'grep', '-z', '-l', '-a', '--untracked', '--no-textconv', '--no-recurse-submodules', '--no-color', '-P', ...[...needles.map(literal), '\\x00'].flatMap((pattern) => ['-e', pattern])];
  return `cd ${quote(dir)} && LC_ALL=C ${command.map(quote).join(' ')}`;
}

async function gitRepositories({ truth, filesDir, baseline, needles }) {
  const repos = ensureRepoCorpora({ baseDir: BENCH_DIR, filesDir, truth, log: progress });
  const sections = [];
  for (const [kind, dir] of Object.entries(repos)) {
    const relDir = relative(ROOT, dir).split(sep).join('/');
    const strip = (path) => (path.startsWith(relDir + '/') ? path.slice(relDir.length + 1) : path);
    const cliFindings = (stdout) =>
      JSON.parse(stdout.toString('utf8'))
        .findings.filter((f) => f.ruleId === 'hardcoded-key')
        .map((f) => ({ path: strip(f.path), line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity }));
    const entries = [
      ...(baseline ? [{ name: 'previous build (CLI, default mode)', command: process.execPath, args: [baseline.cli, 'scan', relDir, '--format', 'json'], ok: [0, 1], parse: cliFindings }] : []),
      { name: 'CLI (default mode: git grep chooses)', command: process.execPath, args: [CLI, 'scan', relDir, '--format', 'json'], ok: [0, 1], parse: cliFindings },
      // The walker's path inside git, as before issue 15: every listed file read (the same report, checked below).
      { name: 'CLI reading every file (ANTHROPIC_KEY_HYGIENE_SCAN=read-all)', command: process.execPath, args: [CLI, 'scan', relDir, '--format', 'json'], env: { ...process.env, ANTHROPIC_KEY_HYGIENE_SCAN: 'read-all' }, ok: [0, 1], parse: cliFindings },
      { name: 'ripgrep', command: RG, args: ['--no-config', '--hidden', '--glob', '!.git', '--vimgrep', '-o', '-e', RG_REGEX, relDir], ok: [0, 1], parse: (stdout) => allToolsParseVimgrep(stdout, strip).findings, unit: 'byte' },
      { name: 'floor: git grep alone (the one -P search of the scan)', command: 'sh', args: ['-c', gitGrepFloorCommand(dir, needles)], ok: [0, 1], parse: () => [] },
    ];
    const walls = entries.map(() => []);
    const outputs = [];
    progress(`git repository (${kind}): warm-up`);
    for (const entry of entries) await runTimed(entry.command, entry.args, { env: entry.env });
    for (let i = 0; i < runs; i++) {
      for (const [index, entry] of entries.entries()) {
        progress(`git repository (${kind}), run ${i + 1}/${runs}: ${entry.name}`);
        const result = await runTimed(entry.command, entry.args, { env: entry.env });
        if (result.error || !entry.ok.includes(result.code)) {
          fail(`${entry.name} on the ${kind} repository failed (exit ${result.code}): ${(result.error?.message ?? result.stderr).trim().split('\n')[0]}`);
          continue;
        }
        walls[index].push(result.wall);
        outputs[index] ??= result.stdout;
      }
    }
    // The same report, byte for byte, when every file is read.
    const cliIndex = baseline ? 1 : 0;
    const sameReport = outputs[cliIndex] !== undefined && outputs[cliIndex + 1] !== undefined && outputs[cliIndex + 1].equals(outputs[cliIndex]);
    const rows = entries.map((entry, index) => {
      const list = walls[index];
      const mean = list.length ? list.reduce((a, b) => a + b, 0) / list.length : NaN;
      let recall = '';
      if (outputs[index] !== undefined && entry.name !== entries[entries.length - 1].name) {
        const scored = score(entry.parse(outputs[index]), truth, entry.unit ?? 'utf16');
        recall = `${scored.found}/${truth.keys.length}${entry.unit ? '' : `, exact col ${scored.exactColumn}`}, decoys ${scored.decoyHits.filter((d) => d.severity !== 'warning').length}`;
      }
      return { entry, list, mean, recall };
    });
    sections.push({ kind, relDir, rows, sameReport });
  }
  return sections;
}

function printGitRepositories(sections) {
  print(`Inside git repositories (issue 15)  (the corpus above as a repository: every file committed, or every file untracked in a fresh one; mean of ${runs}, runs alternating, warm page cache)`);
  for (const { kind, relDir, rows, sameReport } of sections) {
    const rg = rows.find((row) => row.entry.name === 'ripgrep');
    print(`  ${kind}: ${relDir}/`);
    print(
      table(
        ['tool', 'wall s', 'min–max', '× ripgrep', 'recall (hardcoded keys)'],
        rows.map((row) => [row.entry.name, fmt(row.mean), row.list.length > 1 ? `${fmt(Math.min(...row.list))}–${fmt(Math.max(...row.list))}` : '', rg ? fmt(row.mean / rg.mean) : 'n/a', row.recall]),
        ['l'],
      ),
    );
    const cli = rows.find((row) => row.entry.name.startsWith('CLI'));
    if (cli && rg) print(`  CLI / ripgrep (${kind}): ${fmt(cli.mean / rg.mean)}×   target ≤ ${TARGET_RATIO}×: ${verdict(cli.mean / rg.mean <= TARGET_RATIO)}   stretch ≤ 1.0×: ${cli.mean / rg.mean <= 1 ? 'met' : 'not yet'}`);
    print(`  the CLI's JSON with git grep and with every file read (ANTHROPIC_KEY_HYGIENE_SCAN=read-all): ${sameReport ? 'identical' : 'DIFFERENT'}`);
  }
  print('  ripgrep: rg --no-config --hidden --glob !.git --vimgrep -o -e <the published shapes> <repository>; the floor runs the');
  print('  git grep command of src/core/git.ts (grepCandidates) with the same -c options and LC_ALL=C as the scan.');
  print();
}

/** The in-memory section of the report: throughput, the editor's rescan, adversarial linearity. */
function printInMemory(memory) {
  print(`In-memory core scanner  (src/core bundled by esbuild, run in this process; best of 7)`);
  print(table(
    ['function', 'input', 'previous GB/s', 'ms', 'GB/s', 'keys found', `target ≥ ${TARGET_GBPS} GB/s`],
    memory.rows.map((r) => [r.fn, r.input, r.oldGbps === undefined ? 'n/a' : fmt(r.oldGbps), fmt(r.ms), fmt(r.gbps), `${r.found}/${r.planted}`, verdict(r.gbps >= TARGET_GBPS)]),
    ['l', 'l'],
  ));
  print('  previous GB/s: the previous build on the same input in this run ("every key form" there is what that build runs: the');
  print('  two searches one after the other, or findCredentials alone before issue 13).');
  print();
  print(table(
    ['rescan (findTextFindings)', 'chars', 'previous median µs', 'median µs', 'p90 µs', 'runs', 'keys found', `target < ${TARGET_RESCAN_US} µs`],
    memory.rescan.map((r) => [`${int(r.lines)}-line TypeScript document, ${r.label} string`, int(r.chars), r.oldUs === undefined ? 'n/a' : fmt(r.oldUs, 1), fmt(r.us, 1), fmt(r.p90, 1), r.runs, `${r.found}/3`, verdict(r.us < TARGET_RESCAN_US)]),
  ));
  print();
  const [small, large] = memory.advSizes.map((s) => `${s / 1e6} MB`);
  const plain = memory.adversarial[0];
  print(`Adversarial linearity  (best of 5 to 25 runs, each read from memory; plain = the mixed text above; ms at ${small} and ${large}; "×2" = time(${large}) / time(${small}), linear ≈ 2, limit ${LINEAR_LIMIT}; "×plain" = time / plain text of ${large}, target ≤ ${TARGET_ADVERSARIAL_FACTOR})`);
  const advRows = [];
  for (const row of memory.adversarial) {
    for (const kind of ['string', 'buffer']) {
      const [t1, t2] = row[kind];
      const vsPlain = t2 / plain[kind][1];
      const linear = t2 / t1;
      advRows.push([
        row.label,
        kind === 'string' ? 'findCredentials' : 'findCredentialsInBuffer',
        fmt(t1 * 1000),
        fmt(t2 * 1000),
        fmt(linear),
        fmt(vsPlain, 1),
        row === plain ? '' : `${linear <= LINEAR_LIMIT ? 'linear' : 'NOT LINEAR'}, ${vsPlain <= TARGET_ADVERSARIAL_FACTOR ? 'met' : 'MISSED'}`,
      ]);
    }
  }
  print(table(['input', 'function', `ms ${small}`, `ms ${large}`, '×2', '×plain', 'verdict'], advRows, ['l', 'l']));
  print();
  const [n1, n2] = memory.otherSearches[0].sizes.map((size) => `${size / 1e6} MB`);
  print(`Adversarial linearity of every other search on the scan path  (best of 5; ms at n = ${n1} and 2n = ${n2} of input, ignore paths and names n/100 long; "×2" = time(2n) / time(n), linear ≈ 2, limit ${LINEAR_LIMIT})`);
  print(table(
    ['input', 'ms n', 'ms 2n', '×2', 'verdict'],
    memory.otherSearches.map((row) => {
      const ratio = row.seconds[1] / row.seconds[0];
      // Below a millisecond the ratio is timer noise: such a search is not growing at all.
      const fast = row.seconds[1] < 0.001;
      return [row.label, fmt(row.seconds[0] * 1000, 3), fmt(row.seconds[1] * 1000, 3), fmt(ratio), fast || ratio <= LINEAR_LIMIT ? 'linear' : 'NOT LINEAR'];
    }),
    ['l'],
  ));
  print();
}

/** --in-memory-only: the in-memory benchmarks alone, with the previous build beside them when --baseline names one. */
async function inMemorySection(core, loadStart) {
  let oldCore;
  if (args.baseline !== undefined) {
    try {
      oldCore = (await buildBaseline({ repoRoot: ROOT, buildDir: BUILD_DIR, ref: args.baseline, log: progress })).core;
    } catch (error) {
      fail(`the previous build (${args.baseline}) could not be built: ${error.message}`);
    }
  }
  const memory = inMemory(core, oldCore);
  print(`Anthropic Key Hygiene — in-memory benchmark (${quick ? 'quick' : 'full'} inputs)   MB = 10^6 bytes, GB = 10^9 bytes`);
  print(`  CPU ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores available; Node ${process.version}`);
  print(`  load average ${fmt(loadStart)} at start, ${fmt(loadavg()[0])} at end (1-min; other work on the machine skews timings)`);
  if (oldCore) print(`  previous build: ${args.baseline}`);
  print();
  printInMemory(memory);
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(CLI)) {
    fail(`${relative(ROOT, CLI)} is missing: run \`node esbuild.mjs --production\` first (npm run bench does)`);
    return;
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  // The git history scan (issue 16): its own section, and with --history-only the only one.
  const historySection = async () => {
    const history = await benchHistory({ baseDir: BENCH_DIR, cli: CLI, quick, runs, regenerate: args.regenerate, progress });
    for (const line of history.lines) print(line);
    if (history.failed) fail('the history scan failed or missed planted keys (see its section)');
  };
  if (args['history-only']) {
    await historySection();
    process.stdout.write(out.join('\n') + '\n');
    return;
  }
  // The rewrite path's n/2n/4n inputs (red team F13, F16): their own section, and with --fix-only the only one.
  const fixSection = async () => {
    const only = args['fix-cases'] === undefined ? undefined : new RegExp(args['fix-cases'], 'i');
    const fix = await benchFix({ baseDir: BENCH_DIR, cli: CLI, quick, progress, runTimed, only });
    for (const line of fix.lines) print(line);
    if (fix.failed) fail('a fix run failed or left a key (see the rewrite path section)');
  };
  if (args['fix-only']) {
    await fixSection();
    process.stdout.write(out.join('\n') + '\n');
    return;
  }
  writeFileSync(join(BUILD_DIR, 'secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-anthropic' }] }));
  const loadStart = loadavg()[0];

  progress('bundling the core scanner from src/ for the in-memory benchmarks');
  const core = await loadCore();
  // The corpus generator replicates test/support/fakeKeys.ts; make sure it still agrees.
  for (const seed of [1, 42, 100000]) {
    for (const kind of ['api', 'admin']) {
      if (core.fakeKey(seed, kind) !== fakeKey(seed, kind)) fail(`scripts/bench-corpus.mjs fakeKey(${seed}, '${kind}') differs from test/support/fakeKeys.ts`);
    }
  }
  if (args['in-memory-only']) {
    await inMemorySection(core, loadStart);
    return;
  }

  progress(`corpus: ${quick ? 'quick' : 'full'}`);
  const { truth, filesDir, cached, seconds } = ensureCorpus(BENCH_DIR, { quick, regenerate: args.regenerate, log: progress });
  const corpusMB = truth.bytes / 1e6;

  const rgVersion = spawnSync(RG, ['--version'], { encoding: 'utf8' });
  const haveRg = rgVersion.status === 0;
  if (!haveRg) fail('ripgrep (rg) is not installed');
  const secretlintVersion = existsSync(SECRETLINT) ? JSON.parse(readFileSync(join(ROOT, 'node_modules', 'secretlint', 'package.json'), 'utf8')).version : undefined;
  const ruleVersionFile = join(ROOT, 'node_modules', '@secretlint', 'secretlint-rule-anthropic', 'package.json');
  const ruleVersion = existsSync(ruleVersionFile) ? JSON.parse(readFileSync(ruleVersionFile, 'utf8')).version : undefined;
  const runSecretlint = !args['no-secretlint'] && secretlintVersion !== undefined && ruleVersion !== undefined;

  // The previous build, for figures side by side (today's first).
  let baseline;
  if (args.baseline !== undefined) {
    try {
      baseline = await buildBaseline({ repoRoot: ROOT, buildDir: BUILD_DIR, ref: args.baseline, log: progress });
    } catch (error) {
      fail(`the previous build (${args.baseline}) could not be built: ${error.message}`);
    }
  }
  if (args['git-only']) {
    print(`load average ${fmt(loadStart)} at start`);
    printGitRepositories(await gitRepositories({ truth, filesDir, baseline, needles: core.TEXT_NEEDLES }));
    print(`load average ${fmt(loadavg()[0])} at end`);
    process.stdout.write(out.join('\n') + '\n');
    return;
  }
  const allTools = tools(filesDir, baseline?.cli);
  const measured = { cliBaseline: [], cli: [], rg: [], node1: [], floor: [], secretlint: [] };
  const parsed = {};

  const runTool = async (name, { timeoutMs = 0, keep = true } = {}) => {
    const tool = allTools[name];
    if (tool.outputFile) rmSync(tool.outputFile, { force: true });
    const result = await runTimed(tool.command, tool.args, { cwd: tool.cwd ?? ROOT, timeoutMs });
    if (tool.outputFile && existsSync(tool.outputFile)) {
      result.stdout = readFileSync(tool.outputFile);
      rmSync(tool.outputFile, { force: true });
    }
    if (result.timedOut) return { ...result, ok: false };
    if (result.error || !tool.okCodes.includes(result.code)) {
      fail(`${tool.label} failed (exit ${result.code}${result.signal ? ', ' + result.signal : ''}): ${(result.error?.message ?? result.stderr).trim().split('\n').slice(0, 3).join(' | ')}`);
      return { ...result, ok: false };
    }
    try {
      const p = tool.parse(result.stdout);
      const leaked = (result.stdout.toString('latin1').match(FULL_KEY) ?? []).length;
      if (keep) {
        measured[name].push(result);
        // Findings must be the same in every run: keep the first, count the others.
        if (!parsed[name]) parsed[name] = { ...p, leaked, counts: [] };
        parsed[name].counts.push(p.findings.length);
      }
      return { ...result, ok: true };
    } catch (error) {
      fail(`${tool.label}: unreadable output: ${error.message}`);
      return { ...result, ok: false };
    }
  };

  // Warm-up: one run of each fast tool fills the page cache; not counted.
  progress('warm-up: CLI and ripgrep once each (page cache)');
  const warmCli = await runTool('cli', { keep: false });
  const warmRg = haveRg ? await runTool('rg', { keep: false }) : undefined;
  progress(`warm-up: CLI ${fmt(warmCli.wall)} s, ripgrep ${fmt(warmRg?.wall)} s`);

  if (baseline) await runTool('cliBaseline', { keep: false });
  // Timed runs, alternating so that load from other processes hits both alike.
  for (let i = 0; i < runs; i++) {
    if (baseline) {
      progress(`run ${i + 1}/${runs}: previous build's CLI`);
      await runTool('cliBaseline');
    }
    progress(`run ${i + 1}/${runs}: CLI`);
    await runTool('cli');
    if (haveRg) {
      progress(`run ${i + 1}/${runs}: ripgrep`);
      await runTool('rg');
    }
    progress(`run ${i + 1}/${runs}: reference plain-Node scan`);
    await runTool('node1');
    progress(`run ${i + 1}/${runs}: reference Node read-only floor`);
    await runTool('floor');
  }
  let secretlintStatus = runSecretlint ? undefined : args['no-secretlint'] ? 'skipped (--no-secretlint)' : 'not installed';
  if (runSecretlint) {
    progress(`secretlint: one run (stopped after ${secretlintTimeoutMs / 1000} s)`);
    const result = await runTool('secretlint', { timeoutMs: secretlintTimeoutMs });
    if (result.timedOut) secretlintStatus = `timed out after ${secretlintTimeoutMs / 1000} s`;
    else if (!result.ok) secretlintStatus = 'failed';
  }

  // The CLI in its default mode on the corpus: the folder is git-ignored by this repository, so nothing is scanned.
  const defaultMode = await runTimed(process.execPath, [CLI, 'scan', relative(ROOT, filesDir), '--format', 'json']);
  let defaultModeFiles = 'n/a';
  try {
    defaultModeFiles = JSON.parse(defaultMode.stdout.toString('utf8')).summary.filesScanned;
  } catch {
    // reported as n/a
  }
  const loadAfterTools = loadavg()[0];

  const gitSections = await gitRepositories({ truth, filesDir, baseline, needles: core.TEXT_NEEDLES });

  const adversarialFileSize = quick ? 10e6 : 50e6;
  const adversarialCli = await adversarialFiles(adversarialFileSize);
  const memory = args['no-in-memory'] ? undefined : inMemory(core, baseline?.core);
  const loadEnd = loadavg()[0];

  // ------------------------------------------------------------------------------------------------------------
  // Report

  const kinds = { api: 0, admin: 0 };
  truth.keys.forEach((k) => kinds[k.kind]++);
  const decoyClasses = {};
  for (const cls of ['placeholder', 'hint', 'glued', 'truncated', 'truncated-long', 'low-entropy', 'sequential']) decoyClasses[cls] = 0;
  truth.decoys.forEach((d) => (decoyClasses[d.cls] = (decoyClasses[d.cls] ?? 0) + 1));

  print(`Anthropic Key Hygiene — benchmark (${quick ? 'quick' : 'full'} corpus)   MB = 10^6 bytes, GB = 10^9 bytes`);
  print();
  print('Machine');
  print(`  CPU            ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores available, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM`);
  print(`  Node           ${process.version}`);
  print(`  ripgrep        ${haveRg ? rgVersion.stdout.split('\n')[0] : 'not installed'} (default threads)`);
  print(`  secretlint     ${secretlintVersion ? `secretlint ${secretlintVersion} + @secretlint/secretlint-rule-anthropic ${ruleVersion}` : 'not installed'}`);
  print(`  load average   ${fmt(loadStart)} at start, ${fmt(loadAfterTools)} after the process runs, ${fmt(loadEnd)} at end (1-min; other work on the machine skews timings)`);
  print();
  print(`Corpus  ${relative(ROOT, filesDir)}/  (${cached ? 'cached' : `generated in ${fmt(seconds, 1)} s`}, seed 0x${truth.params.seed.toString(16)}, not a git repo, no .gitignore)`);
  print(`  files          ${int(truth.files)} (${truth.binaryFiles} binary, ${truth.params.minified.length} minified one-line bundles)`);
  print(`  size           ${fmt(corpusMB, 1)} MB; longest line ${fmt(truth.longestLine / 1e6, 1)} MB`);
  print(`  planted keys   ${truth.keys.length} (${kinds.api} API, ${kinds.admin} admin)`);
  print(`  decoys         ${truth.decoys.length} (${Object.entries(decoyClasses).map(([c, n]) => `${c} ${n}`).join(', ')})`);
  const terminators = {};
  for (const t of ['"', "'", '`', ',', ')', ';', '&', '\\', ' ', 'LF', 'CRLF', 'EOF']) terminators[t] = 0;
  truth.keys.forEach((k) => (terminators[k.terminator] = (terminators[k.terminator] ?? 0) + 1));
  print(`  key followed by ${Object.entries(terminators).map(([t, n]) => `${t.length === 1 ? `'${t}'` : t} ×${n}`).join(', ')}`);
  print(`                 ${truth.keys.filter((k) => k.nonAsciiBefore).length} keys after non-ASCII text on their line, ${truth.keys.filter((k) => k.bom).length} on line 1 of a BOM file`);
  print();

  print(`Whole-process scans  (warm page cache; mean of ${runs} runs, secretlint 1 run)`);
  print(`  warm-up (not counted): CLI ${fmt(warmCli.wall)} s, ripgrep ${fmt(warmRg?.wall)} s`);
  const rows = [];
  const scores = {};
  let floorMean;
  const cmdLines = [];
  const shown = { cliBaseline: `node ${baseline ? relative(ROOT, baseline.cli) : '(not built)'}`, cli: 'node dist/cli.js', rg: 'rg', node1: 'node -e <inline script in scripts/bench.mjs>', floor: 'node -e <inline script in scripts/bench.mjs>', secretlint: 'secretlint' };
  for (const name of [...(baseline ? ['cliBaseline'] : []), 'cli', 'rg', 'secretlint', 'node1', 'floor']) {
    const tool = allTools[name];
    const shownArgs = name === 'rg' ? tool.args : name === 'floor' ? [tool.args[2]] : tool.args.slice(name === 'node1' ? 2 : 1);
    cmdLines.push(`  ${tool.label}: ${[shown[name], ...shownArgs.map((a) => (/[\s|(*]/.test(a) ? `'${a}'` : a))].join(' ')}${tool.cwd ? `  (in ${relative(ROOT, tool.cwd)}/)` : ''}`);
    const list = measured[name];
    if (list.length === 0) {
      const status = name === 'secretlint' ? secretlintStatus : name === 'rg' && !haveRg ? 'not installed' : 'failed';
      rows.push([tool.label, 0, 'n/a', '', '', '', status, '', '', '']);
      continue;
    }
    const walls = list.map((r) => r.wall);
    const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
    const peak = Math.max(...list.map((r) => r.peakMB));
    const s = score(parsed[name].findings, truth, tool.unit);
    // The read-only floor finds nothing by design: it is kept out of the per-tool recall tables below.
    if (name === 'floor') floorMean = mean;
    else scores[name] = { ...s, mean };
    const fpErrors = s.decoyHits.filter((d) => d.severity !== 'warning').length;
    const fpWarnings = s.decoyHits.length - fpErrors;
    rows.push([
      tool.label,
      list.length,
      fmt(mean),
      list.length > 1 ? `${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}` : '',
      int(corpusMB / mean),
      int(peak),
      name === 'floor' ? 'n/a (reads only)' : `${s.found}/${truth.keys.length} ${pct(s.found, truth.keys.length)}`,
      name.startsWith('cli') ? `${s.exactColumn}/${s.found}` : '',
      name.startsWith('cli') ? `${fpErrors} (+${fpWarnings} warn)` : String(s.decoyHits.length),
      String(s.unexpected.length),
    ]);
  }
  print(table(['tool', 'runs', 'wall s', 'min–max', 'MB/s', 'peak MB', 'recall (file+line)', 'exact col', 'decoys flagged', 'other'], rows));
  print('  recall: planted keys reported at the right file and line; exact col: also at the right UTF-16 column (CLI);');
  print('  decoys flagged: findings on placeholders, hints, glued, truncated or low-entropy tokens; other: findings at no');
  print('  planted key or decoy. The CLI counts hardcoded-key findings only (it runs with --no-gitignore: see below).');
  print('  commands:');
  cmdLines.forEach((l) => print(l));
  print();

  if (baseline) print(`  previous build: ${args.baseline} at ${baseline.commit.slice(0, 12)}, bundled by scripts/bench-baseline.mjs as esbuild.mjs --production bundles this one`);
  if (scores.cliBaseline && scores.rg) print(`  previous build / ripgrep wall time: ${fmt(scores.cliBaseline.mean / scores.rg.mean)}×`);
  if (scores.cli && scores.rg) {
    const ratio = scores.cli.mean / scores.rg.mean;
    print(`  CLI / ripgrep wall time: ${fmt(ratio)}×   target ≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)}   stretch (< 1×, beat ripgrep): ${ratio < 1 ? 'met' : 'not yet'}`);
  }
  if (floorMean && scores.rg) {
    print(`  Node read-only floor / ripgrep: ${fmt(floorMean / scores.rg.mean)}×   CLI / Node read-only floor: ${scores.cli ? fmt(scores.cli.mean / floorMean) + '×' : 'n/a'}`);
  }
  if (scores.cli) {
    const s = scores.cli;
    print(`  CLI recall target 100%: ${verdict(s.found === truth.keys.length)}; exact columns ${s.exactColumn}/${s.found}, exact end columns ${s.exactEnd}/${s.found}; full keys in CLI output: ${parsed.cli.leaked}`);
    const stable = new Set(parsed.cli.counts).size === 1;
    print(`  CLI findings identical in count across runs: ${stable ? 'yes' : `NO (${parsed.cli.counts.join(', ')})`}; files scanned ${int(parsed.cli.summary?.filesScanned)}, skipped ${int(parsed.cli.summary?.filesSkipped)}, bytes ${int(parsed.cli.summary?.bytesScanned)}`);
  }
  if (parsed.secretlint) print(`  full keys in secretlint output: ${parsed.secretlint.leaked} (it masks them)`);
  print(`  CLI default mode (git rules) on the corpus: ${defaultModeFiles} files scanned — bench-corpus/ is git-ignored here, so --no-gitignore is used above`);
  print();
  printGitRepositories(gitSections);

  // Per-tool detail: decoys by class, misses by terminator.
  const detailRows = [];
  const classes = Object.keys(decoyClasses);
  for (const [name, s] of Object.entries(scores)) {
    const byClass = {};
    s.decoyHits.forEach((d) => (byClass[d.cls] = (byClass[d.cls] ?? 0) + 1));
    detailRows.push([allTools[name].label, ...classes.map((c) => `${byClass[c] ?? 0}/${decoyClasses[c]}`)]);
  }
  if (detailRows.length) {
    print('Decoys flagged, by class (flagged/planted; the CLI reports some near-misses as low-confidence warnings by design)');
    print(table(['tool', ...classes], detailRows));
    print();
  }
  const missRows = [];
  const terms = Object.keys(terminators);
  for (const [name, s] of Object.entries(scores)) {
    const missedBy = {};
    s.missed.forEach((k) => (missedBy[k.terminator] = (missedBy[k.terminator] ?? 0) + 1));
    const admin = s.missed.filter((k) => k.kind === 'admin').length;
    missRows.push([allTools[name].label, String(s.missed.length), `${admin}/${kinds.admin}`, ...terms.map((t) => String(missedBy[t] ?? 0))]);
  }
  if (missRows.length) {
    print('Missed keys, by kind and by the character after the key');
    print(table(['tool', 'missed', 'admin', ...terms.map((t) => (t.length === 1 ? `'${t}'` : t))], missRows));
    print();
  }
  if (scores.cli) {
    const s = scores.cli;
    const show = (title, list, describe) => {
      if (list.length === 0) return;
      print(`${title} (${list.length}${list.length > 10 ? ', first 10' : ''})`);
      list.slice(0, 10).forEach((x) => print(`  ${describe(x)}`));
      print();
    };
    const keyLine = (k) => `${k.path}:${k.line}:${k.column}  ${k.kind}  ${keyHint(fakeKey(k.seed, k.kind))}  followed by ${JSON.stringify(k.terminator)}${k.bom ? ', BOM file' : ''}${k.nonAsciiBefore ? ', non-ASCII before it' : ''}`;
    show('CLI missed', s.missed, keyLine);
    show('CLI wrong column', s.wrongColumn, (w) => `${keyLine(w.rec)}  reported column ${w.got}`);
    show('CLI flagged decoys at error severity', s.decoyHits.filter((d) => d.severity !== 'warning'), (d) => `${d.path}:${d.line}:${d.column}  ${d.cls}`);
    show('CLI findings at no planted key or decoy', s.unexpected, (f) => `${f.path}:${f.line}:${f.column}  ${f.severity}`);
  }

  if (memory) printInMemory(memory);

  const plainFile = adversarialCli[0];
  print(`Adversarial files through the CLI  (whole process: node dist/cli.js scan --no-gitignore FILE; ${adversarialFileSize / 1e6} MB each; mean of 3; target ≤ ${TARGET_ADVERSARIAL_FACTOR}× plain)`);
  print(table(
    ['input', 'wall s', 'runs', '×plain', 'verdict'],
    adversarialCli.map((row) => [
      row.label,
      fmt(row.wall),
      row.walls.map((wall) => fmt(wall)).join(', '),
      fmt(row.wall / plainFile.wall),
      row === plainFile ? '' : verdict(row.wall / plainFile.wall <= TARGET_ADVERSARIAL_FACTOR),
    ]),
    ['l'],
  ));
  print();

  if (!args['no-fix']) await fixSection();
  if (!args['no-history']) await historySection();

  print(toolFailed ? 'A tool failed: see the errors above (exit code 2).' : 'All tools ran. (Targets missed, if any, are marked MISSED; they do not change the exit code.)');
  process.stdout.write(out.join('\n') + '\n');
}

try {
  await main();
} catch (error) {
  fail(error.stack ?? String(error));
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}
process.exitCode = toolFailed ? 2 : 0;
