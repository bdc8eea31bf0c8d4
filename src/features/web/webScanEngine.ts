// The web build's side of the diagnostics (see ../scanBackend.ts): no git and no fs, only vscode.workspace.fs, which
// serves vscode.dev's local folders, github.dev's repositories (vscode-vfs:) and code-server's remote files alike.
//
// Decisions:
// - Files are keyed by URI (there are no paths to speak of in a browser) and listed by walking each workspace folder
//   with workspace.fs.readDirectory, applying the .gitignore files as git would (core/ignoreTree.ts, the matcher the
//   Node walk uses): an ignored folder is never entered, so node_modules costs one listing, not thousands of reads.
// - The rules come from the repository's top when the folder lies inside one (a `.git` above it), else from the
//   folder itself; .git/info/exclude is read when it can be. Git's global excludes file cannot be read here.
// - Whether git tracks a file cannot be known: the .env rules are judged by the ignore rules alone (a tracked .env is
//   never reported as such), and that is said once, in the status bar's tooltip and in the report (`limitation`).
// - Links are not followed and not read (workspace.fs cannot read a link itself); files over the size limit and
//   files that cannot be read are problems, said out loud, never counted as clean.
import * as vscode from 'vscode';
import { scanDecodedContents } from '../../core/contentScan';
import { envFileRule } from '../../core/envFiles';
import { createExcludeMatcher } from '../../core/excludes';
import { tooLargeReason } from '../../core/locatedFindings';
import { IgnoreTree, listUnignoredFiles, type TreeEntry } from '../../core/ignoreTree';
import type { DocumentGitState } from '../diagnosticComputer';
import type { DiagnosticsBackendFactory, DocumentStates, FolderScanResult, PathStateEntry, ScanEngine } from '../scanBackend';
import type { ScanProblem } from '../scanProblems';
import { excludeGlobs, type HygieneSettings } from '../settings';

/** Files read at once: each read is a round trip (to the remote, to GitHub). */
const READ_CONCURRENCY = 16;
/** How far up a folder may lie below its repository's top (a `.git` is looked for that many folders up). */
const MAX_REPOSITORY_DEPTH = 16;
/** Collects bursts of .gitignore changes into one refresh. */
const IGNORE_CHANGE_DEBOUNCE_MS = 250;

/** The schemes of documents that are checked but are not files of a folder. */
const OTHER_SCANNED_SCHEMES = new Set(['untitled', 'vscode-notebook-cell', 'vscode-userdata']);

/** The sentence said once, in the status bar's tooltip and the report. */
export function trackingUnknownSentence(): string {
  return vscode.l10n.t('Whether git tracks a file cannot be known in VS Code for the Web: .env files are judged by the .gitignore rules alone.');
}

async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/** A regular file's text, or undefined: git reads no rules from a link, a folder or a missing file. */
async function readRulesFile(uri: vscode.Uri): Promise<string | undefined> {
  const stat = await statOrUndefined(uri);
  if (!stat || stat.type !== vscode.FileType.File) return undefined;
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** The ignore rules of one workspace folder, rooted at its repository's top when it lies in one. */
interface FolderRules {
  /** The tree's root: the repository's top, or the folder. */
  top: vscode.Uri;
  tree: IgnoreTree;
  /** `uri` relative to `top`, `/`-separated; undefined when it is not below it. */
  relative(uri: vscode.Uri): string | undefined;
}

function relativePath(root: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return undefined;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  if (uri.path === root.path) return '';
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
}

/** The workspace's ignore rules, per folder, shared by the scan engine and the document states. */
export class WebIgnoreIndex {
  private readonly byFolder = new Map<string, Promise<FolderRules>>();

  /** An ignore file changed: read them all again when next asked. */
  forget(): void {
    this.byFolder.clear();
  }

  /** The folder's rules, as read when first asked (or since the last forget or refresh). */
  rulesFor(folder: vscode.WorkspaceFolder): Promise<FolderRules> {
    return this.byFolder.get(folder.uri.toString()) ?? this.refresh(folder);
  }

  /** The folder's rules read afresh, and kept for the next questions: a whole scan starts with them, so that what it
   * lists never depends on whether the watcher has reported an ignore file's change yet. */
  refresh(folder: vscode.WorkspaceFolder): Promise<FolderRules> {
    const rules = this.build(folder.uri);
    this.byFolder.set(folder.uri.toString(), rules);
    return rules;
  }

  private async build(folder: vscode.Uri): Promise<FolderRules> {
    const top = await repositoryTop(folder);
    const root = top ?? folder;
    const tree = new IgnoreTree(
      (path) => readRulesFile(vscode.Uri.joinPath(root, path, '.gitignore')),
      async () => (top ? [await readRulesFile(vscode.Uri.joinPath(top, '.git', 'info', 'exclude'))].filter((text): text is string => text !== undefined) : []),
    );
    return { top: root, tree, relative: (uri) => relativePath(root, uri) };
  }

  /** What the ignore rules say of a file (tracking is unknown here, and so reported as untracked). `fresh` reads
   * the ignore files again rather than use what was read before: a fix checks the line it has just added. */
  async stateOf(uri: vscode.Uri, fresh = false): Promise<DocumentGitState> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return { ignored: false, tracked: false };
    const rules = await (fresh ? this.build(folder.uri) : this.rulesFor(folder));
    const path = rules.relative(uri);
    if (path === undefined || path === '') return { ignored: false, tracked: false };
    return { ignored: await rules.tree.isIgnored(path, false), tracked: false };
  }
}

/** The folder holding `.git` at or above `folder`, if any (a worktree's `.git` is a file: it counts too). */
async function repositoryTop(folder: vscode.Uri): Promise<vscode.Uri | undefined> {
  let dir = folder;
  for (let depth = 0; depth < MAX_REPOSITORY_DEPTH; depth++) {
    if (await statOrUndefined(vscode.Uri.joinPath(dir, '.git'))) return dir;
    const parent = vscode.Uri.joinPath(dir, '..');
    if (parent.path === dir.path) return undefined;
    dir = parent;
  }
  return undefined;
}

function entryKind(type: vscode.FileType): TreeEntry['kind'] {
  if (type & vscode.FileType.SymbolicLink) return 'link';
  if (type & vscode.FileType.Directory) return 'folder';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export class WebScanEngine implements ScanEngine {
  constructor(
    private readonly index: WebIgnoreIndex,
    /** Which folders this engine scans: every one in the web build; in the Node build, those not on disk. */
    private readonly takes: (folder: vscode.WorkspaceFolder) => boolean = () => true,
  ) {}

  get limitation(): string {
    return trackingUnknownSentence();
  }

  keyOf(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder && this.takes(folder) ? uri.toString() : undefined;
  }

  uriOf(key: string): vscode.Uri {
    return vscode.Uri.parse(key);
  }

  handles(folder: vscode.WorkspaceFolder): boolean {
    return this.takes(folder);
  }

  async isFolder(uri: vscode.Uri): Promise<boolean> {
    const stat = await statOrUndefined(uri);
    return stat !== undefined && (stat.type & vscode.FileType.Directory) !== 0 && (stat.type & vscode.FileType.SymbolicLink) === 0;
  }

  async scanFolder(folder: vscode.WorkspaceFolder, settings: HygieneSettings, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<FolderScanResult> {
    const rules = await this.index.refresh(folder);
    const problems: ScanProblem[] = [];
    // The walk starts at the folder, with the rules of the folders above it down to its repository's top; paths are
    // relative to that top, exclude globs to the folder.
    const start = rules.relative(folder.uri) ?? '';
    const inFolder = (path: string) => (start === '' ? path : path.slice(start.length + 1));
    const excluded = createExcludeMatcher(excludeGlobs(folder, settings));
    const paths = await listUnignoredFiles(
      rules.tree,
      async (path) => {
        const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(rules.top, path));
        return entries.map(([name, type]) => ({ name, kind: entryKind(type) }));
      },
      {
        start,
        isExcluded: excluded ? (path) => excluded(inFolder(path)) : undefined,
        onProblem: (path, message) => problems.push({ path: vscode.Uri.joinPath(rules.top, path).toString(), message }),
        signal,
        concurrency: 8,
      },
    );
    const findings: FolderScanResult['findings'] = [];
    let done = 0;
    onProgress(0, paths.length);
    await inParallel(
      paths,
      READ_CONCURRENCY,
      async (path) => {
        const result = await this.scanOne(vscode.Uri.joinPath(rules.top, path), settings);
        if (result !== 'gone') {
          findings.push(...result.findings);
          problems.push(...result.problems);
        }
        onProgress(++done, paths.length);
      },
      signal,
    );
    return { findings, problems, repositories: [] };
  }

  async scanFile(uri: vscode.Uri, folder: vscode.WorkspaceFolder, settings: HygieneSettings): Promise<FolderScanResult | 'gone'> {
    const rules = await this.rulesFor(folder);
    const path = rules.relative(uri);
    // An ignored file is where keys belong: no findings, as the Node scan reports none for it.
    if (path !== undefined && (await rules.tree.isIgnored(path, false))) return { findings: [], problems: [], repositories: [] };
    return this.scanOne(uri, settings);
  }

  private rulesFor(folder: vscode.WorkspaceFolder): Promise<FolderRules> {
    return this.index.rulesFor(folder);
  }

  /** Reads and scans one file that the ignore rules do not cover. */
  private async scanOne(uri: vscode.Uri, settings: HygieneSettings): Promise<FolderScanResult | 'gone'> {
    const key = uri.toString();
    const stat = await statOrUndefined(uri);
    if (!stat) return 'gone';
    const failed = (message: string): FolderScanResult => ({ findings: [], problems: [{ path: key, message }], repositories: [] });
    if (stat.type & vscode.FileType.SymbolicLink || !(stat.type & vscode.FileType.File)) return { findings: [], problems: [], repositories: [] };
    if (stat.size > settings.maxFileSize) return failed(tooLargeReason(settings.maxFileSize));
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return 'gone';
      return failed(`could not be read: ${(error as Error).message}`);
    }
    const envRule = envFileRule(uri.path, { ignored: false, tracked: false });
    const result = scanDecodedContents(key, bytes, { includeLowConfidence: settings.reportLowConfidenceTokens }, envRule);
    return { findings: result.findings, problems: [], repositories: [] };
  }
}

/** What the .gitignore files say of each open document, asked once and kept until an ignore file changes. */
export class WebDocumentStates implements DocumentStates {
  private readonly entries = new Map<string, PathStateEntry>();
  private readonly everythingEmitter = new vscode.EventEmitter<void>();
  private readonly pathEmitter = new vscode.EventEmitter<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  readonly onDidChangeAll = this.everythingEmitter.event;
  readonly onDidChangePath = this.pathEmitter.event;

  constructor(private readonly index: WebIgnoreIndex) {}

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.everythingEmitter.dispose();
    this.pathEmitter.dispose();
  }

  get(key: string): PathStateEntry {
    return this.entries.get(key) ?? this.ask(key);
  }

  known(key: string) {
    return this.entries.get(key)?.answer;
  }

  requery(key: string): void {
    const known = this.known(key);
    if (known) this.ask(key, known);
    else this.entries.delete(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  noteGitStateChanged(): void {
    // Forgotten at once, so no question asked from now on gets the old rules; the refresh of everything shown waits
    // for the end of a burst (a checkout changes many .gitignore files).
    this.index.forget();
    this.entries.clear();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.everythingEmitter.fire(), IGNORE_CHANGE_DEBOUNCE_MS);
  }

  watchRepositories(): void {
    // No repository files to watch through workspace.fs: a .gitignore change is seen by the workspace watcher.
  }

  private ask(key: string, stale?: DocumentGitState): PathStateEntry {
    const entry: PathStateEntry = { query: this.index.stateOf(vscode.Uri.parse(key)), answer: stale };
    this.entries.set(key, entry);
    void entry.query.then((answer) => {
      entry.answer = answer;
      if (!stale || stale.ignored === answer.ignored) return;
      if (this.entries.get(key) === entry) this.pathEmitter.fire(key);
    });
    return entry;
  }
}

/** The web build's backend, over workspace.fs. `takes` limits it to some folders (the Node build: those not on disk). */
export function webDiagnosticsBackend(index: WebIgnoreIndex, takes?: (folder: vscode.WorkspaceFolder) => boolean): DiagnosticsBackendFactory {
  return () => {
    const engine = new WebScanEngine(index, takes);
    return {
      states: new WebDocumentStates(index),
      engine,
      scans: (uri) => OTHER_SCANNED_SCHEMES.has(uri.scheme) || engine.keyOf(uri) !== undefined,
    };
  };
}
