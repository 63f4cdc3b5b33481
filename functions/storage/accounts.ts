import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { ChannelKind } from '../alerts/message.js';
import type { Storage } from './storage.js';
import { fromJson, ignoreNotFound, isConflict, isNotFound, isPreconditionFailed, prefixFilter, readOptional, toJson } from './entities.js';

// Accounts and everything that belongs to one, in table `accounts`.
//
//   PartitionKey = <accountId>           one partition per account, so activation (profile,
//     RowKey "profile"                    first channel, first key) is one atomic batch and
//     RowKey "channel|<channelId>"        "my channels" / "my keys" are one range query
//     RowKey "key|<keyId>"               the API key record a request's key points at
//     RowKey "owns|<monitorId>"          pointers: monitors this account owns …
//     RowKey "receives|<monitorId>"      … and receives alerts for (truth is in `monitors`)
//
//   PartitionKey = "email|<sha256(address)>"   what is known about an address
//     RowKey "account"                    which account has it, recent sign-up times
//     RowKey "invite|<monitorId>"         pointers: monitors whose owner invited the address
//
// Pointers are written before the row they point at is made, and removed after it is gone,
// so a crash leaves at most a dangling pointer, which readers skip.

export type AccountStatus = 'pending' | 'active';
export type ChannelStatus = 'pending' | 'verified';
export type PointerKind = 'owns' | 'receives';

export interface AccountProfile {
  readonly id: string;
  readonly email: string;
  readonly name?: string;
  readonly status: AccountStatus;
  readonly createdAt: string;
  readonly activatedAt?: string;
  readonly etag?: string;
}

export interface ChannelRecord {
  readonly id: string;
  readonly accountId: string;
  readonly kind: ChannelKind;
  readonly address: string;
  readonly status: ChannelStatus;
  readonly createdAt: string;
  readonly verifiedAt?: string;
  /** Webhooks: the key their deliveries are signed with. */
  readonly signingSecret?: string;
  /** When confirmation messages went out (recent ones), for the resend limit. */
  readonly confirmationsSent: readonly string[];
  readonly etag?: string;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly hash: string;
  readonly readOnly: boolean;
  readonly label?: string;
  readonly createdAt: string;
}

export interface EmailIndex {
  readonly emailHash: string;
  readonly accountId: string;
  /** Recent sign-up requests for the address, for the per-address limit. */
  readonly signups: readonly string[];
  readonly etag?: string;
}

interface ProfileRow {
  email: string;
  name?: string;
  status: AccountStatus;
  createdAt: string;
  activatedAt?: string;
}

interface ChannelRow {
  kind: ChannelKind;
  address: string;
  status: ChannelStatus;
  createdAt: string;
  verifiedAt?: string;
  signingSecret?: string;
  confirmationsSent: string;
}

interface KeyRow {
  hash: string;
  readOnly: boolean;
  label?: string;
  createdAt: string;
}

const PROFILE = 'profile';
const ACCOUNT = 'account';
const channelKey = (id: string) => `channel|${id}`;
const keyKey = (id: string) => `key|${id}`;
const emailPartition = (hash: string) => `email|${hash}`;

export class AccountStore {
  constructor(private readonly storage: Storage) {}

  private get table(): TableClient {
    return this.storage.table('accounts');
  }

  // ── the address index ────────────────────────────────────────────────────────────────

  async getEmailIndex(emailHash: string): Promise<EmailIndex | undefined> {
    const row = await readOptional(() =>
      this.table.getEntity<{ accountId: string; signups: string }>(emailPartition(emailHash), ACCOUNT),
    );
    if (!row) return undefined;
    return { emailHash, accountId: row.accountId, signups: fromJson<string[]>(row.signups, []), etag: row.etag };
  }

  /** False when another request created it first. */
  async createEmailIndex(index: EmailIndex): Promise<boolean> {
    try {
      await this.table.createEntity({
        partitionKey: emailPartition(index.emailHash),
        rowKey: ACCOUNT,
        accountId: index.accountId,
        signups: toJson(index.signups),
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** False when the row changed since it was read (the caller reads again). */
  async updateSignups(index: EmailIndex, signups: readonly string[]): Promise<boolean> {
    try {
      await this.table.updateEntity(
        { partitionKey: emailPartition(index.emailHash), rowKey: ACCOUNT, signups: toJson(signups) },
        'Merge',
        { etag: index.etag ?? '*' },
      );
      return true;
    } catch (err) {
      if (isPreconditionFailed(err)) return false;
      throw err;
    }
  }

  async addInvite(emailHash: string, monitorId: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: emailPartition(emailHash), rowKey: `invite|${monitorId}` }, 'Replace');
  }

  async removeInvite(emailHash: string, monitorId: string): Promise<void> {
    await ignoreNotFound(() => this.table.deleteEntity(emailPartition(emailHash), `invite|${monitorId}`));
  }

  async listInvites(emailHash: string): Promise<string[]> {
    return this.rowKeysWithPrefix(emailPartition(emailHash), 'invite|');
  }

  // ── profiles ─────────────────────────────────────────────────────────────────────────

  async getProfile(accountId: string): Promise<AccountProfile | undefined> {
    const row = await readOptional(() => this.table.getEntity<ProfileRow>(accountId, PROFILE));
    if (!row) return undefined;
    return {
      id: accountId,
      email: row.email,
      status: row.status,
      createdAt: row.createdAt,
      etag: row.etag,
      ...(row.name ? { name: row.name } : {}),
      ...(row.activatedAt ? { activatedAt: row.activatedAt } : {}),
    };
  }

  /** Creates a pending profile; an existing one is left as it is. */
  async createProfile(profile: AccountProfile): Promise<void> {
    try {
      await this.table.createEntity<ProfileRow & { partitionKey: string; rowKey: string }>({
        partitionKey: profile.id,
        rowKey: PROFILE,
        email: profile.email,
        status: profile.status,
        createdAt: profile.createdAt,
        ...(profile.name ? { name: profile.name } : {}),
      });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  /**
   * Activates a pending account together with its first channel and first key, all or
   * nothing. False when the profile changed since it was read.
   */
  async activate(profile: AccountProfile, activatedAt: string, channel: ChannelRecord, key: ApiKeyRecord): Promise<boolean> {
    const actions: TransactionAction[] = [
      ['update', { partitionKey: profile.id, rowKey: PROFILE, status: 'active', activatedAt }, 'Merge', { etag: profile.etag ?? '*' }],
      ['upsert', channelEntity(channel), 'Replace'],
      ['create', keyEntity(key)],
    ];
    try {
      await this.table.submitTransaction(actions);
      return true;
    } catch (err) {
      if (isPreconditionFailed(err) || isConflict(err)) return false;
      throw err;
    }
  }

  // ── API keys ─────────────────────────────────────────────────────────────────────────

  async getKey(accountId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const row = await readOptional(() => this.table.getEntity<KeyRow>(accountId, keyKey(keyId)));
    return row ? toKey(accountId, keyId, row) : undefined;
  }

  async createKey(key: ApiKeyRecord): Promise<void> {
    await this.table.createEntity(keyEntity(key));
  }

  /** False when there was no such key. */
  async deleteKey(accountId: string, keyId: string): Promise<boolean> {
    return this.deleteRow(accountId, keyKey(keyId));
  }

  async listKeys(accountId: string): Promise<ApiKeyRecord[]> {
    const keys: ApiKeyRecord[] = [];
    for await (const row of this.table.listEntities<KeyRow>({ queryOptions: { filter: prefixFilter(accountId, 'key|') } })) {
      keys.push(toKey(accountId, row.rowKey!.slice('key|'.length), row));
    }
    return keys;
  }

  // ── channels ─────────────────────────────────────────────────────────────────────────

  async getChannel(accountId: string, channelId: string): Promise<ChannelRecord | undefined> {
    const row = await readOptional(() => this.table.getEntity<ChannelRow>(accountId, channelKey(channelId)));
    return row ? toChannel(accountId, channelId, row) : undefined;
  }

  async listChannels(accountId: string): Promise<ChannelRecord[]> {
    const channels: ChannelRecord[] = [];
    const query = this.table.listEntities<ChannelRow>({ queryOptions: { filter: prefixFilter(accountId, 'channel|') } });
    for await (const row of query) channels.push(toChannel(accountId, row.rowKey!.slice('channel|'.length), row));
    return channels.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** False when a channel with this id exists already. */
  async createChannel(channel: ChannelRecord): Promise<boolean> {
    try {
      await this.table.createEntity(channelEntity(channel));
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Writes the changed fields if the channel is unchanged since read; false otherwise. */
  async updateChannel(
    channel: ChannelRecord,
    changes: Partial<Pick<ChannelRecord, 'status' | 'verifiedAt' | 'confirmationsSent'>>,
  ): Promise<boolean> {
    const entity: Record<string, unknown> = { partitionKey: channel.accountId, rowKey: channelKey(channel.id) };
    if (changes.status) entity['status'] = changes.status;
    if (changes.verifiedAt) entity['verifiedAt'] = changes.verifiedAt;
    if (changes.confirmationsSent) entity['confirmationsSent'] = toJson(changes.confirmationsSent);
    try {
      await this.table.updateEntity(entity as { partitionKey: string; rowKey: string }, 'Merge', { etag: channel.etag ?? '*' });
      return true;
    } catch (err) {
      if (isPreconditionFailed(err) || (changes.status && isNotFound(err))) return false;
      throw err;
    }
  }

  /** False when there was no such channel. */
  async deleteChannel(accountId: string, channelId: string): Promise<boolean> {
    return this.deleteRow(accountId, channelKey(channelId));
  }

  // ── monitor pointers ─────────────────────────────────────────────────────────────────

  async addPointer(accountId: string, kind: PointerKind, monitorId: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: accountId, rowKey: `${kind}|${monitorId}` }, 'Replace');
  }

  async removePointer(accountId: string, kind: PointerKind, monitorId: string): Promise<void> {
    await ignoreNotFound(() => this.table.deleteEntity(accountId, `${kind}|${monitorId}`));
  }

  async listPointers(accountId: string, kind: PointerKind): Promise<string[]> {
    return this.rowKeysWithPrefix(accountId, `${kind}|`);
  }

  private async rowKeysWithPrefix(partitionKey: string, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    const query = this.table.listEntities({ queryOptions: { filter: prefixFilter(partitionKey, prefix), select: ['RowKey'] } });
    for await (const row of query) ids.push(row.rowKey!.slice(prefix.length));
    return ids;
  }

  private async deleteRow(partitionKey: string, rowKey: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(partitionKey, rowKey);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}

function channelEntity(channel: ChannelRecord) {
  return {
    partitionKey: channel.accountId,
    rowKey: channelKey(channel.id),
    kind: channel.kind,
    address: channel.address,
    status: channel.status,
    createdAt: channel.createdAt,
    confirmationsSent: toJson(channel.confirmationsSent),
    ...(channel.verifiedAt ? { verifiedAt: channel.verifiedAt } : {}),
    ...(channel.signingSecret ? { signingSecret: channel.signingSecret } : {}),
  };
}

function toChannel(accountId: string, id: string, row: ChannelRow & { etag?: string }): ChannelRecord {
  return {
    id,
    accountId,
    kind: row.kind,
    address: row.address,
    status: row.status,
    createdAt: row.createdAt,
    confirmationsSent: fromJson<string[]>(row.confirmationsSent, []),
    ...(row.verifiedAt ? { verifiedAt: row.verifiedAt } : {}),
    ...(row.signingSecret ? { signingSecret: row.signingSecret } : {}),
    ...(row.etag ? { etag: row.etag } : {}),
  };
}

function keyEntity(key: ApiKeyRecord) {
  return {
    partitionKey: key.accountId,
    rowKey: keyKey(key.id),
    hash: key.hash,
    readOnly: key.readOnly,
    createdAt: key.createdAt,
    ...(key.label ? { label: key.label } : {}),
  };
}

function toKey(accountId: string, id: string, row: KeyRow): ApiKeyRecord {
  return {
    id,
    accountId,
    hash: row.hash,
    readOnly: row.readOnly === true,
    createdAt: row.createdAt,
    ...(row.label ? { label: row.label } : {}),
  };
}
