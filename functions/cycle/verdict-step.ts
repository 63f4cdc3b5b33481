import { minuteStart } from '../clock.js';
import { handOffVerdicts } from '../incidents/handoff.js';
import type { FunctionContext, TimerRun } from '../runtime.js';
import { CycleStore, type CycleRecord } from '../storage/cycles.js';
import { cycleDeadline } from './cycle.js';
import { decideCycle, type CycleDecision, type RegionCycle } from './rules.js';

// The verdict step (DESIGN.md, data flow 3). Only the primary region runs it, on its own
// timer at second 50 of each minute: every region's cycle ends by second 45 (the cycle
// deadline), so by then each region that is going to report has reported: a verdict comes
// at most 50 s after its minute began (a missed run's minute: 110 s). It reads the
// cycle's partition once, decides, and hands the verdicts to the incident step. A region
// that has not reported by then is absent from the cycle, which never causes a failure.

/** Cycle partitions are kept this many minutes after their verdict, then deleted. */
export const CYCLE_RETENTION_MINUTES = 60;

export async function decideVerdicts(run: TimerRun, context: FunctionContext): Promise<void> {
  // A run that comes so late that its minute index already moved on must not decide a cycle
  // still in progress: it decides the one before. The minute before that is decided too if
  // a run was missed (costs one query when, as usual, it was not).
  const latest = Date.now() >= cycleDeadline(run.minute, context.config.minuteMs) ? run.minute : run.minute - 1;
  for (const minute of [latest - 1, latest]) {
    const decision = await decideMinute(minute, context);
    if (!decision) continue;
    const counts = { pass: 0, fail: 0, suppressed: 0 };
    for (const v of decision.verdicts) counts[v.outcome]++;
    context.log('verdicts', { minute, ...counts, suppressedCycle: decision.suppressed, untrusted: decision.regions.filter((r) => !r.trusted).map((r) => r.region) });
  }
  await new CycleStore(context.services.storage).deleteCycle(latest - CYCLE_RETENTION_MINUTES).catch((err: unknown) => {
    context.warn('deleting an old cycle failed', { error: String(err) });
  });
}

/** Decides one minute once; undefined when it was decided already. */
export async function decideMinute(minute: number, context: FunctionContext): Promise<CycleDecision | undefined> {
  const cycles = new CycleStore(context.services.storage);
  const record = await cycles.read(minute);
  if (record.decided) return undefined;
  const at = new Date(minuteStart(minute, context.config.minuteMs)).toISOString();
  // At most once: a verdict lost to a crash costs a minute; one handed over twice could alert twice.
  if (!(await cycles.markDecided(minute, new Date().toISOString()))) return undefined;
  const decision = decideCycle(minute, at, reportingRegions(record));
  if (decision.verdicts.length > 0) await handOffVerdicts(decision.verdicts, context);
  await Promise.all(
    decision.regions.map((r) => {
      const health = record.health.get(r.region);
      return cycles.setLatest({
        region: r.region,
        minute,
        lastCycleAt: at,
        probes: r.probes,
        failures: r.failures,
        localFaults: r.localFaults,
        errorRate: r.errorRate,
        trusted: r.trusted,
        lagMs: health?.lagMs ?? 0,
        durationMs: health?.durationMs ?? 0,
        canaryFailures: r.canaryFailures,
      });
    }),
  );
  return decision;
}

/** Regions that finished their cycle (health written) or whose shards reported. */
function reportingRegions(record: CycleRecord): RegionCycle[] {
  const regions = new Set([...record.health.keys(), ...[...record.outcomes].filter(([, o]) => o.length > 0).map(([r]) => r)]);
  return [...regions].sort().map((region) => ({
    region,
    outcomes: record.outcomes.get(region) ?? [],
    canaries: record.health.get(region)?.canaries ?? [],
  }));
}
