import { createHmac, timingSafeEqual } from 'node:crypto';
import { ID_PATTERN } from './ids.js';

// Confirmation tokens: `<confirmation id>.<expiry>.<signature>`. The signature (HMAC-SHA256
// with a key derived from SM_TOKEN_SECRET, cut to 128 bits) stops forged and altered tokens
// before storage is read; the expiry is inside what is signed; single use is the stored
// confirmation's job. Short enough for a link in one SMS (about 51 characters).

export const DEFAULT_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;

const TOKEN_PATTERN = /^(f[a-z0-9]{20})\.([0-9a-z]{1,9})\.([A-Za-z0-9_-]{22})$/;
const SIGNATURE_BYTES = 16;

export interface TokenClaims {
  readonly confirmationId: string;
  /** ms since the epoch, whole seconds. */
  readonly expiresAt: number;
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A purpose-bound key: the same setting may one day sign other things.
    this.key = createHmac('sha256', secret).update('serverless-monitor/confirmation-token/v1').digest();
  }

  sign(claims: TokenClaims): string {
    if (!ID_PATTERN.test(claims.confirmationId)) throw new Error('not a confirmation id');
    const payload = `${claims.confirmationId}.${Math.floor(claims.expiresAt / 1000).toString(36)}`;
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /**
   * The claims of a token this signer made and that has not expired at `now`; undefined for
   * anything else (malformed, signed with another key, altered, expired). Callers answer all
   * of those the same way, so the reason is not returned.
   */
  verify(token: string, now: number): TokenClaims | undefined {
    const m = TOKEN_PATTERN.exec(token);
    if (!m) return undefined;
    const [, confirmationId, expiry, signature] = m;
    // Compare the text, not decoded bytes: base64 ignores the spare bits of the last
    // character, so two different strings can decode alike and an altered token would pass.
    const given = Buffer.from(signature!, 'latin1');
    const expected = Buffer.from(this.mac(`${confirmationId}.${expiry}`).toString('base64url'), 'latin1');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expiresAt = parseInt(expiry!, 36) * 1000;
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return undefined;
    return { confirmationId: confirmationId!, expiresAt };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, SIGNATURE_BYTES);
  }
}
