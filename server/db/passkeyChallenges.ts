/**
 * Queries on the challenges of the REST passkey ceremonies. A challenge is found by the hash of its
 * key and consumed by one conditional `delete … returning`: of two concurrent completes with the
 * same key (on one instance or several), only one gets the row.
 */
import type { Kysely } from 'kysely';
import type { Bytes, Database, PasskeyChallenge, PasskeyChallengeKind } from './schema.js';

type Db = Kysely<Database>;

export async function insertPasskeyChallenge(db: Db, challenge: PasskeyChallenge): Promise<void> {
  await db.insertInto('passkey_challenges').values(challenge).execute();
}

/** Takes the live challenge of this kind with this key hash, or undefined (unknown, expired, used, or of the other kind). */
export async function consumePasskeyChallenge(db: Db, keyHash: Bytes, kind: PasskeyChallengeKind, now: number): Promise<PasskeyChallenge | undefined> {
  return db
    .deleteFrom('passkey_challenges')
    .where('key_hash', '=', keyHash)
    .where('kind', '=', kind)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes challenges past their end (housekeeping). */
export async function deleteExpiredPasskeyChallenges(db: Db, now: number): Promise<void> {
  await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now).execute();
}
