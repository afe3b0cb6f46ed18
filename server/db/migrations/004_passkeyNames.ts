import { sql, type Kysely, type Migration } from 'kysely';
import { authenticatorName } from '../../webauthn/authenticatorName.js';
import { distinctName, GENERIC_PASSKEY_NAME } from '../../webauthn/passkeyName.js';

/**
 * Passkeys get a name people can change. Existing ones are named after their authenticator, or
 * "Passkey" (the browser that registered them was not recorded), numbered within each person's
 * passkeys in the order they were added, so that no two of a person's passkeys read the same.
 */
export const passkeyNames: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('credentials').addColumn('name', 'text', (c) => c.notNull().defaultTo('')).execute();
    const { rows } = await sql<{ id: string; user_id: string; aaguid: string }>`select id, user_id, aaguid from credentials order by user_id, created_at, id`.execute(db);
    const taken = new Map<string, string[]>();
    for (const row of rows) {
      const names = taken.get(row.user_id) ?? [];
      const name = distinctName(authenticatorName(row.aaguid) ?? GENERIC_PASSKEY_NAME, names);
      names.push(name);
      taken.set(row.user_id, names);
      await sql`update credentials set name = ${name} where id = ${row.id}`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('credentials').dropColumn('name').execute();
  },
};
