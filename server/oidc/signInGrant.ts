/**
 * The grant a passkey sign-in starts for a client (one per person × client × sign-in: codes, access
 * and refresh tokens hang from it), with its audit entry. The authorization code flow and the REST
 * passkey ceremonies of apps start grants here alike, so both give the same tokens.
 */
import type { Kysely } from 'kysely';
import type { Database, OidcGrant } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { insertOidcGrant } from '../db/oidcGrants.js';
import { recordAudit } from '../db/audit.js';
import { authenticationContext } from './authenticationContext.js';
import type { AppPerson } from './appPerson.js';

export interface SignInGrant {
  client: OidcClient;
  person: AppPerson;
  /** The browser session it began in (`sid`), or null (a native app's sign-in has none). */
  sessionId: string | null;
  scopes: readonly string[];
  nonce: string | null;
  /** The verified passkey use (`auth_time`). */
  authenticatedAt: number;
  /** Whether that passkey may leave its device: decides `amr` and `acr`. */
  backupEligible: boolean;
  /** For the audit entry. */
  ip: string;
}

/** Inserts the grant and audits `oidc_signed_in`; run it in the transaction of whatever else the sign-in writes. */
export async function startGrant(db: Kysely<Database>, start: SignInGrant, now: number): Promise<OidcGrant> {
  const { client, person } = start;
  const context = authenticationContext(start.backupEligible);
  const grant = await insertOidcGrant(db, {
    client_id: client.id,
    user_id: person.user.id,
    session_id: start.sessionId,
    scope: start.scopes.join(' '),
    nonce: start.nonce,
    auth_time: start.authenticatedAt,
    amr: JSON.stringify(context.amr),
    acr: context.acr,
    expires_at: now + client.refreshAbsoluteTtl * 1000,
  }, now);
  await recordAudit(db, {
    action: 'oidc_signed_in',
    actorUserId: person.user.id,
    orgId: person.user.org_id,
    target: client.id,
    ip: start.ip,
    detail: { client: client.name, scope: grant.scope, acr: context.acr },
  }, now);
  return grant;
}
