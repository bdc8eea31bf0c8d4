// The command-line front end over src/core: `anthropic-key-hygiene scan [PATH...]`.
// Exit codes: 0 no findings, 1 findings, 2 usage or I/O error (one line on stderr).
import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { createExcludeMatcher } from '../core/excludes';
import { formatJson, formatSarif, formatText } from '../core/report/formats';
import { scanPaths } from '../core/workspaceScan';

declare const CLI_VERSION: string | undefined;

const USAGE = `Usage: anthropic-key-hygiene scan [PATH...] [--format text|json|sarif] [--no-gitignore] [--exclude GLOB]

Finds hardcoded Anthropic credentials, .env files git would commit, .env files git still tracks,
and keys exposed to browser bundles. Exit code 0: clean; 1: findings; 2: usage or I/O error.

Options:
  --format <text|json|sarif>  output format (default: text)
  --no-gitignore              scan ignored files too (and skip the .env rules, which depend on ignore state)
  --exclude <glob>            skip matching files (relative to each scanned folder); repeatable
  --no-low-confidence         report only the published API and admin key formats, not OAuth or session tokens
  --max-file-size <MB>        skip larger files (default: 1024)
  -h, --help                  show this help`;

class UsageError extends Error {}

export async function main(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'no-gitignore': { type: 'boolean', default: false },
        'no-low-confidence': { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        exclude: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    err.write(`anthropic-key-hygiene: ${(error as Error).message} (see --help)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  try {
    const [command, ...paths] = positionals;
    if (command !== 'scan') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    const format = values.format ?? 'text';
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format '${format}' (text, json or sarif)`);
    const maxFileSizeMB = values['max-file-size'] === undefined ? 1024 : Number(values['max-file-size']);
    if (!Number.isFinite(maxFileSizeMB) || maxFileSizeMB <= 0) throw new UsageError(`--max-file-size must be a positive number of megabytes`);

    const showProgress = format === 'text' && err.isTTY === true;
    let lastProgress = 0;
    const result = await scanPaths(paths.length > 0 ? paths : ['.'], {
      useGitignore: !values['no-gitignore'],
      allowGit: true,
      includeLowConfidence: !values['no-low-confidence'],
      maxFileSize: maxFileSizeMB * 1024 * 1024,
      isExcluded: createExcludeMatcher(values.exclude ?? []),
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
    const report = {
      ...result,
      displayPath: (file: string) => relative(process.cwd(), file).split(sep).join('/'),
      toolVersion: typeof CLI_VERSION === 'string' ? CLI_VERSION : '0.0.0-dev',
    };
    out.write(format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : formatText(report));
    return result.findings.length > 0 ? 1 : 0;
  } catch (error) {
    const message = error instanceof UsageError ? `${error.message} (see --help)` : (error as Error).message;
    err.write(`anthropic-key-hygiene: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.stdout, process.stderr).then((code) => {
    process.exitCode = code;
  });
}
