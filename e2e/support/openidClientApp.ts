/**
 * A small web app that signs people in through Passkey Auth with `openid-client` v6, the way
 * docs/oidc.md tells app developers to: discovery, authorization code + PKCE + state + nonce,
 * ID-token signature checked (`enableNonRepudiationChecks`), then userinfo. `/login` sends the
 * browser to the provider; `/callback` shows the verified claims in a page the test reads.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as client from 'openid-client';

/** `data-testid` of the `<pre>` holding `{ idToken, userinfo }` as JSON after a sign-in. */
export const RP_CLAIMS_TESTID = 'rp-claims';
/** `data-testid` of the `<pre>` holding the error when a sign-in failed. */
export const RP_ERROR_TESTID = 'rp-error';

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
  stop(): Promise<void>;
}

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
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    page(res, 200, RP_CLAIMS_TESTID, JSON.stringify({ idToken, userinfo }, null, 2));
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url!, origin).pathname;
    const handled = path === '/login' ? login(res) : path === '/callback' ? callback(req, res) : Promise.resolve(page(res, 404, RP_ERROR_TESTID, 'not found'));
    handled.catch((error: unknown) => page(res, 500, RP_ERROR_TESTID, error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolveListen);
  });
  return {
    origin,
    loginUrl: `${origin}/login`,
    stop: () =>
      new Promise((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}
