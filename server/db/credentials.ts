/** Queries on passkeys (WebAuthn credentials). */
import type { Kysely } from 'kysely';
import type { Bytes, Credential, Database, NewCredential } from './schema.js';

type Db = Kysely<Database>;

export async function insertCredential(db: Db, credential: NewCredential): Promise<void> {
  await db.insertInto('credentials').values(credential).execute();
}

export async function findCredentialByCredentialId(db: Db, credentialId: Bytes): Promise<Credential | undefined> {
  return db.selectFrom('credentials').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function findCredential(db: Db, id: string): Promise<Credential | undefined> {
  return db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCredentialsOfUser(db: Db, userId: string): Promise<Credential[]> {
  return db.selectFrom('credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Records a successful use: new signature counter, backup state, time. */
export async function recordCredentialUse(db: Db, id: string, values: { signCount: number; backupState: boolean }, now: number): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ sign_count: values.signCount, backup_state: values.backupState ? 1 : 0, last_used_at: now })
    .where('id', '=', id)
    .execute();
}

export type CredentialDeletion = { status: 'deleted'; endedSessionTokenHashes: Bytes[] } | { status: 'last' } | { status: 'missing' };

/**
 * Deletes a user's credential unless it is their last one (in one transaction, so two
 * concurrent deletions cannot remove both), with the sessions signed in through it.
 */
export async function deleteCredentialUnlessLast(db: Db, userId: string, id: string): Promise<CredentialDeletion> {
  return db.transaction().execute(async (trx) => {
    const credentials = await trx.selectFrom('credentials').select('id').where('user_id', '=', userId).execute();
    if (!credentials.some((credential) => credential.id === id)) return { status: 'missing' };
    if (credentials.length === 1) return { status: 'last' };
    return { status: 'deleted', endedSessionTokenHashes: await deleteCredentialWithSessions(trx, id) };
  });
}

/** Deletes a credential and the sessions signed in with it; returns their token hashes. Run inside a transaction. */
export async function deleteCredentialWithSessions(db: Db, id: string): Promise<Bytes[]> {
  const ended = await db.deleteFrom('sessions').where('credential_id', '=', id).returning('token_hash').execute();
  await db.deleteFrom('credentials').where('id', '=', id).execute();
  return ended.map((row) => row.token_hash);
}
