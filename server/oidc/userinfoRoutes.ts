/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): GET or POST with a bearer access token (RFC
 * 6750: the Authorization header, or `access_token` in a form body). It answers the same scope
 * claims as the ID token, from the person's current record. Errors carry `WWW-Authenticate: Bearer`.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import { findOidcClient } from '../db/oidcClients.js';
import { verifyAccessToken } from './accessToken.js';
import { appPerson } from './appPerson.js';
import { scopeClaims } from './claims.js';
import { OAuthError } from './oauthError.js';
import { allowClientOrigin } from './oidcCors.js';

/** `Authorization: Bearer <token>` (RFC 6750 §2.1: the token is b64token). */
export const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;
const FORM = 'application/x-www-form-urlencoded';

/** The RFC 6750 §3 answer: the error in `WWW-Authenticate` (and, for programs that read bodies, in JSON too). */
function bearerError(c: Context, error: OAuthError | null): Response {
  const challenge = error === null ? 'Bearer realm="passkey-auth"' : `Bearer realm="passkey-auth", error="${error.code}", error_description="${error.description}"`;
  const status = error?.status ?? 401;
  const headers = { 'WWW-Authenticate': challenge, 'Cache-Control': 'no-store' };
  return error === null ? c.body(null, 401, headers) : c.json({ error: error.code, error_description: error.description }, status, headers);
}

/** The bearer token of the request: from the header, or a form body of a POST; null when none was sent. */
async function bearerToken(c: Context<AppEnv>): Promise<string | null> {
  const header = c.req.header('authorization');
  const fromForm = c.req.method === 'POST' && (c.req.header('content-type') ?? '').toLowerCase().startsWith(FORM) ? (await c.req.parseBody()).access_token : undefined;
  if (header !== undefined && fromForm !== undefined) throw new OAuthError('invalid_request', 'the access token was sent in more than one way');
  if (header !== undefined) {
    const match = BEARER.exec(header);
    if (!match) throw new OAuthError('invalid_request', 'the Authorization header must be "Bearer <token>"');
    return match[1]!;
  }
  return typeof fromForm === 'string' ? fromForm : null;
}

export function userinfoRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.on(['GET', 'POST'], '/userinfo', async (c) => {
    try {
      const token = await bearerToken(c);
      if (token === null) return bearerError(c, null);
      const now = services.now();
      const verified = await verifyAccessToken(services, token, now);
      const client = await findOidcClient(services.database.db, verified.clientId);
      const person = client && (await appPerson(services, verified.grant.user_id, client));
      if (!client || !person) throw new OAuthError('invalid_token', 'the access token was revoked', 401);
      allowClientOrigin(c, client);
      if (!verified.scopes.includes('openid')) throw new OAuthError('insufficient_scope', 'the access token was not issued for openid', 403);
      return c.json(scopeClaims(person, verified.scopes), 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      if (error instanceof OAuthError) return bearerError(c, error);
      throw error;
    }
  });

  return app;
}
