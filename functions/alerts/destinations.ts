import type { ChannelKind } from './message.js';
import type { EscalationStep, Monitor } from '../monitors/model.js';
import { AccountStore, type ChannelRecord } from '../storage/accounts.js';
import { MonitorStore, type Receiver } from '../storage/monitors.js';
import type { Storage } from '../storage/storage.js';

// Where a monitor's alerts go (DESIGN.md, data flow step 5): the verified channels of its
// owner, along the owner's escalation, and of every receiver that accepted, along the
// receiver's own. Read at the moment of alerting, so a channel deleted or a receiver gone
// a second ago gets nothing; pending channels named in a path are skipped until verified.

export interface Destination {
  /** `<accountId>:<channelId>`: stable, so dedupe keys (incident, destination, sequence) can use it. */
  readonly key: string;
  readonly accountId: string;
  readonly role: 'owner' | 'receiver';
  readonly channel: {
    readonly id: string;
    readonly kind: ChannelKind;
    readonly address: string;
    /** Webhooks: sign deliveries with it (OutgoingMessage.signingSecret). */
    readonly signingSecret?: string;
  };
  /** Minutes after the alert delay ends before this destination is first alerted. */
  readonly afterMinutes: number;
  /** Minutes between repeated failure alerts to it (the cap of four still applies). */
  readonly repeatMinutes: number;
}

/** Every destination of the monitor's alerts, earliest first. Accepts a monitor id or the monitor with its receivers. */
export async function destinationsFor(
  storage: Storage,
  monitorOrId: string | { readonly monitor: Monitor; readonly receivers: readonly Receiver[] },
): Promise<Destination[]> {
  const found = typeof monitorOrId === 'string' ? await new MonitorStore(storage).getWithReceivers(monitorOrId) : monitorOrId;
  if (!found) return [];
  const { monitor, receivers } = found;
  const accounts = new AccountStore(storage);
  const paths: Array<{ accountId: string; role: Destination['role']; escalation: readonly EscalationStep[] | null; repeatMinutes: number }> = [
    { accountId: monitor.ownerId, role: 'owner', escalation: monitor.escalation, repeatMinutes: monitor.repeatMinutes },
    ...receivers
      .filter((r) => r.status === 'accepted' && r.accountId)
      .map((r) => ({ accountId: r.accountId!, role: 'receiver' as const, escalation: r.escalation, repeatMinutes: r.repeatMinutes ?? monitor.repeatMinutes })),
  ];
  const destinations: Destination[] = [];
  for (const path of paths) {
    const channels = (await accounts.listChannels(path.accountId)).filter((c) => c.status === 'verified');
    for (const [channel, afterMinutes] of schedule(channels, path.escalation)) {
      destinations.push({
        key: `${path.accountId}:${channel.id}`,
        accountId: path.accountId,
        role: path.role,
        channel: { id: channel.id, kind: channel.kind, address: channel.address, ...(channel.signingSecret ? { signingSecret: channel.signingSecret } : {}) },
        afterMinutes,
        repeatMinutes: path.repeatMinutes,
      });
    }
  }
  return destinations.sort((a, b) => a.afterMinutes - b.afterMinutes || a.key.localeCompare(b.key));
}

/** Each verified channel a path reaches, at the earliest step that names it; no path: all at once. */
function schedule(verified: readonly ChannelRecord[], escalation: readonly EscalationStep[] | null): Map<ChannelRecord, number> {
  const when = new Map<ChannelRecord, number>();
  if (!escalation) {
    for (const c of verified) when.set(c, 0);
    return when;
  }
  const byId = new Map(verified.map((c) => [c.id, c]));
  for (const step of escalation) {
    for (const id of step.channels) {
      const channel = byId.get(id);
      if (channel && !(when.has(channel) && when.get(channel)! <= step.afterMinutes)) when.set(channel, step.afterMinutes);
    }
  }
  return when;
}
