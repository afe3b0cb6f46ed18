import type { Kysely, Migration } from 'kysely';

/**
 * Back-channel logout deliveries waiting to be sent (OpenID Back-Channel Logout 1.0, issue 13): one
 * row per app and ended sign-in, kept until the app took it or the attempts ran out, so that a
 * restart loses none. The person is named by id only, without a foreign key: a deleted person's apps
 * must still hear of it. A row is claimed by moving `next_attempt_at` forward in one conditional
 * update, so that several instances never send the same row at once.
 */
export const oidcLogoutDeliveries: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oidc_logout_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oidc_clients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('oidc_logout_deliveries_due').on('oidc_logout_deliveries').column('next_attempt_at').execute();
    // One pending notice per app and sign-in, however many of its grants end.
    await db.schema.createIndex('oidc_logout_deliveries_once').on('oidc_logout_deliveries').columns(['client_id', 'session_id', 'user_id']).unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('oidc_logout_deliveries').execute();
  },
};
