import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { fromJson, isConflict, prefixFilter, readOptional, toJson } from './entities.js';
import type { Storage } from './storage.js';

// Incidents, in table `incidents`, one partition per monitor:
//
//   PartitionKey = <monitorId>
//     RowKey "incident|<inverted opened minute>"                  the incident: opened, state, closed
//     RowKey "entry|<inverted opened minute>|t|<seq>"             timeline entry number seq
//     RowKey "entry|<inverted opened minute>|a|<destination>|<n>" an alert (failure n, or "recovery")
//     RowKey "entry|<inverted opened minute>|n|<at>|<random>"     a note
//
// An incident id is `<monitorId>-<opened minute>`, so GET by id is a point read plus one
// prefix query of the same partition, and a monitor's incidents newest first is one prefix
// query. Every write the orchestrator's activities make is keyed by what it records
// (timeline position, destination and sequence), so a repeated activity rewrites the same row.

export const INCIDENT_ID = /^(m[a-z0-9]{20})-(\d{1,13})$/;
const MAX_MINUTE = 9_999_999_999_999;

export type IncidentStatus = 'pending' | 'cancelled' | 'alerting' | 'recovered';
export type IncidentEndReason = 'cancelled' | 'recovered' | 'paused' | 'deleted';

export interface IncidentRecord {
  readonly id: string;
  readonly monitorId: string;
  readonly openedMinute: number;
  readonly openedAt: string;
  readonly state: IncidentStatus;
  readonly end?: IncidentEndReason;
  readonly closedAt?: string;
}

export interface TimelineRecord {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly details: Record<string, unknown>;
}

export interface AlertRecord {
  readonly at: string;
  /** `<accountId>:<channelId>`. */
  readonly destination: string;
  readonly channel: string;
  readonly kind: 'failure' | 'recovery';
  /** Failure alerts: 1..4. */
  readonly sequence?: number;
  /** What the sender reported: sent, retrying, failed, … or `gone` (destination removed). */
  readonly status: string;
}

export interface NoteRecord {
  readonly at: string;
  readonly accountId: string;
  readonly text: string;
}

export interface IncidentDetail extends IncidentRecord {
  readonly timeline: TimelineRecord[];
  readonly alerts: AlertRecord[];
  readonly notes: NoteRecord[];
}

export function incidentIdOf(monitorId: string, openedMinute: number): string {
  return `${monitorId}-${openedMinute}`;
}

export function parseIncidentId(id: string): { monitorId: string; openedMinute: number } | undefined {
  const m = INCIDENT_ID.exec(id);
  return m ? { monitorId: m[1]!, openedMinute: Number(m[2]) } : undefined;
}

const inverted = (minute: number) => String(MAX_MINUTE - minute).padStart(13, '0');
const headerKey = (minute: number) => `incident|${inverted(minute)}`;
const entryPrefix = (minute: number) => `entry|${inverted(minute)}|`;

interface HeaderRow {
  openedMinute: number;
  openedAt: string;
  state: IncidentStatus;
  end?: IncidentEndReason;
  closedAt?: string;
}

export class IncidentStore {
  constructor(private readonly storage: Storage) {}

  private get table(): TableClient {
    return this.storage.table('incidents');
  }

  /** Creates the incident; false when it exists already (a repeated start). */
  async create(record: IncidentRecord): Promise<boolean> {
    try {
      await this.table.createEntity<HeaderRow>({
        partitionKey: record.monitorId,
        rowKey: headerKey(record.openedMinute),
        openedMinute: record.openedMinute,
        openedAt: record.openedAt,
        state: record.state,
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  async get(id: string): Promise<IncidentRecord | undefined> {
    const key = parseIncidentId(id);
    if (!key) return undefined;
    const row = await readOptional(() => this.table.getEntity<HeaderRow>(key.monitorId, headerKey(key.openedMinute)));
    return row ? toRecord(key.monitorId, row) : undefined;
  }

  async setState(id: string, state: IncidentStatus, end?: IncidentEndReason, closedAt?: string): Promise<void> {
    const key = parseIncidentId(id)!;
    await this.table.updateEntity(
      { partitionKey: key.monitorId, rowKey: headerKey(key.openedMinute), state, ...(end ? { end } : {}), ...(closedAt ? { closedAt } : {}) },
      'Merge',
      { etag: '*' },
    );
  }

  async putTimeline(id: string, entries: readonly TimelineRecord[]): Promise<void> {
    const key = parseIncidentId(id)!;
    const prefix = entryPrefix(key.openedMinute);
    // One partition: a batch of upserts is one request (≤100 per transaction).
    for (let i = 0; i < entries.length; i += 100) {
      await this.table.submitTransaction(
        entries.slice(i, i + 100).map((e) => [
          'upsert',
          { partitionKey: key.monitorId, rowKey: `${prefix}t|${String(e.seq).padStart(6, '0')}`, at: e.at, kind: e.kind, details: toJson(e.details) },
          'Replace',
        ]),
      );
    }
  }

  async putAlert(id: string, alert: AlertRecord): Promise<void> {
    const key = parseIncidentId(id)!;
    const which = alert.kind === 'recovery' ? 'recovery' : `failure${alert.sequence}`;
    await this.table.upsertEntity(
      {
        partitionKey: key.monitorId,
        rowKey: `${entryPrefix(key.openedMinute)}a|${alert.destination}|${which}`,
        at: alert.at,
        destination: alert.destination,
        channel: alert.channel,
        kind: alert.kind,
        ...(alert.sequence !== undefined ? { sequence: alert.sequence } : {}),
        status: alert.status,
      },
      'Replace',
    );
  }

  async addNote(id: string, note: NoteRecord): Promise<void> {
    const key = parseIncidentId(id)!;
    await this.table.createEntity({
      partitionKey: key.monitorId,
      rowKey: `${entryPrefix(key.openedMinute)}n|${note.at}|${randomBytes(4).toString('hex')}`,
      at: note.at,
      accountId: note.accountId,
      text: note.text,
    });
  }

  async detail(record: IncidentRecord): Promise<IncidentDetail> {
    const timeline: TimelineRecord[] = [];
    const alerts: AlertRecord[] = [];
    const notes: NoteRecord[] = [];
    const prefix = entryPrefix(record.openedMinute);
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(record.monitorId, prefix) } });
    for await (const row of rows) {
      const rest = row.rowKey!.slice(prefix.length);
      const at = String(row['at']);
      if (rest.startsWith('t|')) timeline.push({ seq: Number(rest.slice(2)), at, kind: String(row['kind']), details: fromJson(row['details'], {}) });
      else if (rest.startsWith('a|')) {
        alerts.push({
          at,
          destination: String(row['destination']),
          channel: String(row['channel']),
          kind: row['kind'] === 'recovery' ? 'recovery' : 'failure',
          ...(typeof row['sequence'] === 'number' ? { sequence: row['sequence'] } : {}),
          status: String(row['status']),
        });
      } else if (rest.startsWith('n|')) notes.push({ at, accountId: String(row['accountId']), text: String(row['text']) });
    }
    timeline.sort((a, b) => a.seq - b.seq);
    alerts.sort((a, b) => a.at.localeCompare(b.at) || a.destination.localeCompare(b.destination));
    notes.sort((a, b) => a.at.localeCompare(b.at));
    return { ...record, timeline, alerts, notes };
  }

  /** A monitor's incidents, newest first. */
  async listByMonitor(monitorId: string, limit: number): Promise<IncidentRecord[]> {
    const out: IncidentRecord[] = [];
    const pages = this.table.listEntities<HeaderRow>({ queryOptions: { filter: prefixFilter(monitorId, 'incident|') } }).byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const row of page) {
        out.push(toRecord(monitorId, row));
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}

function toRecord(monitorId: string, row: HeaderRow): IncidentRecord {
  return {
    id: incidentIdOf(monitorId, row.openedMinute),
    monitorId,
    openedMinute: row.openedMinute,
    openedAt: row.openedAt,
    state: row.state,
    ...(row.end ? { end: row.end } : {}),
    ...(row.closedAt ? { closedAt: row.closedAt } : {}),
  };
}
