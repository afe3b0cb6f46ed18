/**
 * OAuth 2.0 error responses (RFC 6749 §5.2): `{ error, error_description }`, never cached.
 * Thrown by the token endpoint's steps and turned into a response in one place.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  /** RFC 6750: the bearer token is missing its grant, expired, forged or revoked. */
  | 'invalid_token'
  /** RFC 6750: the token lacks a scope the request needs. */
  | 'insufficient_scope';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status: ContentfulStatusCode = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${description}`);
  }
}

/** The headers of every answer that carries or concerns a token (RFC 6749 §5.1). */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** The error as RFC 6749 §5.2 writes it, with `Cache-Control: no-store`. */
export function oauthErrorResponse(c: Context, error: OAuthError): Response {
  return c.json({ error: error.code, error_description: error.description }, error.status, { ...NO_STORE, ...error.headers });
}
