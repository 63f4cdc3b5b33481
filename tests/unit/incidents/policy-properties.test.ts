import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, MAX_FAILURE_ALERTS, nextDeadline, openIncident, type DestinationPlan, type IncidentCommand, type IncidentState } from '../../../functions/incidents/policy.js';
import type { VerdictOutcome } from '../../../functions/incidents/verdict.js';

// Properties of the policy over random incidents (issue 6, item 4): random settings and
// destinations, random verdict sequences with gaps, repeats, reordering and late arrivals,
// driven the way the orchestrator drives it (every deadline, every verdict, in time order).

const M = 100;

interface Scenario {
  readonly delay: number;
  readonly passes: number;
  readonly destinations: DestinationPlan[];
  /** One entry per minute after M: the verdict (or none), how late it arrives, and whether it comes twice. */
  readonly minutes: Array<{ outcome: VerdictOutcome | null; lag: number; twice: boolean }>;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  delay: fc.integer({ min: 0, max: 6 }),
  passes: fc.integer({ min: 1, max: 3 }),
  destinations: fc.uniqueArray(
    fc.record({ key: fc.constantFrom('a:1', 'a:2', 'b:1', 'c:9'), afterMinutes: fc.integer({ min: 0, max: 30 }), repeatMinutes: fc.integer({ min: 1, max: 20 }) }),
    { selector: (d) => d.key, minLength: 0, maxLength: 4 },
  ),
  minutes: fc.array(
    fc.record({
      outcome: fc.oneof({ weight: 6, arbitrary: fc.constant<VerdictOutcome>('fail') }, fc.constant<VerdictOutcome>('pass'), fc.constant<VerdictOutcome>('suppressed'), fc.constant(null)),
      lag: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
      twice: fc.boolean(),
    }),
    { maxLength: 120 },
  ),
});

interface Logged {
  readonly at: number;
  readonly command: IncidentCommand;
}

/** Runs the scenario; returns every command with the time it was decided, and the final state. */
function simulate(s: Scenario): { log: Logged[]; state: IncidentState; deadlinesInPast: number } {
  const log: Logged[] = [];
  let deadlinesInPast = 0;
  const openedAt = M + 0.3;
  const opened = openIncident({ incidentId: 'i', monitorId: 'm', minute: M, alertDelayMinutes: s.delay, recoveryPasses: s.passes, destinations: s.destinations }, openedAt);
  let state = opened.state;
  for (const command of opened.commands) log.push({ at: openedAt, command });
  const arrivals = s.minutes
    .flatMap((m, i) => (m.outcome ? [{ minute: M + 1 + i, outcome: m.outcome, at: M + 1 + i + m.lag }, ...(m.twice ? [{ minute: M + 1 + i, outcome: m.outcome, at: M + 1 + i + m.lag + 0.01 }] : [])] : []))
    .sort((a, b) => a.at - b.at);
  let now = openedAt;
  const horizon = M + s.minutes.length + 200;
  for (let i = 0; ; ) {
    const deadline = nextDeadline(state);
    if (deadline !== undefined && deadline <= now) deadlinesInPast++;
    const next = arrivals[i];
    if (state.phase === 'ended') break;
    let decision;
    if (deadline !== undefined && (!next || deadline <= next.at)) {
      if (deadline > horizon) break;
      now = deadline;
      decision = decide(state, { type: 'tick' }, now);
    } else if (next) {
      now = next.at;
      decision = decide(state, { type: 'verdict', minute: next.minute, outcome: next.outcome }, now);
      i++;
    } else break;
    for (const command of decision.commands) log.push({ at: now, command });
    state = decision.state;
  }
  return { log, state, deadlinesInPast };
}

const failureAlerts = (log: Logged[]) => log.filter((l): l is Logged & { command: Extract<IncidentCommand, { type: 'alert' }> } => l.command.type === 'alert');

describe('incident policy properties', () => {
  it('never sends a destination more than four failure alerts, numbered 1..4 in order', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { log } = simulate(s);
        const byDest = new Map<string, number[]>();
        for (const a of failureAlerts(log)) byDest.set(a.command.destination, [...(byDest.get(a.command.destination) ?? []), a.command.sequence]);
        for (const seqs of byDest.values()) {
          expect(seqs.length).toBeLessThanOrEqual(MAX_FAILURE_ALERTS);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sends no failure alert before the alert delay has passed', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const a of failureAlerts(simulate(s).log)) expect(a.at).toBeGreaterThanOrEqual(M + s.delay);
      }),
      { numRuns: 500 },
    );
  });

  it('sends a recovery notice exactly to the destinations that were alerted, and only on recovery', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { log, state } = simulate(s);
        const alerted = new Set(failureAlerts(log).map((a) => a.command.destination));
        const recovered = log.filter((l) => l.command.type === 'recovery').map((l) => (l.command as { destination: string }).destination);
        expect(new Set(recovered).size).toBe(recovered.length);
        if (state.end === 'recovered') expect(new Set(recovered)).toEqual(alerted);
        else expect(recovered).toEqual([]);
        if (state.end === 'cancelled') expect(alerted.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('alerts on schedule while the target keeps failing: the n-th alert to d within a minute of M + delay + after + (n − 1) × repeat', () => {
    const failing = scenario.map((s) => ({ ...s, minutes: s.minutes.map((m) => ({ ...m, outcome: m.outcome === null ? null : ('fail' as const) })) }));
    fc.assert(
      fc.property(failing, (s) => {
        for (const a of failureAlerts(simulate(s).log)) {
          const d = s.destinations.find((x) => x.key === a.command.destination)!;
          const nominal = M + s.delay + d.afterMinutes + (a.command.sequence - 1) * d.repeatMinutes;
          expect(a.at).toBeGreaterThanOrEqual(nominal);
          expect(a.at).toBeLessThanOrEqual(nominal + 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never asks to be woken for a deadline that has already passed, and ends with the recheck off', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { log, state, deadlinesInPast } = simulate(s);
        expect(deadlinesInPast).toBe(0);
        const rechecks = log.filter((l) => l.command.type === 'recheck').map((l) => (l.command as { on: boolean }).on);
        expect(rechecks[0]).toBe(true);
        if (state.phase === 'ended') expect(rechecks.at(-1)).toBe(false);
        else expect(rechecks).toEqual([true]);
      }),
      { numRuns: 500 },
    );
  });

  it('never alerts while the latest verdict is a pass or suppressed', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        // Rebuild what the policy knew when it sent each alert: the newest verdict applied by then.
        const { log } = simulate(s);
        let latest: VerdictOutcome = 'fail';
        let latestMinute = M;
        for (const l of log) {
          if (l.command.type === 'timeline' && l.command.entry.kind === 'verdict' && l.command.entry.minute! > latestMinute) {
            latest = l.command.entry.outcome!;
            latestMinute = l.command.entry.minute!;
          }
          if (l.command.type === 'alert') expect(latest).toBe('fail');
        }
      }),
      { numRuns: 300 },
    );
  });
});
