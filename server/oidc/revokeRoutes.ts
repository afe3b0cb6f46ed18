/**
 * The revocation endpoint (RFC 7009): a client hands back an access or refresh token it no longer
 * needs, and the grant behind it ends (every token issued from it, as sign-out would). Client
 * authentication is the token endpoint's. Unknown tokens and other clients' tokens get the same
 * 200 as a revoked one, so the answer tells nothing; another client's token stays valid.
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.js';
import { endGrants } from '../logout/endGrants.js';
import { authenticateClient } from './clientAuth.js';
import { NO_STORE, OAuthError, oauthErrorResponse } from './oauthError.js';
import { presentedCredentials, readForm } from './oauthForm.js';
import { allowClientOrigin } from './oidcCors.js';
import { liveToken } from './presentedToken.js';

export function revokeRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  app.post('/revoke', async (c) => {
    try {
      const form = await readForm(c);
      const now = services.now();
      const client = await authenticateClient(db, presentedCredentials(c, form), now);
      allowClientOrigin(c, client);
      if (!form.token) throw new OAuthError('invalid_request', 'token is missing');
      const found = await liveToken(services, form.token, form.token_type_hint, now);
      if (found && found.grant.client_id === client.id) {
        await endGrants(db, { grantIds: [found.grant.id] }, now);
        services.bearerTokens.clear();
      }
      return c.body(null, 200, NO_STORE);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });

  return app;
}
