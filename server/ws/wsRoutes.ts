/**
 * `/auth/ws/*`: the passkey ceremonies. Before upgrading, the page's `Origin` must be
 * one of the allowed origins (browsers do not stop cross-site WebSockets, so this is
 * what stops cross-site WebSocket hijacking) and the client must be within its rate.
 */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { Session } from '../db/schema.js';
import { allowedOrigin, type ParsedOrigin } from '../webauthn/origins.js';
import { sessionToken } from '../http/requestSession.js';
import { ceremonyEvents, type CeremonyObserver } from './ceremonySocket.js';
import { addressKey } from '../http/rateLimitKeys.js';
import { authenticateCeremony } from './authenticate.js';
import { registerCeremony } from './register.js';
import type { CeremonyContext } from './ceremonyContext.js';
import { refusedOriginLog } from './refusedOriginLog.js';
import type { CeremonyKind } from '../metrics/metrics.js';

const MAX_USER_AGENT = 512;

/** Ceremony routes: the page's origin, checked before the upgrade. */
type CeremonyEnv = AppEnv & { Variables: { origin: ParsedOrigin } };

export function wsRoutes(services: Services, upgradeWebSocket: UpgradeWebSocket): Hono<CeremonyEnv> {
  const app = new Hono<CeremonyEnv>();
  const noteRefusedOrigin = refusedOriginLog({ origins: services.config.origins, now: services.now, log: (line) => services.log.warn(line) });
  const { metrics, log } = services;

  /** Counts the socket in the metrics; logs a failure that was not the client's doing, with the upgrade request's id. */
  const observe = (kind: CeremonyKind, requestId: string): CeremonyObserver => ({
    opened() {
      metrics.ceremonies.started(kind);
      metrics.openWebSockets.inc();
    },
    succeeded: () => metrics.ceremonies.succeeded(kind),
    failed(reason, unexpected) {
      metrics.ceremonies.failed(kind, reason);
      if (unexpected !== undefined) log.error('passkey ceremony failed', { kind, requestId, error: unexpected });
    },
    closed: () => metrics.openWebSockets.dec(),
  });

  app.use('*', async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.json({ detail: 'This endpoint only speaks WebSocket' }, 426, { Upgrade: 'websocket' });
    const origin = allowedOrigin(c.req.header('origin'), services.config.origins);
    if (!origin) {
      noteRefusedOrigin(c.req.header('origin'));
      return c.json({ detail: 'Origin not allowed to run passkey ceremonies' }, 403);
    }
    // Proxies log URLs: a link token goes in the `start` frame, and no URL may carry one.
    if (new URL(c.req.url).search !== '') return c.json({ detail: 'Ceremony URLs take no query string: send a link token in the start frame' }, 400);
    if (!services.limits.ceremonies.take(addressKey(services.clientIp(c)), services.now())) return c.json({ detail: 'Too many passkey attempts; wait a minute' }, 429);
    c.set('origin', origin);
    return next();
  });

  /** The socket's context; the browser's session counts only if it belongs to the page's host. */
  async function contextOf(c: Context<CeremonyEnv>): Promise<CeremonyContext> {
    const { origin } = c.var;
    const token = sessionToken(c, origin.host);
    let session: Session | null = null;
    if (token) session = await services.sessions.fromToken(token, origin.host, services.now());
    return { services, origin, session, ip: services.clientIp(c), userAgent: (c.req.header('user-agent') ?? '').slice(0, MAX_USER_AGENT) };
  }

  app.get(
    '/authenticate',
    upgradeWebSocket(async (c) => {
      const ctx = await contextOf(c as Context<CeremonyEnv>);
      return ceremonyEvents(() => authenticateCeremony(ctx), observe('authenticate', c.var.requestId));
    }),
  );
  app.get(
    '/register',
    upgradeWebSocket(async (c) => {
      const ctx = await contextOf(c as Context<CeremonyEnv>);
      return ceremonyEvents(() => registerCeremony(ctx), observe('register', c.var.requestId));
    }),
  );
  return app;
}
