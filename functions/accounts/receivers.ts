import { ownedMonitor, visibleMonitor } from '../monitors/access.js';
import type { EscalationStep } from '../monitors/model.js';
import { checkEscalation } from '../monitors/service.js';
import { AccountStore } from '../storage/accounts.js';
import { MonitorStore, type Receiver, type ReceiverStatus } from '../storage/monitors.js';
import { hoursOf, iso, newConfirmation, type DomainContext } from './context.js';
import { forbidden, invalid, notFound, Rejection } from './errors.js';
import { sha256Hex } from './ids.js';
import { invitationMessage } from './messages.js';
import { admit } from './rate-limit.js';

// Receivers (ExactState's "user group management"): a monitor's owner invites other
// accounts, by address, to receive its alerts. Each invitee decides: accept (by the link in
// the invitation, or through its own API key) or refuse, and, once accepted, owns its path:
// which of ITS OWN channels are alerted after how many minutes, and how often alerts repeat.
// The owner can withdraw an invitation; a receiver can leave. Receivers read the monitor,
// its results and incidents and add notes; only the owner changes it.
//
// Invitations are keyed by address, not account, so inviting an address tells the owner
// nothing about whether it has an account: the answer is the same either way.

export const RECEIVERS_PER_MONITOR = 20;
export const INVITATION_LIMIT = { max: 3, windowMs: 24 * 60 * 60 * 1000 } as const;

export interface ReceiverView {
  /** The receiver's id on this monitor (derived from the invited address). */
  readonly id: string;
  readonly email: string;
  readonly status: ReceiverStatus;
  readonly accountId?: string;
  readonly invitedAt: string;
  readonly respondedAt?: string;
}

export interface ReceivingView {
  readonly monitorId: string;
  readonly monitorName: string;
  readonly ownerEmail: string;
  readonly status: ReceiverStatus;
  readonly escalation: EscalationStep[] | null;
  readonly repeatMinutes: number | null;
  readonly invitedAt: string;
  readonly respondedAt?: string;
}

export interface ReceiverAnswer {
  readonly accept: boolean;
  readonly escalation?: EscalationStep[] | null;
  readonly repeatMinutes?: number | null;
}

/** Owner only. Invites an address; inviting it again resends a pending invitation (within limits). */
export async function inviteReceiver(ctx: DomainContext, ownerId: string, monitorId: string, email: string): Promise<{ receiver: ReceiverView; created: boolean }> {
  const { monitor, receivers } = await ownedMonitor(ctx.storage, monitorId, ownerId);
  const accounts = new AccountStore(ctx.storage);
  const owner = await accounts.getProfile(ownerId);
  if (owner?.email === email) throw invalid('validation', 'the owner gets the alerts already; invite someone else', 'email');
  const store = new MonitorStore(ctx.storage);
  const emailHash = sha256Hex(email);
  const existing = receivers.find((r) => r.emailHash === emailHash);
  if (existing) {
    if (existing.status === 'invited') await resendInvitation(ctx, store, existing, owner?.email ?? '', monitor.name);
    return { receiver: receiverView(existing), created: false };
  }
  if (receivers.length >= RECEIVERS_PER_MONITOR) {
    throw new Rejection('conflict', 'too_many_receivers', `a monitor has at most ${RECEIVERS_PER_MONITOR} receivers; withdraw one first`);
  }
  const now = iso(ctx.now());
  const receiver: Receiver = { monitorId, emailHash, email, status: 'invited', escalation: null, repeatMinutes: null, invitedAt: now, invitesSent: [now] };
  if (!(await store.createReceiver(receiver))) {
    const raced = await store.getReceiver(monitorId, emailHash);
    if (!raced) throw new Rejection('conflict', 'busy', 'the receiver is being changed by another request; try again');
    return { receiver: receiverView(raced), created: false };
  }
  await sendInvitation(ctx, receiver, owner?.email ?? '', monitor.name);
  return { receiver: receiverView(receiver), created: true };
}

/** Owner only: who was invited and what they answered. */
export async function listReceivers(ctx: DomainContext, ownerId: string, monitorId: string): Promise<ReceiverView[]> {
  const { receivers } = await ownedMonitor(ctx.storage, monitorId, ownerId);
  return receivers.map(receiverView);
}

/** The invitations addressed to this account's address, with its answers and paths. */
export async function listReceiving(ctx: DomainContext, accountId: string): Promise<ReceivingView[]> {
  const accounts = new AccountStore(ctx.storage);
  const profile = await accounts.getProfile(accountId);
  if (!profile) return [];
  const emailHash = sha256Hex(profile.email);
  const store = new MonitorStore(ctx.storage);
  const views: ReceivingView[] = [];
  for (const monitorId of await accounts.listInvites(emailHash)) {
    const [monitor, receiver] = await Promise.all([store.get(monitorId), store.getReceiver(monitorId, emailHash)]);
    if (!monitor || !receiver) continue; // withdrawn or deleted meanwhile: a dangling pointer
    const owner = await accounts.getProfile(monitor.ownerId);
    views.push({
      monitorId,
      monitorName: monitor.name,
      ownerEmail: owner?.email ?? '',
      status: receiver.status,
      escalation: receiver.escalation ? receiver.escalation.map((s) => ({ afterMinutes: s.afterMinutes, channels: [...s.channels] })) : null,
      repeatMinutes: receiver.repeatMinutes,
      invitedAt: receiver.invitedAt,
      ...(receiver.respondedAt ? { respondedAt: receiver.respondedAt } : {}),
    });
  }
  return views.sort((a, b) => a.invitedAt.localeCompare(b.invitedAt));
}

/** The invitee accepts or refuses, and sets its own path. 404 without an invitation for its address. */
export async function answerInvitation(ctx: DomainContext, accountId: string, monitorId: string, answer: ReceiverAnswer): Promise<ReceivingView> {
  const accounts = new AccountStore(ctx.storage);
  const profile = await accounts.getProfile(accountId);
  const emailHash = sha256Hex(profile?.email ?? '');
  const store = new MonitorStore(ctx.storage);
  if (answer.escalation) await checkEscalation(ctx, accountId, answer.escalation, 'escalation');
  for (let tries = 0; tries < 5; tries++) {
    const [monitor, receiver] = await Promise.all([store.get(monitorId), store.getReceiver(monitorId, emailHash)]);
    if (!monitor || !receiver) throw notFound('invitation for your address on this monitor');
    const next: Receiver = {
      ...receiver,
      status: answer.accept ? 'accepted' : 'refused',
      accountId,
      respondedAt: receiver.status === (answer.accept ? 'accepted' : 'refused') && receiver.respondedAt ? receiver.respondedAt : iso(ctx.now()),
      ...(answer.escalation !== undefined ? { escalation: answer.escalation } : {}),
      ...(answer.repeatMinutes !== undefined ? { repeatMinutes: answer.repeatMinutes } : {}),
    };
    // The pointer exists before the subscription it points to, and goes after it ends.
    if (answer.accept) await accounts.addPointer(accountId, 'receives', monitorId);
    if (await store.updateReceiver(next)) {
      if (!answer.accept) await accounts.removePointer(accountId, 'receives', monitorId);
      const owner = await accounts.getProfile(monitor.ownerId);
      return {
        monitorId,
        monitorName: monitor.name,
        ownerEmail: owner?.email ?? '',
        status: next.status,
        escalation: next.escalation ? [...next.escalation] : null,
        repeatMinutes: next.repeatMinutes,
        invitedAt: next.invitedAt,
        ...(next.respondedAt ? { respondedAt: next.respondedAt } : {}),
      };
    }
  }
  throw new Rejection('conflict', 'busy', 'the invitation kept changing; try again');
}

/**
 * The owner withdraws an invitation or subscription, or a receiver leaves. `receiverRef` is
 * a receiver id, an account id, or `me`. 404 for unknown monitors and receivers; 403 for a
 * receiver removing someone else.
 */
export async function removeReceiver(ctx: DomainContext, accountId: string, monitorId: string, receiverRef: string): Promise<void> {
  const store = new MonitorStore(ctx.storage);
  if (receiverRef === 'me') {
    // Also open to an invitee that has not accepted (and so cannot see the monitor).
    const profile = await new AccountStore(ctx.storage).getProfile(accountId);
    const receiver = await store.getReceiver(monitorId, sha256Hex(profile?.email ?? ''));
    if (!receiver) throw notFound('invitation for your address on this monitor');
    return store.deleteReceiver(receiver);
  }
  const { receivers, access } = await visibleMonitor(ctx.storage, monitorId, accountId);
  const receiver = receivers.find((r) => r.emailHash === receiverRef || r.accountId === receiverRef);
  if (access !== 'owner' && receiver?.accountId !== accountId) throw forbidden('only the owner can remove other receivers');
  if (!receiver) throw notFound('receiver');
  await store.deleteReceiver(receiver);
}

/** The invitation link: the account with the invited address accepts. */
export async function acceptInvitation(
  ctx: DomainContext,
  monitorId: string,
  emailHash: string,
): Promise<{ kind: 'receiver'; monitorId: string; status: 'accepted' }> {
  const accounts = new AccountStore(ctx.storage);
  const index = await accounts.getEmailIndex(emailHash);
  const profile = index ? await accounts.getProfile(index.accountId) : undefined;
  if (!profile || profile.status !== 'active') {
    throw new Rejection('conflict', 'account_needed', 'create an account with the invited address first (POST /api/accounts), then open this link again');
  }
  const store = new MonitorStore(ctx.storage);
  if (!(await store.getReceiver(monitorId, emailHash)) || !(await store.get(monitorId))) {
    throw new Rejection('gone', 'gone', 'this invitation was withdrawn');
  }
  await answerInvitation(ctx, profile.id, monitorId, { accept: true });
  return { kind: 'receiver', monitorId, status: 'accepted' };
}

/** For the confirmation page: what accepting means. */
export async function describeInvitation(ctx: DomainContext, monitorId: string, emailHash: string): Promise<string> {
  const store = new MonitorStore(ctx.storage);
  const [monitor, receiver] = await Promise.all([store.get(monitorId), store.getReceiver(monitorId, emailHash)]);
  if (!monitor || !receiver) throw new Rejection('gone', 'gone', 'this invitation was withdrawn');
  const owner = await new AccountStore(ctx.storage).getProfile(monitor.ownerId);
  return `Receive the alerts of the monitor "${monitor.name}" of ${owner?.email ?? 'another account'} at ${receiver.email}.`;
}

async function resendInvitation(ctx: DomainContext, store: MonitorStore, receiver: Receiver, ownerEmail: string, monitorName: string): Promise<void> {
  const admission = admit(receiver.invitesSent, ctx.now(), INVITATION_LIMIT.windowMs, INVITATION_LIMIT.max);
  if (!admission.ok) {
    throw new Rejection('rate_limited', 'rate_limited', 'this address was invited recently; try again later', 'email', admission.retryAfterSeconds);
  }
  if (!(await store.updateReceiver({ ...receiver, invitesSent: admission.times }))) {
    throw new Rejection('conflict', 'busy', 'the receiver is being changed by another request; try again');
  }
  await sendInvitation(ctx, receiver, ownerEmail, monitorName);
}

async function sendInvitation(ctx: DomainContext, receiver: Receiver, ownerEmail: string, monitorName: string): Promise<void> {
  const { confirmation, link } = await newConfirmation(ctx, 'receiver', { subjectId: receiver.monitorId, emailHash: receiver.emailHash });
  const message = invitationMessage(receiver.email, link, ownerEmail, monitorName, ctx.config.publicBaseUrl, hoursOf(ctx.tokenTtlMs));
  await ctx.sender.send(message, { idempotencyKey: `confirmation:${confirmation.id}`, log: ctx.log });
}

function receiverView(r: Receiver): ReceiverView {
  return {
    id: r.emailHash,
    email: r.email,
    status: r.status,
    invitedAt: r.invitedAt,
    ...(r.accountId ? { accountId: r.accountId } : {}),
    ...(r.respondedAt ? { respondedAt: r.respondedAt } : {}),
  };
}
