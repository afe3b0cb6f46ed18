/**
 * Organisation API keys against the real server: the admin API that makes and revokes them, the
 * backend API they open, introspection with a key, and every way a key is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, onboard, registerPasskey, signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, relyingParty, signInToApp } from '../testing/oidcFlows.js';
import type { ApiKeyInfo, CreatedApiKey } from '../../shared/apiKeys.js';

let server: TestServer;
let admin: string;
let masterOrg: string;
let adminId: string;
/** A second organisation with its own org admin and member. */
let acme: { id: string; adminCookie: string; member: { id: string; cookie: string } };
const phone = new SoftAuthenticator();

const json = (response: RawResponse) => JSON.parse(response.body);
const adminCall = (method: string, path: string, cookie: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host: AUTH_HOST, cookie, body, origin: AUTH_PAGE.origin });

/** A backend's call: JSON, `Authorization: Bearer <key>`, no browser headers unless given. */
function backend(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.port, {
    method, host: AUTH_HOST, path: `/auth/api/backend${path}`,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createKey(orgId: string, cookie = admin, body: Record<string, unknown> = { name: 'Billing backend' }): Promise<CreatedApiKey> {
  const response = await adminCall('POST', `/orgs/${orgId}/api-keys`, cookie, body);
  expect(response.status, response.body).toBe(201);
  return json(response);
}

async function auditOf(action: string) {
  return server.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').execute();
}

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  admin = await signIn(server.port, phone, AUTH_PAGE);
  const row = await server.deps.database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  masterOrg = row.org_id;
  adminId = row.id;
  const org = json(await adminCall('POST', '/orgs', admin, { displayName: 'Acme' }));
  const permissions = json(await adminCall('GET', '/permissions?per_page=100', admin)).items as Array<{ id: string; scope: string }>;
  const orgAdminScope = permissions.find((p) => p.scope === 'auth:org:admin')!;
  await adminCall('PUT', `/orgs/${org.id}/permissions/${orgAdminScope.id}`, admin);
  const adminRole = json(await adminCall('POST', `/orgs/${org.id}/roles`, admin, { displayName: 'Org admin' }));
  await adminCall('PUT', `/roles/${adminRole.id}/permissions/${orgAdminScope.id}`, admin);
  const memberRole = json(await adminCall('POST', `/orgs/${org.id}/roles`, admin, { displayName: 'Member' }));
  await adminCall('PUT', `/orgs/${org.id}/default-role`, admin, { roleId: memberRole.id });
  const orgAdmin = await onboard(server.port, AUTH_PAGE, admin, { displayName: 'Olga Orgadmin', orgId: org.id, roleId: adminRole.id });
  const member = await onboard(server.port, AUTH_PAGE, admin, { displayName: 'Mo Member', orgId: org.id, roleId: memberRole.id });
  acme = { id: org.id, adminCookie: orgAdmin.cookie, member: { id: member.id, cookie: member.cookie } };
});
afterAll(() => server.close());

describe('admin API', () => {
  it('creates a key shown once with a pak_ prefix, lists it without its secret, and revokes it', async () => {
    const created = await createKey(acme.id, acme.adminCookie, { name: 'CRM sync', expiresAt: '2099-01-01T00:00:00Z' });
    expect(created.secret).toMatch(/^pak_[0-9a-f]{16}[A-Za-z0-9_-]{43}$/);
    expect(created.key).toMatchObject({ orgId: acme.id, name: 'CRM sync', status: 'active', expiresAt: '2099-01-01T00:00:00.000Z', lastUsedAt: null });

    const listed = json(await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.adminCookie)) as ApiKeyInfo[];
    expect(listed.find((key) => key.id === created.key.id)).toEqual(created.key);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(20));
    // Stored hashed: no column holds the secret.
    const stored = await server.deps.database.db.selectFrom('org_api_keys').selectAll().where('id', '=', created.key.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(20));

    expect((await adminCall('DELETE', `/orgs/${acme.id}/api-keys/${created.key.id}`, acme.adminCookie)).status).toBe(204);
    const after = (json(await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.adminCookie)) as ApiKeyInfo[]).find((key) => key.id === created.key.id);
    expect(after?.status).toBe('revoked');
    expect((await adminCall('DELETE', `/orgs/${acme.id}/api-keys/${created.key.id}`, acme.adminCookie)).status).toBe(404);
    const ops = (await auditOf('admin_change')).map((entry) => JSON.parse(entry.detail)).filter((detail) => detail.keyName === 'CRM sync').map((detail) => detail.op);
    expect(ops).toEqual(['revoke_api_key', 'create_api_key']);
  });

  it('refuses an expiry in the past', async () => {
    expect((await adminCall('POST', `/orgs/${acme.id}/api-keys`, admin, { name: 'Old', expiresAt: '2001-01-01T00:00:00Z' })).status).toBe(400);
  });

  it('an org admin cannot see, make or revoke another organisation\'s keys: 404', async () => {
    const masters = await createKey(masterOrg);
    // The same requests for their own organisation succeed: only the organisation check refuses these.
    expect((await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.adminCookie)).status).toBe(200);
    expect((await adminCall('GET', `/orgs/${masterOrg}/api-keys`, acme.adminCookie)).status).toBe(404);
    expect((await adminCall('POST', `/orgs/${masterOrg}/api-keys`, acme.adminCookie, { name: 'Mine now' })).status).toBe(404);
    expect((await adminCall('DELETE', `/orgs/${masterOrg}/api-keys/${masters.key.id}`, acme.adminCookie)).status).toBe(404);
    // Nor through their own organisation's path.
    expect((await adminCall('DELETE', `/orgs/${acme.id}/api-keys/${masters.key.id}`, acme.adminCookie)).status).toBe(404);
    expect((json(await adminCall('GET', `/orgs/${masterOrg}/api-keys`, admin)) as ApiKeyInfo[]).find((key) => key.id === masters.key.id)?.status).toBe('active');
  });

  it('a plain member gets 403', async () => {
    expect((await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.member.cookie)).status).toBe(403);
  });
});

describe('refused keys', () => {
  let key: string;
  beforeAll(async () => {
    key = (await createKey(acme.id)).secret;
  });

  it('works from a backend (the control for the refusals below)', async () => {
    expect((await backend('POST', '/validate', key, { token: 'x' })).status).toBe(404);
  });

  it.each([
    ['cookie', { cookie: 'passkey_auth=whatever' }],
    ['origin', { origin: 'https://auth.example.com' }],
    ['sec-fetch-site', { 'sec-fetch-site': 'same-origin' }],
  ])('403 when the request carries a %s header (it comes from a browser)', async (name, headers) => {
    const response = await backend('POST', '/validate', key, { token: 'x' }, headers);
    expect(response.status).toBe(403);
    expect(json(response).detail).toContain(`carries a ${name} header`);
  });

  it('401 without a key, or with a malformed one', async () => {
    const none = await rawRequest(server.port, { method: 'POST', host: AUTH_HOST, path: '/auth/api/backend/validate', headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await backend('POST', '/validate', 'pak_nonsense', { token: 'x' })).status).toBe(401);
  });

  it('401 for a key whose secret is wrong (its public part right)', async () => {
    const forged = `${key.slice(0, 20)}${'A'.repeat(43)}`;
    expect((await backend('POST', '/validate', forged, { token: 'x' })).status).toBe(401);
  });

  it('401 for a revoked key', async () => {
    const created = await createKey(acme.id, acme.adminCookie, { name: 'To revoke' });
    expect((await backend('POST', '/validate', created.secret, { token: 'x' })).status).toBe(404);
    await adminCall('DELETE', `/orgs/${acme.id}/api-keys/${created.key.id}`, acme.adminCookie);
    expect((await backend('POST', '/validate', created.secret, { token: 'x' })).status).toBe(401);
  });

  it('401 for an expired key', async () => {
    const created = await createKey(acme.id, acme.adminCookie, { name: 'Short', expiresAt: new Date(server.deps.now() + 60_000).toISOString() });
    expect((await backend('POST', '/validate', created.secret, { token: 'x' })).status).toBe(404);
    server.advanceClock(61_000);
    expect((await backend('POST', '/validate', created.secret, { token: 'x' })).status).toBe(401);
    const listed = (json(await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.adminCookie)) as ApiKeyInfo[]).find((k) => k.id === created.key.id);
    expect(listed?.status).toBe('expired');
  });
});

describe('backend API', () => {
  let key: CreatedApiKey;
  let masterKey: string;
  beforeAll(async () => {
    key = await createKey(acme.id, acme.adminCookie, { name: 'Acme backend' });
    masterKey = (await createKey(masterOrg)).secret;
  });

  it('validates a session token of its organisation: person, org, role, permissions; records the use', async () => {
    const token = acme.member.cookie.slice(acme.member.cookie.indexOf('=') + 1);
    const response = await backend('POST', '/validate', key.secret, { token });
    expect(response.status, response.body).toBe(200);
    expect(json(response)).toMatchObject({ kind: 'session', user: { id: acme.member.id, displayName: 'Mo Member' }, org: { id: acme.id, displayName: 'Acme' }, role: { displayName: 'Member' }, permissions: [], host: AUTH_HOST });
    const [entry] = await auditOf('api_key_used');
    expect(entry).toMatchObject({ org_id: acme.id, target: acme.member.id });
    expect(JSON.parse(entry!.detail)).toMatchObject({ op: 'validate_token', keyName: 'Acme backend', keyId: key.key.id });
    const listed = (json(await adminCall('GET', `/orgs/${acme.id}/api-keys`, acme.adminCookie)) as ApiKeyInfo[]).find((k) => k.id === key.key.id);
    expect(listed?.lastUsedAt).not.toBeNull();
  });

  it('404 for a session of another organisation, exactly as for no session', async () => {
    const masterToken = admin.slice(admin.indexOf('=') + 1);
    // The master organisation's own key sees it: only the organisation check refuses the other.
    expect((await backend('POST', '/validate', masterKey, { token: masterToken })).status).toBe(200);
    const foreign = await backend('POST', '/validate', key.secret, { token: masterToken });
    const unknown = await backend('POST', '/validate', key.secret, { token: 'A'.repeat(43) });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toBe(unknown.body);
  });

  it('validates an OIDC access token of its organisation, not another\'s', async () => {
    const app = await relyingParty(server, masterOrg);
    const { tokens } = await signInToApp(server, app.config, admin);
    const seen = await backend('POST', '/validate', masterKey, { token: tokens.access_token });
    expect(seen.status, seen.body).toBe(200);
    expect(json(seen)).toMatchObject({ kind: 'access_token', user: { id: adminId }, clientId: app.clientId, host: 'app.example.com' });
    expect((await backend('POST', '/validate', key.secret, { token: tokens.access_token })).status).toBe(404);
  });

  it('creates a person in its organisation with a registration link that works; a taken email is 409', async () => {
    const response = await backend('POST', '/users', key.secret, { displayName: 'Nina New', email: 'nina@acme.example' });
    expect(response.status, response.body).toBe(201);
    const created = json(response);
    expect(created.user).toMatchObject({ displayName: 'Nina New', email: 'nina@acme.example', emailVerified: false, org: { id: acme.id }, role: { displayName: 'Member' } });
    expect(created.link.url).toContain(created.link.token.split(' ')[0] ?? created.link.token);
    await registerPasskey(server.port, new SoftAuthenticator(), AUTH_PAGE, created.link.token);

    const again = await backend('POST', '/users', key.secret, { displayName: 'Nina Again', email: 'NINA@acme.example' });
    expect(again.status).toBe(409);
  });

  it('will not create an administrator, nor use another organisation\'s role', async () => {
    const roles = await server.deps.database.db.selectFrom('roles').select(['id', 'org_id', 'display_name']).execute();
    const acmeAdminRole = roles.find((role) => role.org_id === acme.id && role.display_name === 'Org admin')!;
    const masterRole = roles.find((role) => role.org_id === masterOrg)!;
    expect((await backend('POST', '/users', key.secret, { displayName: 'Evil', roleId: acmeAdminRole.id })).status).toBe(403);
    expect((await backend('POST', '/users', key.secret, { displayName: 'Evil', roleId: masterRole.id })).status).toBe(400);
  });

  it('ends a person\'s sessions (forward auth sees them signed out); another organisation\'s person is 404', async () => {
    const person = await onboard(server.port, AUTH_PAGE, admin, { displayName: 'Sam Signedin', orgId: acme.id, roleId: (await server.deps.database.db.selectFrom('users').select('role_id').where('id', '=', acme.member.id).executeTakeFirstOrThrow()).role_id });
    const forward = () => rawRequest(server.port, { host: AUTH_HOST, path: '/auth/api/forward', headers: { cookie: person.cookie } });
    expect((await forward()).status).toBe(204);
    expect((await backend('DELETE', `/users/${adminId}/sessions`, key.secret)).status).toBe(404);
    expect((await backend('DELETE', `/users/${person.id}/sessions`, key.secret)).status).toBe(204);
    expect((await forward()).status).toBe(401);
    expect(JSON.parse((await auditOf('api_key_used'))[0]!.detail)).toMatchObject({ op: 'end_sessions', keyName: 'Acme backend' });
  });
});

describe('introspection with an API key', () => {
  it('sees its organisation\'s people\'s tokens as active, others\' as inactive', async () => {
    const app = await relyingParty(server, masterOrg);
    const { tokens } = await signInToApp(server, app.config, admin);
    const introspect = (key: string, extra: Record<string, string> = {}) =>
      rawRequest(server.port, {
        method: 'POST', host: AUTH_HOST, path: '/auth/oidc/introspect',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${key}`, ...extra },
        body: new URLSearchParams({ token: tokens.access_token }).toString(),
      });
    const masterKey = (await createKey(masterOrg)).secret;
    const acmeKey = (await createKey(acme.id)).secret;
    expect(json(await introspect(masterKey))).toMatchObject({ active: true, sub: adminId, client_id: app.clientId });
    expect(json(await introspect(acmeKey))).toEqual({ active: false });
    expect((await introspect('pak_wrong')).status).toBe(401);
    expect((await introspect(masterKey, { origin: AUTH_PAGE.origin })).status).toBe(403);
  });
});
