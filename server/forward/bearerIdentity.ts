/**
 * What an `Authorization: Bearer` access token stands for at forward auth, on the host asked for:
 * a person (their token from an app) or a client acting as itself (client credentials). A token
 * opens only the hosts of its app's redirect URIs: an app is not trusted with its people's access
 * to other apps, just as a session cookie is bound to its host. Permissions (`Remote-Groups`) are
 * the person's effective scopes on that host, or the client-credentials token's scopes that the
 * client still holds. The identity's `host` is the host asked for, so forward auth's liveness rule
 * applies unchanged; `authenticatedAt` (for `max_age`) is the person's passkey use behind the
 * grant, or when the client's token was issued.
 */
import type { JWTPayload } from 'jose';
import type { Services } from '../services.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcClient } from '../db/oidcClients.js';
import { findOrgAndRole, findUser } from '../db/people.js';
import { findOrg } from '../db/orgs.js';
import { grantIdOf, personAccessToken, scopesOf, verifiedAccessTokenClaims } from '../oidc/accessToken.js';
import { liveServiceClient, servicePermissionsHeld } from '../oidc/clientCredentials.js';
import { OAuthError } from '../oidc/oauthError.js';
import { clientSubject, personSubject } from './identityHeaders.js';
import { Identity } from './identity.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer` header, or null for any other header. */
export function bearerTokenOf(authorization: string): string | null {
  return BEARER.exec(authorization)?.[1] ?? null;
}

/** The hosts an app's tokens open: those of its redirect URIs (lower case, no port). */
export function tokenHosts(client: Pick<OidcClient, 'redirectUris'>): Set<string> {
  const hosts = new Set<string>();
  for (const uri of client.redirectUris) {
    const { hostname } = new URL(uri);
    if (hostname) hosts.add(hostname.toLowerCase());
  }
  return hosts;
}

async function personIdentity(services: Services, claims: JWTPayload, host: string, now: number): Promise<Identity | null> {
  const token = await personAccessToken(services, claims, now);
  const { db } = services.database;
  const [client, user] = await Promise.all([findOidcClient(db, token.clientId), findUser(db, token.grant.user_id)]);
  if (!client || !user || !tokenHosts(client).has(host)) return null;
  const { org, role } = await findOrgAndRole(db, user);
  const scopes = await services.identityQueries.effectiveScopes(user.org_id, user.role_id, host);
  const row = { ...user, org_name: org.displayName, role_name: role.displayName, user_id: user.id };
  // The person's headers as for a session, with the token's expiry and app.
  return new Identity(personSubject(row, host, scopes, services.config.remoteUser), {
    sessionId: token.grant.id,
    expiresAt: token.expiresAt * 1000,
    lastSeenAt: now,
    authenticatedAt: token.grant.auth_time,
    sourceHeader: 'Remote-Client',
    source: client.id,
  });
}

async function clientIdentity(services: Services, claims: JWTPayload, host: string): Promise<Identity | null> {
  if (typeof claims.sub !== 'string' || claims.sub !== claims.client_id) return null;
  const client = await liveServiceClient(services, claims.sub);
  if (!client || !tokenHosts(client).has(host)) return null;
  // Only what the client still holds: a permission taken away since the token was issued is gone.
  const held = await servicePermissionsHeld(services, client);
  const scopes = scopesOf(claims).filter((scope) => held.includes(scope)).sort();
  const org = await findOrg(services.database.db, client.orgId);
  if (!org) return null;
  return new Identity(clientSubject({ id: client.id, name: client.name, orgId: org.id, orgName: org.display_name }, host, scopes), {
    sessionId: '',
    expiresAt: (claims.exp ?? 0) * 1000,
    lastSeenAt: (claims.iat ?? 0) * 1000,
    authenticatedAt: (claims.iat ?? 0) * 1000,
    sourceHeader: 'Remote-Client',
    source: client.id,
  });
}

/**
 * The identity behind a Bearer access token on `host`, or null: not one of our access tokens
 * (an ID token, another issuer's, tampered, expired), its grant ended, its client gone or no
 * longer allowed client credentials, or a host its app does not run on.
 */
export async function bearerIdentity(services: Services, token: string, host: string, now: number): Promise<Identity | null> {
  try {
    const claims = await verifiedAccessTokenClaims(services, token);
    return grantIdOf(claims) === undefined ? await clientIdentity(services, claims, host) : await personIdentity(services, claims, host, now);
  } catch (error) {
    if (error instanceof OAuthError) return null;
    throw error;
  }
}
