import { randomBytes } from 'node:crypto';
import type { ChannelKind } from '../alerts/message.js';
import { AccountStore, type ChannelRecord } from '../storage/accounts.js';
import { normalizeAddress } from './addresses.js';
import { hoursOf, iso, newConfirmation, type DomainContext } from './context.js';
import { invalid, notFound, Rejection } from './errors.js';
import { derivedId } from './ids.js';
import { channelConfirmationMessage } from './messages.js';
import { admit } from './rate-limit.js';

// Channels: where an account's alerts go. A channel is added pending and gets alerts only
// once its address confirmed it (a link sent there, which a person opens or a webhook's
// server POSTs). The id is derived from account, kind and address, so adding the same
// address twice finds the same channel instead of making a second one; adding a pending
// one again resends its confirmation, within limits (the address may not be the caller's).

export const CHANNELS_PER_ACCOUNT = 20;
export const CONFIRMATION_LIMIT = { max: 3, windowMs: 60 * 60 * 1000 } as const;

export interface ChannelView {
  readonly id: string;
  readonly kind: ChannelKind;
  readonly address: string;
  readonly status: 'pending' | 'verified';
  readonly createdAt: string;
  readonly verifiedAt?: string;
  /** Webhooks, in the answer that created them only: the key that signs deliveries. */
  readonly signingSecret?: string;
}

export function channelIdFor(accountId: string, kind: ChannelKind, address: string): string {
  return derivedId('c', accountId, kind, address);
}

export async function addChannel(
  ctx: DomainContext,
  accountId: string,
  input: { kind: ChannelKind; address: string },
): Promise<{ channel: ChannelView; created: boolean }> {
  if (!ctx.sender.supports(input.kind)) {
    throw invalid('channel_unavailable', `${input.kind} channels are not available here (SMS needs SM_SMS_SENDER)`, 'kind');
  }
  const address = await normalizeAddress(input.kind, input.address, {
    allowPrivateTargets: ctx.config.allowPrivateTargets,
    ...(ctx.resolve ? { resolve: ctx.resolve } : {}),
  });
  const accounts = new AccountStore(ctx.storage);
  const id = channelIdFor(accountId, input.kind, address);
  const existing = await accounts.getChannel(accountId, id);
  if (existing) {
    if (existing.status === 'pending') await resendConfirmation(ctx, accounts, existing);
    return { channel: channelView(existing), created: false };
  }
  if ((await accounts.listChannels(accountId)).length >= CHANNELS_PER_ACCOUNT) {
    throw new Rejection('conflict', 'too_many_channels', `an account has at most ${CHANNELS_PER_ACCOUNT} channels; delete one first`);
  }
  const now = iso(ctx.now());
  const channel: ChannelRecord = {
    id,
    accountId,
    kind: input.kind,
    address,
    status: 'pending',
    createdAt: now,
    confirmationsSent: [now],
    ...(input.kind === 'webhook' ? { signingSecret: `whsec_${randomBytes(24).toString('base64url')}` } : {}),
  };
  if (!(await accounts.createChannel(channel))) {
    // Another request added it a moment ago; that one sent the confirmation.
    const raced = await accounts.getChannel(accountId, id);
    if (!raced) throw new Rejection('conflict', 'busy', 'the channel is being changed by another request; try again');
    return { channel: channelView(raced), created: false };
  }
  await sendConfirmation(ctx, accounts, channel);
  return { channel: { ...channelView(channel), ...(channel.signingSecret ? { signingSecret: channel.signingSecret } : {}) }, created: true };
}

export async function listChannels(ctx: DomainContext, accountId: string): Promise<ChannelView[]> {
  return (await new AccountStore(ctx.storage).listChannels(accountId)).map(channelView);
}

/**
 * Removes a channel. Alerts read the account's channels when they are sent, so nothing is
 * sent to it from this moment; escalation steps naming it simply skip it.
 */
export async function deleteChannel(ctx: DomainContext, accountId: string, channelId: string): Promise<void> {
  if (!(await new AccountStore(ctx.storage).deleteChannel(accountId, channelId))) throw notFound('channel');
}

async function resendConfirmation(ctx: DomainContext, accounts: AccountStore, channel: ChannelRecord): Promise<void> {
  const admission = admit(channel.confirmationsSent, ctx.now(), CONFIRMATION_LIMIT.windowMs, CONFIRMATION_LIMIT.max);
  if (!admission.ok) {
    throw new Rejection('rate_limited', 'rate_limited', 'a confirmation was sent to this address recently; try again later', 'address', admission.retryAfterSeconds);
  }
  if (!(await accounts.updateChannel(channel, { confirmationsSent: admission.times }))) {
    throw new Rejection('conflict', 'busy', 'the channel is being changed by another request; try again');
  }
  await sendConfirmation(ctx, accounts, channel);
}

async function sendConfirmation(ctx: DomainContext, accounts: AccountStore, channel: ChannelRecord): Promise<void> {
  const profile = await accounts.getProfile(channel.accountId);
  const { confirmation, link } = await newConfirmation(ctx, 'channel', { accountId: channel.accountId, subjectId: channel.id });
  const message = channelConfirmationMessage(channel.kind, channel.address, link, profile?.email ?? 'an account', hoursOf(ctx.tokenTtlMs));
  await ctx.sender.send(message, { idempotencyKey: `confirmation:${confirmation.id}`, log: ctx.log });
}

export function channelView(channel: ChannelRecord): ChannelView {
  return {
    id: channel.id,
    kind: channel.kind,
    address: channel.address,
    status: channel.status,
    createdAt: channel.createdAt,
    ...(channel.verifiedAt ? { verifiedAt: channel.verifiedAt } : {}),
  };
}
