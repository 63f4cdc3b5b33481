import type { ScheduledMonitor } from '../monitors/model.js';

// Which monitors a region probes in a given minute. A monitor with an interval of n minutes
// is due when (minute − offset) is a multiple of n, with an offset fixed by its id: the same
// monitor is due in the same minutes in every region and on every run, while monitors of
// the same interval spread evenly over the n minutes. Monitors under recheck are due every
// minute, whatever their interval.

/** Stable offset in [0, interval) from the monitor id (FNV-1a; no per-process seed). */
export function offsetOf(monitorId: string, intervalMinutes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < monitorId.length; i++) {
    hash ^= monitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % intervalMinutes;
}

export function isDue(monitor: ScheduledMonitor, minute: number, region: string, rechecks: ReadonlySet<string>): boolean {
  if (monitor.paused) return false;
  if (monitor.regions !== null && !monitor.regions.includes(region)) return false;
  if (rechecks.has(monitor.id)) return true;
  const interval = monitor.intervalMinutes;
  return (((minute - offsetOf(monitor.id, interval)) % interval) + interval) % interval === 0;
}

/** The due monitors of a stream of pages (MonitorStore.listScheduled). */
export async function selectDue(
  pages: AsyncIterable<readonly ScheduledMonitor[]>,
  minute: number,
  region: string,
  rechecks: ReadonlySet<string>,
): Promise<ScheduledMonitor[]> {
  const due: ScheduledMonitor[] = [];
  for await (const page of pages) for (const m of page) if (isDue(m, minute, region, rechecks)) due.push(m);
  return due;
}
