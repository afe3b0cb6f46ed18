/**
 * The Hono app: the API's no-store and body-size middleware, host-mode routing, assets, the
 * API's CSRF checks, then the API and WebSocket routes. docs/architecture.md walks through it.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppDeps } from './deps.js';
import { createServices, type AppEnv, type Services } from './services.js';
import { hostMode } from './hostmode/hostmode.js';
import { isResetToken } from '../shared/resetToken.js';
import { assetServer, siteMetas, viewServer } from './ui/ui.js';
import { ApiError } from './http/apiError.js';
import { sameOrigin } from './http/sameOrigin.js';
import { csrfToken } from './http/csrfToken.js';
import { jsonRequests } from './http/jsonRequests.js';
import { requestBodyLimit } from './http/requestBodyLimit.js';
import { noStore } from './http/noStore.js';
import { healthRoutes } from './api/health.js';
import { sessionRoutes } from './api/sessionRoutes.js';
import { accountRoutes } from './api/accountRoutes.js';
import { accountSettingsRoutes } from './api/accountSettingsRoutes.js';
import { connectedAppRoutes } from './api/connectedApps.js';
import { accountLinkRoutes } from './api/accountLinkRoutes.js';
import { adminRoutes } from './api/admin/adminRoutes.js';
import { WEBSOCKET_ONLY_DETAIL, ceremonyUpgrades } from './ws/ceremonyUpgrades.js';
import { discoveryRoutes } from './oidc/discoveryRoutes.js';
import { OIDC_PREFIX } from './oidc/endpoints.js';
import { oidcRoutes } from './oidc/oidcRoutes.js';
import { authorizationApiRoutes } from './oidc/authorizationApiRoutes.js';
import { backendRoutes } from './apikeys/backendRoutes.js';
import { appApiRoutes } from './appflows/appApiRoutes.js';
import { passkeyRestRoutes } from './appflows/passkeyRestRoutes.js';
import { appPageRoutes } from './appflows/appPageRoutes.js';
import { FORWARD_PATH, forwardHandler } from './forward/forward.js';
import { createForwardLog } from './forward/forwardLog.js';
import { PASSKEY_REST_PATH } from '../shared/passkeyRest.js';
import { requestId } from './http/requestId.js';
import { redactLinkTokens } from './log/redactLinkTokens.js';
import { DATABASE_UNAVAILABLE_DETAIL, isDatabaseUnavailable } from './http/databaseUnavailable.js';

export interface BuiltApp {
  app: Hono<AppEnv>;
  services: Services;
  /** WebSocket upgrades (the passkey ceremonies), answered before Hono (see server/ws/ceremonyUpgrades.ts). */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer, clientIp: string) => void;
  /** Forward auth, answered before Hono (see server/forward/forward.ts). */
  fastPath: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Refuses new ceremony sockets and starts the closing handshake of every open one with 1001. */
  closeWebSockets: () => void;
}

/** Builds the app from its dependencies; no I/O happens here. */
export function createApp(deps: AppDeps): BuiltApp {
  const services = createServices(deps);
  const app = new Hono<AppEnv>();
  const upgrades = ceremonyUpgrades(services);

  app.use(requestId(services.isTrustedProxy));
  app.use('/auth/api/*', noStore());
  app.use(requestBodyLimit());
  const serveView = viewServer(deps.spa, siteMetas(deps.config));
  app.use(hostMode({ authHost: deps.config.authHost, authHostAuthority: deps.config.authHostAuthority, issuer: deps.config.issuer, isResetToken, serveView }));
  app.get('/auth/assets/*', assetServer(deps.spa));
  // Before the API's same-origin rule: the app API reads no cookie, and apps call it from their own origins (CORS).
  app.route('/auth/api/app', appApiRoutes(services));
  app.use('/auth/api/*', sameOrigin(deps.config.origins), csrfToken(services.hostOf), jsonRequests());
  app.route(PASSKEY_REST_PATH, passkeyRestRoutes(services));
  app.route('/auth/api', healthRoutes(services));
  app.route('/auth/api', sessionRoutes(services));
  app.route('/auth/api', accountRoutes(services));
  app.route('/auth/api/user', accountSettingsRoutes(services));
  app.route('/auth/api/user/links', accountLinkRoutes(services));
  app.route('/auth/api/user/apps', connectedAppRoutes(services));
  app.route('/auth/api/admin', adminRoutes(services));
  app.route('/auth/api/oidc', authorizationApiRoutes(services));
  app.route('/auth/api/backend', backendRoutes(services));
  app.route(OIDC_PREFIX, oidcRoutes(services, serveView));
  app.route('/auth/app', appPageRoutes(services, serveView));
  // Upgrades never get here: `upgrade` answers them before Hono.
  app.all('/auth/ws/*', (c) => c.json({ detail: WEBSOCKET_ONLY_DETAIL }, 426, { Upgrade: 'websocket' }));
  app.route('/', discoveryRoutes(services));
  // GET and HEAD never get here: forward auth is answered before Hono (fastPath).
  app.all(FORWARD_PATH, (c) => c.json({ detail: 'Forward auth answers GET only' }, 405, { Allow: 'GET, HEAD' }));

  app.notFound((c) => c.json({ detail: 'Not found' }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.reauth ? { detail: error.detail, reauth: true } : { detail: error.detail }, error.status);
    // Hono's own refusals, e.g. the validator's 400 for a body that says it is JSON but is not.
    if (error instanceof HTTPException) return c.json({ detail: error.message }, error.status);
    if (isDatabaseUnavailable(error)) {
      services.log.warn(`${c.req.method} ${redactLinkTokens(c.req.path)}: the database is unavailable`, { requestId: c.var.requestId, error: (error as Error).message });
      return c.json({ detail: DATABASE_UNAVAILABLE_DETAIL }, 503, { 'Retry-After': '1' });
    }
    services.log.error(`${c.req.method} ${redactLinkTokens(c.req.path)} failed`, { requestId: c.var.requestId, error });
    return c.json({ detail: 'Internal server error' }, 500);
  });
  return {
    app,
    services,
    upgrade: upgrades.handle,
    closeWebSockets: upgrades.closeAll,
    fastPath: forwardHandler(services, deps.spa, createForwardLog(deps.config.forwardLog, undefined, deps.config.logFormat, deps.now)),
  };
}
