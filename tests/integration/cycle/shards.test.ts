import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/runtime.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';
import { bearer } from '../accounts/support.js';
import { accountWithMonitors } from './support.js';

// Scale-out on Azurite queues: with a budget of one probe per instance, each region probes
// one monitor itself and sends the rest to its own probe-shards-<region> queue, whose
// trigger probes them in that region with the same code.

let t: TestRuntime;
let target: HttpTestServer;

beforeAll(async () => {
  target = await startHttpServer();
  t = await startTestRuntime({ env: { SM_REGIONS: 'eu,us', SM_MINUTE_SECONDS: '2', SM_CYCLE_BUDGET: '1' } });
});

afterAll(async () => {
  await t?.stop();
  await target?.close();
});

describe('shard fan-out past the per-instance budget', () => {
  it('probes every due monitor in every region, the excess through each region\'s queue', async () => {
    const { apiKey, monitorIds } = await accountWithMonitors(t, [`${target.url}/`, `${target.url}/status/200`, `${target.url}/text?body=x`]);
    const minute = await waitFor(async () => {
      const perMonitor = await Promise.all(
        monitorIds.map(async (id) => (await t.api(`monitors/${id}/results`, { headers: bearer(apiKey) })).json as Array<{ region: string; minute: string; ok: boolean }>),
      );
      // A minute in which every monitor has a result from both regions.
      const minutes = perMonitor[0]!.map((r) => r.minute);
      return minutes.find((m) => perMonitor.every((list) => ['eu', 'us'].every((region) => list.some((r) => r.minute === m && r.region === region && r.ok))));
    }, 30_000, 'results of every monitor from both regions in one minute');
    expect(minute).toBeDefined();
    expect(t.logs.some((l) => l.includes('[us] probe-shard: probe shard done'))).toBe(true);
    expect(t.logs.some((l) => l.includes('[eu] probe-shard: probe shard done'))).toBe(true);
    expect(t.logs.some((l) => l.includes('"shards":1'))).toBe(true);
    // The verdict counts the shards' probes in each region's health.
    await waitFor(async () => ((await t.api('regions')).json as Array<{ probes: number }>).every((r) => r.probes === 3), 30_000, 'three probes per region');
  });
});
