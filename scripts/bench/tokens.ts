/**
 * Session tokens the benchmark knows without storing them: session i of a seeded
 * database has token tokenOf(salt, i), and a case cycles through a set of them.
 */
import { randomBytes } from 'node:crypto';
import { cookieNameFor } from '../../server/sessions/cookie.js';
import { toBase64Url } from '../../server/crypto/base64url.js';

/** The host every request names; the seeded sessions are for it. */
export const HOST = 'localhost';
/** The session cookie the server reads on HOST. */
export const COOKIE_NAME = cookieNameFor(HOST);

/** The token of session `index` in a seeded database: 43 characters, like a real one. */
export const tokenOf = (salt: string, index: number): string => salt + String(index).padStart(12, '0');

/** A database's token prefix: 31 random base64url characters. */
export const newSalt = (): string => toBase64Url(randomBytes(24)).slice(0, 31);

/** Token k of a set is tokenOf(salt, (k * stride) mod modulo), for k below count. */
export interface TokenSet {
  salt: string;
  count: number;
  stride: number;
  modulo: number;
  /**
   * Where the next load run starts in the cycle: carried from the warm-up to the
   * measured run and between rounds, so that the cycle continues instead of
   * restarting at the tokens just cached.
   */
  cursor: number;
}

/** The Cookie header value presenting token k of a set. */
export function cookieFor(tokens: TokenSet, k: number): string {
  return `${COOKIE_NAME}=${tokenOf(tokens.salt, (k * tokens.stride) % tokens.modulo)}`;
}

/** Stride for spreading `count` tokens over `modulo` sessions; coprime to modulo so every index is distinct. */
export function strideFor(count: number, modulo: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.max(1, Math.floor(modulo / count));
  while (gcd(stride, modulo) !== 1) stride++;
  return stride;
}

/** Flags the sessions a token set addresses (token k is session (k * stride) mod modulo). */
export function markAddressed(flags: Uint8Array, { count, stride, modulo }: Pick<TokenSet, 'count' | 'stride' | 'modulo'>): void {
  for (let k = 0; k < count; k++) flags[(k * stride) % modulo] = 1;
}
