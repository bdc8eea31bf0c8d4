// Plans the fix of hardcoded keys in source texts: which variable each key is stored under, and the edits that make
// each file read that variable instead. Pure: texts and the destination's current values in, plans out. The CLI's
// `fix`, the editor's quick fixes and its Fix All in Workspace all plan here (and apply with apply.ts), so they
// cannot disagree about names, about what is refused, or about what counts as fixed.
//
// Decisions:
// - A name is never taken from a key it does not hold. When the preferred variable already holds a different value
//   the caller chooses: a new name (`ANTHROPIC_API_KEY_2`, the default), or replacing it, which keeps the old value
//   under `ANTHROPIC_API_KEY_PREVIOUS`. Only values that were there before this run are replaced: two keys fixed
//   in one run never share a name.
// - Every key of a file is planned on the original text and the edits applied at once, then the result is
//   scanned once and must hold exactly the keys that were not fixed: linear in the number of keys (re-scanning
//   after every key made 2,000 keys in one file take 21 s). Where two rewrites overlap (two keys in one Dockerfile
//   instruction), that file falls back to one key at a time.
// - Whatever cannot be rewritten with the same meaning is listed with a reason code, never guessed.
import { describeCredential } from '../credentials';
import { classifyEnvFileName } from '../envFiles';
import type { CredentialKind } from '../findings';
import { keyHint } from '../hint';
import { positionsForOffsets } from '../textPositions';
import { findTextFindings } from '../textFindings';
import { applyEdits, mergeEdits, type TextEdit } from './edits';
import { setsEnvironmentVariable } from './envAssignment';
import type { EnvEntryToStore } from './envFile';
import { fixLanguageFor, type FixLanguage } from './languages';
import { rewriteNotebookKey } from './notebook';
import { assignedNameAt, createKeyLocator, locateKey, redactKey, removeApiKeyOption, rewriteToEnvLookup, variableNameFor, type FixPlan, type KeyLocator } from './rewrite';
import { rewriteKeepsSyntax } from './syntaxCheck';

export type FixMode = 'env-lookup' | 'remove-api-key-option' | 'redact';
export type NameConflictChoice = 'new-name' | 'replace';

/** Why a key was left for a human. Each has an English text in reasonText(); none holds a key. */
export type NeedsHumanReason =
  | 'env-template'
  | 'env-file'
  | 'not-utf8'
  | 'too-large'
  | 'notebook'
  | 'no-lookup-config'
  | 'dockerfile-not-env'
  | 'string-spans-lines'
  | 'not-in-string'
  | 'no-safe-rewrite'
  | 'rewrite-not-exact'
  | 'syntax-would-break'
  | 'sdk-variable-taken'
  | 'sets-env-variable'
  | 'no-api-key-option'
  | 'not-a-key'
  | 'encoded-key';

export interface SourceToFix {
  /** Absolute path (a notebook cell's is its notebook's). */
  path: string;
  /** The text the fix is planned on: the editor's document, or the file as read. */
  text: string;
  languageId?: string;
  /** The keys to fix, as offsets into `text`; default every hardcoded key the engine finds there. `encoded`: the
   * range holds a key in another form (base64, split into pieces), which no rewrite can replace. */
  keys?: ReadonlyArray<{ start: number; end: number; encoded?: boolean }>;
  mode?: FixMode;
  /** The file's bytes were not valid UTF-8, so its text is not what is on disk: nothing is rewritten. */
  notUtf8?: boolean;
}

export interface PlanOptions {
  includeLowConfidence: boolean;
  /** The values the destination (env file or Secret Storage) holds now, by name. */
  stored: ReadonlyMap<string, string>;
  onNameTaken?: NameConflictChoice;
  /** The variable to use instead of the kind's default (a name the user picked). */
  variable?: string;
  /** The last check of a rewritten text (default: syntaxCheck.ts, a parser where one is at hand): false refuses the rewrite. */
  keepsSyntax?: (before: string, after: string, language: FixLanguage, fileName: string) => boolean;
}

export interface PlannedKey {
  start: number;
  end: number;
  line: number;
  column: number;
  hint: string;
  kind: CredentialKind;
  /** The variable the code reads now and the destination stores the key under. */
  variable: string;
  /** What the rewrite did, in words (`Replace the key with process.env.ANTHROPIC_API_KEY`). */
  title: string;
  /** Which kind of edit replaced the key: a lookup of `variable`, its hint, or the SDK option taken out. */
  rewrite: 'lookup' | 'redaction' | 'option-removal';
  note?: string;
}

export interface KeyNeedingHuman {
  start: number;
  end: number;
  line: number;
  column: number;
  hint: string;
  reason: NeedsHumanReason;
}

export interface SourcePlan {
  path: string;
  before: string;
  after: string;
  /** Non-overlapping edits on `before` that give `after` (the editor applies these as one WorkspaceEdit). */
  edits: TextEdit[];
  fixed: PlannedKey[];
  needsHuman: KeyNeedingHuman[];
}

export interface FixesPlan {
  sources: SourcePlan[];
  /** What the destination must hold before any source changes, in order. */
  entries: EnvEntryToStore[];
}

/** Texts larger than this are listed rather than rewritten: a rewrite holds several copies of the text. */
export const MAX_REWRITE_LENGTH = 32 * 1024 * 1024;

/** Plans every source against one destination. */
export function planFixes(sources: readonly SourceToFix[], options: PlanOptions): FixesPlan {
  const names = new NameBook(options.stored, options.onNameTaken ?? 'new-name');
  const plans = sources.map((source) => planSource(source, options, names));
  return { sources: plans, entries: names.entries() };
}

/** The hardcoded keys in a text, in order, as the engine reports them. */
function hardcodedKeys(text: string, fileName: string, includeLowConfidence: boolean): Array<{ start: number; end: number; encoded?: boolean }> {
  return findTextFindings(text, { fileName, includeLowConfidence, reportKeysInEnvFiles: true })
    .filter((finding) => finding.ruleId === 'hardcoded-key')
    .map(({ start, end, credential }) => (credential?.encoding ? { start, end, encoded: true } : { start, end }));
}

function planSource(source: SourceToFix, options: PlanOptions, names: NameBook): SourcePlan {
  const { path, text } = source;
  const keys = (source.keys ?? hardcodedKeys(text, path, options.includeLowConfidence)).slice().sort((a, b) => a.start - b.start);
  const positions = positionsForOffsets(text, keys.map((key) => key.start));
  const located = keys.map((key, index) => ({ ...key, ...positions[index], hint: keyHint(text.slice(key.start, key.end)) }));
  const plan: SourcePlan = { path, before: text, after: text, edits: [], fixed: [], needsHuman: [] };
  const refuseAll = (reason: NeedsHumanReason): SourcePlan => {
    plan.needsHuman = located.map(({ start, end, line, column, hint }) => ({ start, end, line, column, hint, reason }));
    return plan;
  };
  // A file that is not UTF-8 text may hold keys the text does not show (UTF-16: a NUL after each character): its
  // findings get the file's reason, under an empty hint (the engine's mark for "every key of this file").
  if (source.notUtf8 && keys.length === 0) {
    plan.needsHuman = [{ start: 0, end: 0, line: 1, column: 1, hint: '', reason: 'not-utf8' }];
    return plan;
  }
  if (keys.length === 0) return plan;
  if (source.notUtf8) return refuseAll('not-utf8');
  if (text.length > MAX_REWRITE_LENGTH) return refuseAll('too-large');
  // classifyEnvFileName reads the last segment of a path itself (either separator), so no path module is needed.
  const envClass = classifyEnvFileName(path);
  if (envClass === 'template') return refuseAll('env-template');
  // A key in an env file is where keys belong: the file must be ignored and untracked, which is the env-file rules' fix.
  if (envClass === 'env') return refuseAll('env-file');
  const language = fixLanguageFor(path, source.languageId);
  const mode = source.mode ?? 'env-lookup';

  // Each key planned on the original text, claiming its name as it goes (the next key must see it taken); if the
  // file's plan does not hold, the names it claimed are given back and the slow path runs.
  const snapshot = names.snapshot();
  // One lexer for every key of the text: lexing it afresh per key was quadratic in the keys (red team F13).
  const locator = createKeyLocator(text, language);
  type Outcome = { key: LocatedKey; reason: NeedsHumanReason } | { key: LocatedKey; attempt: KeyAttempt; planned: PlannedKey };
  const outcomes: Outcome[] = located.map((key) => {
    // The base64 of a key, or its pieces: the text at the range is not the key, so nothing can stand in for it.
    if (key.encoded) return { key, reason: 'encoded-key' as const };
    const attempt = planKey(text, key, language, path, source.languageId, mode, options, names, locator);
    return 'reason' in attempt ? { key, reason: attempt.reason } : { key, attempt, planned: names.claim(key, attempt) };
  });
  const rewrites = outcomes.filter((outcome): outcome is Extract<Outcome, { attempt: KeyAttempt }> => 'attempt' in outcome);
  const merged = mergeEdits(rewrites.flatMap((outcome) => outcome.attempt.plan.edits));
  if (merged) {
    const after = applyEdits(text, merged);
    const fixedStarts = new Set(rewrites.map(({ key }) => key.start));
    const expected = keys.filter((key) => !fixedStarts.has(key.start)).map((key) => text.slice(key.start, key.end));
    const remaining = hardcodedKeys(after, path, options.includeLowConfidence).map((key) => after.slice(key.start, key.end));
    const exact = sameList(expected, remaining);
    if (exact && keepsSyntax(text, after, language, path, options)) {
      for (const outcome of outcomes) {
        if ('planned' in outcome) plan.fixed.push(outcome.planned);
        else plan.needsHuman.push({ ...pick(outcome.key), reason: outcome.reason });
      }
      plan.after = after;
      plan.edits = merged;
      return plan;
    }
    if (rewrites.length <= 1) {
      // Nothing to tell apart: the one rewrite is the culprit.
      names.restore(snapshot);
      return finish(
        plan,
        outcomes.map((outcome) => ({ key: outcome.key, reason: 'reason' in outcome ? outcome.reason : exact ? ('syntax-would-break' as const) : ('rewrite-not-exact' as const) })),
      );
    }
  }
  names.restore(snapshot);
  return planOneAtATime(plan, source, located, language, mode, options, names);
}

function finish(plan: SourcePlan, refused: Array<{ key: LocatedKey; reason: NeedsHumanReason }>): SourcePlan {
  plan.needsHuman = refused.map(({ key, reason }) => ({ ...pick(key), reason }));
  return plan;
}

type LocatedKey = { start: number; end: number; line: number; column: number; hint: string; encoded?: boolean };

function pick(key: LocatedKey): Omit<KeyNeedingHuman, 'reason'> {
  return { start: key.start, end: key.end, line: key.line, column: key.column, hint: key.hint };
}

/** The parse check of syntaxCheck.ts unless the caller brings its own: every route checks the same way. */
function keepsSyntax(before: string, after: string, language: FixLanguage, path: string, options: PlanOptions): boolean {
  return (options.keepsSyntax ?? rewriteKeepsSyntax)(before, after, language, path);
}

/**
 * The slow path, for files whose rewrites overlap or together misbehave: one key at a time, each planned on the
 * text as the previous ones left it, each checked to remove exactly its own key.
 */
function planOneAtATime(
  plan: SourcePlan,
  source: SourceToFix,
  located: LocatedKey[],
  language: FixLanguage,
  mode: FixMode,
  options: PlanOptions,
  names: NameBook,
): SourcePlan {
  const { path } = source;
  let text = source.text;
  // The keys still in `text`, with the original key each one is.
  let current = located.map((key) => ({ ...key, original: key }));
  let position = 0;
  while (position < current.length) {
    const entry = current[position];
    const key = { ...entry, start: entry.start, end: entry.end };
    const attempt = entry.original.encoded ? { reason: 'encoded-key' as const } : planKey(text, key, language, path, source.languageId, mode, options, names);
    if ('reason' in attempt) {
      plan.needsHuman.push({ ...pick(entry.original), reason: attempt.reason });
      position++;
      continue;
    }
    const next = applyEdits(text, attempt.plan.edits);
    const expected = current.filter((_, index) => index !== position).map((other) => text.slice(other.start, other.end));
    const remaining = hardcodedKeys(next, path, options.includeLowConfidence);
    if (!sameList(expected, remaining.map((other) => next.slice(other.start, other.end))) || !keepsSyntax(text, next, language, path, options)) {
      plan.needsHuman.push({ ...pick(entry.original), reason: sameList(expected, remaining.map((other) => next.slice(other.start, other.end))) ? 'syntax-would-break' : 'rewrite-not-exact' });
      position++;
      continue;
    }
    plan.fixed.push(names.claim(entry.original, attempt));
    const others = current.filter((_, index) => index !== position);
    current = others.map((other, index) => ({ ...other, start: remaining[index].start, end: remaining[index].end }));
    text = next;
  }
  plan.needsHuman.sort((a, b) => a.start - b.start);
  plan.after = text;
  // The edits of the slow path are one replacement of the whole text: correct, if not minimal.
  plan.edits = text === source.text ? [] : [{ start: 0, end: source.text.length, newText: text }];
  return plan;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

interface KeyAttempt {
  plan: FixPlan;
  rewrite: PlannedKey['rewrite'];
  key: string;
  kind: CredentialKind;
  /** The name the code will read, before the name book settles conflicts. */
  name: NameChoice;
}

type NameChoice = { variable: string; replaces?: { previousName: string; previousValue: string } };

function planKey(
  text: string,
  key: { start: number; end: number },
  language: FixLanguage,
  path: string,
  languageId: string | undefined,
  mode: FixMode,
  options: PlanOptions,
  names: NameBook,
  locator?: KeyLocator,
): KeyAttempt | { reason: NeedsHumanReason } {
  const value = text.slice(key.start, key.end);
  const verdict = describeCredential(value);
  if (!verdict) return { reason: 'not-a-key' };
  const wanted = options.variable ?? (mode === 'remove-api-key-option' ? 'ANTHROPIC_API_KEY' : variableNameFor(verdict.kind, assignedNameAt(text, key.start)));
  const name = names.choose(wanted, value, mode === 'remove-api-key-option');
  if (!name) return { reason: 'sdk-variable-taken' };
  const rewriteOptions = { fileName: path, languageId, ...(locator ? { locator } : {}) };
  let plan: FixPlan | undefined;
  if (isNotebookJson(path, languageId)) {
    // The CLI sees a notebook's JSON: its code cells are Python, rewritten inside their JSON strings.
    if (mode === 'remove-api-key-option') return { reason: 'notebook' };
    plan = mode === 'redact' ? redactKey(text, key.start, key.end, keyHint(value)) : rewriteNotebookKey(text, key.start, key.end, name.variable, keyHint(value));
    // The notebook rewrite redacts a key in a Markdown cell or a comment; its title says which.
    const rewrite = mode === 'redact' || plan?.title.startsWith('Redact') ? 'redaction' : 'lookup';
    return plan ? { plan, rewrite, key: value, kind: verdict.kind, name } : { reason: 'notebook' };
  }
  let rewrite: KeyAttempt['rewrite'] = 'lookup';
  if (mode === 'remove-api-key-option') {
    plan = removeApiKeyOption(text, key.start, key.end, language, verdict.kind, locator);
    rewrite = 'option-removal';
  } else if (mode === 'redact') {
    plan = redactKey(text, key.start, key.end, keyHint(value));
    rewrite = 'redaction';
  } else {
    // `process.env.X = "<key>"`, `export X=<key>`: a lookup there would copy the variable onto itself (red team F22).
    if (setsEnvironmentVariable(text, key.start, locateKey(locator, text, key.start, key.end, language), language)) return { reason: 'sets-env-variable' };
    plan = rewriteToEnvLookup(text, key.start, key.end, name.variable, language, rewriteOptions);
    if (!plan) {
      const location = locateKey(locator, text, key.start, key.end, language);
      if (language !== 'prose' && location.kind !== 'comment') return { reason: reasonFor(language, location.kind) };
      plan = redactKey(text, key.start, key.end, keyHint(value));
      rewrite = 'redaction';
    }
  }
  if (!plan) return { reason: mode === 'remove-api-key-option' ? 'no-api-key-option' : 'no-safe-rewrite' };
  return { plan, rewrite, key: value, kind: verdict.kind, name };
}

/** A notebook file as JSON text (the CLI); the editor hands over a cell's Python, with its language id. */
function isNotebookJson(path: string, languageId: string | undefined): boolean {
  return path.toLowerCase().endsWith('.ipynb') && (languageId === undefined || languageId === 'json' || languageId === 'jupyter');
}

function reasonFor(language: FixLanguage, location: string): NeedsHumanReason {
  if (language === 'config') return 'no-lookup-config';
  if (language === 'dockerfile') return 'dockerfile-not-env';
  if (location === 'unknown') return 'string-spans-lines';
  if (location === 'bare') return 'not-in-string';
  return 'no-safe-rewrite';
}

/**
 * The names this run gives keys. `stored` is what the destination held before the run; each key's name is claimed
 * once its rewrite is planned, and a file whose plan is then rejected gives its names back (snapshot/restore).
 *
 * Every question costs about the same however many keys came before (red team F13: walking `NAME_2`, `NAME_3`… from 2
 * for every key was quadratic in the keys): the first suffix that may be free is remembered per name (names are only
 * ever added between restores, so it only moves up), the names holding each value are indexed, and a snapshot is a
 * position in an undo log rather than a copy of every name.
 */
class NameBook {
  private readonly values: Map<string, string>;
  /** The names holding each value: a key already stored under `NAME_7` gets `NAME_7` back. */
  private readonly namesByValue = new Map<string, Set<string>>();
  /** Per wanted name, a suffix below which every `NAME_n` (n >= 2) is held: where the search for a free one starts. */
  private readonly firstFreeFrom = new Map<string, number>();
  private readonly givenThisRun = new Set<string>();
  private readonly order: EnvEntryToStore[] = [];
  /** What each change replaced, newest last, so restore can undo back to a snapshot. */
  private readonly undo: Array<{ name: string; previous: string | undefined } | { given: string }> = [];

  constructor(
    stored: ReadonlyMap<string, string>,
    private readonly onNameTaken: NameConflictChoice,
  ) {
    this.values = new Map();
    for (const [name, value] of stored) this.setValue(name, value, false);
  }

  snapshot(): { undo: number; order: number } {
    return { undo: this.undo.length, order: this.order.length };
  }

  restore(snapshot: ReturnType<NameBook['snapshot']>): void {
    while (this.undo.length > snapshot.undo) {
      const change = this.undo.pop()!;
      if ('given' in change) this.givenThisRun.delete(change.given);
      else this.setValue(change.name, change.previous, false);
    }
    this.order.length = snapshot.order;
    // Names were taken away: a remembered start may now skip a free one.
    this.firstFreeFrom.clear();
  }

  /** Sets (or, with undefined, removes) a name's value, keeping the index; `log`: record what it replaced, for restore. */
  private setValue(name: string, value: string | undefined, log = true): void {
    const previous = this.values.get(name);
    if (previous !== undefined) this.namesByValue.get(previous)?.delete(name);
    if (value === undefined) this.values.delete(name);
    else {
      this.values.set(name, value);
      let holders = this.namesByValue.get(value);
      if (!holders) this.namesByValue.set(value, (holders = new Set()));
      holders.add(name);
    }
    if (log) this.undo.push({ name, previous });
  }

  /** The name `key` would get (nothing is recorded until claim). Undefined when it must be exactly `wanted` and
   * that name holds a different value the caller may not replace. */
  choose(wanted: string, key: string, mustBeExact: boolean): NameChoice | undefined {
    const existing = this.values.get(wanted);
    if (existing === undefined || existing === key) return { variable: wanted };
    // Replace only a value that was there before this run, and only when asked to.
    if (this.onNameTaken === 'replace' && !this.givenThisRun.has(wanted)) {
      return { variable: wanted, replaces: { previousName: this.freeName(`${wanted}_PREVIOUS`), previousValue: existing } };
    }
    if (mustBeExact) return undefined;
    // The first `wanted_n` (n >= 2) that is free or already holds this key: the lower of the first free suffix and
    // the lowest suffix among the names holding the key.
    let free = this.firstFreeFrom.get(wanted) ?? 2;
    while (this.values.has(`${wanted}_${free}`)) free++;
    this.firstFreeFrom.set(wanted, free);
    let suffix = free;
    for (const holder of this.namesByValue.get(key) ?? []) {
      const held = holder.startsWith(`${wanted}_`) ? holder.slice(wanted.length + 1) : '';
      // Only the spelling the search would build: `NAME_2`, not `NAME_02`.
      if (/^[1-9][0-9]*$/.test(held) && Number(held) >= 2 && Number(held) < suffix) suffix = Number(held);
    }
    return { variable: `${wanted}_${suffix}` };
  }

  private freeName(base: string): string {
    let candidate = base;
    for (let suffix = 2; this.values.has(candidate); suffix++) candidate = `${base}_${suffix}`;
    return candidate;
  }

  /** Records the key's name as given (re-choosing: an earlier key of this run may have taken it since). */
  claim(located: LocatedKey, attempt: KeyAttempt): PlannedKey {
    const { variable } = attempt.name;
    const held = this.values.get(variable);
    if (held !== attempt.key) {
      if (attempt.name.replaces) this.setValue(attempt.name.replaces.previousName, attempt.name.replaces.previousValue);
      this.setValue(variable, attempt.key);
      this.order.push({ name: variable, value: attempt.key, ...(attempt.name.replaces ? { replaces: attempt.name.replaces } : {}) });
    }
    if (!this.givenThisRun.has(variable)) {
      this.givenThisRun.add(variable);
      this.undo.push({ given: variable });
    }
    return {
      start: located.start,
      end: located.end,
      line: located.line,
      column: located.column,
      hint: located.hint,
      kind: attempt.kind,
      variable,
      title: attempt.plan.title,
      rewrite: attempt.rewrite,
      ...(attempt.plan.note ? { note: attempt.plan.note } : {}),
    };
  }

  entries(): EnvEntryToStore[] {
    return [...this.order];
  }
}
