import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A person's optional email (unique on its lower-cased form, stored as given; verified only when an
 * admin says so) and optional username (stored lower-cased, unique). NULLs never collide in a UNIQUE index.
 */
export const emailAndUsername: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email', 'text').execute();
    await db.schema.alterTable('users').addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('users').addColumn('username', 'text').execute();
    await db.schema.createIndex('users_email_unique').on('users').unique().expression(sql`lower(email)`).execute();
    await db.schema.createIndex('users_username_unique').on('users').unique().column('username').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('users_username_unique').execute();
    await db.schema.dropIndex('users_email_unique').execute();
    for (const column of ['username', 'email_verified', 'email']) await db.schema.alterTable('users').dropColumn(column).execute();
  },
};
