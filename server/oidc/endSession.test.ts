/**
 * RP-initiated logout against the real server: openid-client builds the end-session URL, the
 * browser's part is plain requests. A proven request (our ID token as hint, a registered return
 * address) ends the sign-in and returns at once, with or without the cookie; every attempt to
 * return elsewhere, or to sign out unasked, gets the confirmation page instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, authenticate, signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { APP_HOST, AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, browse, relyingParty, userinfo } from '../testing/oidcFlows.js';
import * as flows from '../testing/oidcFlows.js';

let server: TestServer;
let orgId: string;
const phone = new SoftAuthenticator();
const BYE = `https://${APP_HOST}/signed-out`;
const OTHER_BYE = 'https://other.example.com/bye';

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  orgId = (await server.deps.database.db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
});
afterAll(() => server.close());

const party = (uris: string[] = [BYE]) => relyingParty(server, orgId, { postLogoutRedirectUris: uris });

/** A fresh browser sign-in on the auth host, and an app signed in through it. */
async function signedInApp(client: flows.RelyingParty) {
  const cookie = await signIn(server.port, phone, AUTH_PAGE);
  const { tokens } = await flows.signInToApp(server, client.config, cookie);
  return { cookie, tokens, idToken: tokens.id_token! };
}

const isSignedIn = async (cookie: string) => (await api(server.port, 'POST', '/auth/api/validate', { host: AUTH_HOST, cookie })).status === 200;

function expectConfirmationPage(response: RawResponse) {
  expect(response.status, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers.location).toBeUndefined();
  expect(response.body).toContain('name="passkey-auth-view" content="logout"');
}

function confirm(query: string, cookie: string | null, origin = AUTH_PAGE.origin, host = AUTH_HOST): Promise<RawResponse> {
  return rawRequest(server.port, {
    method: 'POST', host, path: '/auth/oidc/logout/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ query }).toString(),
  });
}

describe('a proven request (id_token_hint and a registered post_logout_redirect_uri)', () => {
  it('ends the sign-in without a cookie, returns with state, and the app tokens stop working', async () => {
    const client = await party();
    const { cookie, tokens, idToken } = await signedInApp(client);
    const url = oidc.buildEndSessionUrl(client.config, { id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 'st 1' });
    expect(url.href.startsWith(`https://${AUTH_HOST}/auth/oidc/logout?`)).toBe(true);

    const response = await browse(server, url, null);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${BYE}?state=st+1`);
    expect(await isSignedIn(cookie)).toBe(false);
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(client.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts an expired hint, by POST too, and clears the cookie of the sign-in it ends', async () => {
    const client = await party();
    const { cookie, idToken } = await signedInApp(client);
    server.advanceClock(2 * 60 * 60 * 1000);
    const response = await rawRequest(server.port, {
      method: 'POST', host: AUTH_HOST, path: '/auth/oidc/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: BYE }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(BYE);
    expect(String(response.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('moves to the issuer host first', async () => {
    const response = await rawRequest(server.port, { host: APP_HOST, path: '/auth/oidc/logout?state=x' });
    expect(response.status).toBe(307);
    expect(response.headers.location).toBe(`https://${AUTH_HOST}/auth/oidc/logout?state=x`);
  });
});

describe('anything else gets the confirmation page and never an unregistered redirect', () => {
  it.each([
    ['an unregistered URI', async (mine: flows.RelyingParty, idToken: string) => ({ id_token_hint: idToken, post_logout_redirect_uri: `${BYE}/x`, client_id: mine.clientId })],
    ['the URI of another client', async (_mine: flows.RelyingParty, idToken: string) => { await party([OTHER_BYE]); return { id_token_hint: idToken, post_logout_redirect_uri: OTHER_BYE }; }],
    ['the hint of another client', async (mine: flows.RelyingParty) => {
      const theirs = await party([OTHER_BYE]);
      const { idToken } = await signedInApp(theirs);
      return { id_token_hint: idToken, client_id: mine.clientId, post_logout_redirect_uri: BYE };
    }],
    ['a tampered hint', async (_mine: flows.RelyingParty, idToken: string) => {
      const [header, payload, signature] = idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const tampered = Buffer.from(JSON.stringify({ ...claims, sid: 'another-session' })).toString('base64url');
      return { id_token_hint: `${header}.${tampered}.${signature}`, post_logout_redirect_uri: BYE };
    }],
    ['a javascript: URI', async (mine: flows.RelyingParty, idToken: string) => ({ id_token_hint: idToken, client_id: mine.clientId, post_logout_redirect_uri: 'javascript:alert(1)' })],
    ['no hint at all', async (mine: flows.RelyingParty) => ({ client_id: mine.clientId, post_logout_redirect_uri: BYE })],
  ])('%s', async (_name, attempt) => {
    const mine = await party();
    const { cookie, tokens, idToken } = await signedInApp(mine);
    const params = await attempt(mine, idToken);
    expectConfirmationPage(await browse(server, `/auth/oidc/logout?${new URLSearchParams(params)}`, cookie));
    expect(await isSignedIn(cookie)).toBe(true);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
  });

  it('serves the page with the registered return address allowed as a form target, and Origin-sending referrers', async () => {
    const mine = await party();
    const response = await browse(server, `/auth/oidc/logout?client_id=${mine.clientId}&post_logout_redirect_uri=${encodeURIComponent(BYE)}`, null);
    expectConfirmationPage(response);
    expect(response.headers['content-security-policy']).toContain(`form-action 'self' https://${APP_HOST}`);
    expect(response.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('the confirmation', () => {
  it('signs the browser out and returns to an address registered for the named client, with state', async () => {
    const mine = await party();
    const { cookie, tokens } = await signedInApp(mine);
    const response = await confirm(new URLSearchParams({ client_id: mine.clientId, post_logout_redirect_uri: BYE, state: 's' }).toString(), cookie);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${BYE}?state=s`);
    expect(await isSignedIn(cookie)).toBe(false);
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
  });

  it('ends on our own page when nothing registered was named', async () => {
    const mine = await party();
    const { cookie } = await signedInApp(mine);
    const response = await confirm(new URLSearchParams({ client_id: mine.clientId, post_logout_redirect_uri: OTHER_BYE }).toString(), cookie);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/auth/oidc/logout/done');
    expect(await isSignedIn(cookie)).toBe(false);
    expect((await browse(server, '/auth/oidc/logout/done', null)).body).toContain('content="logout"');
  });

  it('is refused from another site and on another host', async () => {
    const { cookie } = await signedInApp(await party());
    expect((await confirm('', cookie, 'https://evil.example.net')).status).toBe(403);
    expect((await confirm('', cookie, `https://${APP_HOST}`, APP_HOST)).status).toBe(404);
    expect(await isSignedIn(cookie)).toBe(true);
  });
});

describe('re-authentication', () => {
  it('keeps the apps signed in during the sign-in it renews', async () => {
    const mine = await party();
    const { cookie, tokens } = await signedInApp(mine);
    const code = (await authenticate(server.port, phone, AUTH_PAGE)).code;
    const renewed = await rawRequest(server.port, { method: 'POST', host: AUTH_HOST, path: '/auth/api/set-session', headers: { authorization: `Bearer ${code}`, cookie, origin: AUTH_PAGE.origin } });
    expect(renewed.status).toBe(200);
    expect(await isSignedIn(cookie)).toBe(false);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
    // The renewed session is the same sign-in: ending it through the app's hint still works.
    const newCookie = String(renewed.headers['set-cookie']).split(';')[0]!;
    const url = oidc.buildEndSessionUrl(mine.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE });
    expect((await browse(server, url, null)).status).toBe(303);
    expect(await isSignedIn(newCookie)).toBe(false);
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
  });
});
