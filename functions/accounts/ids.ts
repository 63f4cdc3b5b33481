import { createHash, randomBytes } from 'node:crypto';

// Identifiers. Every id is lower-case letters and digits after a one-letter kind, so it is
// safe in a URL path, a Table Storage key and an API key, and a path segment that does not
// look like one can be answered 404 before storage is asked.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 20; // 20 × log2(36) ≈ 103 bits: unguessable, collision-free in practice

export type IdKind = 'a' | 'c' | 'k' | 'm' | 'f';

export const ID_PATTERN = /^[acfkm][a-z0-9]{20}$/;

/** A random id: `a` accounts, `c` channels, `k` API keys, `m` monitors, `f` confirmations. */
export function newId(kind: IdKind): string {
  return kind + encode(randomBytes(ID_LENGTH));
}

/** An id derived from stable facts, so that creating the same thing twice hits the same row. */
export function derivedId(kind: IdKind, ...parts: string[]): string {
  return kind + encode(createHash('sha256').update(parts.join('\u0000')).digest());
}

export function isId(value: string, kind: IdKind): boolean {
  return ID_PATTERN.test(value) && value[0] === kind;
}

function encode(bytes: Buffer): string {
  let out = '';
  // A byte modulo 36 is very slightly biased toward the first 4 letters; 103 bits leave plenty.
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
}

/** SHA-256 hex: the storage key of an email address, so addresses are never used as keys. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
