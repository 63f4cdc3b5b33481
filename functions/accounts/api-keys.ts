import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from './ids.js';

// API keys: `sm_<accountId>_<keyId>_<secret>`. The ids in the key let one point read find
// its record (no scan, no index); the secret is 256 random bits. Only SHA-256 of the whole key
// is stored: a slow password hash protects guessable secrets, and a 256-bit random secret
// cannot be guessed, so a fast hash is as strong here and keeps every request cheap.

const KEY_PATTERN = /^sm_(a[a-z0-9]{20})_(k[a-z0-9]{20})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  readonly accountId: string;
  readonly keyId: string;
  readonly hash: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The key itself: shown to its owner once, never stored. */
  readonly apiKey: string;
}

export function generateApiKey(accountId: string): NewApiKey {
  const keyId = newId('k');
  const apiKey = `sm_${accountId}_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { accountId, keyId, apiKey, hash: hashApiKey(apiKey) };
}

/** The ids and hash of a well-formed key; undefined for anything else. */
export function parseApiKey(apiKey: string): ParsedApiKey | undefined {
  const m = KEY_PATTERN.exec(apiKey);
  if (!m) return undefined;
  return { accountId: m[1]!, keyId: m[2]!, hash: hashApiKey(apiKey) };
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Constant-time comparison of two stored-form hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}
