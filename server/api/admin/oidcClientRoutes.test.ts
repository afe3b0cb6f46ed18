/**
 * The OIDC client admin API against the real server: RFC 7591 names in and out, secrets shown
 * once and stored as hashes, validation at the edge, audit entries, and the organisation
 * boundary (an org admin reaching for another organisation's client finds nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/testServer.js';
import type { RawResponse } from '../../testing/rawHttp.js';
import { SoftAuthenticator } from '../../testing/softAuthenticator.js';
import { api, onboard, signIn, startWithAdmin } from '../../testing/flows.js';
import { verifyOidcClientSecret } from '../../db/oidcClients.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const page = { origin };
let server: TestServer;
let admin: string;
let masterOrg: string;

const json = (response: RawResponse) => JSON.parse(response.body);
const call = (method: string, path: string, cookie: string, body?: unknown) => api(server.port, method, `/auth/api/admin/oidc/clients${path}`, { host, cookie, body, origin });
const adminCall = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host, cookie: admin, body, origin });
const secretWorks = (clientId: string, secret: string) => verifyOidcClientSecret(server.services.database.db, clientId, secret, server.services.now());

const GRAFANA = { client_id: 'grafana', client_name: 'Grafana', redirect_uris: ['https://grafana.example.com/login/generic_oauth'] };

beforeAll(async () => {
  const key = new SoftAuthenticator();
  server = await startWithAdmin(['--origin', origin], key, page);
  admin = await signIn(server.port, key, page);
  masterOrg = json(await adminCall('GET', '/me')).org.id;
});
afterAll(() => server.close());

describe('registering a client', () => {
  it('a confidential client gets its secret once, stored only as a hash', async () => {
    const created = await call('POST', '', admin, GRAFANA);
    expect(created.status, created.body).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({
      client_id: 'grafana',
      client_name: 'Grafana',
      org: { id: masterOrg },
      redirect_uris: GRAFANA.redirect_uris,
      post_logout_redirect_uris: [],
      backchannel_logout_uri: null,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile email groups offline_access',
      require_pkce: true,
      require_consent: false,
      required_perm: null,
      id_token_signed_response_alg: 'RS256',
      access_token_ttl: 1800,
      client_secret_expires_at: 0,
    });
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(body.client_secrets).toEqual([body.secret]);
    expect(await secretWorks('grafana', body.client_secret)).toBe(true);

    const shown = json(await call('GET', '/grafana', admin));
    expect(shown.client_secrets).toHaveLength(1);
    expect(JSON.stringify(shown)).not.toContain(body.client_secret);
    expect(JSON.stringify(json(await adminCall('GET', '/audit?per_page=100')))).not.toContain(body.client_secret);
  });

  it('generates a client_id when none is given, and refuses a taken one', async () => {
    const generated = json(await call('POST', '', admin, { client_name: 'Some app', redirect_uris: ['https://some.example.com/cb'] }));
    expect(generated.client_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const taken = await call('POST', '', admin, GRAFANA);
    expect(taken.status).toBe(409);
    expect(json(taken).detail).toBe('A client with this client_id already exists');
  });

  it('a public client has no secret and always requires PKCE', async () => {
    const created = json(await call('POST', '', admin, { client_id: 'spa', client_name: 'SPA', redirect_uris: ['http://127.0.0.1/cb', 'com.example.app:/cb'], token_endpoint_auth_method: 'none' }));
    expect(created).toMatchObject({ token_endpoint_auth_method: 'none', require_pkce: true, client_secrets: [] });
    expect(created.client_secret).toBeUndefined();
    const noPkce = await call('POST', '', admin, { client_name: 'SPA', redirect_uris: ['https://spa.example.com/'], token_endpoint_auth_method: 'none', require_pkce: false });
    expect(json(noPkce).detail).toBe('Invalid request body: a public client (token_endpoint_auth_method none) always requires PKCE');
    expect((await call('POST', '/spa/secrets', admin, {})).status).toBe(409);
    const unPkce = await call('PATCH', '/spa', admin, { require_pkce: false });
    expect([unPkce.status, json(unPkce).detail]).toEqual([400, 'Invalid request body: a public client (token_endpoint_auth_method none) always requires PKCE']);
  });

  it.each([
    [{ redirect_uris: ['https://app.example.com/cb#x'] }, 'redirect_uris.0: a redirect URI must not hold a fragment'],
    [{ redirect_uris: ['http://app.example.com/cb'] }, 'redirect_uris.0: a redirect URI may use http only on a loopback address'],
    [{ redirect_uris: ['javascript:alert(1)'] }, 'redirect_uris.0: a redirect URI uses the scheme "javascript:"'],
    [{ redirect_uris: [] }, 'redirect_uris: at least one redirect URI'],
    [{ post_logout_redirect_uris: ['/bye'] }, 'post_logout_redirect_uris.0: a redirect URI must be an absolute URI'],
    [{ backchannel_logout_uri: 'com.example.app:/bc' }, 'backchannel_logout_uri: a back-channel logout URI must use https (or http on a loopback address)'],
    [{ backchannel_logout_uri: 'http://app.example.com/bc' }, 'backchannel_logout_uri: a back-channel logout URI may use http only on a loopback address'],
    [{ backchannel_logout_uri: 'https://app.example.com/bc#f' }, 'backchannel_logout_uri: a back-channel logout URI must not hold a fragment'],
    [{ scope: 'profile email' }, 'scope: must include openid'],
    [{ scope: 'openid admin' }, 'scope.1: scopes are openid, profile, email, groups, offline_access'],
    [{ grant_types: ['refresh_token'] }, 'grant_types: must include authorization_code'],
    [{ grant_types: ['authorization_code', 'implicit'] }, 'grant_types.1: grant types are authorization_code, refresh_token'],
    [{ token_endpoint_auth_method: 'private_key_jwt' }, 'token_endpoint_auth_method: token_endpoint_auth_method is one of client_secret_basic, client_secret_post, none'],
    [{ required_perm: 'app:use|' }, 'required_perm: perm has an empty alternative'],
    [{ id_token_signed_response_alg: 'HS256' }, 'id_token_signed_response_alg: id_token_signed_response_alg is one of RS256, ES256, EdDSA'],
    [{ access_token_ttl: 10 }, 'access_token_ttl: at least 60 seconds'],
    [{ refresh_idle_ttl: 90 * 86_400, refresh_absolute_ttl: 30 * 86_400 }, 'refresh_idle_ttl must not exceed refresh_absolute_ttl'],
    [{ client_id: 'has space' }, 'client_id: client_id is 1-128 of A-Z a-z 0-9 . _ ~ -'],
    [{ client_secret: 'chosen' }, 'Unrecognized key: "client_secret"'],
  ])('refuses %j with a clear 400', async (fields, message) => {
    const response = await call('POST', '', admin, { client_name: 'App', redirect_uris: ['https://app.example.com/cb'], ...fields });
    expect(response.status).toBe(400);
    expect(json(response).detail).toContain(message);
  });
});

describe('changing a client and its secrets', () => {
  it('PATCH changes only what it names and records which fields', async () => {
    await call('POST', '', admin, { ...GRAFANA, client_id: 'wiki', client_name: 'Wiki' });
    const changed = await call('PATCH', '/wiki', admin, { redirect_uris: ['https://wiki.example.com/cb', 'http://localhost/cb'], required_perm: 'wiki:use|wiki:admin', require_consent: true });
    expect(changed.status, changed.body).toBe(200);
    expect(json(changed)).toMatchObject({ client_name: 'Wiki', redirect_uris: ['https://wiki.example.com/cb', 'http://localhost/cb'], required_perm: 'wiki:use|wiki:admin', require_consent: true, require_pkce: true });
    expect(json(await call('PATCH', '/wiki', admin, { required_perm: null })).required_perm).toBeNull();
    expect(json(await call('PATCH', '/wiki', admin, { backchannel_logout_uri: 'https://wiki.example.com/logout' })).backchannel_logout_uri).toBe('https://wiki.example.com/logout');
    expect(json(await call('PATCH', '/wiki', admin, { backchannel_logout_uri: null })).backchannel_logout_uri).toBeNull();
    expect((await call('PATCH', '/nobody', admin, { require_consent: true })).status).toBe(404);
    expect((await call('PATCH', '/wiki', admin, { client_id: 'other' })).status).toBe(400);
    const audit: Array<{ target: string; detail: Record<string, unknown> }> = json(await adminCall('GET', '/audit?per_page=100')).items;
    expect(audit.find((entry) => entry.detail.op === 'update_oidc_client' && entry.target === 'wiki')).toMatchObject({ detail: { clientName: 'Wiki', orgName: expect.any(String) } });
  });

  it('a second secret (with an expiry) lets an app switch without downtime; deleting the old one ends it', async () => {
    await call('POST', '', admin, { ...GRAFANA, client_id: 'rotate', client_name: 'Rotate' });
    const first = json(await call('GET', '/rotate', admin)).client_secrets[0];
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    const added = await call('POST', '/rotate/secrets', admin, { expires_at: expiresAt.toISOString() });
    expect(added.status).toBe(201);
    const second = json(added);
    expect(second.client_secret_expires_at).toBe(Math.floor(expiresAt.getTime() / 1000));
    expect(second.secret.expires_at).toBe(expiresAt.toISOString());
    expect(await secretWorks('rotate', second.client_secret)).toBe(true);
    expect(json(await call('GET', '/rotate', admin)).client_secrets.map((secret: { id: string }) => secret.id)).toEqual([first.id, second.secret.id]);

    expect((await call('DELETE', `/rotate/secrets/${first.id}`, admin)).status).toBe(204);
    expect((await call('DELETE', `/rotate/secrets/${first.id}`, admin)).status).toBe(404);
    expect(json(await call('GET', '/rotate', admin)).client_secrets).toEqual([second.secret]);

    expect(json(await call('POST', '/rotate/secrets', admin, { expires_at: '2001-01-01T00:00:00Z' })).detail).toBe('Invalid request body: expires_at must be in the future');
    expect(json(await call('POST', '/rotate/secrets', admin, { expires_at: 'next week' })).detail).toContain('expires_at is an ISO 8601 time');
    const ops = json(await adminCall('GET', '/audit?per_page=100')).items.filter((entry: { target: string }) => entry.target === 'rotate').map((entry: { detail: { op: string } }) => entry.detail.op);
    expect(ops).toEqual(['delete_oidc_client_secret', 'create_oidc_client_secret', 'create_oidc_client']);
  });

  it('DELETE removes the client with its secrets', async () => {
    const created = json(await call('POST', '', admin, { ...GRAFANA, client_id: 'gone', client_name: 'Gone' }));
    expect((await call('DELETE', '/gone', admin)).status).toBe(204);
    expect((await call('GET', '/gone', admin)).status).toBe(404);
    expect(await secretWorks('gone', created.client_secret)).toBe(false);
  });
});

describe('organisations', () => {
  let acme: string;
  let orgAdmin: string;
  let member: string;

  beforeAll(async () => {
    acme = json(await adminCall('POST', '/orgs', { displayName: 'Acme' })).id;
    const scopes = json(await adminCall('GET', '/permissions?per_page=100')).items;
    const orgAdminScope = scopes.find((p: { scope: string }) => p.scope === 'auth:org:admin').id;
    await adminCall('PUT', `/orgs/${acme}/permissions/${orgAdminScope}`);
    const role = json(await adminCall('POST', `/orgs/${acme}/roles`, { displayName: 'Org admin' })).id;
    await adminCall('PUT', `/roles/${role}/permissions/${orgAdminScope}`);
    const memberRole = json(await adminCall('GET', `/orgs/${acme}`)).defaultRoleId;
    orgAdmin = (await onboard(server.port, page, admin, { displayName: 'Olga', orgId: acme, roleId: role })).cookie;
    member = (await onboard(server.port, page, admin, { displayName: 'Mo', orgId: acme, roleId: memberRole })).cookie;
    await call('POST', '', admin, { ...GRAFANA, client_id: 'master-app', client_name: 'Master app' });
  });

  it('an org admin registers and lists only their own organisation\'s clients', async () => {
    const created = await call('POST', '', orgAdmin, { ...GRAFANA, client_id: 'acme-app', client_name: 'Acme app' });
    expect(created.status, created.body).toBe(201);
    expect(json(created).org).toEqual({ id: acme, displayName: 'Acme' });
    const listed = json(await call('GET', '', orgAdmin));
    expect(listed.items.map((client: { client_id: string }) => client.client_id)).toEqual(['acme-app']);
    expect(listed.total).toBe(1);
    // The master admin sees every organisation's, or one organisation's on asking.
    const all = json(await call('GET', '?per_page=100', admin)).items.map((client: { client_id: string }) => client.client_id);
    expect(all).toEqual(expect.arrayContaining(['acme-app', 'master-app']));
    expect(json(await call(`GET`, `?org=${acme}`, admin)).items.map((client: { client_id: string }) => client.client_id)).toEqual(['acme-app']);
  });

  it("an org admin reaching for another organisation's client finds nothing", async () => {
    for (const [method, path, body] of [
      ['GET', '/master-app', undefined],
      ['PATCH', '/master-app', { redirect_uris: ['https://evil.example.com/cb'] }],
      ['DELETE', '/master-app', undefined],
      ['POST', '/master-app/secrets', {}],
      ['GET', `?org=${masterOrg}`, undefined],
    ] as const) {
      const response = await call(method, path, orgAdmin, body);
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    const elsewhere = await call('POST', '', orgAdmin, { ...GRAFANA, client_id: 'planted', org_id: masterOrg });
    expect([elsewhere.status, json(elsewhere).detail]).toEqual([404, 'No such organisation']);
    // Nothing changed: the client keeps its redirect URIs and its one secret.
    expect(json(await call('GET', '/master-app', admin))).toMatchObject({ redirect_uris: GRAFANA.redirect_uris, client_secrets: [expect.anything()] });
  });

  it('people without admin rights get 403, without a session 401', async () => {
    expect((await call('GET', '', member)).status).toBe(403);
    expect((await call('POST', '', member, GRAFANA)).status).toBe(403);
    expect((await api(server.port, 'GET', '/auth/api/admin/oidc/clients', { host })).status).toBe(401);
  });
});
