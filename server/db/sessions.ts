/**
 * Queries on sessions and exchange codes (both stored by hash only). Only the
 * session service (server/sessions/sessions.ts) calls the session queries, so that
 * every renewal and end is announced to the caches.
 */
import type { Kysely } from 'kysely';
import type { Bytes, Database, ExchangeCode, NewSession, Session } from './schema.js';

type Db = Kysely<Database>;

export async function insertSession(db: Db, session: NewSession): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findSessionByTokenHash(db: Db, tokenHash: Bytes): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findSession(db: Db, id: string): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's sessions, lapsed ones included (until the sweeper deletes them), most recently seen first. */
export async function listSessionsOfUser(db: Db, userId: string): Promise<Session[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
}

/** Extends a session: new expiry and last-seen time. Returns its token hash, or undefined when it is gone. */
export async function renewSession(db: Db, id: string, lastSeenAt: number, expiresAt: number): Promise<Bytes | undefined> {
  const row = await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).returning('token_hash').executeTakeFirst();
  return row?.token_hash;
}

/** Deletes sessions by id; returns their token hashes so caches can forget them. */
export async function deleteSessions(db: Db, ids: readonly string[]): Promise<Bytes[]> {
  if (ids.length === 0) return [];
  const rows = await db.deleteFrom('sessions').where('id', 'in', ids).returning('token_hash').execute();
  return rows.map((row) => row.token_hash);
}

/** Deletes every session of a user; returns their token hashes so caches can forget them. */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<Bytes[]> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('token_hash').execute();
  return rows.map((row) => row.token_hash);
}

/** Deletes the sessions signed in with a passkey; returns their ids and token hashes. */
export async function deleteSessionsOfCredential(db: Db, credentialId: string): Promise<Array<Pick<Session, 'id' | 'token_hash'>>> {
  return db.deleteFrom('sessions').where('credential_id', '=', credentialId).returning(['id', 'token_hash']).execute();
}

/** How many sessions have not lapsed at `now` (the count of `hasLapsed` being false; `sessions_expires` indexes it). */
export async function countLiveSessions(db: Db, now: number): Promise<number> {
  const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number | string | bigint>().as('count')).where('expires_at', '>', now).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes lapsed sessions (the SQL form of `hasLapsed` in server/sessions/liveness.ts); returns their token hashes. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<Bytes[]> {
  const rows = await db.deleteFrom('sessions').where('expires_at', '<=', now).returning('token_hash').execute();
  return rows.map((row) => row.token_hash);
}

export async function insertExchangeCode(db: Db, code: ExchangeCode): Promise<void> {
  await db.insertInto('exchange_codes').values(code).execute();
}

/** Takes a live exchange code out of the database: single use, even under concurrent requests. */
export async function consumeExchangeCode(db: Db, codeHash: Bytes, now: number): Promise<ExchangeCode | undefined> {
  const row = await db.deleteFrom('exchange_codes').where('code_hash', '=', codeHash).returningAll().executeTakeFirst();
  return row && row.expires_at > now ? row : undefined;
}

export async function deleteExpiredExchangeCodes(db: Db, now: number): Promise<void> {
  await db.deleteFrom('exchange_codes').where('expires_at', '<=', now).execute();
}
