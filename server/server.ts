/**
 * Starts the HTTP server for an app: node:http with Hono's adaptor and
 * WebSocket upgrades, behind connection caps and short timeouts. Returns once listening.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './services.js';
import type { ConnectionLimits, Listen } from './config.js';
import type { UntrustedProxyWatch } from './http/untrustedProxyWatch.js';
import { clientIpResolver, trustedProxyCheck } from './http/clientIp.js';
import { connectionGuard, type Refusal } from './http/connectionGuard.js';
import { refuseUpgrade } from './ws/refuseUpgrade.js';

export interface RunningServer {
  server: Server;
  /** `http://host:port` for TCP (the real port when 0 was asked), or `unix:/path`. */
  address: string;
  /** Closes every connection at once (tests). */
  close(): Promise<void>;
  /**
   * Stops accepting connections, closes idle ones, lets requests in flight finish and
   * WebSockets end their closing handshake; after `graceMs` cuts whatever is still open.
   * Resolves with how many connections had to be cut (0 = a clean drain).
   */
  drain(graceMs: number): Promise<number>;
}

/** How long a client may take; a slow or silent client must not hold a connection. */
export interface Timeouts {
  /** Silence allowed before and within a request, and the time to send its headers (slow or silent clients). */
  headersMs: number;
  /** For a whole request, body included (bodies here are a few KiB). */
  requestMs: number;
  /**
   * Idle time between requests on a kept-alive connection: longer than the 60 s proxies
   * commonly keep idle upstream connections, so the proxy closes first and never sends
   * on a connection we are closing.
   */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000 };

export interface StartOptions {
  app: Hono<AppEnv>;
  listen: Listen;
  /** Answers WebSocket upgrades the connection guard admitted, with the client's address (see `clientIpResolver`); without it every upgrade gets 404. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer, clientIp: string) => void;
  /** Answers some requests before Hono sees them (the forward-auth hot path); returns false to pass. Reads `rawHeaders`, not `headers`. */
  fastPath?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Shown every request (forward auth included) to notice a proxy that is not trusted. */
  untrustedProxies?: UntrustedProxyWatch;
  connectionLimits: ConnectionLimits;
  /** `--trusted-proxy` entries: exempt from the connection caps; their `X-Forwarded-For` names WebSocket clients. */
  trustedProxies: readonly string[];
  timeouts?: Timeouts;
}

/**
 * While draining, how often connections that finished their request are closed: Node keeps a
 * connection whose response was sent after `close()` alive, and tells no one when it goes idle.
 */
const DRAIN_POLL_MS = 50;

/** Answers to refused WebSocket upgrades: every slot taken (503), or this client's (429). */
const WEBSOCKET_REFUSAL: Record<Refusal, { status: number; detail: string }> = {
  full: { status: 503, detail: 'Too many open WebSockets; try again shortly' },
  client: { status: 429, detail: 'Too many open WebSockets from this client' },
};

/** Listens on `options.listen`. @throws when the address cannot be bound (in use, no permission). */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const honoListener = getRequestListener(options.app.fetch);
  const { fastPath, untrustedProxies } = options;
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const guard = connectionGuard(options.connectionLimits, trustedProxyCheck(options.trustedProxies));
  const resolveClientIp = clientIpResolver(options.trustedProxies);
  let draining = false;
  const server = createServer(
    // Node checks the header and request timeouts on this interval: make it fine enough for them.
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs / 2) },
    (req, res) => {
      untrustedProxies?.observe(req.socket.remoteAddress, req.rawHeaders);
      // Answers `Connection: close`, so that the client does not send another request on it.
      if (draining) res.shouldKeepAlive = false;
      if (fastPath?.(req, res)) return;
      lowerCaseHost(req);
      void honoListener(req, res);
    },
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // The header timeout starts with the first byte: a connection that stays silent is closed by this one.
  server.timeout = timeouts.headersMs;
  server.on('connection', (socket: Socket) => {
    const release = guard.admitConnection(socket.remoteAddress);
    if (release) socket.once('close', release);
    else socket.destroy();
  });

  // The app sees an upgrade only once the guard admitted it, so a refused one costs no rate-limit budget.
  /** Upgraded sockets, cut after the shutdown grace period: `closeAllConnections()` does not reach them. */
  const webSockets = new Set<Duplex>();
  const upgrade = options.upgrade ?? ((_req: IncomingMessage, socket: Duplex) => refuseUpgrade(socket, 404, 'Not found'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // node:http hands the socket over without its error listener: a client that resets it before
    // the upgrade is answered (or during a refusal) must not take the process down.
    socket.on('error', ignoreSocketError);
    untrustedProxies?.observe(req.socket.remoteAddress, req.rawHeaders);
    const forwardedFor = req.headers['x-forwarded-for'];
    // Named once and handed on: behind a proxy each new client costs a BlockList check (a SocketAddress).
    const clientIp = resolveClientIp(req.socket.remoteAddress, typeof forwardedFor === 'string' ? forwardedFor : undefined);
    const slot = guard.admitWebSocket(clientIp);
    if (typeof slot !== 'function') return refuseUpgrade(socket, WEBSOCKET_REFUSAL[slot].status, WEBSOCKET_REFUSAL[slot].detail);
    webSockets.add(socket);
    socket.once('close', () => {
      webSockets.delete(socket);
      slot();
    });
    lowerCaseHost(req);
    upgrade(req, socket, head, clientIp);
  });

  await listenOn(server, options.listen);
  const drain = (graceMs: number) => {
    draining = true;
    return drainServer(server, webSockets, graceMs);
  };
  return { server, address: describeAddress(server), close: () => closeServer(server), drain };
}

/** Host names are case-insensitive; the adaptor refuses a Host header that URL parsing changes, so lower-case it first. */
function lowerCaseHost(req: IncomingMessage): void {
  const host = req.headers.host;
  if (host !== undefined) req.headers.host = host.toLowerCase();
}

/** The socket is destroyed with its error; nothing is left to do. */
function ignoreSocketError(): void {}

/** Starts `server` listening on `listen`. @throws when the address cannot be bound (in use, no permission). */
export function listenOn(server: Server, listen: Listen): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const onListening = () => {
      server.off('error', reject);
      resolve();
    };
    if (listen.kind === 'unix') server.listen(listen.path, onListening);
    else server.listen(listen.port, listen.host, onListening);
  });
}

/** `http://host:port` (the real port when 0 was asked), or `unix:/path`. */
export function describeAddress(server: Server): string {
  const address = server.address();
  if (typeof address === 'string') return `unix:${address}`;
  const { address: host, port } = address as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

async function drainServer(server: Server, webSockets: Set<Duplex>, graceMs: number): Promise<number> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const poll = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(resolve, graceMs, false)))]);
  clearInterval(poll);
  clearTimeout(timer);
  if (drained) return 0;
  const remaining = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));
  server.closeAllConnections();
  for (const socket of webSockets) socket.destroy();
  await closed;
  return remaining;
}

/** Stops listening and closes every connection, idle keep-alive ones included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
