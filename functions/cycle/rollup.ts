import type { FunctionContext, TimerRun } from '../runtime.js';
import { MonitorStore } from '../storage/monitors.js';
import { ResultStore, type HourRollup } from '../storage/results.js';
import type { ProbeResult } from './result.js';

// History that stays cheap (docs/RESULTS.md): once an hour the primary rolls the previous
// hour's raw results of every monitor up into one row (count, failures, latency
// percentiles), deletes raw results older than RAW_RETENTION_HOURS, and once a day
// rollups older than ROLLUP_RETENTION_DAYS. Hours are scheduling hours: 60 scheduling minutes.

export const RAW_RETENTION_HOURS = 7 * 24;
export const ROLLUP_RETENTION_DAYS = 400;
const CONCURRENCY = 16;
/** More results than a monitor can have in an hour (60 minutes × 20 regions, and then some). */
const HOUR_LIMIT = 5_000;

export async function rollUpResults(run: TimerRun, context: FunctionContext): Promise<void> {
  const hourMs = 60 * context.config.minuteMs;
  const hour = Math.floor((run.minute * context.config.minuteMs) / hourMs) - 1;
  const report = await rollUpHour(hour, context);
  context.log('results rolled up', { hour: new Date(hour * hourMs).toISOString(), ...report });
}

export async function rollUpHour(hour: number, context: FunctionContext): Promise<{ monitors: number; rollups: number; deleted: number }> {
  const hourMs = 60 * context.config.minuteMs;
  const fromMs = hour * hourMs;
  const rawCutoff = fromMs - RAW_RETENTION_HOURS * hourMs;
  const rollupCutoff = fromMs - ROLLUP_RETENTION_DAYS * 24 * hourMs;
  const pruneRollups = hour % 24 === 0;
  const store = new ResultStore(context.services.storage);
  const ids: string[] = [];
  for await (const page of new MonitorStore(context.services.storage).listScheduled()) for (const m of page) ids.push(m.id);

  const rollups: HourRollup[] = [];
  let deleted = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const results = await store.range(id, fromMs, fromMs + hourMs - 1, { limit: HOUR_LIMIT });
      if (results.length > 0) rollups.push(rollUp(id, new Date(fromMs).toISOString(), results));
      deleted += await store.deleteRange(id, 0, rawCutoff - 1);
      if (pruneRollups) await store.deleteRollupsBefore(id, rollupCutoff);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await store.writeRollups(rollups);
  return { monitors: ids.length, rollups: rollups.length, deleted };
}

/** One monitor's hour: counts, and nearest-rank percentiles of passing probes' total time. */
export function rollUp(monitorId: string, hour: string, results: readonly ProbeResult[]): HourRollup {
  const totals = results.filter((r) => r.ok).map((r) => r.phases.total).sort((a, b) => a - b);
  const regions: Record<string, number> = {};
  for (const r of results) regions[r.region] = (regions[r.region] ?? 0) + 1;
  return {
    monitorId,
    hour,
    count: results.length,
    failures: results.filter((r) => !r.ok).length,
    p50: percentile(totals, 50),
    p90: percentile(totals, 90),
    p99: percentile(totals, 99),
    max: totals.length > 0 ? totals[totals.length - 1]! : null,
    regions,
  };
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
