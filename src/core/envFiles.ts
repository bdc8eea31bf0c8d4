// Which file names hold environment variables (and so, often, keys) and which are committed templates of them.
//
// Decisions:
// - `.env`, `.env.<anything>` and `<anything>.env` are env files, compared case-insensitively (`.ENV`, `Prod.env`):
//   Windows and macOS file systems ignore case, and dotenv loaders are used on both.
// - A template is an env file whose name ends with a template word (`.env.example`, `.env.local.sample`), or a
//   `<name>.env` whose last word before `.env` is one (`example.env`, `local.sample.env`): both conventions exist.
//   Besides the usual example/sample/template/dist, `tmpl` and `defaults` count (dotenv-defaults commits
//   `.env.defaults` on purpose).
// - `.env.example.local` is an env file: a local copy may hold real values whatever its middle word says.
// - `.env.vault` (dotenv-vault) is neither: it is encrypted and meant to be committed; its keys file
//   `.env.keys` is an env file.
// - `env`, `env.example`, `.envrc` (direnv) and `.environment` are not matched: they follow none of these
//   conventions, and `.envrc` is shell script rather than a dotenv file.

export type EnvFileClass = 'env' | 'template';

/** The file-level rules, decided from a file's name and what git says of it. */
export type EnvFileRule = 'unignored-env-file' | 'tracked-env-file';

const TEMPLATE_WORDS = new Set(['example', 'sample', 'template', 'tmpl', 'dist', 'defaults']);
const ENCRYPTED_ENV_FILES = new Set(['.env.vault']);

/** Case-insensitive, as the checks below lower-case the name. */
const MAY_BE_ENV_FILE = /\.env/i;

/** Classifies a file name (a path is reduced to its last segment). */
export function classifyEnvFileName(basename: string): EnvFileClass | undefined {
  // Every env file name contains `.env`; this test alone settles the other files (all but a few, per scan).
  if (!MAY_BE_ENV_FILE.test(basename)) return undefined;
  const name = basename.slice(Math.max(basename.lastIndexOf('/'), basename.lastIndexOf('\\')) + 1).toLowerCase();
  if (ENCRYPTED_ENV_FILES.has(name)) return undefined;
  if (name === '.env') return 'env';
  const words = name.split('.');
  if (name.startsWith('.env.')) {
    return TEMPLATE_WORDS.has(words[words.length - 1]) ? 'template' : 'env';
  }
  // `<stem>.env` with a non-empty stem: words = [..., lastStemWord, 'env'].
  if (name.endsWith('.env') && name.length > '.env'.length) {
    return TEMPLATE_WORDS.has(words[words.length - 2]) ? 'template' : 'env';
  }
  return undefined;
}

/**
 * The env-file rule a file falls under, decided here once for the workspace scan, the staged scan and the editor:
 * an env file (not a template) that no ignore rule covers would be committed; one that a rule covers but git tracks
 * is committed anyway. An ignored, untracked env file is where keys belong.
 */
export function envFileRule(path: string, state: { ignored: boolean; tracked: boolean }): EnvFileRule | undefined {
  if (classifyEnvFileName(path) !== 'env') return undefined;
  // Tracked first: an ignore rule added now does not stop git committing a file it tracks (red team F26.1).
  if (state.tracked) return 'tracked-env-file';
  return state.ignored ? undefined : 'unignored-env-file';
}
