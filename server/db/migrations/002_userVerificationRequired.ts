import { sql, type Kysely, type Migration } from 'kysely';

/**
 * User verification became required for every passkey use. Uses recorded before then may have
 * been a bare touch of a security key, so none of them counts as recent any more: the
 * recent-authentication check and forward auth's `max_age` ask for a fresh, verified use. Sessions
 * stay signed in.
 */
export const userVerificationRequired: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`update sessions set authenticated_at = 0`.execute(db);
    await sql`update exchange_codes set authenticated_at = 0`.execute(db);
  },
  // No schema to restore, and the old times are gone: going back leaves the data as it is.
  async down() {},
};
