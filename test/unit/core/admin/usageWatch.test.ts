// The usage watch's baseline, tested with generated hourly series (seeded, so every run sees the same numbers): a
// daily rhythm, quiet weekends and noise must not alert; a spike must; a nearly idle key alerts only on a real
// burst; a new key is still learning; a leaked or disabled key alerts on any use.
import * as assert from 'node:assert/strict';
import { HOUR_MS, alertId, baselineOf, judgeUsage, type WatchedKey } from '../../../../src/core/admin/usageWatch';
import type { UsagePoint } from '../../../../src/core/admin/records';
import { seededRandom } from '../../../support/fakeKeys';

/** Monday 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);
const DAYS = 14;

/** Hourly tokens of a busy key: a daily peak in the afternoon, weekends at half, log-normal noise. */
function seasonalSeries(seed: number, base: number, hours = DAYS * 24, growth = 1): number[] {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: hours }, (_, h) => {
    const daily = 1 + 0.6 * Math.sin((2 * Math.PI * (h % 24 - 8)) / 24);
    const weekend = Math.floor(h / 24) % 7 >= 5 ? 0.5 : 1;
    const trend = 1 + ((growth - 1) * h) / hours;
    return Math.round(base * daily * weekend * trend * Math.exp(0.2 * normal()));
  });
}

function points(keyId: string, hourly: readonly number[], start = T0): UsagePoint[] {
  return hourly.flatMap((tokens, h) => (tokens > 0 ? [{ apiKeyId: keyId, start: start + h * HOUR_MS, end: start + (h + 1) * HOUR_MS, tokens }] : []));
}

const key = (id: string, extra: Partial<WatchedKey> = {}): WatchedKey => ({ id, name: id, status: 'active', createdAt: T0, ...extra });
const end = T0 + DAYS * 24 * HOUR_MS;
const lastWeek = end - 7 * 24 * HOUR_MS;

describe('Usage watch baseline (src/core/admin/usageWatch.ts) on generated series', () => {
  it('computes the median, the MAD and the threshold as defined (pinned to hand-worked numbers)', () => {
    // 0, 1000, …, 23000: median 11,500; deviations 500…11,500 twice each, so the MAD is 6,000;
    // 6 × 1.4826 × 6,000 = 53,373.6 beats 2 × 11,500 and 20,000.
    assert.deepEqual(baselineOf(Array.from({ length: 24 }, (_, i) => i * 1000)), { median: 11500, mad: 6000, threshold: 11500 + 53373.6, hours: 24 });
    // Mostly idle: the 20,000-token floor decides.
    assert.equal(baselineOf(new Array(48).fill(0))?.threshold, 20000);
    assert.equal(baselineOf(new Array(23).fill(5)), undefined, 'less than a day of history is no baseline');
  });

  it('raises no alert over a week of 50 keys with daily rhythms, quiet weekends and noise (0 of 8,400 hours)', () => {
    const all = Array.from({ length: 50 }, (_, i) => points(`apikey_${i}`, seasonalSeries(100 + i, 20_000 + i * 5_000))).flat();
    const keys = Array.from({ length: 50 }, (_, i) => key(`apikey_${i}`));
    const judged = judgeUsage(all, keys, lastWeek, end);
    assert.deepEqual(judged.alerts, []);
    assert.equal(judged.judged.length, 50);
  });

  it('catches a spike of five times the usual hourly usage in every one of 50 keys, at the right hour and nowhere else', () => {
    let caught = 0;
    for (let i = 0; i < 50; i++) {
      const hourly = seasonalSeries(300 + i, 20_000 + i * 5_000);
      const sorted = [...hourly].sort((a, b) => a - b);
      const spikeHour = 7 * 24 + ((i * 37) % (7 * 24));
      hourly[spikeHour] += 5 * sorted[sorted.length >> 1];
      const { alerts } = judgeUsage(points('apikey_s', hourly), [key('apikey_s')], lastWeek, end);
      assert.deepEqual(alerts.map((alert) => [alert.kind, alert.hour]), [['spike', T0 + spikeHour * HOUR_MS]], `series ${i}`);
      caught++;
    }
    assert.equal(caught, 50);
  });

  it('stays quiet while usage doubles steadily over the week', () => {
    const { alerts } = judgeUsage(points('apikey_g', seasonalSeries(500, 40_000, DAYS * 24, 2)), [key('apikey_g')], lastWeek, end);
    assert.deepEqual(alerts, []);
  });

  it('alerts on 25,000 tokens in an hour from a key that is normally idle, not on 15,000', () => {
    const idle = new Array(DAYS * 24).fill(0);
    idle[12] = 300; // it was used once, long ago
    const burst = [...idle];
    burst[DAYS * 24 - 3] = 25_000;
    const small = [...idle];
    small[DAYS * 24 - 3] = 15_000;
    assert.equal(judgeUsage(points('apikey_i', burst), [key('apikey_i')], lastWeek, end).alerts.length, 1);
    assert.equal(judgeUsage(points('apikey_i', small), [key('apikey_i')], lastWeek, end).alerts.length, 0);
  });

  it('does not let one earlier spike raise the bar for the next', () => {
    const hourly = seasonalSeries(600, 30_000);
    hourly[8 * 24] += 2_000_000;
    hourly[10 * 24 + 15] += 200_000;
    const { alerts } = judgeUsage(points('apikey_r', hourly), [key('apikey_r')], lastWeek, end);
    assert.deepEqual(alerts.map((alert) => alert.hour), [T0 + 8 * 24 * HOUR_MS, T0 + (10 * 24 + 15) * HOUR_MS]);
  });

  it('keeps a key with less than a day of history learning: no spike alert yet', () => {
    const created = end - 10 * HOUR_MS;
    const hourly = [1000, 1200, 900, 500_000, 1100, 1000, 1000, 1000, 1000, 1000];
    const judged = judgeUsage(points('apikey_new', hourly, created), [key('apikey_new', { createdAt: created })], lastWeek, end);
    assert.deepEqual(judged.alerts, []);
    assert.deepEqual(judged.learning, ['apikey_new']);
  });

  it('alerts on any use of a leaked key in an hour that began after the leak was found, and not before', () => {
    const hourly = new Array(DAYS * 24).fill(0);
    const found = end - 5.5 * HOUR_MS;
    hourly[DAYS * 24 - 7] = 10; // before the leak was found
    hourly[DAYS * 24 - 6] = 10; // the hour it was found in: may be from before
    hourly[DAYS * 24 - 2] = 10; // after
    const { alerts } = judgeUsage(points('apikey_l', hourly), [key('apikey_l', { leakFoundAt: found })], lastWeek, end);
    assert.deepEqual(alerts.map((alert) => [alert.kind, alert.hour, alert.tokens]), [['leaked-key-used', end - 2 * HOUR_MS, 10]]);
  });

  it('alerts on use of a key that is inactive, after it was seen inactive', () => {
    const hourly = new Array(DAYS * 24).fill(0);
    hourly[DAYS * 24 - 4] = 50;
    const since = end - 5 * HOUR_MS;
    const { alerts } = judgeUsage(points('apikey_d', hourly), [key('apikey_d', { status: 'inactive', disabledSince: since })], lastWeek, end);
    assert.deepEqual(alerts.map((alert) => [alert.kind, alert.hour]), [['disabled-key-used', end - 4 * HOUR_MS]]);
    assert.equal(alertId(alerts[0]), `disabled-key-used:apikey_d:${end - 4 * HOUR_MS}`);
  });

  it('judges only complete hours, so a half-hour of usage is not compared with whole ones', () => {
    const hourly = seasonalSeries(700, 30_000);
    hourly.push(10_000_000); // the hour under way
    const { alerts } = judgeUsage(points('apikey_h', hourly), [key('apikey_h')], lastWeek, end + 30 * 60 * 1000);
    assert.deepEqual(alerts, []);
  });
});
