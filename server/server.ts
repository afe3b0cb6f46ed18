/**
 * Starts the HTTP server for an app: node:http with Hono's adaptor and
 * WebSocket upgrades. Returns once listening.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './services.js';
import type { Listen } from './config.js';
import type { UntrustedProxyWatch } from './http/untrustedProxyWatch.js';

export interface RunningServer {
  server: Server;
  /** `http://host:port` for TCP (the real port when 0 was asked), or `unix:/path`. */
  address: string;
  close(): Promise<void>;
}

export interface StartOptions {
  app: Hono<AppEnv>;
  listen: Listen;
  /** Attaches WebSocket upgrade handling to the server. */
  injectWebSocket?: (server: Server) => void;
  /** Answers some requests before Hono sees them (the forward-auth hot path); returns false to pass. Reads `rawHeaders`, not `headers`. */
  fastPath?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Shown every request (forward auth included) to notice a proxy that is not trusted. */
  untrustedProxies?: UntrustedProxyWatch;
}

/** Listens on `options.listen`. @throws when the address cannot be bound (in use, no permission). */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const honoListener = getRequestListener(options.app.fetch);
  const { fastPath, untrustedProxies } = options;
  const server = createServer((req, res) => {
    untrustedProxies?.observe(req.socket.remoteAddress, req.rawHeaders);
    if (fastPath?.(req, res)) return;
    lowerCaseHost(req);
    void honoListener(req, res);
  });
  server.on('upgrade', (req: IncomingMessage) => {
    untrustedProxies?.observe(req.socket.remoteAddress, req.rawHeaders);
    lowerCaseHost(req);
  });
  server.keepAliveTimeout = 65_000;
  options.injectWebSocket?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const onListening = () => {
      server.off('error', reject);
      resolve();
    };
    if (options.listen.kind === 'unix') server.listen(options.listen.path, onListening);
    else server.listen(options.listen.port, options.listen.host, onListening);
  });
  return { server, address: describeAddress(server), close: () => closeServer(server) };
}

/** Host names are case-insensitive; the adaptor refuses a Host header that URL parsing changes, so lower-case it first. */
function lowerCaseHost(req: IncomingMessage): void {
  const host = req.headers.host;
  if (host !== undefined) req.headers.host = host.toLowerCase();
}

function describeAddress(server: Server): string {
  const address = server.address();
  if (typeof address === 'string') return `unix:${address}`;
  const { address: host, port } = address as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
