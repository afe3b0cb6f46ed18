/**
 * The OpenID provider's own endpoints under `/auth/oidc` (discovery and JWKS are the signing-keys
 * module's): authorize and its decision, token, userinfo, revocation, introspection and end-session. Token,
 * userinfo and revocation are called across origins by design, so they answer CORS preflights for
 * registered redirect origins; introspection is for backends only.
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { ViewServer } from '../ui/ui.js';
import { authorizeRoutes } from './authorizeRoutes.js';
import { tokenRoutes } from './tokenRoutes.js';
import { userinfoRoutes } from './userinfoRoutes.js';
import { revokeRoutes } from './revokeRoutes.js';
import { introspectRoutes } from './introspectRoutes.js';
import { endSessionRoutes } from './endSessionRoutes.js';
import { oidcPreflight } from './oidcCors.js';

/** @example app.route('/auth/oidc', oidcRoutes(services, serveView)) */
export function oidcRoutes(services: Services, serveView: ViewServer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/token', oidcPreflight(services, 'POST'));
  app.use('/userinfo', oidcPreflight(services, 'GET, POST'));
  app.use('/revoke', oidcPreflight(services, 'POST'));
  app.route('/', authorizeRoutes(services, serveView));
  app.route('/', tokenRoutes(services));
  app.route('/', userinfoRoutes(services));
  app.route('/', revokeRoutes(services));
  app.route('/', introspectRoutes(services));
  app.route('/', endSessionRoutes(services, serveView));
  return app;
}
