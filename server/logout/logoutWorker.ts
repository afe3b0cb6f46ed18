/**
 * Sends the queued back-channel logout notices (server/db/logoutDeliveries.ts): polls the queue,
 * claims what is due, signs a logout token per notice and posts it to the app. A failed attempt is
 * retried with back-off and audited (`oidc_backchannel_logout_failed`); after {@link MAX_ATTEMPTS}
 * the notice is dropped and that is audited too (`oidc_backchannel_logout_gave_up`). Every instance
 * runs one: the claim keeps them from sending the same notice twice at once.
 */
import type { Services } from '../services.js';
import type { OidcLogoutDelivery } from '../db/schema.js';
import { claimLogoutDeliveries, deleteLogoutDelivery, hasDueLogoutDelivery, retryLogoutDelivery } from '../db/logoutDeliveries.js';
import { findOidcClient } from '../db/oidcClients.js';
import { recordAudit } from '../db/audit.js';
import { signLogoutToken } from './logoutToken.js';
import { DELIVERY_TIMEOUT_MS, postLogoutToken } from './postLogoutToken.js';

/** Attempts per notice; the delays between them add up to about 43 minutes. */
export const MAX_ATTEMPTS = 9;
const FIRST_RETRY_MS = 10_000;
/** How often the queue is looked at. */
export const POLL_INTERVAL_MS = 1000;
/** A claimed notice is not handed to anyone else for this long (the attempt takes at most the timeout). */
const CLAIM_LEASE_MS = 12 * DELIVERY_TIMEOUT_MS;
/** Notices sent at once by one instance. */
const BATCH_SIZE = 20;

/** The wait after the `attempt`-th failed attempt (1-based): 10 s, doubling each time (10 s, 20 s, 40 s … about 21 min). */
export function retryDelayMs(attempt: number): number {
  return FIRST_RETRY_MS * 2 ** (attempt - 1);
}

export interface LogoutWorker {
  /** Sends what is due now; resolves with how many notices were attempted. */
  runOnce(): Promise<number>;
  /** Stops polling; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/** One attempt at one claimed notice. */
async function attempt(services: Services, delivery: OidcLogoutDelivery): Promise<void> {
  const { db } = services.database;
  const client = await findOidcClient(db, delivery.client_id);
  // The app stopped listening since: nothing to send.
  if (!client?.backchannelLogoutUri) return deleteLogoutDelivery(db, delivery.id);
  const token = await signLogoutToken(
    (payload, options) => services.signingKeys.sign(payload, options),
    { clientId: client.id, alg: client.idTokenAlg, sub: delivery.user_id, sid: delivery.session_id },
    services.now(),
  );
  const result = await postLogoutToken(client.backchannelLogoutUri, token);
  if (result.ok) {
    services.metrics.backchannelLogout('delivered');
    return deleteLogoutDelivery(db, delivery.id);
  }
  const now = services.now();
  const givingUp = delivery.attempts >= MAX_ATTEMPTS;
  const retryAt = now + retryDelayMs(delivery.attempts);
  const detail = { client: client.name, clientId: client.id, sub: delivery.user_id, sid: delivery.session_id, attempt: delivery.attempts, error: result.error, ...(givingUp ? {} : { retryAt }) };
  await db.transaction().execute(async (trx) => {
    if (givingUp) await deleteLogoutDelivery(trx, delivery.id);
    else await retryLogoutDelivery(trx, delivery.id, retryAt, result.error);
    await recordAudit(trx, { action: givingUp ? 'oidc_backchannel_logout_gave_up' : 'oidc_backchannel_logout_failed', actorUserId: null, orgId: client.orgId, target: client.id, detail }, now);
  });
  services.metrics.backchannelLogout(givingUp ? 'gave_up' : 'failed');
}

/**
 * Starts polling every `pollMs`; runs never overlap. Failures of a run are logged, never fatal.
 * @example const worker = startLogoutWorker(services); … await worker.stop();
 */
export function startLogoutWorker(services: Services, pollMs = POLL_INTERVAL_MS): LogoutWorker {
  const { db } = services.database;
  // Runs go one after another: one asked for during another waits for it (it may have missed what was just queued).
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;

  async function sendDue(): Promise<number> {
    const now = services.now();
    // A read first: an idle poll writes nothing.
    if (!(await hasDueLogoutDelivery(db, now))) return 0;
    const claimed = await claimLogoutDeliveries(db, now, CLAIM_LEASE_MS, BATCH_SIZE);
    await Promise.all(claimed.map((delivery) => attempt(services, delivery)));
    return claimed.length;
  }

  const runOnce = (): Promise<number> => {
    pending++;
    const run = queue.then(sendDue).finally(() => pending--);
    queue = run.catch(() => 0);
    return run;
  };

  const timer = setInterval(() => {
    if (pending > 0) return;
    runOnce().catch((error: unknown) => services.log.error('back-channel logout delivery failed', { error }));
  }, pollMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await queue;
    },
  };
}
