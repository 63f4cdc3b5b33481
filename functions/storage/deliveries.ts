import type { OutgoingMessage } from '../alerts/message.js';
import type { Storage } from './storage.js';
import { fromJson, isConflict, isNotFound, isPreconditionFailed, readOptional, toJson } from './entities.js';

// Every message the app sends, with its delivery status, in table `deliveries`:
//   PartitionKey = <deliveryId: sha256(idempotency key), 32 hex>, RowKey "".
// The row is written before the first try, so a message is never lost to a crash or a
// failing provider: whoever finds it unfinished (a retry message, a repeated send with the
// same key) carries on from what the row says. Status changes are If-Match writes.

export type DeliveryStatus = 'sending' | 'retrying' | 'sent' | 'failed';

export interface Delivery {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly message: OutgoingMessage;
  readonly status: DeliveryStatus;
  readonly transport: string;
  readonly attempts: number;
  /** The provider's idempotency handle for the current series of tries (a UUID). */
  readonly requestId: string;
  readonly firstSentAt?: string;
  /** A try of this series ended without knowing whether the provider acted on it. */
  readonly mayHaveBeenSent: boolean;
  /** While `sending`: until when the current try owns the row. */
  readonly leaseUntil?: string;
  readonly nextAttemptAt?: string;
  readonly lastError?: string;
  readonly providerId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string;
  readonly etag?: string;
}

type DeliveryRow = Omit<Delivery, 'id' | 'message' | 'etag'> & { message: string };

export class DeliveryStore {
  constructor(private readonly storage: Storage) {}

  private get table() {
    return this.storage.table('deliveries');
  }

  async get(id: string): Promise<Delivery | undefined> {
    const row = await readOptional(() => this.table.getEntity<DeliveryRow>(id, ''));
    return row ? toDelivery(id, row) : undefined;
  }

  /** Creates the row, or answers the one already there (same idempotency key). */
  async createOrGet(delivery: Delivery): Promise<{ created: boolean; delivery: Delivery }> {
    try {
      const response = await this.table.createEntity({ partitionKey: delivery.id, rowKey: '', ...toRow(delivery) });
      return { created: true, delivery: { ...delivery, ...(response.etag ? { etag: response.etag } : {}) } };
    } catch (err) {
      if (!isConflict(err)) throw err;
      const existing = await this.get(delivery.id);
      if (!existing) throw err;
      return { created: false, delivery: existing };
    }
  }

  /** Writes the new state if the row is unchanged since `current` was read; undefined otherwise. */
  async replace(current: Delivery, next: Delivery): Promise<Delivery | undefined> {
    try {
      const response = await this.table.updateEntity({ partitionKey: next.id, rowKey: '', ...toRow(next) }, 'Replace', {
        etag: current.etag ?? '*',
      });
      return { ...next, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function toRow(d: Delivery): DeliveryRow {
  const { id: _id, message, etag: _etag, ...rest } = d;
  return Object.fromEntries(Object.entries({ ...rest, message: toJson(message) }).filter(([, v]) => v !== undefined)) as DeliveryRow;
}

function toDelivery(id: string, row: DeliveryRow & { etag?: string }): Delivery {
  const delivery: Delivery = {
    id,
    idempotencyKey: row.idempotencyKey,
    message: fromJson<OutgoingMessage>(row.message, { channel: 'email', to: '', text: '' }),
    status: row.status,
    transport: row.transport,
    attempts: row.attempts,
    requestId: row.requestId,
    mayHaveBeenSent: row.mayHaveBeenSent === true,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  const optional: Partial<Delivery> = {
    firstSentAt: row.firstSentAt,
    leaseUntil: row.leaseUntil,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    providerId: row.providerId,
    sentAt: row.sentAt,
    etag: row.etag,
  };
  for (const [k, v] of Object.entries(optional)) if (v) Object.assign(delivery, { [k]: v });
  return delivery;
}
