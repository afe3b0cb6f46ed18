/**
 * The OpenID provider driven by a real relying party (openid-client v6, with ID-token signatures
 * checked) against the real server: discovery, code + PKCE, refresh, userinfo. The browser's part
 * is played with a session made by a passkey ceremony, as the page would make it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { authenticate, setSession, signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest } from '../testing/rawHttp.js';
import {
  APP_HOST, AUTH_HOST, AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, REDIRECT, SCOPE, authorizationRequest, basicAuth, browse, relyingParty, tokenRequest,
} from '../testing/oidcFlows.js';
import * as flows from '../testing/oidcFlows.js';
import { updatePersonFields } from '../db/people.js';
import { ACR_PASSKEY } from '../../shared/oidc.js';

let server: TestServer;
let cookie: string;
let adminId: string;
let orgId: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  const admin = await server.deps.database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  adminId = admin.id;
  orgId = admin.org_id;
  await updatePersonFields(server.deps.database.db, adminId, { email: 'Admin@Example.com', emailVerified: true, username: 'admin' });
});
afterAll(() => server.close());

const party = (fields: Parameters<typeof relyingParty>[2] = {}) => relyingParty(server, orgId, fields);
const signInToApp = (config: oidc.Configuration, extra: Record<string, string> = {}) => flows.signInToApp(server, config, cookie, extra);

describe('a relying party signs a person in', () => {
  it('with code and PKCE: signed ID token with the person, how they signed in, and their scope claims', async () => {
    const { config, clientId } = await party();
    const { callback, tokens, started } = await signInToApp(config);
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(ISSUER);
    expect(callback.searchParams.get('state')).toBe(started.state);

    // The same list forward auth sends as Remote-Groups on the app's host.
    const appCookie = await setSession(server.port, (await authenticate(server.port, phone, { origin: `https://${APP_HOST}`, host: AUTH_HOST })).code, APP_HOST, `https://${APP_HOST}`);
    const forward = await rawRequest(server.port, { host: APP_HOST, path: '/auth/api/forward', headers: { cookie: appCookie } });
    const remoteGroups = String(forward.headers['remote-groups']).split(',').filter(Boolean);
    expect(remoteGroups.length).toBeGreaterThan(0);

    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: ISSUER, sub: adminId, aud: clientId, azp: clientId, nonce: started.nonce,
      name: 'Admin', preferred_username: 'admin', email: 'Admin@Example.com', email_verified: true, groups: remoteGroups,
      amr: ['swk', 'mfa'], acr: ACR_PASSKEY,
    });
    expect(typeof claims.sid).toBe('string');
    expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(60);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.refresh_token).toBeTruthy();

    // The access token is an RFC 9068 JWT.
    const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString());
    expect(header.typ).toBe('at+jwt');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, adminId);
    expect(info).toEqual({ sub: adminId, name: 'Admin', preferred_username: 'admin', email: 'Admin@Example.com', email_verified: true, groups: remoteGroups });
    // POST works too, with the token in the Authorization header or in a form body (RFC 6750 §2.2).
    const requests: Array<{ headers: Record<string, string>; body?: string }> = [
      { headers: { authorization: `Bearer ${tokens.access_token}` } },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${tokens.access_token}` },
    ];
    for (const request of requests) {
      const posted = await rawRequest(server.port, { method: 'POST', host: AUTH_HOST, path: '/auth/oidc/userinfo', ...request });
      expect(JSON.parse(posted.body)).toEqual(info);
    }

    // A refresh rotates the refresh token and gives an ID token with the same claims (no nonce).
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const { nonce: _nonce, iat: _iat, exp: _exp, ...stable } = claims;
    expect(refreshed.claims()).toMatchObject(stable);
    expect(refreshed.claims()!.nonce).toBeUndefined();
    expect(await oidc.fetchUserInfo(config, refreshed.access_token, adminId)).toEqual(info);
  });

  it('gives a public client tokens with PKCE and no secret; no refresh token without offline_access', async () => {
    const { config } = await party({ tokenEndpointAuthMethod: 'none' });
    const { tokens } = await signInToApp(config, { scope: 'openid email' });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.claims()).not.toHaveProperty('name');
    expect(tokens.claims()).toHaveProperty('email');
    expect(await oidc.fetchUserInfo(config, tokens.access_token, adminId)).toEqual({ sub: adminId, email: 'Admin@Example.com', email_verified: true });
  });

  it('authenticates clients with client_secret_post too, and refuses a wrong secret', async () => {
    const { config } = await party({ tokenEndpointAuthMethod: 'client_secret_post' });
    await signInToApp(config);
    const basic = await party();
    const response = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(43) }, basicAuth({ ...basic, secret: 'wrong' }));
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error).toBe('invalid_client');
    expect(response.headers['www-authenticate']).toMatch(/^Basic/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers with a form post when asked (response_mode=form_post)', async () => {
    const { config } = await party();
    const started = await authorizationRequest(config, { response_mode: 'form_post' });
    const page = await browse(server, started.url, cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="${REDIRECT}"`);
    expect(page.body).toContain(`name="iss" value="${ISSUER}"`);
    expect(String(page.headers['content-security-policy'])).toContain(`form-action https://${APP_HOST}`);
    const code = /name="code" value="([^"]+)"/.exec(page.body)![1]!;
    const callback = new URL(REDIRECT);
    for (const name of ['code', 'state', 'iss']) callback.searchParams.set(name, name === 'code' ? code : name === 'state' ? started.state : ISSUER);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens.claims()!.sub).toBe(adminId);
  });
});
