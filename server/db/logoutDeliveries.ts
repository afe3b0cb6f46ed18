/**
 * The back-channel logout queue (`oidc_logout_deliveries`): notices are queued in the transaction
 * that ends their grants, claimed by a worker with one conditional update (safe with several
 * instances on one database), and deleted once delivered or given up.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Database, OidcLogoutDelivery } from './schema.js';

type Db = Kysely<Database>;

/** A notice to queue: this app is told that this person's sign-in ended. */
export interface LogoutNotice {
  clientId: string;
  userId: string;
  sessionId: string;
}

/** Queues notices, due at once; a notice already waiting for the same app and sign-in is not doubled. */
export async function queueLogoutDeliveries(db: Db, notices: readonly LogoutNotice[], now: number): Promise<void> {
  if (notices.length === 0) return;
  await db
    .insertInto('oidc_logout_deliveries')
    .values(notices.map((notice) => ({ id: uuidv7(), client_id: notice.clientId, user_id: notice.userId, session_id: notice.sessionId, created_at: now, attempts: 0, next_attempt_at: now, last_error: null })))
    .onConflict((oc) => oc.columns(['client_id', 'session_id', 'user_id']).doNothing())
    .execute();
}

/**
 * Claims up to `limit` due deliveries for one attempt each: their `next_attempt_at` moves to
 * `now + leaseMs` (so that nobody else takes them meanwhile, and an instance that dies mid-attempt
 * only delays them) and `attempts` counts up. One UPDATE whose own WHERE repeats the due test:
 * on PostgreSQL a concurrent claimer that waited for the row lock re-checks it and skips the row.
 */
export async function claimLogoutDeliveries(db: Db, now: number, leaseMs: number, limit: number): Promise<OidcLogoutDelivery[]> {
  return db
    .updateTable('oidc_logout_deliveries')
    .set((eb) => ({ next_attempt_at: now + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('next_attempt_at', '<=', now)
    .where('id', 'in', (eb) => eb.selectFrom('oidc_logout_deliveries').select('id').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit))
    .returningAll()
    .execute();
}

/** Whether any delivery is due (a cheap read before claiming, so an idle poll writes nothing). */
export async function hasDueLogoutDelivery(db: Db, now: number): Promise<boolean> {
  return (await db.selectFrom('oidc_logout_deliveries').select('id').where('next_attempt_at', '<=', now).limit(1).executeTakeFirst()) !== undefined;
}

/** Delivered or given up: the row goes. */
export async function deleteLogoutDelivery(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oidc_logout_deliveries').where('id', '=', id).execute();
}

/** A failed attempt: due again at `retryAt`, with the reason kept for whoever looks. */
export async function retryLogoutDelivery(db: Db, id: string, retryAt: number, error: string): Promise<void> {
  await db.updateTable('oidc_logout_deliveries').set({ next_attempt_at: retryAt, last_error: error }).where('id', '=', id).execute();
}
