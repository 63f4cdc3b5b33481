import { RegionStore } from '../storage/regions.js';
import type { FunctionContext, TimerRun } from '../runtime.js';

/** Every minute, each region notes that its timers run and how late. */
export async function recordHeartbeat(run: TimerRun, context: FunctionContext): Promise<void> {
  const ranAt = Date.now();
  await new RegionStore(context.services.storage).recordHeartbeat({
    region: context.region,
    minute: run.minute,
    scheduledAt: run.scheduledAt.toISOString(),
    ranAt: new Date(ranAt).toISOString(),
    lagMs: Math.max(0, ranAt - run.scheduledAt.getTime()),
  });
}
