/**
 * The JSON app API (`/auth/api/app/`), for apps written for hosted-page + PKCE sign-in services:
 * `token` (code + verifier → tokens and the user), `me`, `refresh`, `logout`, and `check` for app
 * backends. A thin layer over the OpenID Connect grants: the same codes, the same rotation and
 * reuse detection (tokenGrants.ts), the same access tokens and the same revocation. Only public
 * clients redeem here (the code or refresh token names the client; a confidential client proves
 * itself with its secret at the token endpoint). Nothing here reads a cookie, so the API's
 * same-origin rule does not apply: apps call it from their own origins, allowed by CORS.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { AppApiError, AppCheck, AppTokens, AppUser } from '../../shared/appFlows.js';
import { findOidcClient, listAllRedirectUris, type OidcClient } from '../db/oidcClients.js';
import { endGrants } from '../logout/endGrants.js';
import { describeIssue } from '../http/validate.js';
import { verifyAccessToken } from '../oidc/accessToken.js';
import { appPerson, type AppPerson } from '../oidc/appPerson.js';
import { OAuthError } from '../oidc/oauthError.js';
import { allowClientOrigin, oidcPreflight } from '../oidc/oidcCors.js';
import { liveToken } from '../oidc/presentedToken.js';
import { tokenGrants, type GrantClaimant, type GrantedTokens } from '../oidc/tokenGrants.js';
import { BEARER } from '../oidc/userinfoRoutes.js';
import { appUser } from './appUser.js';

/** Secrets and tokens are far shorter; anything longer is not one of ours. */
const MAX_TOKEN_LENGTH = 8192;
const TOKEN = z.string().min(1).max(MAX_TOKEN_LENGTH);
const TOKEN_BODY = z.object({ code: TOKEN, code_verifier: TOKEN });
const REFRESH_BODY = z.object({ refresh_token: TOKEN });
const LOGOUT_BODY = z.object({ refresh_token: TOKEN.optional() });
const CHECK_BODY = z.object({ token: TOKEN, app_id: z.string().min(1).max(256) });

/** The refusal as the app API writes it: `{ error, detail }`, never cached. */
function errorResponse(c: Context, error: OAuthError): Response {
  const body: AppApiError = { error: error.code, detail: error.description };
  const bearer: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': `Bearer realm="passkey-auth", error="${error.code}"` } : {};
  return c.json(body, error.status, { ...error.headers, ...bearer });
}

/**
 * The JSON body, checked against `schema`.
 * @throws {OAuthError} `invalid_request`
 */
async function jsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new OAuthError('invalid_request', 'The body must be JSON (Content-Type: application/json).');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new OAuthError('invalid_request', `Invalid request body: ${describeIssue(result.error)}`);
  return result.data;
}

/** The `Authorization: Bearer` token, or undefined when there is no such header. */
function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = BEARER.exec(header);
  if (!match) throw new OAuthError('invalid_request', 'The Authorization header must be "Bearer <access token>".');
  return match[1]!;
}

export function appApiRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const grants = tokenGrants(services);
  const app = new Hono<AppEnv>();

  /** Public clients only: the secret presented (code or refresh token) names the client; no client secret is asked. */
  const publicClaimant = (grantType: 'authorization_code' | 'refresh_token'): GrantClaimant => async (grant) => {
    const client = await findOidcClient(db, grant.client_id);
    if (!client) throw new OAuthError('invalid_grant', 'the app this was issued to no longer exists');
    if (!client.isPublic) throw new OAuthError('invalid_grant', `${client.name} is a confidential app: it redeems codes and refresh tokens at the token endpoint, with its client secret`);
    if (!client.grantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', `${client.name} may not use ${grantType}`);
    return client;
  };

  /** The access token's person, while the token lives and they may still use its app. */
  async function tokenPerson(token: string, now: number): Promise<{ client: OidcClient; person: AppPerson; scopes: string[] }> {
    const verified = await verifyAccessToken(services, token, now);
    const client = await findOidcClient(db, verified.clientId);
    const person = client && (await appPerson(services, verified.grant.user_id, client));
    if (!client || !person) throw new OAuthError('invalid_token', 'the access token was revoked', 401);
    if (!person.mayUse) throw new OAuthError('invalid_token', `the person no longer holds the permission ${client.name} requires`, 401);
    return { client, person, scopes: verified.scopes };
  }

  async function tokensOf(granted: GrantedTokens): Promise<AppTokens> {
    const { tokens } = granted;
    return {
      access_token: tokens.access_token,
      ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
      expires_in: tokens.expires_in,
      token_type: tokens.token_type,
      user: await appUser(services, granted.person, granted.scopes),
    };
  }

  /**
   * Runs a handler, answering its OAuthError as JSON. A browser app may read the answer when its
   * origin is the client's (once known) or, for a refusal, any registered app's.
   */
  async function answer(c: Context<AppEnv>, handle: () => Promise<{ client: OidcClient | null; response: Response }>): Promise<Response> {
    try {
      const { client, response } = await handle();
      if (client) allowClientOrigin(c, client);
      return response;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      allowClientOrigin(c, { redirectUris: await listAllRedirectUris(db) });
      return errorResponse(c, error);
    }
  }

  app.use('/token', oidcPreflight(services, 'POST'));
  app.use('/refresh', oidcPreflight(services, 'POST'));
  app.use('/me', oidcPreflight(services, 'GET'));
  app.use('/logout', oidcPreflight(services, 'POST'));
  app.use('/check', oidcPreflight(services, 'POST'));

  app.post('/token', (c) => answer(c, async () => {
    const body = await jsonBody(c, TOKEN_BODY);
    // No redirect URI to compare: the S256 challenge every public client's code carries binds it to whoever started the sign-in.
    const granted = await grants.redeemCode(publicClaimant('authorization_code'), { code: body.code, codeVerifier: body.code_verifier, redirectUri: null }, services.now());
    return { client: granted.client, response: c.json(await tokensOf(granted)) };
  }));

  app.post('/refresh', (c) => answer(c, async () => {
    const body = await jsonBody(c, REFRESH_BODY);
    const granted = await grants.redeemRefreshToken(publicClaimant('refresh_token'), { refreshToken: body.refresh_token, scope: undefined, ip: services.clientIp(c) }, services.now());
    return { client: granted.client, response: c.json(await tokensOf(granted)) };
  }));

  app.get('/me', (c) => answer(c, async () => {
    const token = bearerOf(c);
    if (token === undefined) throw new OAuthError('invalid_token', 'no access token: send Authorization: Bearer <access token>', 401);
    const { client, person, scopes } = await tokenPerson(token, services.now());
    const user: AppUser = await appUser(services, person, scopes);
    return { client, response: c.json(user) };
  }));

  app.post('/logout', (c) => answer(c, async () => {
    // The access token in the header, or the refresh token in the body (an app whose access token expired).
    const bearer = bearerOf(c);
    const { refresh_token: refreshToken } = bearer === undefined ? await jsonBody(c, LOGOUT_BODY) : {};
    const token = bearer ?? refreshToken;
    if (token === undefined) throw new OAuthError('invalid_request', 'no token: send Authorization: Bearer <access token>, or { "refresh_token": … }');
    const now = services.now();
    const found = await liveToken(services, token, bearer === undefined ? 'refresh_token' : 'access_token', now);
    // As at the revocation endpoint: the grant ends (every token of it); a token that no longer counts is already logged out.
    if (found) await endGrants(db, { grantIds: [found.grant.id] }, now);
    if (found) services.bearerTokens.clear();
    const client = found ? ((await findOidcClient(db, found.grant.client_id)) ?? null) : null;
    return { client, response: c.body(null, 204) };
  }));

  app.post('/check', (c) => answer(c, async () => {
    const body = await jsonBody(c, CHECK_BODY);
    const client = (await findOidcClient(db, body.app_id)) ?? null;
    try {
      const found = await tokenPerson(body.token, services.now());
      // Another app's token is no proof of anything to this one.
      if (found.client.id !== body.app_id) return { client, response: c.json({ valid: false } satisfies AppCheck) };
      const check: AppCheck = { valid: true, user: await appUser(services, found.person, found.scopes) };
      return { client, response: c.json(check) };
    } catch (error) {
      if (error instanceof OAuthError && error.code === 'invalid_token') return { client, response: c.json({ valid: false } satisfies AppCheck) };
      throw error;
    }
  }));

  return app;
}
