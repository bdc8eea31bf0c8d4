// Quick fixes for hardcoded keys, and source.fixAll. The core fix engine plans every one (src/core/fixes/plan.ts)
// and stores the key (apply.ts) with the same checks as the CLI; this file turns plans into code actions whose
// titles say exactly what they will do, and applies them as one WorkspaceEdit after the key is stored.
//
// Decisions:
// - Titles come from a plan made when the menu opens, against what the destination holds then: "read it from
//   ANTHROPIC_API_KEY_2" when ANTHROPIC_API_KEY holds another key, with a second action that replaces it (keeping
//   the old value). A fix that could not work is shown disabled with the reason (a .env that is a link or that git
//   tracks, an untrusted workspace), never offered to do nothing.
// - Applying re-plans under the env file's lock; if the name would differ from the title's (the .env changed
//   since the menu opened), nothing is done and the user is told. The key is stored and read back first; the
//   source changes only if the document is still the text the plan was made on, so undo reverts the code and the
//   key stays stored.
import * as vscode from 'vscode';
import { StoreRefusedError, openEnvDestination, withDestinationLock, type KeyDestination } from '../core/fixes/destination';
import { mergeEdits } from '../core/fixes/edits';
import { fixLanguageFor } from '../core/fixes/languages';
import type { KnownGitState } from '../core/fixes/platform';
import { planFixes, type FixMode, type FixesPlan, type NameConflictChoice } from '../core/fixes/plan';
import { addSuppressionComment, assignedNameAt, variableNameFor } from '../core/fixes/rewrite';
import { describeCredential } from '../core/credentials';
import { formatMessage } from '../core/messages';
import { ruleDocsUrl } from '../core/rules';
import { renamePublicVariable, renamePublicVariableEdits } from '../core/fixes/rewrite';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnosticComputer';
import { openSecretStorageDestination, rangeOf, type FixPlace, type FixPlaces } from './fixAdapters';
import type { GitHistory } from './gitHistory';
import { rotateActionFor } from './historyKeyActions';
import type { KeyVault } from './keyVault';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('anthropicKeyHygiene');
/** How long a git answer about an env file serves the code action menu. */
const TRACKED_CACHE_MS = 3000;

/** The arguments of anthropicKeyHygiene.applyKeyFix (a fix that stores keys runs as a command: the key is written
 * and read back before any edit). */
export interface KeyFixArgs {
  uri: vscode.Uri;
  ranges: vscode.Range[];
  mode: FixMode;
  destination: 'env-file' | 'secret-storage';
  onNameTaken?: NameConflictChoice;
  /** The variables the action's title promised, in key order; applying refuses if the plan now differs. */
  expected?: string[];
  /** Say nothing on success (source.fixAll on save). */
  quiet?: boolean;
}

interface KeySite {
  start: number;
  end: number;
}

export interface KeyFixDependencies {
  /** Where a document's .env fixes write (the Node build: disk and git; the web build: workspace.fs). */
  places: FixPlaces;
  vault: KeyVault;
  /** What git history knows: a key already committed gets "Rotate this key" first. */
  history?: GitHistory;
}

const t = (template: string, args: Record<string, string>) => vscode.l10n.t(template, args);

export class KeyFixProvider implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly dependencies: KeyFixDependencies) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    const wantsFixAll = context.only !== undefined && context.only.intersects(FIX_ALL_KIND) && !context.only.intersects(vscode.CodeActionKind.QuickFix);
    if (wantsFixAll) return this.fixAllAction(document);
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      switch (ruleIdOf(diagnostic)) {
        case 'hardcoded-key': {
          // A key already in a commit must be rotated; moving it is second.
          const rotate = this.dependencies.history && rotateActionFor(this.dependencies.history, document, diagnostic);
          const keyActions = await this.keyActions(document, diagnostic);
          if (rotate) {
            // VS Code lists the preferred fix first: for a key already committed, that is rotating it.
            rotate.isPreferred = true;
            for (const action of keyActions) action.isPreferred = false;
            actions.push(rotate);
          }
          actions.push(...keyActions);
          break;
        }
        case 'unignored-env-file':
          actions.push(commandAction(vscode.l10n.t('Add {0} to .gitignore', baseName(document.uri)), diagnostic, 'anthropicKeyHygiene.addToGitignore', [{ uri: document.uri }], true));
          break;
        case 'tracked-env-file':
          if (vscode.workspace.isTrusted) {
            actions.push(commandAction(vscode.l10n.t('Stop tracking {0} (git rm --cached)', baseName(document.uri)), diagnostic, 'anthropicKeyHygiene.stopTracking', [{ uri: document.uri }], true));
          }
          break;
        case 'client-exposed-key':
          actions.push(...exposureActions(document, diagnostic));
          break;
      }
    }
    return actions;
  }

  private async keyActions(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const site = siteOf(document, diagnostic.range);
    if (!site) return [];
    const actions: vscode.CodeAction[] = [];
    const add = (title: string, args: Omit<KeyFixArgs, 'uri' | 'ranges'>, preferred = false) => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.command = { command: 'anthropicKeyHygiene.applyKeyFix', title, arguments: [{ uri: document.uri, ranges: [diagnostic.range], ...args } satisfies KeyFixArgs] };
      action.diagnostics = [diagnostic];
      action.isPreferred = preferred;
      actions.push(action);
    };
    // A notebook cell's path is its notebook's, so the .env lands beside the notebook.
    const place = this.dependencies.places.locate(document.uri);
    if (place) {
      const destination = await this.previewEnvDestination(place);
      if ('disabled' in destination) {
        const action = new vscode.CodeAction(vscode.l10n.t('Move key to .env'), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.disabled = { reason: destination.disabled };
        actions.push(action);
      } else {
        this.envActions(document, site, destination, add);
      }
    }
    const secretAction = await this.secretStorageAction(document, site);
    if (secretAction) add(secretAction.title, secretAction.args);
    const suppression = addSuppressionComment(document.getText(), site.start, fixLanguageFor(document.fileName, document.languageId), {
      fileName: document.fileName,
      languageId: document.languageId,
    });
    if (suppression) {
      const action = new vscode.CodeAction(vscode.l10n.t('Ignore this key here (anthropic-key-hygiene-ignore)'), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of suppression.edits) action.edit.replace(document.uri, rangeOf(document, edit), edit.newText);
      actions.push(action);
    }
    return actions;
  }

  /** The env actions this key can have, each titled from its own plan. */
  private envActions(document: vscode.TextDocument, site: KeySite, destination: KeyDestination, add: (title: string, args: Omit<KeyFixArgs, 'uri' | 'ranges'>, preferred?: boolean) => void): void {
    const plan = (mode: FixMode, onNameTaken: NameConflictChoice) => planFor(document, [site], mode, destination, onNameTaken);
    const fixed = (result: FixesPlan) => result.sources[0]?.fixed[0];
    const wanted = wantedVariable(document, site);
    const base = { destination: 'env-file' as const };

    const lookup = fixed(plan('env-lookup', 'new-name'));
    if (lookup) {
      const variable = lookup.variable;
      const expected = [variable];
      if (lookup.rewrite === 'redaction') {
        add(t('Move key to .env as {variable} and redact it here', { variable }), { ...base, mode: 'env-lookup', onNameTaken: 'new-name', expected }, true);
      } else if (variable === wanted) {
        add(t('Move key to .env and read it from {variable}', { variable }), { ...base, mode: 'env-lookup', onNameTaken: 'new-name', expected }, true);
      } else {
        add(t('Move key to .env as {variable} and read it from {variable} ({wanted} there holds another key)', { variable, wanted }), { ...base, mode: 'env-lookup', onNameTaken: 'new-name', expected }, true);
        const replacing = fixed(plan('env-lookup', 'replace'));
        const previous = plan('env-lookup', 'replace').entries.find((entry) => entry.name === wanted)?.replaces?.previousName;
        if (replacing && previous) {
          add(t('Move key to .env, replacing {wanted} there (its old value kept as {previous}), and read it from {wanted}', { wanted, previous }), {
            ...base,
            mode: 'env-lookup',
            onNameTaken: 'replace',
            expected: [wanted],
          });
        }
      }
    } else {
      // No lookup in this file type (JSON, YAML, …): the key can still leave it, replaced by its hint.
      const redacted = fixed(plan('redact', 'new-name'));
      if (redacted) {
        add(t('Move key to .env as {variable} and redact it here (this file type has no environment lookup: load {variable} in your code)', { variable: redacted.variable }), {
          ...base,
          mode: 'redact',
          onNameTaken: 'new-name',
          expected: [redacted.variable],
        }, true);
      }
    }

    // The SDKs read ANTHROPIC_API_KEY themselves: the option can go, if that name holds (or will hold) this key.
    const option = planFor(document, [site], 'remove-api-key-option', destination, 'new-name');
    const python = fixLanguageFor(document.fileName, document.languageId) === 'python';
    if (fixed(option)) {
      add(python ? vscode.l10n.t('Move key to .env and remove the api_key argument (the SDK reads ANTHROPIC_API_KEY)') : vscode.l10n.t('Move key to .env and remove the apiKey option (the SDK reads ANTHROPIC_API_KEY)'), {
        ...base,
        mode: 'remove-api-key-option',
        onNameTaken: 'new-name',
        expected: ['ANTHROPIC_API_KEY'],
      });
    } else if (option.sources[0]?.needsHuman[0]?.reason === 'sdk-variable-taken') {
      const replacing = planFor(document, [site], 'remove-api-key-option', destination, 'replace');
      const previous = replacing.entries[0]?.replaces?.previousName;
      if (fixed(replacing) && previous) {
        const args = { ...base, mode: 'remove-api-key-option' as const, onNameTaken: 'replace' as const, expected: ['ANTHROPIC_API_KEY'] };
        add(
          python
            ? t('Move key to .env, replacing ANTHROPIC_API_KEY there (its old value kept as {previous}), and remove the api_key argument', { previous })
            : t('Move key to .env, replacing ANTHROPIC_API_KEY there (its old value kept as {previous}), and remove the apiKey option', { previous }),
          args,
        );
      }
    }
  }

  private async secretStorageAction(document: vscode.TextDocument, site: KeySite): Promise<{ title: string; args: Omit<KeyFixArgs, 'uri' | 'ranges'> } | undefined> {
    const destination = await openSecretStorageDestination(this.dependencies.vault, wantedVariable(document, site));
    const lookup = planFor(document, [site], 'env-lookup', destination, 'new-name').sources[0]?.fixed[0];
    // Secret Storage only makes sense where the code can read the variable back.
    if (!lookup || lookup.rewrite !== 'lookup') return undefined;
    return {
      title: t('Store key in Secret Storage and read it from {variable}', { variable: lookup.variable }),
      args: { destination: 'secret-storage', mode: 'env-lookup', onNameTaken: 'new-name', expected: [lookup.variable] },
    };
  }

  /** The document's env destination as it is now, or why no key can go there. */
  private async previewEnvDestination(place: FixPlace): Promise<KeyDestination | { disabled: string }> {
    if (place.needsTrust && !vscode.workspace.isTrusted) {
      return { disabled: vscode.l10n.t('Git may not run in an untrusted workspace, so whether .env is tracked is unknown. Trust the workspace, or store the key in Secret Storage.') };
    }
    try {
      const envPath = await this.dependencies.places.envFileFor(place);
      const shown = vscode.workspace.asRelativePath(place.uriOf(envPath));
      const state = await this.envFileState(place, envPath);
      // A tracked env file would commit every key put in it: the fix would refuse, so it is not offered.
      if (state.tracked) {
        return { disabled: vscode.l10n.t('{0} is tracked by git, so keys kept there would be committed. Stop tracking it first.', shown) };
      }
      const destination = await openEnvDestination(envPath, { platform: place.platform, root: place.root });
      // Without git (the browser), an env file that exists and no rule ignores may already be committed: the store
      // would refuse it (destination.ts), so the fix is not offered.
      if (place.platform.trackingNeverKnown && destination.before !== undefined && !state.ignored) {
        return {
          disabled: vscode.l10n.t(
            'Whether git tracks {0} cannot be known in VS Code for the Web, and no .gitignore rule covers it, so it may already be committed. Add it to .gitignore once you know it is not tracked, or store the key in Secret Storage.',
            shown,
          ),
        };
      }
      return destination;
    } catch (error) {
      return { disabled: (error as Error).message };
    }
  }

  /**
   * What git says of the env file, asked at most every few seconds per file: VS Code asks for code actions on every
   * cursor move over a diagnostic, and each answer costs two git processes. Applying asks git again, always.
   */
  private async envFileState(place: FixPlace, envPath: string): Promise<KnownGitState> {
    // Without git (the web build) the answer is a few reads of .gitignore files, and changes with the fixes' own
    // .gitignore lines: asked every time.
    if (place.platform.trackingNeverKnown) return place.platform.gitState(envPath);
    const now = Date.now();
    const cached = this.stateCache.get(envPath);
    if (cached && now - cached.at < TRACKED_CACHE_MS) return cached.state;
    const state = place.platform.gitState(envPath);
    this.stateCache.set(envPath, { at: now, state });
    // A failed answer is not kept: the next menu asks again.
    state.catch(() => this.stateCache.delete(envPath));
    return state;
  }

  private readonly stateCache = new Map<string, { at: number; state: Promise<KnownGitState> }>();

  private fixAllAction(document: vscode.TextDocument): vscode.CodeAction[] {
    if (!this.dependencies.places.locate(document.uri)) return [];
    const ranges = vscode.languages
      .getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && ruleIdOf(diagnostic) === 'hardcoded-key')
      .map((diagnostic) => diagnostic.range);
    if (ranges.length === 0) return [];
    const title = vscode.l10n.t('Move every key in this file to .env');
    const action = new vscode.CodeAction(title, FIX_ALL_KIND);
    action.command = {
      command: 'anthropicKeyHygiene.applyKeyFix',
      title,
      arguments: [{ uri: document.uri, ranges, mode: 'env-lookup', destination: 'env-file', onNameTaken: 'new-name', quiet: true } satisfies KeyFixArgs],
    };
    return [action];
  }

  /**
   * Stores the keys at `ranges` and rewrites the document, re-planned now under the destination's lock. Returns
   * false, changing no source, when a step failed or the plan no longer matches the title the user chose.
   */
  async applyKeyFix(args: KeyFixArgs): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(args.uri);
    const version = document.version;
    const sites = args.ranges.map((range) => siteOf(document, toRange(range))).filter((site): site is KeySite => site !== undefined);
    if (sites.length === 0) return false;
    const planAndStore = async (destination: KeyDestination): Promise<{ refused: string } | { source: FixesPlan['sources'][number] }> => {
      const plan = planFor(document, sites, args.mode, destination, args.onNameTaken ?? 'new-name');
      const source = plan.sources[0];
      if (!source || source.fixed.length === 0) {
        const reason = source?.needsHuman[0];
        return { refused: reason ? formatMessage({ id: `fix.${reason.reason}`, args: reason.reason === 'sdk-variable-taken' ? { variable: 'ANTHROPIC_API_KEY' } : {} }, t) : vscode.l10n.t('There is no key to fix here any more.') };
      }
      if (args.expected && !args.expected.every((name, index) => source.fixed[index]?.variable === name)) {
        return { refused: vscode.l10n.t('{0} changed since the fix was offered, so nothing was done. Open the quick fixes again.', destination.label) };
      }
      if (document.version !== version) return { refused: vscode.l10n.t('The document changed while the fix was prepared, so nothing was done.') };
      await destination.store(plan.entries);
      return { source };
    };
    let outcome: Awaited<ReturnType<typeof planAndStore>>;
    try {
      if (args.destination === 'secret-storage') {
        outcome = await planAndStore(await openSecretStorageDestination(this.dependencies.vault, wantedVariable(document, sites[0])));
      } else {
        const place = this.dependencies.places.locate(document.uri);
        if (!place) throw new StoreRefusedError('unsafe-path', '.env', vscode.l10n.t('This document is not a file on disk, so there is no .env beside it; store the key in Secret Storage instead.'));
        if (place.needsTrust && !vscode.workspace.isTrusted) throw new StoreRefusedError('tracking-unknown', '.env', vscode.l10n.t('Trust this workspace to store keys in .env: git must say whether the file is tracked.'));
        const envPath = await this.dependencies.places.envFileFor(place);
        const destination = { platform: place.platform, root: place.root };
        // The fix may add a .gitignore line: the next menu asks git again rather than show what it said before.
        this.stateCache.delete(envPath);
        outcome = await withDestinationLock(envPath, destination, async () => planAndStore(await openEnvDestination(envPath, destination)));
      }
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The key was not stored, and the file was left unchanged: {0}', (error as Error).message));
      return false;
    }
    if ('refused' in outcome) {
      void vscode.window.showWarningMessage(outcome.refused);
      return false;
    }
    // The key is stored; the document must still be the text the edits were planned on.
    if (document.version !== version) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The key is stored, but the document changed meanwhile, so it was not rewritten. Apply the fix again.'));
      return false;
    }
    const edits = mergeEdits(outcome.source.edits) ?? outcome.source.edits;
    const edit = new vscode.WorkspaceEdit();
    for (const change of edits) edit.replace(document.uri, rangeOf(document, change), change.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied && args.destination === 'secret-storage' && !args.quiet) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stored {0} in Secret Storage. Run "Use Stored Key in Terminals" so programs started from VS Code can read it.', outcome.source.fixed.map((key) => key.hint).join(', ')),
      );
    }
    return applied;
  }
}

/** Plans the fix of `sites` in `document` against `destination`. */
function planFor(document: vscode.TextDocument, sites: readonly KeySite[], mode: FixMode, destination: KeyDestination, onNameTaken: NameConflictChoice): FixesPlan {
  return planFixes([{ path: document.uri.fsPath || document.fileName, text: document.getText(), languageId: document.languageId, keys: sites, mode }], {
    includeLowConfidence: true,
    stored: destination.stored,
    onNameTaken,
  });
}

/** The variable a key would be read from if its name were free: the kind's default or the name it is assigned to. */
function wantedVariable(document: vscode.TextDocument, site: KeySite): string {
  const text = document.getText();
  const verdict = describeCredential(text.slice(site.start, site.end));
  return variableNameFor(verdict?.kind ?? 'other-token', assignedNameAt(text, site.start));
}

function exposureActions(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const name = document.getText(diagnostic.range);
  const rename = renamePublicVariableEdits(document.getText(), name);
  if (rename) {
    // The title is built here, not taken from core's English plan title, so that it is translated.
    const title = vscode.l10n.t('Rename {0} to {1} (server-only)', name, renamePublicVariable(name) ?? name);
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of rename.edits) action.edit.replace(document.uri, rangeOf(document, edit), edit.newText);
    actions.push(action);
  }
  actions.push(commandAction(vscode.l10n.t('Learn how to call Anthropic from a server instead'), diagnostic, 'vscode.open', [vscode.Uri.parse(ruleDocsUrl('client-exposed-key'))]));
  return actions;
}

function commandAction(title: string, diagnostic: vscode.Diagnostic, command: string, args: unknown[], preferred = false): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  action.command = { command, title, arguments: args };
  return action;
}

/** The key at `range`, if it still is one (the document may have changed since the diagnostic). */
function siteOf(document: vscode.TextDocument, range: vscode.Range): KeySite | undefined {
  if (!describeCredential(document.getText(range))) return undefined;
  return { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

/** Command arguments arrive as plain objects when a command is run from elsewhere (a test, a keybinding). */
function toRange(range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** The documents the Node build offers fixes on; the web build passes its own (its files have URIs of other schemes). */
const NODE_DOCUMENTS: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-notebook-cell' }];

export function registerKeyFixes(dependencies: KeyFixDependencies, documents: vscode.DocumentSelector = NODE_DOCUMENTS): vscode.Disposable {
  const provider = new KeyFixProvider(dependencies);
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(documents, provider, {
      providedCodeActionKinds: KeyFixProvider.providedCodeActionKinds,
    }),
    vscode.commands.registerCommand('anthropicKeyHygiene.applyKeyFix', (args: KeyFixArgs) => provider.applyKeyFix(args)),
    // The earlier command, kept for keybindings and scripts: the Secret Storage fix of one key.
    vscode.commands.registerCommand('anthropicKeyHygiene.moveKeyToSecretStorage', (args: { uri: vscode.Uri; range: vscode.Range; name?: string }) =>
      provider.applyKeyFix({ uri: args.uri, ranges: [args.range], mode: 'env-lookup', destination: 'secret-storage', onNameTaken: 'new-name', ...(args.name ? { expected: [args.name] } : {}) }),
    ),
  );
}
