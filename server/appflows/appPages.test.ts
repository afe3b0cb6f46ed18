/**
 * The hosted app pages (`/auth/app/login`, `/auth/app/register`) against the real server: the
 * callback receives only `code` and `state`, the code is the OpenID Connect flow's own, and every
 * request the page cannot trust is shown to the person, never redirected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, browse, userinfo } from '../testing/oidcFlows.js';
import { APP_CALLBACK, APP_ORIGIN, appApi, appCallback, appPageUrl, pkcePair, registerApp } from '../testing/appFlows.js';
import { rawRequest } from '../testing/rawHttp.js';
import type { AppTokens } from '../../shared/appFlows.js';

let server: TestServer;
let cookie: string;
let orgId: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  orgId = (await server.deps.database.db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
});
afterAll(() => server.close());

/** What the authorization page shows for its own query (the page asks this as soon as it loads). */
async function pageInfo(query: string) {
  return api(server.port, 'POST', '/auth/api/oidc/authorization', { host: AUTH_HOST, cookie, origin: AUTH_PAGE.origin, body: { query } });
}

/** The page refuses the request itself: a 400 page, no Location, and the info request says why. */
async function expectShownRefusal(params: Record<string, string>, reason: RegExp) {
  const page = await browse(server, appPageUrl('login', params), cookie);
  expect(page.status).toBe(400);
  expect(page.headers.location).toBeUndefined();
  expect(page.body).toContain('<meta name="passkey-auth-view" content="authorize"');
  const info = await pageInfo(new URLSearchParams(params).toString());
  expect(info.status).toBe(400);
  expect(JSON.parse(info.body).detail).toMatch(reason);
}

describe('signing in through the hosted page', () => {
  it('sends the signed-in person back with only code and state, and the code buys tokens and the user', async () => {
    await registerApp(server, orgId);
    const { verifier, challenge } = pkcePair();
    const callback = await appCallback(server, cookie, { redirect_url: APP_CALLBACK, code_challenge: challenge, state: 'xyz' });
    expect(`${callback.origin}${callback.pathname}`).toBe(APP_CALLBACK);
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect(callback.searchParams.get('state')).toBe('xyz');

    const response = await appApi(server, 'POST', 'token', { body: { code: callback.searchParams.get('code'), code_verifier: verifier } });
    expect(response.status, response.body).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    const tokens = JSON.parse(response.body) as AppTokens;
    expect(tokens).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 1800,
      token_type: 'Bearer',
      user: {
        id: expect.any(String),
        name: 'Admin',
        email: null,
        username: null,
        organisation: { id: orgId, name: expect.any(String) },
        role: { id: expect.any(String), name: 'Administrator' },
        permissions: ['auth:admin'],
      },
    });
    // The provider's own access token: the OpenID Connect userinfo endpoint takes it too.
    const claims = JSON.parse((await userinfo(server, tokens.access_token)).body);
    expect(claims.sub).toBe(tokens.user.id);
  });

  it('without state, the callback receives the code alone', async () => {
    const { challenge } = pkcePair();
    const callback = await appCallback(server, cookie, { redirect_url: APP_CALLBACK, code_challenge: challenge });
    expect([...callback.searchParams.keys()]).toEqual(['code']);
  });

  it('register is the same flow: a signed-in person goes straight back with a code', async () => {
    const { challenge } = pkcePair();
    const callback = await appCallback(server, cookie, { redirect_url: APP_CALLBACK, code_challenge: challenge, state: 's' }, 'register');
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'state']);
  });

  it('shows the sign-in page to a visitor without a session, and the page learns the app from its query', async () => {
    const { challenge } = pkcePair();
    const params = { redirect_url: APP_CALLBACK, code_challenge: challenge };
    const page = await browse(server, appPageUrl('login', params), null);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="passkey-auth-view" content="authorize"');
    // The page posts its decision to the authorization endpoint's form, which the redirect origin must be allowed for.
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${APP_ORIGIN}`);
    const info = await api(server.port, 'POST', '/auth/api/oidc/authorization', { host: AUTH_HOST, origin: AUTH_PAGE.origin, body: { query: new URLSearchParams(params).toString() } });
    expect(info.status, info.body).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ clientName: 'Notes', next: 'signIn', signInReason: 'noSession' });
  });

  it('a person who cancels is sent back with error=access_denied and the state, nothing else', async () => {
    const { challenge } = pkcePair();
    const query = new URLSearchParams({ redirect_url: APP_CALLBACK, code_challenge: challenge, state: 'st' }).toString();
    const response = await rawRequest(server.port, {
      method: 'POST', host: AUTH_HOST, path: '/auth/oidc/authorize/decision',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: AUTH_PAGE.origin, cookie },
      body: new URLSearchParams({ query, interaction: '', decision: 'deny' }).toString(),
    });
    expect(response.status).toBe(303);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(APP_CALLBACK);
    expect([...location.searchParams.keys()].sort()).toEqual(['error', 'error_description', 'state']);
    expect(location.searchParams.get('error')).toBe('access_denied');
  });

  it('a person who must sign in first is sent back to the hosted page by the decision', async () => {
    const { challenge } = pkcePair();
    const query = new URLSearchParams({ redirect_url: APP_CALLBACK, code_challenge: challenge }).toString();
    const response = await rawRequest(server.port, {
      method: 'POST', host: AUTH_HOST, path: '/auth/oidc/authorize/decision',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: AUTH_PAGE.origin },
      body: new URLSearchParams({ query, interaction: '', decision: 'allow' }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/auth/app/login?${query}`);
  });
});

describe('requests the hosted page refuses without redirecting', () => {
  it('an unregistered redirect_url', async () => {
    await expectShownRefusal({ redirect_url: 'https://evil.example.net/callback', code_challenge: pkcePair().challenge }, /No app is registered with the redirect URL/);
  });

  it('a redirect_url that differs from the registered one in any way', async () => {
    await expectShownRefusal({ redirect_url: `${APP_CALLBACK}/`, code_challenge: pkcePair().challenge }, /No app is registered/);
    await expectShownRefusal({ redirect_url: `${APP_CALLBACK}?next=/`, code_challenge: pkcePair().challenge }, /No app is registered/);
  });

  it('no redirect_url at all', async () => {
    const page = await browse(server, '/auth/app/login?code_challenge=x', cookie);
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
  });

  it('a redirect URL two apps registered', async () => {
    const shared = `${APP_ORIGIN}/shared/callback`;
    await registerApp(server, orgId, { name: 'One', redirectUris: [shared] });
    await registerApp(server, orgId, { name: 'Two', redirectUris: [shared] });
    await expectShownRefusal({ redirect_url: shared, code_challenge: pkcePair().challenge }, /Several apps are registered/);
  });

  it("a confidential client's redirect URL", async () => {
    const confidential = `${APP_ORIGIN}/confidential/callback`;
    await registerApp(server, orgId, { name: 'Backoffice', redirectUris: [confidential], tokenEndpointAuthMethod: 'client_secret_basic' });
    await expectShownRefusal({ redirect_url: confidential, code_challenge: pkcePair().challenge }, /Backoffice is registered as a confidential app/);
  });

  it('a missing code_challenge', async () => {
    await expectShownRefusal({ redirect_url: APP_CALLBACK, state: 's' }, /sent no code_challenge/);
  });

  it('a plain code_challenge', async () => {
    await expectShownRefusal({ redirect_url: APP_CALLBACK, code_challenge: pkcePair().verifier, code_challenge_method: 'plain' }, /only S256/);
  });

  it('a challenge that is no S256 digest', async () => {
    await expectShownRefusal({ redirect_url: APP_CALLBACK, code_challenge: 'short' }, /code_challenge must be 43 base64url characters/);
  });
});
