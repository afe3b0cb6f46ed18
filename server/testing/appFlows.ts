/**
 * An app written for a hosted-page + PKCE sign-in service, for integration tests: its public
 * client registered with the callback `APP_CALLBACK`, the browser's trip through the hosted page
 * (plain requests with the session cookie), and calls to the JSON app API as the app makes them,
 * from its own origin. The server runs with oidcFlows.ts's flags (`--auth-host auth.example.com`).
 */
import { expect } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { TestServer } from './testServer.js';
import { rawRequest, type RawResponse } from './rawHttp.js';
import { browse, redirectOf, APP_HOST, AUTH_HOST } from './oidcFlows.js';
import { insertOidcClient, type NewOidcClient, type OidcClient } from '../db/oidcClients.js';
import type { AppTokens } from '../../shared/appFlows.js';

export const APP_ORIGIN = `https://${APP_HOST}`;
export const APP_CALLBACK = `${APP_ORIGIN}/auth/callback`;

/** Registers a public client (an app without a secret) in `orgId`, with `APP_CALLBACK` unless told otherwise. */
export function registerApp(server: TestServer, orgId: string, fields: Partial<NewOidcClient> = {}): Promise<OidcClient> {
  return insertOidcClient(server.deps.database.db, { orgId, name: 'Notes', redirectUris: [APP_CALLBACK], tokenEndpointAuthMethod: 'none', ...fields }, server.deps.now());
}

/** A PKCE verifier and its S256 challenge, as the app makes them. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The hosted page's URL (relative, on the auth host) for these parameters. */
export function appPageUrl(page: 'login' | 'register', params: Record<string, string>): string {
  return `/auth/app/${page}?${new URLSearchParams(params)}`;
}

/** The browser with session `cookie` opening the hosted page; returns the callback it is sent to. */
export async function appCallback(server: TestServer, cookie: string, params: Record<string, string>, page: 'login' | 'register' = 'login'): Promise<URL> {
  return redirectOf(await browse(server, appPageUrl(page, params), cookie));
}

/** A signed-in person's trip through the hosted login page: the verifier and the code the callback received. */
export async function appCode(server: TestServer, cookie: string, redirectUrl = APP_CALLBACK): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const callback = await appCallback(server, cookie, { redirect_url: redirectUrl, code_challenge: challenge });
  return { code: callback.searchParams.get('code')!, verifier };
}

/** A call to the JSON app API from the app's origin: `body` as JSON, `bearer` as `Authorization`. */
export function appApi(server: TestServer, method: 'GET' | 'POST', endpoint: string, options: { body?: unknown; bearer?: string; origin?: string } = {}): Promise<RawResponse> {
  return rawRequest(server.port, {
    method,
    host: AUTH_HOST,
    path: `/auth/api/app/${endpoint}`,
    headers: {
      origin: options.origin ?? APP_ORIGIN,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.bearer === undefined ? {} : { authorization: `Bearer ${options.bearer}` }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** Signs in through the hosted page and exchanges the code; fails unless the exchange succeeds. */
export async function appSignIn(server: TestServer, cookie: string): Promise<AppTokens> {
  const { code, verifier } = await appCode(server, cookie);
  const response = await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } });
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body) as AppTokens;
}

/** An app API refusal: the status, the `error` code, a `detail` sentence, not cacheable. */
export function expectAppError(response: RawResponse, status: number, error: string): void {
  expect(response.status, response.body).toBe(status);
  const body = JSON.parse(response.body) as { error: string; detail: string };
  expect(body.error).toBe(error);
  expect(body.detail).toEqual(expect.any(String));
  expect(response.headers['cache-control']).toBe('no-store');
}
