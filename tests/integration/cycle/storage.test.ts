import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../functions/cycle/result.js';
import { rollUpHour } from '../../../functions/cycle/rollup.js';
import { decideVerdicts } from '../../../functions/cycle/verdict-step.js';
import { minuteOf, minuteStart } from '../../../functions/clock.js';
import { CycleStore } from '../../../functions/storage/cycles.js';
import { bucketOf, ResultStore } from '../../../functions/storage/results.js';
import { MonitorStore } from '../../../functions/storage/monitors.js';
import type { Monitor } from '../../../functions/monitors/model.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime.js';
import { regionContext } from './support.js';

// The result and cycle tables on Azurite: keys, batching, range queries, rollups, retention.

let t: TestRuntime;
const requests: string[] = [];

beforeAll(async () => {
  t = await startTestRuntime({ catalog: [], env: { SM_REGIONS: 'eu,us', SM_MINUTE_SECONDS: '60' } });
  const count: PipelinePolicy = {
    name: 'count-requests',
    sendRequest: (request, next) => {
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
      return next(request);
    },
  };
  for (const table of ['results', 'cycles'] as const) t.runtime.services.storage.table(table).pipeline.addPolicy(count);
});

afterAll(async () => {
  await t?.stop();
});

const MINUTE = 60_000;
const BASE = Date.parse('2026-03-01T10:00:00.000Z');

function result(monitorId: string, region: string, minuteMs: number, ok: boolean, total: number): ProbeResult {
  const minuteAt = new Date(minuteMs).toISOString();
  return {
    monitorId,
    region,
    minuteAt,
    at: new Date(minuteMs + 150).toISOString(),
    ok,
    ...(ok ? {} : { error: { class: 'status' as const, message: 'HTTP 503' } }),
    phases: { dns: null, connect: 1.5, tls: null, firstByte: total - 2, total },
    status: ok ? 200 : 503,
    remoteAddress: '127.0.0.1',
  };
}

describe('result storage', () => {
  it('writes a batch per partition of ≤100 rows and rewrites the same keys on repeat', async () => {
    // 250 monitors that share one partition: three transactions.
    const ids: string[] = [];
    for (let i = 0; ids.length < 250; i++) if (bucketOf(`mb${i}`) === 'b07') ids.push(`mb${i}`);
    const store = new ResultStore(t.runtime.services.storage);
    const rows = ids.map((id) => result(id, 'eu', BASE, true, 10));
    requests.length = 0;
    await store.write(rows);
    expect(requests.filter((r) => r.startsWith('POST') && r.endsWith('/$batch'))).toHaveLength(3);
    await store.write(rows);
    expect(await store.range(ids[0]!, BASE, BASE, { limit: 10 })).toHaveLength(1);
  });

  it('answers a time range newest first, by region, in one query, and deletes old rows', async () => {
    const store = new ResultStore(t.runtime.services.storage);
    const id = 'mrange00000000000000000';
    const rows: ProbeResult[] = [];
    for (let m = 0; m < 5; m++) for (const region of ['eu', 'us']) rows.push(result(id, region, BASE + m * MINUTE, m !== 2, 10 + m));
    await store.write(rows);
    requests.length = 0;
    const found = await store.range(id, BASE + MINUTE, BASE + 3 * MINUTE, { limit: 100 });
    expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
    expect(found.map((r) => [r.minuteAt, r.region])).toEqual(
      [3, 2, 1].flatMap((m) => ['eu', 'us'].map((region) => [new Date(BASE + m * MINUTE).toISOString(), region])),
    );
    expect(found.find((r) => !r.ok)).toMatchObject({ error: { class: 'status', message: 'HTTP 503' }, status: 503, phases: { dns: null, tls: null, connect: 1.5 } });
    expect((await store.range(id, BASE, BASE + 10 * MINUTE, { limit: 100, region: 'us' })).every((r) => r.region === 'us')).toBe(true);
    expect(await store.range(id, BASE, BASE + 10 * MINUTE, { limit: 3 })).toHaveLength(3);
    expect(await store.deleteRange(id, 0, BASE + MINUTE)).toBe(4);
    expect(await store.range(id, 0, BASE + 10 * MINUTE, { limit: 100 })).toHaveLength(6);
  });

  it('rolls an hour up per monitor and deletes raw results past retention', async () => {
    const storage = t.runtime.services.storage;
    const id = 'mrollup0000000000000000';
    const now = new Date().toISOString();
    const monitor: Monitor = {
      id, ownerId: 'a1', name: 'r', type: 'http', target: 'http://example.com/', intervalMinutes: 1, timeoutSeconds: 5, expect: {},
      alertDelayMinutes: 2, escalation: null, repeatMinutes: 15, recoveryPasses: 1, public: false, regions: null, paused: false,
      state: 'unknown', createdAt: now, updatedAt: now,
    };
    await new MonitorStore(storage).create(monitor);
    const hour = Math.floor(BASE / (60 * MINUTE));
    const store = new ResultStore(storage);
    const rows: ProbeResult[] = [];
    for (let m = 0; m < 60; m++) for (const region of ['eu', 'us']) rows.push(result(id, region, BASE + m * MINUTE, m % 10 !== 0, m + 1));
    const ancient = BASE - 8 * 24 * 60 * MINUTE;
    rows.push(result(id, 'eu', ancient, true, 5));
    await store.write(rows);
    const report = await rollUpHour(hour, regionContext(t, 'eu', 'results-rollup'));
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    const [rollup] = await store.rollups(id, BASE, BASE);
    expect(rollup).toMatchObject({ hour: new Date(BASE).toISOString(), count: 120, failures: 12, regions: { eu: 60, us: 60 } });
    // 108 passing totals (2–60 without 11, 21, …, from two regions): the 54th is 30.
    expect(rollup!.p50).toBe(30);
    expect(rollup!.max).toBe(60);
    expect(await store.range(id, ancient, ancient, { limit: 5 })).toHaveLength(0);
    expect(await store.range(id, BASE, BASE + 59 * MINUTE, { limit: 500 })).toHaveLength(120);
  });
});

describe('cycle storage', () => {
  it('claims a region\'s minute once, reads a whole cycle with one query, and marks it decided once', async () => {
    const cycles = new CycleStore(t.runtime.services.storage);
    const minute = 29_000_000;
    expect(await cycles.claim('eu', minute, 'now')).toBe(true);
    expect(await cycles.claim('eu', minute, 'now')).toBe(false);
    const many = Array.from({ length: 600 }, (_, i) => ({ monitorId: `m${i}`, ok: i % 2 === 0, phases: { dns: null, connect: 1, tls: null, firstByte: 2, total: 3 } }));
    await cycles.writeOutcomes('eu', minute, 'main', many);
    await cycles.writeOutcomes('eu', minute, 's0', many.slice(0, 10));
    await cycles.writeOutcomes('us', minute, 'main', many.slice(0, 5));
    requests.length = 0;
    const record = await cycles.read(minute);
    expect(requests).toHaveLength(1);
    expect(record.outcomes.get('eu')).toHaveLength(610);
    expect(record.outcomes.get('us')).toHaveLength(5);
    expect(record.decided).toBe(false);
    expect(await cycles.markDecided(minute, 'now')).toBe(true);
    expect(await cycles.markDecided(minute, 'now')).toBe(false);
    expect((await cycles.read(minute)).decided).toBe(true);
    await cycles.deleteCycle(minute);
    expect((await cycles.read(minute)).outcomes.size).toBe(0);
  });
});

describe('verdict step timing', () => {
  it('decides a missed minute and never a cycle still before its deadline', async () => {
    const cycles = new CycleStore(t.runtime.services.storage);
    const minuteMs = t.runtime.primary.minuteMs;
    // Far ahead of the clock, so the step's "has this minute's deadline passed?" has one answer
    // (no) however slowly this test runs: a run for current + 1 must decide current and current - 1.
    const current = minuteOf(Date.now(), minuteMs) + 10_000;
    const outcome = { monitorId: 'mtiming000000000000000', ok: true, phases: { dns: null, connect: 1, tls: null, firstByte: 2, total: 3 } };
    for (const minute of [current - 1, current, current + 1]) {
      await cycles.writeOutcomes('eu', minute, 'main', [outcome]);
      await cycles.writeHealth({
        region: 'eu', minute, minuteAt: new Date(minuteStart(minute, minuteMs)).toISOString(), startedAt: 'x', finishedAt: 'x',
        lagMs: 0, durationMs: 1, due: 1, probed: 1, skipped: 0, shards: 0, canaries: [{ target: 'storage', ok: true }],
      });
    }
    // A run whose minute index is already the next one (a late timer in Azure).
    const context = regionContext(t, 'eu', 'cycle-verdict');
    await decideVerdicts({ minute: current + 1, scheduledAt: new Date(minuteStart(current + 1, minuteMs)), isPastDue: true }, context);
    expect((await cycles.read(current - 1)).decided).toBe(true);
    expect((await cycles.read(current)).decided).toBe(true);
    expect((await cycles.read(current + 1)).decided).toBe(false);
    expect(context.lines.filter((l) => l.startsWith('verdicts'))).toHaveLength(2);
    const latest = (await cycles.latest()).find((r) => r.region === 'eu')!;
    expect(latest).toMatchObject({ minute: current, probes: 1, failures: 0, trusted: true });
  });
});
