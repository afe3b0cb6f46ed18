/**
 * Who is asking: the session behind the request's cookie, for this host. Decided once per
 * request by middleware, which puts it on `c.var.session` for the handlers after it.
 */
import type { MiddlewareHandler } from 'hono';
import type { Session } from '../db/schema.js';
import type { Config } from '../config.js';
import type { AppContext, MaybeSessionEnv, Services, SessionEnv } from '../services.js';
import { readSessionToken } from '../sessions/cookie.js';
import { isRecentAuth } from '../sessions/sessions.js';
import { accountHostOnly, isAccountSession } from '../sessions/accountHost.js';
import { uiUrl } from '../links.js';
import { ApiError } from './apiError.js';

/** The live session whose cookie this request carries, or null. */
export async function sessionOf(c: AppContext, services: Services): Promise<Session | null> {
  const host = services.hostOf(c);
  const token = readSessionToken(c.req.header('cookie'), host);
  return token ? services.sessions.fromToken(token, host, services.now()) : null;
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
