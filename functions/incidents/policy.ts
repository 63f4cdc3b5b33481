import type { VerdictOutcome } from './verdict.js';

// What an incident does, decided without I/O or clocks: (state, event, now) → (state,
// commands). The orchestrator feeds it verdicts, deadlines and monitor changes and carries
// out the commands; everything here is deterministic so replays decide the same again.
//
// Times are scheduling minutes (fractions allowed): minute m starts at m × minute length.
// An incident opens with the failing verdict of minute M. With alert delay d:
//   - pending until M + d: a passing verdict ends it `cancelled`, no one alerted. The last
//     recheck inside the delay (minute M + d − 1) reports only after its minute, so the
//     delay ends at M + d once that recheck failed too, and at M + d + 1 at the latest
//     (a recheck that never reports is not a pass).
//   - alerting: destination k is first alerted at M + d + after_k, then every repeat_k
//     minutes, at most MAX_FAILURE_ALERTS times; alerts wait while the latest verdict is not
//     a failure (a suppressed cycle says nothing about the target; a pass may be recovery).
//   - recovered: after `recoveryPasses` passing verdicts in a row; a recovery notice goes to
//     every destination that got a failure alert, and to no one else.
//   - paused or deleted monitor: ended quietly, nothing sent.

/** The cap: failure alerts per destination per incident (exactstate notes, "alert capping"). */
export const MAX_FAILURE_ALERTS = 4;

export type IncidentPhase = 'pending' | 'alerting' | 'ended';
export type IncidentEnd = 'cancelled' | 'recovered' | 'paused' | 'deleted';

/** How one destination wants to be alerted (from alerts/destinations.ts, read at alert time). */
export interface DestinationPlan {
  readonly key: string;
  readonly afterMinutes: number;
  readonly repeatMinutes: number;
}

export interface DestinationState extends DestinationPlan {
  /** False once the destination no longer exists (channel removed, receiver gone). */
  readonly active: boolean;
  /** Failure alerts sent so far (≤ MAX_FAILURE_ALERTS). */
  readonly sent: number;
  /** When the next failure alert is due. */
  readonly nextAt: number;
}

export interface IncidentState {
  readonly incidentId: string;
  readonly monitorId: string;
  /** Minute of the verdict that opened the incident. */
  readonly openedMinute: number;
  readonly alertDelayMinutes: number;
  readonly recoveryPasses: number;
  readonly phase: IncidentPhase;
  readonly end?: IncidentEnd;
  /** Newest verdict minute applied; older or repeated verdicts are ignored. */
  readonly lastVerdictMinute: number;
  readonly lastOutcome: VerdictOutcome;
  readonly lastFailMinute: number;
  readonly passesInRow: number;
  readonly destinations: readonly DestinationState[];
  /** Timeline entries written so far: numbers the next one, so rewriting one is idempotent. */
  readonly timelineCount: number;
}

export type IncidentEvent =
  | { readonly type: 'verdict'; readonly minute: number; readonly outcome: VerdictOutcome; readonly regions?: readonly string[] }
  /** A deadline (from nextDeadline) has come. */
  | { readonly type: 'tick' }
  /** The monitor's destinations and settings as they are now. */
  | { readonly type: 'destinations'; readonly destinations: readonly DestinationPlan[]; readonly recoveryPasses: number }
  | { readonly type: 'monitor'; readonly change: 'paused' | 'deleted' };

export type TimelineKind = 'opened' | 'recheck' | 'verdict' | 'alerting' | 'cancelled' | 'recovered' | 'paused' | 'deleted';

export interface TimelineEntry {
  /** Position in the incident's timeline (0-based). */
  readonly seq: number;
  readonly kind: TimelineKind;
  readonly minute?: number;
  readonly outcome?: VerdictOutcome;
  readonly regions?: readonly string[];
}

export type IncidentCommand =
  | { readonly type: 'alert'; readonly destination: string; readonly sequence: number }
  | { readonly type: 'recovery'; readonly destination: string }
  | { readonly type: 'timeline'; readonly entry: TimelineEntry }
  | { readonly type: 'recheck'; readonly on: boolean }
  | { readonly type: 'end'; readonly end: IncidentEnd };

export interface Decision {
  readonly state: IncidentState;
  readonly commands: readonly IncidentCommand[];
}

export interface OpenParams {
  readonly incidentId: string;
  readonly monitorId: string;
  readonly minute: number;
  readonly regions?: readonly string[];
  readonly alertDelayMinutes: number;
  readonly recoveryPasses: number;
  readonly destinations: readonly DestinationPlan[];
}

/** A failing verdict with no open incident: the incident starts, and the recheck with it. */
export function openIncident(params: OpenParams, now: number): Decision {
  const state: IncidentState = {
    incidentId: params.incidentId,
    monitorId: params.monitorId,
    openedMinute: params.minute,
    alertDelayMinutes: params.alertDelayMinutes,
    recoveryPasses: params.recoveryPasses,
    phase: 'pending',
    lastVerdictMinute: params.minute,
    lastOutcome: 'fail',
    lastFailMinute: params.minute,
    passesInRow: 0,
    destinations: [],
    timelineCount: 0,
  };
  const out = new Builder(state);
  out.timeline({ kind: 'opened', minute: params.minute, outcome: 'fail', ...(params.regions ? { regions: params.regions } : {}) });
  out.command({ type: 'recheck', on: true });
  out.timeline({ kind: 'recheck', minute: params.minute + 1 });
  out.state = { ...out.state, destinations: mergeDestinations(out.state, params.destinations) };
  return evaluate(out, now);
}

export function decide(state: IncidentState, event: IncidentEvent, now: number): Decision {
  if (state.phase === 'ended') return { state, commands: [] };
  const out = new Builder(state);
  switch (event.type) {
    case 'verdict':
      if (!applyVerdict(out, event)) return { state, commands: [] };
      break;
    case 'tick':
      break;
    case 'destinations':
      out.state = { ...out.state, recoveryPasses: event.recoveryPasses, destinations: mergeDestinations(out.state, event.destinations) };
      break;
    case 'monitor':
      finish(out, event.change, []);
      return out.decision();
  }
  return evaluate(out, now);
}

/** When the policy next needs a `tick`, if ever (no deadline: it waits for news). */
export function nextDeadline(state: IncidentState): number | undefined {
  if (state.phase === 'ended') return undefined;
  if (state.phase === 'pending') return delayEnd(state);
  if (state.lastOutcome !== 'fail') return undefined;
  let earliest: number | undefined;
  for (const d of state.destinations) {
    if (d.active && d.sent < MAX_FAILURE_ALERTS && (earliest === undefined || d.nextAt < earliest)) earliest = d.nextAt;
  }
  return earliest;
}

/** The state the API shows (API.md): pending, cancelled, alerting, recovered. */
export function apiState(state: Pick<IncidentState, 'phase' | 'end'>): 'pending' | 'cancelled' | 'alerting' | 'recovered' {
  if (state.phase === 'pending') return 'pending';
  if (state.phase === 'alerting') return 'alerting';
  return state.end === 'recovered' ? 'recovered' : 'cancelled';
}

// ── internals ───────────────────────────────────────────────────────────────────────────

class Builder {
  readonly commands: IncidentCommand[] = [];
  constructor(public state: IncidentState) {}

  command(c: IncidentCommand): void {
    this.commands.push(c);
  }

  timeline(entry: Omit<TimelineEntry, 'seq'>): void {
    this.commands.push({ type: 'timeline', entry: { seq: this.state.timelineCount, ...entry } });
    this.state = { ...this.state, timelineCount: this.state.timelineCount + 1 };
  }

  decision(): Decision {
    return { state: this.state, commands: this.commands };
  }
}

/** The end of the alert delay: M + d once the last recheck inside it failed, M + d + 1 at the latest. */
function delayEnd(state: IncidentState): number {
  const nominal = state.openedMinute + state.alertDelayMinutes;
  return state.lastFailMinute >= nominal - 1 ? nominal : nominal + 1;
}

function firstDue(state: IncidentState, afterMinutes: number): number {
  return state.openedMinute + state.alertDelayMinutes + afterMinutes;
}

function mergeDestinations(state: IncidentState, plans: readonly DestinationPlan[]): DestinationState[] {
  const known = new Set(state.destinations.map((d) => d.key));
  const planned = new Map(plans.map((p) => [p.key, p]));
  const merged: DestinationState[] = [];
  for (const d of state.destinations) {
    const plan = planned.get(d.key);
    if (!plan) {
      merged.push({ ...d, active: false });
      continue;
    }
    // A schedule changed before the first alert applies in full; after it, from the next repeat.
    const nextAt = d.sent === 0 ? firstDue(state, plan.afterMinutes) : d.nextAt;
    merged.push({ ...d, afterMinutes: plan.afterMinutes, repeatMinutes: plan.repeatMinutes, active: true, nextAt });
  }
  for (const plan of plans) {
    if (known.has(plan.key)) continue;
    known.add(plan.key);
    merged.push({ key: plan.key, afterMinutes: plan.afterMinutes, repeatMinutes: plan.repeatMinutes, active: true, sent: 0, nextAt: firstDue(state, plan.afterMinutes) });
  }
  return merged;
}

/** False when the verdict is old news (repeated, or older than one already applied). */
function applyVerdict(out: Builder, verdict: Extract<IncidentEvent, { type: 'verdict' }>): boolean {
  const s = out.state;
  if (verdict.minute <= s.lastVerdictMinute) return false;
  out.timeline({ kind: 'verdict', minute: verdict.minute, outcome: verdict.outcome, ...(verdict.regions ? { regions: verdict.regions } : {}) });
  switch (verdict.outcome) {
    case 'fail':
      out.state = { ...out.state, lastVerdictMinute: verdict.minute, lastOutcome: 'fail', lastFailMinute: verdict.minute, passesInRow: 0 };
      return true;
    case 'suppressed':
      out.state = { ...out.state, lastVerdictMinute: verdict.minute, lastOutcome: 'suppressed' };
      return true;
    case 'pass': {
      const passesInRow = s.passesInRow + 1;
      out.state = { ...out.state, lastVerdictMinute: verdict.minute, lastOutcome: 'pass', passesInRow };
      if (out.state.phase === 'pending') finish(out, 'cancelled', []);
      else if (passesInRow >= s.recoveryPasses) {
        finish(out, 'recovered', out.state.destinations.filter((d) => d.sent > 0).map((d) => d.key));
      }
      return true;
    }
  }
}

function finish(out: Builder, end: IncidentEnd, recover: readonly string[]): void {
  for (const key of recover) out.command({ type: 'recovery', destination: key });
  out.timeline({ kind: end });
  out.command({ type: 'recheck', on: false });
  out.command({ type: 'end', end });
  out.state = { ...out.state, phase: 'ended', end };
}

/** Carries out every deadline that has come by `now`. */
function evaluate(out: Builder, now: number): Decision {
  if (out.state.phase === 'ended') return out.decision();
  if (out.state.phase === 'pending') {
    if (now < delayEnd(out.state)) return out.decision();
    out.state = { ...out.state, phase: 'alerting' };
    out.timeline({ kind: 'alerting' });
  }
  if (out.state.lastOutcome !== 'fail') return out.decision();
  out.state = {
    ...out.state,
    destinations: out.state.destinations.map((d) => {
      if (!d.active || d.sent >= MAX_FAILURE_ALERTS || d.nextAt > now) return d;
      const sent = d.sent + 1;
      out.command({ type: 'alert', destination: d.key, sequence: sent });
      // Repeats keep to the schedule; one that came late (held by a suppressed cycle) never bursts.
      const scheduled = d.nextAt + d.repeatMinutes;
      return { ...d, sent, nextAt: scheduled > now ? scheduled : now + d.repeatMinutes };
    }),
  };
  return out.decision();
}
