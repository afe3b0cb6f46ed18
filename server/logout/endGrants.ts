/**
 * Ending grants, whatever the reason (sign-out, an ended session, a revoked or reused token, a
 * disconnected app): the grants are revoked and every app with a back-channel logout URI gets a
 * notice queued, in the caller's transaction, so that a notice exists exactly when its grant ended.
 * The only way grants end: server/sessions/sessions.ts calls it for every session that ends.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { endOidcGrants, type EndedGrant, type GrantSelection } from '../db/oidcGrants.js';
import { queueLogoutDeliveries, type LogoutNotice } from '../db/logoutDeliveries.js';
import { backchannelClientIds } from '../db/oidcClients.js';

/** The notices for ended grants: one per app (that has a back-channel URI) and sign-in. */
export function logoutNotices(ended: readonly EndedGrant[], backchannelClients: ReadonlySet<string>): LogoutNotice[] {
  const notices = new Map<string, LogoutNotice>();
  for (const grant of ended) {
    if (grant.session_id === null || !backchannelClients.has(grant.client_id)) continue;
    const notice = { clientId: grant.client_id, userId: grant.user_id, sessionId: grant.session_id };
    notices.set(JSON.stringify([notice.clientId, notice.userId, notice.sessionId]), notice);
  }
  return [...notices.values()];
}

/**
 * Revokes the selected live grants and queues their back-channel logout notices.
 * @param db the transaction the grants end in (or the database)
 * @returns the grants that ended
 */
export async function endGrants(db: Kysely<Database>, which: GrantSelection, now: number): Promise<EndedGrant[]> {
  if (!db.isTransaction) return db.transaction().execute((trx) => endGrants(trx, which, now));
  const ended = await endOidcGrants(db, which, now);
  if (ended.length === 0) return ended;
  const listening = await backchannelClientIds(db, [...new Set(ended.map((grant) => grant.client_id))]);
  await queueLogoutDeliveries(db, logoutNotices(ended, listening), now);
  return ended;
}
