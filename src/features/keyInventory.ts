// What is known of every key, in one place: the organisation's API keys read through the Admin API (only when the
// user refreshes, never by itself), joined by hint with the keys stored here and the keys this workspace's files
// hold (src/core/admin/inventory.ts). The Anthropic Keys view shows it; a leaked key's diagnostic and the report
// look a key up in it (from the last read: no request); the usage watch reads when a leak was first seen.
//
// Decisions:
// - Requests only from refresh(), which only the view's Refresh button, the Refresh Keys command and the key status
//   commands call. Without an Admin key there is no request at all: the inventory lists the stored keys and the
//   keys found in files.
// - Files are read for hints only (never kept): hardcoded-key diagnostics of the whole workspace, and the .env files.
// - The files are looked at lazily: while the view is on screen (after each burst of finding changes), on refresh,
//   and before each poll of the usage watch; never on a keystroke otherwise.
// - When a hint is first seen in a hardcoded-key finding is remembered (globalState, hint → date), so the usage
//   watch can say that a leaked key was used after the leak was found. "First seen" is the first look after the
//   finding appeared: with the watch on, within one polling interval of it.
import * as vscode from 'vscode';
import { createAdminApi, type AdminApi, type AdminFailure } from '../core/admin/adminApi';
import { buildInventory, recordForHint, type FileSighting, type InventoryEntry, type OrganizationSnapshot, type OrgKeyFacts } from '../core/admin/inventory';
import type { OrgApiKey } from '../core/admin/records';
import { findCredentials } from '../core/credentials';
import { classifyEnvFileName } from '../core/envFiles';
import { keyHint } from '../core/hint';
import { isOurDiagnostic } from './diagnosticComputer';
import type { KeyVault } from './keyVault';
import { readKeyVaultSettings } from './settings';

const LEAK_FIRST_SEEN_KEY = 'anthropicKeyHygiene.leakFirstSeen';
const ENV_FILE_GLOB = '**/{.env,.env.*,*.env}';
const MAX_ENV_FILES = 500;
/** Hints remembered as leaked; the oldest are forgotten past this. */
const MAX_LEAKS_REMEMBERED = 500;

export type RefreshOutcome =
  | { ok: true; keys: number; adminKey: string }
  | { ok: false; reason: 'no-admin-key' | 'insecure-base-url' | 'failed'; message: string; failure?: AdminFailure };

/** The Admin API for the stored Admin key, with the configured base URL and timeout; undefined without one. */
export async function adminApiFor(vault: KeyVault): Promise<{ api: AdminApi; name: string } | undefined> {
  const admin = await vault.adminKey();
  if (!admin) return undefined;
  const settings = readKeyVaultSettings();
  return { api: createAdminApi(admin.secret, { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs }), name: admin.name };
}

export class KeyInventory implements vscode.Disposable {
  private snapshot: OrganizationSnapshot | undefined;
  private failure: string | undefined;
  private local: { inFiles: FileSighting[] } = { inFiles: [] };
  /** Hints seen in git history, once a history scan has run (issue 16); undefined: not scanned. */
  private historyHints: readonly string[] | undefined;
  private current: InventoryEntry[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private gathering: Promise<void> | undefined;
  private regatherTimer: ReturnType<typeof setTimeout> | undefined;
  /** Findings changed since the files were last looked at. */
  private stale = true;
  /** Whether the Anthropic Keys view is on screen: only then do finding changes trigger a look at the files. */
  private viewVisible = false;

  /** Fires when the entries may have changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly vault: KeyVault,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      vault.onDidChange(() => this.rebuild()),
      // Findings come and go as files are edited. The files are looked at again only while the view is shown (a
      // moment after a burst), or when the report, the watch or a refresh asks: typing never pays for it otherwise.
      vscode.languages.onDidChangeDiagnostics(() => {
        this.stale = true;
        if (this.viewVisible) this.scheduleGather();
      }),
    );
    this.rebuild();
  }

  dispose(): void {
    clearTimeout(this.regatherTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** The joined entries, as of the last read of the organisation and the last look at the files. */
  get entries(): readonly InventoryEntry[] {
    return this.current;
  }

  /** When the organisation was last read, and what went wrong the last time it was tried. */
  get organizationReadAt(): string | undefined {
    return this.snapshot?.readAt;
  }

  get lastFailure(): string | undefined {
    return this.failure;
  }

  /** The organisation record of a key, from the last read (no request); undefined when unknown or ambiguous. */
  recordForHint(hint: string): OrgKeyFacts | undefined {
    return recordForHint(this.current, hint)?.organization;
  }

  /** The record of an organisation key by id, from the last read. */
  orgKey(id: string): OrgApiKey | undefined {
    return this.snapshot?.keys.find((key) => key.id === id);
  }

  /** When this workspace first showed the key as leaked (epoch ms). */
  leakFirstSeen(hint: string): number | undefined {
    const seen = this.state.get<Record<string, string>>(LEAK_FIRST_SEEN_KEY, {})[hint];
    const time = seen ? Date.parse(seen) : NaN;
    return Number.isNaN(time) ? undefined : time;
  }

  /** Replaces one organisation record after a change made through the Admin API. */
  updateOrgKey(record: OrgApiKey): void {
    if (!this.snapshot) return;
    this.snapshot = { ...this.snapshot, keys: this.snapshot.keys.map((key) => (key.id === record.id ? record : key)) };
    this.rebuild();
  }

  /** The hints a git history scan found (issue 16's index); the view's "in git history" column reads them. */
  setHistoryHints(hints: readonly string[] | undefined): void {
    this.historyHints = hints;
    this.rebuild();
  }

  /** Marks a key's status after a change this extension made and confirmed (Rotate deactivating the old key). */
  markStatus(id: string, status: OrgApiKey['status']): void {
    const key = this.orgKey(id);
    if (key) this.updateOrgKey({ ...key, status });
  }

  /** Reads the organisation's keys, workspaces and users through the Admin API (the only place this happens). */
  async refresh(): Promise<RefreshOutcome> {
    await this.gather();
    const admin = await adminApiFor(this.vault);
    if (!admin) {
      this.snapshot = undefined;
      this.failure = undefined;
      this.rebuild();
      return { ok: false, reason: 'no-admin-key', message: vscode.l10n.t('No Admin key is stored: the view shows the keys stored in VS Code and found in this workspace only.') };
    }
    const keys = await admin.api.listApiKeys();
    if (!keys.ok) return this.failed(keys);
    // Names of workspaces and creators are a nicety: a key list without them is still worth showing.
    const [workspaces, users] = await Promise.all([admin.api.listWorkspaces(), admin.api.listUsers()]);
    this.snapshot = {
      keys: keys.value,
      workspaces: workspaces.ok ? workspaces.value : [],
      users: users.ok ? users.value : [],
      readAt: new Date().toISOString(),
    };
    this.failure = undefined;
    this.rebuild();
    return { ok: true, keys: keys.value.length, adminKey: admin.name };
  }

  private failed(failure: AdminFailure): RefreshOutcome {
    this.failure = failure.message;
    this.rebuild();
    return { ok: false, reason: failure.kind === 'refused' ? 'insecure-base-url' : 'failed', message: failure.message, failure };
  }

  /** Looks at the workspace's findings and .env files again (no request). */
  gather(): Promise<void> {
    this.gathering ??= this.readLocal().finally(() => {
      this.gathering = undefined;
    });
    return this.gathering;
  }

  /** Looks at the files again if findings changed since the last look. */
  async gatherIfStale(): Promise<void> {
    if (this.stale) await this.gather();
  }

  /** The view says whether it is on screen. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    if (visible && this.stale) this.scheduleGather();
  }

  private scheduleGather(): void {
    clearTimeout(this.regatherTimer);
    this.regatherTimer = setTimeout(() => void this.gather(), 500);
  }

  private async readLocal(): Promise<void> {
    this.stale = false;
    const inFiles: FileSighting[] = [];
    const leaked = new Set<string>();
    const texts = new Map<string, string | undefined>();
    const textOf = async (uri: vscode.Uri) => {
      if (!texts.has(uri.toString())) texts.set(uri.toString(), await readText(uri));
      return texts.get(uri.toString());
    };
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const keys = diagnostics.filter((diagnostic) => isOurDiagnostic(diagnostic, 'hardcoded-key'));
      if (keys.length === 0) continue;
      const text = await textOf(uri);
      if (text === undefined) continue;
      const lineStarts = lineStartsOf(text);
      for (const diagnostic of keys) {
        const start = (lineStarts[diagnostic.range.start.line] ?? 0) + diagnostic.range.start.character;
        const end = (lineStarts[diagnostic.range.end.line] ?? 0) + diagnostic.range.end.character;
        const hint = keyHint(text.slice(start, end));
        inFiles.push({ hint, file: vscode.workspace.asRelativePath(uri), line: diagnostic.range.start.line });
        leaked.add(hint);
      }
    }
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ENV_FILE_GLOB), '**/node_modules/**', MAX_ENV_FILES);
      for (const uri of uris) {
        if (classifyEnvFileName(uri.path.slice(uri.path.lastIndexOf('/') + 1)) !== 'env') continue;
        const text = await textOf(uri);
        if (text === undefined) continue;
        const lineStarts = lineStartsOf(text);
        for (const match of findCredentials(text)) {
          const line = upperBound(lineStarts, match.start) - 1;
          inFiles.push({ hint: keyHint(text.slice(match.start, match.end)), file: vscode.workspace.asRelativePath(uri), line });
        }
      }
    }
    this.local = { inFiles: dedupe(inFiles) };
    await this.rememberLeaks(leaked);
    this.rebuild();
  }

  private async rememberLeaks(hints: ReadonlySet<string>): Promise<void> {
    const seen = { ...this.state.get<Record<string, string>>(LEAK_FIRST_SEEN_KEY, {}) };
    let changed = false;
    for (const hint of hints) {
      if (seen[hint]) continue;
      seen[hint] = new Date().toISOString();
      changed = true;
    }
    if (!changed) return;
    const kept = Object.entries(seen)
      .sort((a, b) => b[1].localeCompare(a[1]))
      .slice(0, MAX_LEAKS_REMEMBERED);
    await this.state.update(LEAK_FIRST_SEEN_KEY, Object.fromEntries(kept));
  }

  private rebuild(): void {
    this.current = buildInventory({
      ...(this.snapshot ? { organization: this.snapshot } : {}),
      stored: this.vault.list().map(({ name, hint }) => ({ name, hint })),
      inFiles: this.local.inFiles,
      ...(this.historyHints ? { inHistory: this.historyHints } : {}),
      now: new Date(),
    });
    this.changeEmitter.fire();
  }
}

/**
 * The localised sentence for a leaked key's diagnostic and the report: "This key is ACTIVE: 'ci-prod' in workspace
 * Production, created by Jane Doe on 2025-06-01." (the English form is leakRecordSentence in core).
 */
export function describeLeakRecord(record: OrgKeyFacts): string {
  const status = statusWord(record.status).toUpperCase();
  const workspace = record.workspaceName ?? record.workspaceId;
  const creator = record.creatorName ?? record.creatorId;
  const date = record.createdAt.slice(0, 10);
  let text =
    workspace && creator
      ? vscode.l10n.t("This key is {0}: '{1}' in workspace {2}, created by {3} on {4}.", status, record.name, workspace, creator, date)
      : workspace
        ? vscode.l10n.t("This key is {0}: '{1}' in workspace {2}, created on {3}.", status, record.name, workspace, date)
        : vscode.l10n.t("This key is {0}: '{1}', created on {2}.", status, record.name, date);
  if (record.status === 'active') text += ' ' + vscode.l10n.t('Deactivate it now (Anthropic Keys view, or Deactivate Key), then rotate.');
  return text;
}

export function statusWord(status: OrgKeyFacts['status']): string {
  switch (status) {
    case 'active':
      return vscode.l10n.t('active');
    case 'inactive':
      return vscode.l10n.t('inactive');
    case 'archived':
      return vscode.l10n.t('archived');
    case 'expired':
      return vscode.l10n.t('expired');
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The number of entries of a sorted array that are ≤ value. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function dedupe(sightings: FileSighting[]): FileSighting[] {
  const seen = new Set<string>();
  return sightings.filter((sighting) => {
    const id = `${sighting.hint}\u0000${sighting.file}\u0000${sighting.line}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
