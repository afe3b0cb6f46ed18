/**
 * Discovery (`/auth/.well-known/openid-configuration`) and the JWK Set (`/auth/oidc/jwks`): public,
 * the same on every host, readable by any page (CORS `*`: they hold nothing secret, and browser-based
 * apps fetch them), and cacheable.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv, Services } from '../services.js';
import { DISCOVERY_PATH, JWKS_PATH } from './endpoints.js';
import { discoveryDocument } from './discoveryDocument.js';

/** Discovery changes only with a restart (its issuer); an hour keeps clients from asking on every sign-in. */
const DISCOVERY_CACHE = 'public, max-age=3600';
/**
 * Short, so that clients see a new key soon; a rotated-in key signs only after the rotation
 * delay (hours), so this bounds nothing that matters for an outage.
 */
const JWKS_CACHE = 'public, max-age=300';
const OPEN_CORS = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] });

/**
 * @example app.route('/', discoveryRoutes(services))
 */
export function discoveryRoutes(services: Services): Hono<AppEnv> {
  const document = JSON.stringify(discoveryDocument(services.config.issuer));
  return new Hono<AppEnv>()
    .use(DISCOVERY_PATH, OPEN_CORS)
    .use(JWKS_PATH, OPEN_CORS)
    .get(DISCOVERY_PATH, (c) => c.body(document, 200, { 'Content-Type': 'application/json', 'Cache-Control': DISCOVERY_CACHE }))
    .get(JWKS_PATH, async (c) =>
      c.body(JSON.stringify(await services.signingKeys.jwks()), 200, { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': JWKS_CACHE }));
}
