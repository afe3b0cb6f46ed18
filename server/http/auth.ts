/** Who is asking: the session behind the request's cookie, for this host. */
import type { Session } from '../db/schema.js';
import type { Config } from '../config.js';
import type { AppContext, Services } from '../services.js';
import { readSessionToken } from '../sessions/cookie.js';
import { isRecentAuth } from '../sessions/sessions.js';
import { accountHostOnly, mayChangeAccount } from '../sessions/accountHost.js';
import { uiUrl } from '../links.js';
import { ApiError } from './apiError.js';

/** The live session whose cookie this request carries, or null. */
export async function sessionOf(c: AppContext, services: Services): Promise<Session | null> {
  const host = services.hostOf(c);
  const token = readSessionToken(c.req.header('cookie'), host);
  return token ? services.sessions.fromToken(token, host, services.now()) : null;
}

/** @throws {ApiError} 401 when the request has no live session. */
export async function requireSession(c: AppContext, services: Services): Promise<Session> {
  const session = await sessionOf(c, services);
  if (!session) throw new ApiError(401, 'Not signed in');
  return session;
}

/** @throws {ApiError} 401 with `reauth` when the last passkey use is not recent. */
export function requireRecentAuth(session: Session, now: number): void {
  if (!isRecentAuth(session, now)) {
    throw new ApiError(401, 'Confirm it is you: use your passkey again, then retry', true);
  }
}

/** @throws {ApiError} 403 naming the account page when a session on an app host asks to change the account. */
export function requireAccountSession(session: Session, config: Config): void {
  if (!mayChangeAccount(session, config.authHost)) throw new ApiError(403, accountHostOnly(session.host, uiUrl(config)));
}
