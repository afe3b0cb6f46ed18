/**
 * The two grants that trade a secret for tokens: an authorization code (with its PKCE verifier)
 * and a refresh token. The token endpoint (form-encoded, client authenticated) and the app JSON
 * API (`/auth/api/app/token`, `refresh`: public clients, named by the grant) both run them, so
 * codes, rotation and reuse detection are one code path. Codes are single-use and live 60 s;
 * refresh tokens rotate on every use; a second use of either is taken as a theft: the whole
 * grant is revoked.
 */
import type { Services } from '../services.js';
import type { OidcGrant } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcGrant, isGrantLive, useOidcCode, useOidcRefreshToken } from '../db/oidcGrants.js';
import { endGrants } from '../logout/endGrants.js';
import { recordAudit } from '../db/audit.js';
import { hashSecret } from '../crypto/tokens.js';
import { verifiesChallenge } from './pkce.js';
import { appPerson, type AppPerson } from './appPerson.js';
import { issueTokens, type TokenResponse } from './issueTokens.js';
import { OAuthError } from './oauthError.js';

/**
 * Which client may redeem a grant's secret: the authenticated client at the token endpoint, or
 * the grant's own client when the secret alone names it.
 * @throws {OAuthError} `invalid_grant` when the grant is not the caller's to redeem
 */
export type GrantClaimant = (grant: OidcGrant) => Promise<OidcClient>;

/** What a grant produced: the tokens, and whom and what for. */
export interface GrantedTokens {
  tokens: TokenResponse;
  client: OidcClient;
  person: AppPerson;
  scopes: string[];
}

export interface CodeRedemption {
  code: string | undefined;
  codeVerifier: string | undefined;
  /** The redirect URI the client names; `null` where the caller sends none (the app API: PKCE binds the code). */
  redirectUri: string | undefined | null;
}

export interface RefreshRedemption {
  refreshToken: string | undefined;
  /** Fewer scopes than granted, or undefined for all of them. */
  scope: string | undefined;
  /** For the audit entry of a reused token. */
  ip: string;
}

/** Only the client that authenticated may redeem (the token endpoint). */
export function authenticatedClaimant(client: OidcClient): GrantClaimant {
  return async (grant) => {
    if (grant.client_id !== client.id) throw new OAuthError('invalid_grant', 'the grant belongs to another client');
    return client;
  };
}

export interface TokenGrants {
  /** @throws {OAuthError} `invalid_request` or `invalid_grant` */
  redeemCode(claimant: GrantClaimant, redemption: CodeRedemption, now: number): Promise<GrantedTokens>;
  /** @throws {OAuthError} `invalid_request`, `invalid_grant` or `invalid_scope` */
  redeemRefreshToken(claimant: GrantClaimant, redemption: RefreshRedemption, now: number): Promise<GrantedTokens>;
}

export function tokenGrants(services: Services): TokenGrants {
  const { db } = services.database;

  /** The person behind a grant, if they still exist and may still use the client. */
  async function personAllowed(client: OidcClient, grant: OidcGrant): Promise<AppPerson> {
    const person = await appPerson(services, grant.user_id, client);
    if (!person) throw new OAuthError('invalid_grant', 'the person this grant was for no longer exists');
    if (!person.mayUse) throw new OAuthError('invalid_grant', `the person no longer holds the permission ${client.name} requires`);
    return person;
  }

  /** The grant and the client redeeming it; the grant may be revoked or expired (the caller decides when that matters). */
  async function claimedGrant(claimant: GrantClaimant, grantId: string): Promise<{ grant: OidcGrant; client: OidcClient }> {
    const grant = await findOidcGrant(db, grantId);
    if (!grant) throw new OAuthError('invalid_grant', 'the grant was revoked or has expired');
    return { grant, client: await claimant(grant) };
  }

  function requireLive(grant: OidcGrant, now: number): void {
    if (!isGrantLive(grant, now)) throw new OAuthError('invalid_grant', 'the grant was revoked or has expired');
  }

  return {
    async redeemCode(claimant, redemption, now) {
      // The code: single use; a second use revokes what the first one produced (RFC 6749 §4.1.2).
      if (!redemption.code) throw new OAuthError('invalid_request', 'code is missing');
      const use = await useOidcCode(db, hashSecret(redemption.code), now);
      if (use.kind === 'unknown') throw new OAuthError('invalid_grant', 'unknown authorization code');
      const code = use.row;
      const { grant, client } = await claimedGrant(claimant, code.grant_id);
      requireLive(grant, now);
      if (use.kind === 'reused') {
        await endGrants(db, { grantIds: [grant.id] }, now);
        services.bearerTokens.clear();
        throw new OAuthError('invalid_grant', 'the authorization code was already used; the tokens issued for it are revoked');
      }
      if (code.expires_at <= now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
      // The redirect URI must be the one the code was sent to.
      if (redemption.redirectUri !== null && redemption.redirectUri !== code.redirect_uri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
      // PKCE: the verifier must match the challenge; a verifier for a code issued without one is refused too.
      if (code.code_challenge !== null) {
        if (!redemption.codeVerifier) throw new OAuthError('invalid_grant', 'code_verifier is missing');
        if (!verifiesChallenge(redemption.codeVerifier, code.code_challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
      } else if (redemption.codeVerifier !== undefined) {
        throw new OAuthError('invalid_grant', 'code_verifier given, but the authorization request had no code_challenge');
      }
      const person = await personAllowed(client, grant);
      const scopes = grant.scope.split(' ');
      return { tokens: await issueTokens(services, { client, grant, person, scopes, withNonce: true, now }), client, person, scopes };
    },

    async redeemRefreshToken(claimant, redemption, now) {
      if (!redemption.refreshToken) throw new OAuthError('invalid_request', 'refresh_token is missing');
      const use = await useOidcRefreshToken(db, hashSecret(redemption.refreshToken), now);
      if (use.kind === 'unknown') throw new OAuthError('invalid_grant', 'unknown refresh token');
      const { grant, client } = await claimedGrant(claimant, use.row.grant_id);
      requireLive(grant, now);
      if (use.kind === 'reused') {
        // A rotated token came back: someone holds a copy. End everything issued from this grant.
        await endGrants(db, { grantIds: [grant.id] }, now);
        services.bearerTokens.clear();
        await recordAudit(db, { action: 'oidc_refresh_reused', actorUserId: grant.user_id, orgId: client.orgId, target: client.id, ip: redemption.ip, detail: { client: client.name, grant: grant.id } }, now);
        throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this grant is revoked');
      }
      if (use.row.expires_at <= now) throw new OAuthError('invalid_grant', 'the refresh token has expired');
      // A refresh may ask for fewer scopes, never more (RFC 6749 §6).
      const granted = grant.scope.split(' ');
      const scopes = redemption.scope === undefined ? granted : redemption.scope.split(' ').filter(Boolean);
      const extra = scopes.find((scope) => !granted.includes(scope));
      if (extra !== undefined) throw new OAuthError('invalid_scope', `scope ${JSON.stringify(extra)} was not granted`);
      const person = await personAllowed(client, grant);
      return { tokens: await issueTokens(services, { client, grant, person, scopes, withNonce: false, now }), client, person, scopes };
    },
  };
}
