// Rotate API Key, end to end in the docs' order (the engine is src/core/admin/rotation.ts, where the order and the
// invariant are written down): open the Console's key page to create the new key (the API cannot), check the new
// key, store it, replace the old one in every stored entry and .env file of the workspace that holds it (the diff
// first, hints only), re-apply terminal injection, check again, deactivate the old key through the Admin API when
// an Admin key is stored (otherwise say exactly what to do in the Console), and record the rotation date.
//
// An interrupted rotation (a closed window, a refused diff, a failed request) leaves every place with the old key
// or the new one, both live; running Rotate API Key again for the same name resumes it.
import * as vscode from 'vscode';
import { abandonRotation, rotateKey, type EnvFileEdit, type RotationOutcome, type RotationPorts } from '../../core/admin/rotation';
import { classifyEnvFileName } from '../../core/envFiles';
import { keyHint } from '../../core/hint';
import { normaliseKey } from '../../core/keyInput';
import { adminApiFor } from '../keyInventory';
import { stringArg, type KeyCommandContext } from './context';
import { kindOf } from './keyCandidates';
import { CONSOLE_KEYS_URL, keyProblem, kindLabel } from './texts';
import type { RotateKeyArgs, RotateKeyResult, VerifyCommandResult } from './types';
import { check } from './verify';

const ENV_FILE_GLOB = '**/{.env,.env.*,*.env}';

export async function rotate(context: KeyCommandContext, args: RotateKeyArgs): Promise<RotateKeyResult> {
  const interactive = args.interactive !== false;
  const picked = await context.pickStoredName(args.name, interactive, vscode.l10n.t('Which key do you want to rotate?'));
  if (!('name' in picked)) return picked;
  const record = context.vault.get(picked.name)!;
  const name = record.name;
  const oldHint = record.hint;
  const common = { name, oldHint };
  const unchanged = vscode.l10n.t('{0} still holds the current key ({1}).', name, oldHint);

  // A rotation of this key under way: resume it (or abandon it, when asked to).
  const journal = context.vault.journal.load(name);
  if (journal) {
    if (args.abandon === true) {
      await abandonRotation(name, { journal: context.vault.journal, pending: context.vault.rotationKeys });
      const message = vscode.l10n.t('The rotation of {0} to {1} was abandoned. Both keys still work; the old key {2} was not deactivated.', name, journal.newHint, journal.oldHint);
      void context.messages.warn(message);
      return { ...common, ok: true, message, newHint: journal.newHint };
    }
    if (args.newKey === undefined && interactive) {
      const resume = vscode.l10n.t('Resume');
      const abandon = vscode.l10n.t('Abandon');
      const choice = await context.messages.ask(
        vscode.l10n.t('A rotation of {0} from {1} to {2} is under way. Resume it?', name, journal.oldHint, journal.newHint),
        vscode.l10n.t('Done so far: {0}. Abandoning leaves both keys working and the old one active.', journal.done.join(', ') || vscode.l10n.t('nothing')),
        resume,
        abandon,
      );
      if (choice === abandon) return rotate(context, { ...args, name, abandon: true });
      if (choice !== resume) return { ...common, ...context.fail('cancelled', vscode.l10n.t('Nothing was changed.'), false) };
    }
    const given = stringArg(args.newKey) === undefined ? undefined : normaliseKey(args.newKey!);
    return runRotation(context, name, given === undefined ? undefined : given.ok ? given.key : args.newKey, args, interactive);
  }

  const oldSecret = await context.vault.getSecret(name);
  let pasted = stringArg(args.newKey);
  if (pasted === undefined && interactive) {
    // The first step of the docs' sequence: the API cannot create keys, the Console can.
    const openConsole = vscode.l10n.t('Open Console');
    const haveKey = vscode.l10n.t('I Have the New Key');
    const choice = await context.messages.ask(
      vscode.l10n.t('Rotate {0} ({1}): first create a new key in the Anthropic Console.', name, oldHint),
      vscode.l10n.t('Then paste it here. It is checked against the API before it replaces the current key anywhere, and the current key stays active until every place this extension knows holds the new one.'),
      openConsole,
      haveKey,
    );
    if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
    if (choice === undefined) return { ...common, ...context.fail('cancelled', vscode.l10n.t('Nothing was rotated.') + ' ' + unchanged, false) };
    pasted = await vscode.window.showInputBox({
      title: vscode.l10n.t('Rotate {0}', name),
      prompt: vscode.l10n.t(
        'First create a new key in the Anthropic Console, then paste it here. It is checked against the API before it replaces the current key ({0}), which stays stored until then.',
        oldHint,
      ),
      placeHolder: 'sk-ant-api03-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? undefined : keyProblem(normaliseKey(value))),
    });
  }
  if (pasted === undefined) return { ...common, ...context.fail(interactive ? 'cancelled' : 'missing-argument', vscode.l10n.t('Nothing was rotated.') + ' ' + unchanged, false) };

  const normalised = normaliseKey(pasted);
  if (!normalised.ok) return { ...common, ...context.fail('rejected-key', vscode.l10n.t('The new key was not used. {0}', keyProblem(normalised)!) + ' ' + unchanged) };
  const newHint = keyHint(normalised.key);
  if (normalised.key === oldSecret) {
    return { ...common, newHint, ...context.fail('same-key', vscode.l10n.t('That is the key {0} already holds. Create a new key in the Anthropic Console first.', name)) };
  }
  const oldKind = oldSecret ? kindOf(oldSecret) : undefined;
  if (oldKind && oldKind !== normalised.kind) {
    return {
      ...common,
      newHint,
      ...context.fail('kind-mismatch', vscode.l10n.t('The new key is {0}, but {1} holds {2}. Rotate a key with a key of the same kind.', kindLabel(normalised.kind), name, kindLabel(oldKind)) + ' ' + unchanged),
    };
  }
  return runRotation(context, name, normalised.key, args, interactive);
}

async function runRotation(context: KeyCommandContext, name: string, newKey: string | undefined, args: RotateKeyArgs, interactive: boolean): Promise<RotateKeyResult> {
  const record = context.vault.get(name)!;
  const oldHint = context.vault.journal.load(name)?.oldHint ?? record.hint;
  const common = { name, oldHint };
  const unchanged = vscode.l10n.t('{0} still holds the current key ({1}).', name, oldHint);
  let firstCheck: VerifyCommandResult | undefined;
  const admin = await adminApiFor(context.vault);
  const label = vscode.l10n.t('The new key for {0}', name);

  const ports: RotationPorts = {
    secrets: {
      // Admin keys are rotated like any other, but only the entries of this kind hold this key anyway.
      names: () => context.vault.list().map((entry) => entry.name),
      get: (stored) => context.vault.getSecret(stored),
      set: async (stored, secret) => {
        const now = new Date().toISOString();
        const current = context.vault.get(stored);
        if (!current) throw new Error(`${stored} is no longer stored`);
        const result = await context.vault.store({ ...current, hint: keyHint(secret), storedAt: now, lastVerifiedAt: now, lastResult: 'valid' }, secret);
        if (!result.ok) throw new Error(result.error);
      },
    },
    pending: context.vault.rotationKeys,
    journal: context.vault.journal,
    envFiles: () => workspaceEnvFiles(),
    confirmEnvEdits: (edits) => confirmEnvEdits(context, name, edits, args, interactive),
    refreshTerminals: async () => void (await context.terminals.refresh()),
    verify: async (key) => {
      const result = await check(context, { key, kind: kindOf(key), source: 'argument', label }, interactive, { quiet: true });
      firstCheck ??= result;
      return { live: result.status === 'valid', message: result.message };
    },
    ...(admin ? { admin: admin.api } : {}),
    recordRotation: async (stored, at, oldHint) => {
      await context.vault.update(stored, (entry) => ({ ...entry, rotatedAt: at.toISOString() }));
      // By hint too, so a place that still shows the old key (git history, say) can say when it was rotated away.
      await context.vault.recordRotatedHint(oldHint, at);
    },
  };

  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Rotating {0}…', name) }, () => rotateKey(name, newKey, ports));
  const verification = firstCheck;
  const details = {
    steps: outcome.stepsDone,
    envFilesChanged: outcome.envFilesChanged.map((path) => vscode.workspace.asRelativePath(path)),
    resumed: outcome.resumed,
    ...(outcome.oldKey ? { oldKey: outcome.oldKey } : {}),
    ...(verification ? { verification } : {}),
  };
  if (outcome.oldKey?.action === 'deactivated') context.inventory?.markStatus(outcome.oldKey.id, 'inactive');

  if (!outcome.completed) {
    if (outcome.reason === 'new-key-not-live') {
      const reason = verification?.reason ?? 'new-key-not-valid';
      const message = vscode.l10n.t('{0} was not rotated.', name) + ' ' + (verification?.message ?? outcome.detail ?? '') + ' ' + unchanged;
      return { ...common, newHint: outcome.newHint, ...details, ...context.fail(reason, message) };
    }
    if (outcome.reason === 'in-progress-other-key' || outcome.reason === 'same-key' || outcome.reason === 'nothing-to-resume') {
      return { ...common, newHint: outcome.newHint, ...details, ...context.fail(outcome.reason === 'same-key' ? 'same-key' : 'rotation-in-progress', outcome.detail ?? '') };
    }
    const message =
      vscode.l10n.t('The rotation of {0} stopped at "{1}": {2}', name, outcome.stoppedAt ?? '', outcome.detail ?? '') +
      ' ' +
      vscode.l10n.t('Every place holds the old key or the new one, and the old key still works. Run Rotate API Key again to resume.');
    return { ...common, newHint: outcome.newHint, ...details, stoppedAt: outcome.stoppedAt, stopReason: outcome.reason, ...context.fail('rotation-stopped', message, outcome.reason !== 'env-edit-declined' || interactive) };
  }

  const message = completedMessage(context, name, outcome, details.envFilesChanged);
  const openConsole = vscode.l10n.t('Open Console');
  const show = outcome.oldKey?.action === 'deactivated' ? context.messages.info(message) : context.messages.warn(message, openConsole);
  void show.then((choice) => {
    if (choice === openConsole) void vscode.env.openExternal(vscode.Uri.parse(CONSOLE_KEYS_URL));
  });
  return { ...common, ok: true, message, newHint: outcome.newHint, ...details };
}

function completedMessage(context: KeyCommandContext, name: string, outcome: RotationOutcome, envFiles: string[]): string {
  const parts: string[] = [];
  const oldKey = outcome.oldKey;
  if (oldKey?.action === 'deactivated') {
    parts.push(vscode.l10n.t("{0} now holds the new key ({1}), verified live; the old key '{2}' ({3}) is deactivated.", name, outcome.newHint, oldKey.name, outcome.oldHint));
  } else {
    parts.push(
      vscode.l10n.t(
        '{0} now holds the new key ({1}), verified live. Now revoke the old key {2} in the Anthropic Console: until then it still works for anyone who has a copy.',
        name,
        outcome.newHint,
        outcome.oldHint,
      ),
    );
    if (oldKey?.why === 'no-admin-key') parts.push(vscode.l10n.t('In the Console: Settings → API keys, find the key whose hint is {0}, and disable or delete it. With an Admin key stored, this step is done for you.', outcome.oldHint));
    else if (oldKey?.why === 'not-in-organization') parts.push(vscode.l10n.t("The Admin key's organization has no key with the hint {0}: revoke it in the Console of the organization it belongs to.", outcome.oldHint));
    else if (oldKey?.why === 'ambiguous') parts.push(vscode.l10n.t('Two keys of the organization have the hint {0}: revoke the right one in the Console (Settings → API keys).', outcome.oldHint));
    else if (oldKey?.why === 'already-inactive') parts.push(vscode.l10n.t("The old key '{0}' was already deactivated.", oldKey.name ?? ''));
  }
  if (outcome.storedNames.length > 1) parts.push(vscode.l10n.t('Replaced in Secret Storage: {0}.', outcome.storedNames.join(', ')));
  if (envFiles.length > 0) parts.push(vscode.l10n.t('Replaced in: {0}.', envFiles.join(', ')));
  if (context.terminals.enabled) parts.push(vscode.l10n.t('New terminals get the new key; close terminals opened before.'));
  return parts.join(' ');
}

/** The workspace's .env files (not templates), on disk. */
async function workspaceEnvFiles(): Promise<string[]> {
  const paths: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ENV_FILE_GLOB), '**/node_modules/**', 500);
    for (const uri of uris) if (classifyEnvFileName(uri.path.slice(uri.path.lastIndexOf('/') + 1)) === 'env') paths.push(uri.fsPath);
  }
  return paths.sort();
}

/** Shows the planned .env edits (hints only) and asks; from a script, `replaceInEnvFiles` is the answer. */
async function confirmEnvEdits(context: KeyCommandContext, name: string, edits: readonly EnvFileEdit[], args: RotateKeyArgs, interactive: boolean): Promise<boolean> {
  if (args.replaceInEnvFiles !== undefined) return args.replaceInEnvFiles === true;
  if (!interactive) return false;
  const content = edits.map((edit) => `--- ${vscode.workspace.asRelativePath(edit.path)}\n+++ ${vscode.workspace.asRelativePath(edit.path)}\n${edit.diff}`).join('\n\n') + '\n';
  await context.showReadOnly(`Rotate ${name}.diff`, content, 'diff');
  const replace = vscode.l10n.t('Replace');
  return (
    (await context.messages.ask(
      vscode.l10n.t('Replace the old key in {0} .env file(s)?', edits.length),
      vscode.l10n.t('The changes are shown in the editor (keys as hints). Each file is written whole or not at all; nothing else in it changes.'),
      replace,
    )) === replace
  );
}
