/**
 * Verified Bearer tokens for forward auth, so that a script or app polling a protected host does
 * not pay for a JWT signature check and database reads on every request. Keyed by the token's
 * hash and the host asked for (permissions depend on the host). An entry is served only before
 * its token's `exp` and for at most {@link BEARER_ENTRY_MAX_AGE_MS} after it was verified, so a
 * grant ended by a path that did not clear the cache is refused soon after anyway; the paths that
 * end grants or change people, clients or permissions clear it at once (through the change feed,
 * on every instance). Tokens that do not verify are not cached.
 */
import type { LRUCache } from 'lru-cache';
import { secretHashKey } from '../crypto/tokens.js';
import type { Identity } from './identity.js';
import { growingLruCache } from './growingLruCache.js';

/** How many verified (token, host) pairs are kept. */
export const BEARER_CACHE_ENTRIES = 10_000;
/** The longest an entry is served without verifying the token again. */
export const BEARER_ENTRY_MAX_AGE_MS = 60_000;

/** Length of a `secretHashKey` (SHA-256, one char per byte): the token part of a cache key. */
const TOKEN_KEY_LENGTH = 32;

interface Entry {
  identity: Identity;
  /** Served while `now` is below this: the token's `exp` or the entry's maximum age, whichever is first. */
  servedUntil: number;
}

/** Verifies a token for a host: the identity it stands for there, or null. */
export type BearerResolver = (token: string, host: string, now: number) => Promise<Identity | null>;

export class BearerTokenCache {
  readonly #cache: LRUCache<string, Entry>;
  readonly #resolve: BearerResolver;
  #trusted = true;

  constructor(resolve: BearerResolver, maxEntries = BEARER_CACHE_ENTRIES) {
    this.#resolve = resolve;
    this.#cache = growingLruCache(maxEntries);
  }

  /** The identity `token` stands for on `host` (cached), or null when it is no live token for that host. */
  async get(token: string, host: string, now: number): Promise<Identity | null> {
    const key = secretHashKey(token) + host;
    const hit = this.#cache.get(key);
    if (hit && now < hit.servedUntil) return hit.identity;
    if (hit) this.#cache.delete(key);
    const identity = await this.#resolve(token, host, now);
    if (identity && this.#trusted) this.#cache.set(key, { identity, servedUntil: Math.min(identity.expiresAt, now + BEARER_ENTRY_MAX_AGE_MS) });
    return identity;
  }

  /** Drops the entries of these tokens (by `secretHashKey`), on every host. */
  forget(tokenKeys: readonly string[]): void {
    const prefixes = new Set(tokenKeys);
    for (const key of this.#cache.keys()) if (prefixes.has(key.slice(0, TOKEN_KEY_LENGTH))) this.#cache.delete(key);
  }

  /** Drops everything: when a grant ends, or people, clients or permissions change. */
  clear(): void {
    this.#cache.clear();
  }

  /** While untrusted (another instance's change may be missed), nothing is served from memory. */
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    if (!trusted) this.#cache.clear();
  }
}
