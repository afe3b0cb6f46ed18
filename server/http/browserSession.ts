/**
 * Signing a browser in on a host once a passkey use was verified: `set-session` (redeeming the
 * exchange code of a WebSocket ceremony) and the REST ceremonies' cookie mode end here alike.
 */
import type { Context } from 'hono';
import type { Services } from '../services.js';
import type { Session, User } from '../db/schema.js';
import type { SetSessionResponse } from '../../shared/api.js';
import type { SessionStart } from '../sessions/sessions.js';
import { recordAudit } from '../db/audit.js';
import { iso } from '../api/responses.js';
import { setSessionCookie } from './requestSession.js';
import { csrfTokenFor } from './csrfToken.js';

/**
 * Starts a session for `user` on `start.host`, replacing the browser's `previous` session there (a
 * re-authentication by the same person keeps its id: SessionService.create), audits `sign_in` (from this
 * request's address) and sends the session and CSRF cookies.
 * @returns `set-session`'s answer, and the CSRF token the cookie carries
 */
export async function startBrowserSession(
  c: Context,
  services: Services,
  user: User,
  start: SessionStart,
  previous: Session | null,
): Promise<{ response: SetSessionResponse; csrfToken: string }> {
  const now = services.now();
  const { token, session } = await services.sessions.create(start, now, previous);
  await recordAudit(services.database.db, { action: 'sign_in', actorUserId: user.id, orgId: user.org_id, target: start.host, ip: services.clientIp(c), detail: { sessionId: session.id } }, now);
  setSessionCookie(c, start.host, token);
  return {
    response: { user: { id: user.id, displayName: user.display_name }, sessionId: session.id, expiresAt: iso(session.expires_at) },
    csrfToken: csrfTokenFor(token),
  };
}
