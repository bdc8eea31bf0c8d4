// Baselines: findings a team has looked at and accepted (a test fixture's fake key, a sample .env), so that a scan
// fails only on new ones. The file is built for git, where the baselines of detect-secrets, trufflehog and ggshield
// hurt: their line numbers and timestamps conflict on every merge, and they accept a live key in silence.
//
// The format, one JSON object per line (JSON Lines), sorted, no line numbers, no timestamps:
//   {"anthropicKeyHygieneBaseline":1,"salt":"3f9c…"}                                         the header, never changes
//   {"path":"test/fixtures/client.ts","rule":"hardcoded-key","secret":"9b1d…","hint":"sk-ant-api03-R2D…igAA"}
//   {"path":"examples/.env.local","rule":"unignored-env-file"}
//   {"path":"web/page.tsx","rule":"client-exposed-key","match":"NEXT_PUBLIC_ANTHROPIC_API_KEY"}
//
// Decisions:
// - A finding is identified by rule, path (relative to the baseline file's folder, `/` separators) and what it found:
//   for a key, an HMAC of the key's digest (keyDigest.ts) under the file's own random salt, never the key; for the
//   other rules, the variable's name or nothing. A key that moves to another line, or whose line is edited around
//   it, is still accepted; the same key in another file, or another key in the same file, is not.
// - The hint is stored for the reviewer of a pull request (which key did this branch accept?); matching ignores it.
// - Sorted by the lines' text, each entry on its own line, so two branches that accept different findings touch
//   different lines. Two entries that land next to each other would still conflict in git's default merge, so the
//   file is marked `merge=union` in .gitattributes (baselineFile.ts does it): entries are independent lines, and a
//   union of both sides is exactly the merged baseline. A stale entry a union keeps drops out on the next update.
// - A finding made without the key's text (no digest) is identified by its hint instead, also salted.
// - A path that holds a key (a file named after one) is stored and matched with the key masked to its hint.
import { createHmac, randomBytes } from 'node:crypto';
import type { FileFinding } from './findings';
import { maskSecrets } from './hint';

/** The header's field and version: a file without it is not a baseline this tool wrote. */
const HEADER_FIELD = 'anthropicKeyHygieneBaseline';
const FORMAT_VERSION = 1;
const SALT_PATTERN = /^[0-9a-f]{32}$/;

/** The conventional name, at the top of a repository; the editor looks for this one. */
export const DEFAULT_BASELINE_FILE = '.anthropic-key-hygiene-baseline.jsonl';

/** One accepted finding. */
export interface BaselineEntry {
  path: string;
  rule: string;
  /** hardcoded-key: HMAC-SHA-256 (128 bits, hex) of the key's digest under the baseline's salt. */
  secret?: string;
  /** client-exposed-key: the variable's name, or the message id when there is none. */
  match?: string;
  /** hardcoded-key: the key's hint, for people; not part of the identity. */
  hint?: string;
}

/** The file is not a baseline, or not one this version can read; the message names the line. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

/** The finding fields a baseline looks at. */
export type BaselineFinding = Pick<FileFinding, 'ruleId' | 'messageId' | 'messageArgs' | 'credential'>;

export class Baseline {
  private readonly identities: Set<string>;

  private constructor(
    readonly salt: string,
    readonly entries: readonly BaselineEntry[],
  ) {
    this.identities = new Set(entries.map(identityOf));
  }

  /** An empty baseline with a fresh random salt. */
  static create(): Baseline {
    return new Baseline(randomBytes(16).toString('hex'), []);
  }

  /** Reads a baseline file's text; `label` names it in errors. Throws BaselineError. */
  static parse(text: string, label: string): Baseline {
    const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
    let salt: string | undefined;
    const entries: BaselineEntry[] = [];
    lines.forEach((line, index) => {
      const where = `${label}:${index + 1}`;
      if (line.trim() === '') return;
      // A merge left unresolved: say what it is rather than "not JSON".
      if (/^(<{7}|={7}|>{7}|\|{7})/.test(line)) {
        throw new BaselineError(`${where}: an unresolved merge conflict; keep the lines of both sides (every line is one accepted finding), or run the scan with --update-baseline`);
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new BaselineError(`${where}: not a JSON object (a baseline has one per line)`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BaselineError(`${where}: not a JSON object (a baseline has one per line)`);
      const record = value as Record<string, unknown>;
      if (salt === undefined) {
        if (record[HEADER_FIELD] !== FORMAT_VERSION) {
          throw new BaselineError(
            record[HEADER_FIELD] === undefined
              ? `${where}: not an anthropic-key-hygiene baseline (its first line must be the header {"${HEADER_FIELD}":${FORMAT_VERSION},…}; create one with --update-baseline)`
              : `${where}: baseline format ${JSON.stringify(record[HEADER_FIELD])}, which this version does not read (it reads ${FORMAT_VERSION})`,
          );
        }
        if (typeof record.salt !== 'string' || !SALT_PATTERN.test(record.salt)) throw new BaselineError(`${where}: the header's salt is not 32 hexadecimal digits`);
        salt = record.salt;
        return;
      }
      if (record[HEADER_FIELD] !== undefined) {
        // Two headers: two baselines created apart and merged. Their salts differ, so half the entries cannot match.
        if (record.salt === salt) return;
        throw new BaselineError(`${where}: a second header with another salt (two baselines created separately were merged); run the scan with --update-baseline to rebuild it`);
      }
      entries.push(parseEntry(record, where));
    });
    if (salt === undefined) throw new BaselineError(`${label}: empty; create a baseline with --update-baseline`);
    return new Baseline(salt, entries);
  }

  /** The entry that would accept `finding` at `path` (relative to the baseline's folder, `/` separators). */
  entryFor(finding: BaselineFinding, path: string): BaselineEntry {
    // A file's name can hold a key (red team F4): the baseline names it with the key as its hint, never the key.
    const entry: BaselineEntry = { path: maskSecrets(path), rule: finding.ruleId };
    if (finding.credential) {
      const { digest, kind, hint } = finding.credential;
      entry.secret = createHmac('sha256', this.salt)
        .update(digest !== undefined ? `key:${digest}` : `hint:${kind} ${hint}`)
        .digest('hex')
        .slice(0, 32);
      entry.hint = hint;
    } else if (finding.ruleId !== 'unignored-env-file' && finding.ruleId !== 'tracked-env-file') {
      entry.match = finding.messageArgs.name ?? finding.messageId;
    }
    return entry;
  }

  accepts(finding: BaselineFinding, path: string): boolean {
    return this.identities.has(identityOf(this.entryFor(finding, path)));
  }

  /** A baseline with this one's salt that accepts exactly `findings` (duplicates collapse). */
  withExactly(findings: ReadonlyArray<{ finding: BaselineFinding; path: string }>): Baseline {
    const byIdentity = new Map<string, BaselineEntry>();
    for (const { finding, path } of findings) {
      const entry = this.entryFor(finding, path);
      byIdentity.set(identityOf(entry), entry);
    }
    return new Baseline(this.salt, [...byIdentity.values()]);
  }

  /** The file's text: the header, then one entry per line, sorted by the lines' text (UTF-16 code units). */
  serialize(): string {
    const header = JSON.stringify({ [HEADER_FIELD]: FORMAT_VERSION, salt: this.salt });
    const lines = [...new Set(this.entries.map(entryLine))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return [header, ...lines].map((line) => line + '\n').join('');
  }
}

/** Fixed field order, so the same entry is always the same line (and sorting lines sorts by path first). */
function entryLine(entry: BaselineEntry): string {
  return JSON.stringify({
    path: entry.path,
    rule: entry.rule,
    ...(entry.secret !== undefined ? { secret: entry.secret } : {}),
    ...(entry.match !== undefined ? { match: entry.match } : {}),
    ...(entry.hint !== undefined ? { hint: entry.hint } : {}),
  });
}

/** What two entries must share to accept the same finding; the hint is for people only. */
function identityOf(entry: BaselineEntry): string {
  return `${entry.path}\0${entry.rule}\0${entry.secret ?? ''}\0${entry.match ?? ''}`;
}

function parseEntry(record: Record<string, unknown>, where: string): BaselineEntry {
  const text = (field: string, required: boolean): string | undefined => {
    const value = record[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value === '') throw new BaselineError(`${where}: "${field}" must be a non-empty string`);
    return value;
  };
  const entry: BaselineEntry = { path: text('path', true)!, rule: text('rule', true)! };
  const secret = text('secret', false);
  const match = text('match', false);
  const hint = text('hint', false);
  if (secret !== undefined) entry.secret = secret;
  if (match !== undefined) entry.match = match;
  if (hint !== undefined) entry.hint = hint;
  if (entry.rule === 'hardcoded-key' && entry.secret === undefined) throw new BaselineError(`${where}: a hardcoded-key entry needs its "secret"`);
  return entry;
}
