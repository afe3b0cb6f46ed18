/**
 * In-memory identities of recently seen sessions, keyed by token hash, so that
 * forward auth answers without touching the database. Entries are dropped when
 * their session ends or is renewed (by token hash), and all at once when people,
 * roles or permissions change: a change takes effect on the very next request.
 */
import type { Bytes } from '../db/schema.js';
import type { IdentityQueries } from '../db/identity.js';
import { encodeHeaderValue } from './headerValue.js';

export interface Identity {
  sessionId: string;
  userId: string;
  host: string;
  expiresAt: number;
  authenticatedAt: number;
  scopes: readonly string[];
  /** The `Remote-*` response headers, prepared once: a flat [name, value, …] list for writeHead. */
  headers: readonly string[];
}

export class IdentityCache {
  readonly #entries = new Map<string, Identity>();
  readonly #queries: IdentityQueries;
  readonly #maxEntries: number;

  constructor(queries: IdentityQueries, maxEntries = 100_000) {
    this.#queries = queries;
    this.#maxEntries = maxEntries;
  }

  /** The identity behind a session token hash (cached), or null when there is no such session. */
  get(tokenHash: Bytes): Identity | null {
    const key = keyOf(tokenHash);
    const cached = this.#entries.get(key);
    if (cached) return cached;
    const row = this.#queries.sessionIdentity(tokenHash);
    if (!row) return null;
    const scopes = this.#queries.effectiveScopes(row.org_id, row.role_id, row.host);
    const identity: Identity = {
      sessionId: row.session_id,
      userId: row.user_id,
      host: row.host,
      expiresAt: row.expires_at,
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
    // Bounded: past the limit the oldest entry goes (Map keeps insertion order).
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, identity);
    return identity;
  }

  /** Drops the entries of these sessions (ended or renewed). */
  forget(tokenHashes: readonly Bytes[]): void {
    for (const hash of tokenHashes) this.#entries.delete(keyOf(hash));
  }

  /** Drops everything: after any change to users, organisations, roles or permissions. */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

function keyOf(tokenHash: Bytes): string {
  return Buffer.from(tokenHash.buffer, tokenHash.byteOffset, tokenHash.byteLength).toString('latin1');
}
