// "Show Key Hygiene Report": the checklist of src/core/report/checklist.ts for the workspace, in a webview,
// with the evidence behind each verdict and a button for its fix; "Export Key Hygiene Report" writes the same
// as Markdown (for a PR or an audit).
//
// Decisions:
// - The panel gathers the inputs (our diagnostics, the vault's metadata, the keys of .env files as hints, the
//   hook) and words the results; core only judges. No key ever reaches the webview or the Markdown, only
//   hints and locations.
// - The webview is untrusted: it renders with textContent only, and sends back indexes, never paths or
//   command ids. Links and buttons are looked up in what the panel last sent, and a button runs only a
//   command from FIX_COMMANDS.
// - It refreshes while open (diagnostics, the vault, settings), debounced: a workspace scan changes the
//   diagnostics of hundreds of files in a burst.
// - After each render, the webview posts `{ type: 'rendered', items: [{ id, verdict }] }` read back from its
//   DOM; the tests read that through the test API to prove what the user sees.
import * as vscode from 'vscode';
import { findCredentials } from '../core/credentials';
import { classifyEnvFileName } from '../core/envFiles';
import { keyHint } from '../core/hint';
import {
  evaluateChecklist,
  readsApiKeyVariable,
  type ChecklistId,
  type ChecklistInput,
  type ChecklistItem,
  type EnvFileKeys,
  type Evidence,
  type HookState,
  type ReportFinding,
  type Verdict,
} from '../core/report/checklist';
import type { RuleId } from '../core/findings';
import { DIAGNOSTIC_SOURCE, ruleIdOf } from './diagnosticComputer';
import type { GitHistory } from './gitHistory';
import type { KeyInventory } from './keyInventory';
import type { KeyVault } from './keyVault';
import { describeOrganizationEvidence, gatherProductionSecrets, leakRecordLines, organizationFix, organizationItemTitle } from './organizationChecks';
import type { UsageWatch } from './usageWatch';
import { readKeyVaultSettings, readSettings, SETTINGS_SECTION } from './settings';
import { NODE_ONLY_COMMANDS } from './web/nodeOnlyCommands';

export interface ReportArgs {
  /** Report on this folder only (path or URI); default: every workspace folder. */
  folder?: string | vscode.Uri;
  /** exportReport: false returns the Markdown without opening a document. Default true. */
  interactive?: boolean;
}

export interface RenderedVerdict {
  id: string;
  verdict: string;
}

/** Only when the extension's tests run: what the webview last rendered. */
export interface ReportTestApi {
  lastRendered(): readonly RenderedVerdict[] | undefined;
  /** Resolves with the next rendering for which `predicate` holds (or the last one, if it already does). */
  waitForRendered(predicate: (items: readonly RenderedVerdict[]) => boolean, timeoutMs?: number): Promise<readonly RenderedVerdict[]>;
}

/** Where the pre-commit hook is and whose it is (the Node build asks git: reportHook.ts). */
export type HookLookup = (roots: readonly vscode.Uri[]) => Promise<{ hook: HookState; hookPath?: string }>;

export interface ReportDependencies {
  /** The pre-commit hook's state; without it (the web build: no git) the item is unknown. */
  hookState?: HookLookup;
  /** Whether the workspace scan covered a folder as a whole (DiagnosticManager.scannedWholly); without it, every
   * folder on disk counts as scanned when the scope is the workspace. */
  scannedWholly?: (folder: vscode.Uri) => boolean;
  /** What cannot be known in this build (the web build: whether git tracks a file), said in the .env item. */
  limitation?: () => string | undefined;
  /** The web build: the items that need git say so, and offer no button for a command that is not available. */
  browser?: boolean;
  vault: KeyVault;
  extensionUri: vscode.Uri;
  /** The git history scan (Scan Git History); without it, "No key in git history" stays unknown. */
  history?: GitHistory;
  /** The organisation's keys as last read: a hardcoded key's record (issue 17). */
  inventory?: KeyInventory;
  /** The usage watch's state, for "usage monitoring" and "alerts" (issue 17). */
  usageWatch?: Pick<UsageWatch, 'current' | 'onDidChange'>;
}

/** The commands a button may run; anything else the webview asks for is ignored. */
const FIX_COMMANDS = new Set([
  'anthropicKeyHygiene.scanWorkspace',
  'anthropicKeyHygiene.fixAllInWorkspace',
  'anthropicKeyHygiene.ignoreEnvFiles',
  'anthropicKeyHygiene.storeKey',
  'anthropicKeyHygiene.rotateKey',
  'anthropicKeyHygiene.installPreCommitHook',
  'anthropicKeyHygiene.scanHistory',
  'anthropicKeyHygiene.rotateLeakedKey',
  'workbench.actions.view.problems',
  'workbench.action.openSettings',
]);

const ENV_FILE_GLOB = '**/{.env,.env.*,*.env}';
/** Files whose text may read ANTHROPIC_API_KEY: code and the configuration that passes variables on. */
const SOURCE_GLOB = '**/*.{ts,tsx,js,jsx,mjs,cjs,py,go,rb,java,kt,cs,php,rs,swift,sh,yml,yaml,toml}';
const SOURCE_EXCLUDE = '**/{node_modules,.git,dist,out,build,.venv,venv,vendor}/**';
/** Enough to know the variable is read, without reading a monorepo. */
const MAX_SOURCE_FILES = 2000;
const MAX_SOURCE_BYTES = 1024 * 1024;
const MAX_READERS_LISTED = 5;
const REFRESH_DELAY_MS = 300;

interface Link {
  uri: vscode.Uri;
  range: vscode.Range;
}

interface Fix {
  label: string;
  command: string;
  args: unknown[];
}

/** One item as shown: every text is already translated. */
export interface RenderedItem {
  id: ChecklistId;
  verdict: Verdict;
  title: string;
  evidence: string[];
  /** Labels of the links; their targets stay in the panel. */
  links: { label: string; index: number }[];
  fix?: Fix;
}

interface RenderedReport {
  scope: string;
  items: RenderedItem[];
  links: Link[];
}

export class KeyHygieneReport implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelFolder: vscode.Uri | undefined;
  private current: RenderedReport | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Renders requested while one is being gathered: only the latest one is shown. */
  private generation = 0;
  private rendered: RenderedVerdict[] | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedVerdict[]>();
  private readonly disposables: vscode.Disposable[] = [this.renderedEmitter];

  constructor(private readonly dependencies: ReportDependencies) {
    this.disposables.push(
      vscode.commands.registerCommand('anthropicKeyHygiene.showReport', (args?: ReportArgs) => this.show(args ?? {})),
      vscode.commands.registerCommand('anthropicKeyHygiene.exportReport', (args?: ReportArgs) => this.export(args ?? {})),
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleRefresh()),
      dependencies.vault.onDidChange(() => this.scheduleRefresh()),
      ...(dependencies.history ? [dependencies.history.onDidChange(() => this.scheduleRefresh())] : []),
      ...(dependencies.usageWatch ? [dependencies.usageWatch.onDidChange(() => this.scheduleRefresh())] : []),
      ...(dependencies.inventory ? [dependencies.inventory.onDidChange(() => this.scheduleRefresh())] : []),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION)) this.scheduleRefresh();
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  readonly testApi: ReportTestApi = {
    lastRendered: () => this.rendered,
    waitForRendered: (predicate, timeoutMs = 15000) =>
      new Promise((resolve, reject) => {
        if (this.rendered && predicate(this.rendered)) return resolve(this.rendered);
        const timer = setTimeout(() => {
          subscription.dispose();
          reject(new Error(`timed out waiting for the report to render; last rendered: ${JSON.stringify(this.rendered)}`));
        }, timeoutMs);
        const subscription = this.renderedEmitter.event((items) => {
          if (!predicate(items)) return;
          clearTimeout(timer);
          subscription.dispose();
          resolve(items);
        });
      }),
  };

  /** Opens (or reveals) the panel; returns the verdicts it shows. */
  private async show(args: ReportArgs): Promise<{ id: ChecklistId; verdict: Verdict }[]> {
    this.panelFolder = folderOf(args.folder);
    if (this.panel) {
      this.panel.reveal();
    } else {
      this.panel = this.createPanel();
    }
    const report = await this.refresh();
    return report ? report.items.map(({ id, verdict }) => ({ id, verdict })) : [];
  }

  private async export(args: ReportArgs): Promise<string> {
    const report = await this.build(folderOf(args.folder));
    const markdown = toMarkdown(report);
    if (args.interactive !== false) {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(document);
    }
    return markdown;
  }

  private createPanel(): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.dependencies.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('anthropicKeyHygiene.report', vscode.l10n.t('Key Hygiene Report'), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    panel.webview.html = this.html(panel.webview, media);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => {
        for (const subscription of subscriptions) subscription.dispose();
        this.panel = undefined;
        this.current = undefined;
      }),
    ];
    return panel;
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    // Web Crypto: the same in the Node build and in a browser worker.
    const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css'));
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js'));
    const csp = `default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${escapeHtml(vscode.l10n.t('Key Hygiene Report'))}</title>
</head>
<body>
<header>
<h1>${escapeHtml(vscode.l10n.t('Key Hygiene Report'))}</h1>
<p id="scope"></p>
<div class="toolbar">
<button id="refresh" class="secondary">${escapeHtml(vscode.l10n.t('Refresh'))}</button>
<button id="export" class="secondary">${escapeHtml(vscode.l10n.t('Export as Markdown'))}</button>
</div>
</header>
<main id="items" aria-live="polite"><p>${escapeHtml(vscode.l10n.t('Checking the workspace…'))}</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  private receive(message: unknown): void {
    if (message === null || typeof message !== 'object') return;
    const { type, index, items } = message as { type?: unknown; index?: unknown; items?: unknown };
    const report = this.current;
    if (type === 'ready' && report) {
      void this.post(report);
    } else if (type === 'refresh') {
      void this.refresh();
    } else if (type === 'export') {
      void this.export({ ...(this.panelFolder ? { folder: this.panelFolder } : {}) });
    } else if (type === 'open' && report && typeof index === 'number') {
      const link = report.links[index];
      if (link) void vscode.window.showTextDocument(link.uri, { selection: link.range, preview: false });
    } else if (type === 'fix' && report && typeof index === 'number') {
      const fix = report.items[index]?.fix;
      if (fix && FIX_COMMANDS.has(fix.command)) void vscode.commands.executeCommand(fix.command, ...fix.args);
    } else if (type === 'rendered' && Array.isArray(items)) {
      this.rendered = items
        .filter((item): item is RenderedVerdict => typeof item?.id === 'string' && typeof item?.verdict === 'string')
        .map(({ id, verdict }) => ({ id, verdict }));
      this.renderedEmitter.fire(this.rendered);
    }
  }

  private scheduleRefresh(): void {
    if (!this.panel) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<RenderedReport | undefined> {
    const generation = ++this.generation;
    const report = await this.build(this.panelFolder);
    // A newer refresh started while this one gathered its inputs: that one will be shown.
    if (generation !== this.generation || !this.panel) return report;
    this.current = report;
    await this.post(report);
    return report;
  }

  private post(report: RenderedReport): Thenable<boolean> | undefined {
    return this.panel?.webview.postMessage({
      type: 'report',
      scope: report.scope,
      items: report.items.map(({ id, verdict, title, evidence, links, fix }) => ({
        id,
        verdict,
        verdictLabel: verdictLabel(verdict),
        title,
        evidence,
        links,
        fixLabel: fix?.label,
      })),
    });
  }

  private async build(folder: vscode.Uri | undefined): Promise<RenderedReport> {
    const roots = folder ? [folder] : (vscode.workspace.workspaceFolders ?? []).map((workspaceFolder) => workspaceFolder.uri);
    const links: Link[] = [];
    const linkOf = new Map<ReportFinding, Link>();
    const findings: ReportFinding[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const root = roots.find((candidate) => isUnder(uri, candidate));
      if (!root) continue;
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        const ruleId = ruleIdOf(diagnostic) as RuleId | undefined;
        if (!ruleId) continue;
        const { start, end } = diagnostic.range;
        const finding: ReportFinding = { ruleId, file: displayPath(uri, root, roots), line: start.line, character: start.character, endLine: end.line, endCharacter: end.character };
        findings.push(finding);
        linkOf.set(finding, { uri, range: diagnostic.range });
      }
    }
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.character - b.character);

    const settings = readSettings(roots[0]);
    const hookState: HookLookup = this.dependencies.hookState ?? (async () => ({ hook: 'unknown' }));
    const [envFiles, filesReadingEnvKey, hook, productionSecrets] = await Promise.all([this.envFiles(roots), filesReadingKey(roots), hookState(roots), gatherProductionSecrets(roots)]);
    const scanned = this.dependencies.scannedWholly ?? ((root: vscode.Uri) => root.scheme === 'file');
    const input: ChecklistInput = {
      scanComplete: roots.length > 0 && settings.enable && settings.scope === 'workspace' && roots.every(scanned),
      findings,
      envFiles,
      storedKeys: this.dependencies.vault.list(),
      filesReadingEnvKey,
      rotationReminderDays: readKeyVaultSettings().rotationReminderDays,
      ...hook,
      history: this.dependencies.history?.checklistState(roots) ?? { state: 'not-scanned' },
      now: new Date(),
      productionSecrets,
      ...(this.dependencies.usageWatch ? { usageWatch: this.dependencies.usageWatch.current } : {}),
    };
    const items = evaluateChecklist(input).map((item) => renderItem(item, input, (finding) => {
      const link = linkOf.get(finding);
      if (!link) return undefined;
      links.push(link);
      return links.length - 1;
    }, folder));
    // What this build cannot know or do is said where it matters, once (issue 19).
    const limitation = this.dependencies.limitation?.();
    if (limitation) items.find((item) => item.id === 'env-files-ignored')?.evidence.push(limitation);
    if (this.dependencies.browser) for (const item of items) withoutNode(item);
    // A hardcoded key that is an organisation key: say which, and whether it still works (from the last read).
    const leaked = items.find((item) => item.id === 'no-hardcoded-keys');
    if (leaked && leaked.verdict === 'fail') {
      const locations = findings.filter((finding) => finding.ruleId === 'hardcoded-key').flatMap((finding) => linkOf.get(finding) ?? []);
      leaked.evidence.push(...(await leakRecordLines(this.dependencies.inventory, locations)));
    }
    const scope = roots.length === 0 ? vscode.l10n.t('No folder is open.') : roots.map((root) => root.fsPath).join(', ');
    return { scope, items, links };
  }

  /** Hints of the keys in every .env file (not templates) under the roots. */
  private async envFiles(roots: readonly vscode.Uri[]): Promise<EnvFileKeys[]> {
    const result: EnvFileKeys[] = [];
    for (const root of roots) {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, ENV_FILE_GLOB), '**/node_modules/**', 500);
      for (const uri of uris) {
        if (classifyEnvFileName(uri.path) !== 'env') continue;
        const text = await readText(uri);
        if (text === undefined) continue;
        const hints = findCredentials(text).map((match) => keyHint(text.slice(match.start, match.end)));
        result.push({ file: displayPath(uri, root, roots), hints });
      }
    }
    return result.sort((a, b) => a.file.localeCompare(b.file));
  }
}

function folderOf(folder: string | vscode.Uri | undefined): vscode.Uri | undefined {
  if (folder === undefined) return undefined;
  return typeof folder === 'string' ? vscode.Uri.file(folder) : folder;
}

function isUnder(uri: vscode.Uri, root: vscode.Uri): boolean {
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return false;
  const base = root.path.endsWith('/') ? root.path : root.path + '/';
  return uri.path.startsWith(base);
}

/** Relative to its root (which holds it: see isUnder); prefixed with the folder's name when several roots are shown. */
function displayPath(uri: vscode.Uri, root: vscode.Uri, roots: readonly vscode.Uri[]): string {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  const path = uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
  return roots.length > 1 ? `${root.path.split('/').pop()}/${path}` : path;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function filesReadingKey(roots: readonly vscode.Uri[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, SOURCE_GLOB), SOURCE_EXCLUDE, MAX_SOURCE_FILES);
    for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
      try {
        if ((await vscode.workspace.fs.stat(uri)).size > MAX_SOURCE_BYTES) continue;
      } catch {
        continue;
      }
      const text = await readText(uri);
      if (text !== undefined && readsApiKeyVariable(text)) found.push(displayPath(uri, root, roots));
      if (found.length >= MAX_READERS_LISTED) return found;
    }
  }
  return found;
}

function verdictLabel(verdict: Verdict): string {
  return verdict === 'pass' ? vscode.l10n.t('Pass') : verdict === 'fail' ? vscode.l10n.t('Fail') : vscode.l10n.t('Unknown');
}

function itemTitle(id: ChecklistId, input: ChecklistInput): string {
  switch (id) {
    case 'no-hardcoded-keys':
      return vscode.l10n.t('No hardcoded keys');
    case 'env-files-ignored':
      return vscode.l10n.t('Every .env file ignored and untracked');
    case 'keys-in-env-or-secret-storage':
      return vscode.l10n.t('Keys kept in environment variables or Secret Storage');
    case 'separate-keys-per-environment':
      return vscode.l10n.t('Separate keys per environment');
    case 'rotation':
      return vscode.l10n.t('Keys rotated within {0} days', input.rotationReminderDays);
    case 'no-browser-exposure':
      return vscode.l10n.t('No key exposed to browsers');
    case 'pre-commit-guard':
      return vscode.l10n.t('Pre-commit guard installed');
    case 'no-key-in-history':
      return vscode.l10n.t('No key in git history');
    default:
      return organizationItemTitle(id) ?? id;
  }
}

function describeEvidence(evidence: Evidence, id: ChecklistId): string[] {
  switch (evidence.kind) {
    case 'findings':
      return [
        id === 'no-hardcoded-keys'
          ? vscode.l10n.t('{0} hardcoded key(s) found.', evidence.findings.length)
          : id === 'no-browser-exposure'
            ? vscode.l10n.t('{0} key(s) readable by browser code.', evidence.findings.length)
            : vscode.l10n.t('{0} .env file(s) git would commit or already tracks.', evidence.findings.length),
      ];
    case 'not-scanned':
      return [vscode.l10n.t('The workspace has not been scanned as a whole (checking is off, limited to open files, or the workspace is virtual).')];
    case 'env-files':
      return [vscode.l10n.t('Checked: {0}.', evidence.files.join(', '))];
    case 'stored-keys':
      return [vscode.l10n.t('Stored in Secret Storage: {0}.', evidence.names.join(', '))];
    case 'code-reads-env':
      return [vscode.l10n.t('ANTHROPIC_API_KEY is read from the environment in: {0}.', evidence.files.join(', '))];
    case 'no-key-source':
      return [vscode.l10n.t('No key is stored in Secret Storage, and no code reads ANTHROPIC_API_KEY.')];
    case 'shared-key':
      return [vscode.l10n.t('The same key ({0}) is used for several environments: {1}.', evidence.hint, evidence.places.join(', '))];
    case 'environments':
      return [vscode.l10n.t('Keys seen for: {0}; none shared.', evidence.environments.join(', '))];
    case 'no-keys-known':
      return [vscode.l10n.t('No stored key or environment-specific .env key to judge by.')];
    case 'key-age':
      return [
        evidence.due
          ? vscode.l10n.t('{0}: stored {1} days ago, due for rotation.', evidence.name, evidence.days)
          : vscode.l10n.t('{0}: stored {1} days ago.', evidence.name, evidence.days),
      ];
    case 'reminders-off':
      return [vscode.l10n.t('Rotation reminders are off (anthropicKeyHygiene.rotationReminderDays is 0).')];
    case 'hook':
      switch (evidence.state) {
        case 'installed':
          return [vscode.l10n.t('The pre-commit hook is installed: {0}.', evidence.path ?? '')];
        case 'missing':
          return [vscode.l10n.t('No pre-commit hook: {0}.', evidence.path ?? '')];
        case 'foreign':
          return [vscode.l10n.t('A pre-commit hook is there, but it does not run the key check: {0}.', evidence.path ?? '')];
        case 'no-repository':
          return [vscode.l10n.t('The folder is not in a git repository.')];
        case 'unknown':
          return [vscode.l10n.t('The hook could not be checked (git is unavailable or the workspace is not trusted).')];
      }
      break;
    case 'history-not-scanned':
      return [vscode.l10n.t('The git history has not been scanned: run Scan Git History (or turn on anthropicKeyHygiene.history.scanOnStartup).')];
    case 'history-untrusted':
      return [vscode.l10n.t('Git history is not scanned in an untrusted workspace (it runs git).')];
    case 'history-incomplete':
      return [vscode.l10n.t('Part of the history could not be read (a shallow clone, a corrupt object, a file over the size limit), so it cannot be vouched for.')];
    case 'history-clean':
      return [vscode.l10n.t('No key in {0} commits.', evidence.commits)];
    case 'history-key': {
      const { key } = evidence;
      const where = key.path === '' ? vscode.l10n.t('its message') : key.path;
      if (key.rotatedAt) return [vscode.l10n.t('{0}: committed in {1} ({2}, {3}); rotated on {4}.', key.hint, key.commit, key.date, where, key.rotatedAt.slice(0, 10))];
      return [
        key.pushed
          ? vscode.l10n.t('{0}: committed in {1} ({2}, {3}) and pushed to {4}: rotate it.', key.hint, key.commit, key.date, where, key.pushedTo ?? '')
          : vscode.l10n.t('{0}: committed in {1} ({2}, {3}), not pushed yet: take it out of the unpushed commits, or rotate it.', key.hint, key.commit, key.date, where),
      ];
    }
    default:
      return describeOrganizationEvidence(evidence) ?? [];
  }
  return [];
}

function fixFor(item: ChecklistItem, input: ChecklistInput, folder: vscode.Uri | undefined): Fix | undefined {
  const scan: Fix = { label: vscode.l10n.t('Scan Workspace'), command: 'anthropicKeyHygiene.scanWorkspace', args: [] };
  const store: Fix = { label: vscode.l10n.t('Store API Key'), command: 'anthropicKeyHygiene.storeKey', args: [] };
  const problems: Fix = { label: vscode.l10n.t('Show Problems'), command: 'workbench.actions.view.problems', args: [] };
  if (item.verdict === 'pass') return undefined;
  switch (item.id) {
    case 'no-hardcoded-keys':
      return item.verdict === 'fail' ? { label: vscode.l10n.t('Fix All Hardcoded Keys'), command: 'anthropicKeyHygiene.fixAllInWorkspace', args: [] } : scan;
    case 'env-files-ignored':
      return item.verdict === 'fail' ? { label: vscode.l10n.t('Keep .env Files Out of Git'), command: 'anthropicKeyHygiene.ignoreEnvFiles', args: [] } : scan;
    case 'no-browser-exposure':
      return item.verdict === 'fail' ? problems : scan;
    case 'keys-in-env-or-secret-storage':
    case 'separate-keys-per-environment':
      return store;
    case 'rotation': {
      const due = item.evidence.find((evidence) => evidence.kind === 'key-age' && evidence.due);
      if (due?.kind === 'key-age') return { label: vscode.l10n.t('Rotate {0}', due.name), command: 'anthropicKeyHygiene.rotateKey', args: [{ name: due.name }] };
      return input.storedKeys.length === 0 ? store : undefined;
    }
    case 'no-key-in-history': {
      const open = item.evidence.find((evidence) => evidence.kind === 'history-key' && !evidence.key.rotatedAt);
      if (open?.kind === 'history-key') return { label: vscode.l10n.t('Rotate {0}', open.key.hint), command: 'anthropicKeyHygiene.rotateLeakedKey', args: [{ hint: open.key.hint }] };
      if (item.evidence.some((evidence) => evidence.kind === 'history-untrusted')) return undefined;
      return { label: vscode.l10n.t('Scan Git History'), command: 'anthropicKeyHygiene.scanHistory', args: folder ? [{ folder: folder.fsPath }] : [] };
    }
    case 'pre-commit-guard':
      return item.verdict === 'fail'
        ? { label: vscode.l10n.t('Install Pre-commit Hook'), command: 'anthropicKeyHygiene.installPreCommitHook', args: folder ? [{ folder: folder.fsPath }] : [] }
        : undefined;
    default:
      return organizationFix(item);
  }
}

function renderItem(item: ChecklistItem, input: ChecklistInput, addLink: (finding: ReportFinding) => number | undefined, folder: vscode.Uri | undefined): RenderedItem {
  const links: { label: string; index: number }[] = [];
  for (const evidence of item.evidence) {
    if (evidence.kind !== 'findings') continue;
    for (const finding of evidence.findings) {
      const index = addLink(finding);
      if (index !== undefined) links.push({ label: `${finding.file}:${finding.line + 1}:${finding.character + 1}`, index });
    }
  }
  const fix = fixFor(item, input, folder);
  return {
    id: item.id,
    verdict: item.verdict,
    title: itemTitle(item.id, input),
    evidence: item.evidence.flatMap((evidence) => describeEvidence(evidence, item.id)),
    links,
    ...(fix ? { fix } : {}),
  };
}

/**
 * In the web build, the items that need git (the hook, the history) say so instead of suggesting what cannot run
 * there, and no item offers a button for a command the web build does not have (src/features/web/nodeOnlyCommands.ts).
 */
function withoutNode(item: RenderedItem): void {
  if (item.id === 'pre-commit-guard' || item.id === 'no-key-in-history') {
    item.evidence = [
      item.id === 'pre-commit-guard'
        ? vscode.l10n.t('Git hooks cannot be checked or installed in VS Code for the Web: check them in desktop VS Code or a remote window.')
        : vscode.l10n.t('Git history cannot be read in VS Code for the Web: scan it in desktop VS Code, or with the CLI (npx anthropic-key-hygiene scan --history).'),
    ];
  }
  if (item.fix && item.fix.command in NODE_ONLY_COMMANDS) {
    // The keys are fixed file by file here (their quick fixes): the Problems panel lists them.
    if (item.id === 'no-hardcoded-keys') item.fix = { label: vscode.l10n.t('Show Problems'), command: 'workbench.actions.view.problems', args: [] };
    else delete item.fix;
  }
}

const VERDICT_MARK: Record<Verdict, string> = { pass: '✅', fail: '❌', unknown: '❔' };

/** The report as Markdown: a summary table, then each item's evidence. Hints and locations only. */
function toMarkdown(report: RenderedReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# ${vscode.l10n.t('Key Hygiene Report')}`,
    '',
    vscode.l10n.t('Workspace: {0}', report.scope),
    vscode.l10n.t('Generated: {0}', new Date().toISOString()),
    '',
    `| ${vscode.l10n.t('Check')} | ${vscode.l10n.t('Verdict')} | id |`,
    '| --- | --- | --- |',
    ...report.items.map((item) => `| ${cell(item.title)} | ${VERDICT_MARK[item.verdict]} ${verdictLabel(item.verdict)} | \`${item.id}\`: ${item.verdict} |`),
    '',
  ];
  for (const item of report.items) {
    lines.push(`## ${VERDICT_MARK[item.verdict]} ${item.title}`, '');
    for (const text of item.evidence) lines.push(`- ${text}`);
    for (const link of item.links) lines.push(`  - \`${link.label}\``);
    if (item.fix) lines.push('', vscode.l10n.t('Fix: {0}', item.fix.label));
    lines.push('');
  }
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
