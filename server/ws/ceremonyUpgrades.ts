/**
 * `/auth/ws/authenticate` and `/auth/ws/register`: the passkey ceremonies' WebSocket upgrades,
 * answered straight from node:http's `upgrade` event with `ws`, before Hono, as forward auth is
 * (server/forward/forward.ts): a Web Request, the middleware chain and DOM events per frame cost
 * a tenth of a sign-in. The checks, in order, each refusal a JSON answer with `X-Request-Id`:
 * 1. host mode (server/hostmode: `/auth/ws/` is 404 off the auth host), then the path: only these
 *    two, taken as sent (no percent-decoding), by GET (404, 405) with `Upgrade: websocket` (426);
 * 2. the page's `Origin` is an allowed one (403): browsers do not stop cross-site WebSockets, so
 *    this is what stops cross-site WebSocket hijacking;
 * 3. no query string (400): proxies log URLs, and a link token goes in the `start` frame;
 * 4. the client's address is within its rate (429).
 * Then the browser's session for the origin's host is looked up, and the socket opens.
 * A plain GET (no Upgrade) never comes here: Hono answers it 426 (app.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import type { Services } from '../services.js';
import type { Session } from '../db/schema.js';
import type { CeremonyKind } from '../metrics/metrics.js';
import { allowedOrigin } from '../webauthn/origins.js';
import { decideHostRoute, hostKindOf, REFUSED_HEADER, RESTRICTED_DETAIL } from '../hostmode/hostmode.js';
import { isResetToken } from '../../shared/resetToken.js';
import { hostWithoutPort } from '../../shared/host.js';
import { CLOSE, WS_PATHS } from '../../shared/ws.js';
import { originForm } from '../forward/forward.js';
import { readSessionToken } from '../sessions/cookie.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../http/requestId.js';
import { addressKey } from '../http/rateLimitKeys.js';
import { DATABASE_UNAVAILABLE_DETAIL, isDatabaseUnavailable } from '../http/databaseUnavailable.js';
import { ceremonyEvents, type Ceremony, type CeremonyObserver } from './ceremonySocket.js';
import type { CeremonyContext } from './ceremonyContext.js';
import { authenticateCeremony } from './authenticate.js';
import { registerCeremony } from './register.js';
import { refusedOriginLog } from './refusedOriginLog.js';
import { refuseUpgrade } from './refuseUpgrade.js';

/** Frames larger than this are refused with close code 1009 (ceremony messages are a few KiB). */
const MAX_FRAME_BYTES = 64 * 1024;
const MAX_USER_AGENT = 512;
const SHUTTING_DOWN_REASON = 'server shutting down';
const SHUTTING_DOWN_DETAIL = 'The server is shutting down; try again';
/** The answer to anything but a WebSocket upgrade on a ceremony path (426, here and in app.ts). */
export const WEBSOCKET_ONLY_DETAIL = 'This endpoint only speaks WebSocket';

/** The ceremony behind each path. */
const CEREMONIES = new Map<string, { kind: CeremonyKind; ceremony: (ctx: CeremonyContext) => Ceremony }>([
  [WS_PATHS.authenticate, { kind: 'authenticate', ceremony: authenticateCeremony }],
  [WS_PATHS.register, { kind: 'register', ceremony: registerCeremony }],
]);

export interface CeremonyUpgrades {
  /** Answers one `upgrade` event, whatever its path: a refusal, or a ceremony socket. `ip` is the client's address as `clientIpResolver` names it. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string): void;
  /** Refuses new upgrades (503) from now on, and starts the closing handshake of every open ceremony socket with {@link CLOSE.shuttingDown}. */
  closeAll(): void;
}

/**
 * @param services what the checks and the ceremonies use: config (origins, auth host, issuer), limits, sessions, log, metrics
 * @example const upgrades = ceremonyUpgrades(services); await startServer({ ...options, upgrade: upgrades.handle })
 */
export function ceremonyUpgrades(services: Services): CeremonyUpgrades {
  const { config, metrics, log } = services;
  const authHost = config.authHost?.toLowerCase() ?? null;
  const issuerHost = new URL(config.issuer).hostname;
  const noteRefusedOrigin = refusedOriginLog({ origins: config.origins, now: services.now, log: (line) => log.warn(line) });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  // The handshake checks ws makes itself (Sec-WebSocket-Key, -Version, -Protocol) answer in JSON too.
  wss.on('wsClientError', (error, socket) => refuseUpgrade(socket, 400, `Not a WebSocket handshake: ${error.message}`, ['Sec-WebSocket-Version', '13']));
  let closing = false;

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

  function handle(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string): void {
    const { headers } = req;
    const offeredId = headers['x-request-id'];
    const requestId = requestIdFor(typeof offeredId === 'string' && services.isTrustedProxy(req.socket.remoteAddress) ? offeredId : undefined);
    const refuse = (status: number, detail: string, more: readonly string[] = []) => refuseUpgrade(socket, status, detail, [REQUEST_ID_HEADER, requestId, ...more]);
    if (closing) return refuse(503, SHUTTING_DOWN_DETAIL, ['Retry-After', '1']);

    const target = originForm(req.url ?? '/');
    const queryStart = target.indexOf('?');
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const host = hostWithoutPort(headers.host ?? '');
    const decision = decideHostRoute(hostKindOf(authHost, host), path, isResetToken, host === issuerHost);
    if (decision.kind === 'notFound') {
      return decision.reason === 'restricted' ? refuse(404, RESTRICTED_DETAIL, [REFUSED_HEADER, 'restricted']) : refuse(404, 'Not found', [REFUSED_HEADER, 'unknown-path']);
    }
    const route = CEREMONIES.get(path);
    if (!route) return refuse(404, 'Not found');
    if (req.method !== 'GET') return refuse(405, 'A ceremony socket opens with GET', ['Allow', 'GET']);
    if (headers.upgrade?.toLowerCase() !== 'websocket') return refuse(426, WEBSOCKET_ONLY_DETAIL, ['Upgrade', 'websocket']);

    const origin = allowedOrigin(headers.origin, config.origins);
    if (!origin) {
      noteRefusedOrigin(headers.origin);
      return refuse(403, 'Origin not allowed to run passkey ceremonies');
    }
    // Proxies log URLs: a link token goes in the `start` frame, and no URL may carry one.
    if (queryStart !== -1) return refuse(400, 'Ceremony URLs take no query string: send a link token in the start frame');
    if (!services.limits.ceremonies.take(addressKey(ip), services.now())) return refuse(429, 'Too many passkey attempts; wait a minute');

    // The browser's session counts only if it belongs to the page's host.
    const context = (session: Session | null): CeremonyContext => ({ services, origin, session, ip, userAgent: (headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT) });
    const open = (ctx: CeremonyContext) => {
      // Shutting down began while the session was looked up: this socket would outlive the close.
      if (closing) return refuse(503, SHUTTING_DOWN_DETAIL, ['Retry-After', '1']);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const events = ceremonyEvents(() => route.ceremony(ctx), observe(route.kind, requestId));
        ws.on('message', (data: RawData, isBinary: boolean) => events.onMessage(isBinary ? (data as Buffer) : data.toString()));
        // ws reports a bad frame (too big, malformed) here, then closes with its code (1009, 1002…).
        ws.on('error', events.onError);
        ws.on('close', events.onClose);
        events.onOpen({
          send: (text) => ws.send(text),
          // The last message and the close frame leave in one write (one syscall, not two): ws writes both to this socket.
          end(text, code, reason) {
            socket.cork();
            ws.send(text);
            ws.close(code, reason);
            socket.uncork();
          },
        });
      });
    };
    const token = readSessionToken(headers.cookie, origin.host);
    if (token === null) return open(context(null));
    services.sessions.fromToken(token, origin.host, services.now()).then(
      (session) => open(context(session)),
      (error: unknown) => {
        if (isDatabaseUnavailable(error)) {
          log.warn(`GET ${path}: the database is unavailable`, { requestId, error: (error as Error).message });
          return refuse(503, DATABASE_UNAVAILABLE_DETAIL, ['Retry-After', '1']);
        }
        log.error(`GET ${path} failed`, { requestId, error });
        refuse(500, 'Internal server error');
      },
    );
  }

  return {
    handle,
    closeAll() {
      closing = true;
      for (const ws of wss.clients) ws.close(CLOSE.shuttingDown, SHUTTING_DOWN_REASON);
    },
  };
}
