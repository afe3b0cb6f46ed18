/**
 * The signing-key admin API against the real server: master admins list and rotate, org admins
 * and everyone else are refused, no key material is ever shown, each rotation is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/testServer.js';
import type { RawResponse } from '../../testing/rawHttp.js';
import { SoftAuthenticator } from '../../testing/softAuthenticator.js';
import { api, onboard, signIn, startWithAdmin } from '../../testing/flows.js';
import type { SigningKeyInfo, SigningKeyList } from '../../../shared/oidc.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const page = { origin };
let server: TestServer;
let admin: string;
let orgAdmin: string;

const json = (response: RawResponse) => JSON.parse(response.body);
const call = (method: string, path: string, cookie: string | undefined, body?: unknown) =>
  api(server.port, method, `/auth/api/admin/oidc/keys${path}`, { host, cookie, body, origin });
const adminCall = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host, cookie: admin, body, origin });

beforeAll(async () => {
  const key = new SoftAuthenticator();
  server = await startWithAdmin(['--origin', origin, '--key-rotation-delay', '1h'], key, page);
  admin = await signIn(server.port, key, page);
  const acme = json(await adminCall('POST', '/orgs', { displayName: 'Acme' })).id;
  const scopes = json(await adminCall('GET', '/permissions?per_page=100')).items;
  const orgAdminScope = scopes.find((p: { scope: string }) => p.scope === 'auth:org:admin').id;
  await adminCall('PUT', `/orgs/${acme}/permissions/${orgAdminScope}`);
  const role = json(await adminCall('POST', `/orgs/${acme}/roles`, { displayName: 'Org admin' })).id;
  await adminCall('PUT', `/roles/${role}/permissions/${orgAdminScope}`);
  orgAdmin = (await onboard(server.port, page, admin, { displayName: 'Olga', orgId: acme, roleId: role })).cookie;
});
afterAll(() => server.close());

describe('signing keys admin API', () => {
  it('lists the keys with their schedule, never their material', async () => {
    await server.services.signingKeys.ensureKey('RS256');
    const response = await call('GET', '', admin);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = json(response) as SigningKeyList;
    expect(body.rotationDelayMs).toBe(3_600_000);
    expect(body.keys).toEqual([{ kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), alg: 'RS256', state: 'signing', createdAt: expect.any(Number), signsFrom: expect.any(Number), retiredAt: null, publishedUntil: null }]);
  });

  it('rotates: the new key is published at once and signs after the delay; the rotation is audited', async () => {
    const [old] = (json(await call('GET', '', admin)) as SigningKeyList).keys;
    const before = server.services.now();
    const response = await call('POST', '/rotate', admin, { alg: 'RS256' });
    expect(response.status, response.body).toBe(201);
    const rotated = json(response) as SigningKeyInfo;
    expect(rotated).toMatchObject({ alg: 'RS256', state: 'next', retiredAt: null });
    expect(rotated.signsFrom - before).toBeGreaterThanOrEqual(3_600_000);
    const keys = (json(await call('GET', '', admin)) as SigningKeyList).keys;
    expect(keys.map((key) => [key.kid, key.state])).toEqual([[rotated.kid, 'next'], [old!.kid, 'signing']]);
    expect(keys[1]!.retiredAt).toBe(rotated.signsFrom);
    expect((await server.services.signingKeys.jwks()).keys.map((key) => key.kid)).toEqual([rotated.kid, old!.kid]);

    const audit = json(await adminCall('GET', '/audit?per_page=5')).items;
    expect(audit[0]).toMatchObject({ action: 'oidc_key_rotated', target: rotated.kid, detail: { alg: 'RS256', kid: rotated.kid, signsFrom: rotated.signsFrom, retired: [old!.kid] } });
    for (const text of [response.body, JSON.stringify(audit)]) expect(text).not.toMatch(/"(d|p|q|dp|dq|qi|private_jwk)"/);
  });

  it('refuses an unknown algorithm with 400 and no rotation', async () => {
    const count = (json(await call('GET', '', admin)) as SigningKeyList).keys.length;
    for (const body of [{ alg: 'HS256' }, { alg: 'none' }, {}, { alg: 'RS256', extra: 1 }]) {
      const response = await call('POST', '/rotate', admin, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((json(await call('GET', '', admin)) as SigningKeyList).keys).toHaveLength(count);
  });

  it('is for master admins only: an org admin gets 403, a stranger 401', async () => {
    const count = (json(await call('GET', '', admin)) as SigningKeyList).keys.length;
    expect((await call('GET', '', orgAdmin)).status).toBe(403);
    const refused = await call('POST', '/rotate', orgAdmin, { alg: 'RS256' });
    expect(refused.status).toBe(403);
    expect(json(refused).detail).toBe('Only a master administrator may do this');
    expect((await call('POST', '/rotate', undefined, { alg: 'RS256' })).status).toBe(401);
    expect((json(await call('GET', '', admin)) as SigningKeyList).keys).toHaveLength(count);
  });

  it('publishes the key of an app\'s algorithm as soon as the app is registered or changed to it', async () => {
    const algs = async () => (await server.services.signingKeys.jwks()).keys.map((key) => key.alg);
    expect(await algs()).not.toContain('ES256');
    const created = await adminCall('POST', '/oidc/clients', { client_name: 'EC app', redirect_uris: ['https://ec.example.com/cb'], id_token_signed_response_alg: 'ES256' });
    expect(created.status, created.body).toBe(201);
    expect(await algs()).toContain('ES256');
    expect(await algs()).not.toContain('EdDSA');
    const changed = await adminCall('PATCH', `/oidc/clients/${json(created).client_id}`, { id_token_signed_response_alg: 'EdDSA' });
    expect(changed.status, changed.body).toBe(200);
    expect(await algs()).toContain('EdDSA');
  });
});
