import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Expect, MonitorType } from '../probes/spec.js';
import type { EscalationStep, IntervalMinutes, Monitor, MonitorConfig, MonitorState, ScheduledMonitor } from '../monitors/model.js';
import { AccountStore } from './accounts.js';
import type { Storage } from './storage.js';
import { fromJson, ignoreNotFound, isConflict, isNotFound, isPreconditionFailed, odata, prefixFilter, readOptional, toJson } from './entities.js';

// Monitors and their receivers, in table `monitors`:
//
//   PartitionKey = <monitorId>
//     RowKey "monitor"                  the monitor: config, owner, state
//     RowKey "receiver|<sha256(email)>" an account invited to receive its alerts
//
// by id: one point read. By owner: the owner's "owns|" pointers in `accounts`, then point
// reads. Every monitor for the probe cycle: one scan of this table (RowKey eq 'monitor'),
// paged, selecting only what scheduling and probing need. A monitor with its receivers
// (alert routing): one partition query. Nested values are JSON strings; times ISO strings.

export type ReceiverStatus = 'invited' | 'accepted' | 'refused';

export interface Receiver {
  readonly monitorId: string;
  /** sha256 of the invited address: the receiver's id. */
  readonly emailHash: string;
  readonly email: string;
  readonly status: ReceiverStatus;
  /** The account that answered the invitation. */
  readonly accountId?: string;
  /** The receiver's own path over its own channels; null: all its verified channels at once. */
  readonly escalation: readonly EscalationStep[] | null;
  /** null: the monitor's repeatMinutes. */
  readonly repeatMinutes: number | null;
  readonly invitedAt: string;
  readonly respondedAt?: string;
  /** When invitation messages went out (recent ones), for the resend limit. */
  readonly invitesSent: readonly string[];
  readonly etag?: string;
}

const MONITOR = 'monitor';
const RECEIVER_PREFIX = 'receiver|';
const SCHEDULE_COLUMNS = ['PartitionKey', 'type', 'target', 'intervalMinutes', 'timeoutSeconds', 'expect', 'regions', 'paused', 'state', 'createdAt'];
const READ_CONCURRENCY = 16;

interface MonitorRow {
  ownerId: string;
  name: string;
  type: MonitorType;
  target: string;
  intervalMinutes: number;
  timeoutSeconds: number;
  expect: string;
  alertDelayMinutes: number;
  escalation: string;
  repeatMinutes: number;
  recoveryPasses: number;
  public: boolean;
  regions: string;
  paused: boolean;
  state: MonitorState;
  stateChangedAt?: string;
  createdAt: string;
  updatedAt: string;
}

interface ReceiverRow {
  email: string;
  status: ReceiverStatus;
  accountId?: string;
  escalation: string;
  repeatMinutes?: number;
  invitedAt: string;
  respondedAt?: string;
  invitesSent: string;
}

export class MonitorStore {
  private readonly accounts: AccountStore;

  constructor(private readonly storage: Storage) {
    this.accounts = new AccountStore(storage);
  }

  private get table(): TableClient {
    return this.storage.table('monitors');
  }

  async get(id: string): Promise<Monitor | undefined> {
    const row = await readOptional(() => this.table.getEntity<MonitorRow>(id, MONITOR));
    return row ? toMonitor(id, row) : undefined;
  }

  /** The monitor and everyone invited to receive its alerts, in one partition query. */
  async getWithReceivers(id: string): Promise<{ monitor: Monitor; receivers: Receiver[] } | undefined> {
    let monitor: Monitor | undefined;
    const receivers: Receiver[] = [];
    for await (const row of this.table.listEntities<MonitorRow & ReceiverRow>({ queryOptions: { filter: `PartitionKey eq ${odata(id)}` } })) {
      if (row.rowKey === MONITOR) monitor = toMonitor(id, row);
      else if (row.rowKey?.startsWith(RECEIVER_PREFIX)) receivers.push(toReceiver(id, row.rowKey.slice(RECEIVER_PREFIX.length), row));
    }
    return monitor ? { monitor, receivers } : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Monitor[]> {
    const found: Monitor[] = [];
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => this.get(id)));
      for (const m of batch) if (m) found.push(m);
    }
    return found;
  }

  async listByOwner(ownerId: string): Promise<Monitor[]> {
    const monitors = await this.getMany(await this.accounts.listPointers(ownerId, 'owns'));
    // A pointer whose monitor was deleted by someone else's hand, or half-created: skip it.
    return monitors.filter((m) => m.ownerId === ownerId);
  }

  /** Stores a new monitor. False when the id is taken (a repeated create with the same idempotency key). */
  async create(monitor: Monitor): Promise<boolean> {
    await this.accounts.addPointer(monitor.ownerId, 'owns', monitor.id);
    try {
      await this.table.createEntity({ partitionKey: monitor.id, rowKey: MONITOR, ...monitorRow(monitor) });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Replaces the config if the monitor is unchanged since it was read; false otherwise. */
  async updateConfig(monitor: Monitor, config: MonitorConfig, updatedAt: string): Promise<boolean> {
    const { ownerId: _o, state: _s, stateChangedAt: _c, createdAt: _d, ...row } = monitorRow({ ...monitor, ...config, updatedAt });
    try {
      await this.table.updateEntity({ partitionKey: monitor.id, rowKey: MONITOR, ...row }, 'Merge', { etag: monitor.etag ?? '*' });
      return true;
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Deletes the monitor and its receivers, then the pointers to it. The monitor row goes
   * first, so from that moment nothing alerts for it or shows it.
   */
  async delete(monitor: Monitor): Promise<void> {
    const receivers = await this.listReceivers(monitor.id);
    await ignoreNotFound(() => this.table.deleteEntity(monitor.id, MONITOR));
    const actions: TransactionAction[] = receivers.map((r) => ['delete', { partitionKey: monitor.id, rowKey: RECEIVER_PREFIX + r.emailHash }]);
    for (let i = 0; i < actions.length; i += 100) {
      await this.table.submitTransaction(actions.slice(i, i + 100)).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
    for (const r of receivers) {
      await this.accounts.removeInvite(r.emailHash, monitor.id);
      if (r.accountId) await this.accounts.removePointer(r.accountId, 'receives', monitor.id);
    }
    await this.accounts.removePointer(monitor.ownerId, 'owns', monitor.id);
  }

  /**
   * Records what the cycle decided. Touches only the state columns, so it never undoes an
   * owner's concurrent edit (and needs no ETag). False when the monitor is gone.
   */
  async setState(id: string, state: MonitorState, at: string): Promise<boolean> {
    try {
      await this.table.updateEntity({ partitionKey: id, rowKey: MONITOR, state, stateChangedAt: at }, 'Merge', { etag: '*' });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Every monitor, whole, one page of the table scan at a time. */
  async *listAll(): AsyncIterable<Monitor[]> {
    const pages = this.table.listEntities<MonitorRow>({ queryOptions: { filter: `RowKey eq '${MONITOR}'` } }).byPage({ maxPageSize: 1000 });
    for await (const page of pages) yield page.map((row) => toMonitor(row.partitionKey!, row));
  }

  /** Every monitor with only what the probe cycle needs: one scan, about one transaction per 1000 monitors. */
  async *listScheduled(): AsyncIterable<ScheduledMonitor[]> {
    const pages = this.table
      .listEntities<MonitorRow>({ queryOptions: { filter: `RowKey eq '${MONITOR}'`, select: SCHEDULE_COLUMNS } })
      .byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      yield page.map((row) => ({
        id: row.partitionKey!,
        type: row.type,
        target: row.target,
        intervalMinutes: row.intervalMinutes as IntervalMinutes,
        timeoutSeconds: row.timeoutSeconds,
        expect: fromJson<Expect>(row.expect, {}),
        regions: fromJson<string[] | null>(row.regions, null),
        paused: row.paused === true,
        state: row.state ?? 'unknown',
        createdAt: row.createdAt,
      }));
    }
  }

  // ── receivers ────────────────────────────────────────────────────────────────────────

  async getReceiver(monitorId: string, emailHash: string): Promise<Receiver | undefined> {
    const row = await readOptional(() => this.table.getEntity<ReceiverRow>(monitorId, RECEIVER_PREFIX + emailHash));
    return row ? toReceiver(monitorId, emailHash, row) : undefined;
  }

  async listReceivers(monitorId: string): Promise<Receiver[]> {
    const receivers: Receiver[] = [];
    for await (const row of this.table.listEntities<ReceiverRow>({ queryOptions: { filter: prefixFilter(monitorId, RECEIVER_PREFIX) } })) {
      receivers.push(toReceiver(monitorId, row.rowKey!.slice(RECEIVER_PREFIX.length), row));
    }
    return receivers.sort((a, b) => a.invitedAt.localeCompare(b.invitedAt));
  }

  /** Creates an invitation, with the invitee's pointer first. False when one exists already. */
  async createReceiver(receiver: Receiver): Promise<boolean> {
    await this.accounts.addInvite(receiver.emailHash, receiver.monitorId);
    try {
      await this.table.createEntity({ partitionKey: receiver.monitorId, rowKey: RECEIVER_PREFIX + receiver.emailHash, ...receiverRow(receiver) });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Writes a changed receiver if unchanged since read; false otherwise (or when it is gone). */
  async updateReceiver(receiver: Receiver): Promise<boolean> {
    try {
      await this.table.updateEntity(
        { partitionKey: receiver.monitorId, rowKey: RECEIVER_PREFIX + receiver.emailHash, ...receiverRow(receiver) },
        'Replace',
        { etag: receiver.etag ?? '*' },
      );
      return true;
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err)) return false;
      throw err;
    }
  }

  /** Removes an invitation or subscription and the pointers to it. */
  async deleteReceiver(receiver: Receiver): Promise<void> {
    await ignoreNotFound(() => this.table.deleteEntity(receiver.monitorId, RECEIVER_PREFIX + receiver.emailHash));
    await this.accounts.removeInvite(receiver.emailHash, receiver.monitorId);
    if (receiver.accountId) await this.accounts.removePointer(receiver.accountId, 'receives', receiver.monitorId);
  }
}

function monitorRow(m: Monitor): MonitorRow {
  return {
    ownerId: m.ownerId,
    name: m.name,
    type: m.type,
    target: m.target,
    intervalMinutes: m.intervalMinutes,
    timeoutSeconds: m.timeoutSeconds,
    expect: toJson(m.expect),
    alertDelayMinutes: m.alertDelayMinutes,
    escalation: toJson(m.escalation),
    repeatMinutes: m.repeatMinutes,
    recoveryPasses: m.recoveryPasses,
    public: m.public,
    regions: toJson(m.regions),
    paused: m.paused,
    state: m.state,
    ...(m.stateChangedAt ? { stateChangedAt: m.stateChangedAt } : {}),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

function toMonitor(id: string, row: MonitorRow & { etag?: string }): Monitor {
  return {
    id,
    ownerId: row.ownerId,
    name: row.name,
    type: row.type,
    target: row.target,
    intervalMinutes: row.intervalMinutes as IntervalMinutes,
    timeoutSeconds: row.timeoutSeconds,
    expect: fromJson<Expect>(row.expect, {}),
    alertDelayMinutes: row.alertDelayMinutes,
    escalation: fromJson<EscalationStep[] | null>(row.escalation, null),
    repeatMinutes: row.repeatMinutes,
    recoveryPasses: row.recoveryPasses,
    public: row.public === true,
    regions: fromJson<string[] | null>(row.regions, null),
    paused: row.paused === true,
    state: row.state ?? 'unknown',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.stateChangedAt ? { stateChangedAt: row.stateChangedAt } : {}),
    ...(row.etag ? { etag: row.etag } : {}),
  };
}

function receiverRow(r: Receiver): ReceiverRow {
  return {
    email: r.email,
    status: r.status,
    escalation: toJson(r.escalation),
    invitedAt: r.invitedAt,
    invitesSent: toJson(r.invitesSent),
    ...(r.accountId ? { accountId: r.accountId } : {}),
    ...(r.repeatMinutes !== null ? { repeatMinutes: r.repeatMinutes } : {}),
    ...(r.respondedAt ? { respondedAt: r.respondedAt } : {}),
  };
}

function toReceiver(monitorId: string, emailHash: string, row: ReceiverRow & { etag?: string }): Receiver {
  return {
    monitorId,
    emailHash,
    email: row.email,
    status: row.status,
    escalation: fromJson<EscalationStep[] | null>(row.escalation, null),
    repeatMinutes: typeof row.repeatMinutes === 'number' ? row.repeatMinutes : null,
    invitedAt: row.invitedAt,
    invitesSent: fromJson<string[]>(row.invitesSent, []),
    ...(row.accountId ? { accountId: row.accountId } : {}),
    ...(row.respondedAt ? { respondedAt: row.respondedAt } : {}),
    ...(row.etag ? { etag: row.etag } : {}),
  };
}
