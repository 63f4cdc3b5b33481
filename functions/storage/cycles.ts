import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { CycleOutcome } from '../cycle/result.js';
import { isConflict, odata } from './entities.js';
import { chunks } from './results.js';
import type { Storage } from './storage.js';

// What every region reported for one cycle, for the verdict step, in table `cycles`:
//
//   PartitionKey = "m<minute index, 12 digits>"
//     RowKey "<region>|claim"             the region's cycle started (created once: a repeated
//                                         or late timer run finds it and probes nothing)
//     RowKey "<region>|o|<part>|<chunk>"  outcomes of the monitors one instance probed, as JSON
//                                         (part "main" or "s<shard>"), ≤30,000 characters each
//     RowKey "<region>|health"            the region's health in that cycle
//     RowKey "verdict"                    the primary decided this cycle (created once)
//   PartitionKey = "latest"
//     RowKey "<region>"                   the region's latest cycle, for GET /api/regions
//
// The verdict step reads a whole cycle, every region, with one partition query. A region
// writes its outcomes in one or two batched transactions. Partitions of old cycles are
// deleted by the verdict step an hour later.

const OUTCOME_CHARS = 30_000;
/** Entities per transaction for outcome chunks: 50 × 30,000 characters stays under the 4 MB batch limit. */
const CHUNKS_PER_BATCH = 50;
const LATEST = 'latest';

export interface CanaryCheck {
  readonly target: string;
  readonly ok: boolean;
  readonly code?: string;
}

export interface CycleHealth {
  readonly region: string;
  readonly minute: number;
  /** Start of the scheduled minute (ISO). */
  readonly minuteAt: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** How far the timer ran behind the start of its minute, ms. */
  readonly lagMs: number;
  readonly durationMs: number;
  /** Monitors due in this region this minute. */
  readonly due: number;
  /** Probed by this instance. */
  readonly probed: number;
  /** Not started before the deadline. */
  readonly skipped: number;
  /** Shards sent to the region's queue. */
  readonly shards: number;
  readonly canaries: readonly CanaryCheck[];
}

export interface RegionLatest {
  readonly region: string;
  readonly minute: number;
  readonly lastCycleAt: string;
  readonly probes: number;
  readonly failures: number;
  readonly localFaults: number;
  readonly errorRate: number;
  /** The region's own view until the primary has decided the cycle, then the primary's. */
  readonly trusted: boolean;
  readonly lagMs: number;
  readonly durationMs: number;
  readonly canaryFailures: number;
}

export interface CycleRecord {
  readonly minute: number;
  readonly decided: boolean;
  readonly health: ReadonlyMap<string, CycleHealth>;
  readonly outcomes: ReadonlyMap<string, CycleOutcome[]>;
}

export function cyclePartition(minute: number): string {
  return `m${String(minute).padStart(12, '0')}`;
}

// Minute indexes pass Int32 with scaled local minutes: stored as strings, never as Int64.
interface HealthRow extends Omit<CycleHealth, 'canaries' | 'minute'> {
  minute: string;
  canaries: string;
}

export class CycleStore {
  constructor(private readonly storage: Storage) {}

  private get table(): TableClient {
    return this.storage.table('cycles');
  }

  /** Marks the region's cycle of `minute` as started. False when it already was. */
  async claim(region: string, minute: number, startedAt: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: cyclePartition(minute), rowKey: `${region}|claim`, startedAt });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Writes one instance's outcomes (part "main" or "s<shard>"), batched. Idempotent. */
  async writeOutcomes(region: string, minute: number, part: string, outcomes: readonly CycleOutcome[]): Promise<void> {
    const partitionKey = cyclePartition(minute);
    const actions: TransactionAction[] = packJson(outcomes, OUTCOME_CHARS).map((json, i) => [
      'upsert',
      { partitionKey, rowKey: `${region}|o|${part}|${String(i).padStart(4, '0')}`, outcomes: json },
      'Replace',
    ]);
    for (const batch of chunks(actions, CHUNKS_PER_BATCH)) await this.table.submitTransaction(batch);
  }

  async writeHealth(health: CycleHealth): Promise<void> {
    const row: HealthRow = { ...health, minute: String(health.minute), canaries: JSON.stringify(health.canaries) };
    await this.table.upsertEntity({ partitionKey: cyclePartition(health.minute), rowKey: `${health.region}|health`, ...row }, 'Replace');
  }

  /** Everything the regions reported for `minute`: one partition query. */
  async read(minute: number): Promise<CycleRecord> {
    const health = new Map<string, CycleHealth>();
    const outcomes = new Map<string, CycleOutcome[]>();
    let decided = false;
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${odata(cyclePartition(minute))}` } });
    for await (const row of rows) {
      const key = row.rowKey!;
      if (key === 'verdict') {
        decided = true;
        continue;
      }
      const [region, kind] = key.split('|') as [string, string];
      if (kind === 'health') {
        const h = row as unknown as HealthRow;
        health.set(region, { ...pickHealth(h), canaries: JSON.parse(h.canaries) as CanaryCheck[] });
      } else if (kind === 'o') {
        let list = outcomes.get(region);
        if (!list) outcomes.set(region, (list = []));
        list.push(...(JSON.parse(String(row['outcomes'])) as CycleOutcome[]));
      } else if (kind === 'claim' && !outcomes.has(region)) {
        outcomes.set(region, []);
      }
    }
    return { minute, decided, health, outcomes };
  }

  /** Marks `minute` decided. False when it already was (a repeated verdict run). */
  async markDecided(minute: number, at: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: cyclePartition(minute), rowKey: 'verdict', at });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Deletes the partition of `minute`. */
  async deleteCycle(minute: number): Promise<void> {
    const partitionKey = cyclePartition(minute);
    const keys: TransactionAction[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq ${odata(partitionKey)}`, select: ['RowKey'] } })) {
      keys.push(['delete', { partitionKey, rowKey: row.rowKey! }]);
    }
    for (const batch of chunks(keys, 100)) await this.table.submitTransaction(batch);
  }

  async setLatest(latest: RegionLatest): Promise<void> {
    await this.table.upsertEntity({ partitionKey: LATEST, rowKey: latest.region, ...latest, minute: String(latest.minute) }, 'Replace');
  }

  async latest(): Promise<RegionLatest[]> {
    const found: RegionLatest[] = [];
    for await (const row of this.table.listEntities<Omit<RegionLatest, 'minute'> & { minute: string }>({ queryOptions: { filter: `PartitionKey eq '${LATEST}'` } })) {
      found.push({
        region: row.rowKey!,
        minute: Number(row.minute),
        lastCycleAt: row.lastCycleAt,
        probes: row.probes,
        failures: row.failures,
        localFaults: row.localFaults,
        errorRate: row.errorRate,
        trusted: row.trusted === true,
        lagMs: row.lagMs,
        durationMs: row.durationMs,
        canaryFailures: row.canaryFailures,
      });
    }
    return found;
  }
}

function pickHealth(h: HealthRow): Omit<CycleHealth, 'canaries'> {
  return {
    region: h.region,
    minute: Number(h.minute),
    minuteAt: h.minuteAt,
    startedAt: h.startedAt,
    finishedAt: h.finishedAt,
    lagMs: h.lagMs,
    durationMs: h.durationMs,
    due: h.due,
    probed: h.probed,
    skipped: h.skipped,
    shards: h.shards,
  };
}

/** JSON arrays of `items`, each at most `maxChars` long (a single larger item gets its own). */
function packJson(items: readonly unknown[], maxChars: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let length = 2;
  for (const item of items) {
    const text = JSON.stringify(item);
    if (current.length > 0 && length + text.length + 1 > maxChars) {
      out.push(`[${current.join(',')}]`);
      current = [];
      length = 2;
    }
    current.push(text);
    length += text.length + 1;
  }
  if (current.length > 0 || out.length === 0) out.push(`[${current.join(',')}]`);
  return out;
}
