/**
 * Secrets: generated with the OS CSPRNG, stored only as SHA-256 hashes. They are found
 * by their hash (an index lookup), never compared as text, so no comparison here needs
 * to be constant-time.
 */
import { hash } from 'node:crypto';
import type { Bytes } from '../db/schema.js';
import { toBase64Url } from './base64url.js';
import { randomFromPool } from './randomPool.js';
import { resetTokenFromRandom, normaliseResetToken } from '../../shared/resetToken.js';

/** SHA-256 of a secret; what the database keeps instead of the secret. */
export function hashSecret(secret: string): Bytes {
  return hash('sha256', secret, 'buffer') as Bytes;
}

/**
 * The same SHA-256 as a one-byte string (each char one byte): a key for in-memory
 * maps that costs one call and no Buffer, for the forward-auth hot path.
 */
export function secretHashKey(secret: string): string {
  return hash('sha256', secret, 'binary');
}

/** The bytes of a `secretHashKey` (what the database stores). */
export function hashFromKey(key: string): Bytes {
  return Buffer.from(key, 'latin1') as Bytes;
}

/** The `secretHashKey` of stored hash bytes. */
export function keyFromHash(tokenHash: Bytes): string {
  return Buffer.from(tokenHash.buffer, tokenHash.byteOffset, tokenHash.byteLength).toString('latin1');
}

/** A session token or exchange code: 256 random bits, base64url (43 characters). */
export function randomSecret(): string {
  return toBase64Url(randomFromPool(32));
}

/** A new five-word reset token. */
export function randomResetToken(): string {
  const random = new Uint16Array(5);
  crypto.getRandomValues(random);
  return resetTokenFromRandom(random);
}

/** Hash of a reset token in its canonical form. */
export function hashResetToken(token: string): Bytes {
  return hashSecret(normaliseResetToken(token));
}
