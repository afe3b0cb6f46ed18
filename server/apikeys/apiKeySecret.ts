/**
 * The text of an organisation API key: `pak_` + a 16-hex-digit lookup id + a 43-character
 * base64url secret (256 bits). The fixed prefix lets secret scanners (GitHub, gitleaks) find a
 * leaked key; the lookup id finds its row by index, so the secret itself is only ever compared
 * by hash, in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Bytes } from '../db/schema.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';

export const API_KEY_PREFIX = 'pak_';
const KEY_PATTERN = /^pak_([0-9a-f]{16})([A-Za-z0-9_-]{43})$/;

/** A key as made: its full text (shown once), the lookup id and the hash the database keeps. */
export interface NewApiKeySecret {
  key: string;
  lookupId: string;
  secretHash: Bytes;
}

/** A new random key. */
export function newApiKeySecret(): NewApiKeySecret {
  const lookupId = randomBytes(8).toString('hex');
  const key = `${API_KEY_PREFIX}${lookupId}${randomSecret()}`;
  return { key, lookupId, secretHash: hashSecret(key) };
}

/** The lookup id of a well-formed key, or null for anything else. */
export function apiKeyLookupId(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Whether `key` is the key whose hash is `storedHash`, compared in constant time. */
export function apiKeyMatches(key: string, storedHash: Bytes): boolean {
  const presented = hashSecret(key);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
