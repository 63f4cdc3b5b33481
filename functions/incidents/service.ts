import { z } from 'zod';
import { plainTextSchema } from '../accounts/text.js';
import { notFound } from '../accounts/errors.js';
import { visibleMonitor } from '../monitors/access.js';
import { IncidentStore, parseIncidentId, type IncidentDetail } from '../storage/incidents.js';
import type { Storage } from '../storage/storage.js';

// Reading incidents and annotating them (API.md, Incidents). The owner of the monitor and
// the receivers that accepted its alerts see its incidents and add notes; for everyone
// else an incident does not exist (404), as its monitor does not.

export const noteInputSchema = z.strictObject({ text: plainTextSchema(2000, 'note') }).meta({ id: 'IncidentNoteInput' });

const timelineEntrySchema = z
  .object({ at: z.string(), kind: z.string().describe('opened, recheck, verdict, alerting, alert, recovery-notice, cancelled, recovered, paused, deleted') })
  .catchall(z.unknown())
  .meta({ id: 'IncidentTimelineEntry' });

const alertSchema = z
  .object({
    at: z.string(),
    destination: z.string().describe('<accountId>:<channelId>'),
    channel: z.enum(['email', 'sms', 'webhook']),
    kind: z.enum(['failure', 'recovery']),
    sequence: z.number().int().optional().describe('Failure alerts: 1 to 4'),
    status: z.string().describe('What the sender reported: sent, retrying, failed, …'),
  })
  .meta({ id: 'IncidentAlert' });

export const noteSchema = z.object({ at: z.string(), accountId: z.string(), text: z.string() }).meta({ id: 'IncidentNote' });

export const incidentSchema = z
  .object({
    id: z.string(),
    monitorId: z.string(),
    openedAt: z.string(),
    closedAt: z.string().optional(),
    state: z.enum(['pending', 'cancelled', 'alerting', 'recovered']),
    end: z.enum(['cancelled', 'recovered', 'paused', 'deleted']).optional().describe('How it ended: paused and deleted end quietly (state cancelled)'),
    timeline: z.array(timelineEntrySchema),
    alerts: z.array(alertSchema),
    notes: z.array(noteSchema),
  })
  .meta({ id: 'Incident' });

export type IncidentView = z.infer<typeof incidentSchema>;

export const incidentListQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });

async function readable(storage: Storage, incidentId: string, accountId: string) {
  const key = parseIncidentId(incidentId);
  if (!key) throw notFound('incident');
  const { access } = await visibleMonitor(storage, key.monitorId, accountId).catch(() => {
    throw notFound('incident');
  });
  if (access === 'public') throw notFound('incident');
  const record = await new IncidentStore(storage).get(incidentId);
  if (!record) throw notFound('incident');
  return record;
}

export async function getIncident(storage: Storage, accountId: string, incidentId: string): Promise<IncidentView> {
  return view(await new IncidentStore(storage).detail(await readable(storage, incidentId, accountId)));
}

export async function listIncidents(storage: Storage, accountId: string, monitorId: string, limit = 20): Promise<IncidentView[]> {
  const { access } = await visibleMonitor(storage, monitorId, accountId);
  if (access === 'public') return [];
  const store = new IncidentStore(storage);
  const records = await store.listByMonitor(monitorId, limit);
  return Promise.all(records.map(async (r) => view(await store.detail(r))));
}

export async function addNote(storage: Storage, accountId: string, incidentId: string, text: string, at: string) {
  await readable(storage, incidentId, accountId);
  const note = { at, accountId, text };
  await new IncidentStore(storage).addNote(incidentId, note);
  return note;
}

/** The timeline as the API shows it: what the orchestration recorded, and each alert sent, in time order. */
function view(d: IncidentDetail): IncidentView {
  const recorded = d.timeline.map((t) => ({ at: t.at, kind: t.kind, ...t.details }));
  const alerts = d.alerts.map((a) => ({
    at: a.at,
    kind: a.kind === 'failure' ? 'alert' : 'recovery-notice',
    destination: a.destination,
    channel: a.channel,
    ...(a.sequence !== undefined ? { sequence: a.sequence } : {}),
  }));
  // Stable: an alert decided in the same turn as a timeline entry comes after it.
  const timeline = [...recorded, ...alerts].map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i).map(({ e }) => e);
  return {
    id: d.id,
    monitorId: d.monitorId,
    openedAt: d.openedAt,
    ...(d.closedAt ? { closedAt: d.closedAt } : {}),
    state: d.state,
    ...(d.end ? { end: d.end } : {}),
    timeline,
    alerts: d.alerts.map((a) => ({
      at: a.at,
      destination: a.destination,
      channel: a.channel as 'email' | 'sms' | 'webhook',
      kind: a.kind,
      ...(a.sequence !== undefined ? { sequence: a.sequence } : {}),
      status: a.status,
    })),
    notes: d.notes,
  };
}
