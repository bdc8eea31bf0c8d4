// The git hooks this product installs: the pre-commit hook runs `anthropic-key-hygiene scan --staged` (what is
// about to be committed), the pre-push hook `scan --unpushed` (the commits about to be pushed). Where a hook goes,
// how it finds the CLI, and how it is installed next to a hook that is already there are the same for both; only
// the check it runs and its words differ (HOOK_KINDS). Used by the editor commands; no editor API.
//
// Decisions:
// - Where: `git rev-parse --git-path hooks`, git's own answer, which honours core.hooksPath (relative,
//   `~/`, husky's `.husky/_`) and linked worktrees. Our git runner pins core.hooksPath to /dev/null on
//   the command line (nothing it runs may start a hook), so the configured value is read back with
//   `git config --show-scope` and handed to rev-parse on its own command line.
// - Ours or not: our hook carries its kind's marker line; ours is rewritten freely (that is how it is updated).
// - A hook that is not ours is never lost. By default the install refuses. 'chain' moves it beside ours
//   (CHAINED_HOOK_NAME), and ours runs it first, then scans what is staged after it (a formatter in it may
//   restage files). 'overwrite' moves it to a backup name that nothing runs.
// - Which CLI runs is decided when the hook runs (see the script's comments): an explicit override, then the
//   CLI bundled with the extension that installed the hook, run by that extension's own runtime (checked for
//   existence: updating the extension or the editor moves them), then a global install. Never a path inside
//   the repository: a committed node_modules/.bin/anthropic-key-hygiene would run the repository's own code
//   at every commit (issue 12 #7). Whatever goes wrong (no CLI, a crash), the hook exits non-zero: it fails
//   closed.
// - Errors block, warnings are shown (a client-exposed-key warning is advice, not a leak); the installer can
//   write fail_on=warning to block on warnings too (issue 12 #15).
// - The pre-push hook reads the lines git hands it on stdin (local ref, local id, remote ref, remote id per ref)
//   and checks each local id being pushed, less what the remote has, and the ref names and tag messages being
//   pushed; a chained hook gets the same lines. It never rewrites history: when it blocks, the CLI names the
//   commit that added each key and the steps to take it out.
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findRepositoryRoot, queryPathStates, type GitRunner } from './git';

/** The hooks this product installs. */
export type HookKind = 'pre-commit' | 'pre-push';

/** What tells a kind of hook apart: the line that marks it as ours, and where a foreign one is moved. */
export interface HookNames {
  marker: string;
  /** Where a chained foreign hook is kept; our hook runs it first. */
  chained: string;
  /** Where a replaced foreign hook is kept (never run). */
  backup: string;
}

export function hookNames(kind: HookKind): HookNames {
  return { marker: `# anthropic-key-hygiene ${kind} hook`, chained: `${kind}.anthropic-key-hygiene-chained`, backup: `${kind}.anthropic-key-hygiene-backup` };
}

/** The line that marks a pre-commit hook as ours. */
export const HOOK_MARKER = hookNames('pre-commit').marker;
/** Where a chained foreign pre-commit hook is kept; our hook runs it first. */
export const CHAINED_HOOK_NAME = hookNames('pre-commit').chained;
/** Where a replaced foreign pre-commit hook is kept (never run). */
export const BACKUP_HOOK_NAME = hookNames('pre-commit').backup;
/** Names an override of the CLI the hook runs: a `.js`/`.cjs` file (run with node) or an executable. */
export const CLI_OVERRIDE_VARIABLE = 'ANTHROPIC_KEY_HYGIENE_CLI';

/** Which findings block a commit: errors only (default; warnings are shown), or warnings too. */
export type HookFailOn = 'error' | 'warning';

/** A CLI recorded in the hook as the last resort: a script and the runtime that runs it. */
export interface RecordedCli {
  /** Absolute path of the bundled cli.js. */
  script: string;
  /** Absolute path of a Node (or Electron, run as Node) binary; without it, `node` on PATH runs the script. */
  runtime?: string;
}

export type HookManager = 'husky' | 'pre-commit';
export type ExistingHook = { kind: 'none' } | { kind: 'ours' } | { kind: 'foreign'; manager?: HookManager };
/** What to do with a hook that is not ours. */
export type ForeignHookMode = 'refuse' | 'chain' | 'overwrite';

export interface HookLocation {
  /** Top of the work tree. */
  root: string;
  /** The folder git runs hooks from. */
  hooksDir: string;
  hookPath: string;
  /** core.hooksPath as configured, when it is. */
  hooksPathSetting?: string;
}

export type InstallStatus =
  /** No hook was there; ours is. */
  | 'installed'
  /** Ours was there and was rewritten (or already said the same). */
  | 'updated'
  /** A foreign hook was there and now runs first, from its kind's chained name (CHAINED_HOOK_NAME for pre-commit). */
  | 'chained'
  /** A foreign hook was there and was moved to a backup name. */
  | 'replaced'
  /** A foreign hook was there and nothing was changed (mode 'refuse'). */
  | 'refused';

export interface InstallResult extends HookLocation {
  status: InstallStatus;
  existing: ExistingHook;
  /** Where the foreign hook went ('chained', 'replaced'). */
  movedTo?: string;
}

/** Quotes a string for POSIX sh: single quotes, each embedded quote closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Ours, foreign (and which manager wrote it, when recognisable), judged from a hook's text. */
export function classifyHook(text: string, kind: HookKind = 'pre-commit'): ExistingHook {
  const marker = hookNames(kind).marker;
  if (text.split('\n').some((line) => line.trimEnd() === marker)) return { kind: 'ours' };
  // pre-commit writes "File generated by pre-commit: https://pre-commit.com"; husky's hooks (v4 to v9)
  // name husky or source its `h` / `husky.sh` helper.
  if (text.includes('File generated by pre-commit')) return { kind: 'foreign', manager: 'pre-commit' };
  if (/husky|\/h"?\s*$/m.test(text)) return { kind: 'foreign', manager: 'husky' };
  return { kind: 'foreign' };
}

/** A path for the script, with `/` separators: Git for Windows runs hooks with its sh, which reads `C:/x`. */
function portablePath(path: string): string {
  return path.split('\\').join('/');
}

/** What differs between the hooks: their words, what runs before the CLI is found, and the check itself. */
interface HookKindText {
  /** The comment under the marker: what installed the hook and what it refuses. */
  purpose: string;
  /** `commit`, `push`: what the hook refuses. */
  event: string;
  bypass: string;
  command: string;
  /** Shell lines that run before the CLI is found: the chained hook, and for pre-push the refs to check. */
  before: (chained: string) => string;
  /** Shell lines that run the check, leaving its output in $output and its exit code in $?. */
  check: string;
  onFindings: string;
}

const HOOK_KINDS: Record<HookKind, HookKindText> = {
  'pre-commit': {
    purpose: `# Installed by the Anthropic Key Hygiene extension ("Install Pre-commit Hook"); running that command again
# updates this file, deleting it removes the check. It refuses a commit whose staged content holds an
# Anthropic key or a .env file: \`anthropic-key-hygiene scan --staged\` reads the index, not the work tree.`,
    event: 'commit',
    bypass: 'git commit --no-verify',
    command: 'Install Pre-commit Hook',
    before: (chained) => `
# A hook that was here before this one (moved aside when it was installed) runs first; the check then
# sees the index as that hook left it.
chained="$(dirname "$0")/${chained}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
`,
    check: `# Quiet when clean; otherwise the findings (hints only, never a key), and when errors block, one line saying what
# to do. --quiet prints nothing at all for a clean commit.
output=$("$@" scan --staged --fail-on "$fail_on" --quiet 2>&1)`,
    onFindings: "Move the keys above out of the staged files (or unstage the .env files with 'git rm --cached'), git add, and commit again.",
  },
  'pre-push': {
    purpose: `# Installed by the Anthropic Key Hygiene extension ("Install Pre-push Hook"); running that command again
# updates this file, deleting it removes the check. It refuses a push whose commits add an Anthropic key:
# \`anthropic-key-hygiene scan --unpushed\` reads the commits being pushed, not the work tree. It never rewrites
# history: when it blocks, it names the commit that added each key and the steps to take it out.`,
    event: 'push',
    bypass: 'git push --no-verify',
    command: 'Install Pre-push Hook',
    before: (chained) => `
# git hands the hook one line per ref being pushed: <local ref> <local id> <remote ref> <remote id>. They are read
# first, as a hook that was here before this one (moved aside when it was installed) runs first and reads them too.
# $1 is the remote being pushed to (a name, or an address): only what that remote holds counts as already pushed,
# not what another remote's branch holds. An address, or a name with other characters, is not passed on.
push_remote=''
case "$1" in
  '' | -* | *[!A-Za-z0-9._-]*) ;;
  *) push_remote="--remote=$1" ;;
esac
refs=$(cat)
chained="$(dirname "$0")/${chained}"
if [ -x "$chained" ]; then
  printf '%s\\n' "$refs" | "$chained" "$@" || exit $?
fi

# The commits to check: each local id being pushed, less the remote's id when this clone has that commit (the CLI
# also leaves out whatever the destination remote's branches hold). Ids only: a line of any other shape blocks the push
# rather than being guessed at. A deletion (an all-zero local id) sends no commit.
revisions=''
while read -r local_ref local_id remote_ref remote_id; do
  [ -z "$local_ref" ] && continue
  case "$local_id:$remote_id" in
    *[!0-9a-f:]* | :* | *:) blocked "git handed the hook a line it cannot read." 2 ;;
  esac
  case "$local_id" in *[!0]*) ;; *) continue ;; esac
  revisions="$revisions $local_id"
  case "$remote_id" in
    *[!0]*) if git cat-file -e "$remote_id^{commit}" 2>/dev/null; then revisions="$revisions ^$remote_id"; fi ;;
  esac
done <<EOF
$refs
EOF
[ -z "$revisions" ] && exit 0
`,
    check: `# Quiet when clean; otherwise the findings (hints only, never a key) and the steps to take them out of the commits.
# $revisions holds ids and ^ids only (checked above), so it is split into words unquoted on purpose. git's lines go
# to the CLI on stdin too: the ref names being pushed are pushed as well, and a key in one is refused.
output=$(printf '%s\\n' "$refs" | "$@" scan --unpushed --pushed-refs-stdin $push_remote --fail-on "$fail_on" --quiet $revisions 2>&1)`,
    onFindings: 'Take the keys above out of the commits being pushed (the steps are above; nothing was changed for you), and push again.',
  },
};

/** The hook: POSIX sh, LF line endings. `recorded` is the CLI to fall back on (the installing extension's). */
export function hookScript(recorded?: RecordedCli, level: HookFailOn = 'error', kind: HookKind = 'pre-commit'): string {
  const script = recorded ? shellQuote(portablePath(recorded.script)) : "''";
  const runtime = recorded?.runtime ? shellQuote(portablePath(recorded.runtime)) : "''";
  // A fixed word, never user text: the only values the CLI accepts.
  const failOn = level === 'warning' ? 'warning' : 'error';
  const names = hookNames(kind);
  const text = HOOK_KINDS[kind];
  return `#!/bin/sh
${names.marker}
${text.purpose}
#
# The CLI that runs is the first of:
#   1. $${CLI_OVERRIDE_VARIABLE}: a cli.js (run with node) or an executable, e.g. for CI;
#   2. the CLI bundled with the extension that installed this hook, run by the editor's own runtime (it is
#      not on PATH; ELECTRON_RUN_AS_NODE makes the editor's binary act as node, and plain node ignores it),
#      else by node on PATH. Updating the extension moves it: run the command again then;
#   3. anthropic-key-hygiene on PATH: a global install.
# Never a path inside the repository (node_modules/.bin included): whoever can commit there could otherwise run
# their own code at every ${text.event} and wave any key through. Teams that pin the CLI as a devDependency run it
# through the pre-commit framework or husky, which they configure themselves.
# Warnings are shown; only errors block (fail_on below, set from the anthropicKeyHygiene.guard.failOn setting).
# If none is found, or the check cannot run, the ${text.event} is refused: a guard that passes when broken guards
# nothing.

recorded_cli=${script}
recorded_runtime=${runtime}
fail_on=${failOn}

blocked() {
  echo "anthropic-key-hygiene: ${text.event} blocked. $1 In an emergency, '${text.bypass}' skips this check." >&2
  exit "$2"
}
${text.before(names.chained)}
if [ -n "$${CLI_OVERRIDE_VARIABLE}" ]; then
  case "$${CLI_OVERRIDE_VARIABLE}" in
    *.js | *.cjs | *.mjs) set -- node "$${CLI_OVERRIDE_VARIABLE}" ;;
    *) set -- "$${CLI_OVERRIDE_VARIABLE}" ;;
  esac
elif [ -f "$recorded_cli" ] && [ -x "$recorded_runtime" ]; then
  set -- env ELECTRON_RUN_AS_NODE=1 "$recorded_runtime" "$recorded_cli"
elif [ -f "$recorded_cli" ] && command -v node >/dev/null 2>&1; then
  set -- node "$recorded_cli"
elif command -v anthropic-key-hygiene >/dev/null 2>&1; then
  set -- anthropic-key-hygiene
else
  blocked "The anthropic-key-hygiene CLI was not found: run ${text.command} again in the editor, or install the CLI globally (npm install --global anthropic-key-hygiene)." 2
fi

${text.check}
status=$?
[ -n "$output" ] && printf '%s\\n' "$output" >&2
[ "$status" -eq 0 ] && exit 0
if [ "$status" -eq 1 ]; then
  blocked "${text.onFindings}" 1
fi
blocked "The key check could not run (exit $status)." "$status"
`;
}

/** Where git runs the hook of this kind for the repository holding `dir`; undefined outside a work tree. */
export async function locateHook(git: GitRunner, dir: string, kind: HookKind = 'pre-commit'): Promise<HookLocation | undefined> {
  // git.ts's answer: exact bytes (a top ending in a space stays one), and an error rather than a guess when git refuses.
  const root = await findRepositoryRoot(git, dir);
  if (!root) return undefined;
  // --show-scope (git 2.26) tells the configured values from the runner's own `-c core.hooksPath=/dev/null`.
  const configured = await git.run(root, ['config', '--show-scope', '--get-all', 'core.hooksPath']);
  const hooksPathSetting = configured.stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('command\t'))
    .map((line) => line.slice(line.indexOf('\t') + 1))
    .pop();
  const override = hooksPathSetting !== undefined ? ['-c', `core.hooksPath=${hooksPathSetting}`] : [];
  // Without a setting, the default: `hooks` in the common git dir (shared by linked worktrees).
  const args = hooksPathSetting !== undefined ? ['rev-parse', '--git-path', 'hooks'] : ['rev-parse', '--git-common-dir'];
  const result = await git.run(root, [...override, ...args]);
  // One line of output: only its line break is taken off, never spaces a path may end with.
  const output = result.stdout.toString('utf8').replace(/\r?\n$/, '');
  if (result.exitCode !== 0 || !output) throw new Error(`git rev-parse failed: ${result.stderr.trim()}`);
  const hooksDir = hooksPathSetting !== undefined ? resolve(root, output) : join(resolve(root, output), 'hooks');
  return { root, hooksDir, hookPath: join(hooksDir, kind), ...(hooksPathSetting !== undefined ? { hooksPathSetting } : {}) };
}

/** What is at `hookPath` now. */
export async function readExistingHook(hookPath: string, kind: HookKind = 'pre-commit'): Promise<ExistingHook> {
  try {
    return classifyHook(await fs.readFile(hookPath, 'utf8'), kind);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
}

/** `path`, or `path.1`, `path.2`…: the first name not taken. */
async function freeName(path: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? path : `${path}.${n}`;
    try {
      await fs.lstat(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw error;
    }
  }
}

export interface InstallOptions {
  git: GitRunner;
  /** Any folder inside the work tree. */
  dir: string;
  /** What to do with a foreign hook; default 'refuse'. */
  foreignHook?: ForeignHookMode;
  recordedCli?: RecordedCli;
  failOn?: HookFailOn;
  /** Which hook; default 'pre-commit'. */
  kind?: HookKind;
}

/**
 * The hooks folder lies in the work tree and git would commit the hook there (core.hooksPath=.githooks, a team's
 * shared hooks): ours records this machine's paths, which on a teammate's machine do not exist, so every commit there
 * would fail (red team F19). Refused, with how to add the check to the team's hook instead.
 */
export class SharedHooksFolderError extends Error {
  constructor(readonly hookPath: string) {
    super(
      `${hookPath} is in the work tree and git would commit it (core.hooksPath points into the repository): a hook installed there records this machine's paths and would be shared. ` +
        'Add the check to the team\'s hook instead: npx anthropic-key-hygiene scan --staged (for pre-push: scan --unpushed --pushed-refs-stdin).',
    );
    this.name = 'SharedHooksFolderError';
  }
}

export class NotInRepositoryError extends Error {
  constructor(dir: string) {
    super(`${dir} is not inside a git work tree`);
    this.name = 'NotInRepositoryError';
  }
}

/** Installs (or updates) our pre-commit hook. Never loses a hook that is not ours. */
export function installPreCommitHook(options: InstallOptions): Promise<InstallResult> {
  return installHook({ ...options, kind: 'pre-commit' });
}

/** Installs (or updates) our pre-push hook. Never loses a hook that is not ours. */
export function installPrePushHook(options: InstallOptions): Promise<InstallResult> {
  return installHook({ ...options, kind: 'pre-push' });
}

/** Installs (or updates) our hook of `options.kind`. Never loses a hook that is not ours. */
export async function installHook(options: InstallOptions): Promise<InstallResult> {
  const kind = options.kind ?? 'pre-commit';
  const names = hookNames(kind);
  const location = await locateHook(options.git, options.dir, kind);
  if (!location) throw new NotInRepositoryError(options.dir);
  await refuseSharedHook(options.git, location);
  const existing = await readExistingHook(location.hookPath, kind);
  let status: InstallStatus = existing.kind === 'none' ? 'installed' : 'updated';
  let movedTo: string | undefined;
  if (existing.kind === 'foreign') {
    const mode = options.foreignHook ?? 'refuse';
    if (mode === 'refuse') return { ...location, status: 'refused', existing };
    if (mode === 'chain') {
      // A hook chained before stays runnable under a backup name rather than being overwritten.
      const chained = join(location.hooksDir, names.chained);
      if (await exists(chained)) await fs.rename(chained, await freeName(join(location.hooksDir, names.backup)));
      movedTo = chained;
      status = 'chained';
    } else {
      movedTo = await freeName(join(location.hooksDir, names.backup));
      status = 'replaced';
    }
    await fs.rename(location.hookPath, movedTo);
    // Git runs only executable hooks; a chained one must stay runnable.
    if (status === 'chained') await fs.chmod(movedTo, 0o755);
  }
  await fs.mkdir(dirname(location.hookPath), { recursive: true });
  // Written beside, then renamed over: a commit running at this moment sees the old hook or the new one, whole.
  const temporary = `${location.hookPath}.anthropic-key-hygiene-${process.pid}.tmp`;
  await fs.writeFile(temporary, hookScript(options.recordedCli, options.failOn, kind), { mode: 0o755 });
  await fs.chmod(temporary, 0o755); // the umask may have taken bits off `mode`
  await fs.rename(temporary, location.hookPath);
  return { ...location, status, existing, ...(movedTo ? { movedTo } : {}) };
}

/** Throws SharedHooksFolderError when git would commit the hook file (it is tracked, or no ignore rule covers it). */
async function refuseSharedHook(git: GitRunner, location: HookLocation): Promise<void> {
  const inside = relative(location.root, location.hookPath);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return;
  const relativePath = inside.split(sep).join('/');
  // The repository's own .git folder is never committed (a worktree's hooks are in the common one, outside).
  if (relativePath === '.git' || relativePath.startsWith('.git/')) return;
  const state = (await queryPathStates(git, location.root, [relativePath])).get(relativePath);
  // husky keeps its hooks in .husky/_, which its own .gitignore covers: nothing shared there.
  if (state && (state.tracked || !state.ignored)) throw new SharedHooksFolderError(location.hookPath);
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
