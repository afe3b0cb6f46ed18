/**
 * The failure cases of the OpenID Foundation's Basic OP plan (and this provider's own rules), each
 * performed against the real server: what an attacker or a broken app would try, and what must happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, REDIRECT, authorizationRequest, basicAuth, browse, redirectOf, relyingParty, tokenRequest, userinfo } from '../testing/oidcFlows.js';
import * as flows from '../testing/oidcFlows.js';
import { insertPermission, grantPermissionToOrg } from '../db/permissions.js';
import { addPermissionToRole } from '../db/orgs.js';

let server: TestServer;
let cookie: string;
let orgId: string;
let roleId: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  const admin = await server.deps.database.db.selectFrom('users').select(['org_id', 'role_id']).executeTakeFirstOrThrow();
  orgId = admin.org_id;
  roleId = admin.role_id;
});
afterAll(() => server.close());

const party = (fields: Parameters<typeof relyingParty>[2] = {}) => relyingParty(server, orgId, fields);
const signInToApp = (config: oidc.Configuration, extra: Record<string, string> = {}) => flows.signInToApp(server, config, cookie, extra);

/** The code the provider sends the browser back with, for the raw token requests below. */
async function codeFor(party: flows.RelyingParty, extra: Record<string, string> = {}) {
  const started = await authorizationRequest(party.config, extra);
  const callback = redirectOf(await browse(server, started.url, cookie));
  return { started, code: callback.searchParams.get('code')! };
}

function exchange(party: flows.RelyingParty, fields: Record<string, string>) {
  return tokenRequest(server, { grant_type: 'authorization_code', redirect_uri: REDIRECT, ...fields }, basicAuth(party));
}

/** An RFC 6749 error answer: status 400 (unless told), the error code, not cacheable. */
function expectTokenError(response: { status: number; headers: Record<string, unknown>; body: string }, error: string, status = 400) {
  expect(response.status, response.body).toBe(status);
  expect(JSON.parse(response.body).error).toBe(error);
  expect(response.headers['cache-control']).toBe('no-store');
}

/** The error the browser is sent back to the client with. */
function expectRedirectedError(location: URL, error: string, state: string) {
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('error')).toBe(error);
  expect(location.searchParams.get('state')).toBe(state);
  expect(location.searchParams.get('iss')).toBe(ISSUER);
  expect(location.searchParams.get('code')).toBeNull();
}

describe('the code exchange', () => {
  it('refuses a wrong code', async () => {
    const client = await party();
    const { started } = await codeFor(client);
    expectTokenError(await exchange(client, { code: 'not-the-code', code_verifier: started.verifier }), 'invalid_grant');
  });

  it('refuses a code used twice, and revokes what the first use got', async () => {
    const client = await party();
    const { started, code } = await codeFor(client);
    const first = await exchange(client, { code, code_verifier: started.verifier });
    expect(first.status).toBe(200);
    const tokens = JSON.parse(first.body);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);

    expectTokenError(await exchange(client, { code, code_verifier: started.verifier }), 'invalid_grant');
    const revoked = await userinfo(server, tokens.access_token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    expectTokenError(await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, basicAuth(client)), 'invalid_grant');
  });

  it('refuses a wrong code_verifier, and a missing one', async () => {
    const client = await party();
    const wrong = await codeFor(client);
    expectTokenError(await exchange(client, { code: wrong.code, code_verifier: oidc.randomPKCECodeVerifier() }), 'invalid_grant');
    const missing = await codeFor(client);
    expectTokenError(await exchange(client, { code: missing.code }), 'invalid_grant');
  });

  it('refuses a code sent to another redirect_uri than the one it was issued for', async () => {
    const client = await party({ redirectUris: [REDIRECT, `${REDIRECT}2`] });
    const { started, code } = await codeFor(client);
    expectTokenError(await exchange(client, { code, code_verifier: started.verifier, redirect_uri: `${REDIRECT}2` }), 'invalid_grant');
  });

  it('refuses a code of another client', async () => {
    const mine = await party();
    const theirs = await party();
    const { started, code } = await codeFor(mine);
    expectTokenError(await exchange(theirs, { code, code_verifier: started.verifier }), 'invalid_grant');
  });

  it('refuses an expired code (60 s)', async () => {
    const client = await party();
    const { started, code } = await codeFor(client);
    server.advanceClock(61_000);
    expectTokenError(await exchange(client, { code, code_verifier: started.verifier }), 'invalid_grant');
  });
});

describe('the authorization request', () => {
  it('refuses plain PKCE, back at the client', async () => {
    const client = await party();
    const started = await authorizationRequest(client.config, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expectRedirectedError(redirectOf(await browse(server, started.url, cookie)), 'invalid_request', started.state);
  });

  it('requires PKCE of public clients', async () => {
    const client = await party({ tokenEndpointAuthMethod: 'none' });
    const started = await authorizationRequest(client.config);
    started.url.searchParams.delete('code_challenge');
    started.url.searchParams.delete('code_challenge_method');
    expectRedirectedError(redirectOf(await browse(server, started.url, cookie)), 'invalid_request', started.state);
  });

  it('never redirects to an unregistered redirect_uri, nor for an unknown client', async () => {
    const client = await party();
    const started = await authorizationRequest(client.config, { redirect_uri: 'https://evil.example.net/callback' });
    const mismatch = await browse(server, started.url, cookie);
    expect(mismatch.status).toBe(400);
    expect(mismatch.headers.location).toBeUndefined();

    started.url.searchParams.set('redirect_uri', REDIRECT);
    started.url.searchParams.set('client_id', 'no-such-client');
    const unknown = await browse(server, started.url, cookie);
    expect(unknown.status).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
  });

  it('answers prompt=none without a session with login_required, at the client', async () => {
    const client = await party();
    const started = await authorizationRequest(client.config, { prompt: 'none' });
    expectRedirectedError(redirectOf(await browse(server, started.url, null)), 'login_required', started.state);
  });

  it('asks for a new sign-in when max_age has passed, and prompt=none then says login_required', async () => {
    const client = await party();
    const fresh = await signInToApp(client.config, { max_age: '3600' });
    expect(fresh.tokens.claims()!.auth_time).toBeDefined();
    server.advanceClock(2 * 3600_000);
    const stale = await authorizationRequest(client.config, { max_age: '3600' });
    const page = await browse(server, stale.url, cookie);
    expect(page.status).toBe(200);
    expect(page.headers.location).toBeUndefined();
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const silent = await authorizationRequest(client.config, { max_age: '3600', prompt: 'none' });
    expectRedirectedError(redirectOf(await browse(server, silent.url, cookie)), 'login_required', silent.state);
  });

  it('sends access_denied to the client when the person lacks its required permission', async () => {
    const client = await party({ requiredPerm: 'reports:read' });
    const started = await authorizationRequest(client.config);
    expectRedirectedError(redirectOf(await browse(server, started.url, cookie)), 'access_denied', started.state);
  });
});

describe('tokens', () => {
  it('userinfo refuses a tampered access token, an ID token, and no token at all', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    for (const token of [forged, tokens.id_token!, `${header}.${payload}.${signature.slice(0, -4)}AAAA`]) {
      const response = await userinfo(server, token);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    }
    const none = await flows.browse(server, '/auth/oidc/userinfo', null);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="passkey-auth"');
  });

  it('a refresh token used twice revokes the whole grant and is audited', async () => {
    const client = await party();
    const { tokens } = await signInToApp(client.config);
    const second = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    expect((await userinfo(server, second.access_token)).status).toBe(200);

    expectTokenError(await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basicAuth(client)), 'invalid_grant');
    // Every token of the grant is dead now: the newest refresh token and access token too.
    expect((await userinfo(server, second.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(client.config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const audit = await server.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'oidc_refresh_reused').where('target', '=', client.clientId).execute();
    expect(audit).toHaveLength(1);
  });

  it('a refresh token works only for its own client', async () => {
    const mine = await party();
    const theirs = await party();
    const { tokens } = await signInToApp(mine.config);
    expectTokenError(await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basicAuth(theirs)), 'invalid_grant');
  });

  it('refresh tokens lapse when unused for the idle lifetime, and at the absolute lifetime whatever the use', async () => {
    const client = await party({ refreshIdleTtl: 600, refreshAbsoluteTtl: 1500 });
    const idle = await signInToApp(client.config);
    server.advanceClock(601_000);
    await expect(oidc.refreshTokenGrant(client.config, idle.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    let refreshToken = (await signInToApp(client.config)).tokens.refresh_token!;
    for (let step = 0; step < 2; step++) {
      server.advanceClock(500_000);
      refreshToken = (await oidc.refreshTokenGrant(client.config, refreshToken)).refresh_token!;
    }
    server.advanceClock(501_000); // 1501 s after the sign-in; the token itself is only 501 s old
    await expect(oidc.refreshTokenGrant(client.config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('checks the required permission again at every refresh', async () => {
    const { db } = server.deps.database;
    const permission = await insertPermission(db, { scope: 'ledger:use', displayName: 'Ledger', domain: null }, Date.now());
    await grantPermissionToOrg(db, orgId, permission.id);
    await addPermissionToRole(db, roleId, permission.id);
    server.services.identities.clear();
    const client = await party({ requiredPerm: 'ledger:use' });
    const { tokens } = await signInToApp(client.config);
    const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);

    await db.deleteFrom('role_permissions').where('permission_id', '=', permission.id).execute();
    await expect(oidc.refreshTokenGrant(client.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
