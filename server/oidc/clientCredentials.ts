/**
 * The client credentials grant (RFC 6749 §4.4): a confidential client signs in as itself, for jobs
 * and monitors with no person behind them. Its token is an `at+jwt` access token with `sub` = the
 * client id and `scope` = permission scopes from the client's `service_permissions` that its
 * organisation may still grant: no refresh token, no ID token. Such a token counts while the client
 * exists and may still use the grant, until its `exp`.
 */
import type { Services } from '../services.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcClient } from '../db/oidcClients.js';
import { listGrantable } from '../db/permissions.js';
import { signClientAccessToken } from './accessToken.js';
import { OAuthError } from './oauthError.js';

export const CLIENT_CREDENTIALS = 'client_credentials';

/** RFC 6749 §4.4.3: no refresh token (and, with no person, no ID token). */
export interface ClientCredentialsResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** Whether `client` may sign in as itself: confidential and allowed the grant. */
export const mayUseClientCredentials = (client: OidcClient): boolean => !client.isPublic && client.grantTypes.includes(CLIENT_CREDENTIALS);

/** The permission scopes the client holds now: its service permissions that its organisation may still grant. */
export async function servicePermissionsHeld(services: Services, client: OidcClient): Promise<string[]> {
  if (client.servicePermissions.length === 0) return [];
  const grantable = new Set((await listGrantable(services.database.db, client.orgId)).map((permission) => permission.scope));
  return client.servicePermissions.filter((scope) => grantable.has(scope)).sort();
}

/**
 * Issues a token for `requested` scopes (space-separated; all the client holds when left out).
 * @throws {OAuthError} `unauthorized_client` for a public client or one not allowed the grant, `invalid_scope` for a scope it does not hold
 */
export async function clientCredentialsToken(services: Services, client: OidcClient, requested: string | undefined, now: number): Promise<ClientCredentialsResponse> {
  if (client.isPublic) throw new OAuthError('unauthorized_client', 'a public client cannot use client_credentials: it has no secret to prove itself');
  if (!mayUseClientCredentials(client)) throw new OAuthError('unauthorized_client', `${client.name} may not use client_credentials`);
  const held = await servicePermissionsHeld(services, client);
  const scopes = requested === undefined ? held : [...new Set(requested.split(' ').filter(Boolean))];
  const extra = scopes.find((scope) => !held.includes(scope));
  if (extra !== undefined) throw new OAuthError('invalid_scope', `${client.name} does not hold ${JSON.stringify(extra)}`);
  return { access_token: await signClientAccessToken(services, client, scopes, now), token_type: 'Bearer', expires_in: client.accessTokenTtl, scope: scopes.join(' ') };
}

/**
 * The client a client-credentials token's `sub` names, while it may still use the grant; null otherwise.
 */
export async function liveServiceClient(services: Services, clientId: string): Promise<OidcClient | null> {
  const client = await findOidcClient(services.database.db, clientId);
  return client && mayUseClientCredentials(client) ? client : null;
}
