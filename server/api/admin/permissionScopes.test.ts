/**
 * Permission scopes that differ only by case are refused (issue 11): `AUTH:ADMIN` must not sit
 * beside `auth:admin` in the catalogue, in role lists or in Remote-Groups, looking like it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/testServer.js';
import type { RawResponse } from '../../testing/rawHttp.js';
import { SoftAuthenticator } from '../../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../../testing/flows.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
let server: TestServer;
let admin: string;

const json = (response: RawResponse) => JSON.parse(response.body);
const call = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host, cookie: admin, body, origin });
const scopes = async (): Promise<string[]> => json(await call('GET', '/permissions?per_page=100')).items.map((p: { scope: string }) => p.scope);

beforeAll(async () => {
  const key = new SoftAuthenticator();
  server = await startWithAdmin(['--origin', origin], key, { origin });
  admin = await signIn(server.port, key, { origin });
});
afterAll(() => server.close());

describe('permission scopes differing only by case', () => {
  it.each(['AUTH:ADMIN', 'Auth:Admin', 'auth:ADMIN', 'AUTH:ORG:ADMIN'])('refuses to create %s beside the built-in scope', async (scope) => {
    const response = await call('POST', '/permissions', { scope, displayName: 'Master administrator' });
    expect(response.status).toBe(409);
    expect(json(response).detail).toMatch(/differ only by case: auth:(org:)?admin already exists/);
    expect((await scopes()).filter((s) => s.toLowerCase() === scope.toLowerCase())).toEqual([scope.toLowerCase()]);
  });

  it('refuses a case twin of any scope, and an exact duplicate as before', async () => {
    expect((await call('POST', '/permissions', { scope: 'app:read', displayName: 'Read' })).status).toBe(201);
    const twin = await call('POST', '/permissions', { scope: 'App:Read', displayName: 'Read' });
    expect(twin.status).toBe(409);
    expect(json(twin).detail).toBe('Scopes may not differ only by case: app:read already exists');
    const duplicate = await call('POST', '/permissions', { scope: 'app:read', displayName: 'Read again' });
    expect(duplicate.status).toBe(409);
    expect(json(duplicate).detail).toBe('A permission with this scope already exists');
  });

  it('refuses renaming a scope into a case twin of another, but lets a scope change its own case', async () => {
    const wiki = json(await call('POST', '/permissions', { scope: 'wiki:edit', displayName: 'Edit the wiki' }));
    expect((await call('PATCH', `/permissions/${wiki.id}`, { scope: 'AUTH:ADMIN' })).status).toBe(409);
    expect((await call('PATCH', `/permissions/${wiki.id}`, { scope: 'APP:READ' })).status).toBe(409);
    const recased = await call('PATCH', `/permissions/${wiki.id}`, { scope: 'Wiki:Edit' });
    expect(recased.status).toBe(200);
    expect(json(recased).scope).toBe('Wiki:Edit');
    expect(await scopes()).toEqual(expect.arrayContaining(['auth:admin', 'app:read', 'Wiki:Edit']));
    expect(await scopes()).not.toContain('AUTH:ADMIN');
  });
});
