/**
 * Connected apps: a person signs in to an app through the real provider (openid-client as the
 * relying party), sees it on their account, and disconnects it: the app's access token then fails
 * at userinfo, its refresh token is refused, and consent is asked again. Admins do the same for
 * their organisation's people only; an app's own session (app host) cannot do it at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import type { RawResponse } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, authenticate, onboard, setSession, signIn, startWithAdmin } from '../testing/flows.js';
import { APP_HOST, AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, authorizationRequest, basicAuth, browse, redirectOf, relyingParty, signInToApp, tokenRequest, userinfo } from '../testing/oidcFlows.js';
import { saveOidcConsent } from '../db/oidcGrants.js';
import { listAudit } from '../db/audit.js';
import type { ConnectedAppInfo } from '../../shared/api.js';

let server: TestServer;
let adminCookie: string;
let adminId: string;
let orgId: string;
const phone = new SoftAuthenticator();

const json = (response: RawResponse) => JSON.parse(response.body);
const call = (method: string, path: string, cookie: string, host = AUTH_HOST, body?: unknown) => api(server.port, method, path, { host, cookie, origin: `https://${host}`, body });
const appsOf = async (cookie: string): Promise<ConnectedAppInfo[]> => json(await call('GET', '/auth/api/user/apps', cookie));
const party = (fields: Parameters<typeof relyingParty>[2] = {}) => relyingParty(server, orgId, fields);

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  adminCookie = await signIn(server.port, phone, AUTH_PAGE);
  const admin = await server.deps.database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  adminId = admin.id;
  orgId = admin.org_id;
});
afterAll(() => server.close());

describe('a person disconnects an app', () => {
  it('lists it with what it receives, then revokes its tokens and forgets the consent', async () => {
    const reports = await party({ name: 'Reports', requireConsent: true });
    await saveOidcConsent(server.deps.database.db, adminId, reports.clientId, ['openid', 'profile', 'email', 'groups', 'offline_access'], server.deps.now());
    const { tokens } = await signInToApp(server, reports.config, adminCookie, { prompt: 'none' });
    const refreshed = await oidc.refreshTokenGrant(reports.config, tokens.refresh_token!);
    expect((await userinfo(server, refreshed.access_token)).status).toBe(200);

    const [listed] = (await appsOf(adminCookie)).filter((app) => app.clientId === reports.clientId);
    expect(listed).toMatchObject({ name: 'Reports', claims: ['name', 'preferred_username', 'email', 'email_verified', 'groups'], offlineAccess: true });
    expect(Date.parse(listed!.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(listed!.firstUsedAt));
    const account = json(await call('POST', '/auth/api/user-info', adminCookie, AUTH_HOST, {}));
    expect(account.connectedApps).toContainEqual(listed);

    expect((await call('DELETE', `/auth/api/user/apps/${reports.clientId}`, adminCookie)).status).toBe(204);

    // The app's access token is refused at userinfo, its refresh token at the token endpoint.
    const info = await userinfo(server, refreshed.access_token);
    expect(info.status).toBe(401);
    expect(info.headers['www-authenticate']).toContain('invalid_token');
    const refresh = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token! }, basicAuth(reports));
    expect(refresh.status).toBe(400);
    expect(json(refresh).error).toBe('invalid_grant');
    // Consent is forgotten: a silent sign-in is told to ask the person again.
    const silent = await authorizationRequest(reports.config, { prompt: 'none' });
    expect(redirectOf(await browse(server, silent.url, adminCookie)).searchParams.get('error')).toBe('consent_required');

    expect((await appsOf(adminCookie)).map((app) => app.clientId)).not.toContain(reports.clientId);
    expect((await call('DELETE', `/auth/api/user/apps/${reports.clientId}`, adminCookie)).status).toBe(404);
    const { items } = await listAudit(server.deps.database.db, { page: 1, perPage: 5 }, { userId: adminId });
    expect(items.find((entry) => entry.action === 'oidc_app_disconnected')).toMatchObject({ actor_user_id: adminId, target: adminId, org_id: orgId });
  });

  it('ends only that app: another app of the same person keeps working', async () => {
    const [first, second] = [await party({ name: 'First' }), await party({ name: 'Second' })];
    await signInToApp(server, first.config, adminCookie);
    const { tokens } = await signInToApp(server, second.config, adminCookie);
    expect((await call('DELETE', `/auth/api/user/apps/${first.clientId}`, adminCookie)).status).toBe(204);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
    expect((await appsOf(adminCookie)).map((app) => app.name)).toContain('Second');
  });

  it('cannot disconnect from an app host session, in auth-host mode', async () => {
    const reports = await party();
    const { tokens } = await signInToApp(server, reports.config, adminCookie);
    const appCookie = await setSession(server.port, (await authenticate(server.port, phone, { origin: `https://${APP_HOST}`, host: AUTH_HOST })).code, APP_HOST, `https://${APP_HOST}`);
    // On the app's host the account API does not exist; on the auth host its cookie is no session.
    expect((await call('DELETE', `/auth/api/user/apps/${reports.clientId}`, appCookie, APP_HOST)).status).toBe(404);
    expect((await call('GET', '/auth/api/user/apps', appCookie, APP_HOST)).status).toBe(404);
    expect((await call('DELETE', `/auth/api/user/apps/${reports.clientId}`, appCookie)).status).toBe(401);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
  });

  it('refuses a cross-site request', async () => {
    const reports = await party();
    await signInToApp(server, reports.config, adminCookie);
    const response = await api(server.port, 'DELETE', `/auth/api/user/apps/${reports.clientId}`, { host: AUTH_HOST, cookie: adminCookie, origin: 'https://evil.example.net' });
    expect(response.status).toBe(403);
    expect((await appsOf(adminCookie)).map((app) => app.clientId)).toContain(reports.clientId);
  });
});

describe('admins disconnect apps of their people', () => {
  let member: { id: string; cookie: string };
  let otherOrgAdmin: { id: string; cookie: string };

  beforeAll(async () => {
    const admin = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host: AUTH_HOST, cookie: adminCookie, origin: AUTH_PAGE.origin, body });
    const memberRole = json(await admin('POST', `/orgs/${orgId}/roles`, { displayName: 'Member' }));
    member = await onboard(server.port, AUTH_PAGE, adminCookie, { displayName: 'Mo Member', orgId, roleId: memberRole.id });
    const other = json(await admin('POST', '/orgs', { displayName: 'Other' }));
    const orgAdminScope = json(await admin('GET', '/permissions?per_page=100')).items.find((p: { scope: string }) => p.scope === 'auth:org:admin');
    await admin('PUT', `/orgs/${other.id}/permissions/${orgAdminScope.id}`);
    const otherAdminRole = json(await admin('POST', `/orgs/${other.id}/roles`, { displayName: 'Org admin' }));
    await admin('PUT', `/roles/${otherAdminRole.id}/permissions/${orgAdminScope.id}`);
    otherOrgAdmin = await onboard(server.port, AUTH_PAGE, adminCookie, { displayName: 'Olga Other', orgId: other.id, roleId: otherAdminRole.id });
  });

  it("another person's app is no app of mine: 404", async () => {
    const reports = await party();
    const { tokens } = await signInToApp(server, reports.config, adminCookie);
    expect((await call('DELETE', `/auth/api/user/apps/${reports.clientId}`, member.cookie)).status).toBe(404);
    expect(await appsOf(member.cookie)).toEqual([]);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);
  });

  it('a master admin lists and disconnects a member\'s app; an org admin of another organisation sees neither', async () => {
    const reports = await party({ name: 'Member Reports' });
    const { tokens } = await signInToApp(server, reports.config, member.cookie);
    const path = `/auth/api/admin/users/${member.id}/apps`;

    expect((await call('GET', path, otherOrgAdmin.cookie)).status).toBe(404);
    expect((await call('DELETE', `${path}/${reports.clientId}`, otherOrgAdmin.cookie)).status).toBe(404);
    expect((await userinfo(server, tokens.access_token)).status).toBe(200);

    expect(json(await call('GET', path, adminCookie)).map((app: ConnectedAppInfo) => app.name)).toEqual(['Member Reports']);
    expect(json(await call('GET', `/auth/api/admin/users/${member.id}`, adminCookie)).apps).toHaveLength(1);
    expect((await call('DELETE', `${path}/${reports.clientId}`, adminCookie)).status).toBe(204);
    expect((await userinfo(server, tokens.access_token)).status).toBe(401);
    expect(json(await call('GET', path, adminCookie))).toEqual([]);
    const { items } = await listAudit(server.deps.database.db, { page: 1, perPage: 5 }, { userId: member.id });
    expect(items.find((entry) => entry.action === 'oidc_app_disconnected')).toMatchObject({ actor_user_id: adminId, target: member.id, detail: expect.stringContaining('Member Reports') });
  });
});
