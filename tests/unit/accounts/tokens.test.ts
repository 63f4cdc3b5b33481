import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../functions/accounts/ids.js';
import { TokenSigner } from '../../../functions/accounts/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('confirmation tokens', () => {
  const signer = new TokenSigner(SECRET);
  const now = Date.UTC(2030, 0, 1);

  it('verify(sign(claims)) gives the claims back until they expire', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 24 * 3600 }), (seconds) => {
        const confirmationId = newId('f');
        const expiresAt = now + seconds * 1000;
        const token = signer.sign({ confirmationId, expiresAt });
        expect(signer.verify(token, now)).toEqual({ confirmationId, expiresAt });
        expect(signer.verify(token, expiresAt)).toBeUndefined();
        expect(signer.verify(token, expiresAt + 1)).toBeUndefined();
      }),
    );
  });

  it('refuses any token with one character changed', () => {
    const token = signer.sign({ confirmationId: newId('f'), expiresAt: now + 3_600_000 });
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (i, c) => {
        fc.pre(token[i] !== c);
        expect(signer.verify(token.slice(0, i) + c + token.slice(i + 1), now)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses tokens of another secret and garbage', () => {
    const token = new TokenSigner(`${SECRET}-other`).sign({ confirmationId: newId('f'), expiresAt: now + 60_000 });
    expect(signer.verify(token, now)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(signer.verify(s, now)).toBeUndefined();
      }),
    );
  });

  it('fits a confirmation link into one SMS', () => {
    const token = signer.sign({ confirmationId: newId('f'), expiresAt: now + 48 * 3_600_000 });
    expect(token.length).toBeLessThanOrEqual(52);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
