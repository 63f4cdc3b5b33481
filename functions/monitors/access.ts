import { MonitorStore, type Receiver } from '../storage/monitors.js';
import type { Storage } from '../storage/storage.js';
import { forbidden, notFound } from '../accounts/errors.js';
import type { Monitor } from './model.js';

// Who may do what with a monitor (DESIGN.md, Security): its owner everything; accounts that
// accepted to receive its alerts read it (and its results, incidents, notes); anyone with a
// key reads a public one. Everyone else gets 404, as if it did not exist.

export type MonitorAccess = 'owner' | 'receiver' | 'public';

export interface VisibleMonitor {
  readonly monitor: Monitor;
  readonly receivers: readonly Receiver[];
  readonly access: MonitorAccess;
}

export function accessOf(monitor: Monitor, receivers: readonly Receiver[], accountId: string): MonitorAccess | undefined {
  if (monitor.ownerId === accountId) return 'owner';
  if (receivers.some((r) => r.status === 'accepted' && r.accountId === accountId)) return 'receiver';
  return monitor.public ? 'public' : undefined;
}

/** The monitor as this account may see it; 404 when it may not see it at all. */
export async function visibleMonitor(storage: Storage, monitorId: string, accountId: string): Promise<VisibleMonitor> {
  const found = await new MonitorStore(storage).getWithReceivers(monitorId);
  const access = found ? accessOf(found.monitor, found.receivers, accountId) : undefined;
  if (!found || !access) throw notFound('monitor');
  return { ...found, access };
}

/** The monitor if this account owns it; 404 when it cannot see it, 403 when it only reads it. */
export async function ownedMonitor(storage: Storage, monitorId: string, accountId: string): Promise<VisibleMonitor> {
  const visible = await visibleMonitor(storage, monitorId, accountId);
  if (visible.access !== 'owner') throw forbidden('only the owner of a monitor can change it');
  return visible;
}
