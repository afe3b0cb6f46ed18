/**
 * Who is asking: the session behind the request's cookie, for this host. Decided once per
 * request by middleware, which puts it on `c.var.session` for the handlers after it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Session } from '../db/schema.js';
import type { Config } from '../config.js';
import type { MaybeSessionEnv, Services, SessionEnv } from '../services.js';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { cookieNameFor, csrfCookieNameFor, csrfCookieOptions, sessionCookieOptions } from '../sessions/cookie.js';
import { csrfTokenFor } from './csrfToken.js';
import { SESSION_IDLE_MS, isRecentAuth } from '../sessions/sessions.js';
import { accountHostOnly, isAccountSession } from '../sessions/accountHost.js';
import { uiUrl } from '../links.js';
import { ApiError } from './apiError.js';

/** The live session whose cookie this request carries, or null. */
export async function sessionOf(c: Context, services: Services): Promise<Session | null> {
  const host = services.hostOf(c);
  const token = sessionToken(c, host);
  return token ? services.sessions.fromToken(token, host, services.now()) : null;
}

/** The session token in the request's cookie for `host` (lower case, no port), or undefined. */
export function sessionToken(c: Context, host: string): string | undefined {
  return getCookie(c, cookieNameFor(host)) || undefined;
}

/** Sends the session cookie for `host`, and its CSRF cookie; their Max-Age slides with the session's idle expiry. */
export function setSessionCookie(c: Context, host: string, token: string): void {
  const maxAge = Math.floor(SESSION_IDLE_MS / 1000);
  setCookie(c, cookieNameFor(host), token, { ...sessionCookieOptions(host), maxAge });
  setCookie(c, csrfCookieNameFor(host), csrfTokenFor(token), { ...csrfCookieOptions(host), maxAge });
}

/** Removes the session cookie for `host` from the browser, and its CSRF cookie. */
export function clearSessionCookie(c: Context, host: string): void {
  deleteCookie(c, cookieNameFor(host), sessionCookieOptions(host));
  deleteCookie(c, csrfCookieNameFor(host), csrfCookieOptions(host));
}

/**
 * Sets `c.var.session` to the request's live session, or null: for routes that work either way.
 * @example app.post('/logout', lookupSession(services), (c) => ...)
 */
export const lookupSession = (services: Services): MiddlewareHandler<MaybeSessionEnv> =>
  async function lookupSessionMiddleware(c, next) {
    c.set('session', await sessionOf(c, services));
    await next();
  };

/**
 * Sets `c.var.session` to the request's live session.
 * @throws {ApiError} 401 when the request has none.
 * @example app.post('/logout-all', requireSession(services), (c) => endAll(c.var.session))
 */
export const requireSession = (services: Services): MiddlewareHandler<SessionEnv> =>
  async function requireSessionMiddleware(c, next) {
    const session = await sessionOf(c, services);
    if (!session) throw new ApiError(401, 'Not signed in');
    c.set('session', session);
    await next();
  };

/** @throws {ApiError} 401 with `reauth` when the last passkey use is not recent. */
export function requireRecentAuth(session: Session, now: number): void {
  if (!isRecentAuth(session, now)) {
    throw new ApiError(401, 'Confirm it is you: use your passkey again, then retry', true);
  }
}

/** @throws {ApiError} 403 naming the account page when a session on an app host asks to change the account. */
export function requireAccountSession(session: Session, config: Config): void {
  if (!isAccountSession(session, config.authHost)) throw new ApiError(403, accountHostOnly(session.host, uiUrl(config)));
}
