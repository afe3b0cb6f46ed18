/**
 * Which redirect URIs an OpenID Connect client may register, shared by the server (which enforces
 * it) and the admin SPA (which says it before sending). Codes and tokens travel to these
 * addresses, so each must be one the app alone controls: https; plain http only on the loopback
 * interface (RFC 8252 §7.3: native apps listen there, on any port); or a private-use scheme named
 * after a domain the app's maker owns, written in reverse (RFC 8252 §7.1: `app.immich:/callback`).
 */

/** Longest redirect URI accepted. */
export const REDIRECT_URI_MAX = 2000;
/** Most redirect URIs of one kind a client may register. */
export const REDIRECT_URIS_MAX = 20;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** A reverse-domain scheme: labels of letters, digits and hyphens, at least one dot. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * The problem with `uri` as a redirect URI, completing the sentence "A redirect URI …", or null
 * when it may be registered.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0 || uri.length > REDIRECT_URI_MAX) return `must be 1 to ${REDIRECT_URI_MAX} characters`;
  if (/[\s\p{Cc}]/u.test(uri)) return 'must not hold spaces or control characters';
  // Checked on the text: the URL parser drops an empty fragment ("…/callback#").
  if (uri.includes('#')) return 'must not hold a fragment (#…): the code is sent in the query';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI such as https://app.example.com/callback';
  }
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname === '' ? 'must name a host' : null;
  if (scheme === 'http') {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : 'may use http only on a loopback address (127.0.0.1, [::1] or localhost); use https';
  }
  if (PRIVATE_USE_SCHEME.test(scheme)) return null;
  return `uses the scheme "${scheme}:": use https, http on a loopback address, or for a native app a scheme named after your domain in reverse, with a dot (com.example.app:/callback)`;
}

/**
 * The problem with `uri` as a back-channel logout URI (OpenID Back-Channel Logout 1.0 §2.2), completing
 * "A back-channel logout URI …", or null. The server itself posts to it, so only https, or http on a
 * loopback address, as for redirect URIs; no private-use scheme, no fragment.
 */
export function backchannelLogoutUriProblem(uri: string): string | null {
  const problem = redirectUriProblem(uri);
  if (problem) return problem;
  const scheme = new URL(uri).protocol;
  return scheme === 'https:' || scheme === 'http:' ? null : 'must use https (or http on a loopback address): the server posts to it';
}
