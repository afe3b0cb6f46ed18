/**
 * Answering an authorization request that arrived as a page navigation: at once when the
 * person's session already satisfies it, with the error `prompt=none` asks for, or with the
 * authorization page (view `authorize`) served at the request's own URL, which signs the person
 * in and, where needed, asks their consent. The authorization endpoint and the hosted app pages
 * (server/appflows/) answer through here.
 */
import type { Context } from 'hono';
import type { Services } from '../services.js';
import type { ViewServer } from '../ui/ui.js';
import { sessionOf } from '../http/requestSession.js';
import { authorizationFlow, type AuthorizationFlow } from './authorizationFlow.js';
import { authorizationError } from './authorizationResponse.js';
import { promptNoneError } from './interaction.js';
import type { AuthorizeRequest, ParsedAuthorizeRequest } from './authorizeRequest.js';
import { oidcPage } from './oidcPage.js';

export interface AuthorizationAnswer {
  flow: AuthorizationFlow;
  /** The page, for a request whose redirect URI is trusted (`null`: none is). */
  authorizePage(c: Context, redirectUri: string | null, status: 400 | 200): Response;
  /** An invalid request: shown to the person when no redirect URI can be trusted, else sent to the client. */
  refusal(c: Context, parsed: ParsedAuthorizeRequest & { ok: false }): Response;
  /**
   * Answers a read request.
   * @param page how to show the page when the person must act (default: the page at this URL)
   */
  answer(c: Context, parsed: ParsedAuthorizeRequest, page?: (request: AuthorizeRequest) => Response): Promise<Response>;
}

export function authorizationAnswer(services: Services, serveView: ViewServer): AuthorizationAnswer {
  const { issuer } = services.config;
  const flow = authorizationFlow(services);

  /** The page; the decision's answer redirects to the client's redirect URI. */
  function authorizePage(c: Context, redirectUri: string | null, status: 400 | 200): Response {
    return oidcPage(serveView, c, 'authorize', status, redirectUri);
  }

  function refusal(c: Context, parsed: ParsedAuthorizeRequest & { ok: false }): Response {
    // The page asks the info endpoint for the reason and shows it; nothing goes to the unverified redirect URI.
    if ('show' in parsed) return authorizePage(c, null, 400);
    return authorizationError(c, parsed.target, issuer, parsed.error, parsed.description);
  }

  async function answer(c: Context, parsed: ParsedAuthorizeRequest, page?: (request: AuthorizeRequest) => Response): Promise<Response> {
    if (!parsed.ok) return refusal(c, parsed);
    const { request } = parsed;
    const session = await sessionOf(c, services);
    const { need, signIn } = await flow.need(request, session, { consentGiven: false, pageSince: null });
    if (need.kind === 'none') return flow.complete(c, request, session!, signIn!, false);
    if (request.prompts.includes('none')) {
      const error = promptNoneError(need);
      return authorizationError(c, request, issuer, error, error === 'consent_required' ? 'the person has not consented yet' : 'the person must sign in');
    }
    return page ? page(request) : authorizePage(c, request.redirectUri, 200);
  }

  return { flow, authorizePage, refusal, answer };
}
