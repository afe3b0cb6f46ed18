/**
 * Session endpoints, reachable on every host: validate (and renew), set-session
 * (redeem an exchange code for a cookie), logout, and ending one of one's sessions
 * (another one only from a session that may change the account: sessions/accountHost.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { ValidateResponse } from '../../shared/api.js';
import { ApiError } from '../http/apiError.js';
import { addressKey } from '../http/rateLimitKeys.js';
import { validate } from '../http/validate.js';
import { clearSessionCookie, lookupSession, requireAccountSession, requireSession, sessionToken, setSessionCookie } from '../http/requestSession.js';
import { startBrowserSession } from '../http/browserSession.js';
import { consumeExchangeCode } from '../db/sessions.js';
import { findUser } from '../db/people.js';
import { recordAudit } from '../db/audit.js';
import { hashSecret } from '../crypto/tokens.js';
import { cachedQueryParser, identityOf, judge } from '../forward/verdict.js';
import { iso } from './responses.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,100})$/;
const SESSION_PARAM = z.object({ id: z.uuid('Session id must be a UUID') });
const RENEW_PARAM = /(?:^|&)renew=([^&]*)/;

export function sessionRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  const parseQuery = cachedQueryParser();

  // Same perm/max_age rules as forward auth, plus `renew` (default 1).
  app.post('/validate', async (c) => {
    const url = c.req.url;
    const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    const renew = RENEW_PARAM.exec(rawQuery)?.[1] ?? '1';
    if (renew !== '0' && renew !== '1') throw new ApiError(400, 'Invalid query: renew must be 0 or 1');
    const query = parseQuery(rawQuery.replace(RENEW_PARAM, '').replace(/^&/, ''));
    if (!query.ok) throw new ApiError(400, `Invalid query: ${query.error}`);
    const host = services.hostOf(c);
    const token = sessionToken(c, host) ?? null;
    const now = services.now();
    // One lookup: the identity forward auth uses, which carries all the answer needs.
    const verdict = judge(await identityOf(services, token), host, query, now);
    if (!verdict.allow) {
      if (verdict.mode === 'forbidden') throw new ApiError(403, 'Signed in, but without the required permission');
      throw verdict.mode === 'reauth' ? new ApiError(401, 'Sign-in is too old: use your passkey again', true) : new ApiError(401, 'Not signed in');
    }
    const { identity } = verdict;
    const renewal = renew === '1' ? await services.sessions.renewIfDue(identity, now) : null;
    // The cookie's Max-Age slides with the session: send the same token again.
    if (renewal) setSessionCookie(c, identity.host, token!);
    const body: ValidateResponse = {
      valid: true,
      user: { id: identity.userId, displayName: identity.displayName },
      sessionId: identity.sessionId,
      expiresAt: iso(renewal?.expiresAt ?? identity.expiresAt),
      renewed: renewal !== null,
    };
    return c.json(body);
  });

  app.post('/set-session', lookupSession(services), async (c) => {
    const now = services.now();
    const ip = services.clientIp(c);
    // Codes are single-use 256-bit secrets: only the address limit applies (a per-code count would stop nothing).
    if (!services.limits.secrets.take(addressKey(ip), now)) throw new ApiError(429, 'Too many attempts; wait a minute and retry');
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_request"');
      throw new ApiError(400, 'Expected the header Authorization: Bearer <exchange code>');
    }
    const code = await consumeExchangeCode(db, hashSecret(match[1]!), now);
    if (!code) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ApiError(401, 'The sign-in code is invalid, expired or already used; sign in again');
    }
    const host = services.hostOf(c);
    // A proxy that rewrites Host (nginx's proxy_pass without proxy_set_header Host) ends up here: name both hosts.
    if (code.host !== host) {
      throw new ApiError(403, `The sign-in code was issued for ${code.host}, but this request is for ${host || 'no host'}: a reverse proxy in front must pass the Host header unchanged`);
    }
    const user = await findUser(db, code.user_id);
    if (!user) throw new ApiError(401, 'The account no longer exists');
    // Replace this browser's previous session on this host (e.g. after re-authentication).
    return c.json((await startBrowserSession(c, services, user, code, c.var.session)).response);
  });

  app.post('/logout', lookupSession(services), async (c) => {
    const session = c.var.session;
    if (session) {
      await services.sessions.transaction(async (trx, end) => {
        await end.byId([session.id]);
        await recordAudit(trx, { action: 'signed_out', actorUserId: session.user_id, target: session.host, ip: services.clientIp(c) }, services.now());
      });
    }
    clearSessionCookie(c, services.hostOf(c));
    return c.body(null, 204);
  });

  app.delete('/session/:id', requireSession(services), validate('param', SESSION_PARAM), async (c) => {
    const { id } = c.req.valid('param');
    const current = c.var.session;
    // Ending one's own session is signing out; ending another changes the account.
    if (id !== current.id) requireAccountSession(current, services.config);
    const target = await services.sessions.findOfUser(current.user_id, id, services.now());
    if (!target) throw new ApiError(404, 'No such session');
    await services.sessions.transaction(async (trx, end) => {
      await end.byId([target.id]);
      await recordAudit(trx, { action: 'session_ended', actorUserId: current.user_id, target: target.id, ip: services.clientIp(c), detail: { host: target.host } }, services.now());
    });
    if (target.id === current.id) clearSessionCookie(c, services.hostOf(c));
    return c.body(null, 204);
  });

  return app;
}
