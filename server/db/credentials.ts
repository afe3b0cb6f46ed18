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

export async function renameCredential(db: Db, id: string, name: string): Promise<void> {
  await db.updateTable('credentials').set({ name }).where('id', '=', id).execute();
}

/**
 * Whether a user may delete this credential of theirs: `missing` (not theirs), `last`
 * (their only one: deleting it would lock them out) or `deletable`. Ask inside the
 * deleting transaction, so that two concurrent deletions cannot remove both.
 */
export async function credentialDeletability(db: Db, userId: string, id: string): Promise<'missing' | 'last' | 'deletable'> {
  const credentials = await db.selectFrom('credentials').select('id').where('user_id', '=', userId).execute();
  if (!credentials.some((credential) => credential.id === id)) return 'missing';
  return credentials.length === 1 ? 'last' : 'deletable';
}

/** Deletes a credential. End its sessions first, through the session service, so that caches hear of it. */
export async function deleteCredential(db: Db, id: string): Promise<void> {
  await db.deleteFrom('credentials').where('id', '=', id).execute();
}
