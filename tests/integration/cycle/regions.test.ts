import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf, minuteStart } from '../../../functions/clock.js';
import { runCycle } from '../../../functions/cycle/cycle.js';
import { rollUpHour } from '../../../functions/cycle/rollup.js';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/runtime.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';
import { bearer } from '../accounts/support.js';
import { accountWithMonitors, regionContext } from './support.js';

// The probe cycle on the local runtime: three simulated regions, a two-second minute, a real
// HTTP target on loopback whose answer the test switches, region faults through /api/dev.
// Every wait is for a condition (the next verdict, the next results), never for a time.

const REGIONS = ['eu', 'us', 'asia'];

interface Result {
  at: string;
  minute: string;
  region: string;
  ok: boolean;
  error?: { class: string; message: string; code?: string };
  phases: { total: number };
  status?: number;
}

interface RegionView {
  name: string;
  lastCycleAt: string | null;
  probes: number;
  failures: number;
  errorRate: number;
  trusted: boolean;
}

let t: TestRuntime;
let target: HttpTestServer;
let targetStatus = 200;
let apiKey: string;
let monitorId: string;

beforeAll(async () => {
  target = await startHttpServer({
    handler: (_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(targetStatus, { 'content-type': 'text/plain' });
      response.end(targetStatus === 200 ? 'ok' : 'unavailable');
    },
  });
  t = await startTestRuntime({ env: { SM_REGIONS: REGIONS.join(','), SM_MINUTE_SECONDS: '2' } });
  const made = await accountWithMonitors(t, [`${target.url}/`]);
  apiKey = made.apiKey;
  monitorId = made.monitorIds[0]!;
});

afterAll(async () => {
  await t?.stop();
  await target?.close();
});

async function results(query = ''): Promise<Result[]> {
  const res = await t.api(`monitors/${monitorId}/results${query}`, { headers: bearer(apiKey) });
  expect(res.status, res.text).toBe(200);
  return res.json as Result[];
}

async function state(): Promise<string> {
  const res = await t.api(`monitors/${monitorId}`, { headers: bearer(apiKey) });
  return res.json.state as string;
}

async function regions(): Promise<RegionView[]> {
  const res = await t.api('regions');
  expect(res.status).toBe(200);
  return res.json as RegionView[];
}

function currentMinute(): number {
  return minuteOf(Date.now(), t.runtime.primary.minuteMs);
}

/** Waits for a decided verdict of a cycle that started after now, and answers the monitor's state then. */
async function stateAfterNextVerdicts(cycles = 2): Promise<string> {
  const after = minuteStart(currentMinute() + cycles, t.runtime.primary.minuteMs);
  await waitFor(async () => (await regions()).some((r) => r.lastCycleAt !== null && Date.parse(r.lastCycleAt) >= after), 30_000, 'a later decided cycle');
  return state();
}

async function setRegion(region: string, to: 'up' | 'down' | 'isolated'): Promise<void> {
  const res = await t.api(`dev/regions/${region}/${to}`, { method: 'POST' });
  expect(res.status).toBe(204);
}

describe('probe cycle across three regions', () => {
  it('writes results from every region, newest first, in the API shape', async () => {
    const found = await waitFor(async () => {
      const list = await results();
      return REGIONS.every((r) => list.some((x) => x.region === r)) ? list : undefined;
    }, 30_000, 'results from every region');
    const first = found[0]!;
    expect(first.ok).toBe(true);
    expect(first.status).toBe(200);
    expect(typeof first.phases.total).toBe('number');
    expect(Date.parse(first.at)).toBeGreaterThanOrEqual(Date.parse(first.minute));
    const minutes = found.map((r) => Date.parse(r.minute));
    expect([...minutes].sort((a, b) => b - a)).toEqual(minutes);
    // region= and a time range narrow it down (still one partition range query).
    const eu = await results(`?region=eu&from=${encodeURIComponent(first.minute)}&to=${encodeURIComponent(first.minute)}`);
    expect(eu.every((r) => r.region === 'eu' && r.minute === first.minute)).toBe(true);
    await waitFor(async () => (await state()) === 'up', 30_000, 'state up');
    const view = await regions();
    expect(view.map((r) => r.name)).toEqual(REGIONS);
    await waitFor(async () => (await regions()).every((r) => r.trusted && r.probes >= 1 && r.errorRate === 0), 30_000, 'every region trusted');
  });

  it('writes nothing twice when a timer run repeats', async () => {
    // Two minutes ahead: the scheduler cannot have claimed it before these calls.
    const minute = currentMinute() + 2;
    const run = { minute, scheduledAt: new Date(minuteStart(minute, t.runtime.primary.minuteMs)), isPastDue: false };
    const first = regionContext(t, 'eu', 'probe-cycle');
    const second = regionContext(t, 'eu', 'probe-cycle');
    await Promise.all([runCycle(run, first), runCycle(run, second)]);
    const lines = [...first.lines, ...second.lines];
    expect(lines.filter((l) => l.startsWith('cycle done'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('cycle already ran'))).toHaveLength(1);
    // The scheduler's own run of that minute finds the claim too.
    const at = new Date(minuteStart(minute, t.runtime.primary.minuteMs)).toISOString();
    await waitFor(() => t.logs.some((l) => l.includes('[eu] probe-cycle: cycle already ran') && l.includes(`"minute":${minute}`)), 30_000, 'the scheduled run');
    const rows = await results(`?region=eu&from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`);
    expect(rows).toHaveLength(1);
  });

  it('a region that is down changes no verdict', async () => {
    await setRegion('us', 'down');
    try {
      const downSince = minuteStart(currentMinute() + 1, t.runtime.primary.minuteMs);
      expect(await stateAfterNextVerdicts(3)).toBe('up');
      const recent = (await results()).filter((r) => Date.parse(r.minute) >= downSince);
      expect(recent.some((r) => r.region === 'eu')).toBe(true);
      expect(recent.some((r) => r.region === 'us')).toBe(false);
      // An outage while a region is down is still an outage.
      targetStatus = 503;
      await waitFor(async () => (await state()) === 'down', 30_000, 'state down with one region down');
    } finally {
      targetStatus = 200;
      await setRegion('us', 'up');
    }
    await waitFor(async () => (await state()) === 'up', 30_000, 'state up again');
  });

  it('an isolated region is untrusted and causes no failure', async () => {
    await setRegion('asia', 'isolated');
    try {
      const since = minuteStart(currentMinute() + 1, t.runtime.primary.minuteMs);
      const asia = await waitFor(async () => {
        const r = (await regions()).find((x) => x.name === 'asia')!;
        return r.lastCycleAt !== null && Date.parse(r.lastCycleAt) >= since ? r : undefined;
      }, 30_000, 'a decided cycle with asia isolated');
      expect(asia.trusted).toBe(false);
      expect(asia.errorRate).toBeGreaterThan(0.5);
      expect((await regions()).filter((r) => r.name !== 'asia').every((r) => r.trusted)).toBe(true);
      expect(await stateAfterNextVerdicts(1)).toBe('up');
      expect((await regions()).find((x) => x.name === 'asia')!.trusted).toBe(false);
      const failed = (await results('?region=asia')).find((r) => Date.parse(r.minute) >= since)!;
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatchObject({ class: 'connect', code: 'ENETUNREACH' });
    } finally {
      await setRegion('asia', 'up');
    }
  });

  it('every region isolated suppresses the cycle', async () => {
    for (const r of REGIONS) await setRegion(r, 'isolated');
    try {
      await waitFor(async () => (await state()) === 'suppressed', 30_000, 'state suppressed');
      expect((await regions()).every((r) => !r.trusted)).toBe(true);
    } finally {
      for (const r of REGIONS) await setRegion(r, 'up');
    }
    await waitFor(async () => (await state()) === 'up', 30_000, 'state up again');
  });

  it('a real outage of the target (HTTP 503 from every region) is a failing verdict, never suppressed', async () => {
    targetStatus = 503;
    try {
      await waitFor(async () => (await state()) === 'down', 30_000, 'state down');
      expect((await regions()).every((r) => r.trusted)).toBe(true);
      const latest = (await results())[0]!;
      expect(latest).toMatchObject({ ok: false, status: 503, error: { class: 'status' } });
    } finally {
      targetStatus = 200;
    }
    await waitFor(async () => (await state()) === 'up', 30_000, 'state up again');
  });

  it('rolls results up per hour and serves the rollups', async () => {
    const hourMs = 60 * t.runtime.primary.minuteMs;
    // The hour of the newest result (a 2-second minute makes a 2-minute hour).
    const hour = Math.floor(Date.parse((await results())[0]!.minute) / hourMs);
    await rollUpHour(hour, regionContext(t, 'eu', 'results-rollup'));
    const res = await t.api(`monitors/${monitorId}/rollups`, { headers: bearer(apiKey) });
    expect(res.status, res.text).toBe(200);
    const [rollup] = res.json as Array<{ hour: string; count: number; failures: number; p50: number | null; regions: Record<string, number> }>;
    expect(rollup!.hour).toBe(new Date(hour * hourMs).toISOString());
    expect(rollup!.count).toBeGreaterThan(0);
    expect(Object.keys(rollup!.regions).every((r) => REGIONS.includes(r))).toBe(true);
    expect(rollup!.p50).not.toBeNull();
  });

  it('refuses bad queries and other accounts', async () => {
    const bad = await t.api(`monitors/${monitorId}/results?from=yesterday`, { headers: bearer(apiKey) });
    expect(bad.status).toBe(400);
    const reversed = await t.api(`monitors/${monitorId}/results?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`, { headers: bearer(apiKey) });
    expect(reversed.status).toBe(400);
    expect((await t.api(`monitors/${monitorId}/results`)).status).toBe(401);
    const other = await accountWithMonitors(t, []);
    expect((await t.api(`monitors/${monitorId}/results`, { headers: bearer(other.apiKey) })).status).toBe(404);
  });
});
