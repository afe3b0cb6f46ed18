/**
 * Revocation (RFC 7009) and introspection (RFC 7662) driven by openid-client v6 against the real
 * server, and the raw requests openid-client would not send: a missing token, a wrong secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { AUTH_HOST, AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, basicAuth, relyingParty, userinfo } from '../testing/oidcFlows.js';
import * as flows from '../testing/oidcFlows.js';
import { findOidcGrant } from '../db/oidcGrants.js';

let server: TestServer;
let cookie: string;
let orgId: string;
let adminId: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  const admin = await server.deps.database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  orgId = admin.org_id;
  adminId = admin.id;
});
afterAll(() => server.close());

const party = (fields: Parameters<typeof relyingParty>[2] = {}) => relyingParty(server, orgId, fields);
const signInToApp = (config: oidc.Configuration) => flows.signInToApp(server, config, cookie);

/** The grant an access token names (its `grant_id` claim). */
function grantIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).grant_id;
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.port, {
    method: 'POST', host: AUTH_HOST, path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
  });
}

function expectOAuthError(response: RawResponse, error: string, status: number) {
  expect(response.status, response.body).toBe(status);
  expect(JSON.parse(response.body).error).toBe(error);
  expect(response.headers['cache-control']).toBe('no-store');
}

describe('revocation', () => {
  it('of a refresh token ends the grant: no refresh, no userinfo', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);

    await oidc.tokenRevocation(client.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    await expect(oidc.refreshTokenGrant(client.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
  });

  it('of an access token ends its grant', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    await oidc.tokenRevocation(client.config, tokens.access_token);
    const grant = await findOidcGrant(server.deps.database.db, grantIdOf(tokens.access_token));
    expect(grant?.revoked_at).toEqual(expect.any(Number));
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(client.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('by another client answers 200 and leaves the tokens working', async () => {
    const mine = await party();
    const theirs = await party();
    const { tokens } = await signInToApp(mine.config);
    await oidc.tokenRevocation(theirs.config, tokens.access_token);
    await oidc.tokenRevocation(theirs.config, tokens.refresh_token!);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
    const refreshed = await oidc.refreshTokenGrant(mine.config, tokens.refresh_token!);
    expect((await userinfo(server, refreshed.access_token)).status).toBe(200);
  });

  it('answers 200, not cacheable, for an unknown token; a public client revokes its own', async () => {
    const client = await party();
    const unknown = await post('/auth/oidc/revoke', { token: 'no-such-token' }, basicAuth(client));
    expect(unknown.status).toBe(200);
    expect(unknown.headers['cache-control']).toBe('no-store');

    const spa = await party({ tokenEndpointAuthMethod: 'none' });
    const { tokens } = await signInToApp(spa.config);
    await oidc.tokenRevocation(spa.config, tokens.refresh_token!);
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
  });

  it('refuses a wrong secret (401 invalid_client) and a missing token (400 invalid_request)', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    const wrong = await post('/auth/oidc/revoke', { token: tokens.access_token }, basicAuth({ ...client, secret: 'wrong' }));
    expectOAuthError(wrong, 'invalid_client', 401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    expectOAuthError(await post('/auth/oidc/revoke', { token: tokens.access_token }), 'invalid_client', 401);
    expectOAuthError(await post('/auth/oidc/revoke', {}, basicAuth(client)), 'invalid_request', 400);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
  });
});

describe('introspection', () => {
  it('shows a client its own live tokens, and nothing once revoked', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    const access = await oidc.tokenIntrospection(client.config, tokens.access_token);
    expect(access).toMatchObject({ active: true, client_id: client.clientId, sub: adminId, scope: tokens.scope, token_type: 'Bearer', iss: ISSUER, aud: ISSUER });
    expect(access.exp! - access.iat!).toBe(tokens.expires_in);
    const refresh = await oidc.tokenIntrospection(client.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(refresh).toMatchObject({ active: true, client_id: client.clientId, sub: adminId, token_type: 'refresh_token', iss: ISSUER, aud: ISSUER });
    expect(refresh.exp).toBeGreaterThan(refresh.iat!);

    await oidc.tokenRevocation(client.config, tokens.access_token);
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      expect(await oidc.tokenIntrospection(client.config, token)).toEqual({ active: false });
    }
  });

  it('shows another client, an unknown token and an expired one as inactive', async () => {
    const mine = await party();
    const theirs = await party();
    const { tokens } = await signInToApp(mine.config);
    for (const token of [tokens.access_token, tokens.refresh_token!, tokens.id_token!]) {
      expect(await oidc.tokenIntrospection(theirs.config, token)).toEqual({ active: false });
    }
    expect(await oidc.tokenIntrospection(mine.config, 'no-such-token')).toEqual({ active: false });
    server.advanceClock((tokens.expires_in! + 1) * 1000);
    expect(await oidc.tokenIntrospection(mine.config, tokens.access_token)).toEqual({ active: false });
  });

  it('refuses a wrong secret, no authentication and a public client (401), and a missing token (400)', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    expectOAuthError(await post('/auth/oidc/introspect', { token: tokens.access_token }, basicAuth({ ...client, secret: 'wrong' })), 'invalid_client', 401);
    expectOAuthError(await post('/auth/oidc/introspect', { token: tokens.access_token }), 'invalid_client', 401);
    const spa = await party({ tokenEndpointAuthMethod: 'none' });
    const own = await signInToApp(spa.config);
    expectOAuthError(await post('/auth/oidc/introspect', { token: own.tokens.access_token, client_id: spa.clientId }), 'invalid_client', 401);
    expectOAuthError(await post('/auth/oidc/introspect', {}, basicAuth(client)), 'invalid_request', 400);
  });
});
