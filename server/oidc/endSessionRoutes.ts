/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the end-session endpoint (GET and
 * POST) and the confirmation its page posts. A request that proves itself (endSessionRequest.ts)
 * ends the sign-in its `id_token_hint` names, cookie or not, and returns the browser to the app at
 * once; any other request gets the sign-out page, which asks the person first. Ending the sign-in
 * ends the grants begun in it (their tokens stop working, and apps with a back-channel logout URI
 * are told: server/logout/).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { ViewServer } from '../ui/ui.js';
import type { Session } from '../db/schema.js';
import { findOidcClient } from '../db/oidcClients.js';
import { recordAudit } from '../db/audit.js';
import { clearSessionCookie, sessionOf } from '../http/requestSession.js';
import { isSameOriginRequest } from '../http/sameOrigin.js';
import { END_SESSION_DONE_PATH, END_SESSION_PATH } from '../../shared/oidcLogout.js';
import { readEndSessionRequest, type EndSessionLookups, type LogoutHint } from './endSessionRequest.js';
import { firstValues, formOf, requestParams } from './requestParams.js';
import { oidcPage } from './oidcPage.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

export function endSessionRoutes(services: Services, serveView: ViewServer): Hono<AppEnv> {
  const { db } = services.database;
  const { issuer, origins } = services.config;
  const issuerHost = new URL(issuer).hostname;
  const lookups: EndSessionLookups = {
    verifyIdToken: (token) => services.signingKeys.verify(token, { typ: 'JWT', acceptExpired: true }).catch(() => null),
    findClient: (clientId) => findOidcClient(db, clientId),
  };

  /**
   * Ends the browser's own session (if any) and the sign-in the hint names, when it is the same
   * person's (or the browser has none), with a `signed_out` entry for each person.
   */
  async function signOut(c: Context, browser: Session | null, hint: LogoutHint | null): Promise<void> {
    const ids = new Set<string>();
    if (browser) ids.add(browser.id);
    if (hint?.sid && (!browser || browser.user_id === hint.sub)) ids.add(hint.sid);
    if (ids.size === 0) return;
    const now = services.now();
    await services.sessions.transaction(async (trx, end) => {
      await end.byId([...ids]);
      const actor = browser?.user_id ?? hint!.sub;
      await recordAudit(trx, { action: 'signed_out', actorUserId: actor, target: browser?.host ?? issuerHost, ip: services.clientIp(c), detail: { via: 'end_session', ...(hint ? { clientId: hint.clientId } : {}) } }, now);
    });
    if (browser) clearSessionCookie(c, services.hostOf(c));
  }

  const app = new Hono<AppEnv>();

  app.on(['GET', 'POST'], '/logout', async (c) => {
    const params = await requestParams(c);
    const request = await readEndSessionRequest(params, lookups);
    if (request.proven) {
      // The app proved the sign-in and where to return: end it without asking (the browser's cookie,
      // if it still has one for that sign-in, goes with it).
      const browser = await sessionOf(c, services);
      await signOut(c, browser?.id === request.hint!.sid ? browser : null, request.hint);
      return c.body(null, 303, { Location: request.returnTo!, ...NO_STORE });
    }
    // The page reads the request from its URL: a POSTed request moves to the same request as a GET.
    if (c.req.method === 'POST') return c.body(null, 303, { Location: `${END_SESSION_PATH}?${new URLSearchParams(params)}`, ...NO_STORE });
    return oidcPage(serveView, c, 'logout', 200, request.returnTo);
  });

  app.get('/logout/done', (c) => oidcPage(serveView, c, 'logout', 200, null));

  app.post('/logout/confirm', async (c) => {
    // The person's session decides here, so only the issuer's own pages may post.
    if (services.hostOf(c) !== issuerHost) return c.json({ detail: 'Not found' }, 404);
    if (!isSameOriginRequest(c.req.header('origin'), c.req.header('sec-fetch-site'), origins)) {
      return c.json({ detail: 'Cross-site request refused: this endpoint only accepts requests from its own site' }, 403);
    }
    const form = firstValues(await formOf(c));
    const request = await readEndSessionRequest(firstValues(new URLSearchParams(form.query ?? '')), lookups);
    await signOut(c, await sessionOf(c, services), request.hint);
    return c.body(null, 303, { Location: request.returnTo ?? END_SESSION_DONE_PATH, ...NO_STORE });
  });

  return app;
}
