// The key hygiene checklist (after the Anthropic docs' API key best practices), judged from plain inputs:
// what the diagnostics found, what the key vault remembers, which keys sit in which .env file (as hints),
// and whether the pre-commit hook is there. Pure: the editor gathers the inputs and words the results, so
// every verdict is table-tested without an editor, and no text here needs translating.
//
// Decisions:
// - "unknown" when the inputs cannot tell: the workspace was not scanned as a whole, no key is known at all,
//   or there is no repository to hold a hook. A pass must be earned by evidence, never assumed.
// - Keys are compared by hint (`sk-ant-api03-R2D…igAA`), never by value: the report never holds a key. Two
//   different keys with the same 7 visible characters are rare enough that a shared hint is worth a fail.
// - "No key in git history": a key any commit holds is a fail until the user has rotated it (history cannot be
//   changed; a revoked key in it is harmless). Unknown until history was scanned, and when the scan was partial.
import { isRotationDue, keyAgeDays, type KeyEnvironment, type KeyMetadata } from '../keyMetadata';
import type { RuleId } from '../findings';

export const CHECKLIST_IDS = [
  'no-hardcoded-keys',
  'env-files-ignored',
  'keys-in-env-or-secret-storage',
  'separate-keys-per-environment',
  'rotation',
  'no-browser-exposure',
  'pre-commit-guard',
  'no-key-in-history',
] as const;
export type ChecklistId = (typeof CHECKLIST_IDS)[number];
export type Verdict = 'pass' | 'fail' | 'unknown';

/** One finding of the diagnostics, located by a workspace-relative path and 0-based line/character. */
export interface ReportFinding {
  ruleId: RuleId;
  file: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** The key hints found in one .env file on disk. */
export interface EnvFileKeys {
  file: string;
  hints: string[];
}

export type HookState = 'installed' | 'missing' | 'foreign' | 'no-repository' | 'unknown';

/** One key that git history holds, as the report shows it (a hint, never the key). */
export interface HistoryKey {
  hint: string;
  /** The commit that introduced it: short id, and its day. */
  commit: string;
  date: string;
  /** Where in that commit: a path, or '' for the commit message. */
  path: string;
  pushed: boolean;
  pushedTo?: string;
  /** When the user rotated it, if they did (ISO 8601). */
  rotatedAt?: string;
}

/** What the history scan knows: not run (or not allowed), or its keys. */
export type HistoryState =
  | { state: 'not-scanned' }
  /** History is never read in an untrusted workspace (it runs git). */
  | { state: 'untrusted' }
  /** `incomplete`: something could not be read (a shallow clone, a corrupt object), so a clean scan proves nothing. */
  | { state: 'scanned'; keys: HistoryKey[]; incomplete: boolean; commits: number };

export interface ChecklistInput {
  /** Whether every file of the workspace was scanned (scope "workspace", checking enabled). */
  scanComplete: boolean;
  findings: readonly ReportFinding[];
  /** Every .env file (not templates) on disk, ignored or not. */
  envFiles: readonly EnvFileKeys[];
  storedKeys: readonly KeyMetadata[];
  /** Files whose code reads ANTHROPIC_API_KEY from the environment. */
  filesReadingEnvKey: readonly string[];
  rotationReminderDays: number;
  hook: HookState;
  hookPath?: string;
  /** The git history scan's result; absent counts as not scanned. */
  history?: HistoryState;
  now: Date;
}

/** Facts behind a verdict, for the editor to word (and to link, for findings). */
export type Evidence =
  | { kind: 'findings'; findings: ReportFinding[] }
  | { kind: 'not-scanned' }
  | { kind: 'env-files'; files: string[] }
  | { kind: 'stored-keys'; names: string[] }
  | { kind: 'code-reads-env'; files: string[] }
  | { kind: 'no-key-source' }
  | { kind: 'shared-key'; hint: string; places: string[] }
  | { kind: 'environments'; environments: string[] }
  | { kind: 'no-keys-known' }
  | { kind: 'key-age'; name: string; days: number; due: boolean }
  | { kind: 'reminders-off' }
  | { kind: 'hook'; state: HookState; path?: string }
  | { kind: 'history-not-scanned' }
  | { kind: 'history-untrusted' }
  | { kind: 'history-key'; key: HistoryKey }
  | { kind: 'history-incomplete' }
  | { kind: 'history-clean'; commits: number };

export interface ChecklistItem {
  id: ChecklistId;
  verdict: Verdict;
  evidence: Evidence[];
}

export function evaluateChecklist(input: ChecklistInput): ChecklistItem[] {
  return [
    findingsItem('no-hardcoded-keys', input, ['hardcoded-key']),
    envFilesItem(input),
    keySourceItem(input),
    separateKeysItem(input),
    rotationItem(input),
    findingsItem('no-browser-exposure', input, ['client-exposed-key']),
    hookItem(input),
    historyItem(input),
  ];
}

function findingsItem(id: ChecklistId, input: ChecklistInput, rules: readonly RuleId[]): ChecklistItem {
  const findings = input.findings.filter((finding) => rules.includes(finding.ruleId));
  if (findings.length > 0) return { id, verdict: 'fail', evidence: [{ kind: 'findings', findings }] };
  // Without a whole-workspace scan, no finding proves nothing.
  if (!input.scanComplete) return { id, verdict: 'unknown', evidence: [{ kind: 'not-scanned' }] };
  return { id, verdict: 'pass', evidence: [] };
}

function envFilesItem(input: ChecklistInput): ChecklistItem {
  const item = findingsItem('env-files-ignored', input, ['unignored-env-file', 'tracked-env-file']);
  if (item.verdict === 'pass' && input.envFiles.length > 0) {
    item.evidence.push({ kind: 'env-files', files: input.envFiles.map((file) => file.file) });
  }
  return item;
}

function keySourceItem(input: ChecklistInput): ChecklistItem {
  const evidence: Evidence[] = [];
  if (input.storedKeys.length > 0) evidence.push({ kind: 'stored-keys', names: input.storedKeys.map((key) => key.name) });
  if (input.filesReadingEnvKey.length > 0) evidence.push({ kind: 'code-reads-env', files: [...input.filesReadingEnvKey] });
  if (evidence.length > 0) return { id: 'keys-in-env-or-secret-storage', verdict: 'pass', evidence };
  // Keys in code and none anywhere else: they are not kept where they belong.
  const hardcoded = input.findings.some((finding) => finding.ruleId === 'hardcoded-key');
  return { id: 'keys-in-env-or-secret-storage', verdict: hardcoded ? 'fail' : 'unknown', evidence: [{ kind: 'no-key-source' }] };
}

/**
 * The environment a .env file is for, from the dotenv conventions (`.env.production`, `.env.prod.local`,
 * `production.env`); undefined for `.env` and `.env.local`, which every environment may load.
 */
export function envFileEnvironment(file: string): KeyEnvironment | 'test' | undefined {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1).toLowerCase();
  const words = name.split('.').filter((word) => word !== '' && word !== 'env' && word !== 'local');
  for (const word of words) {
    if (word === 'development' || word === 'dev') return 'development';
    if (word === 'production' || word === 'prod') return 'production';
    if (word === 'staging' || word === 'stage') return 'staging';
    if (word === 'test') return 'test';
  }
  return undefined;
}

function separateKeysItem(input: ChecklistInput): ChecklistItem {
  // hint → environment → where it was seen
  const seen = new Map<string, Map<string, string[]>>();
  const note = (hint: string, environment: string, place: string) => {
    const byEnvironment = seen.get(hint) ?? new Map<string, string[]>();
    byEnvironment.set(environment, [...(byEnvironment.get(environment) ?? []), place]);
    seen.set(hint, byEnvironment);
  };
  for (const file of input.envFiles) {
    const environment = envFileEnvironment(file.file);
    if (environment) for (const hint of new Set(file.hints)) note(hint, environment, file.file);
  }
  for (const key of input.storedKeys) note(key.hint, key.environment, key.name);

  const shared: Evidence[] = [];
  for (const [hint, byEnvironment] of seen) {
    if (byEnvironment.size > 1) shared.push({ kind: 'shared-key', hint, places: [...byEnvironment.values()].flat() });
  }
  if (shared.length > 0) return { id: 'separate-keys-per-environment', verdict: 'fail', evidence: shared };
  const environments = [...new Set([...seen.values()].flatMap((byEnvironment) => [...byEnvironment.keys()]))].sort();
  if (environments.length === 0) return { id: 'separate-keys-per-environment', verdict: 'unknown', evidence: [{ kind: 'no-keys-known' }] };
  return { id: 'separate-keys-per-environment', verdict: 'pass', evidence: [{ kind: 'environments', environments }] };
}

function rotationItem(input: ChecklistInput): ChecklistItem {
  if (!Number.isFinite(input.rotationReminderDays) || input.rotationReminderDays <= 0) {
    return { id: 'rotation', verdict: 'unknown', evidence: [{ kind: 'reminders-off' }] };
  }
  // Only stored keys have a known age; a key in a .env file could be any age.
  if (input.storedKeys.length === 0) return { id: 'rotation', verdict: 'unknown', evidence: [{ kind: 'no-keys-known' }] };
  const evidence: Evidence[] = input.storedKeys.map((key): Evidence => ({
    kind: 'key-age',
    name: key.name,
    days: keyAgeDays(key, input.now),
    due: isRotationDue(key, input.rotationReminderDays, input.now),
  }));
  const due = evidence.some((entry) => entry.kind === 'key-age' && entry.due);
  return { id: 'rotation', verdict: due ? 'fail' : 'pass', evidence };
}

function hookItem(input: ChecklistInput): ChecklistItem {
  const verdict: Verdict = input.hook === 'installed' ? 'pass' : input.hook === 'missing' || input.hook === 'foreign' ? 'fail' : 'unknown';
  return { id: 'pre-commit-guard', verdict, evidence: [{ kind: 'hook', state: input.hook, ...(input.hookPath ? { path: input.hookPath } : {}) }] };
}

function historyItem(input: ChecklistInput): ChecklistItem {
  const history = input.history ?? { state: 'not-scanned' };
  if (history.state === 'not-scanned') return { id: 'no-key-in-history', verdict: 'unknown', evidence: [{ kind: 'history-not-scanned' }] };
  if (history.state === 'untrusted') return { id: 'no-key-in-history', verdict: 'unknown', evidence: [{ kind: 'history-untrusted' }] };
  // Keys not yet rotated first: they are what the user has to act on.
  const keys = [...history.keys].sort((a, b) => Number(a.rotatedAt !== undefined) - Number(b.rotatedAt !== undefined));
  const evidence: Evidence[] = keys.map((key) => ({ kind: 'history-key', key }));
  if (keys.some((key) => key.rotatedAt === undefined)) return { id: 'no-key-in-history', verdict: 'fail', evidence };
  // Every key found is rotated; a partial scan still cannot vouch for the rest of the history.
  if (history.incomplete) return { id: 'no-key-in-history', verdict: 'unknown', evidence: [...evidence, { kind: 'history-incomplete' }] };
  return { id: 'no-key-in-history', verdict: 'pass', evidence: keys.length > 0 ? evidence : [{ kind: 'history-clean', commits: history.commits }] };
}

/** The words that mark an Anthropic key variable, and what the rest of the name must say. */
const VENDOR_WORDS = ['ANTHROPIC', 'CLAUDE'];
const SECRET_WORD = /KEY|TOKEN|SECRET|CREDENTIAL/;

function isNameCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x24;
}

/**
 * Whether a source text reads an Anthropic key variable by name: ANTHROPIC_API_KEY, and every name the fixes
 * themselves write (ANTHROPIC_API_KEY_2 when the first was taken, ANTHROPIC_ADMIN_KEY, CLAUDE_CODE_OAUTH_TOKEN, a
 * name like ANALYTICS_ANTHROPIC_KEY kept from the code), ANTHROPIC_AUTH_TOKEN too: an upper-case name holding
 * ANTHROPIC or CLAUDE and KEY, TOKEN, SECRET or CREDENTIAL. Linear: each vendor word is found with indexOf and
 * widened to its name once; no regex runs over the text.
 */
export function readsApiKeyVariable(text: string): boolean {
  for (const word of VENDOR_WORDS) {
    for (let at = text.indexOf(word); at >= 0; ) {
      let start = at;
      while (start > 0 && isNameCode(text.charCodeAt(start - 1))) start--;
      let end = at + word.length;
      while (end < text.length && isNameCode(text.charCodeAt(end))) end++;
      const name = text.slice(start, end);
      if (/^[A-Z][A-Z0-9_]*$/.test(name) && SECRET_WORD.test(name)) return true;
      at = text.indexOf(word, end);
    }
  }
  return false;
}
