/**
 * The introspection endpoint (RFC 7662): an app's backend asks whether a token it was handed still
 * counts. A client sees only its own live tokens as active; an unknown, expired or revoked token and
 * another client's token all answer `{ active: false }`. Only clients that hold a secret may ask
 * (RFC 7662 §2.1 wants the caller authenticated; a public client's `client_id` proves nothing).
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { OidcClient } from '../db/oidcClients.js';
import { authenticateClient } from './clientAuth.js';
import { NO_STORE, OAuthError, oauthErrorResponse } from './oauthError.js';
import { presentedCredentials, readForm } from './oauthForm.js';
import { liveToken, type LiveToken } from './presentedToken.js';

/** RFC 7662 §2.2; `token_type` is `Bearer` for access tokens and `refresh_token` for refresh tokens. */
export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id: string; sub: string; exp: number; iat: number; token_type: 'Bearer' | 'refresh_token'; iss: string; aud: string };

/** What `viewer` may learn of `token`. Both kinds of token are for this provider, so `aud` is the issuer. */
export function introspection(token: LiveToken | null, viewer: Pick<OidcClient, 'id'>, issuer: string): Introspection {
  if (!token || token.grant.client_id !== viewer.id) return { active: false };
  return {
    active: true,
    scope: token.scope,
    client_id: token.grant.client_id,
    sub: token.grant.user_id,
    exp: token.expiresAt,
    iat: token.issuedAt,
    token_type: token.kind === 'access_token' ? 'Bearer' : 'refresh_token',
    iss: issuer,
    aud: issuer,
  };
}

export function introspectRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  app.post('/introspect', async (c) => {
    try {
      const form = await readForm(c);
      const now = services.now();
      const client = await authenticateClient(db, presentedCredentials(c, form), now);
      if (client.isPublic) throw new OAuthError('invalid_client', 'introspection is for clients that authenticate with a secret', 401);
      if (!form.token) throw new OAuthError('invalid_request', 'token is missing');
      const found = await liveToken(services, form.token, form.token_type_hint, now);
      return c.json(introspection(found, client, services.config.issuer), 200, NO_STORE);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });

  return app;
}
