/**
 * A small web app that signs people in through Passkey Auth with `openid-client` v6, the way
 * docs/oidc.md tells app developers to: discovery, authorization code + PKCE + state + nonce,
 * ID-token signature checked (`enableNonRepudiationChecks`), then userinfo. `/login` sends the
 * browser to the provider; `/callback` shows the verified claims in a page the test reads.
 * Signing out as docs/oidc.md shows: `/logout` sends the browser to the end-session endpoint with
 * the last ID token as hint and comes back to `/signed-out`; `/backchannel` takes logout tokens,
 * verified against the provider's JWKS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** `data-testid` of the `<pre>` holding `{ idToken, userinfo }` as JSON after a sign-in. */
export const RP_CLAIMS_TESTID = 'rp-claims';
/** `data-testid` of the `<pre>` holding the error when a sign-in failed. */
export const RP_ERROR_TESTID = 'rp-error';
/** `data-testid` of the `<pre>` holding the `state` the app got back after signing out. */
export const RP_SIGNED_OUT_TESTID = 'rp-signed-out';

export interface OpenidClientAppOptions {
  /** Where the app listens on 127.0.0.1 (chosen before, because the client's redirect URI names it). */
  port: number;
  issuer: string;
  clientId: string;
  /** Omitted for a public client (`token_endpoint_auth_method: none`). */
  clientSecret?: string;
  scope: string;
}

export interface RunningOpenidClientApp {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Opening it starts a sign-in. */
  loginUrl: string;
  /** Opening it signs out through the provider (RP-initiated logout), back to `/signed-out`. */
  logoutUrl: string;
  /** The claims of every valid logout token posted to `/backchannel`. */
  backchannelLogouts: JWTPayload[];
  stop(): Promise<void>;
}

/** The addresses to register for the app on `port`: post-logout redirect and back-channel logout. */
export const openidClientAppLogoutUris = (port: number) => ({
  postLogoutRedirectUri: `http://127.0.0.1:${port}/signed-out`,
  backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel`,
});

/** The redirect URI the app on `port` uses. */
export const openidClientAppRedirectUri = (port: number): string => `http://127.0.0.1:${port}/callback`;

/** What a sign-in started and its callback must find again. */
interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function page(res: ServerResponse, status: number, testid: string, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RP app</title></head><body><h1>RP app</h1><pre data-testid="${testid}">${escapeHtml(text)}</pre></body></html>`);
}

/** Starts the app; discovery happens at the first sign-in, so the provider may start later. */
export async function startOpenidClientApp(options: OpenidClientAppOptions): Promise<RunningOpenidClientApp> {
  const origin = `http://127.0.0.1:${options.port}`;
  const redirectUri = openidClientAppRedirectUri(options.port);
  const { postLogoutRedirectUri } = openidClientAppLogoutUris(options.port);
  const backchannelLogouts: JWTPayload[] = [];
  let lastIdToken: string | undefined;
  // Pending sign-ins by `state`: the browser carries it there and back, so no cookie is needed.
  const pending = new Map<string, PendingSignIn>();
  let configuration: Promise<client.Configuration> | undefined;
  const configure = () =>
    (configuration ??= client.discovery(
      new URL(options.issuer),
      options.clientId,
      options.clientSecret,
      options.clientSecret === undefined ? client.None() : client.ClientSecretBasic(options.clientSecret),
      { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
    ));

  async function login(res: ServerResponse): Promise<void> {
    const config = await configure();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    pending.set(state, { codeVerifier, nonce });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: options.scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
    res.end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const config = await configure();
    const currentUrl = new URL(req.url!, origin);
    const state = currentUrl.searchParams.get('state') ?? '';
    const signIn = pending.get(state);
    if (!signIn) throw new Error(`no sign-in pending for state "${state}"`);
    pending.delete(state);
    const tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: signIn.codeVerifier, expectedState: state, expectedNonce: signIn.nonce });
    const idToken = tokens.claims()!;
    lastIdToken = tokens.id_token;
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    page(res, 200, RP_CLAIMS_TESTID, JSON.stringify({ idToken, userinfo }, null, 2));
  }

  async function logout(res: ServerResponse): Promise<void> {
    const url = client.buildEndSessionUrl(await configure(), { id_token_hint: lastIdToken!, post_logout_redirect_uri: postLogoutRedirectUri, state: 'bye' });
    res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
    res.end();
  }

  /** The back-channel logout endpoint, as docs/oidc.md's example: verify, remember, answer 200 (400 for a bad token). */
  async function backchannel(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const metadata = (await configure()).serverMetadata();
    try {
      const { payload } = await jwtVerify(new URLSearchParams(body).get('logout_token') ?? '', createRemoteJWKSet(new URL(metadata.jwks_uri!)), {
        issuer: options.issuer, audience: options.clientId, typ: 'logout+jwt', maxTokenAge: '2m',
      });
      if (!(payload.events as Record<string, unknown> | undefined)?.['http://schemas.openid.net/event/backchannel-logout'] || 'nonce' in payload) throw new Error('not a logout token');
      backchannelLogouts.push(payload);
      res.writeHead(200, { 'Cache-Control': 'no-store' });
    } catch {
      res.writeHead(400, { 'Cache-Control': 'no-store' });
    }
    res.end();
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    '/login': (_req, res) => login(res),
    '/callback': callback,
    '/logout': (_req, res) => logout(res),
    '/backchannel': backchannel,
    '/signed-out': async (req, res) => page(res, 200, RP_SIGNED_OUT_TESTID, new URL(req.url!, origin).searchParams.get('state') ?? ''),
  };
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url!, origin).pathname];
    const handled = route ? route(req, res) : Promise.resolve(page(res, 404, RP_ERROR_TESTID, 'not found'));
    handled.catch((error: unknown) => page(res, 500, RP_ERROR_TESTID, error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolveListen);
  });
  return {
    origin,
    loginUrl: `${origin}/login`,
    logoutUrl: `${origin}/logout`,
    backchannelLogouts,
    stop: () =>
      new Promise((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}
