/**
 * The authorization endpoint (GET and POST, OpenID Connect Core §3.1.2) and the decision the
 * authorization page posts. A request the person's session already satisfies is answered at once;
 * otherwise the page (view `authorize`) is served at the request's own URL, signs the person in
 * and, where needed, asks their consent, then posts the decision here as a form.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { ViewServer } from '../ui/ui.js';
import { sessionOf } from '../http/requestSession.js';
import { isSameOriginRequest } from '../http/sameOrigin.js';
import { AUTHORIZE_PATH } from './endpoints.js';
import { authorizationAnswer } from './authorizationAnswer.js';
import { authorizationError } from './authorizationResponse.js';
import { openPageStart } from './interaction.js';
import { firstValues, formOf, requestParams } from './requestParams.js';

export function authorizeRoutes(services: Services, serveView: ViewServer): Hono<AppEnv> {
  const { issuer, origins } = services.config;
  const issuerHost = new URL(issuer).hostname;
  const { flow, answer, refusal } = authorizationAnswer(services, serveView);

  const app = new Hono<AppEnv>();

  app.on(['GET', 'POST'], '/authorize', async (c) => {
    const params = await requestParams(c);
    // The page reads the request from its URL: a POSTed request moves to the same request as a GET.
    const moveToGet = c.req.method === 'POST' ? () => c.body(null, 303, { Location: `${AUTHORIZE_PATH}?${new URLSearchParams(params)}`, 'Cache-Control': 'no-store' }) : undefined;
    return answer(c, await flow.read(params), moveToGet);
  });

  app.post('/authorize/decision', async (c) => {
    // The person's session decides here, so only the issuer's own pages may post (as on the rest of the API).
    if (services.hostOf(c) !== issuerHost) return c.json({ detail: 'Not found' }, 404);
    if (!isSameOriginRequest(c.req.header('origin'), c.req.header('sec-fetch-site'), origins)) {
      return c.json({ detail: 'Cross-site request refused: this endpoint only accepts requests from its own site' }, 403);
    }
    const form = firstValues(await formOf(c));
    const query = form.query ?? '';
    // The page posts its own query: an OpenID Connect request, or a hosted app page's.
    const parsed = await flow.readPage(firstValues(new URLSearchParams(query)));
    if (!parsed.ok) return refusal(c, parsed);
    const { request } = parsed;
    if (form.decision === 'deny') return authorizationError(c, request, issuer, 'access_denied', 'the person declined');
    const session = await sessionOf(c, services);
    const pageSince = await openPageStart(services, form.interaction);
    const { need, signIn } = await flow.need(request, session, { consentGiven: form.decision === 'allow', pageSince });
    if (need.kind === 'none') return flow.complete(c, request, session!, signIn!, true);
    // Still something to do (the session ended meanwhile, say): back to the page.
    return c.body(null, 303, { Location: `${request.hostedPage ?? AUTHORIZE_PATH}?${query}`, 'Cache-Control': 'no-store' });
  });

  return app;
}
