/**
 * In-memory identities of recently seen sessions, keyed by token hash, so that
 * forward auth answers without touching the database. Entries are dropped when
 * their session ends or is renewed (by token hash), and all at once when people,
 * roles or permissions change: a change takes effect on the very next request.
 * With several instances, server/cluster/changeFeed.ts applies other instances' changes too.
 */
import type { LRUCache } from 'lru-cache';
import type { Bytes } from '../db/schema.js';
import type { IdentityQueries, MaybePromise, SessionIdentityRow } from '../db/identity.js';
import { hashFromKey, keyFromHash, secretHashKey } from '../crypto/tokens.js';
import type { RemoteUserField } from '../config.js';
import { identityHeaders } from './identityHeaders.js';
import { growingLruCache } from './growingLruCache.js';

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
 * Bounded and least-recently-used first (lru-cache, growing with use: see growingLruCache.ts),
 * so a session in use stays cached however many others come and go. Sessions that do not
 * exist are not cached.
 */
export class IdentityCache {
  readonly #cache: LRUCache<string, Identity>;
  readonly #queries: IdentityQueries;
  readonly #remoteUser: RemoteUserField;
  #trusted = true;
  #hits = 0;
  #misses = 0;
  /** Bumped by every forget and clear, so that a lookup still under way when one happens is not cached (PostgreSQL). */
  #generation = 0;

  /**
   * @param remoteUser what `Remote-User` carries (`--remote-user`)
   * @param maxAgeMs when set, an entry is reloaded once this old (bounds staleness if another instance's change is missed)
   */
  constructor(queries: IdentityQueries, remoteUser: RemoteUserField = 'id', maxEntries = IDENTITY_CACHE_ENTRIES, maxAgeMs?: number) {
    this.#queries = queries;
    this.#remoteUser = remoteUser;
    this.#cache = growingLruCache(maxEntries, maxAgeMs);
  }

  /**
   * The identity behind a session token (cached), or null when there is no such session.
   * A hit answers at once; so does a miss on SQLite, whose queries are synchronous. On
   * PostgreSQL a miss answers with a Promise.
   */
  get(token: string): MaybePromise<Identity | null> {
    const key = secretHashKey(token);
    const hit = this.#cache.get(key);
    if (hit) {
      this.#hits++;
      return hit;
    }
    this.#misses++;
    const row = this.#queries.sessionIdentity(hashFromKey(key));
    if (!(row instanceof Promise)) return this.#complete(key, row, this.#generation);
    const generation = this.#generation;
    return row.then((loaded) => this.#complete(key, loaded, generation));
  }

  /** While untrusted (other instances' changes may be missed), every lookup reads the database. */
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    this.#generation++;
    if (!trusted) this.#cache.clear();
  }

  /** Lookups so far answered from memory (hits) and from the database (misses), for the metrics. */
  counts(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  /** Drops the entries of these sessions (ended or renewed). */
  forget(tokenHashes: readonly Bytes[]): void {
    this.#generation++;
    for (const hash of tokenHashes) this.#cache.delete(keyFromHash(hash));
  }

  /** Drops everything: after any change to users, organisations, roles or permissions. */
  clear(): void {
    this.#generation++;
    this.#cache.clear();
  }

  /** The identity of a loaded session row, with its scopes; cached unless a forget or clear came since `generation`. */
  #complete(key: string, row: SessionIdentityRow | undefined, generation: number): MaybePromise<Identity | null> {
    if (!row) return null;
    const scopes = this.#queries.effectiveScopes(row.org_id, row.role_id, row.host);
    if (scopes instanceof Promise) return scopes.then((loaded) => this.#remember(key, row, loaded, generation));
    return this.#remember(key, row, scopes, generation);
  }

  #remember(key: string, row: SessionIdentityRow, scopes: string[], generation: number): Identity {
    const identity: Identity = {
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
    if (this.#trusted && generation === this.#generation) this.#cache.set(key, identity);
    return identity;
  }
}
