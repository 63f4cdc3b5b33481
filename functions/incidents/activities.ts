import { z } from 'zod';
import { destinationsFor } from '../alerts/destinations.js';
import type { ActivityFunction, FunctionContext } from '../runtime.js';
import { IncidentStore, type IncidentStatus } from '../storage/incidents.js';
import { MonitorStore } from '../storage/monitors.js';
import { RecheckStore } from '../storage/rechecks.js';
import { alertMessage, failureSummarySchema } from './messages.js';
import { ACTIVITY, type MonitorNow } from './orchestrator.js';
import { MAX_FAILURE_ALERTS } from './policy.js';

// The incident orchestration's work with the world. Each runs at least once per scheduling
// (a retry or a restart runs it again), so each is idempotent: rows are keyed by what they
// record, and an alert goes out under the key (incident, destination, sequence), which the
// sender never sends twice.

const openSchema = z.object({ incidentId: z.string(), monitorId: z.string(), minute: z.number().int(), at: z.string() });
const refreshSchema = z.object({ monitorId: z.string() });
const recordSchema = z.object({
  incidentId: z.string(),
  monitorId: z.string(),
  at: z.string(),
  timeline: z.array(z.object({ seq: z.number().int().min(0), kind: z.string(), details: z.record(z.string(), z.unknown()) })),
  recheck: z.boolean().optional(),
  state: z.object({ state: z.enum(['pending', 'cancelled', 'alerting', 'recovered']), end: z.enum(['cancelled', 'recovered', 'paused', 'deleted']).optional(), closed: z.boolean() }).optional(),
});
const alertSchema = z.object({
  incidentId: z.string(),
  monitorId: z.string(),
  openedAt: z.string(),
  at: z.string(),
  destination: z.string(),
  kind: z.enum(['failure', 'recovery']),
  // The cap, once more where the message leaves: no fifth key can exist.
  sequence: z.number().int().min(1).max(MAX_FAILURE_ALERTS).optional(),
  failure: failureSummarySchema.optional(),
});

/** The monitor's settings and destinations as they are now. */
async function monitorNow(monitorId: string, ctx: FunctionContext): Promise<MonitorNow> {
  const found = await new MonitorStore(ctx.services.storage).getWithReceivers(monitorId);
  if (!found) return { status: 'deleted' };
  if (found.monitor.paused) return { status: 'paused' };
  const destinations = await destinationsFor(ctx.services.storage, found);
  return {
    status: 'active',
    alertDelayMinutes: found.monitor.alertDelayMinutes,
    recoveryPasses: found.monitor.recoveryPasses,
    destinations: destinations.map((d) => ({ key: d.key, afterMinutes: d.afterMinutes, repeatMinutes: d.repeatMinutes })),
  };
}

async function openIncidentRecord(raw: unknown, ctx: FunctionContext): Promise<MonitorNow> {
  const input = openSchema.parse(raw);
  const now = await monitorNow(input.monitorId, ctx);
  const incidents = new IncidentStore(ctx.services.storage);
  if (now.status === 'active') {
    const created = await incidents.create({ id: input.incidentId, monitorId: input.monitorId, openedMinute: input.minute, openedAt: input.at, state: 'pending' });
    if (created) return now;
    const existing = await incidents.get(input.incidentId);
    if (!existing?.closedAt) return now; // this start's own record, written by an earlier try
  }
  // Nothing will run for it: the recheck flag the hand-off set goes too.
  await new RecheckStore(ctx.services.storage).unflag(input.monitorId);
  return now.status === 'active' ? { status: 'stale' } : now;
}

async function recordIncident(raw: unknown, ctx: FunctionContext): Promise<null> {
  const input = recordSchema.parse(raw);
  const incidents = new IncidentStore(ctx.services.storage);
  await incidents.putTimeline(
    input.incidentId,
    input.timeline.map((e) => ({ seq: e.seq, at: input.at, kind: e.kind, details: e.details })),
  );
  const rechecks = new RecheckStore(ctx.services.storage);
  if (input.recheck === true) await rechecks.flag(input.monitorId, input.at);
  if (input.recheck === false) await rechecks.unflag(input.monitorId);
  if (input.state) {
    await incidents.setState(input.incidentId, input.state.state as IncidentStatus, input.state.end, input.state.closed ? input.at : undefined);
  }
  return null;
}

async function deliverAlert(raw: unknown, ctx: FunctionContext): Promise<{ status: string }> {
  const input = alertSchema.parse(raw);
  if (input.kind === 'failure' && input.sequence === undefined) throw new Error('a failure alert needs its sequence number');
  const found = await new MonitorStore(ctx.services.storage).getWithReceivers(input.monitorId);
  if (!found) return { status: 'gone' };
  const destination = (await destinationsFor(ctx.services.storage, found)).find((d) => d.key === input.destination);
  // Read at alert time: a channel removed or a receiver gone since gets nothing.
  if (!destination) return { status: 'gone' };
  const message = alertMessage(
    {
      kind: input.kind,
      monitor: found.monitor,
      incidentId: input.incidentId,
      openedAt: input.openedAt,
      at: input.at,
      ...(input.sequence !== undefined ? { sequence: input.sequence } : {}),
      ...(input.failure ? { failure: input.failure } : {}),
      publicBaseUrl: ctx.config.publicBaseUrl,
    },
    destination,
  );
  const key = `incident:${input.incidentId}:${input.destination}:${input.kind === 'failure' ? `failure:${input.sequence}` : 'recovery'}`;
  const result = await ctx.services.sender.send(message, { idempotencyKey: key, log: ctx });
  await new IncidentStore(ctx.services.storage).putAlert(input.incidentId, {
    at: input.at,
    destination: input.destination,
    channel: destination.channel.kind,
    kind: input.kind,
    ...(input.sequence !== undefined ? { sequence: input.sequence } : {}),
    status: result.status,
  });
  return { status: result.status };
}

export function incidentActivities(): ActivityFunction[] {
  return [
    { kind: 'activity', name: ACTIVITY.open, handler: openIncidentRecord },
    { kind: 'activity', name: ACTIVITY.refresh, handler: (raw, ctx) => monitorNow(refreshSchema.parse(raw).monitorId, ctx) },
    { kind: 'activity', name: ACTIVITY.record, handler: recordIncident },
    { kind: 'activity', name: ACTIVITY.alert, handler: deliverAlert },
  ];
}
