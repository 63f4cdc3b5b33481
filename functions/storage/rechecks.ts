import { RestError } from '@azure/data-tables';
import type { Storage } from './storage.js';

// Monitors under recheck: probed every minute from every region, whatever their interval,
// from the first failing verdict until their incident ends. Table `rechecks`, one
// partition, RowKey = monitor id, so the cycle reads all flags with one query.

const PARTITION = 'recheck';

export class RecheckStore {
  constructor(private readonly storage: Storage) {}

  /** Idempotent. */
  async flag(monitorId: string, since: string): Promise<void> {
    await this.storage.table('rechecks').upsertEntity({ partitionKey: PARTITION, rowKey: monitorId, since }, 'Replace');
  }

  /** Idempotent. */
  async unflag(monitorId: string): Promise<void> {
    try {
      await this.storage.table('rechecks').deleteEntity(PARTITION, monitorId);
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    }
  }

  async list(): Promise<Set<string>> {
    const ids = new Set<string>();
    const rows = this.storage.table('rechecks').listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select: ['RowKey'] } });
    for await (const row of rows) ids.add(row.rowKey!);
    return ids;
  }
}
