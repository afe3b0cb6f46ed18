/**
 * In-memory identities of recently seen sessions, keyed by token hash, so that
 * forward auth answers without touching the database. Entries are dropped when
 * their session ends or is renewed (by token hash), and all at once when people,
 * roles or permissions change: a change takes effect on the very next request.
 */
import type { Bytes } from '../db/schema.js';
import type { IdentityQueries } from '../db/identity.js';
import { hashFromKey, keyFromHash, secretHashKey } from '../crypto/tokens.js';
import { encodeHeaderValue } from './headerValue.js';

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
 * Bounded, least-recently-used first, in two generations: lookups fill and promote
 * into `young`; when `young` is full it becomes `old` and the previous `old` is
 * dropped whole. O(1) everywhere, unlike deleting a full Map's oldest key one at a
 * time (V8 walks the deleted slots again on every `keys().next()`). A session in use
 * stays cached however many others come and go; memory stays under `maxEntries`.
 */
export class IdentityCache {
  #young = new Map<string, Identity>();
  #old = new Map<string, Identity>();
  readonly #queries: IdentityQueries;
  readonly #generationSize: number;

  constructor(queries: IdentityQueries, maxEntries = IDENTITY_CACHE_ENTRIES) {
    this.#queries = queries;
    this.#generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  /** The identity behind a session token (cached), or null when there is no such session. */
  get(token: string): Identity | null {
    const key = secretHashKey(token);
    const hit = this.#young.get(key);
    if (hit) return hit;
    const identity = this.#old.get(key) ?? this.#load(key);
    if (!identity) return null;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, identity);
    return identity;
  }

  /** Drops the entries of these sessions (ended or renewed). */
  forget(tokenHashes: readonly Bytes[]): void {
    for (const hash of tokenHashes) {
      const key = keyFromHash(hash);
      this.#young.delete(key);
      this.#old.delete(key);
    }
  }

  /** Drops everything: after any change to users, organisations, roles or permissions. */
  clear(): void {
    this.#young.clear();
    this.#old.clear();
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
      headers: [
        'Remote-User', row.user_id,
        'Remote-Name', encodeHeaderValue(row.display_name),
        'Remote-Org', row.org_id,
        'Remote-Org-Name', encodeHeaderValue(row.org_name),
        'Remote-Role', row.role_id,
        'Remote-Role-Name', encodeHeaderValue(row.role_name),
        'Remote-Groups', scopes.join(','),
        'Remote-Session-Expires', new Date(row.expires_at).toISOString(),
        'Remote-Credential', row.credential_id,
        'Cache-Control', 'no-store',
      ],
    };
  }
}
