/**
 * A request id for every request, named in its log lines and returned as
 * `X-Request-Id`, so that a line in a proxy's log, ours and a person's report meet.
 * A trusted proxy's `X-Request-Id` is kept (its logs name the same request); from
 * anyone else the header is ignored, so a client cannot plant text in our logs.
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { TrustedProxyCheck } from './clientIp.js';
import type { AppEnv } from '../services.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What proxies send (nginx's hex `$request_id`, UUIDs, HAProxy's `%ID` formats), and nothing that could forge a log line. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * New ids: 16 random hex digits drawn at start, then a counter. Unique across restarts and
 * instances (the prefix), cheap enough for forward auth's hot path (a UUID per request cost it
 * four times as much), and no secret: an id only names a request.
 */
const PREFIX = `${randomBytes(8).toString('hex')}-`;
let issued = 0;

/** A fresh request id, e.g. `9f3c2a7b1e0d4c58-1a2b`. */
export function newRequestId(): string {
  return PREFIX + (++issued).toString(16);
}

/**
 * The id of one request: the proxy's, when well-formed, else a new one.
 * @param offeredByTrustedProxy `X-Request-Id` as a `--trusted-proxy` sent it; undefined for other peers
 */
export function requestIdFor(offeredByTrustedProxy: string | undefined): string {
  return offeredByTrustedProxy !== undefined && ACCEPTED_ID.test(offeredByTrustedProxy) ? offeredByTrustedProxy : newRequestId();
}

/**
 * Sets `c.var.requestId` and the `X-Request-Id` response header (before the answer exists, so
 * errors carry it too).
 * @param isTrustedProxy the `--trusted-proxy` check
 * @example app.use(requestId(services.isTrustedProxy))
 */
export const requestId = (isTrustedProxy: TrustedProxyCheck): MiddlewareHandler<AppEnv> =>
  async function requestIdMiddleware(c, next) {
    const id = requestIdFor(isTrustedProxy(c.env?.incoming?.socket.remoteAddress) ? c.req.header(REQUEST_ID_HEADER) : undefined);
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
  };
