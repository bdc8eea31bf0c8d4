// The command-line front end over src/core: `anthropic-key-hygiene scan [PATH...]` and `fix [PATH...]`.
// Exit codes: scan: 0 no findings, 1 findings; fix: 0 all fixed, 1 some need a human; both: 2 usage or I/O error
// (one line on stderr). A scan that could not read something it was asked to (an unreadable file or folder, a
// repository git cannot answer for) exits 2 too, after printing what it found and what it could not read: a clean
// result from a partial scan would be a lie.
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { maskSecrets } from '../core/hint';
import { setFlagsFromString } from 'node:v8';
import { createExcludeMatcher } from '../core/excludes';
import { describeFsError } from '../core/fsErrors';
import { createGitRunner } from '../core/git';
import { escapeForTerminal, quotePath, reportIsIncomplete, sarifLimitSentences, writeJson, writeSarif, writeText, type ReportInput } from '../core/report/formats';
import { writeGitLab } from '../core/report/gitlab';
import { headRevision, sarifProvenance } from '../core/report/provenance';
import { scanStaged } from '../core/stagedScan';
import { scanPaths } from '../core/workspaceScan';
import { applyBaseline, runBaselineUpdate, type BaselineCliOptions } from './baseline';
import { FixUsageError } from './fixUsageError';
import { pushedRefNames, readStdin, RevisionError, runHistoryScan } from './history';

declare const CLI_VERSION: string | undefined;

const USAGE = `Usage: anthropic-key-hygiene scan [PATH...] [--format text|json|sarif|gitlab] [--no-gitignore] [--exclude GLOB]
                                [--baseline FILE | --update-baseline FILE] [--verify]
       anthropic-key-hygiene scan --staged [PATH...] [--format text|json|sarif|gitlab] [--exclude GLOB] [--baseline FILE]
       anthropic-key-hygiene scan --history [REVISION...] [--format text|json|sarif] [--exclude GLOB]
       anthropic-key-hygiene scan --unpushed [REVISION...] [--format text|json|sarif] [--exclude GLOB]
       anthropic-key-hygiene fix [PATH...] [--dry-run] [--env-file PATH] [--replace-existing] [--exclude GLOB]
       anthropic-key-hygiene --version

scan: finds hardcoded Anthropic credentials, .env files git would commit, .env files git still tracks,
and keys exposed to browser bundles. Exit code 0: clean (or only findings below --fail-on); 1: findings;
2: usage or I/O error, or something named could not be scanned (an unreadable file or folder, a repository git
cannot answer for; each is listed).
With --staged it scans what is about to be committed (the index, not the work tree) of the repository
holding the current folder: the pre-commit check.
With --history it scans git history: every key any commit of the given revisions ever added (default: all refs and
stashes), once per key, with the commit that introduced it and whether that commit is pushed. --unpushed scans the
commits git push would send (@{upstream}..HEAD, or what no remote-tracking branch holds): the pre-push check.

fix: moves every hardcoded key into the .env of its package (made git-ignored first) and replaces it with
the language's environment lookup; keys in prose and comments are redacted to their hint. Then it scans
again: exit code 0 when nothing is left, 1 when something needs a human (listed with the reason), 2 on an
error. Keys are stored and read back before any source changes.

Options:
  --format <text|json|sarif|gitlab>
                              scan: output format (default: text); gitlab is GitLab's secret-detection report
  --sarif-category <name>     scan: the SARIF run's category (automationDetails.id), for several analyses of one commit
  --baseline <file>           scan: findings the baseline accepts are counted, not reported (see the README)
  --update-baseline <file>    scan: write the baseline so that it accepts every finding of this scan (sorted, one
                              entry per line, no line numbers); refused when the scan is incomplete
  --verify                    with --baseline or --update-baseline: ask the Anthropic API whether each accepted API or
                              Admin key is live (one request per key; the only network use of the CLI); a live key
                              fails the scan and is never accepted
  --api-base-url <url>        --verify: the API's address (default https://api.anthropic.com; https, or http to localhost)
  --staged                    scan: the staged contents of the files the next commit adds or changes; a staged
                              .env file is reported (it is about to be committed); --exclude is then relative
                              to the repository's top
  --history                   scan: keys in git history (REVISIONs as git reads them: main..feature, v1.0..); --exclude
                              and paths are relative to the repository's top
  --unpushed                  scan: keys in the commits git push would send (REVISIONs: the commits being pushed)
  --remote <name>             scan --unpushed: the remote being pushed to; only its branches count as pushed
  --pushed-refs-stdin         scan --unpushed: read git's pre-push lines on stdin; a key in a ref name being pushed
                              is a finding too (the pre-push hook passes them)
  --no-gitignore              scan: scan ignored files too (and skip the .env rules, which depend on ignore state)
  --dry-run                   fix: print a unified diff (keys shown as hints) and write nothing
  --env-file <path>           fix: where keys go (default: .env in the folder given, or in the current folder)
  --dotenv <path>             fix: the same; Node 20 intercepts --env-file naming a file that does not exist yet
                              (nodejs/node#54232), so use this one to create a new env file
  --exclude <glob>            skip matching files (relative to each scanned folder); repeatable
  --fail-on <level>           scan: exit 1 for findings at this level or above: error, warning (default) or never
  --quiet                     scan: print nothing when there is nothing to report
  --replace-existing          fix: when the env file's variable holds a different key, replace it (the old value
                              is kept under NAME_PREVIOUS) instead of using a new name (NAME_2)
  --no-low-confidence         only the published API and admin key formats, not OAuth or session tokens
  --max-file-size <MB>        skip larger files (default: 1024); a skipped file makes the scan incomplete (exit 2)
  -h, --help                  show this help
  -v, --version               print the version`;

class UsageError extends Error {}

export async function main(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'sarif-category': { type: 'string' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'string' },
        verify: { type: 'boolean', default: false },
        'api-base-url': { type: 'string' },
        'no-gitignore': { type: 'boolean', default: false },
        staged: { type: 'boolean', default: false },
        history: { type: 'boolean', default: false },
        unpushed: { type: 'boolean', default: false },
        remote: { type: 'string' },
        'pushed-refs-stdin': { type: 'boolean', default: false },
        'no-low-confidence': { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        exclude: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'replace-existing': { type: 'boolean', default: false },
        'env-file': { type: 'string' },
        dotenv: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    err.write(`anthropic-key-hygiene: ${argumentErrorMessage(error as NodeJS.ErrnoException)} (see --help)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  const toolVersion = typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev';
  if (values.version) {
    out.write(`anthropic-key-hygiene ${toolVersion}\n`);
    return 0;
  }
  try {
    const [command, ...paths] = positionals;
    if (command !== 'scan' && command !== 'fix') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    const only = (option: keyof typeof values, commandName: string) => {
      if (values[option] !== undefined && values[option] !== false) throw new UsageError(`--${option} is an option of '${commandName}'`);
    };
    const maxFileSizeMB = values['max-file-size'] === undefined ? 1024 : Number(values['max-file-size']);
    if (!Number.isFinite(maxFileSizeMB) || maxFileSizeMB <= 0) throw new UsageError(`--max-file-size must be a positive number of megabytes`);
    if (command === 'fix') {
      only('format', 'scan');
      only('no-gitignore', 'scan');
      only('staged', 'scan');
      only('history', 'scan');
      only('unpushed', 'scan');
      only('remote', 'scan');
      only('pushed-refs-stdin', 'scan');
      only('fail-on', 'scan');
      only('quiet', 'scan');
      for (const option of ['sarif-category', 'baseline', 'update-baseline', 'verify', 'api-base-url'] as const) only(option, 'scan');
      if (values['env-file'] !== undefined && values.dotenv !== undefined) throw new UsageError('give --env-file or --dotenv, not both');
      // Loaded when asked for, so that every scan (each commit's pre-commit check) does not run the fix engine's
      // top-level code. Its parsers are not even in this bundle: dist/vendor/, required when a rewrite is checked.
      const { runFix } = await import('./fix');
      return await runFix(
        {
          paths,
          dryRun: values['dry-run'] === true,
          envFile: values['env-file'] ?? values.dotenv,
          includeLowConfidence: !values['no-low-confidence'],
          maxFileSize: maxFileSizeMB * 1024 * 1024,
          isExcluded: createExcludeMatcher(values.exclude ?? []),
          onNameTaken: values['replace-existing'] ? 'replace' : 'new-name',
        },
        out,
        err,
      );
    }
    only('dry-run', 'fix');
    only('replace-existing', 'fix');
    const failOn = values['fail-on'] ?? 'warning';
    if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`unknown --fail-on level '${failOn}' (error, warning or never)`);
    // Findings at or above the level fail the scan (exit 1); the rest are shown and pass.
    const fails = (findings: readonly { severity: string }[]) =>
      failOn === 'never' ? false : findings.some((finding) => finding.severity === 'error' || (failOn === 'warning' && finding.severity === 'warning'));
    const quiet = values.quiet === true;
    only('env-file', 'fix');
    only('dotenv', 'fix');
    const format = values.format ?? 'text';
    if (!['text', 'json', 'sarif', 'gitlab'].includes(format)) throw new UsageError(`unknown format '${format}' (text, json, sarif or gitlab)`);
    const baselineOptions = baselineOptionsOf(values, format);
    if (values['sarif-category'] !== undefined && format !== 'sarif') throw new UsageError('--sarif-category is an option of --format sarif');

    const displayPath = (file: string) => relative(process.cwd(), file).split(sep).join('/');
    const report = async (result: Omit<ReportInput, 'displayPath' | 'toolVersion'>): Promise<number> => {
      const input: ReportInput = { ...result, displayPath, toolVersion };
      // SARIF and GitLab name the commit scanned; git is asked only for them.
      if ((format === 'sarif' || format === 'gitlab') && result.sourceRoot) {
        const git = createGitRunner();
        input.sarif = { category: values['sarif-category'], provenance: await sarifProvenance(git, result.sourceRoot), revision: await headRevision(git, result.sourceRoot) };
      }
      const incomplete = reportIsIncomplete(input);
      // --quiet: a clean, complete result prints nothing (the pre-commit hook's clean commits stay silent).
      if (!(quiet && input.findings.length === 0 && input.skipped.length === 0 && !incomplete)) {
        const sink = (chunk: string) => out.write(chunk);
        if (format === 'json') writeJson(input, sink);
        else if (format === 'sarif') writeSarif(input, sink);
        else if (format === 'gitlab') writeGitLab(input, sink);
        else writeText(input, sink);
      }
      // GitHub's limits on a SARIF run, said where a person reads the CI log.
      if (format === 'sarif') for (const sentence of sarifLimitSentences(input.findings.length)) err.write(`anthropic-key-hygiene: ${sentence}\n`);
      // The text report lists what it could not read; machine formats carry it too, but a person reading the CI log
      // sees only stderr.
      if (format !== 'text') {
        for (const problem of input.problems ?? []) err.write(`anthropic-key-hygiene: ${quotePath(displayPath(problem.path))}: ${escapeForTerminal(problem.message)}\n`);
        for (const skip of input.skipped) if (skip.failed) err.write(`anthropic-key-hygiene: ${quotePath(displayPath(skip.file))}: not scanned: ${escapeForTerminal(skip.reason)}\n`);
      }
      return incomplete ? 2 : fails(input.findings) ? 1 : 0;
    };
    if (values.remote !== undefined && !values.unpushed) throw new UsageError('--remote goes with --unpushed');
    if (values['pushed-refs-stdin'] && !values.unpushed) throw new UsageError('--pushed-refs-stdin goes with --unpushed');
    // Git history (src/cli/history.ts): its own block, so the flags of the other scans stay as they are.
    if (values.history || values.unpushed) {
      const flag = values.history ? '--history' : '--unpushed';
      if (baselineOptions) throw new UsageError(`--baseline, --update-baseline and --verify apply to working-tree and --staged scans, not to ${flag}`);
      if (format === 'gitlab') throw new UsageError(`--format gitlab applies to working-tree and --staged scans, not to ${flag}`);
      if (values.history && values.unpushed) throw new UsageError('give --history or --unpushed, not both');
      if (values.staged) throw new UsageError(`give --staged or ${flag}, not both`);
      if (values['no-gitignore']) throw new UsageError(`--no-gitignore does not apply to ${flag} (a committed file is in history whatever the ignore rules say)`);
      return await runHistoryScan(
        {
          mode: values.history
            ? { kind: 'history', revisions: paths }
            : {
                kind: 'unpushed',
                revisions: paths,
                ...(values.remote !== undefined ? { remote: values.remote } : {}),
                ...(values['pushed-refs-stdin'] ? { refNames: pushedRefNames(await readStdin()) } : {}),
              },
          format: format as 'text' | 'json' | 'sarif',
          includeLowConfidence: !values['no-low-confidence'],
          maxFileSize: maxFileSizeMB * 1024 * 1024,
          isExcluded: createExcludeMatcher(values.exclude ?? []),
          fails,
          quiet,
          toolVersion,
          prePush: values.unpushed === true && format === 'text',
        },
        out,
        err,
      );
    }
    if (values.staged) {
      // What git commits does not depend on ignore rules: a staged file is committed whatever they say.
      if (values['no-gitignore']) throw new UsageError('--no-gitignore does not apply to --staged (a staged file is committed whatever the ignore rules say)');
      const result = await scanStaged({
        cwd: process.cwd(),
        paths,
        includeLowConfidence: !values['no-low-confidence'],
        maxFileSize: maxFileSizeMB * 1024 * 1024,
        isExcluded: createExcludeMatcher(values.exclude ?? []),
      });
      if (baselineOptions?.update) throw new UsageError('--update-baseline takes a working-tree scan, not --staged');
      const outcome = { ...result, sourceRoot: result.root };
      return await report(baselineOptions ? await applyBaseline(outcome, baselineOptions, err) : outcome);
    }

    const showProgress = format === 'text' && err.isTTY === true;
    let lastProgress = 0;
    const inputs = paths.length > 0 ? paths : ['.'];
    const result = await scanPaths(inputs, {
      useGitignore: !values['no-gitignore'],
      allowGit: true,
      includeLowConfidence: !values['no-low-confidence'],
      maxFileSize: maxFileSizeMB * 1024 * 1024,
      isExcluded: createExcludeMatcher(values.exclude ?? []),
      startWorkersEarly: true,
      onProgress: showProgress
        ? (done, total) => {
            const now = Date.now();
            if (now - lastProgress < 100 && done < total) return;
            lastProgress = now;
            err.write(`\rscanning ${done}/${total} files`);
            if (done === total) err.write('\r\x1b[K');
          }
        : undefined,
    });
    const outcome = { ...result, sourceRoot: sourceRootFor(result.repositories, inputs) };
    // Baselines (src/cli/baseline.ts): writing one replaces the report; reading one filters it.
    if (baselineOptions?.update) return await runBaselineUpdate(outcome, baselineOptions, displayPath, out, err);
    return await report(baselineOptions ? await applyBaseline(outcome, baselineOptions, err) : outcome);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof FixUsageError || error instanceof RevisionError;
    const message = usage ? `${error.message} (see --help)` : ioErrorMessage(error as NodeJS.ErrnoException);
    err.write(`anthropic-key-hygiene: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

/** The baseline options, checked together; undefined when none is given. */
function baselineOptionsOf(
  values: { baseline?: string; 'update-baseline'?: string; verify?: boolean; 'api-base-url'?: string },
  format: string,
): BaselineCliOptions | undefined {
  const { baseline, verify } = values;
  const update = values['update-baseline'];
  if (baseline !== undefined && update !== undefined) throw new UsageError('give --baseline or --update-baseline, not both');
  if (values['api-base-url'] !== undefined && !verify) throw new UsageError('--api-base-url is an option of --verify');
  if (baseline === undefined && update === undefined) {
    if (verify) throw new UsageError('--verify checks the keys a baseline accepts: give --baseline FILE or --update-baseline FILE');
    return undefined;
  }
  if (update !== undefined && format !== 'text') throw new UsageError('--update-baseline prints what it changed as text; leave out --format');
  return { baseline, update, verify: verify === true, apiBaseUrl: values['api-base-url'] };
}

/** parseArgs explains an unknown option at length (how to pass a positional that starts with '-'); one line is enough. */
function argumentErrorMessage(error: NodeJS.ErrnoException): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(error.message) : null;
  return unknown ? `unknown option '${unknown[1]}'` : error.message;
}

/** An error with the path it concerns, as the user typed it relative to here (`no-such-dir: no such file or folder`),
 * rather than Node's `ENOENT: …, lstat '/abs'`; control characters in the path escaped. */
function ioErrorMessage(error: NodeJS.ErrnoException): string {
  if (error.code && error.path) return `${quotePath(relative(process.cwd(), error.path) || '.')}: ${describeFsError(error)}`;
  return escapeForTerminal(error.message);
}

/**
 * Where SARIF locations are relative to: the top of the repository holding the working directory, else of the one
 * holding the first path scanned, else the working directory. git gives real paths and the scanned paths are as typed
 * (maybe through a symbolic link), so the top is re-expressed from the typed path.
 */
function sourceRootFor(repositories: readonly string[], inputs: readonly string[]): string {
  for (const start of [process.cwd(), resolve(inputs[0])]) {
    let real: string;
    try {
      real = realpathSync(start);
    } catch {
      continue;
    }
    const containing = repositories.filter((top) => real === top || real.startsWith(top.endsWith(sep) ? top : top + sep));
    // The innermost repository holding it.
    const top = containing.sort((a, b) => b.length - a.length)[0];
    if (top) return resolve(start, relative(real, top));
  }
  return process.cwd();
}

/**
 * V8 optimises a function once it has run a while (its "interrupt budget"); each optimisation is a compile on a
 * background thread, and with both threads of a two-core machine scanning, those compiles take cores from the scan
 * (TurboFan compiled 83 functions in ~470 ms of CPU during one bench-corpus scan). A scan of a few hundred
 * milliseconds gains little from optimising early: waiting longer leaves only the hottest functions to compile.
 * Measured on the bench corpus with Node 20 (npm run bench), the CLI's wall time went from 0.80 s to 0.72 s. The flag
 * is a number V8 reads when it sets a function's budget; only the CLI process changes it. V8 12 (Node 22) dropped the
 * flag for other tiering settings, and an unknown flag prints an error, so it is set only where it exists.
 */
function tuneV8ForShortScans(): void {
  const v8Major = Number(process.versions.v8.split('.')[0]);
  if (v8Major <= 11) setFlagsFromString('--interrupt-budget=1000000');
}

/**
 * A stream that masks every key before it reaches the terminal, a log or a file: the last line of defence for
 * anything printed, a path that holds a key included (red team F4). Whole lines are masked (a key split across two
 * writes would slip past a mask of each); the rest waits for its line break, or for flush() at the end.
 */
export function maskingStream(target: NodeJS.WritableStream & { isTTY?: boolean }): NodeJS.WritableStream & { isTTY?: boolean; flush(): void } {
  let pending = '';
  const stream = {
    isTTY: target.isTTY,
    write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const end = pending.lastIndexOf('\n');
      // A progress line (\r) shows on a terminal as it comes: it holds counts, never a key.
      if (end < 0 && pending.includes('\r') && !pending.includes('sk-ant-')) {
        target.write(pending);
        pending = '';
      } else if (end >= 0) {
        target.write(maskSecrets(pending.slice(0, end + 1)));
        pending = pending.slice(end + 1);
      }
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    },
    flush(): void {
      if (pending) target.write(maskSecrets(pending));
      pending = '';
    },
  };
  return stream as unknown as NodeJS.WritableStream & { isTTY?: boolean; flush(): void };
}

if (require.main === module) {
  tuneV8ForShortScans();
  const out = maskingStream(process.stdout);
  const err = maskingStream(process.stderr);
  void main(process.argv.slice(2), out, err).then((code) => {
    out.flush();
    err.flush();
    process.exitCode = code;
  });
}
