import type { Storage } from './storage.js';
import { isNotFound, isPreconditionFailed, readOptional } from './entities.js';

// Outstanding confirmations (double opt-in), in table `confirmations`:
//   PartitionKey = <confirmationId>, RowKey "".
// A token names its confirmation; using it is an If-Match write of `usedAt`, so of two
// requests racing with the same token exactly one wins.

export type ConfirmationKind =
  | 'account' // activates a pending account and shows its first API key
  | 'recovery' // an address that already has an account asked again: a fresh API key
  | 'channel' // verifies a channel
  | 'receiver'; // accepts an invitation to receive a monitor's alerts

export interface Confirmation {
  readonly id: string;
  readonly kind: ConfirmationKind;
  readonly accountId?: string;
  /** channel: the channel id; receiver: the monitor id. */
  readonly subjectId?: string;
  /** receiver: sha256 of the invited address. */
  readonly emailHash?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
  readonly etag?: string;
}

interface ConfirmationRow {
  kind: ConfirmationKind;
  accountId?: string;
  subjectId?: string;
  emailHash?: string;
  createdAt: string;
  expiresAt: string;
  usedAt?: string;
}

export class ConfirmationStore {
  constructor(private readonly storage: Storage) {}

  private get table() {
    return this.storage.table('confirmations');
  }

  async create(confirmation: Confirmation): Promise<void> {
    const { id, etag: _etag, usedAt: _usedAt, ...fields } = confirmation;
    await this.table.createEntity({ partitionKey: id, rowKey: '', ...withoutUndefined(fields) });
  }

  async get(id: string): Promise<Confirmation | undefined> {
    const row = await readOptional(() => this.table.getEntity<ConfirmationRow>(id, ''));
    if (!row) return undefined;
    return {
      id,
      kind: row.kind,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      ...(row.accountId ? { accountId: row.accountId } : {}),
      ...(row.subjectId ? { subjectId: row.subjectId } : {}),
      ...(row.emailHash ? { emailHash: row.emailHash } : {}),
      ...(row.usedAt ? { usedAt: row.usedAt } : {}),
      ...(row.etag ? { etag: row.etag } : {}),
    };
  }

  /**
   * Marks an unused confirmation used. Returns the claimed record (with its new ETag, so the
   * claim can be released), or undefined when it was used or changed meanwhile.
   */
  async claim(confirmation: Confirmation, at: string): Promise<Confirmation | undefined> {
    if (confirmation.usedAt || !confirmation.etag) return undefined;
    try {
      const response = await this.table.updateEntity({ partitionKey: confirmation.id, rowKey: '', usedAt: at }, 'Merge', {
        etag: confirmation.etag,
      });
      return { ...confirmation, usedAt: at, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Gives a claimed confirmation back when what it confirms could not be done. */
  async release(claimed: Confirmation): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey: claimed.id, rowKey: '', usedAt: '' }, 'Merge', { etag: claimed.etag ?? '*' });
    } catch (err) {
      if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
    }
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
