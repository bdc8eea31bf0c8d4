// The usage watch: the checklist's "usage monitoring" and "alerts for anomalies". Opt-in
// (`anthropicKeyHygiene.usageWatch.enabled`, machine scope, off by default), it reads the organisation's keys and
// their hourly usage through the Admin API, at most once per `usageWatch.intervalMinutes` (never less than 5), and
// says once, in a notification, when a key's usage departs from its own baseline, when a key this workspace shows
// as leaked is used after the leak was found, or when an inactive key is still used (src/core/admin/usageWatch.ts
// defines all three).
//
// Decisions:
// - It is the only thing that makes a request the user did not start, and only while switched on with an Admin key
//   stored; off, it holds no timer at all.
// - The first read covers the baseline's 7 days plus a day; later reads only the last 3 hours (usage data arrives
//   late, so the last hours are read and judged again), merged into the series kept in memory.
// - Each alert is said once: its id (kind, key, hour) is remembered, in memory and in globalState (the last 500),
//   so a reload does not repeat it.
import * as vscode from 'vscode';
import type { OrgApiKey } from '../core/admin/records';
import { HOUR_MS, alertId, hourlySeries, judgeUsage, type UsageAlert, type WatchedKey } from '../core/admin/usageWatch';
import type { UsageWatchState } from '../core/report/checklist';
import { adminApiFor, statusWord, type KeyInventory } from './keyInventory';
import type { KeyMessages } from './keyCommands';
import type { KeyVault } from './keyVault';
import { MIN_USAGE_WATCH_MINUTES, affectsUsageWatchSettings, readUsageWatchSettings } from './settings';

const SHOWN_KEY = 'anthropicKeyHygiene.usageWatch.shownAlerts';
const DISABLED_SINCE_KEY = 'anthropicKeyHygiene.usageWatch.disabledSince';
const MAX_SHOWN_REMEMBERED = 500;
/** Hours read on the first poll: the 168-hour baseline plus a day to judge. */
const FIRST_READ_HOURS = 8 * 24;
/** Hours read and judged again on every later poll. */
const RECENT_HOURS = 3;

export interface UsageWatchTestApi {
  /** Polls now, whatever the interval (tests only); resolves with the alerts said. */
  pollNow(now?: Date): Promise<UsageAlert[]>;
  readonly state: UsageWatchState;
  /** Whether a poll is scheduled. */
  readonly scheduled: boolean;
}

export class UsageWatch implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private series = new Map<string, Map<number, number>>();
  private keys: OrgApiKey[] = [];
  private lastPollAt = 0;
  private polling: Promise<UsageAlert[]> | undefined;
  private status: Omit<UsageWatchState, 'enabled' | 'adminKeyStored'> = { keysJudged: 0, keysLearning: 0, alertsRaised: 0 };
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Fires when the state the report shows may have changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly vault: KeyVault,
    private readonly inventory: KeyInventory,
    private readonly messages: KeyMessages,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsUsageWatchSettings(event)) this.reschedule();
      }),
      // An Admin key stored or removed switches the watch's ability on or off.
      vault.onDidChange(() => this.reschedule()),
    );
    this.reschedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const disposable of this.disposables) disposable.dispose();
  }

  get current(): UsageWatchState {
    return { enabled: readUsageWatchSettings().enabled, adminKeyStored: this.vault.hasAdminKey(), ...this.status };
  }

  /** Only when VS Code runs the extension's tests (extension.ts exports it then). */
  get testApi(): UsageWatchTestApi {
    const state = () => this.current;
    const scheduled = () => this.timer !== undefined;
    return {
      pollNow: (now) => this.poll(now ?? new Date()),
      get state() {
        return state();
      },
      get scheduled() {
        return scheduled();
      },
    };
  }

  /** Starts, moves or stops the timer after a settings or vault change; never polls sooner than the interval allows. */
  private reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const settings = readUsageWatchSettings();
    if (!settings.enabled || !this.vault.hasAdminKey()) {
      this.changeEmitter.fire();
      return;
    }
    const due = this.lastPollAt === 0 ? Date.now() : this.lastPollAt + settings.intervalMs;
    // At least a few seconds after activation or a settings change, so a burst of changes makes one poll.
    const delay = Math.max(5000, due - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll(new Date()).finally(() => this.reschedule());
    }, delay);
    this.changeEmitter.fire();
  }

  /** One read of the keys and their usage, judged; each new alert said once. */
  private poll(now: Date): Promise<UsageAlert[]> {
    this.polling ??= this.read(now).finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async read(now: Date): Promise<UsageAlert[]> {
    const minimumGap = MIN_USAGE_WATCH_MINUTES * 60 * 1000;
    // The floor holds even for pollNow after a poll: no faster than once per 5 minutes, whatever asks.
    // (A poll dated before the last one, a clock turned back, waits too.)
    if (this.lastPollAt !== 0 && now.getTime() - this.lastPollAt < minimumGap) return [];
    const admin = await adminApiFor(this.vault);
    if (!admin) return [];
    this.lastPollAt = now.getTime();
    const firstRead = this.series.size === 0 && this.status.lastReadAt === undefined;
    const hours = firstRead ? FIRST_READ_HOURS : RECENT_HOURS;
    const end = new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
    const start = new Date(end.getTime() - hours * HOUR_MS);
    const keys = await admin.api.listApiKeys();
    const usage = keys.ok ? await admin.api.readUsage(start, end) : undefined;
    if (!keys.ok || !usage?.ok) {
      const failure = !keys.ok ? keys : usage && !usage.ok ? usage : undefined;
      const message = failure?.message ?? vscode.l10n.t('The usage report could not be read.');
      // Said once, until a read succeeds again: a watch that silently stopped watching would be worse than none.
      if (this.status.lastError === undefined) {
        void this.messages.warn(vscode.l10n.t('The Anthropic usage watch could not read the usage report: {0} It tries again in {1} minutes.', message, Math.round(readUsageWatchSettings().intervalMs / 60000)));
      }
      this.status = { ...this.status, lastError: message };
      this.changeEmitter.fire();
      return [];
    }
    this.keys = keys.value;
    // Merge: the hours read replace what was kept for them; older hours beyond the baseline are dropped.
    const read = hourlySeries(usage.value.points);
    for (const [id, byHour] of this.series) {
      for (const hour of byHour.keys()) if (hour >= start.getTime() || hour < end.getTime() - FIRST_READ_HOURS * HOUR_MS) byHour.delete(hour);
      if (byHour.size === 0) this.series.delete(id);
    }
    for (const [id, byHour] of read) {
      const kept = this.series.get(id) ?? new Map<number, number>();
      for (const [hour, tokens] of byHour) kept.set(hour, tokens);
      this.series.set(id, kept);
    }
    // When a leak was first seen is remembered as the files are looked at: look now, if findings changed.
    await this.inventory.gatherIfStale();
    const watched = await this.watchedKeys(now);
    const points = [...this.series].flatMap(([apiKeyId, byHour]) => [...byHour].map(([hour, tokens]) => ({ apiKeyId, start: hour, end: hour + HOUR_MS, tokens })));
    const judged = judgeUsage(points, watched, now.getTime() - RECENT_HOURS * HOUR_MS, now.getTime());
    const fresh = await this.unseen(judged.alerts);
    this.status = {
      lastReadAt: now.toISOString(),
      keysJudged: judged.judged.length,
      keysLearning: judged.learning.length,
      alertsRaised: this.status.alertsRaised + fresh.length,
    };
    for (const alert of fresh) this.say(alert);
    this.changeEmitter.fire();
    return fresh;
  }

  /** The organisation's keys, with when each was seen disabled and when this workspace first showed it leaked. */
  private async watchedKeys(now: Date): Promise<WatchedKey[]> {
    const disabledSince = { ...this.state.get<Record<string, string>>(DISABLED_SINCE_KEY, {}) };
    let changed = false;
    const watched = this.keys.map((key): WatchedKey => {
      if (key.status !== 'active' && !disabledSince[key.id]) {
        disabledSince[key.id] = now.toISOString();
        changed = true;
      }
      if (key.status === 'active' && disabledSince[key.id]) {
        delete disabledSince[key.id];
        changed = true;
      }
      const created = Date.parse(key.createdAt);
      const leak = key.hint ? this.inventory.leakFirstSeen(key.hint) : undefined;
      return {
        id: key.id,
        name: key.name,
        status: key.status,
        ...(key.hint ? { hint: key.hint } : {}),
        ...(Number.isNaN(created) ? {} : { createdAt: created }),
        ...(leak !== undefined ? { leakFoundAt: leak } : {}),
        ...(disabledSince[key.id] ? { disabledSince: Date.parse(disabledSince[key.id]) } : {}),
      };
    });
    if (changed) await this.state.update(DISABLED_SINCE_KEY, disabledSince);
    return watched;
  }

  private async unseen(alerts: readonly UsageAlert[]): Promise<UsageAlert[]> {
    const shown = this.state.get<string[]>(SHOWN_KEY, []);
    const known = new Set(shown);
    const fresh = alerts.filter((alert) => !known.has(alertId(alert)));
    if (fresh.length > 0) await this.state.update(SHOWN_KEY, [...shown, ...fresh.map(alertId)].slice(-MAX_SHOWN_REMEMBERED));
    return fresh;
  }

  private say(alert: UsageAlert): void {
    const key = this.keys.find((candidate) => candidate.id === alert.keyId);
    const name = key?.name ?? alert.keyId;
    const hint = key?.hint ?? alert.keyId;
    const hour = new Date(alert.hour).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    const tokens = alert.tokens.toLocaleString('en-US');
    let text: string;
    switch (alert.kind) {
      case 'spike':
        text = vscode.l10n.t(
          "Unusual use of the key '{0}' ({1}): {2} tokens in the hour from {3}, against a usual {4} (alert above {5}).",
          name,
          hint,
          tokens,
          hour,
          Math.round(alert.baseline.median).toLocaleString('en-US'),
          Math.round(alert.baseline.threshold).toLocaleString('en-US'),
        );
        break;
      case 'leaked-key-used':
        text = vscode.l10n.t(
          "The key '{0}' ({1}), found in this workspace's files on {2}, was used after that: {3} tokens in the hour from {4}. Deactivate it and rotate.",
          name,
          hint,
          new Date(alert.leakFoundAt).toISOString().slice(0, 10),
          tokens,
          hour,
        );
        break;
      case 'disabled-key-used':
        text = vscode.l10n.t("The key '{0}' ({1}) is {2} but was used: {3} tokens in the hour from {4}.", name, hint, statusWord(alert.status), tokens, hour);
        break;
    }
    const showKeys = vscode.l10n.t('Show Keys');
    const deactivate = vscode.l10n.t('Deactivate Key');
    const actions = key?.status === 'active' && alert.kind !== 'spike' ? [deactivate, showKeys] : [showKeys];
    void this.messages.warn(text, ...actions).then((choice) => {
      if (choice === showKeys) void vscode.commands.executeCommand('anthropicKeyHygiene.keys.focus');
      if (choice === deactivate && key) void vscode.commands.executeCommand('anthropicKeyHygiene.deactivateKey', { id: key.id });
    });
  }
}
