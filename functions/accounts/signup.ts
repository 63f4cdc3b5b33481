import { AccountStore, type EmailIndex } from '../storage/accounts.js';
import { hoursOf, iso, newConfirmation, type DomainContext } from './context.js';
import { Rejection } from './errors.js';
import { newId, sha256Hex } from './ids.js';
import { recoveryMessage, signupMessage } from './messages.js';
import { admit } from './rate-limit.js';

// Sign-up, first half of the double opt-in (POST /api/accounts). The answer is the same
// whether or not the address has an account: 202 with the id of the address's account and
// status "pending". A new or unconfirmed address gets a link that activates the account; an
// address with an active account gets a link that issues a new API key (so a lost key is
// recoverable, and the owner learns that someone tried). Both paths read and write nearly
// the same rows and send one message, so timing gives little away either.

/** Sign-ups per address: enough for a lost message or two, too few to flood a mailbox. */
export const SIGNUP_LIMIT = { max: 3, windowMs: 60 * 60 * 1000 } as const;

export interface SignupInput {
  readonly email: string;
  readonly name?: string;
}

export async function signUp(ctx: DomainContext, input: SignupInput): Promise<{ id: string; status: 'pending' }> {
  const accounts = new AccountStore(ctx.storage);
  const emailHash = sha256Hex(input.email);
  const index = await recordSignup(ctx, accounts, emailHash);

  let profile = await accounts.getProfile(index.accountId);
  if (!profile) {
    // New address (or a crash between the index and the profile last time): make it now.
    await accounts.createProfile({ id: index.accountId, email: input.email, status: 'pending', createdAt: iso(ctx.now()), ...(input.name ? { name: input.name } : {}) });
    profile = await accounts.getProfile(index.accountId);
  }
  const active = profile?.status === 'active';
  const { confirmation, link } = await newConfirmation(ctx, active ? 'recovery' : 'account', { accountId: index.accountId });
  const validFor = hoursOf(ctx.tokenTtlMs);
  const message = active ? recoveryMessage(input.email, link, validFor) : signupMessage(input.email, link, validFor);
  // A failed send is kept and retried by the sender; the answer must not differ because of it.
  await ctx.sender.send(message, { idempotencyKey: `confirmation:${confirmation.id}`, log: ctx.log });
  return { id: index.accountId, status: 'pending' };
}

/**
 * Notes this sign-up in the address's index row (creating it, with a new account id, for a
 * new address), refusing when the address has had too many lately. Nothing is written when
 * refused. ETag-guarded, so concurrent sign-ups for one address are all counted.
 */
async function recordSignup(ctx: DomainContext, accounts: AccountStore, emailHash: string): Promise<EmailIndex> {
  for (let tries = 0; tries < 5; tries++) {
    const now = ctx.now();
    const existing = await accounts.getEmailIndex(emailHash);
    const admission = admit(existing?.signups ?? [], now, SIGNUP_LIMIT.windowMs, SIGNUP_LIMIT.max);
    if (!admission.ok) {
      throw new Rejection('rate_limited', 'rate_limited', 'too many sign-ups for this address; try again later', 'email', admission.retryAfterSeconds);
    }
    if (!existing) {
      const index: EmailIndex = { emailHash, accountId: newId('a'), signups: admission.times };
      if (await accounts.createEmailIndex(index)) return index;
    } else if (await accounts.updateSignups(existing, admission.times)) {
      return { ...existing, signups: admission.times };
    }
  }
  throw new Rejection('conflict', 'busy', 'this address is being signed up by another request; try again', 'email');
}
