/**
 * Ending grants, whatever the reason (sign-out, an ended session, a revoked or reused token, a
 * disconnected app): the grants are revoked, in the caller's transaction. The only way grants end:
 * server/sessions/sessions.ts calls it for every session that ends.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { endOidcGrants, type EndedGrant, type GrantSelection } from '../db/oidcGrants.js';

/**
 * Revokes the selected live grants.
 * @param db the transaction the grants end in (or the database)
 * @returns the grants that ended
 */
export async function endGrants(db: Kysely<Database>, which: GrantSelection, now: number): Promise<EndedGrant[]> {
  return endOidcGrants(db, which, now);
}
