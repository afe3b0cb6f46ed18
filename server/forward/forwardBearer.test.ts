/**
 * Forward auth with `Authorization: Bearer`: a person's access token and a client-credentials
 * token pass with the same `perm` rules as a session, on the hosts of their app; every kind of
 * token that is not one of ours, or no longer counts, is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { APP_HOST, AUTH_HOST, AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, basicAuth, relyingParty, signInToApp, tokenRequest, type RelyingParty } from '../testing/oidcFlows.js';

let server: TestServer;
let admin: string;
let adminId: string;
let orgId: string;
const phone = new SoftAuthenticator();

const json = (response: RawResponse) => JSON.parse(response.body);
const adminCall = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host: AUTH_HOST, cookie: admin, body, origin: AUTH_PAGE.origin });

function forward(token: string, query = '', host = APP_HOST, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.port, { host, path: `/auth/api/forward${query}`, headers: { authorization: `Bearer ${token}`, ...headers } });
}

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  admin = await signIn(server.port, phone, AUTH_PAGE);
  const row = await server.deps.database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  adminId = row.id;
  orgId = row.org_id;
  for (const scope of ['reports:read', 'reports:write']) {
    const permission = json(await adminCall('POST', '/permissions', { scope, displayName: scope }));
    expect((await adminCall('PUT', `/orgs/${orgId}/permissions/${permission.id}`)).status).toBe(204);
  }
});
afterAll(() => server.close());

describe("a person's access token", () => {
  let app: RelyingParty;
  let tokens: Awaited<ReturnType<typeof signInToApp>>['tokens'];
  beforeAll(async () => {
    app = await relyingParty(server, orgId);
    ({ tokens } = await signInToApp(server, app.config, admin));
  });

  it('passes on its app\'s host with the person\'s Remote-* headers and the same perm rules', async () => {
    const allowed = await forward(tokens.access_token, '?perm=auth:admin');
    expect(allowed.status, allowed.body).toBe(204);
    expect(allowed.headers).toMatchObject({ 'remote-user': adminId, 'remote-client': app.clientId, 'remote-org': orgId });
    expect(allowed.headers['remote-groups']).toContain('auth:admin');
    expect(allowed.headers).not.toHaveProperty('remote-credential');
    expect((await forward(tokens.access_token, '?perm=reports:read')).status).toBe(403);
    // max_age counts from the passkey use behind the grant.
    server.advanceClock(2000);
    expect((await forward(tokens.access_token, '?max_age=1s')).status).toBe(401);
    expect((await forward(tokens.access_token, '?max_age=1h')).status).toBe(204);
  });

  it('does not open another host: an app is not trusted with its people\'s other apps', async () => {
    expect((await forward(tokens.access_token, '', 'other.example.com')).status).toBe(401);
  });

  it('is ignored when the request has a session cookie for the host (the cookie decides)', async () => {
    const cookieName = admin.slice(0, admin.indexOf('='));
    expect((await forward(tokens.access_token, '', APP_HOST, { cookie: `${cookieName}=not-a-session` })).status).toBe(401);
  });

  it('401 once tampered', async () => {
    const [header, payload, signature] = tokens.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect((await forward(`${header}.${forged}.${signature}`)).status).toBe(401);
  });

  it('401 for an ID token presented as an access token', async () => {
    expect((await forward(tokens.id_token!)).status).toBe(401);
  });

  it("401 for another issuer's token with the same claims", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'elsewhere' }).sign(privateKey);
    expect((await forward(foreign)).status).toBe(401);
  });

  it('401 once its grant is revoked, though it was verified (cached) before', async () => {
    const fresh = (await signInToApp(server, app.config, admin)).tokens;
    expect((await forward(fresh.access_token)).status).toBe(204);
    await oidc.tokenRevocation(app.config, fresh.access_token, { token_type_hint: 'access_token' });
    expect((await forward(fresh.access_token)).status).toBe(401);
  });

  it('401 once the sign-in it began in ends, though it was verified (cached) before', async () => {
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const fresh = (await signInToApp(server, app.config, cookie)).tokens;
    expect((await forward(fresh.access_token)).status).toBe(204);
    expect((await api(server.port, 'POST', '/auth/api/logout', { host: AUTH_HOST, cookie, origin: AUTH_PAGE.origin })).status).toBe(204);
    expect((await forward(fresh.access_token)).status).toBe(401);
  });

  it('401 once expired', async () => {
    const fresh = (await signInToApp(server, app.config, admin)).tokens;
    expect((await forward(fresh.access_token)).status).toBe(204);
    server.advanceClock(1801_000);
    expect((await forward(fresh.access_token)).status).toBe(401);
  });
});

describe('client credentials', () => {
  let service: RelyingParty;
  const ccToken = async (party: RelyingParty, form: Record<string, string> = {}) => tokenRequest(server, { grant_type: 'client_credentials', ...form }, basicAuth(party));

  beforeAll(async () => {
    service = await relyingParty(server, orgId, { name: 'Uptime monitor', grantTypes: ['client_credentials'] });
    const patched = await adminCall('PATCH', `/oidc/clients/${service.clientId}`, { service_permissions: ['reports:read'] });
    expect(patched.status, patched.body).toBe(200);
    expect(json(patched)).toMatchObject({ grant_types: ['client_credentials'], service_permissions: ['reports:read'] });
  });

  it('is listed in discovery', async () => {
    const discovery = json(await rawRequest(server.port, { host: AUTH_HOST, path: '/auth/.well-known/openid-configuration' }));
    expect(discovery.grant_types_supported).toContain('client_credentials');
  });

  it('issues an at+jwt access token for the client itself: no refresh token, no ID token', async () => {
    const response = await ccToken(service);
    expect(response.status, response.body).toBe(200);
    const body = json(response);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'reports:read', expires_in: 1800 });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const [header, payload] = (body.access_token as string).split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: service.clientId, client_id: service.clientId, iss: ISSUER, aud: ISSUER, scope: 'reports:read' });
    // No person: userinfo refuses it.
    expect((await rawRequest(server.port, { host: AUTH_HOST, path: '/auth/oidc/userinfo', headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(401);
  });

  it('passes forward with the client as Remote-User and its permissions as Remote-Groups; a perm it lacks is 403', async () => {
    const { access_token } = json(await ccToken(service));
    const allowed = await forward(access_token, '?perm=reports:read');
    expect(allowed.status, allowed.body).toBe(204);
    expect(allowed.headers).toMatchObject({ 'remote-user': service.clientId, 'remote-client': service.clientId, 'remote-name': 'Uptime monitor', 'remote-groups': 'reports:read', 'remote-org': orgId });
    expect(allowed.headers).not.toHaveProperty('remote-role');
    expect((await forward(access_token, '?perm=reports:write')).status).toBe(403);
  });

  it('limits scopes to what the client was allowed', async () => {
    expect(json(await ccToken(service, { scope: 'reports:write' }))).toMatchObject({ error: 'invalid_scope' });
    expect(json(await ccToken(service, { scope: 'reports:read' })).scope).toBe('reports:read');
  });

  it('is refused to a client not allowed the grant, and to a public client', async () => {
    const webApp = await relyingParty(server, orgId);
    expect(json(await ccToken(webApp))).toMatchObject({ error: 'unauthorized_client' });
    const publicApp = await relyingParty(server, orgId, { tokenEndpointAuthMethod: 'none', grantTypes: ['authorization_code', 'client_credentials'] });
    const response = await tokenRequest(server, { grant_type: 'client_credentials', client_id: publicApp.clientId });
    expect(json(response)).toMatchObject({ error: 'unauthorized_client' });
    // Nor can an admin allow it.
    expect((await adminCall('PATCH', `/oidc/clients/${publicApp.clientId}`, { grant_types: ['client_credentials'] })).status).toBe(400);
  });

  it('the admin API refuses a service permission the organisation may not grant', async () => {
    expect((await adminCall('PATCH', `/oidc/clients/${service.clientId}`, { service_permissions: ['auth:unknown'] })).status).toBe(400);
  });

  it('its tokens stop opening forward once the client loses the grant', async () => {
    const { access_token } = json(await ccToken(service));
    expect((await forward(access_token)).status).toBe(204);
    expect((await adminCall('PATCH', `/oidc/clients/${service.clientId}`, { grant_types: ['authorization_code'] })).status).toBe(200);
    expect((await forward(access_token)).status).toBe(401);
    expect((await adminCall('PATCH', `/oidc/clients/${service.clientId}`, { grant_types: ['client_credentials'] })).status).toBe(200);
  });
});
