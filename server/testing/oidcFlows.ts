/**
 * An OpenID Connect relying party for integration tests: openid-client v6 (ID-token signatures
 * checked) talking to the test server, and the browser's part as plain requests with a session cookie.
 * The server runs with `--auth-host auth.example.com`; the app lives at app.example.com.
 */
import { expect } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from './testServer.js';
import { rawRequest, type RawResponse } from './rawHttp.js';
import { viaTestServer } from './viaTestServer.js';
import { addOidcClientSecret, insertOidcClient, type NewOidcClient } from '../db/oidcClients.js';

export const AUTH_HOST = 'auth.example.com';
export const APP_HOST = 'app.example.com';
export const ISSUER = `https://${AUTH_HOST}/auth`;
export const REDIRECT = `https://${APP_HOST}/callback`;
export const AUTH_PAGE = { origin: `https://${AUTH_HOST}`, host: AUTH_HOST };
export const SCOPE = 'openid profile email groups offline_access';
/** The flags of a server these helpers work with. */
export const OIDC_SERVER_FLAGS = ['--rp-id', 'example.com', '--auth-host', AUTH_HOST];

export interface RelyingParty {
  config: oidc.Configuration;
  clientId: string;
  /** The client's secret; null for a public client. */
  secret: string | null;
}

/** Registers a client in `orgId` and discovers the provider as it would. */
export async function relyingParty(server: TestServer, orgId: string, fields: Partial<NewOidcClient> = {}): Promise<RelyingParty> {
  const { db } = server.deps.database;
  const client = await insertOidcClient(db, { orgId, name: 'Reports', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'client_secret_basic', ...fields }, server.deps.now());
  const options = { execute: [oidc.enableNonRepudiationChecks], [oidc.customFetch]: viaTestServer(server.port) };
  if (client.isPublic) return { config: await oidc.discovery(new URL(ISSUER), client.id, undefined, oidc.None(), options), clientId: client.id, secret: null };
  const { secret } = await addOidcClientSecret(db, client.id, null, server.deps.now());
  const auth = client.tokenEndpointAuthMethod === 'client_secret_post' ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
  return { config: await oidc.discovery(new URL(ISSUER), client.id, undefined, auth, options), clientId: client.id, secret };
}

export interface StartedAuthorization {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** The authorization request an app sends the browser to, with PKCE (S256), state and nonce. */
export async function authorizationRequest(config: oidc.Configuration, extra: Record<string, string> = {}): Promise<StartedAuthorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: SCOPE, state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  return { url, verifier, state, nonce };
}

/** The browser opening `url` (relative: on the auth host) with `cookie`, if any. */
export function browse(server: TestServer, url: URL | string, cookie: string | null): Promise<RawResponse> {
  const target = new URL(url, ISSUER);
  return rawRequest(server.port, { host: target.host, path: `${target.pathname}${target.search}`, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
}

/** Where the browser is sent; fails when it is not redirected. */
export function redirectOf(response: RawResponse): URL {
  expect([302, 303], response.body).toContain(response.status);
  return new URL(String(response.headers.location));
}

/** Authorizes with the session `cookie` and exchanges the code. */
export async function signInToApp(server: TestServer, config: oidc.Configuration, cookie: string, extra: Record<string, string> = {}) {
  const started = await authorizationRequest(config, extra);
  const callback = redirectOf(await browse(server, started.url, cookie));
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
  return { started, callback, tokens };
}

/** A raw token request: for what openid-client would refuse to send. */
export function tokenRequest(server: TestServer, form: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.port, {
    method: 'POST', host: AUTH_HOST, path: '/auth/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
  });
}

/** `Authorization: Basic` for a confidential client. */
export function basicAuth(party: RelyingParty): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(party.clientId)}:${encodeURIComponent(party.secret ?? '')}`).toString('base64')}` };
}

/** A userinfo request with a bearer token. */
export function userinfo(server: TestServer, accessToken: string): Promise<RawResponse> {
  return rawRequest(server.port, { host: AUTH_HOST, path: '/auth/oidc/userinfo', headers: { authorization: `Bearer ${accessToken}` } });
}
