import { AccountStore, type ApiKeyRecord, type ChannelRecord } from '../storage/accounts.js';
import { ConfirmationStore, type Confirmation, type ConfirmationKind } from '../storage/confirmations.js';
import { generateApiKey } from './api-keys.js';
import { channelIdFor } from './channels.js';
import { iso, signer, type DomainContext } from './context.js';
import { Rejection } from './errors.js';
import { acceptInvitation, describeInvitation } from './receivers.js';

// The second half of every double opt-in: /api/confirm/<token>. GET shows what confirming
// would do and changes nothing (mail scanners follow links); POST does it. A token works
// once: it is claimed with an If-Match write before anything happens, so two requests
// racing with one token cannot both succeed; if what it confirms cannot be done right now
// (storage busy, no account yet for an invitation), the claim is given back.

export type ConfirmationResult =
  | { readonly kind: 'account'; readonly accountId: string; readonly apiKey: string }
  | { readonly kind: 'channel'; readonly channelId: string; readonly status: 'verified' }
  | { readonly kind: 'receiver'; readonly monitorId: string; readonly status: 'accepted' };

export interface ConfirmationPreview {
  readonly kind: ConfirmationKind;
  /** One sentence for the page: what pressing the button does. */
  readonly action: string;
}

const gone = (message = 'this link has expired, was already used, or is not valid'): Rejection =>
  new Rejection('gone', 'gone', message);

/** What the token would confirm; 410 when it cannot be used. Reads only. */
export async function previewConfirmation(ctx: DomainContext, token: string): Promise<ConfirmationPreview> {
  const record = await usableConfirmation(ctx, token);
  const accounts = new AccountStore(ctx.storage);
  switch (record.kind) {
    case 'account': {
      const profile = await accounts.getProfile(record.accountId ?? '');
      if (!profile || profile.status !== 'pending') throw gone();
      return { kind: record.kind, action: `Activate the account for ${profile.email} and show its API key.` };
    }
    case 'recovery': {
      const profile = await accounts.getProfile(record.accountId ?? '');
      if (!profile || profile.status !== 'active') throw gone();
      return { kind: record.kind, action: `Create a new API key for ${profile.email}. Existing keys keep working.` };
    }
    case 'channel': {
      const channel = await accounts.getChannel(record.accountId ?? '', record.subjectId ?? '');
      if (!channel) throw gone('this channel no longer exists');
      return { kind: record.kind, action: `Send monitoring alerts to ${channel.address}.` };
    }
    case 'receiver':
      return { kind: record.kind, action: await describeInvitation(ctx, record.subjectId ?? '', record.emailHash ?? '') };
  }
}

/** Does what the token confirms, once. 410 for expired, altered or used tokens. */
export async function confirm(ctx: DomainContext, token: string): Promise<ConfirmationResult> {
  const store = new ConfirmationStore(ctx.storage);
  const record = await usableConfirmation(ctx, token);
  const claimed = await store.claim(record, iso(ctx.now()));
  if (!claimed) throw gone();
  try {
    return await perform(ctx, claimed);
  } catch (err) {
    // A gone subject stays gone: the token is spent. Anything else may work on a retry.
    if (!(err instanceof Rejection && err.kind === 'gone')) await store.release(claimed);
    throw err;
  }
}

async function usableConfirmation(ctx: DomainContext, token: string): Promise<Confirmation> {
  const now = ctx.now();
  const claims = signer(ctx).verify(token, now);
  if (!claims) throw gone();
  const record = await new ConfirmationStore(ctx.storage).get(claims.confirmationId);
  if (!record || record.usedAt || Date.parse(record.expiresAt) <= now) throw gone();
  return record;
}

function perform(ctx: DomainContext, record: Confirmation): Promise<ConfirmationResult> {
  switch (record.kind) {
    case 'account':
      return activateAccount(ctx, record.accountId ?? '');
    case 'recovery':
      return issueRecoveryKey(ctx, record.accountId ?? '');
    case 'channel':
      return verifyChannel(ctx, record.accountId ?? '', record.subjectId ?? '');
    case 'receiver':
      return acceptInvitation(ctx, record.subjectId ?? '', record.emailHash ?? '');
  }
}

/** Pending → active, with the sign-up address as first verified channel and a first key: one batch. */
async function activateAccount(ctx: DomainContext, accountId: string): Promise<ConfirmationResult> {
  const accounts = new AccountStore(ctx.storage);
  const profile = await accounts.getProfile(accountId);
  if (!profile || profile.status !== 'pending') throw gone();
  const now = iso(ctx.now());
  const channel: ChannelRecord = {
    id: channelIdFor(accountId, 'email', profile.email),
    accountId,
    kind: 'email',
    address: profile.email,
    status: 'verified',
    createdAt: now,
    verifiedAt: now,
    confirmationsSent: [],
  };
  const key = generateApiKey(accountId);
  const record: ApiKeyRecord = { id: key.keyId, accountId, hash: key.hash, readOnly: false, label: 'first key', createdAt: now };
  if (!(await accounts.activate(profile, now, channel, record))) {
    throw new Rejection('conflict', 'busy', 'the account is being changed by another request; try again');
  }
  return { kind: 'account', accountId, apiKey: key.apiKey };
}

async function issueRecoveryKey(ctx: DomainContext, accountId: string): Promise<ConfirmationResult> {
  const accounts = new AccountStore(ctx.storage);
  const profile = await accounts.getProfile(accountId);
  if (!profile || profile.status !== 'active') throw gone();
  const key = generateApiKey(accountId);
  await accounts.createKey({ id: key.keyId, accountId, hash: key.hash, readOnly: false, label: 'recovered key', createdAt: iso(ctx.now()) });
  return { kind: 'account', accountId, apiKey: key.apiKey };
}

async function verifyChannel(ctx: DomainContext, accountId: string, channelId: string): Promise<ConfirmationResult> {
  const accounts = new AccountStore(ctx.storage);
  const channel = await accounts.getChannel(accountId, channelId);
  if (!channel) throw gone('this channel no longer exists');
  if (channel.status !== 'verified' && !(await accounts.updateChannel(channel, { status: 'verified', verifiedAt: iso(ctx.now()) }))) {
    throw new Rejection('conflict', 'busy', 'the channel is being changed by another request; try again');
  }
  return { kind: 'channel', channelId, status: 'verified' };
}
