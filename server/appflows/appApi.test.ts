/**
 * The JSON app API (`/auth/api/app/{token,me,refresh,logout,check}`) against the real server:
 * each failure an attacker or a broken app would cause, performed, and what must happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_HOST, AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, REDIRECT, authorizationRequest, browse, redirectOf, relyingParty, userinfo } from '../testing/oidcFlows.js';
import { APP_ORIGIN, appApi, appCode, appSignIn, expectAppError, registerApp } from '../testing/appFlows.js';
import { rawRequest } from '../testing/rawHttp.js';
import type { AppCheck, AppTokens } from '../../shared/appFlows.js';
import type { OidcClient } from '../db/oidcClients.js';
import { logoutTokenFor, startLogoutReceiver, verifyLogoutToken } from '../testing/logoutReceiver.js';

let server: TestServer;
let cookie: string;
let orgId: string;
let notes: OidcClient;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  orgId = (await server.deps.database.db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
  notes = await registerApp(server, orgId);
});
afterAll(() => server.close());

const me = (accessToken: string) => appApi(server, 'GET', 'me', { bearer: accessToken });
const check = (token: string, appId = notes.id) => appApi(server, 'POST', 'check', { body: { token, app_id: appId } });
const refresh = (refreshToken: string) => appApi(server, 'POST', 'refresh', { body: { refresh_token: refreshToken } });

async function expectInvalidAtMeAndCheck(accessToken: string) {
  expectAppError(await me(accessToken), 401, 'invalid_token');
  const checked = await check(accessToken);
  expect(checked.status).toBe(200);
  expect(JSON.parse(checked.body)).toEqual({ valid: false });
}

describe('me, refresh, check and logout with live tokens', () => {
  it('me answers the user the exchange answered', async () => {
    const tokens = await appSignIn(server, cookie);
    const response = await me(tokens.access_token);
    expect(response.status, response.body).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(JSON.parse(response.body)).toEqual(tokens.user);
  });

  it('refresh rotates: new tokens, and the new access token works', async () => {
    const tokens = await appSignIn(server, cookie);
    const response = await refresh(tokens.refresh_token!);
    expect(response.status, response.body).toBe(200);
    const renewed = JSON.parse(response.body) as AppTokens;
    expect(renewed.refresh_token).not.toBe(tokens.refresh_token);
    expect(renewed.user).toEqual(tokens.user);
    expect((await me(renewed.access_token)).status).toBe(200);
  });

  it('check says valid with the user, for the app the token was issued to', async () => {
    const tokens = await appSignIn(server, cookie);
    const response = await check(tokens.access_token);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ valid: true, user: tokens.user } satisfies AppCheck);
  });

  it('logout ends the grant: me, check and refresh refuse its tokens; OpenID Connect userinfo too', async () => {
    const tokens = await appSignIn(server, cookie);
    const response = await appApi(server, 'POST', 'logout', { bearer: tokens.access_token });
    expect(response.status).toBe(204);
    await expectInvalidAtMeAndCheck(tokens.access_token);
    expectAppError(await refresh(tokens.refresh_token!), 400, 'invalid_grant');
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
  });

  it('logout with the refresh token (an app whose access token expired) ends the grant too', async () => {
    const tokens = await appSignIn(server, cookie);
    expect((await appApi(server, 'POST', 'logout', { body: { refresh_token: tokens.refresh_token } })).status).toBe(204);
    await expectInvalidAtMeAndCheck(tokens.access_token);
    // Logging out again is no error: the token simply no longer counts.
    expect((await appApi(server, 'POST', 'logout', { bearer: tokens.access_token })).status).toBe(204);
  });

  it("logout tells an app with a back-channel logout URI, as the revocation endpoint's grant end does", async () => {
    const receiver = await startLogoutReceiver();
    try {
      const callback = `${APP_ORIGIN}/told/callback`;
      const told = await registerApp(server, orgId, { name: 'Told', redirectUris: [callback], backchannelLogoutUri: receiver.url });
      const { code, verifier } = await appCode(server, cookie, callback);
      const tokens = JSON.parse((await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } })).body) as AppTokens;
      expect((await appApi(server, 'POST', 'logout', { bearer: tokens.access_token })).status).toBe(204);
      const claims = await verifyLogoutToken(server, await logoutTokenFor(receiver, told.id), told.id);
      expect(claims.sub).toBe(tokens.user.id);
    } finally {
      await receiver.close();
    }
  });

  it('logout without a token is a 400', async () => {
    expectAppError(await appApi(server, 'POST', 'logout', { body: {} }), 400, 'invalid_request');
  });

  it('answers CORS preflights for the app origin and no other', async () => {
    const preflight = (origin: string) => rawRequest(server.port, { method: 'OPTIONS', host: AUTH_HOST, path: '/auth/api/app/token', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(allowed.headers['access-control-allow-headers']).toContain('Content-Type');
    expect((await preflight('https://evil.example.net')).headers['access-control-allow-origin']).toBeUndefined();
    const tokens = await appSignIn(server, cookie);
    expect((await appApi(server, 'GET', 'me', { bearer: tokens.access_token, origin: 'https://evil.example.net' })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('what the user holds', () => {
  it("only what the app's scopes release: an app allowed no profile, email or groups learns the id alone", async () => {
    const callback = `${APP_ORIGIN}/narrow/callback`;
    await registerApp(server, orgId, { name: 'Narrow', redirectUris: [callback], scopes: ['openid', 'offline_access'] });
    const { code, verifier } = await appCode(server, cookie, callback);
    const response = await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } });
    expect(response.status, response.body).toBe(200);
    const tokens = JSON.parse(response.body) as AppTokens;
    expect(tokens.user).toEqual({ id: expect.any(String), name: null, email: null, username: null, organisation: null, role: null, permissions: [] });
    expect(JSON.parse((await me(tokens.access_token)).body)).toEqual(tokens.user);
  });

  it('no refresh token for an app not allowed offline access', async () => {
    const callback = `${APP_ORIGIN}/online/callback`;
    await registerApp(server, orgId, { name: 'Online', redirectUris: [callback], scopes: ['openid', 'profile'] });
    const { code, verifier } = await appCode(server, cookie, callback);
    const tokens = JSON.parse((await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } })).body) as AppTokens;
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.user.name).toBe('Admin');
  });
});

describe('the code exchange refuses', () => {
  it('a wrong verifier', async () => {
    const { code } = await appCode(server, cookie);
    expectAppError(await appApi(server, 'POST', 'token', { body: { code, code_verifier: 'x'.repeat(43) } }), 400, 'invalid_grant');
  });

  it('a reused code, and revokes the tokens the first use produced', async () => {
    const { code, verifier } = await appCode(server, cookie);
    const first = await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } });
    expect(first.status).toBe(200);
    const tokens = JSON.parse(first.body) as AppTokens;
    expectAppError(await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } }), 400, 'invalid_grant');
    await expectInvalidAtMeAndCheck(tokens.access_token);
  });

  it('an expired code', async () => {
    const { code, verifier } = await appCode(server, cookie);
    server.advanceClock(61_000);
    expectAppError(await appApi(server, 'POST', 'token', { body: { code, code_verifier: verifier } }), 400, 'invalid_grant');
  });

  it('an unknown code', async () => {
    expectAppError(await appApi(server, 'POST', 'token', { body: { code: 'not-a-code', code_verifier: 'x'.repeat(43) } }), 400, 'invalid_grant');
  });

  it("a confidential client's code: that client proves itself with its secret at the token endpoint", async () => {
    const confidential = await relyingParty(server, orgId);
    const started = await authorizationRequest(confidential.config);
    const callback = redirectOf(await browse(server, started.url, cookie));
    const response = await appApi(server, 'POST', 'token', { body: { code: callback.searchParams.get('code'), code_verifier: started.verifier } });
    expectAppError(response, 400, 'invalid_grant');
    expect(JSON.parse(response.body).detail).toMatch(/confidential/);
    expect(callback.searchParams.get('iss')).toBe(ISSUER);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
  });

  it('a body that is not JSON, or lacks a field', async () => {
    const form = await rawRequest(server.port, { method: 'POST', host: AUTH_HOST, path: '/auth/api/app/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=a&code_verifier=b' });
    expectAppError(form, 400, 'invalid_request');
    expectAppError(await appApi(server, 'POST', 'token', { body: { code: 'abc' } }), 400, 'invalid_request');
  });
});

describe('a reused refresh token', () => {
  it('revokes the whole grant: the newest tokens stop working too', async () => {
    const tokens = await appSignIn(server, cookie);
    const renewed = JSON.parse((await refresh(tokens.refresh_token!)).body) as AppTokens;
    expect((await me(renewed.access_token)).status).toBe(200);

    expectAppError(await refresh(tokens.refresh_token!), 400, 'invalid_grant');
    await expectInvalidAtMeAndCheck(renewed.access_token);
    expectAppError(await refresh(renewed.refresh_token!), 400, 'invalid_grant');
    const audit = await server.deps.database.db.selectFrom('audit_log').select('action').where('action', '=', 'oidc_refresh_reused').execute();
    expect(audit.length).toBeGreaterThan(0);
  });
});

describe('tokens that are not (or no longer) good at me and check', () => {
  it('an expired access token', async () => {
    const tokens = await appSignIn(server, cookie);
    server.advanceClock((notes.accessTokenTtl + 1) * 1000);
    await expectInvalidAtMeAndCheck(tokens.access_token);
  });

  it('an access token signed by someone else', async () => {
    const tokens = await appSignIn(server, cookie);
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString()).kid }).sign(privateKey);
    await expectInvalidAtMeAndCheck(forged);
  });

  it('a refresh token where an access token belongs, and no token at all', async () => {
    const tokens = await appSignIn(server, cookie);
    await expectInvalidAtMeAndCheck(tokens.refresh_token!);
    expectAppError(await appApi(server, 'GET', 'me'), 401, 'invalid_token');
    expect((await appApi(server, 'GET', 'me')).headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it("another app's token at check: not valid for this app, still valid for its own", async () => {
    const other = await registerApp(server, orgId, { name: 'Other', redirectUris: [`${APP_ORIGIN}/other/callback`] });
    const tokens = await appSignIn(server, cookie);
    expect(JSON.parse((await check(tokens.access_token, other.id)).body)).toEqual({ valid: false });
    expect(JSON.parse((await check(tokens.access_token, 'no-such-app')).body)).toEqual({ valid: false });
    expect(JSON.parse((await check(tokens.access_token)).body)).toMatchObject({ valid: true });
  });
});
