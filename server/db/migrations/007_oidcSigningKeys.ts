import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The OpenID provider's signing keys (issue 12), one row per key pair as JWK JSON. `kid` is the
 * RFC 7638 thumbprint of the public key. A key signs from `signs_from`; a rotation sets the
 * previous keys' `retired_at` (when the new key takes over) and `published_until` (then plus the
 * longest token lifetime), after which the sweep deletes them.
 */
export const oidcSigningKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oidc_signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull().check(sql`alg in ('RS256', 'ES256', 'EdDSA')`))
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('signs_from', 'integer', (c) => c.notNull())
      .addColumn('retired_at', 'integer')
      .addColumn('published_until', 'integer')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('oidc_signing_keys').execute();
  },
};
