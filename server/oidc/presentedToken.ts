/**
 * What a token handed to the revocation or introspection endpoint stands for: one of our access
 * tokens (a JWT naming its grant) or refresh tokens (found by hash), while it still counts. A token
 * counts while its grant lives and it has not expired; a refresh token also only until it was used
 * (it rotates). Anything else is no token at all, whatever the reason, so neither endpoint tells
 * a caller why.
 */
import type { Services } from '../services.js';
import type { OidcGrant } from '../db/schema.js';
import { findOidcGrant, findOidcRefreshToken, isGrantLive } from '../db/oidcGrants.js';
import { hashSecret } from '../crypto/tokens.js';
import { verifyAccessToken } from './accessToken.js';
import { OAuthError } from './oauthError.js';

export type TokenKind = 'access_token' | 'refresh_token';

/** A token that still counts, and what it grants. */
export interface LiveToken {
  kind: TokenKind;
  grant: OidcGrant;
  scope: string;
  /** In seconds. */
  issuedAt: number;
  expiresAt: number;
}

async function liveAccessToken(services: Services, token: string, now: number): Promise<LiveToken | null> {
  try {
    const verified = await verifyAccessToken(services, token, now);
    return { kind: 'access_token', grant: verified.grant, scope: verified.scopes.join(' '), issuedAt: verified.issuedAt, expiresAt: verified.expiresAt };
  } catch (error) {
    if (error instanceof OAuthError) return null;
    throw error;
  }
}

async function liveRefreshToken(services: Services, token: string, now: number): Promise<LiveToken | null> {
  const row = await findOidcRefreshToken(services.database.db, hashSecret(token));
  if (!row || row.used_at !== null || row.expires_at <= now) return null;
  const grant = await findOidcGrant(services.database.db, row.grant_id);
  if (!grant || !isGrantLive(grant, now)) return null;
  return { kind: 'refresh_token', grant, scope: grant.scope, issuedAt: Math.floor(row.created_at / 1000), expiresAt: Math.floor(row.expires_at / 1000) };
}

/**
 * The live token `token` is, or null. `hint` (RFC 7009 §2.1 `token_type_hint`) only decides which
 * kind is looked for first; an unknown hint is ignored, as the RFC asks.
 */
export async function liveToken(services: Services, token: string, hint: string | undefined, now: number): Promise<LiveToken | null> {
  const lookups = hint === 'refresh_token' ? [liveRefreshToken, liveAccessToken] : [liveAccessToken, liveRefreshToken];
  for (const lookup of lookups) {
    const found = await lookup(services, token, now);
    if (found) return found;
  }
  return null;
}
