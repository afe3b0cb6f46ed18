/**
 * In-memory identities of recently seen sessions, keyed by token hash, so that
 * forward auth answers without touching the database. Entries are dropped when
 * their session ends or is renewed (by token hash), and all at once when people,
 * roles or permissions change: a change takes effect on the very next request.
 * With several instances, server/cluster/changeFeed.ts applies other instances' changes too.
 *
 * A person's sessions on one host share one {@link Subject} (names, scopes, their headers),
 * and people share what their subjects have in common (sharedValues.ts), so a cached session
 * holds only its own few values (and shares its passkey's id with the person's sessions through
 * the same passkey). Measured with 10,000 sessions (heap snapshots): ≈ 390 bytes each for one
 * person's through one passkey, ≈ 950 for 10,000 people's of one organisation and role;
 * ≈ 1.4 KiB when each carried its own copy of everything.
 */
import type { LRUCache } from 'lru-cache';
import type { Bytes } from '../db/schema.js';
import type { IdentityQueries, MaybePromise, SessionIdentityRow } from '../db/identity.js';
import { hashFromKey, keyFromHash, secretHashKey } from '../crypto/tokens.js';
import type { RemoteUserField } from '../config.js';
import { personSubject } from './identityHeaders.js';
import { growingLruCache } from './growingLruCache.js';
import { Identity, type Subject } from './identity.js';
import { SharedValues } from './sharedValues.js';

/** How many identities the server keeps cached (it uses the default); the benchmark sizes its cache-miss case by it. */
export const IDENTITY_CACHE_ENTRIES = 100_000;

/**
 * Bounded and least-recently-used first (lru-cache, growing with use: see growingLruCache.ts),
 * so a session in use stays cached however many others come and go. Sessions that do not
 * exist are not cached.
 */
export class IdentityCache {
  readonly #cache: LRUCache<string, Identity>;
  /** The subjects of cached sessions, by user id and host; no more than there are sessions. */
  readonly #subjects: LRUCache<string, CachedSubject>;
  /** What the subjects of different people have in common. */
  readonly #values: SharedValues;
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
    this.#subjects = growingLruCache(maxEntries);
    this.#values = new SharedValues(maxEntries);
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
    if (!trusted) this.clear();
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
    this.#subjects.clear();
    this.#values.clear();
  }

  /** The identity of a loaded session row, with its scopes; cached unless a forget or clear came since `generation`. */
  #complete(key: string, row: SessionIdentityRow | undefined, generation: number): MaybePromise<Identity | null> {
    if (!row) return null;
    const scopes = this.#queries.effectiveScopes(row.org_id, row.role_id, row.host);
    if (scopes instanceof Promise) return scopes.then((loaded) => this.#remember(key, row, loaded, generation));
    return this.#remember(key, row, scopes, generation);
  }

  #remember(key: string, row: SessionIdentityRow, scopes: string[], generation: number): Identity {
    const cached = this.#trusted && generation === this.#generation;
    const loaded = personSubject(row, row.host, scopes, this.#remoteUser);
    const subject = cached ? this.#shared(loaded, row.credential_id) : null;
    const identity = new Identity(subject ?? loaded, {
      sessionId: row.session_id,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
      authenticatedAt: row.authenticated_at,
      sourceHeader: 'Remote-Credential',
      source: subject?.credentialId === row.credential_id ? subject.credentialId : row.credential_id,
    });
    if (cached) this.#cache.set(key, identity);
    return identity;
  }

  /**
   * The subject the person's cached sessions on this host already share, when it is the same as
   * `loaded`; else `loaded` (with the values it has in common with other people's), shared from
   * now on. Compared rather than trusted, so that a reload (an entry past its maximum age) picks
   * up a change that no `clear` announced.
   * @param credentialId the passkey of the session being loaded: the subject keeps it if new
   */
  #shared(loaded: Subject, credentialId: string): CachedSubject {
    const key = `${loaded.userId} ${loaded.host}`;
    const known = this.#subjects.get(key);
    if (known && sameSubject(known, loaded)) return known;
    const { userId, displayName, host, scopes, headers } = this.#values.subject(loaded);
    // A literal, not a spread plus a field: that gave each subject its own hidden class (≈ 240 bytes).
    const subject: CachedSubject = { userId, displayName, host, scopes, headers, credentialId };
    this.#subjects.set(key, subject);
    return subject;
  }
}

/**
 * A subject as its cached sessions share it, with the id of the passkey the first of them came
 * through: the person's later sessions through that passkey (most people sign in with one or two)
 * keep that string instead of each its own copy (≈ 56 bytes a session). One field, not a list,
 * so that a person with a single session costs no more.
 */
interface CachedSubject extends Subject {
  readonly credentialId: string;
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.displayName === b.displayName && sameList(a.scopes, b.scopes) && sameList(a.headers, b.headers);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
