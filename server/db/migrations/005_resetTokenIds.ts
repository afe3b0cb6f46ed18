import { sql, type Kysely, type Migration } from 'kysely';
import { uuidv7 } from 'uuidv7';

/**
 * Links get an id, so that people can list and revoke them without the token ever leaving the
 * server again. Not derived from the hash: a token has only ~55 bits, so anything computed from
 * it could be searched offline. Open links made before keep working and get an id each.
 */
export const resetTokenIds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('reset_tokens').addColumn('id', 'text', (c) => c.notNull().defaultTo('')).execute();
    const { rows } = await sql<{ token_hash: Uint8Array }>`select token_hash from reset_tokens`.execute(db);
    for (const row of rows) await sql`update reset_tokens set id = ${uuidv7()} where token_hash = ${row.token_hash}`.execute(db);
    await db.schema.createIndex('reset_tokens_id').on('reset_tokens').column('id').unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('reset_tokens_id').execute();
    await db.schema.alterTable('reset_tokens').dropColumn('id').execute();
  },
};
