import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, parseApiKey, sameHash } from '../../../functions/accounts/api-keys.js';
import { newId } from '../../../functions/accounts/ids.js';

describe('API keys', () => {
  it('embed their account and key ids, so a request needs one point read', () => {
    const accountId = newId('a');
    const key = generateApiKey(accountId);
    expect(parseApiKey(key.apiKey)).toEqual({ accountId, keyId: key.keyId, hash: key.hash });
    expect(key.hash).toBe(hashApiKey(key.apiKey));
    expect(key.hash).not.toContain(key.apiKey.split('_').pop());
  });

  it('are unique and carry 256 random bits', () => {
    const accountId = newId('a');
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey(accountId).apiKey));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(Buffer.from(k.split('_').slice(3).join('_'), 'base64url')).toHaveLength(32);
  });

  it('parse nothing but well-formed keys', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(parseApiKey(s)).toBeUndefined();
      }),
    );
    const key = generateApiKey(newId('a')).apiKey;
    expect(parseApiKey(`${key}x`)).toBeUndefined();
    expect(parseApiKey(` ${key}`)).toBeUndefined();
  });

  it('compare hashes exactly', () => {
    const a = hashApiKey('a');
    expect(sameHash(a, a)).toBe(true);
    expect(sameHash(a, hashApiKey('b'))).toBe(false);
    expect(sameHash(a, a.slice(0, -2))).toBe(false);
    expect(sameHash('', '')).toBe(false);
  });
});
