import { minuteStart } from '../clock.js';
import type { FunctionContext, TimerRun } from '../runtime.js';
import { CycleStore, type CycleHealth } from '../storage/cycles.js';
import { MonitorStore } from '../storage/monitors.js';
import { RecheckStore } from '../storage/rechecks.js';
import { checkCanaries } from './canaries.js';
import { selectDue } from './due.js';
import { probeMonitors } from './probe-monitors.js';
import { regionStats } from './rules.js';
import { sendShards } from './shards.js';

// The per-region probe cycle (DESIGN.md, data flow 2), run by each region's timer every
// minute: claim the minute, select the due monitors, fan out what exceeds this instance's
// budget, probe the rest and the canaries under the deadline, record the region's health.

/** Every probe of a cycle ends by this fraction of its minute; the verdict step runs after it. */
export const CYCLE_DEADLINE_FRACTION = 0.75;

export function cycleDeadline(minute: number, minuteMs: number): number {
  return minuteStart(minute, minuteMs) + CYCLE_DEADLINE_FRACTION * minuteMs;
}

export async function runCycle(run: TimerRun, context: FunctionContext): Promise<void> {
  const { region, config, services } = context;
  const started = Date.now();
  const { minute } = run;
  const minuteStartMs = minuteStart(minute, config.minuteMs);
  const minuteAt = new Date(minuteStartMs).toISOString();
  const deadlineMs = cycleDeadline(minute, config.minuteMs);
  if (started >= deadlineMs) {
    context.warn('cycle skipped: the timer ran after its minute\'s deadline', { minute, lagMs: started - minuteStartMs });
    return;
  }
  const cycles = new CycleStore(services.storage);
  // A repeated or overlapping run of the same minute finds the claim and writes nothing.
  if (!(await cycles.claim(region, minute, new Date(started).toISOString()))) {
    context.log('cycle already ran for this minute', { minute });
    return;
  }

  const canaries = checkCanaries(context, deadlineMs);
  const rechecks = await new RecheckStore(services.storage).list();
  const due = await selectDue(new MonitorStore(services.storage).listScheduled(), minute, region, rechecks);
  const jobs = due.map((m) => ({ id: m.id, type: m.type, target: m.target, timeoutSeconds: m.timeoutSeconds, expect: m.expect }));
  const own = jobs.slice(0, config.cycleBudget);
  const shards = await sendShards(services.storage, { region, minute, minuteAt, deadlineMs }, jobs.slice(config.cycleBudget));
  const report = await probeMonitors({ region, minute, minuteAt, deadlineMs, part: 'main', jobs: own }, context);
  const finished = Date.now();

  const health: CycleHealth = {
    region,
    minute,
    minuteAt,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    lagMs: Math.max(0, started - minuteStartMs),
    durationMs: finished - started,
    due: due.length,
    probed: report.outcomes.length,
    skipped: report.skipped,
    shards,
    canaries: await canaries,
  };
  await cycles.writeHealth(health);
  // The region's own view, until the primary's verdict step adds the shards and decides trust.
  const stats = regionStats({ region, outcomes: report.outcomes, canaries: health.canaries });
  await cycles.setLatest({
    region,
    minute,
    lastCycleAt: minuteAt,
    probes: stats.probes,
    failures: stats.failures,
    localFaults: stats.localFaults,
    errorRate: stats.errorRate,
    trusted: !stats.abnormal,
    lagMs: health.lagMs,
    durationMs: health.durationMs,
    canaryFailures: stats.canaryFailures,
  });
  context.log('cycle done', { minute, due: due.length, probed: health.probed, skipped: health.skipped, shards, durationMs: health.durationMs, lagMs: health.lagMs });
}
