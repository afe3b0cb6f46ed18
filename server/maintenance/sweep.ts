/**
 * Housekeeping, at start-up and then hourly: drop lapsed sessions, links, exchange codes, REST passkey challenges,
 * OIDC codes, refresh tokens and grants, OIDC signing keys that have left the JWKS, and audit
 * entries past their retention. With several instances on one database, the one leading the
 * job runs it (server/cluster/jobLeader.ts).
 */
import type { Services } from '../services.js';
import { deleteExpiredExchangeCodes } from '../db/sessions.js';
import { deleteExpiredResetTokens } from '../db/resetTokens.js';
import { pruneAudit } from '../db/audit.js';
import { deleteExpiredOidcGrants } from '../db/oidcGrants.js';
import { deleteExpiredPasskeyChallenges } from '../db/passkeyChallenges.js';

/** Audit entries are kept this long. */
export const AUDIT_RETENTION_MS = 180 * 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** The sweep's name as a background job: one instance leads it. */
export const SWEEP_JOB = 'sweep';

export async function sweep(services: Services): Promise<void> {
  const { db } = services.database;
  const now = services.now();
  await services.sessions.endLapsed(now);
  await deleteExpiredResetTokens(db, now);
  await deleteExpiredExchangeCodes(db, now);
  await deleteExpiredPasskeyChallenges(db, now);
  await deleteExpiredOidcGrants(db, now);
  await services.signingKeys.deleteExpired();
  await pruneAudit(db, now - AUDIT_RETENTION_MS);
}

/**
 * Runs {@link sweep} now and every hour if this instance leads the job; failures are logged, never fatal. Returns a stop
 * function that resolves once a sweep under way has finished, so the database can be closed after it.
 */
export function startSweeping(services: Services): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = (async () => {
      if (await services.leader.leads(SWEEP_JOB)) await sweep(services);
    })().catch((error: unknown) => services.log.error('housekeeping failed', { error }));
  };
  run();
  const timer = setInterval(run, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    return running;
  };
}
