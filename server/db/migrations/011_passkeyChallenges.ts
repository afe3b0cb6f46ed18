import type { Kysely, Migration } from 'kysely';

/**
 * Challenges of the REST passkey ceremonies for apps (issue 13): `begin` stores the challenge under
 * the hash of a random key it hands the app, `complete` consumes it. In the database, not in memory,
 * so that a begin on one instance and its complete on another work. Dialect-free column types only.
 */
export const passkeyChallenges: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('passkey_challenges')
      .addColumn('key_hash', 'blob', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('challenge', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.references('oidc_clients.id').onDelete('cascade'))
      .addColumn('scope', 'text')
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('passkey_challenges_expiry').on('passkey_challenges').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('passkey_challenges').execute();
  },
};
