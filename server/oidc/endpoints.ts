/**
 * Where the OpenID Connect provider answers. Paths are fixed under `/auth/`; the issuer
 * (config.ts: an origin plus `/auth`) only decides the origin in the URLs handed to clients.
 */

/** Discovery document (OpenID Connect Discovery 1.0): `<issuer>/.well-known/openid-configuration`. */
export const DISCOVERY_PATH = '/auth/.well-known/openid-configuration';
/** Everything else of the provider lives under this prefix. */
export const OIDC_PREFIX = '/auth/oidc';
/** The public signing keys (RFC 7517 JWK Set). */
export const JWKS_PATH = `${OIDC_PREFIX}/jwks`;
/** Authorization endpoint (GET and POST); interactive, so it moves to the issuer's host. */
export const AUTHORIZE_PATH = `${OIDC_PREFIX}/authorize`;
/** Token endpoint (form-encoded POST). */
export const TOKEN_PATH = `${OIDC_PREFIX}/token`;
/** UserInfo endpoint (GET and POST with a bearer access token). */
export const USERINFO_PATH = `${OIDC_PREFIX}/userinfo`;
/** Revocation endpoint (RFC 7009; form-encoded POST, client authentication as at the token endpoint). */
export const REVOCATION_PATH = `${OIDC_PREFIX}/revoke`;
/** Introspection endpoint (RFC 7662; form-encoded POST by a client with a secret). */
export const INTROSPECTION_PATH = `${OIDC_PREFIX}/introspect`;
/** End-session endpoint (RP-Initiated Logout 1.0; GET and POST); interactive, so it moves to the issuer's host. */
export { END_SESSION_PATH } from '../../shared/oidcLogout.js';

/**
 * The absolute URL of one of the paths above, on the issuer's origin.
 * @param issuer `config.issuer`, e.g. `https://auth.example.com/auth`
 * @param path one of the `*_PATH` constants
 * @example endpointUrl('https://auth.example.com/auth', TOKEN_PATH) // 'https://auth.example.com/auth/oidc/token'
 */
export function endpointUrl(issuer: string, path: string): string {
  return `${new URL(issuer).origin}${path}`;
}
