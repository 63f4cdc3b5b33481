import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { z } from 'zod';
import { failureSummarySchema, type FailureSummary } from './messages.js';
import { apiState, decide, nextDeadline, openIncident, type Decision, type IncidentCommand, type IncidentEnd, type IncidentEvent, type IncidentState } from './policy.js';

// One orchestration per incident, `incident-<monitorId>` (DESIGN.md, data flow 4). It only
// orchestrates: wait for the next piece of news or the policy's next deadline, ask the
// policy what to do, carry that out with activities. Time comes only from
// context.df.currentUtcDateTime and the minute length from its input, so every replay
// decides the same. After a fixed number of turns it continues as new, carrying the
// policy's state, so its history stays bounded however long the incident lasts.

export const INCIDENT_ORCHESTRATION = 'incident';
/** The one external event: a verdict of a later cycle, or a change of the monitor. */
export const INCIDENT_EVENT = 'incident-news';
export const DEFAULT_TURNS_PER_EXECUTION = 40;

export const ACTIVITY = {
  open: 'incident-open',
  refresh: 'incident-refresh',
  record: 'incident-record',
  alert: 'incident-alert',
} as const;

export function incidentInstanceId(monitorId: string): string {
  return `incident-${monitorId}`;
}

// ── what travels in history (validated on the way in) ──────────────────────────────────

const outcomeSchema = z.enum(['pass', 'fail', 'suppressed']);

export const incidentNewsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('verdict'), minute: z.number().int(), at: z.string(), outcome: outcomeSchema, failure: failureSummarySchema.optional() }),
  z.object({ type: z.literal('monitor'), change: z.enum(['paused', 'deleted']) }),
]);
export type IncidentNews = z.infer<typeof incidentNewsSchema>;

const destinationPlanSchema = z.object({ key: z.string(), afterMinutes: z.number(), repeatMinutes: z.number() });

const stateSchema = z.object({
  incidentId: z.string(),
  monitorId: z.string(),
  openedMinute: z.number(),
  alertDelayMinutes: z.number(),
  recoveryPasses: z.number(),
  phase: z.enum(['pending', 'alerting', 'ended']),
  end: z.enum(['cancelled', 'recovered', 'paused', 'deleted']).optional(),
  lastVerdictMinute: z.number(),
  lastOutcome: outcomeSchema,
  lastFailMinute: z.number(),
  passesInRow: z.number(),
  destinations: z.array(destinationPlanSchema.extend({ active: z.boolean(), sent: z.number(), nextAt: z.number() })),
  timelineCount: z.number(),
}) satisfies z.ZodType<IncidentState>;

const carriedSchema = z.object({
  state: stateSchema,
  openedAt: z.string(),
  failure: failureSummarySchema.optional(),
  /** The state last written to the incident record. */
  recorded: z.string(),
});
interface Carried {
  readonly state: IncidentState;
  readonly openedAt: string;
  readonly failure?: FailureSummary;
  readonly recorded: string;
}

export const incidentInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('open'),
    minuteMs: z.number().positive(),
    turnsPerExecution: z.number().int().min(1).optional(),
    monitorId: z.string(),
    incidentId: z.string(),
    minute: z.number().int(),
    at: z.string(),
    failure: failureSummarySchema.optional(),
  }),
  z.object({
    kind: z.literal('continue'),
    minuteMs: z.number().positive(),
    turnsPerExecution: z.number().int().min(1).optional(),
    carried: carriedSchema,
  }),
]);
export type IncidentInput = z.infer<typeof incidentInputSchema>;

/** What incident-open and incident-refresh answer. */
export const monitorNowSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('active'), alertDelayMinutes: z.number(), recoveryPasses: z.number(), destinations: z.array(destinationPlanSchema) }),
  z.object({ status: z.enum(['paused', 'deleted', 'stale']) }),
]);
export type MonitorNow = z.infer<typeof monitorNowSchema>;

export interface RecordInput {
  readonly incidentId: string;
  readonly monitorId: string;
  readonly at: string;
  readonly timeline: ReadonlyArray<{ seq: number; kind: string; details: Record<string, unknown> }>;
  readonly recheck?: boolean;
  readonly state?: { readonly state: string; readonly end?: IncidentEnd; readonly closed: boolean };
}

export interface AlertInput {
  readonly incidentId: string;
  readonly monitorId: string;
  readonly openedAt: string;
  readonly at: string;
  readonly destination: string;
  readonly kind: 'failure' | 'recovery';
  readonly sequence?: number;
  readonly failure?: FailureSummary;
}

// ── the orchestrator ───────────────────────────────────────────────────────────────────

export function* incidentOrchestrator(context: OrchestrationContext): Generator<Task, unknown, unknown> {
  const input = incidentInputSchema.parse(context.df.getInput());
  const { minuteMs } = input;
  const turns = input.turnsPerExecution ?? DEFAULT_TURNS_PER_EXECUTION;
  const minutesNow = () => context.df.currentUtcDateTime.getTime() / minuteMs;

  let carried: Carried;
  if (input.kind === 'open') {
    const monitor = monitorNowSchema.parse(
      yield context.df.callActivity(ACTIVITY.open, { incidentId: input.incidentId, monitorId: input.monitorId, minute: input.minute, at: input.at }),
    );
    // Paused or deleted meanwhile, or a repeated start of an incident already over: nothing to do.
    if (monitor.status !== 'active') return { incidentId: input.incidentId, end: monitor.status };
    const decision = openIncident(
      {
        incidentId: input.incidentId,
        monitorId: input.monitorId,
        minute: input.minute,
        ...(input.failure ? { regions: input.failure.regions.map((r) => r.region) } : {}),
        alertDelayMinutes: monitor.alertDelayMinutes,
        recoveryPasses: monitor.recoveryPasses,
        destinations: monitor.destinations,
      },
      minutesNow(),
    );
    carried = { state: decision.state, openedAt: input.at, recorded: 'pending', ...(input.failure ? { failure: input.failure } : {}) };
    carried = yield* carryOut(context, carried, decision.commands);
  } else {
    carried = input.carried;
    // News raised while the previous execution was busy is gone with it; a pause or delete
    // among it must not be, so every execution starts by looking at the monitor.
    carried = yield* refreshAndDecide(context, carried, minutesNow(), false);
  }

  // One wait for news at a time: a second waiter for the same event name would leave the
  // next event to the first, abandoned one. Timers are made afresh each turn: a task yielded
  // again inside a new Task.any repeats its action, and a timer's action takes a sequence
  // number, so a reused timer would be scheduled twice.
  let news: Task | undefined;
  for (let turn = 0; turn < turns && carried.state.phase !== 'ended'; turn++) {
    const deadline = nextDeadline(carried.state);
    news ??= context.df.waitForExternalEvent(INCIDENT_EVENT);
    const timer: TimerTask | undefined = deadline === undefined ? undefined : context.df.createTimer(new Date(Math.ceil(deadline * minuteMs)));
    let winner: unknown = news;
    if (timer) winner = yield context.df.Task.any([news, timer]);
    else yield news;
    if (winner === news) {
      timer?.cancel();
      const result: unknown = news.result;
      news = undefined;
      const parsed = incidentNewsSchema.safeParse(result);
      if (!parsed.success) continue; // nothing this orchestrator sent: ignore it
      const event = parsed.data;
      if (event.type === 'verdict' && event.outcome === 'fail' && event.failure && event.minute > carried.state.lastVerdictMinute) {
        carried = { ...carried, failure: event.failure };
      }
      const policyEvent: IncidentEvent = event.type === 'verdict' ? { type: 'verdict', minute: event.minute, outcome: event.outcome, ...(event.failure ? { regions: event.failure.regions.map((r) => r.region) } : {}) } : event;
      const decision = decide(carried.state, policyEvent, minutesNow());
      carried = yield* carryOut(context, { ...carried, state: decision.state }, decision.commands);
    } else {
      // A deadline: alerts may be due. Destinations are read now, as they are at alert time.
      carried = yield* refreshAndDecide(context, carried, Math.max(minutesNow(), deadline!), true);
    }
  }

  if (carried.state.phase === 'ended') return { incidentId: carried.state.incidentId, end: carried.state.end };
  const next = { kind: 'continue' as const, minuteMs, ...(input.turnsPerExecution ? { turnsPerExecution: input.turnsPerExecution } : {}), carried };
  context.df.continueAsNew(next);
  return undefined;
}

function* refreshAndDecide(context: OrchestrationContext, carried: Carried, now: number, tick: boolean): Generator<Task, Carried, unknown> {
  let monitor: MonitorNow | undefined;
  try {
    monitor = monitorNowSchema.parse(yield context.df.callActivity(ACTIVITY.refresh, { monitorId: carried.state.monitorId }));
  } catch (err) {
    // Storage trouble must not end the incident (a new one would start the cap over): go on
    // with the destinations known from the last refresh.
    if (!context.df.isReplaying) context.warn(`incident ${carried.state.incidentId}: refresh failed: ${String(err)}`);
  }
  let decision: Decision;
  if (monitor?.status === 'paused' || monitor?.status === 'deleted') decision = decide(carried.state, { type: 'monitor', change: monitor.status }, now);
  else if (monitor?.status === 'active') {
    const refreshed = decide(carried.state, { type: 'destinations', destinations: monitor.destinations, recoveryPasses: monitor.recoveryPasses }, now);
    const ticked = tick ? decide(refreshed.state, { type: 'tick' }, now) : { state: refreshed.state, commands: [] };
    decision = { state: ticked.state, commands: [...refreshed.commands, ...ticked.commands] };
  } else decision = tick ? decide(carried.state, { type: 'tick' }, now) : { state: carried.state, commands: [] };
  return yield* carryOut(context, { ...carried, state: decision.state }, decision.commands);
}

/** Runs the policy's commands: one activity records, one per alert sends (in parallel). */
function* carryOut(context: OrchestrationContext, carried: Carried, commands: readonly IncidentCommand[]): Generator<Task, Carried, unknown> {
  const at = context.df.currentUtcDateTime.toISOString();
  const { state } = carried;
  const timeline = commands.flatMap((c) => (c.type === 'timeline' ? [{ seq: c.entry.seq, kind: c.entry.kind, details: detailsOf(c.entry) }] : []));
  const recheck = commands.findLast((c) => c.type === 'recheck');
  const status = apiState(state);
  const record: RecordInput = {
    incidentId: state.incidentId,
    monitorId: state.monitorId,
    at,
    timeline,
    ...(recheck ? { recheck: recheck.on } : {}),
    ...(status !== carried.recorded || state.phase === 'ended' ? { state: { state: status, ...(state.end ? { end: state.end } : {}), closed: state.phase === 'ended' } } : {}),
  };
  if (timeline.length > 0 || record.recheck !== undefined || record.state) {
    try {
      yield context.df.callActivity(ACTIVITY.record, record);
      carried = { ...carried, recorded: status };
    } catch (err) {
      if (!context.df.isReplaying) context.warn(`incident ${state.incidentId}: recording failed: ${String(err)}`);
    }
  }
  const sends = commands.flatMap((c) => {
    if (c.type !== 'alert' && c.type !== 'recovery') return [];
    const alert: AlertInput = {
      incidentId: state.incidentId,
      monitorId: state.monitorId,
      openedAt: carried.openedAt,
      at,
      destination: c.destination,
      kind: c.type === 'alert' ? 'failure' : 'recovery',
      ...(c.type === 'alert' ? { sequence: c.sequence } : {}),
      ...(carried.failure ? { failure: carried.failure } : {}),
    };
    return [context.df.callActivity(ACTIVITY.alert, alert)];
  });
  if (sends.length > 0) {
    try {
      yield context.df.Task.all(sends);
    } catch (err) {
      // The sender keeps and retries what it could not send; a sequence number is never reused.
      if (!context.df.isReplaying) context.warn(`incident ${state.incidentId}: an alert activity failed: ${String(err)}`);
    }
  }
  return carried;
}

function detailsOf(entry: Extract<IncidentCommand, { type: 'timeline' }>['entry']): Record<string, unknown> {
  return {
    ...(entry.minute !== undefined ? { minute: entry.minute } : {}),
    ...(entry.outcome ? { outcome: entry.outcome } : {}),
    ...(entry.regions ? { regions: entry.regions } : {}),
  };
}
