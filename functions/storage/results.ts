import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { ProbeResult } from '../cycle/result.js';
import type { ErrorClass, Phases } from '../probes/spec.js';
import { odata } from './entities.js';
import type { Storage } from './storage.js';

// Raw results and their hourly rollups.
//
//   results  PartitionKey = "b<bucket>"  (bucket = hash(monitorId) mod 32)
//            RowKey       = "<monitorId>|<inverted ms of the scheduled minute>|<region>"
//   rollups  PartitionKey = "b<bucket>"
//            RowKey       = "<monitorId>|<inverted ms of the hour>"
//
// A monitor's rows sit together in one partition, newest first (inverted time), so its
// history over a time range is one partition range query. Spreading monitors over 32
// partitions lets a region write a cycle's results in batched transactions (≤100 rows, one
// partition each) instead of one request per result, while no partition takes more than a
// thirty-second of the write load. The key holds region and scheduled minute: a repeated
// write of the same probe replaces the same row.

export const RESULT_BUCKETS = 32;
const BATCH = 100;
const MAX_MS = 9_999_999_999_999;

export function bucketOf(monitorId: string): string {
  // FNV-1a: stable across processes and versions, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (let i = 0; i < monitorId.length; i++) {
    hash ^= monitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `b${String((hash >>> 0) % RESULT_BUCKETS).padStart(2, '0')}`;
}

/** Time as a key that sorts newest first. */
export function invertedTime(ms: number): string {
  return String(MAX_MS - ms).padStart(13, '0');
}

interface ResultRow {
  region: string;
  minuteAt: string;
  at: string;
  ok: boolean;
  errorClass?: ErrorClass;
  errorMessage?: string;
  errorCode?: string;
  dns?: number;
  connect?: number;
  tls?: number;
  firstByte?: number;
  total: number;
  status?: number;
  remoteAddress?: string;
}

export interface HourRollup {
  readonly monitorId: string;
  /** Start of the hour (ISO). */
  readonly hour: string;
  readonly count: number;
  readonly failures: number;
  /** Percentiles of the total time of passing probes, ms; null when none passed. */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** Results per region. */
  readonly regions: Readonly<Record<string, number>>;
}

/** Keys of a monitor's rows whose scheduled minute lies in [fromMs, toMs]. */
function rangeFilter(monitorId: string, fromMs: number, toMs: number): string {
  return (
    `PartitionKey eq ${odata(bucketOf(monitorId))} and RowKey ge ${odata(`${monitorId}|${invertedTime(toMs)}`)} ` +
    `and RowKey lt ${odata(`${monitorId}|${invertedTime(fromMs)}|~`)}`
  );
}

export class ResultStore {
  constructor(private readonly storage: Storage) {}

  private get results(): TableClient {
    return this.storage.table('results');
  }

  /** Upserts results grouped by partition, ≤100 per transaction. Idempotent. */
  async write(results: readonly ProbeResult[]): Promise<void> {
    const byBucket = new Map<string, TransactionAction[]>();
    for (const r of results) {
      const bucket = bucketOf(r.monitorId);
      let actions = byBucket.get(bucket);
      if (!actions) byBucket.set(bucket, (actions = []));
      actions.push(['upsert', { partitionKey: bucket, rowKey: resultKey(r), ...resultRow(r) }, 'Replace']);
    }
    await Promise.all([...byBucket.values()].flatMap((actions) => chunks(actions, BATCH).map((batch) => this.results.submitTransaction(batch))));
  }

  /** A monitor's results with scheduled minutes in [fromMs, toMs], newest first: one partition range query. */
  async range(monitorId: string, fromMs: number, toMs: number, options: { region?: string; limit: number }): Promise<ProbeResult[]> {
    const filter = rangeFilter(monitorId, fromMs, toMs) + (options.region ? ` and region eq ${odata(options.region)}` : '');
    const found: ProbeResult[] = [];
    const pages = this.results.listEntities<ResultRow>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(options.limit, 1000) });
    for await (const page of pages) {
      for (const row of page) {
        found.push(fromRow(monitorId, row));
        if (found.length >= options.limit) return found;
      }
    }
    return found;
  }

  /** Deletes a monitor's results with scheduled minutes in [fromMs, toMs]; returns how many. */
  async deleteRange(monitorId: string, fromMs: number, toMs: number): Promise<number> {
    const keys: TransactionAction[] = [];
    const rows = this.results.listEntities({ queryOptions: { filter: rangeFilter(monitorId, fromMs, toMs), select: ['RowKey'] } });
    for await (const row of rows) keys.push(['delete', { partitionKey: bucketOf(monitorId), rowKey: row.rowKey! }]);
    for (const batch of chunks(keys, BATCH)) await this.results.submitTransaction(batch);
    return keys.length;
  }

  /** Upserts rollups, batched per partition. Idempotent. */
  async writeRollups(rollups: readonly HourRollup[]): Promise<void> {
    const byBucket = new Map<string, TransactionAction[]>();
    for (const r of rollups) {
      const bucket = bucketOf(r.monitorId);
      let actions = byBucket.get(bucket);
      if (!actions) byBucket.set(bucket, (actions = []));
      const { monitorId: _m, regions, ...row } = r;
      actions.push(['upsert', { partitionKey: bucket, rowKey: `${r.monitorId}|${invertedTime(Date.parse(r.hour))}`, ...row, regions: JSON.stringify(regions) }, 'Replace']);
    }
    const table = this.storage.table('rollups');
    await Promise.all([...byBucket.values()].flatMap((actions) => chunks(actions, BATCH).map((batch) => table.submitTransaction(batch))));
  }

  /** A monitor's hourly rollups with hours starting in [fromMs, toMs], newest first: one partition range query. */
  async rollups(monitorId: string, fromMs: number, toMs: number): Promise<HourRollup[]> {
    const found: HourRollup[] = [];
    const rows = this.storage.table('rollups').listEntities<Omit<HourRollup, 'monitorId' | 'regions'> & { regions: string }>({
      queryOptions: { filter: rangeFilter(monitorId, fromMs, toMs) },
    });
    for await (const row of rows) {
      found.push({
        monitorId,
        hour: row.hour,
        count: row.count,
        failures: row.failures,
        p50: row.p50 ?? null,
        p90: row.p90 ?? null,
        p99: row.p99 ?? null,
        max: row.max ?? null,
        regions: JSON.parse(row.regions) as Record<string, number>,
      });
    }
    return found;
  }

  /** Deletes a monitor's rollups of hours starting before `beforeMs`. */
  async deleteRollupsBefore(monitorId: string, beforeMs: number): Promise<void> {
    const table = this.storage.table('rollups');
    const keys: TransactionAction[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: rangeFilter(monitorId, 0, beforeMs - 1), select: ['RowKey'] } })) {
      keys.push(['delete', { partitionKey: bucketOf(monitorId), rowKey: row.rowKey! }]);
    }
    for (const batch of chunks(keys, BATCH)) await table.submitTransaction(batch);
  }
}

function resultKey(r: ProbeResult): string {
  return `${r.monitorId}|${invertedTime(Date.parse(r.minuteAt))}|${r.region}`;
}

function resultRow(r: ProbeResult): ResultRow {
  const row: ResultRow = { region: r.region, minuteAt: r.minuteAt, at: r.at, ok: r.ok, total: r.phases.total };
  if (r.error) {
    row.errorClass = r.error.class;
    row.errorMessage = r.error.message.slice(0, 1000);
    if (r.error.code) row.errorCode = r.error.code;
  }
  // Absent phases stay absent: Table Storage has no null.
  const phases: Array<Exclude<keyof Phases, 'total'>> = ['dns', 'connect', 'tls', 'firstByte'];
  for (const p of phases) if (r.phases[p] !== null) row[p] = r.phases[p];
  if (r.status !== undefined) row.status = r.status;
  if (r.remoteAddress !== undefined) row.remoteAddress = r.remoteAddress;
  return row;
}

function fromRow(monitorId: string, row: ResultRow): ProbeResult {
  return {
    monitorId,
    region: row.region,
    minuteAt: row.minuteAt,
    at: row.at,
    ok: row.ok === true,
    ...(row.errorClass
      ? { error: { class: row.errorClass, message: row.errorMessage ?? '', ...(row.errorCode ? { code: row.errorCode } : {}) } }
      : {}),
    phases: { dns: row.dns ?? null, connect: row.connect ?? null, tls: row.tls ?? null, firstByte: row.firstByte ?? null, total: row.total },
    ...(row.status !== undefined ? { status: row.status } : {}),
    ...(row.remoteAddress !== undefined ? { remoteAddress: row.remoteAddress } : {}),
  };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
