// Lint: typescript-eslint's recommended rules, plus the one architectural rule that matters most here:
// src/core is shared by the CLI and the extension, so it must never import the editor API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench-corpus/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must stay free of the editor API (the CLI uses it too).' }],
          patterns: [{ group: ['**/cli/*', '**/features/*'], message: 'src/core is below the front ends: it imports neither the CLI nor the editor features.' }],
        },
      ],
    },
  },
  {
    // One engine per job: the editor calls core, never the CLI's front end (and never parses its output).
    files: ['src/features/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/*'], message: 'Editor features use src/core, never the CLI front end.' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', fetch: 'readonly', URL: 'readonly' } },
  },
);
