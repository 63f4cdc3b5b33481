import { describe, expect, it } from 'vitest';
import { apiState, decide, MAX_FAILURE_ALERTS, nextDeadline, openIncident, type DestinationPlan, type IncidentCommand, type IncidentState } from '../../../functions/incidents/policy.js';

// The incident policy, rule by rule (exactstate notes; issue 6, item 3). Times are minutes of
// the scheduling clock; the incident opens with the failing verdict of minute 10.

const M = 10;
const email: DestinationPlan = { key: 'a:email', afterMinutes: 0, repeatMinutes: 15 };
const sms: DestinationPlan = { key: 'a:sms', afterMinutes: 15, repeatMinutes: 15 };

function open(options: { delay?: number; passes?: number; destinations?: DestinationPlan[]; now?: number } = {}) {
  return openIncident(
    {
      incidentId: 'i1',
      monitorId: 'm1',
      minute: M,
      regions: ['eu', 'us'],
      alertDelayMinutes: options.delay ?? 2,
      recoveryPasses: options.passes ?? 1,
      destinations: options.destinations ?? [email],
    },
    options.now ?? M + 0.5,
  );
}

const alerts = (commands: readonly IncidentCommand[]) => commands.filter((c) => c.type === 'alert');
const kinds = (commands: readonly IncidentCommand[]) => commands.map((c) => (c.type === 'timeline' ? `timeline:${c.entry.kind}` : c.type));

/** Feeds failing verdicts each minute (arriving `lag` after the minute) and every deadline, up to `until`. */
function run(state: IncidentState, from: number, until: number, outcome: (minute: number) => 'pass' | 'fail' | 'suppressed' | undefined = () => 'fail', lag = 0.5) {
  const log: Array<{ at: number; command: IncidentCommand }> = [];
  let minute = from;
  for (;;) {
    const deadline = nextDeadline(state);
    const arrival = minute + lag;
    if (state.phase === 'ended' || (arrival > until && (deadline === undefined || deadline > until))) break;
    let decision;
    if (deadline !== undefined && deadline <= arrival) decision = decide(state, { type: 'tick' }, deadline);
    else {
      const o = outcome(minute);
      decision = o ? decide(state, { type: 'verdict', minute, outcome: o }, arrival) : { state, commands: [] };
      minute++;
    }
    const at = deadline !== undefined && deadline <= arrival ? deadline : arrival;
    for (const command of decision.commands) log.push({ at, command });
    state = decision.state;
  }
  return { state, log };
}

describe('opening', () => {
  it('starts pending, flags the recheck and writes the timeline', () => {
    const { state, commands } = open();
    expect(state.phase).toBe('pending');
    expect(kinds(commands)).toEqual(['timeline:opened', 'recheck', 'timeline:recheck']);
    expect(commands[1]).toEqual({ type: 'recheck', on: true });
    expect(nextDeadline(state)).toBe(M + 3); // M + d + 1 until the last recheck inside the delay fails
    expect(apiState(state)).toBe('pending');
  });

  it('alerts at once with no delay', () => {
    const { state, commands } = open({ delay: 0 });
    expect(alerts(commands)).toEqual([{ type: 'alert', destination: 'a:email', sequence: 1 }]);
    expect(state.phase).toBe('alerting');
    expect(nextDeadline(state)).toBe(M + 15);
  });
});

describe('alert delay and cancellation', () => {
  it('a pass before the delay expires cancels: nobody alerted, recheck off', () => {
    const { state } = open();
    const { state: after, commands } = decide(state, { type: 'verdict', minute: M + 1, outcome: 'pass' }, M + 1.5);
    expect(after).toMatchObject({ phase: 'ended', end: 'cancelled' });
    expect(alerts(commands)).toEqual([]);
    expect(commands.filter((c) => c.type === 'recovery')).toEqual([]);
    expect(commands).toContainEqual({ type: 'recheck', on: false });
    expect(commands).toContainEqual({ type: 'end', end: 'cancelled' });
    expect(apiState(after)).toBe('cancelled');
  });

  it('alerts at M + d once the last recheck inside the delay failed', () => {
    let { state } = open();
    ({ state } = decide(state, { type: 'verdict', minute: M + 1, outcome: 'fail' }, M + 1.5));
    expect(nextDeadline(state)).toBe(M + 2);
    const early = decide(state, { type: 'tick' }, M + 1.99);
    expect(alerts(early.commands)).toEqual([]);
    const due = decide(state, { type: 'tick' }, M + 2);
    expect(alerts(due.commands)).toEqual([{ type: 'alert', destination: 'a:email', sequence: 1 }]);
    expect(apiState(due.state)).toBe('alerting');
  });

  it('waits for a late recheck verdict, but never past M + d + 1', () => {
    const { state } = open();
    // The recheck of minute 11 reports at 12.3: the alert goes then, not at 12.
    const late = decide(state, { type: 'verdict', minute: M + 1, outcome: 'fail' }, M + 2.3);
    expect(alerts(late.commands)).toHaveLength(1);
    // No recheck reported at all: alert at M + d + 1.
    expect(alerts(decide(state, { type: 'tick' }, M + 3).commands)).toHaveLength(1);
  });

  it('a pass arriving after the delay but before anyone was alerted still cancels nothing that was sent', () => {
    let { state } = open({ destinations: [sms] });
    ({ state } = decide(state, { type: 'verdict', minute: M + 1, outcome: 'fail' }, M + 1.5));
    ({ state } = decide(state, { type: 'tick' }, M + 2));
    expect(state.phase).toBe('alerting');
    const { state: after, commands } = decide(state, { type: 'verdict', minute: M + 5, outcome: 'pass' }, M + 5.5);
    expect(after.end).toBe('recovered');
    expect(commands.filter((c) => c.type === 'recovery')).toEqual([]); // no one was alerted
  });
});

describe('escalation, repeats and the cap', () => {
  it('alerts each destination on its own schedule, at most four times', () => {
    const { log } = run(open({ destinations: [email, sms] }).state, M + 1, M + 200);
    const byDest = (key: string) => log.filter((l) => l.command.type === 'alert' && l.command.destination === key).map((l) => [l.at, (l.command as { sequence: number }).sequence]);
    expect(byDest('a:email')).toEqual([[12, 1], [27, 2], [42, 3], [57, 4]]);
    expect(byDest('a:sms')).toEqual([[27, 1], [42, 2], [57, 3], [72, 4]]);
  });

  it('has no deadline once every destination reached the cap', () => {
    const { state } = run(open().state, M + 1, M + 200);
    expect(state.destinations[0]!.sent).toBe(MAX_FAILURE_ALERTS);
    expect(nextDeadline(state)).toBeUndefined();
    expect(state.phase).toBe('alerting'); // still failing: the incident stays open
  });

  it('drops a destination that went away and schedules one that arrived', () => {
    let { state } = open({ delay: 0 });
    ({ state } = decide(state, { type: 'destinations', destinations: [sms], recoveryPasses: 1 }, M + 1));
    expect(state.destinations.map((d) => [d.key, d.active, d.nextAt])).toEqual([
      ['a:email', false, M + 15],
      ['a:sms', true, M + 15],
    ]);
    const { commands } = decide(state, { type: 'tick' }, M + 15);
    expect(alerts(commands)).toEqual([{ type: 'alert', destination: 'a:sms', sequence: 1 }]);
  });

  it('keeps the count of a destination that left and came back', () => {
    let { state } = open({ delay: 0 });
    ({ state } = decide(state, { type: 'destinations', destinations: [], recoveryPasses: 1 }, M + 1));
    ({ state } = decide(state, { type: 'destinations', destinations: [email], recoveryPasses: 1 }, M + 2));
    expect(state.destinations[0]).toMatchObject({ sent: 1, active: true, nextAt: M + 15 });
  });
});

describe('recovery', () => {
  it('notifies every destination that got a failure alert, and only those', () => {
    let { state } = run(open({ destinations: [email, sms] }).state, M + 1, M + 16);
    expect(state.destinations.map((d) => d.sent)).toEqual([1, 0]);
    const { state: after, commands } = decide(state, { type: 'verdict', minute: M + 17, outcome: 'pass' }, M + 17.5);
    expect(commands.filter((c) => c.type === 'recovery')).toEqual([{ type: 'recovery', destination: 'a:email' }]);
    expect(after).toMatchObject({ phase: 'ended', end: 'recovered' });
    expect(commands).toContainEqual({ type: 'recheck', on: false });
    state = after;
    expect(decide(state, { type: 'verdict', minute: M + 18, outcome: 'fail' }, M + 18.5).commands).toEqual([]);
  });

  it('needs recoveryPasses passes in a row; a failure starts the count again', () => {
    let { state } = open({ delay: 0, passes: 2 });
    const step = (minute: number, outcome: 'pass' | 'fail' | 'suppressed') => {
      const d = decide(state, { type: 'verdict', minute, outcome }, minute + 0.5);
      state = d.state;
      return d.commands;
    };
    step(M + 1, 'pass');
    expect(state.phase).toBe('alerting');
    step(M + 2, 'fail');
    step(M + 3, 'pass');
    step(M + 4, 'suppressed'); // neither counts nor resets
    expect(state.phase).toBe('alerting');
    const last = step(M + 5, 'pass');
    expect(state.end).toBe('recovered');
    expect(last.filter((c) => c.type === 'recovery')).toHaveLength(1);
  });

  it('sends no failure alert while passes are being counted', () => {
    let { state } = open({ delay: 0, passes: 3 });
    ({ state } = decide(state, { type: 'verdict', minute: M + 14, outcome: 'pass' }, M + 14.5));
    expect(nextDeadline(state)).toBeUndefined();
    expect(alerts(decide(state, { type: 'tick' }, M + 16).commands)).toEqual([]);
  });
});

describe('suppressed verdicts', () => {
  it('neither alert nor recover nor cancel; a later failure sends the alert that was held, once', () => {
    let { state } = open();
    ({ state } = decide(state, { type: 'verdict', minute: M + 1, outcome: 'suppressed' }, M + 1.5));
    expect(state.phase).toBe('pending');
    const held = decide(state, { type: 'tick' }, M + 3);
    expect(held.state.phase).toBe('alerting');
    expect(alerts(held.commands)).toEqual([]);
    expect(nextDeadline(held.state)).toBeUndefined();
    const resumed = decide(held.state, { type: 'verdict', minute: M + 4, outcome: 'fail' }, M + 4.5);
    expect(alerts(resumed.commands)).toEqual([{ type: 'alert', destination: 'a:email', sequence: 1 }]);
    // The schedule goes on from the nominal time; the held alert did not shift it.
    expect(nextDeadline(resumed.state)).toBe(M + 2 + 15);
  });
});

describe('monitor paused or deleted', () => {
  it.each(['paused', 'deleted'] as const)('ends the incident quietly when %s', (change) => {
    let { state } = open({ delay: 0 });
    const { state: after, commands } = decide(state, { type: 'monitor', change }, M + 1);
    expect(after).toMatchObject({ phase: 'ended', end: change });
    expect(kinds(commands)).toEqual([`timeline:${change}`, 'recheck', 'end']);
    expect(apiState(after)).toBe('cancelled');
    state = after;
    expect(nextDeadline(state)).toBeUndefined();
  });
});

describe('old news', () => {
  it('ignores repeated and out-of-order verdicts', () => {
    let { state } = open();
    ({ state } = decide(state, { type: 'verdict', minute: M + 2, outcome: 'fail' }, M + 2.5));
    for (const minute of [M, M + 1, M + 2]) {
      const d = decide(state, { type: 'verdict', minute, outcome: 'pass' }, M + 2.6);
      expect(d).toEqual({ state, commands: [] });
    }
  });

  it('numbers timeline entries without gaps', () => {
    const { log } = run(open({ destinations: [email, sms] }).state, M + 1, M + 40, (m) => (m < M + 30 ? 'fail' : 'pass'));
    const seqs = log.flatMap((l) => (l.command.type === 'timeline' ? [l.command.entry.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 2)); // opened and recheck are 0 and 1
  });
});
