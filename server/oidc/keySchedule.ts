/**
 * The life of a signing key, as pure functions of its row and the time: which key signs, which
 * are published, and what a rotation changes. Rotation without an outage (issue 12): a new key is
 * published at once but signs only after a delay, so clients that cache the JWKS learn it first;
 * the key it replaces stays published until every token it signed has expired.
 */
import type { OidcSigningKey } from '../db/schema.js';
import { MAX_SIGNED_TOKEN_LIFETIME_S, type SigningAlg, type SigningKeyInfo, type SigningKeyState } from '../../shared/oidc.js';

type KeyTimes = Pick<OidcSigningKey, 'signs_from' | 'retired_at' | 'published_until'>;

/** Where a key is in its life at `now`. */
export function keyState(key: KeyTimes, now: number): SigningKeyState {
  if (key.published_until !== null && now >= key.published_until) return 'expired';
  if (key.retired_at !== null && now >= key.retired_at) return 'retired';
  return now < key.signs_from ? 'next' : 'signing';
}

/** Whether the key belongs in the JWKS at `now` (next, signing or retired). */
export function isPublished(key: KeyTimes, now: number): boolean {
  return keyState(key, now) !== 'expired';
}

/** The key of `alg` that signs at `now`, or `undefined` when none does (no key of that alg yet). */
export function signerOf<Key extends KeyTimes & Pick<OidcSigningKey, 'alg'>>(keys: readonly Key[], alg: SigningAlg, now: number): Key | undefined {
  return keys.find((key) => key.alg === alg && keyState(key, now) === 'signing');
}

/**
 * What a rotation at `now` does: the new key signs from `signsFrom` (at once when it is the first
 * of its alg, else after the delay), and every key of that alg without a successor signs until then
 * and stays published for the longest token lifetime after.
 */
export function rotationSchedule(now: number, delayMs: number, isFirstOfAlg: boolean): { signsFrom: number; publishedUntil: number } {
  const signsFrom = isFirstOfAlg ? now : now + delayMs;
  return { signsFrom, publishedUntil: signsFrom + MAX_SIGNED_TOKEN_LIFETIME_S * 1000 };
}

/** A key row as the admin API shows it (no key material). */
export function keyInfo(key: Omit<OidcSigningKey, 'private_jwk' | 'public_jwk'>, now: number): SigningKeyInfo {
  return {
    kid: key.kid,
    alg: key.alg,
    state: keyState(key, now),
    createdAt: key.created_at,
    signsFrom: key.signs_from,
    retiredAt: key.retired_at,
    publishedUntil: key.published_until,
  };
}
