/**
 * Session lifecycle: created from a redeemed exchange code, found by the hash of
 * the cookie's token, renewed by sliding idle expiry, ended one by one or all at
 * once. Every renewal and deletion goes through here so that caches hear of it.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Bytes, Database, ExchangeCode, Session } from '../db/schema.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { deleteSessions, deleteSessionsOfUser, findSessionByTokenHash, insertSession, renewSession } from '../db/sessions.js';
import { recordUserSeen } from '../db/people.js';

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

/** Told the token hashes of sessions that were renewed or ended. */
export type SessionsChangedListener = (tokenHashes: readonly Bytes[]) => void;

export class SessionService {
  readonly #db: Kysely<Database>;
  readonly #listeners: SessionsChangedListener[] = [];

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Subscribes to session renewals and deletions (for caches keyed by token hash). */
  onChanged(listener: SessionsChangedListener): void {
    this.#listeners.push(listener);
  }

  /** Creates a session from a redeemed exchange code; returns the token for the cookie (never stored). */
  async create(code: ExchangeCode, now: number): Promise<{ token: string; session: Session }> {
    const token = randomSecret();
    const session: Session = {
      id: uuidv7(),
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
    await insertSession(this.#db, session);
    await recordUserSeen(this.#db, session.user_id, now);
    return { token, session };
  }

  /** The live session behind a cookie token that belongs to `host`, or null. */
  async fromToken(token: string, host: string, now: number): Promise<Session | null> {
    const session = await findSessionByTokenHash(this.#db, hashSecret(token));
    if (!session || session.expires_at <= now || session.host !== host) return null;
    return session;
  }

  /** Slides the idle expiry forward, at most once per {@link RENEW_INTERVAL_MS}; true when it did. */
  async renewIfDue(session: Session, now: number): Promise<boolean> {
    if (now - session.last_seen_at < RENEW_INTERVAL_MS) return false;
    session.last_seen_at = now;
    session.expires_at = now + SESSION_IDLE_MS;
    await renewSession(this.#db, session.id, session.last_seen_at, session.expires_at);
    await recordUserSeen(this.#db, session.user_id, now);
    this.#announce([session.token_hash]);
    return true;
  }

  /** Ends sessions by id. */
  async end(ids: readonly string[]): Promise<void> {
    this.#announce(await deleteSessions(this.#db, ids));
  }

  /** Ends every session of a user. */
  async endAllOf(userId: string): Promise<void> {
    this.#announce(await deleteSessionsOfUser(this.#db, userId));
  }

  /** Tells listeners about sessions deleted elsewhere (cascades, expiry sweeps). */
  announceEnded(tokenHashes: readonly Bytes[]): void {
    this.#announce(tokenHashes);
  }

  #announce(tokenHashes: readonly Bytes[]): void {
    if (tokenHashes.length === 0) return;
    for (const listener of this.#listeners) listener(tokenHashes);
  }
}
