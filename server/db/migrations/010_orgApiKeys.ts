import type { Kysely, Migration } from 'kysely';

/**
 * Organisation API keys (issue 13): secrets a backend sends as `Authorization: Bearer` to act for
 * its organisation. A key is found by its public `lookup_id` and its secret compared by SHA-256
 * hash; revoked keys keep their row (with `revoked_at`) so that the list and the audit log still
 * name them. Also the permission scopes an OIDC client may hold when it signs in as itself
 * (`client_credentials`): a JSON array, empty for every existing client.
 */
export const orgApiKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('org_api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('lookup_id', 'text', (c) => c.notNull().unique())
      .addColumn('secret_hash', 'blob', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer')
      .addColumn('revoked_at', 'integer')
      .addColumn('last_used_at', 'integer')
      .execute();
    await db.schema.createIndex('org_api_keys_org').on('org_api_keys').column('org_id').execute();
    await db.schema.alterTable('oidc_clients').addColumn('service_permissions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('oidc_clients').dropColumn('service_permissions').execute();
    await db.schema.dropTable('org_api_keys').execute();
  },
};
