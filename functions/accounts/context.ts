import type { Sender } from '../alerts/sender.js';
import type { Config } from '../config.js';
import type { Resolve } from '../monitors/target-policy.js';
import type { Logger } from '../runtime.js';
import type { Storage } from '../storage/storage.js';
import { ConfirmationStore, type Confirmation, type ConfirmationKind } from '../storage/confirmations.js';
import { Rejection } from './errors.js';
import { newId } from './ids.js';
import { TokenSigner } from './tokens.js';

// What the account and monitor operations need from their surroundings. The HTTP layer
// builds one per request; tests build it with their own clock, token lifetime or resolver.

export interface DomainContext {
  readonly storage: Storage;
  readonly sender: Sender;
  readonly config: Pick<Config, 'publicBaseUrl' | 'tokenSecret' | 'allowPrivateTargets' | 'regions'>;
  readonly now: () => number;
  /** How long a confirmation link works. */
  readonly tokenTtlMs: number;
  readonly log: Pick<Logger, 'log' | 'warn'>;
  /** How save-time SSRF checks resolve names. */
  readonly resolve?: Resolve;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function signer(ctx: DomainContext): TokenSigner {
  if (!ctx.config.tokenSecret) {
    throw new Rejection('unavailable', 'not_configured', 'confirmations are unavailable: SM_TOKEN_SECRET is not set');
  }
  return new TokenSigner(ctx.config.tokenSecret);
}

/** Stores a new confirmation and answers the link that uses it. */
export async function newConfirmation(
  ctx: DomainContext,
  kind: ConfirmationKind,
  fields: Pick<Confirmation, 'accountId' | 'subjectId' | 'emailHash'>,
): Promise<{ confirmation: Confirmation; link: string }> {
  const tokens = signer(ctx);
  const now = ctx.now();
  // Whole seconds, as the token carries them, so record and token agree exactly.
  const expiresAt = Math.floor((now + ctx.tokenTtlMs) / 1000) * 1000;
  const confirmation: Confirmation = { id: newId('f'), kind, ...fields, createdAt: iso(now), expiresAt: iso(expiresAt) };
  await new ConfirmationStore(ctx.storage).create(confirmation);
  const token = tokens.sign({ confirmationId: confirmation.id, expiresAt });
  return { confirmation, link: `${ctx.config.publicBaseUrl}/api/confirm/${token}` };
}

export function hoursOf(ms: number): string {
  const hours = Math.round(ms / 3_600_000);
  return hours >= 1 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}
