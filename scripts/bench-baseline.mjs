// The previous build, side by side with this one in one `npm run bench` run (issues 13 and 15): its sources are taken
// from a git revision (default `main`) with `git archive`, and bundled exactly as this build is (the CLI and its scan
// worker, and the core functions the in-memory benchmarks call). The corpus as git repositories, for the scan inside
// git: one with every file committed, one with every file untracked in a fresh repository.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/** `git` with the developer's own configuration out of the way, failing loudly. */
function git(cwd, args) {
  const result = spawnSync('git', args, { cwd, encoding: 'buffer', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr.toString('utf8').trim()}`);
  return result.stdout;
}

/** What the in-memory benchmarks call, from either build's sources (a name missing from an older build is undefined). */
const CORE_EXPORTS = [
  ['./src/core/credentials', ['findCredentials', 'findCredentialsInBuffer']],
  ['./src/core/textFindings', ['findTextFindings', 'findBufferFindings']],
  ['./src/core/base64Keys', ['findBase64Credentials', 'findBase64CredentialsInBuffer']],
  ['./src/core/keyForms', ['findKeyForms', 'findKeyFormsInBuffer']],
];

/** Bundles the core entry points of the sources under `root` (this checkout, or an extracted revision). */
export async function bundleCore(root, outfile) {
  const lines = CORE_EXPORTS.filter(([module]) => existsSync(join(root, `${module}.ts`))).map(([module, names]) => `export { ${names.join(', ')} } from '${module}';`);
  await esbuild.build({
    stdin: { contents: lines.join('\n'), resolveDir: root, loader: 'ts', sourcefile: 'bench-core-baseline.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/**
 * The previous build: `ref`'s sources bundled into `buildDir/baseline-<commit>/` (reused while the commit is the
 * same). Returns the CLI's path, its core functions and the commit, or throws with git's or esbuild's message.
 */
export async function buildBaseline({ repoRoot, buildDir, ref, log }) {
  const commit = git(repoRoot, ['rev-parse', '--verify', `${ref}^{commit}`]).toString('utf8').trim();
  const dir = join(buildDir, `baseline-${commit.slice(0, 12)}`);
  const cli = join(dir, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    log(`baseline: extracting ${ref} (${commit.slice(0, 12)}) and bundling it`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = git(repoRoot, ['archive', '--format=tar', commit, 'src', 'package.json']);
    const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr.toString('utf8')}`);
    const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    // The same options as esbuild.mjs --production, so the two builds differ only in their sources. Packages resolve
    // from this checkout's node_modules (the folder lies inside it).
    await esbuild.build({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      outdir: join(dir, 'dist'),
      entryPoints: { cli: join(dir, 'src/cli/main.ts'), scanWorker: join(dir, 'src/core/scanWorker.ts') },
      external: ['vscode'],
      banner: { js: '#!/usr/bin/env node' },
      define: { CLI_VERSION: JSON.stringify(`${version}-baseline`) },
      logLevel: 'warning',
    });
  }
  const core = await bundleCore(dir, join(dir, 'core.cjs'));
  return { cli, core, commit };
}

/**
 * The corpus as two repositories beside it: every file committed, and every file untracked in a fresh repository.
 * Rebuilt when the corpus changes (its truth file's parameters are the key).
 */
export function ensureRepoCorpora({ baseDir, filesDir, truth, log }) {
  const key = JSON.stringify({ params: truth.params, files: truth.files, bytes: truth.bytes });
  const repos = { committed: join(baseDir, 'repo-committed'), untracked: join(baseDir, 'repo-untracked') };
  for (const [kind, dir] of Object.entries(repos)) {
    const marker = join(baseDir, `.${kind}.key`);
    if (existsSync(marker) && readFileSync(marker, 'utf8') === key && existsSync(join(dir, '.git'))) continue;
    log(`corpus as a git repository (${kind}): copying and ${kind === 'committed' ? 'committing' : 'initialising'}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(filesDir, dir, { recursive: true });
    git(dir, ['init', '-q', '-b', 'main']);
    if (kind === 'committed') {
      git(dir, ['add', '-A']);
      git(dir, ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '-q', '-m', 'corpus']);
    }
    writeFileSync(marker, key);
  }
  return repos;
}
