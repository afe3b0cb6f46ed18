/**
 * `GET /auth/api/forward`: the question a reverse proxy asks before every request
 * to a protected app. Answered straight from node:http, before Hono, because it is
 * the hot path: no database for recently seen sessions (IdentityCache), parsed
 * queries cached by their text, response headers prepared when the session was loaded
 * (the person's shared by their sessions: see IdentityCache).
 *
 * Without a session cookie for the host, an `Authorization: Bearer` access token (a person's, or
 * a client's own from client credentials) is judged by the same rules: verified once, then cached
 * (BearerTokenCache), so only that path ever waits. The cookie path is unchanged and synchronous.
 *
 * 204 + Remote-* headers: signed in on this host, recent enough, permitted.
 * 401: no valid session for this host (mode login), or `max_age` not met (mode reauth).
 * 403: signed in but lacking a permission (mode forbidden).
 * 400: malformed query. Browsers (Accept: text/html) get a usable sign-in or
 * access-denied page as the body; other clients get JSON.
 * Every answer carries `X-Request-Id` (a trusted proxy's, else a new one), and is
 * counted in the metrics by status, with its in-process time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Services } from '../services.js';
import type { SpaFiles } from '../ui/spaFiles.js';
import { htmlHeaders, renderView, siteMetas } from '../ui/ui.js';
import { hostWithoutPort } from '../../shared/host.js';
import { readSessionToken } from '../sessions/cookie.js';
import { readForwardHeaders, type ForwardHeaders } from './forwardHeaders.js';
import { bearerTokenOf } from './bearerIdentity.js';
import { uiUrl } from '../links.js';
import type { ForwardLog } from './forwardLog.js';
import { DENIALS, cachedQueryParser, identityOf, judge, type DenyMode } from './verdict.js';
import type { ParsedQuery } from './permQuery.js';
import type { Identity } from './identity.js';
import { allowHeaders } from './identityHeaders.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../http/requestId.js';

export const FORWARD_PATH = '/auth/api/forward';

/** Failure headers as flat [name, value, …] lists; the request id is appended per answer. */
const JSON_HEADERS = ['Content-Type', 'application/json', 'Cache-Control', 'no-store'];
const UNAVAILABLE_JSON = JSON.stringify({ detail: 'The database is unavailable; try again shortly' });

/**
 * Builds the node:http fast path. Returns false for requests it does not own,
 * which then go to Hono (so `/auth/api/forwardx` or a POST still get proper answers).
 */
export function forwardHandler(services: Services, spa: SpaFiles, log: ForwardLog): (req: IncomingMessage, res: ServerResponse) => boolean {
  const parseQuery = cachedQueryParser();
  const metas = siteMetas(services.config);
  const pageHeaders = Object.entries(htmlHeaders(metas)).flat();
  const signInUrl = uiUrl(services.config);
  // Failure bodies, prepared once.
  const bodiesFor = (mode: DenyMode) => ({
    html: renderView(spa, DENIALS[mode].view, { ...metas, forwardMode: mode }),
    json: JSON.stringify({ detail: DENIALS[mode].detail, auth: { mode, url: signInUrl } }),
  });
  const bodies: Record<DenyMode, { html: string; json: string }> = { login: bodiesFor('login'), reauth: bodiesFor('reauth'), forbidden: bodiesFor('forbidden') };

  // A socket's peer never changes: ask whether it is a trusted proxy once per connection.
  const anyTrustedProxy = services.config.trustedProxies.length > 0;
  const trustBySocket = new WeakMap<Socket, boolean>();
  const fromTrustedProxy = (socket: Socket): boolean => {
    let trusted = trustBySocket.get(socket);
    if (trusted === undefined) trustBySocket.set(socket, (trusted = services.isTrustedProxy(socket.remoteAddress)));
    return trusted;
  };

  const forwardMetrics = services.metrics.forward;

  return function forward(req, res) {
    const url = originForm(req.url ?? '');
    if (!url.startsWith(FORWARD_PATH) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    let raw: string;
    if (url.length === FORWARD_PATH.length) raw = '';
    else if (url.charCodeAt(FORWARD_PATH.length) === 63 /* ? */) raw = url.slice(FORWARD_PATH.length + 1);
    else return false;

    const started = performance.now();
    const status = answer(req, res, raw);
    if (typeof status === 'number') forwardMetrics.observe(status, (performance.now() - started) / 1000);
    else void status.then((sent) => forwardMetrics.observe(sent, (performance.now() - started) / 1000));
    return true;
  };

  /** Decides and answers one forward-auth request; returns the status sent (later, for a Bearer token or when PostgreSQL has to be asked). */
  function answer(req: IncomingMessage, res: ServerResponse, raw: string): number | Promise<number> {
    const headers = readForwardHeaders(req.rawHeaders, anyTrustedProxy && fromTrustedProxy(req.socket));
    const requestId = requestIdFor(headers.requestId);
    const host = hostWithoutPort(headers.host);
    const query = parseQuery(raw);
    if (!query.ok) {
      res.writeHead(400, [...JSON_HEADERS, REQUEST_ID_HEADER, requestId]).end(JSON.stringify({ detail: `Invalid forward query: ${query.error}` }));
      return 400;
    }
    const sessionToken = readSessionToken(headers.cookie, host);
    // The session cookie wins: Authorization is read only when there is none for this host.
    const bearer = sessionToken === null && headers.authorization !== undefined ? bearerTokenOf(headers.authorization) : null;
    const identity = bearer === null ? identityOf(services, sessionToken) : services.bearerTokens.get(bearer, host, services.now());
    if (!(identity instanceof Promise)) return respond(req, res, headers, requestId, host, query, identity);
    return identity.then(
      (loaded) => respond(req, res, headers, requestId, host, query, loaded),
      (error: unknown) => {
        // The database is unreachable: fail closed, as the proxy docs promise.
        services.log.error('forward auth could not read the session', { error });
        res.writeHead(503, [...JSON_HEADERS, REQUEST_ID_HEADER, requestId]).end(UNAVAILABLE_JSON);
        return 503;
      },
    );
  }

  /** Answers with the verdict on `identity`; returns the status sent. */
  function respond(req: IncomingMessage, res: ServerResponse, headers: ForwardHeaders, requestId: string, host: string, query: ParsedQuery & { ok: true }, identity: Identity | null): number {
    const verdict = judge(identity, host, query, services.now());
    const status = verdict.allow ? 204 : DENIALS[verdict.mode].status;
    if (log.wants(status)) {
      log.write({ status, host, userId: verdict.identity?.userId ?? null, ip: services.resolveClientIp(req.socket.remoteAddress, headers.forwardedFor), method: headers.method, uri: headers.uri, requestId });
    }
    if (verdict.allow) {
      res.writeHead(204, allowHeaders(verdict.identity, requestId)).end();
    } else if (headers.wantsHtml) {
      res.writeHead(status, [...pageHeaders, REQUEST_ID_HEADER, requestId]).end(bodies[verdict.mode].html);
    } else {
      res.writeHead(status, [...JSON_HEADERS, REQUEST_ID_HEADER, requestId]).end(bodies[verdict.mode].json);
    }
    return status;
  }
}

/**
 * The path and query of a request target. An absolute-form target (`GET http://host/auth/api/forward`,
 * which some proxies send) counts as its origin form; the host is still taken from the headers.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  const scheme = /^https?:\/\//i.exec(target);
  if (!scheme) return target;
  const slash = target.indexOf('/', scheme[0].length);
  return slash === -1 ? '/' : target.slice(slash);
}
