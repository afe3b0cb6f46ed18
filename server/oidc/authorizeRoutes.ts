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
import { authorizationFlow } from './authorizationFlow.js';
import { authorizationError } from './authorizationResponse.js';
import { openPageStart, promptNoneError } from './interaction.js';
import type { ParsedAuthorizeRequest } from './authorizeRequest.js';

const FORM = 'application/x-www-form-urlencoded';

/** The first value of each parameter of a query string or form. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in values)) values[name] = value;
  return values;
}

async function formOf(c: Context): Promise<URLSearchParams> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith(FORM)) return new URLSearchParams();
  return new URLSearchParams(await c.req.text());
}

export function authorizeRoutes(services: Services, serveView: ViewServer): Hono<AppEnv> {
  const { issuer, origins } = services.config;
  const issuerHost = new URL(issuer).hostname;
  const flow = authorizationFlow(services);

  /**
   * The page, with the client's redirect origin added to `form-action`: browsers check a form's
   * redirects against it too, and the decision's answer redirects there.
   */
  function authorizePage(c: Context, redirectUri: string | null, status: 400 | 200): Response {
    const page = serveView(c, 'authorize', status);
    // Under the pages' usual no-referrer, browsers post the decision with `Origin: null`, which the
    // decision's cross-site check refuses; same-origin still sends nothing to other sites.
    page.headers.set('Referrer-Policy', 'same-origin');
    if (redirectUri !== null) {
      const csp = page.headers.get('Content-Security-Policy') ?? '';
      page.headers.set('Content-Security-Policy', csp.replace("form-action 'self'", `form-action 'self' ${new URL(redirectUri).origin}`));
    }
    return page;
  }

  /** An invalid request: shown to the person when no redirect URI can be trusted, else sent to the client. */
  function refusal(c: Context, parsed: ParsedAuthorizeRequest & { ok: false }): Response {
    // The page asks the info endpoint for the reason and shows it; nothing goes to the unverified redirect URI.
    if ('show' in parsed) return authorizePage(c, null, 400);
    return authorizationError(c, parsed.target, issuer, parsed.error, parsed.description);
  }

  const app = new Hono<AppEnv>();

  app.on(['GET', 'POST'], '/authorize', async (c) => {
    const params = firstValues(c.req.method === 'POST' ? await formOf(c) : new URL(c.req.url).searchParams);
    const parsed = await flow.read(params);
    if (!parsed.ok) return refusal(c, parsed);
    const { request } = parsed;
    const session = await sessionOf(c, services);
    const { need, signIn } = await flow.need(request, session, { consentGiven: false, pageSince: null });
    if (need.kind === 'none') return flow.complete(c, request, session!, signIn!, false);
    if (request.prompts.includes('none')) {
      const error = promptNoneError(need);
      return authorizationError(c, request, issuer, error, error === 'consent_required' ? 'the person has not consented yet' : 'the person must sign in');
    }
    // The page reads the request from its URL: a POSTed request moves to the same request as a GET.
    if (c.req.method === 'POST') return c.body(null, 303, { Location: `${AUTHORIZE_PATH}?${new URLSearchParams(params)}`, 'Cache-Control': 'no-store' });
    return authorizePage(c, request.redirectUri, 200);
  });

  app.post('/authorize/decision', async (c) => {
    // The person's session decides here, so only the issuer's own pages may post (as on the rest of the API).
    if (services.hostOf(c) !== issuerHost) return c.json({ detail: 'Not found' }, 404);
    if (!isSameOriginRequest(c.req.header('origin'), c.req.header('sec-fetch-site'), origins)) {
      return c.json({ detail: 'Cross-site request refused: this endpoint only accepts requests from its own site' }, 403);
    }
    const form = firstValues(await formOf(c));
    const query = form.query ?? '';
    const parsed = await flow.read(firstValues(new URLSearchParams(query)));
    if (!parsed.ok) return refusal(c, parsed);
    const { request } = parsed;
    if (form.decision === 'deny') return authorizationError(c, request, issuer, 'access_denied', 'the person declined');
    const session = await sessionOf(c, services);
    const pageSince = await openPageStart(services, form.interaction);
    const { need, signIn } = await flow.need(request, session, { consentGiven: form.decision === 'allow', pageSince });
    if (need.kind === 'none') return flow.complete(c, request, session!, signIn!, true);
    // Still something to do (the session ended meanwhile, say): back to the page.
    return c.body(null, 303, { Location: `${AUTHORIZE_PATH}?${query}`, 'Cache-Control': 'no-store' });
  });

  return app;
}
