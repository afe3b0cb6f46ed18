/**
 * Reading a hosted app page's request (`/auth/app/login?redirect_url=…&code_challenge=…&state=…`)
 * as the OpenID Connect authorization request it stands for: the one public client registered
 * with exactly that redirect URL, the code flow with PKCE (S256), and every scope the client may
 * ask for. Whatever is wrong with such a request is shown to the person, never sent to the URL:
 * these are mistakes of the app's developer, and the URL alone names no client for certain.
 */
import type { OidcClient } from '../db/oidcClients.js';
import { parseAuthorizeRequest, type ParsedAuthorizeRequest } from '../oidc/authorizeRequest.js';
import { APP_LOGIN_PATH } from '../../shared/appFlows.js';

/** Whether a page's query is a hosted app page's request rather than an OpenID Connect one. */
export function isAppAuthorizeRequest(params: Readonly<Record<string, string>>): boolean {
  return params.redirect_url !== undefined && params.client_id === undefined;
}

/**
 * Reads `params`.
 * @param clients the clients registered with exactly `params.redirect_url`
 */
export function parseAppAuthorizeRequest(params: Readonly<Record<string, string>>, clients: readonly OidcClient[]): ParsedAuthorizeRequest {
  const show = (text: string): ParsedAuthorizeRequest => ({ ok: false, show: text });
  // Which app: the one registered with exactly this URL, and it must be public (it has no secret to prove itself with).
  const redirectUrl = params.redirect_url;
  if (!redirectUrl) return show('The app sent no redirect_url.');
  if (clients.length === 0) return show(`No app is registered with the redirect URL ${redirectUrl}.`);
  if (clients.length > 1) return show(`Several apps are registered with the redirect URL ${redirectUrl}, so it does not say which app this is. An administrator must give each app its own.`);
  const client = clients[0]!;
  if (!client.isPublic) return show(`${client.name} is registered as a confidential app: it signs people in through OpenID Connect with its client secret, not through this page.`);

  // PKCE with S256 only: the verifier later proves the code is redeemed by whoever started the sign-in.
  const method = params.code_challenge_method;
  if (method !== undefined && method !== 'S256') return show(`${client.name} sent code_challenge_method ${method}: only S256 is supported.`);
  if (!params.code_challenge) return show(`${client.name} sent no code_challenge (PKCE with S256 is required).`);

  const parsed = parseAuthorizeRequest({
    client_id: client.id,
    redirect_uri: redirectUrl,
    response_type: 'code',
    scope: ['openid', ...client.scopes].join(' '),
    code_challenge: params.code_challenge,
    code_challenge_method: 'S256',
    ...(params.state === undefined ? {} : { state: params.state }),
  }, client, null);
  if (!parsed.ok) return 'show' in parsed ? parsed : show(`${client.name} sent an invalid request: ${parsed.description}.`);
  return { ok: true, request: { ...parsed.request, hostedPage: APP_LOGIN_PATH } };
}
