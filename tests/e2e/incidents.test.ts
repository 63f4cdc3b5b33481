import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteHandle } from '../../functions/local/azurite.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import { callApi, startTestRuntime, waitFor, type TestRuntime } from '../support/runtime.js';
import { startHttpServer, type HttpTestServer } from '../support/servers/http.js';
import { bearer, newAccount, outbox, type OutboxEntry } from '../integration/accounts/support.js';

// Incidents end to end on the local runtime: the real probe cycle in three simulated regions
// probes a loopback HTTP target that the test breaks and repairs, the verdict step hands
// verdicts to the incident orchestrations, alerts land in the outbox. The minute is short;
// every wait is for a condition, and alert delays leave a loaded machine room.

const REGIONS = 'eu,us,asia';

function switchableTarget() {
  let healthy = true;
  return {
    set healthy(value: boolean) {
      healthy = value;
    },
    handler: (_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
      response.end(healthy ? 'ok' : 'down for maintenance');
    },
  };
}

async function monitorFor(api: TestRuntime['api'], apiKey: string, target: string, settings: Record<string, unknown>): Promise<string> {
  const res = await api('monitors', { body: { name: 'Storefront', type: 'http', target, intervalMinutes: 5, timeoutSeconds: 2, ...settings }, headers: bearer(apiKey) });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

const down = (messages: OutboxEntry[], to: string) => messages.filter((m) => m.to === to && m.subject?.startsWith('DOWN'));
const recovered = (messages: OutboxEntry[], to: string) => messages.filter((m) => m.to === to && m.subject?.startsWith('RECOVERED'));

describe('incidents on the local runtime with the real cycle', () => {
  let t: TestRuntime;
  let server: HttpTestServer;
  const target = switchableTarget();

  beforeAll(async () => {
    server = await startHttpServer({ handler: target.handler });
    t = await startTestRuntime({ env: { SM_MINUTE_SECONDS: '1', SM_REGIONS: REGIONS } });
  });
  afterAll(async () => {
    await t?.stop();
    await server?.close();
  });

  const incidentsOf = async (apiKey: string, monitorId: string) => (await t.api(`monitors/${monitorId}/incidents`, { headers: bearer(apiKey) })).json as Array<{ id: string; state: string; timeline: Array<{ kind: string }> }>;

  it('a blip shorter than the alert delay alerts no one', async () => {
    const email = `blip-${randomUUID().slice(0, 6)}@example.com`;
    const { apiKey } = await newAccount(t, email);
    target.healthy = false;
    const monitorId = await monitorFor(t.api, apiKey, `${server.url}/`, { alertDelayMinutes: 10 });
    // The first failing verdict opens the incident; the target is back for the recheck.
    await waitFor(async () => (await incidentsOf(apiKey, monitorId)).length > 0, 30_000, 'the incident to open');
    target.healthy = true;
    const [incident] = await waitFor(async () => {
      const list = await incidentsOf(apiKey, monitorId);
      return list[0]?.state === 'cancelled' ? list : undefined;
    }, 30_000, 'the incident to be cancelled');
    expect(incident!.timeline.map((e) => e.kind)).toContain('cancelled');
    await t.runtime.durable.idle();
    const messages = await outbox(t);
    expect(down(messages, email)).toEqual([]);
    expect(recovered(messages, email)).toEqual([]);
    await t.api(`monitors/${monitorId}`, { method: 'DELETE', headers: bearer(apiKey) });
  }, 90_000);

  it('an outage alerts on schedule, never more than four times, and recovers once', async () => {
    const email = `outage-${randomUUID().slice(0, 6)}@example.com`;
    const { apiKey } = await newAccount(t, email);
    target.healthy = false;
    const monitorId = await monitorFor(t.api, apiKey, `${server.url}/`, { alertDelayMinutes: 1, repeatMinutes: 1 });
    await waitFor(async () => down(await outbox(t), email).length >= 4, 60_000, 'four failure alerts');
    // Let the outage go on: the incident keeps being rechecked every minute, but the cap holds.
    const [open] = await incidentsOf(apiKey, monitorId);
    const verdicts = () => t.api(`incidents/${open!.id}`, { headers: bearer(apiKey) }).then((r) => (r.json.timeline as Array<{ kind: string }>).filter((e) => e.kind === 'verdict').length);
    const seen = await verdicts();
    await waitFor(async () => (await verdicts()) >= seen + 3, 30_000, 'three more failing verdicts');
    expect(down(await outbox(t), email)).toHaveLength(4);

    target.healthy = true;
    await waitFor(async () => (await incidentsOf(apiKey, monitorId))[0]?.state === 'recovered', 30_000, 'recovery');
    await t.runtime.durable.idle();
    const messages = await outbox(t);
    expect(down(messages, email).map((m) => /Alert (\d) of at most 4/.exec(m.body)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(down(messages, email)[0]!.body).toContain('status: HTTP 503');
    expect(down(messages, email)[0]!.body).toMatch(/Failing from: (eu|us|asia)/);
    expect(recovered(messages, email)).toHaveLength(1);
    const detail = await t.api(`incidents/${open!.id}`, { headers: bearer(apiKey) });
    expect(detail.json).toMatchObject({ state: 'recovered', closedAt: expect.any(String) });
    expect(detail.json.alerts.map((a: { kind: string }) => a.kind)).toEqual(['failure', 'failure', 'failure', 'failure', 'recovery']);
  }, 120_000);
});

describe('a restart in the middle of an incident', () => {
  let azurite: AzuriteHandle;
  let dataDir: string;
  let runtime: LocalRuntime | undefined;
  let server: HttpTestServer;
  const target = switchableTarget();

  const start = () =>
    startLocalRuntime({
      env: { SM_DATA_DIR: dataDir, SM_ALLOW_PRIVATE_TARGETS: 'true', SM_MINUTE_SECONDS: '1', SM_REGIONS: REGIONS },
      storageConnectionString: azurite.connectionString,
      port: 0,
      log: () => undefined,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sm-incident-restart-'));
    azurite = await startAzurite({ location: join(dataDir, 'azurite'), inMemory: true });
    server = await startHttpServer({ handler: target.handler });
  });
  afterAll(async () => {
    await runtime?.stop();
    await azurite?.stop();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('duplicates nothing: four alerts and one recovery notice in all', async () => {
    runtime = await start();
    const api = (path: string, init?: Parameters<TestRuntime['api']>[1]) => callApi(runtime!.url, path, init);
    const shim = { api } as TestRuntime;
    const email = 'restart@example.com';
    const { apiKey } = await newAccount(shim, email);
    target.healthy = false;
    const monitorId = await monitorFor(api, apiKey, `${server.url}/`, { alertDelayMinutes: 0, repeatMinutes: 2 });
    await waitFor(async () => down(await outbox(shim), email).length >= 2, 60_000, 'two alerts before the restart');

    await runtime.stop();
    runtime = await start();

    await waitFor(async () => down(await outbox(shim), email).length >= 4, 60_000, 'the rest of the alerts after the restart');
    target.healthy = true;
    await waitFor(async () => recovered(await outbox(shim), email).length >= 1, 60_000, 'the recovery notice');
    await runtime.durable.idle();
    const messages = await outbox(shim);
    expect(down(messages, email).map((m) => /Alert (\d) of at most 4/.exec(m.body)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(recovered(messages, email)).toHaveLength(1);
    const incidents = (await api(`monitors/${monitorId}/incidents`, { headers: bearer(apiKey) })).json as Array<{ state: string }>;
    expect(incidents.map((i) => i.state)).toEqual(['recovered']);
  }, 180_000);
});
