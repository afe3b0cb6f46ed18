/**
 * Host-mode routing: decides, from the Host header and the path alone, whether
 * a request is served a UI view, redirected to the auth host, refused with 404,
 * or passed on to its API, WebSocket or asset route. One table drives it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { hostWithoutPort } from '../../shared/host.js';
import type { View } from '../../shared/views.js';
import { AUTHORIZE_PATH, END_SESSION_PATH } from '../oidc/endpoints.js';
import { APP_LOGIN_PATH, APP_REGISTER_PATH } from '../../shared/appFlows.js';
import { END_SESSION_DONE_PATH } from '../../shared/oidcLogout.js';

/** OIDC pages a person sees: they live on the issuer's host. */
const INTERACTIVE_OIDC_PATHS = new Set([AUTHORIZE_PATH, END_SESSION_PATH, END_SESSION_DONE_PATH]);

/** Where the request arrived: no auth host configured, on the auth host, or on any other host. */
export type HostKind = 'multi' | 'authHost' | 'appHost';

export type HostDecision =
  | { kind: 'view'; view: View }
  | { kind: 'redirect'; path: string }
  /** To the same path and query on the OIDC issuer's origin. */
  | { kind: 'toIssuer' }
  | { kind: 'notFound'; reason: 'unknown' | 'restricted' }
  | { kind: 'pass' };

/** What a path is, independent of the host it arrived on. */
type PathClass =
  | { kind: 'ui'; view: View; prefixed: boolean; path: string }
  | { kind: 'api'; restricted: boolean }
  | { kind: 'ws' }
  | { kind: 'assets' }
  /** Discovery and the OIDC endpoints; `interactive`: where a person signs in (the authorization endpoint, the hosted app pages). */
  | { kind: 'oidc'; interactive: boolean }
  | { kind: 'unknown' };

const PREFIX = '/auth';
/** Namespaces under `/auth/api/` reachable only on the auth host, matched by whole segment. */
const RESTRICTED_API_SEGMENTS = new Set(['admin', 'user', 'ws']);
const NAMED_VIEWS: Record<string, View> = { admin: 'admin', 'admin/': 'admin', restricted: 'restricted' };

const PASS: HostDecision = { kind: 'pass' };
const NOT_FOUND: HostDecision = { kind: 'notFound', reason: 'unknown' };
const RESTRICTED: HostDecision = { kind: 'notFound', reason: 'restricted' };
const TO_ISSUER: HostDecision = { kind: 'toIssuer' };

/**
 * Refuses paths that could mean something else to another parser: leftover
 * percent-escapes (`%2F` stays encoded after Hono's decodeURI), backslashes,
 * empty segments (`//`) and dot segments. Hono routes on this same decoded
 * path, so what we classify is exactly what the router will match.
 */
export function isCanonicalPath(path: string): boolean {
  if (!path.startsWith('/') || path.includes('%') || path.includes('\\') || path.includes('//')) return false;
  for (const segment of path.split('/')) if (segment === '.' || segment === '..') return false;
  return true;
}

/** Classifies a canonical path. */
export function classifyPath(path: string, isResetToken: (segment: string) => boolean): PathClass {
  const prefixed = path === PREFIX || path.startsWith(`${PREFIX}/`);
  const rest = prefixed ? path.slice(PREFIX.length) || '/' : path;
  if (prefixed) {
    if (rest.startsWith('/api/') || rest === '/api') {
      const segment = rest.split('/')[2] ?? '';
      return { kind: 'api', restricted: RESTRICTED_API_SEGMENTS.has(segment) };
    }
    if (rest === '/ws' || rest.startsWith('/ws/')) return { kind: 'ws' };
    if (rest.startsWith('/assets/')) return { kind: 'assets' };
    if (rest.startsWith('/.well-known/') || rest.startsWith('/oidc/')) return { kind: 'oidc', interactive: INTERACTIVE_OIDC_PATHS.has(path) };
    if (path === APP_LOGIN_PATH || path === APP_REGISTER_PATH) return { kind: 'oidc', interactive: true };
  }
  const view = uiView(rest.slice(1), isResetToken);
  return view ? { kind: 'ui', view, prefixed, path: rest } : { kind: 'unknown' };
}

function uiView(name: string, isResetToken: (segment: string) => boolean): View | null {
  if (name === '') return 'main';
  const named = NAMED_VIEWS[name];
  if (named) return named;
  return !name.includes('/') && isResetToken(name) ? 'reset' : null;
}

/**
 * The routing table. Rows: what the path is; columns: where it arrived.
 * - multi: everything lives under `/auth/`; `/` also serves the main UI.
 * - authHost: the UI lives at the root; `/auth/<ui>` moves there (307).
 * - appHost: `/` and `/auth/` show the account summary; every other UI path
 *   moves to the auth host (307); restricted namespaces do not exist (404).
 * OIDC (`/auth/.well-known/*`, `/auth/oidc/*`) is served on every host, in every mode: apps call it
 * from wherever they run. Only the authorization and end-session endpoints and the hosted app pages
 * built on them (`/auth/app/login`, `/auth/app/register`), where a person signs in or out, move to the
 * issuer's host (`onIssuerHost` false: the request arrived elsewhere).
 */
export function decideHostRoute(hostKind: HostKind, path: string, isResetToken: (segment: string) => boolean, onIssuerHost: boolean): HostDecision {
  if (!isCanonicalPath(path)) return NOT_FOUND;
  const cls = classifyPath(path, isResetToken);
  switch (cls.kind) {
    case 'assets':
      return PASS;
    case 'oidc':
      return cls.interactive && !onIssuerHost ? TO_ISSUER : PASS;
    case 'api':
      return hostKind === 'appHost' && cls.restricted ? RESTRICTED : PASS;
    case 'ws':
      return hostKind === 'appHost' ? RESTRICTED : PASS;
    case 'unknown':
      return NOT_FOUND;
    case 'ui':
      return decideUi(hostKind, cls);
  }
}

function decideUi(hostKind: HostKind, ui: { view: View; prefixed: boolean; path: string }): HostDecision {
  switch (hostKind) {
    case 'multi':
      return ui.prefixed || ui.view === 'main' ? { kind: 'view', view: ui.view } : NOT_FOUND;
    case 'authHost':
      return ui.prefixed ? { kind: 'redirect', path: ui.path } : { kind: 'view', view: ui.view };
    case 'appHost':
      return ui.view === 'main' ? { kind: 'view', view: 'account' } : { kind: 'redirect', path: ui.path };
  }
}

export interface HostModeOptions {
  /** The dedicated auth host (lower case, no port), or `null` for multi-host mode. */
  authHost: string | null;
  /** The auth host as redirects name it, possibly with a port. Defaults to `authHost`. */
  authHostAuthority?: string | null;
  /** The OIDC issuer (`config.issuer`); the authorization endpoint moves to its origin. */
  issuer: string;
  /** Decides whether a path segment is a well-formed reset token. */
  isResetToken: (segment: string) => boolean;
  /** Renders a UI view (GET/HEAD) for the decided view, with status 200 unless told otherwise. */
  serveView: (c: Context, view: View, status?: ContentfulStatusCode) => Response | Promise<Response>;
}

/** A browser navigating (GET or HEAD asking for HTML), as opposed to a program calling. */
function wantsPage(c: Context): boolean {
  return (c.req.method === 'GET' || c.req.method === 'HEAD') && (c.req.header('accept') ?? '').includes('text/html');
}

/** The query string of a URL, with its `?`, exactly as sent (`''` when none). */
function queryOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? '' : url.slice(queryStart);
}

/** Marks the host-mode layer's own 404s, so that logs and tests can tell them from a route's 404. */
export const REFUSED_HEADER = 'X-Passkey-Auth-Refused';
/** The 404's `detail` for a restricted namespace off the auth host. */
export const RESTRICTED_DETAIL = 'Not found: this endpoint is served only on the auth host';

/**
 * Where a request arrived.
 * @param authHost the dedicated auth host (lower case, no port), or `null` in multi-host mode
 * @param host the request's host, lower case, without port
 */
export function hostKindOf(authHost: string | null, host: string): HostKind {
  if (authHost === null) return 'multi';
  return host === authHost ? 'authHost' : 'appHost';
}

/**
 * Hono middleware applying {@link decideHostRoute}. Redirects always name the
 * configured auth host or issuer, never a host taken from the request; a Location
 * to the auth host is scheme-relative so the browser keeps the request's own scheme,
 * one to the issuer is absolute (the issuer fixes its scheme).
 * @example app.use(hostMode({ authHost: 'auth.example.com', issuer: 'https://auth.example.com/auth', isResetToken, serveView }))
 */
export const hostMode = (options: HostModeOptions): MiddlewareHandler => {
  const authHost = options.authHost?.toLowerCase() ?? null;
  const redirectAuthority = options.authHostAuthority ?? authHost;
  const issuer = new URL(options.issuer);

  return async function hostModeMiddleware(c, next) {
    const host = hostWithoutPort(c.req.header('host') ?? '');
    const decision = decideHostRoute(hostKindOf(authHost, host), c.req.path, options.isResetToken, host === issuer.hostname);
    switch (decision.kind) {
      case 'pass':
        return next();
      case 'notFound':
        if (decision.reason === 'restricted') {
          return c.json({ detail: RESTRICTED_DETAIL }, 404, { [REFUSED_HEADER]: 'restricted' });
        }
        c.header(REFUSED_HEADER, 'unknown-path');
        // A person's browser (a mistyped link, most likely) gets a page that helps; programs get JSON.
        return wantsPage(c) ? options.serveView(c, 'notFound', 404) : c.json({ detail: 'Not found' }, 404);
      case 'redirect':
        return c.body(null, 307, { Location: `//${redirectAuthority}${decision.path}${queryOf(c.req.url)}`, 'Cache-Control': 'no-store' });
      case 'toIssuer':
        return c.body(null, 307, { Location: `${issuer.origin}${c.req.path}${queryOf(c.req.url)}`, 'Cache-Control': 'no-store' });
      case 'view':
        if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
          return c.json({ detail: `${c.req.method} is not allowed on a page; use GET` }, 405, { Allow: 'GET, HEAD' });
        }
        return options.serveView(c, decision.view);
    }
  };
};
