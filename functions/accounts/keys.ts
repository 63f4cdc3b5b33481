import { AccountStore, type ApiKeyRecord } from '../storage/accounts.js';
import { generateApiKey, parseApiKey, sameHash } from './api-keys.js';
import { iso, type DomainContext } from './context.js';
import { forbidden, notFound, Rejection } from './errors.js';

// API keys: who is calling, and may they write. A key names its account and record, so a
// request costs one point read; the stored hash is compared in constant time.

export interface Caller {
  readonly accountId: string;
  readonly keyId: string;
  readonly readOnly: boolean;
}

export type Access = 'read' | 'write';

/** The caller behind `Authorization: Bearer <key>`; 401 for none or an unknown key, 403 for a read-only key on a write. */
export async function authenticate(ctx: DomainContext, authorization: string | null, access: Access): Promise<Caller> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new Rejection('unauthenticated', 'unauthenticated', 'send an API key: Authorization: Bearer <key>');
  const parsed = parseApiKey(m[1]!);
  const record = parsed ? await new AccountStore(ctx.storage).getKey(parsed.accountId, parsed.keyId) : undefined;
  if (!parsed || !record || !sameHash(record.hash, parsed.hash)) {
    throw new Rejection('unauthenticated', 'unauthenticated', 'the API key is not valid');
  }
  if (access === 'write' && record.readOnly) throw forbidden('this API key is read-only');
  return { accountId: record.accountId, keyId: record.id, readOnly: record.readOnly };
}

export interface NewKey {
  readonly id: string;
  readonly apiKey: string;
  readonly readOnly: boolean;
  readonly label?: string;
  readonly createdAt: string;
}

export const KEYS_PER_ACCOUNT = 50;

export async function createKey(ctx: DomainContext, accountId: string, input: { readOnly: boolean; label?: string }): Promise<NewKey> {
  if ((await new AccountStore(ctx.storage).listKeys(accountId)).length >= KEYS_PER_ACCOUNT) {
    throw new Rejection('conflict', 'too_many_keys', `an account has at most ${KEYS_PER_ACCOUNT} API keys; delete one first`);
  }
  const key = generateApiKey(accountId);
  const record: ApiKeyRecord = {
    id: key.keyId,
    accountId,
    hash: key.hash,
    readOnly: input.readOnly,
    createdAt: iso(ctx.now()),
    ...(input.label ? { label: input.label } : {}),
  };
  await new AccountStore(ctx.storage).createKey(record);
  return { id: record.id, apiKey: key.apiKey, readOnly: record.readOnly, createdAt: record.createdAt, ...(record.label ? { label: record.label } : {}) };
}

export async function listKeys(ctx: DomainContext, accountId: string): Promise<Omit<ApiKeyRecord, 'hash' | 'accountId'>[]> {
  const keys = await new AccountStore(ctx.storage).listKeys(accountId);
  return keys
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map(({ id, readOnly, label, createdAt }) => ({ id, readOnly, createdAt, ...(label ? { label } : {}) }));
}

/** Deleting the key the request came with is allowed: it stops working at once. */
export async function deleteKey(ctx: DomainContext, accountId: string, keyId: string): Promise<void> {
  if (!(await new AccountStore(ctx.storage).deleteKey(accountId, keyId))) throw notFound('API key');
}
