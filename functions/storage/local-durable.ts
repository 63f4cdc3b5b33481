import { RestError, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { RuntimeStatus } from '../runtime.js';
import type { Storage } from './storage.js';

// Durable orchestration state for the local runtime (Azure keeps its own in the task hub).
// Table `localDurable`, one partition per instance, so that every replay step commits its
// history, the instance row and the consumed inbox message in one transaction:
//   RowKey "instance"                 status, input, output, execution number
//   RowKey "h<exec>-<index>"          one history event of execution <exec>
//   RowKey "i<time>-<random>"         an inbox message not yet applied (results, timers, events)

export interface InstanceRow {
  readonly name: string;
  readonly status: RuntimeStatus;
  readonly execution: number;
  /** History events stored for the current execution. */
  readonly historyLength: number;
  readonly input: string;
  readonly output?: string;
  readonly customStatus?: string;
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredInstance {
  readonly row: InstanceRow;
  readonly etag: string;
}

export interface InboxMessage {
  readonly rowKey: string;
  readonly execution: number;
  readonly event: string;
}

const TABLE = 'localDurable';
const INSTANCE = 'instance';
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const historyKey = (execution: number, index: number) => `h${pad(execution, 6)}-${pad(index, 7)}`;

export class LocalDurableStore {
  constructor(private readonly storage: Storage) {}

  private get table() {
    return this.storage.table(TABLE);
  }

  async get(instanceId: string): Promise<StoredInstance | undefined> {
    try {
      const entity = await this.table.getEntity<InstanceRow>(instanceId, INSTANCE);
      return { row: pick(entity), etag: entity.etag };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /**
   * Creates the instance, or replaces one that has finished, with its first inbox message.
   * Returns false when an instance with this id is pending or running.
   */
  async create(instanceId: string, row: InstanceRow, firstEvent: string): Promise<boolean> {
    const existing = await this.get(instanceId);
    if (existing && (existing.row.status === 'Pending' || existing.row.status === 'Running')) return false;
    const execution = existing ? existing.row.execution + 1 : row.execution;
    const actions: TransactionAction[] = [
      existing
        ? ['update', { partitionKey: instanceId, rowKey: INSTANCE, ...row, execution }, 'Replace', { etag: existing.etag }]
        : ['create', { partitionKey: instanceId, rowKey: INSTANCE, ...row, execution }],
      ['create', inboxEntity(instanceId, execution, firstEvent)],
    ];
    try {
      await this.table.submitTransaction(actions);
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    if (existing) await this.purgeBefore(instanceId, execution);
    return true;
  }

  async history(instanceId: string, execution: number): Promise<string[]> {
    const prefix = `h${pad(execution, 6)}-`;
    const events: string[] = [];
    const rows = this.table.listEntities<{ event: string }>({
      queryOptions: { filter: `PartitionKey eq '${escape(instanceId)}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'` },
    });
    for await (const row of rows) events.push(row.event);
    return events;
  }

  async inbox(instanceId: string): Promise<InboxMessage[]> {
    const messages: InboxMessage[] = [];
    const rows = this.table.listEntities<{ event: string; execution: number }>({
      queryOptions: { filter: `PartitionKey eq '${escape(instanceId)}' and RowKey ge 'q' and RowKey lt 'r'` },
    });
    for await (const row of rows) messages.push({ rowKey: row.rowKey!, execution: row.execution, event: row.event });
    return messages;
  }

  async enqueue(instanceId: string, execution: number, event: string): Promise<void> {
    await this.table.createEntity(inboxEntity(instanceId, execution, event));
  }

  async dropInbox(instanceId: string, rowKey: string): Promise<void> {
    await this.table.deleteEntity(instanceId, rowKey).catch((err: unknown) => {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    });
  }

  /**
   * One replay step, atomically: the instance row (guarded by its ETag), the new history
   * events, the consumed inbox message, and for continue-as-new the next execution's first
   * message. Returns false when someone else changed the instance first.
   */
  async commitStep(
    instanceId: string,
    etag: string,
    step: { row: InstanceRow; newHistory: readonly string[]; consumed: string; next?: { execution: number; event: string } },
  ): Promise<boolean> {
    const actions: TransactionAction[] = [
      ['update', { partitionKey: instanceId, rowKey: INSTANCE, ...step.row }, 'Replace', { etag }],
      ['delete', { partitionKey: instanceId, rowKey: step.consumed }],
    ];
    const start = step.next ? 0 : step.row.historyLength - step.newHistory.length;
    if (!step.next) {
      step.newHistory.forEach((event, i) =>
        actions.push(['create', { partitionKey: instanceId, rowKey: historyKey(step.row.execution, start + i), event }]),
      );
    } else {
      actions.push(['create', inboxEntity(instanceId, step.next.execution, step.next.event)]);
    }
    try {
      await this.table.submitTransaction(actions);
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    if (step.next) await this.purgeBefore(instanceId, step.next.execution);
    return true;
  }

  async setStatus(instanceId: string, etag: string, row: InstanceRow): Promise<boolean> {
    try {
      await this.table.updateEntity({ partitionKey: instanceId, rowKey: INSTANCE, ...row }, 'Replace', { etag });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Instances that still have work: pending or running. */
  async active(): Promise<Array<{ instanceId: string; row: InstanceRow }>> {
    const out: Array<{ instanceId: string; row: InstanceRow }> = [];
    const rows = this.table.listEntities<InstanceRow>({
      queryOptions: { filter: `RowKey eq '${INSTANCE}' and (status eq 'Running' or status eq 'Pending')` },
    });
    for await (const row of rows) out.push({ instanceId: row.partitionKey!, row: pick(row) });
    return out;
  }

  /** Deletes the history of earlier executions (continue-as-new keeps history bounded). */
  private async purgeBefore(instanceId: string, execution: number): Promise<void> {
    const rows = this.table.listEntities({
      queryOptions: { filter: `PartitionKey eq '${escape(instanceId)}' and RowKey ge 'h' and RowKey lt '${historyKey(execution, 0)}'`, select: ['RowKey'] },
    });
    let batch: TransactionAction[] = [];
    for await (const row of rows) {
      batch.push(['delete', { partitionKey: instanceId, rowKey: row.rowKey! }]);
      if (batch.length === 100) {
        await this.table.submitTransaction(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.table.submitTransaction(batch);
  }
}

let inboxCounter = 0;
function inboxEntity(instanceId: string, execution: number, event: string) {
  // Time first so that the inbox reads in arrival order; the counter breaks ties in a process.
  const rowKey = `q${pad(Date.now(), 15)}-${pad(inboxCounter++ % 1_000_000, 6)}-${Math.random().toString(36).slice(2, 8)}`;
  return { partitionKey: instanceId, rowKey, execution, event };
}

function pick(entity: TableEntityResult<InstanceRow> | InstanceRow): InstanceRow {
  const e = entity as InstanceRow;
  return {
    name: e.name,
    status: e.status,
    execution: e.execution,
    historyLength: e.historyLength,
    input: e.input,
    ...(e.output !== undefined ? { output: e.output } : {}),
    ...(e.customStatus !== undefined ? { customStatus: e.customStatus } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function isConflict(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);
}

function escape(value: string): string {
  return value.replace(/'/g, "''");
}
