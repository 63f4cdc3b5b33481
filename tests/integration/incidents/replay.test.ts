import { describe, expect, it } from 'vitest';
import { EVENT, history as h, type HistoryEvent } from '../../../functions/local/durable/history.js';
import { replay, type ReplayAction } from '../../../functions/local/durable/replay.js';
import { ACTIVITY, INCIDENT_EVENT, INCIDENT_ORCHESTRATION, incidentOrchestrator, type IncidentInput, type IncidentNews } from '../../../functions/incidents/orchestrator.js';
import { MAX_FAILURE_ALERTS } from '../../../functions/incidents/policy.js';

// The incident orchestrator through durable-functions' own replay executor, over histories
// recorded by a small driver that does what the Durable extension does: append each
// message to the history, replay, schedule the new actions, answer activities, fire timers,
// continue as new. Time is the driver's clock, so a day of scheduling time takes seconds.

const MINUTE = 60_000;
const M = 29_600_000; // a scheduling minute index (2026)
const monitorId = 'mabcdefghijklmnopqrst';
const destinations = [
  { key: 'a1:email', afterMinutes: 0, repeatMinutes: 15 },
  { key: 'a1:sms', afterMinutes: 15, repeatMinutes: 30 },
  { key: 'a2:email', afterMinutes: 60, repeatMinutes: 240 },
];

interface Call {
  readonly at: number;
  readonly name: string;
  readonly input: Record<string, unknown>;
}

interface Run {
  readonly calls: Call[];
  /** The history of every execution, as it stood when it ended (or now). */
  readonly executions: HistoryEvent[][];
  readonly inputs: unknown[];
  readonly output: unknown;
  readonly done: boolean;
}

/**
 * Drives one incident: the opening failing verdict at minute M, then `outcome(minute)` for
 * each later minute (undefined: no verdict), each raised 50 s into its minute.
 */
async function drive(options: {
  outcome: (minute: number) => 'pass' | 'fail' | 'suppressed' | undefined;
  minutes: number;
  turnsPerExecution?: number;
  paused?: (minute: number) => boolean;
  /** Storage trouble: the refresh activity fails in these minutes. */
  refreshFails?: (minute: number) => boolean;
}): Promise<Run> {
  let now = M * MINUTE + 50_000;
  const input: IncidentInput = {
    kind: 'open',
    minuteMs: MINUTE,
    ...(options.turnsPerExecution ? { turnsPerExecution: options.turnsPerExecution } : {}),
    monitorId,
    incidentId: `${monitorId}-${M}`,
    minute: M,
    at: new Date(M * MINUTE).toISOString(),
  };
  const calls: Call[] = [];
  const executions: HistoryEvent[][] = [];
  const inputs: unknown[] = [input];
  let events: HistoryEvent[] = [h.executionStarted(new Date(now), INCIDENT_ORCHESTRATION, input)];
  executions.push(events);
  let currentInput: unknown = input;
  const queue: HistoryEvent[] = []; // activity answers, delivered one step each
  let timers: Array<{ seq: number; fireAt: number }> = [];
  let nextVerdict = M + 1;
  let output: unknown;
  let done = false;

  const answer = (name: string, activityInput: Record<string, unknown>): unknown => {
    const minute = Math.floor(now / MINUTE);
    if (name === ACTIVITY.open || name === ACTIVITY.refresh) {
      return options.paused?.(minute) ? { status: 'paused' } : { status: 'active', alertDelayMinutes: 2, recoveryPasses: 1, destinations };
    }
    if (name === ACTIVITY.alert) return { status: 'sent', echo: activityInput['sequence'] ?? null };
    return null;
  };

  const step = async (message: HistoryEvent) => {
    const at = new Date(now);
    const turn = [h.orchestratorStarted(at), message];
    const result = await replay(INCIDENT_ORCHESTRATION, incidentOrchestrator, `incident-${monitorId}`, currentInput, [...events, ...turn], () => undefined);
    if (result.error) throw new Error(result.error);
    const scheduled = events.filter((e) => e.EventType === EVENT.TaskScheduled || e.EventType === EVENT.TimerCreated).length;
    const fresh = result.actions.filter((a): a is Extract<ReplayAction, { seq: number }> => 'seq' in a && a.seq >= scheduled);
    for (const a of fresh) {
      if (a.kind === 'activity') {
        turn.push(h.taskScheduled(at, a.seq, a.name, a.input));
        calls.push({ at: now, name: a.name, input: a.input as Record<string, unknown> });
        if (a.name === ACTIVITY.refresh && options.refreshFails?.(Math.floor(now / MINUTE))) queue.push(h.taskFailed(at, a.seq, 'storage unavailable', 'RestError'));
        else queue.push(h.taskCompleted(at, a.seq, answer(a.name, a.input as Record<string, unknown>)));
      } else {
        turn.push(h.timerCreated(at, a.seq, a.fireAt));
        timers.push({ seq: a.seq, fireAt: a.fireAt.getTime() });
      }
    }
    turn.push(h.orchestratorCompleted(at));
    events.push(...turn);
    const continued = result.done ? result.actions.find((a) => a.kind === 'continueAsNew') : undefined;
    if (continued && continued.kind === 'continueAsNew') {
      currentInput = continued.input;
      inputs.push(continued.input);
      events = [h.executionStarted(at, INCIDENT_ORCHESTRATION, continued.input)];
      executions.push(events);
      timers = [];
      queue.length = 0;
      await step(events.pop()!); // the new execution's first message
      return;
    }
    if (result.done) {
      done = true;
      output = result.output;
    }
  };

  await step(events.pop()!);
  const end = (M + options.minutes) * MINUTE;
  while (!done) {
    if (queue.length > 0) {
      now += 1;
      await step(queue.shift()!);
      continue;
    }
    const timer = timers.sort((a, b) => a.fireAt - b.fireAt)[0];
    const verdictAt = nextVerdict * MINUTE + 50_000;
    if (timer && timer.fireAt <= verdictAt && timer.fireAt <= end) {
      timers.shift();
      now = Math.max(now, timer.fireAt);
      await step(h.timerFired(new Date(now), timer.seq, new Date(timer.fireAt).toISOString()));
    } else if (verdictAt <= end) {
      const minute = nextVerdict++;
      now = Math.max(now, verdictAt);
      if (options.paused?.(minute)) {
        await step(h.eventRaised(new Date(now), INCIDENT_EVENT, { type: 'monitor', change: 'paused' } satisfies IncidentNews));
        continue;
      }
      const outcome = options.outcome(minute);
      if (!outcome) continue;
      const news: IncidentNews = { type: 'verdict', minute, at: new Date(minute * MINUTE).toISOString(), outcome };
      await step(h.eventRaised(new Date(now), INCIDENT_EVENT, news));
    } else break;
  }
  return { calls, executions, inputs, output, done };
}

type Comparable = { seq: number; name: string; input: unknown } | { seq: number; fireAt: number };
const comparable = (actions: readonly ReplayAction[]): Comparable[] =>
  actions.flatMap((a): Comparable[] => (a.kind === 'activity' ? [{ seq: a.seq, name: a.name, input: a.input }] : a.kind === 'timer' ? [{ seq: a.seq, fireAt: a.fireAt.getTime() }] : []));

/** Replays every prefix of an execution's history: each must ask for a prefix of the same actions. */
async function expectDeterministic(history: HistoryEvent[], input: unknown): Promise<number> {
  const full = comparable((await replay(INCIDENT_ORCHESTRATION, incidentOrchestrator, 'i', input, history, () => undefined)).actions);
  let checked = 0;
  for (let k = 1; k <= history.length; k++) {
    const prefix = history.slice(0, k);
    if (prefix.at(-1)!.EventType === EVENT.ExecutionStarted && k > 1) continue;
    const result = await replay(INCIDENT_ORCHESTRATION, incidentOrchestrator, 'i', input, prefix, () => undefined);
    expect(result.error).toBeUndefined();
    const actions = comparable(result.actions);
    expect(actions, `prefix of ${k} events`).toEqual(full.slice(0, actions.length));
    checked++;
  }
  return checked;
}

const alerts = (run: Run) => run.calls.filter((c) => c.name === ACTIVITY.alert);
const failureAlerts = (run: Run, key: string) => alerts(run).filter((c) => c.input['destination'] === key && c.input['kind'] === 'failure');

describe('incident orchestrator over recorded histories', () => {
  it('an outage with escalation and recovery: replaying any prefix asks for the same actions', async () => {
    const run = await drive({ outcome: (m) => (m < M + 70 ? 'fail' : 'pass'), minutes: 80, turnsPerExecution: 1000 });
    expect(run.done).toBe(true);
    expect(run.output).toEqual({ incidentId: `${monitorId}-${M}`, end: 'recovered' });
    expect(failureAlerts(run, 'a1:email').map((c) => Math.floor((c.at - M * MINUTE) / MINUTE))).toEqual([2, 17, 32, 47]);
    expect(failureAlerts(run, 'a1:sms').map((c) => Math.floor((c.at - M * MINUTE) / MINUTE))).toEqual([17, 47]);
    expect(failureAlerts(run, 'a2:email').map((c) => Math.floor((c.at - M * MINUTE) / MINUTE))).toEqual([62]);
    expect(alerts(run).filter((c) => c.input['kind'] === 'recovery').map((c) => c.input['destination']).sort()).toEqual(['a1:email', 'a1:sms', 'a2:email']);
    expect(run.executions).toHaveLength(1);
    expect(await expectDeterministic(run.executions[0]!, run.inputs[0])).toBeGreaterThan(300);
  });

  it('a blip: cancelled, no alert activity at all; every prefix replays the same', async () => {
    const run = await drive({ outcome: () => 'pass', minutes: 5 });
    expect(run.output).toEqual({ incidentId: `${monitorId}-${M}`, end: 'cancelled' });
    expect(alerts(run)).toEqual([]);
    await expectDeterministic(run.executions[0]!, run.inputs[0]);
  });

  it('continues as new with bounded history; each execution replays deterministically', async () => {
    const run = await drive({ outcome: (m) => (m % 7 === 3 ? 'suppressed' : 'fail'), minutes: 60, turnsPerExecution: 10 });
    expect(run.executions.length).toBeGreaterThan(5);
    for (const [i, history] of run.executions.slice(0, 3).entries()) await expectDeterministic(history, run.inputs[i]);
    expect(failureAlerts(run, 'a1:email')).toHaveLength(MAX_FAILURE_ALERTS);
  });

  it('an incident lasting a day of scheduling time: capped alerts, bounded history, recovery at the end', async () => {
    const run = await drive({ outcome: (m) => (m < M + 1440 ? 'fail' : 'pass'), minutes: 1445 });
    expect(run.done).toBe(true);
    expect(run.output).toMatchObject({ end: 'recovered' });
    for (const d of destinations) expect(failureAlerts(run, d.key)).toHaveLength(MAX_FAILURE_ALERTS);
    expect(alerts(run).filter((c) => c.input['kind'] === 'recovery')).toHaveLength(destinations.length);
    expect(run.executions.length).toBeGreaterThan(30);
    const longest = Math.max(...run.executions.map((e) => e.length));
    expect(longest).toBeLessThan(500); // bounded by the turns per execution, not by the day
    // Every sequence number used once per destination, whatever the executions.
    const keys = alerts(run).map((c) => `${String(c.input['destination'])}:${String(c.input['kind'])}:${String(c.input['sequence'])}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 120_000);

  it('a refresh that fails (storage trouble) neither ends the incident nor breaks the schedule', async () => {
    const run = await drive({ outcome: (m) => (m < M + 40 ? 'fail' : 'pass'), minutes: 45, refreshFails: (m) => m >= M + 10 && m < M + 30 });
    expect(run.output).toMatchObject({ end: 'recovered' });
    expect(failureAlerts(run, 'a1:email').map((c) => Math.floor((c.at - M * MINUTE) / MINUTE))).toEqual([2, 17, 32]);
    expect(failureAlerts(run, 'a1:sms').map((c) => Math.floor((c.at - M * MINUTE) / MINUTE))).toEqual([17]);
    await expectDeterministic(run.executions.at(-1)!, run.inputs.at(-1));
  });

  it('a monitor paused mid-incident ends it quietly: no recovery notice', async () => {
    const run = await drive({ outcome: () => 'fail', minutes: 30, paused: (m) => m >= M + 20 });
    expect(run.output).toMatchObject({ end: 'paused' });
    expect(alerts(run).filter((c) => c.input['kind'] === 'recovery')).toEqual([]);
    expect(run.calls.filter((c) => c.name === ACTIVITY.record).at(-1)!.input).toMatchObject({ recheck: false, state: { state: 'cancelled', end: 'paused', closed: true } });
  });
});
