// The fixes for a key in Claude Code's project settings (`.claude/settings.json`, meant to be committed; issue 13):
// 1. move it to `.claude/settings.local.json`, Claude Code's personal settings file, which outranks the project file
//    (Claude Code documentation, "Settings files": local > project), so Claude Code behaves as before;
// 2. or replace it with an `apiKeyHelper`, the setting whose command Claude Code runs to get an API key, here one that
//    prints the key from the environment (`printenv NAME`), the key itself kept in VS Code's Secret Storage and given
//    to terminals by "Use Stored Key in Terminals".
//
// Nothing lost, the same order as every other fix (apply.ts): the local file is made git-ignored first (and git is
// asked again), written atomically under its lock only if it still holds what was read, and read back; only then is
// the entry taken out of settings.json, as edits the caller applies only if that file still holds the planned text.
// Every edit keeps every other byte, and is checked by parsing the result: the settings must mean exactly what they
// meant, minus the key (plus the helper). A file that is not strict JSON is left to a human.
import { unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CredentialKind } from '../findings';
import { applyEdits, mergeEdits, type TextEdit } from './edits';
import type { FixGitContext } from './gitState';
import { ensureGitIgnores, type IgnoreOutcome } from './ignoreFile';
import { memberNamed, parseJsonTree, type JsonMember, type JsonObject } from './jsonTree';
import { ChangedOnDiskError, FileBusyError, UnsafePathError, folderStaysInside, readRegularFile, withFileLocks, writeFileAtomic } from './safeFiles';

/** Why a Claude settings fix was not done; nothing was written when it was refused. */
export type ClaudeSettingsRefusal =
  | 'not-an-env-entry'
  | 'local-settings-unusable'
  | 'local-settings-differ'
  | 'helper-exists'
  | 'not-ignored'
  | 'outside-root'
  | 'unsafe-path'
  | 'changed-on-disk'
  | 'busy'
  | 'read-back-failed'
  | 'write-failed';

export class ClaudeSettingsError extends Error {
  constructor(
    readonly reason: ClaudeSettingsRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ClaudeSettingsError';
  }
}

/** A key as the value of an `env` entry of a settings file. */
export interface SettingsEnvEntry {
  /** The variable Claude Code sets from it (`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`…). */
  name: string;
  key: string;
  env: JsonObject;
  member: JsonMember;
  root: JsonObject;
}

/** The name of Claude Code's personal settings file, beside the project one. */
export const LOCAL_SETTINGS_NAME = 'settings.local.json';

export function localSettingsPath(settingsPath: string): string {
  return join(dirname(settingsPath), LOCAL_SETTINGS_NAME);
}

/**
 * The `env` entry whose string value is exactly text[start, end) (a key the scan found), or undefined when the key is
 * anywhere else, the file is not strict JSON, or the value is written with escapes (its text would not be the key).
 */
export function settingsEnvEntryAt(text: string, start: number, end: number): SettingsEnvEntry | undefined {
  const root = parseJsonTree(text);
  if (root?.type !== 'object') return undefined;
  const env = memberNamed(root, 'env')?.value;
  if (env?.type !== 'object') return undefined;
  for (const member of env.members) {
    const value = member.value;
    if (value.type !== 'string' || value.start + 1 !== start || value.end - 1 !== end) continue;
    // The last member of a name is the one that counts; an earlier duplicate is not what Claude Code reads.
    if (memberNamed(env, member.name) !== member || text.slice(start, end) !== value.value) return undefined;
    return { name: member.name, key: value.value, env, member, root };
  }
  return undefined;
}

/** The line ending a file uses, for the lines a fix adds. */
function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The spaces or tabs that begin the line holding `offset`. */
function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** Whether `offset` is the first non-blank character of its line. */
function beginsLine(text: string, offset: number): boolean {
  return indentationAt(text, offset).length === offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The file's indentation step: the first indented line's indentation, else two spaces. */
function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

/** The edit that takes `member` out of `object`, with the comma that separated it. */
function removeMember(object: JsonObject, member: JsonMember): TextEdit {
  const index = object.members.indexOf(member);
  const members = object.members;
  if (members.length === 1) return { start: object.start + 1, end: object.end - 1, newText: '' };
  if (index < members.length - 1) return { start: member.start, end: members[index + 1].start, newText: '' };
  return { start: members[index - 1].end, end: member.end, newText: '' };
}

/** The edit that adds `"name": json` as the last member of `object`, laid out like its siblings. */
function addMember(text: string, object: JsonObject, name: string, json: string): TextEdit {
  const member = `${JSON.stringify(name)}: ${json}`;
  const eol = lineEnding(text);
  const last = object.members[object.members.length - 1];
  if (last) {
    const separator = beginsLine(text, last.start) ? eol + indentationAt(text, last.start) : ' ';
    return { start: last.end, end: last.end, newText: `,${separator}${member}` };
  }
  const outer = indentationAt(text, object.start);
  return { start: object.start + 1, end: object.end - 1, newText: `${eol}${outer}${indentUnit(text)}${member}${eol}${outer}` };
}

/** Applies edits and checks that the result parses to `expected`: an edit that changes anything else is refused. */
function checkedEdits(text: string, edits: TextEdit[], expected: unknown): TextEdit[] | undefined {
  const merged = mergeEdits(edits);
  if (!merged) return undefined;
  try {
    return JSON.stringify(JSON.parse(applyEdits(text, merged).replace(/^\uFEFF/, ''))) === JSON.stringify(expected) ? merged : undefined;
  } catch {
    return undefined;
  }
}

/** What the settings mean without the entry (and with `more` members added at the end). */
function meaningWithout(text: string, entry: SettingsEnvEntry, more: Record<string, unknown> = {}): unknown {
  const settings = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const env = settings.env as Record<string, unknown>;
  delete env[entry.name];
  return { ...settings, ...more };
}

/** The edits that take the entry out of settings.json (checked: nothing else changes), or undefined. */
export function planRemoveEnvEntry(text: string, entry: SettingsEnvEntry): TextEdit[] | undefined {
  return checkedEdits(text, [removeMember(entry.env, entry.member)], meaningWithout(text, entry));
}

/** The apiKeyHelper command that prints the key from the environment. */
export function apiKeyHelperCommand(variable: string): string {
  return `printenv ${variable}`;
}

/**
 * The edits that replace the entry with `"apiKeyHelper": "printenv <variable>"` (checked), or undefined when the
 * settings already name a helper (the user's own: it is not replaced) or the edits would change anything else.
 */
export function planApiKeyHelper(text: string, entry: SettingsEnvEntry, variable: string): TextEdit[] | undefined {
  if (memberNamed(entry.root, 'apiKeyHelper')) return undefined;
  const command = apiKeyHelperCommand(variable);
  const edits = [removeMember(entry.env, entry.member), addMember(text, entry.root, 'apiKeyHelper', JSON.stringify(command))];
  return checkedEdits(text, edits, meaningWithout(text, entry, { apiKeyHelper: command }));
}

/** Whether the apiKeyHelper fix applies: Claude Code sends the helper's output as an API key (or bearer token). */
export function helperFitsKind(kind: CredentialKind): boolean {
  return kind === 'api-key';
}

/**
 * The local settings with `env[name] = key` added: the whole new text, `unchanged` when it holds that value already,
 * or a refusal (not strict JSON, `env` not an object, or `name` holding a different value: Claude Code would read that
 * one, and it is not ours to overwrite).
 */
export function planLocalSettings(before: string | undefined, name: string, key: string): { text: string } | { unchanged: true } | { refused: ClaudeSettingsRefusal } {
  if (before === undefined || before.trim() === '') {
    return { text: `{\n  "env": {\n    ${JSON.stringify(name)}: ${JSON.stringify(key)}\n  }\n}\n` };
  }
  const root = parseJsonTree(before);
  if (root?.type !== 'object') return { refused: 'local-settings-unusable' };
  const envMember = memberNamed(root, 'env');
  const expected = JSON.parse(before.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  let edit: TextEdit;
  if (!envMember) {
    edit = addMember(before, root, 'env', `{ ${JSON.stringify(name)}: ${JSON.stringify(key)} }`);
    expected.env = { [name]: key };
  } else {
    if (envMember.value.type !== 'object') return { refused: 'local-settings-unusable' };
    const existing = memberNamed(envMember.value, name);
    if (existing) return existing.value.type === 'string' && existing.value.value === key ? { unchanged: true } : { refused: 'local-settings-differ' };
    edit = addMember(before, envMember.value, name, JSON.stringify(key));
    (expected.env as Record<string, unknown>)[name] = key;
  }
  const edits = checkedEdits(before, [edit], expected);
  return edits ? { text: applyEdits(before, edits) } : { refused: 'local-settings-unusable' };
}

/** Whether the local settings text gives `name` exactly `key`, as Claude Code would read it. */
function holdsKey(text: string | undefined, name: string, key: string): boolean {
  try {
    const settings = JSON.parse((text ?? '').replace(/^\uFEFF/, '')) as { env?: Record<string, unknown> };
    return settings.env?.[name] === key;
  } catch {
    return false;
  }
}

export interface LocalSettingsResult {
  localPath: string;
  /** Whether the file was created. */
  created: boolean;
  /** What was done to keep it out of git. */
  ignore: IgnoreOutcome;
}

const REFUSAL_TEXT: Record<Exclude<ClaudeSettingsRefusal, 'changed-on-disk' | 'busy' | 'unsafe-path' | 'not-ignored' | 'read-back-failed' | 'outside-root' | 'write-failed'>, string> = {
  'not-an-env-entry': 'the key is not the value of an env entry of the settings (or the file is not plain JSON)',
  'local-settings-unusable': 'it is not a plain JSON object whose env is an object',
  'local-settings-differ': 'it already gives that variable a different value, which Claude Code would keep reading',
  'helper-exists': 'the settings already name an apiKeyHelper',
};

/** Says why, in words, for a refusal planLocalSettings or the planners gave. */
export function describeRefusal(reason: keyof typeof REFUSAL_TEXT): string {
  return REFUSAL_TEXT[reason];
}

/**
 * Stores `env[name] = key` in the settings.local.json beside `settingsPath`: git-ignored first (git asked again),
 * written atomically under its lock if it still holds what was read, then read back. Throws ClaudeSettingsError
 * (nothing written), or a GitStateError when git cannot answer inside a repository.
 */
export async function storeInLocalSettings(settingsPath: string, name: string, key: string, context: FixGitContext & { root: string }): Promise<LocalSettingsResult> {
  const localPath = localSettingsPath(settingsPath);
  if (!(await folderStaysInside(localPath, context.root))) {
    throw new ClaudeSettingsError('outside-root', `${localPath} is outside ${context.root} once symbolic links are resolved; nothing was written`);
  }
  try {
    return await withFileLocks([localPath], async () => {
      // Out of git before the key lands in it: the same check as every env file a fix writes to.
      const ignore = await ensureGitIgnores(localPath, { ...context, fallbackRoot: context.root });
      if (ignore.status === 'refused') {
        const why = ignore.reason === 'tracked' ? 'git tracks it' : ignore.reason === 'tracking-unknown' ? 'whether git tracks it is unknown (git may not run in an untrusted workspace)' : `it could not be git-ignored (${ignore.reason}${ignore.detail ? `: ${ignore.detail}` : ''})`;
        throw new ClaudeSettingsError('not-ignored', `The key was not moved to ${localPath}: ${why}, so the key would be committed from there.`);
      }
      const before = await readRegularFile(localPath);
      const beforeText = before?.toString('utf8');
      const planned = planLocalSettings(beforeText, name, key);
      if ('refused' in planned) {
        throw new ClaudeSettingsError(planned.refused, `The key was not moved to ${localPath}: ${describeRefusal(planned.refused as keyof typeof REFUSAL_TEXT)}.`);
      }
      if ('text' in planned) {
        const written = Buffer.from(planned.text, 'utf8');
        await writeFileAtomic(localPath, written, { expected: before, newFileMode: 0o600 });
        // Only a key that is there may leave settings.json.
        if (!holdsKey((await readRegularFile(localPath))?.toString('utf8'), name, key)) {
          if (before === undefined) await removeIfHolds(localPath, written);
          else await writeFileAtomic(localPath, before, { expected: written }).catch(() => undefined);
          throw new ClaudeSettingsError('read-back-failed', `${name} did not read back from ${localPath}; it was restored and settings.json was not changed.`);
        }
      } else if (!holdsKey(beforeText, name, key)) {
        throw new ClaudeSettingsError('read-back-failed', `${name} did not read back from ${localPath}; settings.json was not changed.`);
      }
      return { localPath, created: before === undefined && 'text' in planned, ignore };
    });
  } catch (error) {
    throw refusalFrom(error, localPath);
  }
}

async function removeIfHolds(path: string, written: Buffer): Promise<void> {
  const now = await readRegularFile(path).catch(() => undefined);
  if (now?.equals(written)) await unlink(path).catch(() => undefined);
}

function refusalFrom(error: unknown, path: string): Error {
  if (error instanceof ClaudeSettingsError) return error;
  if (error instanceof UnsafePathError) return new ClaudeSettingsError('unsafe-path', error.message);
  if (error instanceof ChangedOnDiskError) return new ClaudeSettingsError('changed-on-disk', error.message);
  if (error instanceof FileBusyError) return new ClaudeSettingsError('busy', error.message);
  // A git failure inside a repository keeps its own message: it names the cause and the fix.
  if (error instanceof Error && error.name === 'GitStateError') return error;
  return new ClaudeSettingsError('write-failed', `${path} could not be written: ${(error as Error).message}`);
}
