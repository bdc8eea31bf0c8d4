// The history benchmark's repository: a deterministic (seeded) git repository with a long history, built with
// `git fast-import` (one stream, no per-commit processes), and a truth file saying where each planted key was
// introduced and whether that commit is pushed.
//
// What the history holds (the cases `scan --history` must get right, at scale):
//   - a main line of commits that edit, add, delete and rename files spread over a few dozen folders;
//   - feature branches merged back with merge commits, some with keys; branches never merged; a commit reachable
//     only from a tag; a stash-like ref (refs/stash, which `git log --all` walks);
//   - keys added and kept, added then removed, added and then renamed with their file, copied into a second file
//     later (the first commit still introduced them), put in a file only by a merge commit (an "evil merge"), and
//     written in a commit message;
//   - decoys: placeholders and hints, which are not keys;
//   - remote-tracking refs: origin/main partway along main, and origin/<branch> for some branches (one of them never
//     merged), so "pushed" is true for some keys and false for others.
// The work tree is main checked out, so "still in the working tree" has an answer too.
//
// Truth is the generator's own record, never the product's: the commit each key was planted in (its first
// appearance: every other commit holding it descends from that one), the path and 1-based line there, whether a
// remote-tracking ref reaches that commit (an ancestry walk over the generator's own parent lists), and whether the
// key is in a file of the final main tree. No key is stored in the truth file: keys are rebuilt from their seeds.
//
// Layout (bench-corpus/ is git-ignored): bench-corpus/history/<name>/repo (the repository) and truth.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREFIX, fakeKey, keyHint, seededRandom } from './fake-keys.mjs';
import { generateText } from './bench-corpus.mjs';

/** Bump when the generator changes: a cached repository of another version is rebuilt. */
export const HISTORY_REPO_VERSION = 1;

export function historyParams(quick) {
  return quick
    ? { name: 'quick', commits: 2000, files: 400, dirs: 16, fileLines: [40, 220], keys: 60, branchEvery: 60, seed: 0x415700a2 }
    : { name: 'full', commits: 20000, files: 3000, dirs: 60, fileLines: [60, 330], keys: 300, branchEvery: 150, seed: 0x415700a1 };
}

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
const EXTENSIONS = ['ts', 'py', 'md', 'yaml', 'json'];
const AUTHORS = ['Ada Lovelace <ada@example.invalid>', 'Grace Hopper <grace@example.invalid>', 'Alan Turing <alan@example.invalid>', 'Edsger Dijkstra <ewd@example.invalid>'];
const START_TIME = 1_700_000_000;

/** The cached repository if it was built by this generator with these parameters, else a new one. */
export async function ensureHistoryRepo(baseDir, { quick = false, regenerate = false, log = () => {} } = {}) {
  const params = historyParams(quick);
  const dir = join(baseDir, 'history', params.name);
  const repo = join(dir, 'repo');
  const truthPath = join(dir, 'truth.json');
  if (!regenerate && existsSync(truthPath) && existsSync(repo)) {
    try {
      const truth = JSON.parse(readFileSync(truthPath, 'utf8'));
      if (truth.version === HISTORY_REPO_VERSION && JSON.stringify(truth.params) === JSON.stringify(params)) return { repo, truth, cached: true, seconds: 0 };
    } catch {
      // unreadable truth: rebuild
    }
  }
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const truth = await buildHistoryRepo(repo, params, log);
  // Written last: its presence marks a complete repository.
  writeFileSync(truthPath, JSON.stringify(truth));
  return { repo, truth, cached: false, seconds: (Date.now() - started) / 1000 };
}

function git(cwd, args, input) {
  const result = spawnSync('git', args, { cwd, env: GIT_ENV, input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.toString('utf8');
}

/** Key kinds planted, and how each key's story goes after it is introduced. */
const STORIES = ['keep', 'remove', 'rename', 'copy', 'delete-file', 'branch-merged', 'branch-unmerged', 'branch-pushed', 'evil-merge', 'tag-only', 'stash', 'commit-message'];

export async function buildHistoryRepo(repo, params, log = () => {}) {
  git(repo, ['init', '-q', '-b', 'main']);
  const random = seededRandom(params.seed);
  const int = (n) => Math.floor(random() * n);
  const range = ([lo, hi]) => lo + int(hi - lo + 1);
  const pick = (array) => array[int(array.length)];
  let textSeed = params.seed;
  const lines = (count, ext) => generateText(++textSeed, count * 60, { types: [ext === 'md' ? 'md' : ext] }).slice(0, count);

  // The fast-import stream, written with back-pressure.
  const importer = spawn('git', ['fast-import', '--quiet', `--export-marks=${join(repo, '..', 'marks.txt')}`], { cwd: repo, env: GIT_ENV, stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => importer.on('close', resolve));
  let pending = [];
  let pendingBytes = 0;
  const write = async (text) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes < 1 << 20) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!importer.stdin.write(chunk)) await new Promise((resolve) => importer.stdin.once('drain', resolve));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;

  // Commits: mark, parents (marks), for the ancestry walk.
  const commits = [];
  const parentsOf = new Map();
  let time = START_TIME;
  /** Writes one commit; `changes` are fast-import file commands. Returns its mark. */
  const commit = async (ref, message, parents, changes) => {
    const mark = commits.length + 1;
    commits.push(mark);
    parentsOf.set(mark, parents);
    time += 37 + int(60);
    const author = pick(AUTHORS);
    let text = `commit ${ref}\nmark :${mark}\nauthor ${author} ${time} +0000\ncommitter ${author} ${time} +0000\n${data(message)}`;
    if (parents.length > 0) text += `from :${parents[0]}\n`;
    for (const other of parents.slice(1)) text += `merge :${other}\n`;
    text += changes.join('');
    await write(text + '\n');
    return mark;
  };
  const put = (path, fileLines) => `M 100644 inline ${path}\n${data(fileLines.join('\n') + '\n')}`;

  // Main's files: path → lines.
  const files = new Map();
  const folders = Array.from({ length: params.dirs }, (_, i) => `pkg${String(i).padStart(2, '0')}/${pick(['src', 'lib', 'docs', 'config'])}`);
  let fileCounter = 0;
  const newPath = (folder = pick(folders)) => `${folder}/file${String(fileCounter++).padStart(5, '0')}.${pick(EXTENSIONS)}`;
  const extOf = (path) => path.slice(path.lastIndexOf('.') + 1);

  // The planted keys: seed, kind, story, and when.
  const keyCount = params.keys;
  const plans = Array.from({ length: keyCount }, (_, i) => ({
    id: i,
    seed: params.seed + 1000 + i,
    kind: i % 7 === 3 ? 'admin' : 'api',
    story: STORIES[i % STORIES.length],
    at: 5 + Math.floor(((params.commits - 200) * (i + 0.5)) / keyCount),
  }));
  const planAt = new Map();
  for (const plan of plans) planAt.set(plan.at, [...(planAt.get(plan.at) ?? []), plan]);
  const keyOf = (plan) => fakeKey(plan.seed, plan.kind);
  const truth = [];
  // Later events on main: commit index → functions returning file commands.
  const later = new Map();
  const schedule = (at, event) => later.set(at, [...(later.get(at) ?? []), event]);
  const keyLine = (plan, ext) => {
    const key = keyOf(plan);
    if (ext === 'py') return `ANTHROPIC_API_KEY = "${key}"`;
    if (ext === 'yaml') return `anthropic_api_key: ${key}`;
    if (ext === 'json') return `  "anthropicApiKey": "${key}",`;
    if (ext === 'md') return `Use the key ${key} for the demo.`;
    return `const anthropicApiKey = '${key}';`;
  };
  /** Inserts the key's line into a file's lines; returns the 1-based line. */
  const insertKey = (fileLines, plan, ext) => {
    const at = int(fileLines.length + 1);
    fileLines.splice(at, 0, keyLine(plan, ext));
    return at + 1;
  };
  const decoyLine = () =>
    pick([
      `ANTHROPIC_API_KEY=${PREFIX}api03-your-key-here`,
      `// rotated ${PREFIX}api03-R2D...igAA last week`,
      `const placeholder = '${PREFIX}api03-${'x'.repeat(93)}AA';`,
      `key: ${PREFIX}api03-<YOUR_KEY>`,
    ]);

  // The first commit: every file.
  log(`history repo: ${params.commits} commits over ${params.files} files`);
  const initial = [];
  for (let i = 0; i < params.files; i++) {
    const path = newPath();
    const fileLines = lines(range(params.fileLines), extOf(path));
    files.set(path, fileLines);
    initial.push(put(path, fileLines));
  }
  let mainTip = await commit('refs/heads/main', 'Initial import\n', [], initial);
  const mainLine = [mainTip];

  let open = undefined; // the feature branch being worked on
  let branchCounter = 0;
  const branchesToPush = [];
  const sideRefs = [];
  const stashes = [];
  const openBranch = () => {
    open = { name: `feature-${branchCounter++}`, tip: mainTip, files: new Map(), commitsLeft: 3 + int(8), unmerged: false, push: false };
  };
  /** A commit on the open branch: a new file, holding the given keys. */
  const branchCommit = async (branchPlans) => {
    const path = `${open.name}/part${open.files.size}.${pick(EXTENSIONS)}`;
    const fileLines = lines(range([20, 80]), extOf(path));
    const planted = branchPlans.map((plan) => ({ plan, line: insertKey(fileLines, plan, extOf(path)) }));
    open.files.set(path, fileLines);
    open.tip = await commit(`refs/heads/${open.name}`, `${open.name}: part ${open.files.size}\n`, [open.tip], [put(path, fileLines)]);
    for (const { plan, line } of planted) truth.push({ id: plan.id, story: plan.story, mark: open.tip, path, line });
    open.commitsLeft--;
  };
  /** Ends the open branch: merged into main (the merge itself adding the evil-merge keys), or left unmerged. */
  const closeBranch = async (evilPlans) => {
    if (open.push) branchesToPush.push({ name: open.name, tip: open.tip });
    if (!open.unmerged) {
      const changes = [...open.files].map(([path, fileLines]) => put(path, fileLines));
      const planted = [];
      for (const plan of evilPlans) {
        const path = pick([...files.keys()]);
        const fileLines = files.get(path);
        planted.push({ plan, path, line: insertKey(fileLines, plan, extOf(path)) });
        changes.push(put(path, fileLines));
      }
      for (const [path, fileLines] of open.files) files.set(path, fileLines);
      mainTip = await commit('refs/heads/main', `Merge branch '${open.name}'\n`, [mainTip, open.tip], changes);
      mainLine.push(mainTip);
      for (const { plan, path, line } of planted) truth.push({ id: plan.id, story: plan.story, mark: mainTip, path, line });
    }
    open = undefined;
  };

  for (let index = 1; index < params.commits; index++) {
    const planned = planAt.get(index) ?? [];
    const branchPlans = planned.filter((plan) => plan.story.startsWith('branch-'));
    const evilPlans = planned.filter((plan) => plan.story === 'evil-merge');
    const mainPlans = planned.filter((plan) => !plan.story.startsWith('branch-') && plan.story !== 'evil-merge');

    // A key a merge commit itself adds: a branch (opened now if none is) is merged with it.
    if (evilPlans.length > 0) {
      if (!open || open.unmerged) {
        if (open) await closeBranch([]);
        openBranch();
        await branchCommit([]);
      }
      await closeBranch(evilPlans);
      continue;
    }
    // A branch opens every so often, or when a key is to be introduced on one.
    if (!open && (branchPlans.length > 0 || index % params.branchEvery === 0)) openBranch();
    for (const plan of branchPlans) {
      if (plan.story !== 'branch-merged') open.unmerged = true;
      if (plan.story === 'branch-pushed') open.push = true;
    }
    // Commits on main and on the branch interleave in time.
    if (open && (branchPlans.length > 0 || (mainPlans.length === 0 && open.commitsLeft > 0 && int(3) === 0))) {
      await branchCommit(branchPlans);
      continue;
    }
    if (open && open.commitsLeft <= 0) await closeBranch([]);

    // A commit on main: ordinary edits, scheduled key events, and the keys planned for now.
    const changes = [];
    const touched = new Set();
    const edits = 1 + int(3);
    const paths = [...files.keys()];
    for (let e = 0; e < edits; e++) {
      const path = pick(paths);
      if (touched.has(path)) continue;
      touched.add(path);
      const fileLines = files.get(path);
      // Replace a few lines, never a planted key's line (the key's story decides when that goes).
      const at = int(Math.max(1, fileLines.length - 8));
      const count = Math.min(1 + int(6), fileLines.length - at);
      if (fileLines.slice(at, at + count).some((line) => line.includes(PREFIX))) continue;
      fileLines.splice(at, count, ...lines(1 + int(7), extOf(path)));
      if (int(40) === 0) fileLines.splice(int(fileLines.length), 0, decoyLine());
      changes.push(put(path, fileLines));
    }
    if (int(25) === 0) {
      const path = newPath();
      const fileLines = lines(range(params.fileLines), extOf(path));
      files.set(path, fileLines);
      changes.push(put(path, fileLines));
    }
    for (const event of later.get(index) ?? []) changes.push(...event());
    let message = `${pick(['Fix', 'Add', 'Update', 'Refactor', 'Tidy'])} ${pick(paths).split('/').pop()}\n`;
    const planted = [];
    for (const plan of mainPlans) {
      if (plan.story === 'commit-message') {
        message += `\nDebugging with ${keyOf(plan)} for now.\n`;
        planted.push({ plan, path: null, line: null });
        continue;
      }
      if (plan.story === 'tag-only' || plan.story === 'stash') continue;
      const path = pick([...files.keys()]);
      const fileLines = files.get(path);
      const line = insertKey(fileLines, plan, extOf(path));
      changes.push(put(path, fileLines));
      planted.push({ plan, path, line });
      const when = index + 5 + int(100);
      const key = keyOf(plan);
      if (plan.story === 'remove') {
        schedule(when, () => {
          const current = findFileWith(files, key);
          if (!current) return [];
          const [at, atLines] = current;
          files.set(at, atLines.filter((text) => !text.includes(key)));
          return [put(at, files.get(at))];
        });
      } else if (plan.story === 'rename') {
        schedule(when, () => {
          const current = findFileWith(files, key);
          if (!current) return [];
          const [from, fromLines] = current;
          const to = newPath();
          files.delete(from);
          files.set(to, fromLines);
          return [`R ${from} ${to}\n`];
        });
      } else if (plan.story === 'copy') {
        schedule(when, () => {
          const to = pick([...files.keys()]);
          const toLines = files.get(to);
          toLines.splice(int(toLines.length + 1), 0, keyLine(plan, extOf(to)));
          return [put(to, toLines)];
        });
      } else if (plan.story === 'delete-file') {
        schedule(when, () => {
          const current = findFileWith(files, key);
          if (!current) return [];
          files.delete(current[0]);
          return [`D ${current[0]}\n`];
        });
      }
    }
    mainTip = await commit('refs/heads/main', message, [mainTip], changes);
    mainLine.push(mainTip);
    for (const { plan, path, line } of planted) truth.push({ id: plan.id, story: plan.story, mark: mainTip, path, line });

    // Keys only a tag or a stash reaches: a commit off main on a ref of its own (stashes are moved onto
    // refs/stash's reflog after the import, as `git stash` keeps them).
    for (const plan of mainPlans.filter((p) => p.story === 'tag-only' || p.story === 'stash')) {
      const path = pick([...files.keys()]);
      const fileLines = [...files.get(path)];
      const line = insertKey(fileLines, plan, extOf(path));
      const ref = plan.story === 'stash' ? `refs/stash-import/${plan.id}` : `refs/tags/v0.${plan.id}`;
      const mark = await commit(ref, plan.story === 'stash' ? 'WIP on main: stash\n' : `Release candidate ${plan.id}\n`, [mainTip], [put(path, fileLines)]);
      if (plan.story === 'stash') stashes.push({ ref, mark });
      else sideRefs.push(ref);
      truth.push({ id: plan.id, story: plan.story, mark, path, line });
    }
  }
  if (open) await closeBranch([]);

  // Remote-tracking refs: origin/main three quarters along main's line, and origin/<branch> for pushed branches.
  const pushedMain = mainLine[Math.floor(mainLine.length * 0.75)];
  let refs = `reset refs/remotes/origin/main\nfrom :${pushedMain}\n\n`;
  for (const branch of branchesToPush) refs += `reset refs/remotes/origin/${branch.name}\nfrom :${branch.tip}\n\n`;
  await write(refs);
  await write('done\n');
  if (pending.length > 0) importer.stdin.write(pending.join(''));
  importer.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);

  // Commit ids from the marks; the work tree is main.
  const ids = new Map(
    readFileSync(join(repo, '..', 'marks.txt'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [mark, id] = line.split(' ');
        return [Number(mark.slice(1)), id];
      }),
  );
  // The stashes, oldest first, onto refs/stash and its reflog (stash@{0} is the newest), as `git stash` leaves them.
  for (const stash of stashes) {
    git(repo, ['update-ref', '--create-reflog', '-m', 'WIP on main', 'refs/stash', ids.get(stash.mark)]);
    git(repo, ['update-ref', '-d', stash.ref]);
  }
  log('history repo: repacking and checking out main');
  git(repo, ['repack', '-a', '-d', '-q']);
  git(repo, ['checkout', '-q', '-f', 'main']);

  // Pushed: reachable from a remote-tracking ref, by the generator's own parent lists.
  const pushed = new Set();
  const walk = [pushedMain, ...branchesToPush.map((branch) => branch.tip)];
  while (walk.length > 0) {
    const mark = walk.pop();
    if (pushed.has(mark)) continue;
    pushed.add(mark);
    walk.push(...parentsOf.get(mark));
  }
  const finalText = [...files.values()].map((fileLines) => fileLines.join('\n')).join('\n');
  const keys = truth
    .sort((a, b) => a.id - b.id)
    .map((entry) => {
      const plan = plans[entry.id];
      const key = keyOf(plan);
      return {
        id: entry.id,
        seed: plan.seed,
        kind: plan.kind,
        story: entry.story,
        hint: keyHint(key),
        commit: ids.get(entry.mark),
        path: entry.path,
        line: entry.line,
        pushed: pushed.has(entry.mark),
        inWorkingTree: finalText.includes(key),
      };
    });
  const objectBytes = Number(git(repo, ['count-objects', '-v']).match(/size-pack: (\d+)/)[1]) * 1024;
  return { version: HISTORY_REPO_VERSION, params, commits: commits.length, packBytes: objectBytes, keys, refs: ['refs/heads/main', ...sideRefs] };
}

function findFileWith(files, key) {
  for (const entry of files) if (entry[1].some((line) => line.includes(key))) return entry;
  return undefined;
}

// `node scripts/bench-history.mjs [--quick] [--regenerate]`: builds (or finds) the repository and prints its path.
if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const { repo, truth, cached, seconds } = await ensureHistoryRepo(join(import.meta.dirname ?? '.', '..', 'bench-corpus'), {
    quick,
    regenerate: process.argv.includes('--regenerate'),
    log: (message) => process.stderr.write(`[bench-history] ${message}\n`),
  });
  process.stdout.write(`${repo}\n${truth.commits} commits, ${truth.keys.length} keys, pack ${(truth.packBytes / 1e6).toFixed(0)} MB, ${cached ? 'cached' : `built in ${seconds.toFixed(1)} s`}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark itself: `npm run bench` runs it after the other sections; `--history-only` runs it alone.

/** Runs `file args` and resolves with wall seconds, peak RSS (MB, from GNU time when present), exit code and stdout. */
function timed(file, args, { cwd, env = GIT_ENV } = {}) {
  const gnuTime = existsSync('/usr/bin/time');
  const timeFile = join(cwd, '..', `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [command, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, file, ...args]] : [file, args];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      let peakMB = NaN;
      if (gnuTime && existsSync(timeFile)) {
        peakMB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024;
        rmSync(timeFile, { force: true });
      }
      resolve({ wall, peakMB, code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

/** Scores the CLI's JSON against the truth: every planted key found once, at the right commit, path, line, pushed state. */
export function scoreHistory(document, truth) {
  const byHint = new Map();
  for (const finding of document.findings) byHint.set(finding.credential?.hint, finding);
  const score = { keys: truth.keys.length, found: 0, commit: 0, pushed: 0, place: 0, workingTree: 0, extra: 0, misses: [] };
  for (const key of truth.keys) {
    const finding = byHint.get(key.hint);
    if (!finding) {
      score.misses.push(`${key.story} #${key.id}: not found`);
      continue;
    }
    score.found++;
    if (finding.commit?.id === key.commit) score.commit++;
    else score.misses.push(`${key.story} #${key.id}: commit ${finding.commit?.shortId} instead of ${key.commit.slice(0, 7)}`);
    if (finding.pushed === key.pushed) score.pushed++;
    else score.misses.push(`${key.story} #${key.id}: pushed ${finding.pushed} instead of ${key.pushed}`);
    if ((key.path ?? '') === finding.path && (key.line === null || key.line === finding.line)) score.place++;
    else score.misses.push(`${key.story} #${key.id}: ${finding.path}:${finding.line} instead of ${key.path}:${key.line}`);
    if (finding.inWorkingTree === key.inWorkingTree) score.workingTree++;
  }
  const planted = new Set(truth.keys.map((key) => key.hint));
  score.extra = document.findings.filter((finding) => !planted.has(finding.credential?.hint)).length;
  return score;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/**
 * Times `scan --history` against the two floors the issue names, on the same repository and interleaved run by run
 * (so a busy machine slows all three alike): git producing every object, and the same output read through a pipe.
 * Also git's own search (`git log --all -S`), for reference. Returns the report's lines.
 */
export async function benchHistory({ baseDir, cli, quick = false, runs = 3, regenerate = false, progress = () => {} }) {
  const lines = [];
  let failed = false;
  const sizes = quick ? [true] : [true, false];
  const perRepo = [];
  for (const small of sizes) {
    const { repo, truth, cached, seconds } = await ensureHistoryRepo(baseDir, { quick: small, regenerate, log: progress });
    const objectBytes = Number(git(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectsize)']).split('\n').filter(Boolean).reduce((sum, size) => sum + Number(size), 0));
    progress(`history (${truth.params.name}): ${truth.commits} commits, ${(objectBytes / 1e6).toFixed(0)} MB of objects, ${cached ? 'cached' : `built in ${seconds.toFixed(1)} s`}`);
    const measured = { cli: [], devnull: [], pipe: [], pickaxe: [] };
    let document;
    let peakMB = NaN;
    // A warm-up of each fills the page cache; not counted.
    await timed('sh', ['-c', 'git cat-file --batch-all-objects --batch --unordered > /dev/null'], { cwd: repo });
    await timed(process.execPath, [cli, 'scan', '--history', '--format', 'json'], { cwd: repo });
    for (let run = 0; run < runs; run++) {
      progress(`history (${truth.params.name}): run ${run + 1}/${runs}`);
      const scan = await timed(process.execPath, [cli, 'scan', '--history', '--format', 'json'], { cwd: repo });
      if (scan.code !== 1) {
        failed = true;
        lines.push(`ERROR: scan --history exited ${scan.code}: ${scan.stderr.trim().split('\n')[0]}`);
      } else {
        document ??= JSON.parse(scan.stdout.toString('utf8'));
      }
      measured.cli.push(scan.wall);
      peakMB = Number.isFinite(peakMB) ? Math.max(peakMB, scan.peakMB) : scan.peakMB;
      measured.devnull.push((await timed('sh', ['-c', 'git cat-file --batch-all-objects --batch --unordered > /dev/null'], { cwd: repo })).wall);
      measured.pipe.push((await timed('sh', ['-c', 'git cat-file --batch-all-objects --batch --unordered | cat > /dev/null'], { cwd: repo })).wall);
      measured.pickaxe.push((await timed('sh', ['-c', "git log --all -S'k-ant-' --format=%H > /dev/null"], { cwd: repo })).wall);
    }
    const score = document ? scoreHistory(document, truth) : undefined;
    perRepo.push({ truth, objectBytes, measured, peakMB, score });
  }

  lines.push(`History scan  (scan --history --format json on generated repositories built with git fast-import; median of ${runs} runs, interleaved with the floors; min in brackets)`);
  const header = ['repository', 'commits', 'objects MB', 'scan s', 'floor: cat-file > /dev/null', 'floor: cat-file | cat', 'scan ÷ piped floor', 'git log -S', 'peak MB', 'verdict'];
  const rows = perRepo.map(({ truth, objectBytes, measured, peakMB }) => {
    const ratio = median(measured.cli) / median(measured.pipe);
    return [
      truth.params.name,
      truth.commits.toLocaleString('en-US'),
      fmt(objectBytes / 1e6, 0),
      `${fmt(median(measured.cli))} [${fmt(Math.min(...measured.cli))}]`,
      `${fmt(median(measured.devnull))} [${fmt(Math.min(...measured.devnull))}]`,
      `${fmt(median(measured.pipe))} [${fmt(Math.min(...measured.pipe))}]`,
      fmt(ratio),
      fmt(median(measured.pickaxe)),
      fmt(peakMB, 0),
      ratio <= 1.5 ? 'met (≤ 1.5×)' : 'MISSED (target ≤ 1.5×)',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd());
  if (perRepo.length === 2) {
    const [small, large] = perRepo;
    const timeRatio = median(large.measured.cli) / median(small.measured.cli);
    const sizeRatio = large.objectBytes / small.objectBytes;
    lines.push(`Linearity: ${fmt(sizeRatio, 1)}× the objects took ${fmt(timeRatio, 1)}× the time (${timeRatio <= sizeRatio * 1.25 ? 'linear' : 'NOT LINEAR'}; time per 100 MB ${fmt((median(small.measured.cli) / small.objectBytes) * 1e8)} s and ${fmt((median(large.measured.cli) / large.objectBytes) * 1e8)} s)`);
  }
  for (const { truth, score } of perRepo) {
    if (!score) continue;
    const all = score.found === score.keys && score.commit === score.keys && score.pushed === score.keys && score.place === score.keys && score.extra === 0;
    if (!all) failed = failed || score.found !== score.keys;
    lines.push(
      `Recall (${truth.params.name}): ${score.found}/${score.keys} keys found, ${score.commit}/${score.keys} at the right introducing commit, ` +
        `${score.pushed}/${score.keys} with the right pushed state, ${score.place}/${score.keys} at the right path and line, ` +
        `${score.workingTree}/${score.keys} right about the working tree; ${score.extra} decoy${score.extra === 1 ? '' : 's'} reported`,
    );
    for (const miss of score.misses.slice(0, 10)) lines.push(`  ${miss}`);
  }
  lines.push('');
  return { lines, failed };
}
