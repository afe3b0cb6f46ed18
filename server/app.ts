/**
 * The Hono app: host-mode routing first, then API, WebSocket and asset routes.
 */
import { Hono, type Context } from 'hono';
import { createNodeWebSocket } from '@hono/node-ws';
import type { Server } from 'node:http';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './deps.js';
import { hostMode } from './hostmode/hostmode.js';
import { isResetToken } from '../shared/resetToken.js';
import { assetServer, viewServer } from './ui/ui.js';
import { healthRoutes } from './api/health.js';

function notFound(c: Context): Response {
  return c.json({ detail: 'Not found' }, 404);
}

/** WebSocket frames larger than this are refused (ceremony messages are a few KiB). */
const MAX_WS_FRAME_BYTES = 64 * 1024;

export interface BuiltApp {
  app: Hono;
  /** Attaches WebSocket upgrade handling to the HTTP server. */
  injectWebSocket: (server: Server) => void;
}

/** Builds the app from its dependencies; no I/O happens here. */
export function createApp(deps: AppDeps): BuiltApp {
  const app = new Hono();
  const nodeWs = createNodeWebSocket({ app });
  nodeWs.wss.options.maxPayload = MAX_WS_FRAME_BYTES;
  app.use(
    hostMode({
      authHost: deps.config.authHost,
      authHostAuthority: deps.config.authHostAuthority,
      isResetToken,
      serveView: viewServer(deps.spa, deps.config.authHostAuthority),
    }),
  );
  app.get('/auth/assets/*', assetServer(deps.spa));
  app.route('/auth/api', healthRoutes(deps));

  app.notFound(notFound);
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ detail: error.message || 'Request refused' }, error.status);
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json({ detail: 'Internal server error' }, 500);
  });
  return { app, injectWebSocket: (server) => nodeWs.injectWebSocket(server) };
}
