/**
 * The token endpoint (RFC 6749 §3.2, OpenID Connect Core §3.1.3): form-encoded POSTs that trade an
 * authorization code (with its PKCE verifier) or a refresh token for tokens, redeemed by the
 * grants of tokenGrants.ts for the client that authenticated, or a confidential client's own
 * credentials for a token of its own (./clientCredentials.ts).
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.js';
import { authenticateClient } from './clientAuth.js';
import { authenticatedClaimant, tokenGrants } from './tokenGrants.js';
import { NO_STORE, OAuthError, oauthErrorResponse } from './oauthError.js';
import { presentedCredentials, readForm } from './oauthForm.js';
import { allowClientOrigin } from './oidcCors.js';
import { CLIENT_CREDENTIALS, clientCredentialsToken } from './clientCredentials.js';

export function tokenRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const grants = tokenGrants(services);
  const app = new Hono<AppEnv>();

  app.post('/token', async (c) => {
    try {
      const form = await readForm(c);
      const now = services.now();
      const client = await authenticateClient(db, presentedCredentials(c, form), now);
      allowClientOrigin(c, client);
      if (!form.grant_type) throw new OAuthError('invalid_request', 'grant_type is missing');
      if (form.grant_type === CLIENT_CREDENTIALS) return c.json(await clientCredentialsToken(services, client, form.scope, now), 200, NO_STORE);
      if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') throw new OAuthError('unsupported_grant_type', `grant_type ${JSON.stringify(form.grant_type)} is not supported`);
      if (!client.grantTypes.includes(form.grant_type)) throw new OAuthError('unauthorized_client', `${client.name} may not use ${form.grant_type}`);
      const claimant = authenticatedClaimant(client);
      const granted = form.grant_type === 'authorization_code'
        ? await grants.redeemCode(claimant, { code: form.code, codeVerifier: form.code_verifier, redirectUri: form.redirect_uri }, now)
        : await grants.redeemRefreshToken(claimant, { refreshToken: form.refresh_token, scope: form.scope, ip: services.clientIp(c) }, now);
      return c.json(granted.tokens, 200, NO_STORE);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });

  return app;
}
