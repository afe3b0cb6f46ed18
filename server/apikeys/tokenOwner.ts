/**
 * Whose token a backend holds: a session token (the cookie's value) or one of our OIDC access
 * tokens, with the person's organisation, role and permissions. A session counts by the same
 * liveness rule as forward auth (through the identity cache); an access token while its grant lives.
 */
import type { Services } from '../services.js';
import type { User } from '../db/schema.js';
import { findUser } from '../db/people.js';
import { findOidcClient } from '../db/oidcClients.js';
import { hasLapsed } from '../sessions/liveness.js';
import { verifyAccessToken } from '../oidc/accessToken.js';
import { OAuthError } from '../oidc/oauthError.js';
import { clientHost } from '../oidc/appPerson.js';

/** The live token's person and what it says about them. */
export interface TokenOwner {
  kind: 'session' | 'access_token';
  user: User;
  /** The session's host, or the access token's app's host: where `permissions` hold. */
  host: string;
  permissions: readonly string[];
  /** Ms. */
  expiresAt: number;
  clientId?: string;
  scope?: string;
}

/** Access tokens are JWTs (three dot-separated parts); session tokens never hold a dot. */
const looksLikeJwt = (token: string) => token.includes('.');

async function sessionOwner(services: Services, token: string, now: number): Promise<TokenOwner | null> {
  const identity = await services.identities.get(token);
  if (!identity || hasLapsed(identity.expiresAt, now)) return null;
  const user = await findUser(services.database.db, identity.userId);
  return user ? { kind: 'session', user, host: identity.host, permissions: identity.scopes, expiresAt: identity.expiresAt } : null;
}

async function accessTokenOwner(services: Services, token: string, now: number): Promise<TokenOwner | null> {
  let verified;
  try {
    verified = await verifyAccessToken(services, token, now);
  } catch (error) {
    if (error instanceof OAuthError) return null;
    throw error;
  }
  const { db } = services.database;
  const [user, client] = await Promise.all([findUser(db, verified.grant.user_id), findOidcClient(db, verified.clientId)]);
  if (!user || !client) return null;
  const host = clientHost(client);
  return {
    kind: 'access_token',
    user,
    host,
    permissions: await services.identityQueries.effectiveScopes(user.org_id, user.role_id, host),
    expiresAt: verified.expiresAt * 1000,
    clientId: client.id,
    scope: verified.scopes.join(' '),
  };
}

/** The live token's owner, or null for anything that is not a live session or access token. */
export function tokenOwner(services: Services, token: string, now: number): Promise<TokenOwner | null> {
  return looksLikeJwt(token) ? accessTokenOwner(services, token, now) : sessionOwner(services, token, now);
}
