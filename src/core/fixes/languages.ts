// Which rewrite family a file belongs to, and how it writes comments. Decided from the file name (the CLI has
// nothing else) and, in the editor, from the document's languageId, which wins where the name says nothing (an
// untitled buffer, a notebook cell, a file whose language the user picked by hand).

export type FixLanguage =
  | 'javascript'
  | 'python'
  | 'go'
  | 'java'
  | 'kotlin'
  | 'csharp'
  | 'ruby'
  | 'php'
  | 'rust'
  | 'shell'
  | 'dockerfile'
  | 'compose'
  | 'github-actions'
  | 'prose'
  | 'config';

/** How a language writes a comment: a line comment opener, or a block comment pair when it has no line form. */
export type CommentSyntax = { line: string } | { block: [open: string, close: string] };

const BY_EXTENSION = new Map<string, FixLanguage>([
  ...(['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'vue', 'svelte', 'astro'] as const).map(
    (ext) => [ext, 'javascript'] as const,
  ),
  ...(['py', 'pyw', 'pyi', 'ipynb'] as const).map((ext) => [ext, 'python'] as const),
  ['go', 'go'],
  ['java', 'java'],
  ['kt', 'kotlin'],
  ['kts', 'kotlin'],
  ['cs', 'csharp'],
  ['csx', 'csharp'],
  ['rb', 'ruby'],
  ['rake', 'ruby'],
  ['gemspec', 'ruby'],
  ['php', 'php'],
  ['rs', 'rust'],
  ...(['sh', 'bash', 'zsh', 'ksh', 'envrc'] as const).map((ext) => [ext, 'shell'] as const),
  ['dockerfile', 'dockerfile'],
  ['containerfile', 'dockerfile'],
  ...(['md', 'markdown', 'mdx', 'txt', 'text', 'rst', 'adoc'] as const).map((ext) => [ext, 'prose'] as const),
]);

/** File names that say their language without an extension. */
const BY_NAME = new Map<string, FixLanguage>([
  ['dockerfile', 'dockerfile'],
  ['containerfile', 'dockerfile'],
  ['gemfile', 'ruby'],
  ['rakefile', 'ruby'],
  ['.envrc', 'shell'],
  ['.bashrc', 'shell'],
  ['.zshrc', 'shell'],
  ['.profile', 'shell'],
  ['.bash_profile', 'shell'],
  ['readme', 'prose'],
]);

/** VS Code language ids (built-in and the common extensions') that map to a family on their own. */
const BY_LANGUAGE_ID = new Map<string, FixLanguage>([
  ...(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte', 'astro'] as const).map(
    (id) => [id, 'javascript'] as const,
  ),
  ['python', 'python'],
  ['go', 'go'],
  ['java', 'java'],
  ['kotlin', 'kotlin'],
  ['csharp', 'csharp'],
  ['ruby', 'ruby'],
  ['php', 'php'],
  ['rust', 'rust'],
  ['shellscript', 'shell'],
  ['dockerfile', 'dockerfile'],
  ['dockercompose', 'compose'],
  ['github-actions-workflow', 'github-actions'],
  ['markdown', 'prose'],
  ['plaintext', 'prose'],
  ['restructuredtext', 'prose'],
]);

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Names Docker Compose looks for (compose.yaml, docker-compose.yml) and their override/variant forms. */
const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i;
/** GitHub reads workflows only from .github/workflows/ (no subfolders); composite actions live in action.yml. */
const WORKFLOW_PATH = /(?:^|[/\\])\.github[/\\]workflows[/\\][^/\\]+\.ya?ml$/i;
/** `Dockerfile.dev`, `prod.Dockerfile`, `Containerfile.ci`. */
const DOCKERFILE_NAME = /^(?:(?:docker|container)file(?:\.[\w-]+)?|[\w.-]+\.(?:docker|container)file)$/i;

/**
 * The rewrite family for a file. Path patterns come first because they carry meaning a language id lacks (a
 * workflow and a compose file are both `yaml`); then the language id; then the extension. Everything else
 * (JSON, YAML, TOML, INI, unknown) is 'config': no lookup exists there, so no rewrite is guessed.
 */
export function fixLanguageFor(fileName: string, languageId?: string): FixLanguage {
  const name = baseName(fileName);
  if (WORKFLOW_PATH.test(fileName)) return 'github-actions';
  if (COMPOSE_NAME.test(name)) return 'compose';
  if (DOCKERFILE_NAME.test(name)) return 'dockerfile';
  const byId = languageId === undefined ? undefined : BY_LANGUAGE_ID.get(languageId);
  if (byId) return byId;
  const lower = name.toLowerCase();
  return BY_NAME.get(lower) ?? BY_EXTENSION.get(extensionOf(name)) ?? (isEnvLike(lower) ? 'shell' : 'config');
}

/** `.env`, `.env.local`, `prod.env`: dotenv files are written in shell syntax (`#` comments, `NAME=value`). */
function isEnvLike(lowerName: string): boolean {
  return lowerName === '.env' || lowerName.startsWith('.env.') || (lowerName.endsWith('.env') && lowerName.length > 4);
}

const CONFIG_COMMENTS = new Map<string, CommentSyntax | undefined>([
  ['json', undefined], // JSON has no comments; a marker would break every parser
  ['ipynb', undefined],
  ['jsonc', { line: '//' }],
  ['json5', { line: '//' }],
  ['yaml', { line: '#' }],
  ['yml', { line: '#' }],
  ['toml', { line: '#' }],
  ['properties', { line: '#' }],
  ['conf', { line: '#' }],
  ['cfg', { line: '#' }],
  ['tf', { line: '#' }],
  ['hcl', { line: '#' }],
  ['r', { line: '#' }],
  ['pl', { line: '#' }],
  // PHP's parse_ini_file accepts only `;`; Python's configparser accepts both.
  ['ini', { line: ';' }],
  ['xml', { block: ['<!--', '-->'] }],
  ['html', { block: ['<!--', '-->'] }],
  ['htm', { block: ['<!--', '-->'] }],
  ['sql', { line: '--' }],
  ['lua', { line: '--' }],
  ['swift', { line: '//' }],
  ['c', { line: '//' }],
  ['h', { line: '//' }],
  ['cc', { line: '//' }],
  ['cpp', { line: '//' }],
  ['hpp', { line: '//' }],
  ['scala', { line: '//' }],
  ['dart', { line: '//' }],
]);

const PROSE_COMMENTS = new Map<string, CommentSyntax | undefined>([
  ['md', { block: ['<!--', '-->'] }],
  ['markdown', { block: ['<!--', '-->'] }],
  ['mdx', { block: ['{/*', '*/}'] }],
  ['adoc', { line: '//' }],
  // Plain text has no comments, and an RST comment needs a blank line after it, which would push the key out of
  // the marker's reach (same line or the next).
  ['txt', undefined],
  ['text', undefined],
  ['rst', undefined],
]);

/**
 * How to write a comment in a file of this family; undefined where there is no comment syntax (JSON, plain
 * text) or the file name does not say which one applies. 'config' and 'prose' cover many formats, so they
 * need the file name (or, in the editor, the language id).
 */
export function commentSyntax(language: FixLanguage, fileName?: string, languageId?: string): CommentSyntax | undefined {
  switch (language) {
    case 'javascript':
    case 'go':
    case 'java':
    case 'kotlin':
    case 'csharp':
    case 'rust':
      return { line: '//' };
    case 'php':
      return { line: '//' };
    case 'python':
    case 'ruby':
    case 'shell':
    case 'dockerfile':
    case 'compose':
    case 'github-actions':
      return { line: '#' };
    case 'prose': {
      if (languageId === 'markdown') return { block: ['<!--', '-->'] };
      const ext = fileName === undefined ? 'md' : extensionOf(baseName(fileName));
      return PROSE_COMMENTS.get(ext) ?? (ext === '' ? { block: ['<!--', '-->'] } : undefined);
    }
    case 'config': {
      if (languageId === 'json') return undefined;
      if (languageId === 'jsonc') return { line: '//' };
      if (languageId === 'yaml' || languageId === 'toml' || languageId === 'properties') return { line: '#' };
      if (languageId === 'ini') return { line: ';' };
      if (fileName === undefined) return undefined;
      return CONFIG_COMMENTS.get(extensionOf(baseName(fileName)));
    }
  }
}
