/**
 * The token endpoint's successful answer (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3): an access
 * token, an ID token, and a refresh token when the grant's scope holds `offline_access`. Both the
 * code and the refresh grant answer through here, so a refreshed ID token carries the same claims.
 */
import type { JWTPayload } from 'jose';
import type { Services } from '../services.js';
import type { OidcGrant } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { insertOidcRefreshToken } from '../db/oidcGrants.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { signAccessToken } from './accessToken.js';
import { scopeClaims } from './claims.js';
import type { AppPerson } from './appPerson.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token: string;
  refresh_token?: string;
  scope: string;
}

export interface TokenIssue {
  client: OidcClient;
  grant: OidcGrant;
  person: AppPerson;
  /** The scopes of these tokens: the grant's, or fewer when a refresh asked for fewer. */
  scopes: readonly string[];
  /** True for the code exchange: the ID token then echoes the request's nonce (a refreshed one does not, §12.2). */
  withNonce: boolean;
  now: number;
}

/** Signs the tokens and stores the refresh token's hash. */
export async function issueTokens(services: Services, issue: TokenIssue): Promise<TokenResponse> {
  const { client, grant, person, scopes, now } = issue;
  const iat = Math.floor(now / 1000);
  const idToken: JWTPayload = {
    ...scopeClaims(person, scopes),
    aud: client.id,
    azp: client.id,
    iat,
    exp: iat + client.accessTokenTtl,
    auth_time: Math.floor(grant.auth_time / 1000),
    amr: JSON.parse(grant.amr) as string[],
    acr: grant.acr,
    ...(grant.session_id === null ? {} : { sid: grant.session_id }),
    ...(issue.withNonce && grant.nonce !== null ? { nonce: grant.nonce } : {}),
  };
  const response: TokenResponse = {
    access_token: await signAccessToken(services, client, grant, scopes, now),
    token_type: 'Bearer',
    expires_in: client.accessTokenTtl,
    id_token: await services.signingKeys.sign(idToken, { alg: client.idTokenAlg, typ: 'JWT' }),
    scope: scopes.join(' '),
  };
  if (scopes.includes('offline_access') && client.grantTypes.includes('refresh_token')) {
    const refreshToken = randomSecret();
    await insertOidcRefreshToken(services.database.db, {
      token_hash: hashSecret(refreshToken),
      grant_id: grant.id,
      created_at: now,
      // Idle lifetime, but never past the grant's absolute end.
      expires_at: Math.min(now + client.refreshIdleTtl * 1000, grant.expires_at),
    });
    response.refresh_token = refreshToken;
  }
  return response;
}
