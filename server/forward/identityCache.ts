/**
 * In-memory identities of recently seen sessions, keyed by token hash, so that
 * forward auth answers without touching the database. Entries are dropped when
 * their session ends or is renewed (by token hash), and all at once when people,
 * roles or permissions change: a change takes effect on the very next request.
 * With several instances, server/cluster/changeFeed.ts applies other instances' changes too.
 */
import { LRUCache } from 'lru-cache';
import type { Bytes } from '../db/schema.js';
import type { IdentityQueries } from '../db/identity.js';
import { hashFromKey, keyFromHash, secretHashKey } from '../crypto/tokens.js';
import type { RemoteUserField } from '../config.js';
import { identityHeaders } from './identityHeaders.js';

export interface Identity {
  sessionId: string;
  userId: string;
  displayName: string;
  host: string;
  expiresAt: number;
  /** When the session was last renewed: `validate` renews it from here. */
  lastSeenAt: number;
  authenticatedAt: number;
  scopes: readonly string[];
  /** The `Remote-*` response headers, prepared once: a flat [name, value, …] list for writeHead. */
  headers: readonly string[];
}

/** How many identities the server keeps cached (it uses the default); the benchmark sizes its cache-miss case by it. */
export const IDENTITY_CACHE_ENTRIES = 100_000;

/**
 * Bounded and least-recently-used first (lru-cache, like every bounded cache here:
 * O(1) lookups and evictions), so a session in use stays cached however many others
 * come and go. Sessions that do not exist are not cached.
 */
export class IdentityCache {
  readonly #cache: LRUCache<string, Identity>;
  readonly #queries: IdentityQueries;
  readonly #remoteUser: RemoteUserField;
  #trusted = true;
  #hits = 0;
  #misses = 0;

  /**
   * @param remoteUser what `Remote-User` carries (`--remote-user`)
   * @param maxAgeMs when set, an entry is reloaded once this old (bounds staleness if another instance's change is missed)
   */
  constructor(queries: IdentityQueries, remoteUser: RemoteUserField = 'id', maxEntries = IDENTITY_CACHE_ENTRIES, maxAgeMs?: number) {
    this.#queries = queries;
    this.#remoteUser = remoteUser;
    this.#cache = new LRUCache({ max: maxEntries, ...(maxAgeMs ? { ttl: maxAgeMs } : {}) });
  }

  /** The identity behind a session token (cached), or null when there is no such session. */
  get(token: string): Identity | null {
    const key = secretHashKey(token);
    const hit = this.#cache.get(key);
    if (hit) {
      this.#hits++;
      return hit;
    }
    this.#misses++;
    const identity = this.#load(key);
    if (identity && this.#trusted) this.#cache.set(key, identity);
    return identity;
  }

  /** While untrusted (other instances' changes may be missed), every lookup reads the database. */
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    if (!trusted) this.#cache.clear();
  }

  /** Lookups so far answered from memory (hits) and from the database (misses), for the metrics. */
  counts(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  /** Drops the entries of these sessions (ended or renewed). */
  forget(tokenHashes: readonly Bytes[]): void {
    for (const hash of tokenHashes) this.#cache.delete(keyFromHash(hash));
  }

  /** Drops everything: after any change to users, organisations, roles or permissions. */
  clear(): void {
    this.#cache.clear();
  }

  #load(key: string): Identity | null {
    const row = this.#queries.sessionIdentity(hashFromKey(key));
    if (!row) return null;
    const scopes = this.#queries.effectiveScopes(row.org_id, row.role_id, row.host);
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      displayName: row.display_name,
      host: row.host,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
      authenticatedAt: row.authenticated_at,
      scopes,
      headers: identityHeaders(row, scopes, this.#remoteUser),
    };
  }
}
