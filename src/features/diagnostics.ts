// Owns the diagnostic collection and decides when to compute (markdown-language-features' DiagnosticManager):
// open documents are rescanned live (debounced, generation-checked, a pasted key at once), every other file
// shows what the workspace scan found. Computing is DiagnosticComputer's, git state is the backend's
// DocumentStates', the workspace scan WorkspaceScanner's over the backend's ScanEngine, settings
// HygieneConfiguration's; this class only schedules and publishes. The Node build's backend asks git and reads with
// fs (nodeScanEngine.ts), the web build's reads through vscode.workspace.fs (web/webScanEngine.ts).
import * as vscode from 'vscode';
import { mayContainCredential } from '../core/credentials';
import type { BaselineAcceptance } from './baselineAcceptance';
import { DiagnosticComputer, ruleIdOf } from './diagnosticComputer';
import type { GitHistory } from './gitHistory';
import type { KeyInventory } from './keyInventory';
import type { DiagnosticsBackend, DiagnosticsBackendFactory, DocumentStates } from './scanBackend';
import { HygieneConfiguration, type FindingsConfiguration } from './settings';
import type { KeyCount } from './statusBar';
import { ScanProblems } from './scanProblems';
import { WorkspaceScanner } from './workspaceScanner';

/** How long typing must pause before a document is rescanned. */
const LIVE_DEBOUNCE_MS = 75;
/** Live results kept for the editor benchmark (change event → published, milliseconds). */
const LIVE_TIMINGS_KEPT = 100;

/**
 * Whether an edit inserts something that may be a key (a paste, a completion): that edit is scanned at once rather
 * than after the debounce. The debounce is for typing, where each keystroke would otherwise publish diagnostics;
 * a pasted key is what the user most needs to see flagged, and the scan itself takes microseconds.
 */
function insertsKeyCandidate(event: vscode.TextDocumentChangeEvent): boolean {
  return event.contentChanges.some((change) => mayContainCredential(change.text));
}

export class DiagnosticManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('anthropicKeyHygiene');
  private readonly configuration: FindingsConfiguration;
  private readonly computer: DiagnosticComputer;
  private readonly backend: DiagnosticsBackend;
  private readonly gitStates: DocumentStates;
  private readonly scanner: WorkspaceScanner;
  private readonly problems: ScanProblems;
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly liveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per document: bumped on every change, so a slow result for an older text is dropped. */
  private readonly liveGenerations = new Map<string, number>();
  private readonly countEmitter = new vscode.EventEmitter<KeyCount>();
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fires with the number of hardcoded keys in the workspace whenever it may have changed. */
  readonly onDidChangeKeyCount = this.countEmitter.event;
  /** Milliseconds from a change event to its diagnostics being published (debounce included), newest last. */
  readonly liveUpdateTimings: number[] = [];
  /** The debounce each of those updates waited for (0: at once, as for a paste), in the same order. */
  readonly liveUpdateDelays: number[] = [];

  constructor(
    createBackend: DiagnosticsBackendFactory,
    options: {
      configuration?: FindingsConfiguration;
      history?: GitHistory;
      inventory?: KeyInventory;
      /** The sentence on an organisation key's record (keyInventory.ts' describeLeakRecord), passed in so that the
       * web build, which has no inventory, does not load it. */
      describeRecord?: (record: NonNullable<ReturnType<KeyInventory['recordForHint']>>) => string;
      /** The repositories' baselines (baselineAcceptance.ts; the Node build only). */
      baseline?: BaselineAcceptance;
    } = {},
  ) {
    const ownConfiguration = options.configuration ?? new HygieneConfiguration();
    this.configuration = ownConfiguration;
    const { history, inventory, describeRecord, baseline } = options;
    this.computer = new DiagnosticComputer(
      ownConfiguration,
      (hint) => {
        const record = inventory?.recordForHint(hint);
        const note = history?.noteFor(hint);
        return [...(record && describeRecord ? [describeRecord(record)] : []), ...(note ? [note] : [])];
      },
      baseline ? (file, finding) => baseline.accepts(file, finding) : undefined,
    );
    this.problems = new ScanProblems();
    this.backend = createBackend(this.problems);
    this.gitStates = this.backend.states;
    this.scanner = new WorkspaceScanner(this.backend.engine, ownConfiguration, this.gitStates, this.problems);
    if (!options.configuration) this.disposables.push(ownConfiguration as HygieneConfiguration);
    // A history scan, a rotation or a new read of the organisation's keys changes what the keys' messages say:
    // republish, no rescan needed.
    if (history) this.disposables.push(history.onDidChange(() => this.republish()));
    if (inventory) this.disposables.push(inventory.onDidChange(() => this.republish()));
    if (baseline) this.disposables.push(baseline.onDidChange(() => this.republish()));
    this.disposables.push(
      this.problems,
      this.problems.onDidChange(() => this.fireCount()),
      this.gitStates,
      this.scanner,
      this.countEmitter,
      vscode.workspace.onDidOpenTextDocument((document) => this.scheduleLive(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.scheduleLive(event.document, insertsKeyCandidate(event) ? 0 : LIVE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.onClosed(document)),
      this.configuration.onDidChange(() => this.refreshAll()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refreshAll()),
      this.gitStates.onDidChangeAll(() => this.refreshAll()),
      this.gitStates.onDidChangePath((key) => {
        for (const document of vscode.workspace.textDocuments) if (this.backend.engine.keyOf(document.uri) === key) this.scheduleLive(document, 0);
      }),
      this.scanner.onDidUpdate((paths) => {
        for (const path of paths) this.publishScanned(path);
        this.fireCount();
      }),
    );
  }

  /** Starts everything: live results for open documents, then the workspace scan. */
  start(): void {
    // On the next turn, once activate() has returned: the first scans start git processes (a few ms each to
    // spawn here), which need not hold up the extension host's activation of other extensions.
    this.startTimer = setTimeout(() => {
      for (const document of vscode.workspace.textDocuments) this.scheduleLive(document, 0);
      // Unless the command that activated the extension was Scan Workspace itself.
      if (!this.scanner.started) void this.scanWorkspace(vscode.ProgressLocation.Window);
    }, 0);
  }

  /** Scans every workspace folder (the Scan Workspace command); resolves when the newest scan is done. */
  scanWorkspace(location: vscode.ProgressLocation): Promise<void> {
    return this.scanner.scan(location);
  }

  /** Whether the last workspace scan covered `folder` as a whole (the report's "scanned" input). */
  scannedWholly(folder: vscode.Uri): boolean {
    return this.scanner.folders.some((scanned) => scanned.toString() === folder.toString());
  }

  /** What cannot be known in this build (the web build: whether git tracks a file), for the report; else undefined. */
  get limitation(): string | undefined {
    return this.backend.engine.limitation;
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    clearTimeout(this.countTimer);
    for (const timer of this.liveTimers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Recomputes what is shown from what is known: open documents from their text, other files from the last scan. */
  private republish(): void {
    for (const document of vscode.workspace.textDocuments) this.scheduleLive(document, 0);
    for (const path of this.scanner.findings.keys()) this.publishScanned(path);
  }

  private refreshAll(): void {
    this.gitStates.clear();
    for (const document of vscode.workspace.textDocuments) this.scheduleLive(document, 0);
    void this.scanWorkspace(vscode.ProgressLocation.Window);
  }

  // ---- open documents -------------------------------------------------------------------------

  private scheduleLive(document: vscode.TextDocument, delay: number): void {
    if (!this.backend.scans(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.liveTimers.get(key));
    const generation = (this.liveGenerations.get(key) ?? 0) + 1;
    this.liveGenerations.set(key, generation);
    const scheduledAt = performance.now();
    const run = () => {
      this.liveTimers.delete(key);
      void this.updateLive(document, generation, scheduledAt, delay);
    };
    if (delay === 0) run();
    else this.liveTimers.set(key, setTimeout(run, delay));
  }

  private async updateLive(document: vscode.TextDocument, generation: number, scheduledAt: number, delay: number): Promise<void> {
    if (!this.configuration.current.enable) {
      this.collection.delete(document.uri);
      return;
    }
    const key = this.backend.engine.keyOf(document.uri);
    const entry = key === undefined ? undefined : this.gitStates.get(key);
    // A known state is used as it is (see GitPathStates); only an unknown one is awaited.
    const state = entry && (entry.answer ?? (await entry.query));
    if (this.liveGenerations.get(document.uri.toString()) !== generation || document.isClosed) return; // a newer text, or closed
    this.collection.set(document.uri, this.computer.forDocument(document, state));
    this.recordLiveUpdate(performance.now() - scheduledAt, delay);
    this.fireCount();
  }

  private recordLiveUpdate(ms: number, delay: number): void {
    this.liveUpdateTimings.push(ms);
    this.liveUpdateDelays.push(delay);
    if (this.liveUpdateTimings.length > LIVE_TIMINGS_KEPT) {
      this.liveUpdateTimings.shift();
      this.liveUpdateDelays.shift();
    }
  }

  private onClosed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.liveTimers.get(key));
    this.liveTimers.delete(key);
    this.liveGenerations.delete(key);
    // A closed file falls back to what the workspace scan knows of it (nothing in openFiles scope): at once, so the
    // closed document's own text (an edit that was never saved) is never shown after it (a rescan the scanner drops
    // because a whole scan started meanwhile would otherwise leave it standing), then from a rescan of the file.
    const settings = this.configuration.current;
    const fileKey = this.backend.engine.keyOf(document.uri);
    if (fileKey !== undefined && settings.scope === 'workspace' && settings.enable) {
      const known = this.scanner.findings.get(fileKey);
      if (known && known.length > 0) this.collection.set(document.uri, this.computer.forFileFindings(known));
      else this.collection.delete(document.uri);
      this.fireCount();
      void this.scanner.rescanFile(document.uri);
    } else {
      this.collection.delete(document.uri);
      this.fireCount();
    }
  }

  // ---- files that are not open ----------------------------------------------------------------

  /** Publishes scan results for a file unless it is open (open documents show their live results). */
  private publishScanned(key: string): void {
    const uri = this.backend.engine.uriOf(key);
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) return;
    const findings = this.scanner.findings.get(key);
    if (!findings || findings.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, this.computer.forFileFindings(findings));
  }

  /** Recounts soon rather than now: a burst of publishes (a scan, many deleted files) costs one count. */
  private fireCount(): void {
    if (this.countTimer) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      const count: KeyCount = { total: 0, errors: 0, problems: this.problems.count, ...(this.limitation ? { limitation: this.limitation } : {}) };
      this.collection.forEach((_uri, diagnostics) => {
        for (const diagnostic of diagnostics) {
          if (ruleIdOf(diagnostic) !== 'hardcoded-key') continue;
          count.total++;
          if (diagnostic.severity === vscode.DiagnosticSeverity.Error) count.errors++;
        }
      });
      this.countEmitter.fire(count);
    }, 50);
  }
}
