/** Queries on reset and device-addition tokens ("links"; stored as hashes, listed by id). */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Bytes, Database, ResetToken } from './schema.js';
import type { ResetTokenKind } from '../../shared/resetToken.js';

type Db = Kysely<Database>;

/** What may be shown of a link: never its hash, from which the ~55-bit token could be searched. */
export type ResetTokenListing = Pick<ResetToken, 'id' | 'kind' | 'created_at' | 'expires_at'>;

export interface NewResetToken {
  tokenHash: Bytes;
  userId: string;
  kind: ResetTokenKind;
  expiresAt: number;
}

/** Stores a token; returns its id. */
export async function insertResetToken(db: Db, values: NewResetToken, now: number): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto('reset_tokens')
    .values({ id, token_hash: values.tokenHash, user_id: values.userId, kind: values.kind, created_at: now, expires_at: values.expiresAt })
    .execute();
  return id;
}

/**
 * Stores a token in place of the user's open ones of the same kind (a new link ends the old
 * one, so a link sent to the wrong place dies when the right one is made). Run it in a transaction.
 * @returns the new token's id and how many open links it replaced.
 */
export async function replaceResetToken(db: Db, values: NewResetToken, now: number): Promise<{ id: string; replaced: number }> {
  const result = await db
    .deleteFrom('reset_tokens')
    .where('user_id', '=', values.userId)
    .where('kind', '=', values.kind)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return { id: await insertResetToken(db, values, now), replaced: Number(result.numDeletedRows) };
}

/** A token that exists and has not expired. */
export async function findLiveResetToken(db: Db, tokenHash: Bytes, now: number): Promise<ResetToken | undefined> {
  return db.selectFrom('reset_tokens').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
}

/** The user's open links (of `kinds`, default all), oldest first. */
export async function listLiveResetTokensOfUser(db: Db, userId: string, now: number, kinds?: readonly ResetTokenKind[]): Promise<ResetTokenListing[]> {
  let query = db.selectFrom('reset_tokens').select(['id', 'kind', 'created_at', 'expires_at']).where('user_id', '=', userId).where('expires_at', '>', now);
  if (kinds) query = query.where('kind', 'in', kinds);
  return query.orderBy('created_at').orderBy('id').execute();
}

/**
 * Revokes the user's open link `id` (only of `kinds`, when given).
 * @returns the kind of the revoked link, or null when the user has no such open link.
 */
export async function revokeResetToken(db: Db, target: { userId: string; id: string; kinds?: readonly ResetTokenKind[] }, now: number): Promise<ResetTokenKind | null> {
  let query = db.deleteFrom('reset_tokens').where('id', '=', target.id).where('user_id', '=', target.userId).where('expires_at', '>', now);
  if (target.kinds) query = query.where('kind', 'in', target.kinds);
  const deleted = await query.returning('kind').executeTakeFirst();
  return deleted?.kind ?? null;
}

/** Deletes the token; true when this call consumed it (single use even under concurrent requests). */
export async function consumeResetToken(db: Db, tokenHash: Bytes, now: number): Promise<boolean> {
  const result = await db.deleteFrom('reset_tokens').where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteResetTokensOfUser(db: Db, userId: string, kind: ResetTokenKind): Promise<void> {
  await db.deleteFrom('reset_tokens').where('user_id', '=', userId).where('kind', '=', kind).execute();
}

export async function deleteExpiredResetTokens(db: Db, now: number): Promise<void> {
  await db.deleteFrom('reset_tokens').where('expires_at', '<=', now).execute();
}
