/**
 * `POST /auth/api/oidc/authorization`: what the authorization page shows. It sits under the API, so
 * the API's Origin check and JSON rules apply; it answers only on the issuer's host, where the
 * person's session for signing in to apps lives.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { AuthorizationInfo } from '../../shared/oidcAuthorize.js';
import { validate } from '../http/validate.js';
import { ApiError } from '../http/apiError.js';
import { sessionOf } from '../http/requestSession.js';
import { findUser } from '../db/people.js';
import { authorizationFlow } from './authorizationFlow.js';
import { openPageStart, sealPageStart } from './interaction.js';
import { releasedClaims } from './claims.js';

const INFO_BODY = z.object({
  query: z.string().max(16_384),
  interaction: z.string().max(4096).optional(),
});

export function authorizationApiRoutes(services: Services): Hono<AppEnv> {
  const issuerHost = new URL(services.config.issuer).hostname;
  const flow = authorizationFlow(services);
  const app = new Hono<AppEnv>();

  app.post('/authorization', validate('json', INFO_BODY), async (c) => {
    if (services.hostOf(c) !== issuerHost) throw new ApiError(404, 'Not found: apps sign in on the issuer\'s host');
    const body = c.req.valid('json');
    const params: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body.query)) if (!(name in params)) params[name] = value;
    // The page sends its own query: an OpenID Connect request, or a hosted app page's.
    const parsed = await flow.readPage(params);
    if (!parsed.ok) throw new ApiError(400, 'show' in parsed ? parsed.show : `The app's request is invalid: ${parsed.description} (${parsed.error}).`);
    const { request } = parsed;
    const now = services.now();
    // The page began when it first asked; a passkey use since then is a fresh sign-in.
    const openedSince = await openPageStart(services, body.interaction);
    const interaction = openedSince === null ? await sealPageStart(services, now) : body.interaction!;
    const session = await sessionOf(c, services);
    const { need } = await flow.need(request, session, { consentGiven: false, pageSince: openedSince ?? now });
    const user = session && (await findUser(services.database.db, session.user_id));
    const info: AuthorizationInfo = {
      clientName: request.client.name,
      claims: releasedClaims(request.scopes),
      offlineAccess: request.scopes.includes('offline_access'),
      signedIn: user ? { displayName: user.display_name } : null,
      next: need.kind === 'signIn' ? 'signIn' : need.kind === 'consent' ? 'consent' : 'continue',
      signInReason: need.kind === 'signIn' ? need.reason : null,
      loginHint: request.loginHint,
      interaction,
    };
    return c.json(info);
  });

  return app;
}
