import type { Kysely, Migration } from 'kysely';

/**
 * Each organisation may name a default role: the one a new user gets when the admin chooses none.
 * Organisations created from now on start with a "Member" role as their default; existing ones get
 * none (no existing role is known to be safe to hand out) until an admin picks one. No foreign key:
 * the role routes refuse to delete a default role, and SQLite cannot drop a column that has one.
 */
export const defaultRole: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('orgs').addColumn('default_role_id', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('orgs').dropColumn('default_role_id').execute();
  },
};
