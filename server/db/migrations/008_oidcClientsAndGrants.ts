import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The OpenID provider's state (issue 12): registered clients and their secrets, and the grants
 * (one per person, client and sign-in) that codes and refresh tokens hang from, plus remembered
 * consent. Secrets, codes and refresh tokens are stored only as SHA-256 hashes. A grant keeps the
 * session's id (`sid`) as plain text: it outlives the browser session it began in.
 */
export const oidcClientsAndGrants: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oidc_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('token_endpoint_auth_method', 'text', (c) =>
        c.notNull().check(sql`token_endpoint_auth_method in ('client_secret_basic', 'client_secret_post', 'none')`))
      .addColumn('grant_types', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('require_pkce', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('require_consent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('required_perm', 'text')
      .addColumn('id_token_signed_response_alg', 'text', (c) =>
        c.notNull().defaultTo('RS256').check(sql`id_token_signed_response_alg in ('RS256', 'ES256', 'EdDSA')`))
      .addColumn('access_token_ttl', 'integer', (c) => c.notNull())
      .addColumn('refresh_idle_ttl', 'integer', (c) => c.notNull())
      .addColumn('refresh_absolute_ttl', 'integer', (c) => c.notNull())
      .addColumn('backchannel_logout_uri', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oidc_clients_org').on('oidc_clients').column('org_id').execute();
    await db.schema
      .createTable('oidc_client_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oidc_clients.id').onDelete('cascade'))
      .addColumn('secret_hash', 'blob', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer')
      .execute();
    await db.schema.createIndex('oidc_client_secrets_client').on('oidc_client_secrets').column('client_id').execute();
    await db.schema
      .createTable('oidc_grants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('oidc_clients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('session_id', 'text')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text')
      .addColumn('auth_time', 'integer', (c) => c.notNull())
      .addColumn('amr', 'text', (c) => c.notNull())
      .addColumn('acr', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .addColumn('revoked_at', 'integer')
      .execute();
    await db.schema.createIndex('oidc_grants_client').on('oidc_grants').column('client_id').execute();
    await db.schema.createIndex('oidc_grants_user').on('oidc_grants').column('user_id').execute();
    await db.schema.createIndex('oidc_grants_session').on('oidc_grants').column('session_id').execute();
    await db.schema
      .createTable('oidc_codes')
      .addColumn('code_hash', 'blob', (c) => c.primaryKey())
      .addColumn('grant_id', 'text', (c) => c.notNull().references('oidc_grants.id').onDelete('cascade'))
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'text')
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .addColumn('used_at', 'integer')
      .execute();
    await db.schema.createIndex('oidc_codes_grant').on('oidc_codes').column('grant_id').execute();
    await db.schema
      .createTable('oidc_refresh_tokens')
      .addColumn('token_hash', 'blob', (c) => c.primaryKey())
      .addColumn('grant_id', 'text', (c) => c.notNull().references('oidc_grants.id').onDelete('cascade'))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .addColumn('used_at', 'integer')
      .execute();
    await db.schema.createIndex('oidc_refresh_tokens_grant').on('oidc_refresh_tokens').column('grant_id').execute();
    await db.schema
      .createTable('oidc_consents')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('oidc_clients.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('granted_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('oidc_consents_pk', ['user_id', 'client_id'])
      .execute();
    await db.schema.createIndex('oidc_consents_client').on('oidc_consents').column('client_id').execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['oidc_consents', 'oidc_refresh_tokens', 'oidc_codes', 'oidc_grants', 'oidc_client_secrets', 'oidc_clients']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
