/**
 * Access tokens: JWTs as RFC 9068 describes them (`typ: at+jwt`), for our own endpoints (userinfo
 * today). A token names its grant, and is honoured only while that grant lives: revoking the grant
 * (refresh-token reuse, a second use of a code, sign-out) ends it before its `exp`.
 */
import type { JWTPayload } from 'jose';
import { uuidv7 } from 'uuidv7';
import type { Services } from '../services.js';
import type { OidcGrant } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcGrant, isGrantLive } from '../db/oidcGrants.js';
import { OAuthError } from './oauthError.js';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** The private claim naming the grant a token was issued from. */
const GRANT_CLAIM = 'grant_id';

/** What an access token says, once verified. */
export interface VerifiedAccessToken {
  grant: OidcGrant;
  clientId: string;
  scopes: string[];
  /** `iat` and `exp`, in seconds. */
  issuedAt: number;
  expiresAt: number;
}

/** Signs an access token for `scopes` of `grant`; it expires after the client's access-token lifetime. */
export async function signAccessToken(services: Services, client: OidcClient, grant: OidcGrant, scopes: readonly string[], now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  const payload: JWTPayload = {
    sub: grant.user_id,
    // The audience is this provider: the only resource server its access tokens are for.
    aud: services.config.issuer,
    client_id: client.id,
    iat,
    exp: iat + client.accessTokenTtl,
    jti: uuidv7(),
    scope: scopes.join(' '),
    [GRANT_CLAIM]: grant.id,
  };
  return services.signingKeys.sign(payload, { alg: 'RS256', typ: ACCESS_TOKEN_TYP });
}

/**
 * Verifies an access token (signature, `typ`, issuer, audience, expiry) and that its grant lives.
 * @throws {OAuthError} `invalid_token`
 */
export async function verifyAccessToken(services: Services, token: string, now: number): Promise<VerifiedAccessToken> {
  let payload: JWTPayload;
  try {
    payload = await services.signingKeys.verify(token, { typ: ACCESS_TOKEN_TYP, audience: services.config.issuer });
  } catch {
    throw new OAuthError('invalid_token', 'the access token is malformed, forged or expired', 401);
  }
  const grantId = payload[GRANT_CLAIM];
  const grant = typeof grantId === 'string' ? await findOidcGrant(services.database.db, grantId) : undefined;
  if (!grant || !isGrantLive(grant, now) || grant.user_id !== payload.sub) {
    throw new OAuthError('invalid_token', 'the access token was revoked', 401);
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return { grant, clientId: grant.client_id, scopes, issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
}
