/**
 * `GET /auth/api/admin/users` without an organisation: the People page. It lists everyone a
 * master admin may see, searches names, emails and usernames ignoring case and accents, and
 * never lets an org admin find a person of another organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, UserSummary } from '../../../shared/admin.js';
import type { TestServer } from '../../testing/testServer.js';
import type { RawResponse } from '../../testing/rawHttp.js';
import { SoftAuthenticator } from '../../testing/softAuthenticator.js';
import { api, onboard, signIn, startWithAdmin } from '../../testing/flows.js';

const origin = 'http://localhost:4402';
const host = 'localhost:4402';
let server: TestServer;
let admin: string;
let orgAdmin: string;
let masterOrg: string;
let northwind: string;

const json = (response: RawResponse) => (response.body ? JSON.parse(response.body) : null);
const call = async (method: string, path: string, cookie: string, body?: unknown) => {
  const response = await api(server.port, method, `/auth/api/admin${path}`, { host, cookie, body, origin });
  expect(response.status, response.body).toBeLessThan(300);
  return json(response);
};
/** The display names `q` finds for the holder of `cookie`, in the order listed. */
const found = async (cookie: string, q: string): Promise<string[]> =>
  ((await call('GET', `/users?q=${encodeURIComponent(q)}&per_page=100`, cookie)) as Page<UserSummary>).items.map((user) => user.displayName);

beforeAll(async () => {
  const adminKey = new SoftAuthenticator();
  server = await startWithAdmin(['--origin', origin], adminKey, { origin });
  admin = await signIn(server.port, adminKey, { origin });
  const me = await call('GET', '/me', admin);
  masterOrg = me.org.id;
  const member = (orgId: string) => call('GET', `/orgs/${orgId}`, admin).then((org) => org.defaultRoleId as string);
  await call('POST', '/users', admin, { displayName: 'Grace Hopper', orgId: masterOrg, roleId: await member(masterOrg), email: 'Grace@Navy.example', username: 'ghopper' });

  northwind = (await call('POST', '/orgs', admin, { displayName: 'Northwind' })).id;
  const orgAdminScope = (await call('GET', '/permissions?per_page=100', admin)).items.find((p: { scope: string }) => p.scope === 'auth:org:admin').id;
  await call('PUT', `/orgs/${northwind}/permissions/${orgAdminScope}`, admin);
  const orgAdminRole = (await call('POST', `/orgs/${northwind}/roles`, admin, { displayName: 'Org admin' })).id;
  await call('PUT', `/roles/${orgAdminRole}/permissions/${orgAdminScope}`, admin);
  orgAdmin = (await onboard(server.port, { origin }, admin, { displayName: 'Olga Orgadmin', orgId: northwind, roleId: orgAdminRole })).cookie;
  await call('POST', '/users', admin, { displayName: 'Zoë Ångström', orgId: northwind, roleId: await member(northwind), email: 'zoe@northwind.example', username: 'zoe.a' });
});
afterAll(() => server.close());

describe('a master admin', () => {
  it('lists every person of every organisation, by name, each with their organisation and role', async () => {
    const everyone: Page<UserSummary> = await call('GET', '/users?per_page=100', admin);
    expect(everyone.total).toBe(4);
    expect(everyone.items.map((user) => [user.displayName, user.org.displayName, user.role.displayName])).toEqual([
      ['Admin', expect.any(String), 'Administrator'],
      ['Grace Hopper', everyone.items[0]!.org.displayName, 'Member'],
      ['Olga Orgadmin', 'Northwind', 'Org admin'],
      ['Zoë Ångström', 'Northwind', 'Member'],
    ]);
  });

  it('finds people by any part of their name, email or username, ignoring case', async () => {
    expect(await found(admin, 'HOPP')).toEqual(['Grace Hopper']);
    expect(await found(admin, 'grace@navy')).toEqual(['Grace Hopper']);
    expect(await found(admin, 'NAVY.EXAMPLE')).toEqual(['Grace Hopper']);
    expect(await found(admin, 'GHop')).toEqual(['Grace Hopper']);
    expect(await found(admin, 'zoe.A')).toEqual(['Zoë Ångström']);
    expect(await found(admin, 'northwind.example')).toEqual(['Zoë Ångström']);
  });

  it('ignores case and accents beyond ASCII', async () => {
    expect(await found(admin, 'ÅNGSTRÖM')).toEqual(['Zoë Ångström']);
    expect(await found(admin, 'angstrom')).toEqual(['Zoë Ångström']);
    expect(await found(admin, 'ZOË')).toEqual(['Zoë Ångström']);
  });

  it('takes wildcards literally and finds nobody for an unknown text', async () => {
    expect(await found(admin, '%')).toEqual([]);
    expect(await found(admin, 'g_ace')).toEqual([]);
    expect(await found(admin, 'nobody by this name')).toEqual([]);
  });

  it('pages through the matches', async () => {
    const first: Page<UserSummary> = await call('GET', '/users?q=o&per_page=2&page=1', admin);
    const second: Page<UserSummary> = await call('GET', '/users?q=o&per_page=2&page=2', admin);
    expect(first.total).toBe(3);
    expect([...first.items, ...second.items].map((user) => user.displayName)).toEqual(['Grace Hopper', 'Olga Orgadmin', 'Zoë Ångström']);
  });
});

describe('an org admin', () => {
  it('lists only the people of their organisation', async () => {
    const everyone: Page<UserSummary> = await call('GET', '/users?per_page=100', orgAdmin);
    expect(everyone.total).toBe(2);
    expect(everyone.items.every((user) => user.org.id === northwind)).toBe(true);
    expect(await found(orgAdmin, 'zoe')).toEqual(['Zoë Ångström']);
  });

  it("cannot find a person of another organisation by name, email or username", async () => {
    for (const q of ['Grace', 'navy.example', 'ghopper']) expect(await found(orgAdmin, q)).toEqual([]);
    const otherOrg = await api(server.port, 'GET', `/auth/api/admin/users?org=${masterOrg}&q=grace`, { host, cookie: orgAdmin, origin });
    expect(otherOrg.status).toBe(404);
  });
});
