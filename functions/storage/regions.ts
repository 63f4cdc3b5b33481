import type { Storage } from './storage.js';

// Per-region liveness: one row per region, overwritten by each timer run of that region.
// Layout: table `regions`, PartitionKey "heartbeat", RowKey = region name.

export interface RegionHeartbeat {
  readonly region: string;
  readonly minute: number;
  readonly scheduledAt: string;
  readonly ranAt: string;
  /** How far the timer ran behind its schedule, ms. */
  readonly lagMs: number;
}

const PARTITION = 'heartbeat';

export class RegionStore {
  constructor(private readonly storage: Storage) {}

  /** Idempotent: a repeated run for the same minute rewrites the same row. */
  async recordHeartbeat(beat: RegionHeartbeat): Promise<void> {
    await this.storage.table('regions').upsertEntity({ partitionKey: PARTITION, rowKey: beat.region, ...beat }, 'Replace');
  }

  async heartbeats(): Promise<RegionHeartbeat[]> {
    const rows: RegionHeartbeat[] = [];
    const query = this.storage.table('regions').listEntities<RegionHeartbeat>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
    });
    for await (const row of query) {
      rows.push({ region: row.region, minute: row.minute, scheduledAt: row.scheduledAt, ranAt: row.ranAt, lagMs: row.lagMs });
    }
    return rows;
  }
}
