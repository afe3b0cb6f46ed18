/**
 * CORS for the token and userinfo endpoints: a browser app (a single-page app with PKCE) may call
 * them from the origin of one of its registered redirect URIs, and from nowhere else. The answer
 * names the one origin, never `*`; a preflight is allowed when some client registered that origin,
 * and the real response only when the very client the request is for did.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Services } from '../services.js';
import { listAllRedirectUris, type OidcClient } from '../db/oidcClients.js';
import { redirectOrigins } from './redirectUri.js';

const PREFLIGHT_MAX_AGE_S = '600';

/** Marks the response readable by the request's origin when it is one of `client`'s redirect URI origins. */
export function allowClientOrigin(c: Context, client: Pick<OidcClient, 'redirectUris'>): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && redirectOrigins(client.redirectUris).has(origin)) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  }
}

/**
 * Answers CORS preflights (`OPTIONS`) for origins some client registered; others get no CORS
 * headers, so the browser stops there.
 * @example app.use('/token', oidcPreflight(services, 'POST'))
 */
export const oidcPreflight = (services: Services, methods: string): MiddlewareHandler =>
  async function oidcPreflightMiddleware(c, next) {
    if (c.req.method !== 'OPTIONS') return next();
    const origin = c.req.header('origin');
    if (origin === undefined || !redirectOrigins(await listAllRedirectUris(services.database.db)).has(origin)) return c.body(null, 204, { Vary: 'Origin' });
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, DPoP',
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_S,
      Vary: 'Origin',
    });
  };
