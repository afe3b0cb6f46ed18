/** Secrets: generated with the OS CSPRNG, stored only as SHA-256 hashes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Bytes } from '../db/schema.js';
import { resetTokenFromRandom, normaliseResetToken } from '../../shared/resetToken.js';

/** SHA-256 of a secret; what the database keeps instead of the secret. */
export function hashSecret(secret: string): Bytes {
  return createHash('sha256').update(secret).digest() as Bytes;
}

/** A session token or exchange code: 256 random bits, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
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

/** Constant-time comparison of two strings (false for different lengths without leaking where they differ). */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
