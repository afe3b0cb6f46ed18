/**
 * Access tokens: JWTs as RFC 9068 describes them (`typ: at+jwt`), for our own endpoints and forward
 * auth. A person's token names its grant, and is honoured only while that grant lives: revoking the
 * grant (refresh-token reuse, a second use of a code, sign-out) ends it before its `exp`. A
 * client-credentials token names no grant: its `sub` is the client.
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
export function signAccessToken(services: Services, client: OidcClient, grant: OidcGrant, scopes: readonly string[], now: number): Promise<string> {
  return signFor(services, client, grant.user_id, scopes, now, { [GRANT_CLAIM]: grant.id });
}

/**
 * Signs a client-credentials access token: the client acting as itself, so `sub` is its
 * `client_id` and no grant stands behind it (RFC 9068 §2.2). It counts while the client exists and
 * may still use `client_credentials` (server/oidc/clientCredentials.ts).
 */
export function signClientAccessToken(services: Services, client: OidcClient, scopes: readonly string[], now: number): Promise<string> {
  return signFor(services, client, client.id, scopes, now);
}

/** The RFC 9068 token both kinds are: for `sub`, issued to `client`, lasting the client's access-token lifetime. */
function signFor(services: Services, client: OidcClient, sub: string, scopes: readonly string[], now: number, extra: JWTPayload = {}): Promise<string> {
  const iat = Math.floor(now / 1000);
  const payload: JWTPayload = {
    sub,
    // The audience is this provider: the only resource server its access tokens are for.
    aud: services.config.issuer,
    client_id: client.id,
    iat,
    exp: iat + client.accessTokenTtl,
    jti: uuidv7(),
    scope: scopes.join(' '),
    ...extra,
  };
  return services.signingKeys.sign(payload, { alg: 'RS256', typ: ACCESS_TOKEN_TYP });
}

/** The claims of a well-signed access token of ours (signature, `typ`, issuer, audience, expiry), nothing more. @throws {OAuthError} `invalid_token` */
export async function verifiedAccessTokenClaims(services: Services, token: string): Promise<JWTPayload> {
  try {
    return await services.signingKeys.verify(token, { typ: ACCESS_TOKEN_TYP, audience: services.config.issuer });
  } catch {
    throw new OAuthError('invalid_token', 'the access token is malformed, forged or expired', 401);
  }
}

/** The grant an access token's claims name, or undefined for a client-credentials token (it names none). */
export const grantIdOf = (payload: JWTPayload): string | undefined => (typeof payload[GRANT_CLAIM] === 'string' ? payload[GRANT_CLAIM] : undefined);

/** The scopes an access token's claims carry. */
export const scopesOf = (payload: JWTPayload): string[] => (typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []);

/**
 * Verifies an access token (signature, `typ`, issuer, audience, expiry) and that its grant lives.
 * @throws {OAuthError} `invalid_token`
 */
export async function verifyAccessToken(services: Services, token: string, now: number): Promise<VerifiedAccessToken> {
  return personAccessToken(services, await verifiedAccessTokenClaims(services, token), now);
}

/**
 * The person's token these verified claims are, while its grant lives (a client-credentials token is none).
 * @throws {OAuthError} `invalid_token`
 */
export async function personAccessToken(services: Services, payload: JWTPayload, now: number): Promise<VerifiedAccessToken> {
  const grantId = grantIdOf(payload);
  const grant = grantId === undefined ? undefined : await findOidcGrant(services.database.db, grantId);
  if (!grant || !isGrantLive(grant, now) || grant.user_id !== payload.sub) {
    throw new OAuthError('invalid_token', 'the access token was revoked', 401);
  }
  return { grant, clientId: grant.client_id, scopes: scopesOf(payload), issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
}
