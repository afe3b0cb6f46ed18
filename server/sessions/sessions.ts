/**
 * Session lifecycle: created from a redeemed exchange code, found by the hash of
 * the cookie's token, renewed by sliding idle expiry, ended one by one, all at once
 * or together with the passkey or person they hang from.
 */
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Bytes, Database, ExchangeCode, Session } from '../db/schema.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import {
  countLiveSessions,
  deleteExpiredSessions,
  deleteSessions,
  deleteSessionsOfCredential,
  deleteSessionsOfUser,
  findSession,
  findSessionByTokenHash,
  insertSession,
  listSessionsOfUser,
  renewSession,
} from '../db/sessions.js';
import { recordUserSeen } from '../db/people.js';
import { endGrants } from '../logout/endGrants.js';
import { hasLapsed, isLiveOn } from './liveness.js';

/** A session lapses after this long without use (sliding, renewed by `validate`). */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** `validate` renews at most this often, so that polling does not write on every call. */
export const RENEW_INTERVAL_MS = 5 * 60 * 1000;
/** Sensitive actions (delete a passkey, add a device) need a passkey use this recent. */
export const RECENT_AUTH_MS = 10 * 60 * 1000;

/** Whether the session's last passkey use is recent enough for a sensitive action. */
export function isRecentAuth(session: Pick<Session, 'authenticated_at'>, now: number): boolean {
  return now - session.authenticated_at <= RECENT_AUTH_MS;
}
/** Exchange codes live this long: the page redeems them at once. */
export const EXCHANGE_CODE_LIFETIME_MS = 60 * 1000;

/** What a new session is made of: a verified passkey use of a user, on a host, from a client. */
export type SessionStart = Pick<ExchangeCode, 'user_id' | 'credential_id' | 'host' | 'ip' | 'user_agent' | 'authenticated_at'>;

/** Told the token hashes of sessions that were renewed or ended. */
export type SessionsChangedListener = (tokenHashes: readonly Bytes[]) => void;

/** What `renewIfDue` needs of a session (the cached identity carries it). */
export interface RenewableSession {
  sessionId: string;
  userId: string;
  lastSeenAt: number;
}

/**
 * Ends sessions inside a {@link SessionService.transaction}; the ends are announced once it commits.
 * The OIDC grants that began in an ended session end with it (server/logout/endGrants.ts: their
 * tokens stop working and apps with a back-channel logout URI are told).
 */
export interface SessionEnder {
  /** Ends these sessions (and the grants begun in them, even when a session itself had already gone). */
  byId(ids: readonly string[]): Promise<void>;
  /** Ends every session and every grant of a user (before deleting the user: the cascade would end them unannounced). */
  ofUser(userId: string): Promise<void>;
  /** Ends the sessions signed in with a passkey (before deleting the passkey, for the same reason). */
  ofCredential(credentialId: string): Promise<void>;
}

/**
 * The only code that creates, renews and ends sessions, and the one that finds them
 * (applying the liveness rule of ./liveness.ts). Every renewal and end is announced,
 * so that the identity cache (and whatever else subscribes) forgets the session.
 */
export class SessionService {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #listeners: SessionsChangedListener[] = [];
  readonly #grantsEndedListeners: Array<() => void> = [];

  /** @param now the clock grants are ended by (ms) */
  constructor(db: Kysely<Database>, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Subscribes to session renewals and ends (for caches keyed by token hash). */
  onChanged(listener: SessionsChangedListener): void {
    this.#listeners.push(listener);
  }

  /** Subscribes to OIDC grants ending with sessions (for caches of what their tokens stand for). */
  onGrantsEnded(listener: () => void): void {
    this.#grantsEndedListeners.push(listener);
  }

  /**
   * Creates a session from a redeemed exchange code (or a REST passkey sign-in); returns the token for the cookie (never stored).
   * `previous` is the browser's session on the same host, which the new one replaces: when the same
   * person signed in again (a re-authentication), the new session keeps its id, so that the apps
   * signed in during it (their grants and ID tokens name it as `sid`) stay signed in; anyone else's
   * previous session ends.
   */
  async create(code: SessionStart, now: number, previous: Session | null = null): Promise<{ token: string; session: Session }> {
    const continues = previous !== null && previous.user_id === code.user_id;
    if (previous && !continues) await this.end([previous.id]);
    const token = randomSecret();
    const session: Session = {
      id: continues ? previous.id : uuidv7(),
      token_hash: hashSecret(token),
      user_id: code.user_id,
      credential_id: code.credential_id,
      host: code.host,
      ip: code.ip,
      user_agent: code.user_agent,
      created_at: now,
      last_seen_at: now,
      authenticated_at: code.authenticated_at,
      expires_at: now + SESSION_IDLE_MS,
    };
    if (continues) {
      await this.#db.transaction().execute(async (trx) => {
        await deleteSessions(trx, [previous.id]);
        await insertSession(trx, session);
      });
      this.#announce([previous.token_hash]);
    } else {
      await insertSession(this.#db, session);
    }
    await recordUserSeen(this.#db, session.user_id, now);
    return { token, session };
  }

  /** The live session behind a cookie token that belongs to `host`, or null. */
  async fromToken(token: string, host: string, now: number): Promise<Session | null> {
    const session = await findSessionByTokenHash(this.#db, hashSecret(token));
    return session && isLiveOn({ expiresAt: session.expires_at, host: session.host }, host, now) ? session : null;
  }

  /** A user's live session with this id (on any host), or null. */
  async findOfUser(userId: string, id: string, now: number): Promise<Session | null> {
    const session = await findSession(this.#db, id);
    return session && session.user_id === userId && !hasLapsed(session.expires_at, now) ? session : null;
  }

  /** A user's live sessions on every host, most recently seen first. */
  async listOfUser(userId: string, now: number): Promise<Session[]> {
    return (await listSessionsOfUser(this.#db, userId)).filter((session) => !hasLapsed(session.expires_at, now));
  }

  /** How many sessions are live at `now`, on every host (for the metrics). */
  async countLive(now: number): Promise<number> {
    return countLiveSessions(this.#db, now);
  }

  /**
   * Slides the idle expiry forward, at most once per {@link RENEW_INTERVAL_MS}.
   * @returns the new expiry, or null when renewal was not due (or the session is gone)
   */
  async renewIfDue(session: RenewableSession, now: number): Promise<{ expiresAt: number } | null> {
    if (now - session.lastSeenAt < RENEW_INTERVAL_MS) return null;
    const expiresAt = now + SESSION_IDLE_MS;
    const tokenHash = await renewSession(this.#db, session.sessionId, now, expiresAt);
    if (!tokenHash) return null;
    await recordUserSeen(this.#db, session.userId, now);
    this.#announce([tokenHash]);
    return { expiresAt };
  }

  /**
   * Runs `work` in one transaction, in which it ends sessions through `end` together with
   * the change they go with (a passkey or person deleted, an audit entry). The ends are
   * announced once the transaction commits, and not at all when it rolls back.
   */
  async transaction<T>(work: (trx: Transaction<Database>, end: SessionEnder) => Promise<T>): Promise<T> {
    const ended: Bytes[] = [];
    let grantsEnded = 0;
    const result = await this.#db.transaction().execute((trx) =>
      work(trx, {
        byId: async (ids) => {
          ended.push(...(await deleteSessions(trx, ids)));
          grantsEnded += (await endGrants(trx, { sessionIds: ids }, this.#now())).length;
        },
        ofUser: async (userId) => {
          ended.push(...(await deleteSessionsOfUser(trx, userId)));
          grantsEnded += (await endGrants(trx, { userId }, this.#now())).length;
        },
        ofCredential: async (credentialId) => {
          const sessions = await deleteSessionsOfCredential(trx, credentialId);
          ended.push(...sessions.map((session) => session.token_hash));
          grantsEnded += (await endGrants(trx, { sessionIds: sessions.map((session) => session.id) }, this.#now())).length;
        },
      }),
    );
    this.#announce(ended);
    if (grantsEnded > 0) for (const listener of this.#grantsEndedListeners) listener();
    return result;
  }

  /** Ends sessions by id. */
  async end(ids: readonly string[]): Promise<void> {
    await this.transaction((_trx, end) => end.byId(ids));
  }

  /**
   * Ends the sessions that have lapsed (housekeeping). Their grants stay: a session lapsing is no
   * sign-out, and a grant has lifetimes of its own (the refresh tokens' idle and absolute ends).
   */
  async endLapsed(now: number): Promise<void> {
    this.#announce(await deleteExpiredSessions(this.#db, now));
  }

  #announce(tokenHashes: readonly Bytes[]): void {
    if (tokenHashes.length === 0) return;
    for (const listener of this.#listeners) listener(tokenHashes);
  }
}
