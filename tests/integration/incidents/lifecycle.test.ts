import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf } from '../../../functions/clock.js';
import { handOffVerdicts } from '../../../functions/incidents/handoff.js';
import { RecheckStore } from '../../../functions/storage/rechecks.js';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/runtime.js';
import { bearer, newAccount, outbox, verifiedChannel } from '../accounts/support.js';
import { catalogWithoutCycle, ownerWithMonitor, verdict, verdictContext, verdictPump } from './support.js';

// Incidents on the local runtime with the real Durable engine, verdicts handed off as the
// verdict step does (the probe cycle is left out so only these verdicts count). Every wait
// is for a condition; the minute is short, the alert delays long enough that a loaded
// machine does not turn a blip into an outage.

let t: TestRuntime;
const minuteMs = () => t.runtime.primary.minuteMs;
const now = () => minuteOf(Date.now(), minuteMs());

beforeAll(async () => {
  t = await startTestRuntime({ env: { SM_MINUTE_SECONDS: '0.5', SM_REGIONS: 'eu,us' }, catalog: catalogWithoutCycle });
});
afterAll(async () => {
  await t?.stop();
});

async function incidents(apiKey: string, monitorId: string) {
  const res = await t.api(`monitors/${monitorId}/incidents`, { headers: bearer(apiKey) });
  expect(res.status, res.text).toBe(200);
  return res.json as Array<{ id: string; state: string; end?: string; closedAt?: string; timeline: Array<{ kind: string }>; alerts: Array<{ kind: string; destination: string; sequence?: number }> }>;
}

const alertsTo = async (to: string, pattern: RegExp) => (await outbox(t)).filter((m) => m.to === to && pattern.test(m.subject ?? m.body));

describe('incidents', () => {
  it('a blip shorter than the alert delay is cancelled and alerts no one', async () => {
    const { apiKey, email, monitorId } = await ownerWithMonitor(t, { alertDelayMinutes: 10 });
    const open = now();
    await handOffVerdicts([verdict(monitorId, open, minuteMs(), 'fail')], verdictContext(t.runtime));
    expect((await new RecheckStore(t.runtime.services.storage).list()).has(monitorId)).toBe(true);
    const [pending] = await waitFor(async () => ((await incidents(apiKey, monitorId)).length > 0 ? incidents(apiKey, monitorId) : undefined));
    expect(pending!.state).toBe('pending');
    await handOffVerdicts([verdict(monitorId, open + 1, minuteMs(), 'pass')], verdictContext(t.runtime));
    const [done] = await waitFor(async () => {
      const list = await incidents(apiKey, monitorId);
      return list[0]?.state === 'cancelled' ? list : undefined;
    });
    expect(done).toMatchObject({ end: 'cancelled', alerts: [] });
    expect(done!.timeline.map((e) => e.kind)).toEqual(['opened', 'recheck', 'verdict', 'cancelled']);
    expect(await alertsTo(email, /DOWN|RECOVERED/)).toEqual([]);
    expect((await new RecheckStore(t.runtime.services.storage).list()).has(monitorId)).toBe(false);
  });

  it('an outage alerts on each escalation step, at most four times per destination, then one recovery notice each', async () => {
    const to = 'oncall@example.com';
    const { apiKey } = await newAccount(t, to);
    const phone = '+14155550142';
    const smsId = await verifiedChannel(t, apiKey, 'sms', phone);
    const channels = (await t.api('channels', { headers: bearer(apiKey) })).json as Array<{ id: string; kind: string }>;
    const emailId = channels.find((c) => c.kind === 'email')!.id;
    const created = await t.api('monitors', {
      body: {
        name: 'Checkout API',
        type: 'http',
        target: 'http://127.0.0.1:9/',
        intervalMinutes: 1,
        alertDelayMinutes: 1,
        repeatMinutes: 1,
        escalation: [
          { afterMinutes: 0, channels: [emailId] },
          { afterMinutes: 2, channels: [smsId] },
        ],
      },
      headers: bearer(apiKey),
    });
    expect(created.status, created.text).toBe(201);
    const monitorId = created.json.id as string;

    let failing = true;
    const pump = verdictPump(t.runtime, monitorId, () => (failing ? 'fail' : 'pass'));
    try {
      await waitFor(async () => (await alertsTo(to, /^DOWN/)).length >= 4 && (await alertsTo(phone, /^DOWN/)).length >= 4, 20_000, 'four alerts to each destination').catch(async (err: unknown) => {
        console.log(JSON.stringify(await outbox(t), null, 1), JSON.stringify(await incidents(apiKey, monitorId), null, 1), t.logs.filter((l) => /incident|durable/.test(l)).slice(-40).join('\n'));
        throw err;
      });
      // Several more failing minutes: the cap holds.
      const seen = pump.handed.length;
      await waitFor(() => pump.handed.length >= seen + 4, 30_000, 'four more failing minutes');
      expect((await alertsTo(to, /^DOWN/)).map((m) => m.subject)).toEqual(Array(4).fill('DOWN: Checkout API'));
      expect((await alertsTo(phone, /^DOWN/)).map((m) => m.body.split('\n')[0])).toEqual([1, 2, 3, 4].map((n) => `DOWN ${n}/4: Checkout API`));
      failing = false;
      await waitFor(async () => {
        const list = await incidents(apiKey, monitorId);
        return list[0]?.state === 'recovered' ? list : undefined;
      }, 15_000, 'recovery').catch(async (err: unknown) => {
        console.log(JSON.stringify((await incidents(apiKey, monitorId))[0]?.timeline.slice(-8)), JSON.stringify(await t.runtime.durable.getStatus(`incident-${monitorId}`)), pump.handed.slice(-5), t.logs.filter((l) => /incident|durable/.test(l)).slice(-30).join('\n'));
        throw err;
      });
      await t.runtime.durable.idle();
      const [recovered] = await incidents(apiKey, monitorId);
      expect(await alertsTo(to, /^RECOVERED/)).toHaveLength(1);
      expect(await alertsTo(phone, /^UP/)).toHaveLength(1);
      expect(recovered!.alerts.filter((a) => a.kind === 'failure')).toHaveLength(8);
      expect(recovered!.alerts.filter((a) => a.kind === 'recovery')).toHaveLength(2);
      expect(recovered!.closedAt).toBeDefined();
      const kinds = recovered!.timeline.map((e) => e.kind);
      expect(kinds.slice(0, 2)).toEqual(['opened', 'recheck']);
      expect(kinds).toContain('alerting');
      expect(kinds.at(-1)).toMatch(/recovered|recovery-notice/);
      expect((await new RecheckStore(t.runtime.services.storage).list()).has(monitorId)).toBe(false);

      // The message says what failed, from where, the phases, and links to the incident.
      const first = (await alertsTo(to, /^DOWN/))[0]!;
      expect(first.body).toContain('connect: connection refused');
      expect(first.body).toContain('Failing from: eu, us');
      expect(first.body).toContain('phases: dns -, connect -');
      expect(first.body).toContain(`/api/incidents/${recovered!.id}`);
    } finally {
      await pump.stop();
    }
  }, 120_000);

  it('a second start for the same monitor never makes a second incident', async () => {
    const { apiKey, monitorId } = await ownerWithMonitor(t, { alertDelayMinutes: 30 });
    const open = now();
    const v = verdict(monitorId, open, minuteMs(), 'fail');
    await Promise.all([1, 2, 3].map(() => handOffVerdicts([v], verdictContext(t.runtime))));
    await handOffVerdicts([verdict(monitorId, open + 1, minuteMs(), 'fail')], verdictContext(t.runtime));
    await t.runtime.durable.idle();
    const list = await incidents(apiKey, monitorId);
    expect(list).toHaveLength(1);
    expect(list[0]!.timeline.filter((e) => e.kind === 'opened')).toHaveLength(1);
    await t.api(`monitors/${monitorId}`, { method: 'DELETE', headers: bearer(apiKey) });
  });

  it('pausing the monitor ends its incident quietly', async () => {
    const { apiKey, email, monitorId } = await ownerWithMonitor(t, { alertDelayMinutes: 0 });
    await handOffVerdicts([verdict(monitorId, now(), minuteMs(), 'fail')], verdictContext(t.runtime));
    await waitFor(async () => (await alertsTo(email, /^DOWN/)).length === 1, 20_000, 'the first alert');
    const paused = await t.api(`monitors/${monitorId}`, { method: 'PATCH', body: { paused: true }, headers: bearer(apiKey) });
    expect(paused.status, paused.text).toBe(200);
    const [ended] = await waitFor(async () => {
      const list = await incidents(apiKey, monitorId);
      return list[0]?.closedAt ? list : undefined;
    });
    expect(ended).toMatchObject({ state: 'cancelled', end: 'paused' });
    await t.runtime.durable.idle();
    expect(await alertsTo(email, /^RECOVERED/)).toEqual([]);
    expect((await new RecheckStore(t.runtime.services.storage).list()).has(monitorId)).toBe(false);
  });

  it("alerts the receivers that accepted, on their own channels, and sends them the recovery notice", async () => {
    const { apiKey, email, monitorId } = await ownerWithMonitor(t, { alertDelayMinutes: 0 });
    const receiverEmail = 'receiver-alerts@example.com';
    const receiver = await newAccount(t, receiverEmail);
    await t.api(`monitors/${monitorId}/receivers`, { body: { email: receiverEmail }, headers: bearer(apiKey) });
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(receiver.apiKey) })).status).toBe(200);
    const open = now();
    await handOffVerdicts([verdict(monitorId, open, minuteMs(), 'fail')], verdictContext(t.runtime));
    await waitFor(async () => (await alertsTo(email, /^DOWN/)).length === 1 && (await alertsTo(receiverEmail, /^DOWN/)).length === 1, 20_000, 'both alerted');
    await handOffVerdicts([verdict(monitorId, open + 1, minuteMs(), 'pass')], verdictContext(t.runtime));
    await waitFor(async () => (await alertsTo(email, /^RECOVERED/)).length === 1 && (await alertsTo(receiverEmail, /^RECOVERED/)).length === 1, 20_000, 'both told of the recovery');
  });

  it('serves an incident to its owner, takes notes, and hides it from others', async () => {
    const { apiKey, accountId, monitorId } = await ownerWithMonitor(t, { alertDelayMinutes: 30 });
    await handOffVerdicts([verdict(monitorId, now(), minuteMs(), 'fail')], verdictContext(t.runtime));
    const [incident] = await waitFor(async () => {
      const list = await incidents(apiKey, monitorId);
      return list.length > 0 ? list : undefined;
    });
    const id = incident!.id;
    const note = await t.api(`incidents/${id}/notes`, { body: { text: 'Looking into it' }, headers: bearer(apiKey) });
    expect(note.status, note.text).toBe(201);
    expect(note.json).toMatchObject({ accountId, text: 'Looking into it' });
    const got = await t.api(`incidents/${id}`, { headers: bearer(apiKey) });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id, monitorId, state: 'pending', alerts: [], notes: [{ accountId, text: 'Looking into it' }] });
    expect(Object.keys(got.json).sort()).toEqual(['alerts', 'id', 'monitorId', 'notes', 'openedAt', 'state', 'timeline']);

    // A receiver that accepted reads it and annotates it too.
    const receiverEmail = 'receiver-notes@example.com';
    const receiver = await newAccount(t, receiverEmail);
    expect((await t.api(`monitors/${monitorId}/receivers`, { body: { email: receiverEmail }, headers: bearer(apiKey) })).status).toBe(201);
    expect((await t.api(`monitors/${monitorId}/receivers/me`, { method: 'PUT', body: { accept: true }, headers: bearer(receiver.apiKey) })).status).toBe(200);
    expect((await t.api(`incidents/${id}`, { headers: bearer(receiver.apiKey) })).status).toBe(200);
    expect((await t.api(`incidents/${id}/notes`, { body: { text: 'Seen from the NOC' }, headers: bearer(receiver.apiKey) })).status).toBe(201);
    const notes = (await t.api(`incidents/${id}`, { headers: bearer(apiKey) })).json.notes as Array<{ accountId: string }>;
    expect(notes.map((n) => n.accountId)).toEqual([accountId, receiver.accountId]);

    const stranger = await newAccount(t, 'stranger@example.com');
    expect((await t.api(`incidents/${id}`, { headers: bearer(stranger.apiKey) })).status).toBe(404);
    expect((await t.api(`incidents/${id}/notes`, { body: { text: 'hi' }, headers: bearer(stranger.apiKey) })).status).toBe(404);
    expect((await t.api(`incidents/${id}`)).status).toBe(401);
    expect((await t.api(`incidents/${id}/notes`, { body: { text: '' }, headers: bearer(apiKey) })).status).toBe(400);
    expect((await t.api('incidents/not-an-id', { headers: bearer(apiKey) })).status).toBe(404);

    // The routes are described in the OpenAPI document with their responses.
    const paths = (await t.api('openapi.json')).json.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/incidents/{id}']!)).toEqual(['get']);
    expect(Object.keys(paths['/api/incidents/{id}/notes']!['post']!.responses)).toContain('201');
    expect(Object.keys(paths['/api/monitors/{id}/incidents']!)).toEqual(['get']);

    // Deleting the monitor ends the incident quietly.
    expect((await t.api(`monitors/${monitorId}`, { method: 'DELETE', headers: bearer(apiKey) })).status).toBe(204);
    await waitFor(async () => (await t.runtime.durable.getStatus(`incident-${monitorId}`))?.runtimeStatus === 'Completed');
  });
});
