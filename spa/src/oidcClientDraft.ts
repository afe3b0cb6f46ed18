/**
 * The Apps pages' pure parts: redirect URIs typed one per line and checked as the server checks
 * them, lifetimes in the units people think in, and the settings block an app's admin pastes.
 */
import type { OidcClientInfo, TokenEndpointAuthMethod } from '../../shared/oidcClients';
import { backchannelLogoutUriProblem, redirectUriProblem } from '../../shared/redirectUriRule';
import type { ProviderAddresses } from './adminApi';

/** Client authentication, as a person choosing it reads it. */
export const AUTH_METHOD_LABELS: Record<TokenEndpointAuthMethod, string> = {
  client_secret_basic: 'Secret in header (client_secret_basic)',
  client_secret_post: 'Secret in body (client_secret_post)',
  none: 'Public app, no secret (none)',
};

const MINUTE_S = 60;
const DAY_S = 86_400;

/** URIs typed one per line: each trimmed, blank lines dropped. */
export function uriLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The first URI the server would refuse, as a sentence naming its line; null when every one may be registered. */
export function uriListProblem(uris: readonly string[], field: string): string | null {
  for (const [index, uri] of uris.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem) return `${field}, line ${index + 1}: a redirect URI ${problem}.`;
  }
  return null;
}

/** The back-channel logout URI's problem as a sentence, or null (also when it is left empty). */
export function backchannelUriProblem(uri: string): string | null {
  const problem = uri === '' ? null : backchannelLogoutUriProblem(uri);
  return problem && `Back-channel logout URI: it ${problem}.`;
}

export const secondsToMinutes = (seconds: number) => Math.round(seconds / MINUTE_S);
export const minutesToSeconds = (minutes: number) => Math.round(minutes * MINUTE_S);
export const secondsToDays = (seconds: number) => Math.round((seconds / DAY_S) * 100) / 100;
export const daysToSeconds = (days: number) => Math.round(days * DAY_S);

/** The discovery URL apps ask for: the issuer plus the well-known path. */
export const discoveryUrl = (issuer: string) => `${issuer}/.well-known/openid-configuration`;

/**
 * What an app's settings need, one `label: value` line each, aligned: most apps ask for the
 * issuer or discovery URL, older ones for each endpoint.
 */
export function settingsBlock(provider: ProviderAddresses, client: OidcClientInfo): string {
  const isPublic = client.token_endpoint_auth_method === 'none';
  const lines: [string, string][] = [
    ['Issuer', provider.issuer],
    ['Discovery URL', discoveryUrl(provider.issuer)],
    ['Client ID', client.client_id],
    ['Client secret', isPublic ? 'none (public client)' : 'the secret shown when it was made'],
    ['Client authentication', client.token_endpoint_auth_method],
    ['Authorization URL', provider.authorization_endpoint],
    ['Token URL', provider.token_endpoint],
    ['Userinfo URL', provider.userinfo_endpoint],
    ['JWKS URL', provider.jwks_uri],
    ['End session URL', provider.end_session_endpoint],
    ['Scopes', client.scope],
    ['PKCE', client.require_pkce ? 'S256 (required)' : 'S256 (optional)'],
    ['ID token algorithm', client.id_token_signed_response_alg],
    ...client.redirect_uris.map((uri): [string, string] => ['Redirect URI', uri]),
  ];
  // The longest label, its colon and two spaces.
  const width = Math.max(...lines.map(([label]) => label.length)) + 3;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n');
}
