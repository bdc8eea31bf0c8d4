// The usage watch's judgement: given hourly token usage per API key (from the Admin API's usage report) and what is
// known of each key, which hours deserve an alert. Pure and stateless: the editor polls, keeps the series, and says
// each alert once.
//
// The baseline (defined here, tested with generated series in test/unit/core/admin/usageWatch.test.ts):
// - A key's usage in one complete UTC hour is judged against the same key's hourly usage over the 7 days (168
//   hours) before it: hours with no usage count as 0, hours before the key existed do not count.
// - Robust statistics, so one earlier spike cannot raise the bar: the median m and the median absolute deviation
//   (MAD), scaled by 1.4826 to estimate a standard deviation σ for normally distributed noise.
// - An hour is a spike when its tokens exceed m + max(6σ, 2m, 20,000): at least six robust deviations above the
//   median, at least three times the median, and at least 20,000 tokens above it. The first two keep daily and
//   weekly rhythms and steady growth quiet; the floor keeps a nearly idle key from alerting on a handful of calls,
//   while 20,000 tokens in an hour from a key that is normally idle is worth a look.
// - With less than 24 hours of history a key is still learning: no spike alert for it yet.
// Besides spikes, any usage at all is an alert for a key this workspace shows as leaked (in an hour that started
// after the leak was found) and for a key that is inactive, archived or expired (in an hour that started after it
// was seen so). The usage report counts served requests only, so a deactivated key that is merely being tried
// (and refused) does not appear in it: the watch cannot see that, and does not claim to.
import type { OrgKeyStatus, UsagePoint } from './records';

export const HOUR_MS = 60 * 60 * 1000;
export const BASELINE_WINDOW_HOURS = 168;
export const MIN_HISTORY_HOURS = 24;
export const SPIKE_SIGMAS = 6;
/** The spike must exceed the median by this multiple of it (3× the median in all). */
export const SPIKE_MEDIAN_MULTIPLE = 2;
export const SPIKE_FLOOR_TOKENS = 20_000;
/** Scales a MAD to a standard deviation for normally distributed values. */
const MAD_TO_SIGMA = 1.4826;

export interface Baseline {
  median: number;
  mad: number;
  /** Tokens in one hour above which the hour is a spike. */
  threshold: number;
  /** Hours the baseline was computed from. */
  hours: number;
}

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The baseline of hourly token counts; undefined with less than MIN_HISTORY_HOURS of them. */
export function baselineOf(hourly: readonly number[]): Baseline | undefined {
  if (hourly.length < MIN_HISTORY_HOURS) return undefined;
  const sorted = [...hourly].sort((a, b) => a - b);
  const m = median(sorted);
  const mad = median(sorted.map((value) => Math.abs(value - m)).sort((a, b) => a - b));
  const threshold = m + Math.max(SPIKE_SIGMAS * MAD_TO_SIGMA * mad, SPIKE_MEDIAN_MULTIPLE * m, SPIKE_FLOOR_TOKENS);
  return { median: m, mad, threshold, hours: hourly.length };
}

export interface WatchedKey {
  id: string;
  /** For the alert's words; never the key. */
  name: string;
  hint?: string;
  status: OrgKeyStatus;
  /** Epoch ms: when the key was created (hours before do not count in its baseline). */
  createdAt?: number;
  /** Epoch ms: when this workspace first showed the key as leaked (a hardcoded-key finding). */
  leakFoundAt?: number;
  /** Epoch ms: since when the key is known to be inactive, archived or expired. */
  disabledSince?: number;
}

export type UsageAlert =
  | { kind: 'spike'; keyId: string; hour: number; tokens: number; baseline: Baseline }
  | { kind: 'leaked-key-used'; keyId: string; hour: number; tokens: number; leakFoundAt: number }
  | { kind: 'disabled-key-used'; keyId: string; hour: number; tokens: number; status: OrgKeyStatus };

export interface UsageJudgement {
  alerts: UsageAlert[];
  /** Keys with too little history for a spike to be judged yet. */
  learning: string[];
  /** Keys whose hours were judged against a baseline. */
  judged: string[];
}

/** Hourly tokens per key: hour start (epoch ms, UTC hour) → tokens, summed over the points of that hour. */
export function hourlySeries(points: readonly UsagePoint[]): Map<string, Map<number, number>> {
  const series = new Map<string, Map<number, number>>();
  for (const point of points) {
    if (point.apiKeyId === null) continue;
    const hour = Math.floor(point.start / HOUR_MS) * HOUR_MS;
    const byHour = series.get(point.apiKeyId) ?? new Map<number, number>();
    byHour.set(hour, (byHour.get(hour) ?? 0) + point.tokens);
    series.set(point.apiKeyId, byHour);
  }
  return series;
}

/**
 * Judges the complete hours in [from, now) of every watched key. Stateless: the same input gives the same alerts,
 * so a caller that re-judges recent hours (usage data arrives late) must remember which alerts it has shown.
 */
export function judgeUsage(points: readonly UsagePoint[], keys: readonly WatchedKey[], from: number, now: number): UsageJudgement {
  const series = hourlySeries(points);
  const alerts: UsageAlert[] = [];
  const learning: string[] = [];
  const judged: string[] = [];
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHourEnd = Math.floor(now / HOUR_MS) * HOUR_MS;
  for (const key of keys) {
    const byHour = series.get(key.id) ?? new Map<number, number>();
    // The key's first hour: its creation, else its first hour with usage, else nothing is known.
    const firstUsage = byHour.size > 0 ? Math.min(...byHour.keys()) : undefined;
    const born = key.createdAt !== undefined ? Math.floor(key.createdAt / HOUR_MS) * HOUR_MS : firstUsage;
    let wasJudged = false;
    let wasLearning = false;
    for (let hour = firstHour; hour + HOUR_MS <= lastHourEnd; hour += HOUR_MS) {
      const tokens = byHour.get(hour) ?? 0;
      if (tokens > 0 && key.leakFoundAt !== undefined && hour >= key.leakFoundAt) {
        alerts.push({ kind: 'leaked-key-used', keyId: key.id, hour, tokens, leakFoundAt: key.leakFoundAt });
      }
      if (tokens > 0 && key.status !== 'active' && (key.disabledSince === undefined || hour >= key.disabledSince)) {
        alerts.push({ kind: 'disabled-key-used', keyId: key.id, hour, tokens, status: key.status });
      }
      if (born === undefined) continue;
      const history: number[] = [];
      for (let past = Math.max(born, hour - BASELINE_WINDOW_HOURS * HOUR_MS); past < hour; past += HOUR_MS) history.push(byHour.get(past) ?? 0);
      const baseline = baselineOf(history);
      if (!baseline) {
        wasLearning = true;
        continue;
      }
      wasJudged = true;
      if (tokens > baseline.threshold) alerts.push({ kind: 'spike', keyId: key.id, hour, tokens, baseline });
    }
    if (wasJudged) judged.push(key.id);
    else if (wasLearning) learning.push(key.id);
  }
  return { alerts, learning, judged };
}

/** A stable identity for an alert, for saying each one once. */
export function alertId(alert: UsageAlert): string {
  return `${alert.kind}:${alert.keyId}:${alert.hour}`;
}
