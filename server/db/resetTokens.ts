/** Queries on reset and device-addition tokens (stored as hashes). */
import type { Kysely } from 'kysely';
import type { Bytes, Database, ResetToken } from './schema.js';
import type { ResetTokenKind } from '../../shared/resetToken.js';

type Db = Kysely<Database>;

export async function insertResetToken(
  db: Db,
  values: { tokenHash: Bytes; userId: string; kind: ResetTokenKind; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .insertInto('reset_tokens')
    .values({ token_hash: values.tokenHash, user_id: values.userId, kind: values.kind, created_at: now, expires_at: values.expiresAt })
    .execute();
}

/** A token that exists and has not expired. */
export async function findLiveResetToken(db: Db, tokenHash: Bytes, now: number): Promise<ResetToken | undefined> {
  return db.selectFrom('reset_tokens').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
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
