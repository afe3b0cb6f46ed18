/**
 * The token endpoint (RFC 6749 §3.2, OpenID Connect Core §3.1.3): form-encoded POSTs that trade an
 * authorization code (with its PKCE verifier) or a refresh token for tokens. Codes are single-use
 * and live 60 s; refresh tokens rotate on every use. A second use of either is taken as a theft:
 * the whole grant is revoked.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { OidcGrant } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcGrant, isGrantLive, revokeOidcGrant, useOidcCode, useOidcRefreshToken } from '../db/oidcGrants.js';
import { recordAudit } from '../db/audit.js';
import { hashSecret } from '../crypto/tokens.js';
import { authenticateClient } from './clientAuth.js';
import { verifiesChallenge } from './pkce.js';
import { appPerson, type AppPerson } from './appPerson.js';
import { issueTokens, type TokenResponse } from './issueTokens.js';
import { NO_STORE, OAuthError, oauthErrorResponse } from './oauthError.js';
import { presentedCredentials, readForm } from './oauthForm.js';
import { allowClientOrigin } from './oidcCors.js';

export function tokenRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  /** The person behind a grant, if they still exist and may still use the client. */
  async function personAllowed(client: OidcClient, grant: OidcGrant): Promise<AppPerson> {
    const person = await appPerson(services, grant.user_id, client);
    if (!person) throw new OAuthError('invalid_grant', 'the person this grant was for no longer exists');
    if (!person.mayUse) throw new OAuthError('invalid_grant', `the person no longer holds the permission ${client.name} requires`);
    return person;
  }

  /** A live grant of this client, or invalid_grant. */
  async function liveGrantOf(client: OidcClient, grantId: string, now: number): Promise<OidcGrant> {
    const grant = await findOidcGrant(db, grantId);
    if (!grant || grant.client_id !== client.id) throw new OAuthError('invalid_grant', 'the grant belongs to another client');
    if (!isGrantLive(grant, now)) throw new OAuthError('invalid_grant', 'the grant was revoked or has expired');
    return grant;
  }

  async function exchangeCode(client: OidcClient, form: Record<string, string>, now: number): Promise<TokenResponse> {
    // The code: single use; a second use revokes what the first one produced (RFC 6749 §4.1.2).
    if (!form.code) throw new OAuthError('invalid_request', 'code is missing');
    const use = await useOidcCode(db, hashSecret(form.code), now);
    if (use.kind === 'unknown') throw new OAuthError('invalid_grant', 'unknown authorization code');
    const code = use.row;
    const grant = await liveGrantOf(client, code.grant_id, now);
    if (use.kind === 'reused') {
      await revokeOidcGrant(db, grant.id, now);
      throw new OAuthError('invalid_grant', 'the authorization code was already used; the tokens issued for it are revoked');
    }
    if (code.expires_at <= now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
    // The redirect URI must be the one the code was sent to.
    if (form.redirect_uri !== code.redirect_uri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
    // PKCE: the verifier must match the challenge; a verifier for a code issued without one is refused too.
    if (code.code_challenge !== null) {
      if (!form.code_verifier) throw new OAuthError('invalid_grant', 'code_verifier is missing');
      if (!verifiesChallenge(form.code_verifier, code.code_challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    } else if (form.code_verifier !== undefined) {
      throw new OAuthError('invalid_grant', 'code_verifier given, but the authorization request had no code_challenge');
    }
    const person = await personAllowed(client, grant);
    return issueTokens(services, { client, grant, person, scopes: grant.scope.split(' '), withNonce: true, now });
  }

  async function refresh(c: Context<AppEnv>, client: OidcClient, form: Record<string, string>, now: number): Promise<TokenResponse> {
    if (!form.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is missing');
    const use = await useOidcRefreshToken(db, hashSecret(form.refresh_token), now);
    if (use.kind === 'unknown') throw new OAuthError('invalid_grant', 'unknown refresh token');
    const grant = await liveGrantOf(client, use.row.grant_id, now);
    if (use.kind === 'reused') {
      // A rotated token came back: someone holds a copy. End everything issued from this grant.
      await revokeOidcGrant(db, grant.id, now);
      await recordAudit(db, { action: 'oidc_refresh_reused', actorUserId: grant.user_id, orgId: client.orgId, target: client.id, ip: services.clientIp(c), detail: { client: client.name, grant: grant.id } }, now);
      throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this grant is revoked');
    }
    if (use.row.expires_at <= now) throw new OAuthError('invalid_grant', 'the refresh token has expired');
    // A refresh may ask for fewer scopes, never more (RFC 6749 §6).
    const granted = grant.scope.split(' ');
    const scopes = form.scope === undefined ? granted : form.scope.split(' ').filter(Boolean);
    const extra = scopes.find((scope) => !granted.includes(scope));
    if (extra !== undefined) throw new OAuthError('invalid_scope', `scope ${JSON.stringify(extra)} was not granted`);
    const person = await personAllowed(client, grant);
    return issueTokens(services, { client, grant, person, scopes, withNonce: false, now });
  }

  app.post('/token', async (c) => {
    try {
      const form = await readForm(c);
      const now = services.now();
      const client = await authenticateClient(db, presentedCredentials(c, form), now);
      allowClientOrigin(c, client);
      if (!form.grant_type) throw new OAuthError('invalid_request', 'grant_type is missing');
      if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') throw new OAuthError('unsupported_grant_type', `grant_type ${JSON.stringify(form.grant_type)} is not supported`);
      if (!client.grantTypes.includes(form.grant_type)) throw new OAuthError('unauthorized_client', `${client.name} may not use ${form.grant_type}`);
      const tokens = form.grant_type === 'authorization_code' ? await exchangeCode(client, form, now) : await refresh(c, client, form, now);
      return c.json(tokens, 200, NO_STORE);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });

  return app;
}
