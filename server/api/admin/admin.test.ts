/**
 * The admin API against the real server: the whole org/role/permission/user flow
 * through to forward auth, and every authorisation boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/testServer.js';
import { rawRequest, type RawResponse } from '../../testing/rawHttp.js';
import { SoftAuthenticator } from '../../testing/softAuthenticator.js';
import { api, onboard as onboardUser, signIn, startWithAdmin } from '../../testing/flows.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
let server: TestServer;
let admin: string;
const adminKey = new SoftAuthenticator();

const json = (response: RawResponse) => JSON.parse(response.body);
const call = (method: string, path: string, cookie: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host, cookie, body, origin });
const forward = (cookie: string, query: string) => rawRequest(server.port, { host, path: `/auth/api/forward${query}`, headers: { cookie } });

/** Creates a user through the API and signs them in with a fresh authenticator via their registration link. */
const onboard = (cookie: string, orgId: string, roleId: string, displayName: string) => onboardUser(server.port, { origin }, cookie, { displayName, orgId, roleId });

let ids: { masterOrg: string; adminRole: string; adminScope: string; adminUser: string };

beforeAll(async () => {
  server = await startWithAdmin(['--origin', origin], adminKey, { origin });
  admin = await signIn(server.port, adminKey, { origin });
  const me = json(await call('GET', '/me', admin));
  const org = json(await call('GET', `/orgs/${me.org.id}`, admin));
  ids = {
    masterOrg: me.org.id,
    adminRole: org.roles[0].id,
    adminScope: org.grantable.find((p: { scope: string }) => p.scope === 'auth:admin').id,
    adminUser: me.user.id,
  };
});
afterAll(() => server.close());

describe('the master admin sets up an app and its users', () => {
  it('org → permission → grant → role → user → link → passkey → forward 204, then 403 once the role loses it', async () => {
    expect(json(await call('GET', '/me', admin))).toMatchObject({ level: 'master' });
    const org = json(await call('POST', '/orgs', admin, { displayName: 'Acme' }));
    expect(org).toMatchObject({ displayName: 'Acme', userCount: 0 });
    const permission = json(await call('POST', '/permissions', admin, { scope: 'app:read', displayName: 'Read the app' }));
    expect((await call('PUT', `/orgs/${org.id}/permissions/${permission.id}`, admin)).status).toBe(204);
    const role = json(await call('POST', `/orgs/${org.id}/roles`, admin, { displayName: 'Reader' }));
    expect((await call('PUT', `/roles/${role.id}/permissions/${permission.id}`, admin)).status).toBe(204);
    const detail = json(await call('GET', `/orgs/${org.id}`, admin));
    expect(detail.roles.find((r: { id: string }) => r.id === role.id).permissionIds).toEqual([permission.id]);
    expect(detail.grantable.map((p: { scope: string }) => p.scope)).toEqual(['app:read']);

    const reader = await onboard(admin, org.id, role.id, 'Rita Reader');
    expect(Date.parse(json(await call('GET', `/users/${reader.id}`, admin)).lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await forward(reader.cookie, '?perm=app:read')).status).toBe(204);
    expect((await forward(reader.cookie, '?perm=app:read')).headers['remote-groups']).toBe('app:read');
    expect((await call('DELETE', `/roles/${role.id}/permissions/${permission.id}`, admin)).status).toBe(204);
    expect((await forward(reader.cookie, '?perm=app:read')).status).toBe(403);

    // Revoking the grant from the org also takes the permission off its roles.
    await call('PUT', `/roles/${role.id}/permissions/${permission.id}`, admin);
    expect((await forward(reader.cookie, '?perm=app:read')).status).toBe(204);
    await call('DELETE', `/orgs/${org.id}/permissions/${permission.id}`, admin);
    expect((await forward(reader.cookie, '?perm=app:read')).status).toBe(403);

    // The log names what each change created, and the organisation and role as they were then called.
    expect((await call('PATCH', `/orgs/${org.id}`, admin, { displayName: 'Acme Ltd' })).status).toBe(200);
    const changes: Array<{ orgId: string | null; target: string | null; detail: Record<string, unknown> }> = json(await call('GET', `/audit?org=${org.id}&per_page=100`, admin)).items;
    const change = (op: string) => changes.find((entry) => entry.detail.op === op);
    expect(change('create_org')).toMatchObject({ orgId: org.id, target: org.id, detail: { displayName: 'Acme', orgName: 'Acme' } });
    expect(change('create_role')).toMatchObject({ target: role.id, detail: { displayName: 'Reader', orgName: 'Acme' } });
    expect(change('create_user')).toMatchObject({ target: reader.id, detail: { displayName: 'Rita Reader', orgName: 'Acme' } });
    expect(change('grant_to_org')).toMatchObject({ target: permission.id, detail: { scope: 'app:read', orgName: 'Acme' } });
    expect(change('add_role_permission')).toMatchObject({ target: role.id, detail: { scope: 'app:read', roleName: 'Reader', orgName: 'Acme' } });
    expect(change('rename_org')).toMatchObject({ detail: { displayName: 'Acme Ltd', previousName: 'Acme', orgName: 'Acme Ltd' } });
    const everything: Array<{ target: string | null; detail: Record<string, unknown> }> = json(await call('GET', '/audit?per_page=100', admin)).items;
    expect(everything.find((entry) => entry.detail.op === 'create_permission')).toMatchObject({ target: permission.id, detail: { scope: 'app:read' } });
    expect(json(await call('GET', `/orgs/${org.id}`, admin)).roles.find((r: { id: string }) => r.id === role.id).permissionIds).toEqual([]);

    // Deleting the user ends their sessions at once.
    expect((await call('DELETE', `/users/${reader.id}`, admin)).status).toBe(204);
    expect((await forward(reader.cookie, '')).status).toBe(401);
  });

  it('domain-limited permissions count only on their host', async () => {
    const permission = json(await call('POST', '/permissions', admin, { scope: 'wiki:edit', displayName: 'Edit', domain: 'Wiki.Example.com' }));
    expect(permission.domain).toBe('wiki.example.com');
    await call('PUT', `/orgs/${ids.masterOrg}/permissions/${permission.id}`, admin);
    await call('PUT', `/roles/${ids.adminRole}/permissions/${permission.id}`, admin);
    expect((await forward(admin, '?perm=wiki:edit')).status).toBe(403);
    await call('DELETE', `/permissions/${permission.id}`, admin);
  });
});

describe('every organisation has a default role for new users', () => {
  const roleNamed = (detail: { roles: { id: string; displayName: string }[] }, name: string) => detail.roles.find((r) => r.displayName === name)!;

  it('a new organisation starts with "Member" as its default, so a user needs no role chosen', async () => {
    const org = json(await call('POST', '/orgs', admin, { displayName: 'Defaults Ltd' }));
    const detail = json(await call('GET', `/orgs/${org.id}`, admin));
    expect(detail.roles.map((r: { displayName: string }) => r.displayName)).toEqual(['Member']);
    expect(detail.defaultRoleId).toBe(roleNamed(detail, 'Member').id);
    const user = await call('POST', '/users', admin, { displayName: 'Dee Fault', orgId: org.id });
    expect(user.status).toBe(201);
    expect(json(user).role.displayName).toBe('Member');
  });

  it('the bootstrap organisation has one too, and new users there are not administrators', async () => {
    const detail = json(await call('GET', `/orgs/${ids.masterOrg}`, admin));
    expect(roleNamed(detail, 'Member').id).toBe(detail.defaultRoleId);
    const user = json(await call('POST', '/users', admin, { displayName: 'Plain Person', orgId: ids.masterOrg }));
    expect(json(await call('GET', `/users/${user.id}`, admin)).permissions).toEqual([]);
    expect((await call('DELETE', `/users/${user.id}`, admin)).status).toBe(204);
  });

  it('the default can be changed to another role of the organisation, and is kept from deletion', async () => {
    const org = json(await call('POST', '/orgs', admin, { displayName: 'Switching Ltd' }));
    const editor = json(await call('POST', `/orgs/${org.id}/roles`, admin, { displayName: 'Editor' }));
    const member = roleNamed(json(await call('GET', `/orgs/${org.id}`, admin)), 'Member');
    expect((await call('DELETE', `/roles/${member.id}`, admin)).status).toBe(409);
    expect((await call('PUT', `/orgs/${org.id}/default-role`, admin, { roleId: ids.adminRole })).status).toBe(400);
    expect((await call('PUT', `/orgs/${org.id}/default-role`, admin, { roleId: editor.id })).status).toBe(204);
    expect(json(await call('GET', `/orgs/${org.id}`, admin)).defaultRoleId).toBe(editor.id);
    expect(json(await call('POST', '/users', admin, { displayName: 'Eddie', orgId: org.id })).role.displayName).toBe('Editor');
    expect((await call('DELETE', `/roles/${member.id}`, admin)).status).toBe(204);
    const audit = json(await call('GET', `/audit?org=${org.id}`, admin)).items;
    expect(audit.some((entry: { detail: { op: string }; target: string }) => entry.detail.op === 'set_default_role' && entry.target === editor.id)).toBe(true);
  });

  it('an empty organisation is deleted with its default role; a user for it is then 404', async () => {
    const org = json(await call('POST', '/orgs', admin, { displayName: 'Short-lived Ltd' }));
    expect((await call('DELETE', `/orgs/${org.id}`, admin)).status).toBe(204);
    expect((await call('POST', '/users', admin, { displayName: 'Nobody', orgId: org.id })).status).toBe(404);
  });
});

describe('validation and conflicts', () => {
  it('answers 400, 404 and 409 precisely', async () => {
    expect((await call('POST', '/permissions', admin, { scope: 'bad scope', displayName: 'x' })).status).toBe(400);
    expect((await call('POST', '/permissions', admin, { scope: 'ok:scope' })).status).toBe(400);
    expect((await call('POST', '/permissions', admin, { scope: 'x:y', displayName: 'x', domain: 'not a host' })).status).toBe(400);
    expect((await call('POST', '/permissions', admin, { scope: 'dup:x', displayName: 'x' })).status).toBe(201);
    const duplicate = await call('POST', '/permissions', admin, { scope: 'dup:x', displayName: 'x' });
    expect(duplicate.status).toBe(409);
    expect(json(duplicate).detail).toMatch(/already exists/);
    expect((await call('GET', '/users/not-a-uuid', admin)).status).toBe(400);
    expect((await call('GET', '/users/0190b1c4-0000-7000-8000-000000000000', admin)).status).toBe(404);
    expect((await call('GET', '/users?per_page=1000', admin)).status).toBe(400);
    expect((await call('POST', '/orgs', admin, { displayName: '' })).status).toBe(400);
    expect((await call('DELETE', `/orgs/${ids.masterOrg}`, admin)).status).toBe(409);
    expect((await call('DELETE', `/roles/${ids.adminRole}`, admin)).status).toBe(409);
    expect((await call('DELETE', `/permissions/${ids.adminScope}`, admin)).status).toBe(409);
  });

  it("answers 404 for a passkey or session that is not the named user's, and deletes nothing", async () => {
    const other = json(await call('POST', '/users', admin, { displayName: 'Olga Other', orgId: ids.masterOrg, roleId: ids.adminRole }));
    const before = json(await call('GET', `/users/${ids.adminUser}`, admin));
    const credentialId = before.credentials[0].id;
    const sessionId = before.sessions[0].id;
    expect((await call('DELETE', `/users/${other.id}/credentials/${credentialId}`, admin)).status).toBe(404);
    expect((await call('DELETE', `/users/${other.id}/sessions/${sessionId}`, admin)).status).toBe(404);
    const after = json(await call('GET', `/users/${ids.adminUser}`, admin));
    expect(after.credentials.map((credential: { id: string }) => credential.id)).toContain(credentialId);
    expect(after.sessions.map((session: { id: string }) => session.id)).toContain(sessionId);
    expect((await call('DELETE', `/users/${other.id}`, admin)).status).toBe(204);
  });

  it('paginates', async () => {
    const first = json(await call('GET', '/permissions?per_page=1&page=1', admin));
    const second = json(await call('GET', '/permissions?per_page=1&page=2', admin));
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(3);
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });
});

describe('email and username', () => {
  const audited = async (userId: string) => json(await call('GET', `/audit?user=${userId}`, admin)).items.map((e: { detail: Record<string, unknown> }) => e.detail);

  it('are stored as given (email) and lower-cased (username), unique ignoring case, and answered in detail and list', async () => {
    const ada = await call('POST', '/users', admin, { displayName: 'Ada', orgId: ids.masterOrg, roleId: ids.adminRole, email: ' Ada@Example.com ', username: 'Ada.L' });
    expect(ada.status).toBe(201);
    expect(json(ada)).toMatchObject({ email: 'Ada@Example.com', emailVerified: false, username: 'ada.l' });
    const id = json(ada).id;
    expect(json(await call('GET', `/users/${id}`, admin))).toMatchObject({ email: 'Ada@Example.com', emailVerified: false, username: 'ada.l' });
    expect(json(await call('GET', '/users?q=Ada&per_page=100', admin)).items.find((u: { id: string }) => u.id === id)).toMatchObject({ username: 'ada.l' });

    const sameEmail = await call('POST', '/users', admin, { displayName: 'Ada 2', orgId: ids.masterOrg, roleId: ids.adminRole, email: 'ada@example.COM' });
    expect(sameEmail.status).toBe(409);
    expect(json(sameEmail).detail).toMatch(/already has this email address/);
    const sameUsername = await call('POST', '/users', admin, { displayName: 'Ada 3', orgId: ids.masterOrg, roleId: ids.adminRole, username: 'ADA.L' });
    expect(sameUsername.status).toBe(409);
    expect(json(sameUsername).detail).toMatch(/already has this username/);
    const other = json(await call('POST', '/users', admin, { displayName: 'Other', orgId: ids.masterOrg, roleId: ids.adminRole }));
    expect((await call('PATCH', `/users/${other.id}`, admin, { email: 'ADA@EXAMPLE.COM' })).status).toBe(409);
    expect((await call('PATCH', `/users/${other.id}`, admin, { username: 'ada.l' })).status).toBe(409);
    expect(json(await call('GET', `/users/${other.id}`, admin))).toMatchObject({ email: null, username: null });
    // People without either never collide.
    expect((await call('POST', '/users', admin, { displayName: 'Nobody', orgId: ids.masterOrg, roleId: ids.adminRole })).status).toBe(201);
  });

  it('are verified only when the admin says so, unverified by a new address, and cleared with null', async () => {
    const id = json(await call('POST', '/users', admin, { displayName: 'Vera', orgId: ids.masterOrg, roleId: ids.adminRole, email: 'vera@example.com', emailVerified: true })).id;
    expect(json(await call('GET', `/users/${id}`, admin)).emailVerified).toBe(true);
    expect(json(await call('PATCH', `/users/${id}`, admin, { displayName: 'Vera V', email: 'vera@example.com' })).emailVerified).toBe(true);
    expect(json(await call('PATCH', `/users/${id}`, admin, { email: 'vera@example.org' }))).toMatchObject({ email: 'vera@example.org', emailVerified: false });
    expect(json(await call('PATCH', `/users/${id}`, admin, { emailVerified: true })).emailVerified).toBe(true);
    expect(json(await call('PATCH', `/users/${id}`, admin, { emailVerified: false })).emailVerified).toBe(false);
    expect(json(await call('PATCH', `/users/${id}`, admin, { email: null, username: 'vera' }))).toMatchObject({ email: null, emailVerified: false, username: 'vera' });
    expect(json(await call('PATCH', `/users/${id}`, admin, { username: null })).username).toBeNull();
    expect(await audited(id)).toContainEqual(expect.objectContaining({ op: 'update_user', email: 'vera@example.org', emailVerified: false }));
    expect(await audited(id)).toContainEqual({ op: 'create_user', displayName: 'Vera', email: 'vera@example.com', emailVerified: true, orgName: expect.any(String) });
  });

  it('answers 400 for a bad address or username, or vouching for no address', async () => {
    const id = json(await call('POST', '/users', admin, { displayName: 'Val', orgId: ids.masterOrg, roleId: ids.adminRole })).id;
    const refusals = [
      await call('PATCH', `/users/${id}`, admin, { email: 'not an address' }),
      await call('PATCH', `/users/${id}`, admin, { username: 'val idation' }),
      await call('PATCH', `/users/${id}`, admin, { username: '.val' }),
      await call('PATCH', `/users/${id}`, admin, { username: 'v'.repeat(65) }),
      await call('PATCH', `/users/${id}`, admin, { emailVerified: 'yes' }),
      await call('PATCH', `/users/${id}`, admin, { emailVerified: true }),
      await call('POST', '/users', admin, { displayName: 'Val 2', orgId: ids.masterOrg, roleId: ids.adminRole, emailVerified: true }),
    ];
    expect(refusals.map((response) => response.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(json(refusals[0]!).detail).toMatch(/^Invalid request body: email: must be an address/);
    expect(json(refusals[1]!).detail).toMatch(/^Invalid request body: username: must be 1 to 64 of a-z/);
    expect(json(refusals[5]!).detail).toBe('emailVerified needs an email address');
    expect(json(await call('GET', `/users/${id}`, admin))).toMatchObject({ email: null, emailVerified: false, username: null });
  });
});

describe('the last master admin cannot be deleted, demoted or locked out', () => {
  it('refuses each way with 409 and leaves the admin working', async () => {
    const plainRole = json(await call('GET', `/orgs/${ids.masterOrg}`, admin)).roles.find((r: { displayName: string }) => r.displayName === 'Member');
    const attempts = [
      await call('DELETE', `/users/${ids.adminUser}`, admin),
      await call('PATCH', `/users/${ids.adminUser}`, admin, { roleId: plainRole.id }),
      await call('DELETE', `/roles/${ids.adminRole}/permissions/${ids.adminScope}`, admin),
      await call('DELETE', `/orgs/${ids.masterOrg}/permissions/${ids.adminScope}`, admin),
    ];
    const detail = json(await call('GET', `/users/${ids.adminUser}`, admin));
    for (const credential of detail.credentials) attempts.push(await call('DELETE', `/users/${ids.adminUser}/credentials/${credential.id}`, admin));
    for (const attempt of attempts) {
      expect(attempt.status).toBe(409);
      expect(json(attempt).detail).toMatch(/no master administrator/);
    }
    expect((await forward(admin, '?perm=auth:admin')).status).toBe(204);
  });

  it('allows demoting one master admin while another remains', async () => {
    const second = await onboard(admin, ids.masterOrg, ids.adminRole, 'Second Admin');
    const plainRole = json(await call('GET', `/orgs/${ids.masterOrg}`, admin)).roles.find((r: { displayName: string }) => r.displayName === 'Member');
    expect((await call('PATCH', `/users/${second.id}`, admin, { roleId: plainRole.id })).status).toBe(200);
    expect((await forward(second.cookie, '?perm=auth:admin')).status).toBe(403);
  });
});

describe('authorisation boundaries', () => {
  let orgAdmin: { id: string; cookie: string };
  let member: { id: string; cookie: string };
  let acme: string;
  let acmeReader: string;
  let secret: string;

  beforeAll(async () => {
    const org = json(await call('POST', '/orgs', admin, { displayName: 'Org With Admin' }));
    acme = org.id;
    const orgAdminScope = json(await call('GET', '/permissions?per_page=100', admin)).items.find((p: { scope: string }) => p.scope === 'auth:org:admin');
    await call('PUT', `/orgs/${acme}/permissions/${orgAdminScope.id}`, admin);
    const adminRole = json(await call('POST', `/orgs/${acme}/roles`, admin, { displayName: 'Org admin' }));
    await call('PUT', `/roles/${adminRole.id}/permissions/${orgAdminScope.id}`, admin);
    acmeReader = json(await call('POST', `/orgs/${acme}/roles`, admin, { displayName: 'Reader' })).id;
    secret = json(await call('POST', '/permissions', admin, { scope: 'secret:read', displayName: 'Secret' })).id;
    orgAdmin = await onboard(admin, acme, adminRole.id, 'Olga Orgadmin');
    member = await onboard(admin, acme, acmeReader, 'Mo Member');
  });

  it('401 without a session, 403 for a plain user', async () => {
    expect((await api(server.port, 'GET', '/auth/api/admin/orgs', { host })).status).toBe(401);
    expect((await call('GET', '/orgs', member.cookie)).status).toBe(403);
    expect((await call('POST', '/orgs', member.cookie, { displayName: 'x' })).status).toBe(403);
  });

  it('an org admin sees only their organisation', async () => {
    expect(json(await call('GET', '/me', orgAdmin.cookie))).toMatchObject({ level: 'org', org: { id: acme } });
    const orgs = json(await call('GET', '/orgs', orgAdmin.cookie));
    expect(orgs.items.map((o: { id: string }) => o.id)).toEqual([acme]);
    expect((await call('GET', `/orgs/${ids.masterOrg}`, orgAdmin.cookie)).status).toBe(404);
    expect((await call('GET', `/users?org=${ids.masterOrg}`, orgAdmin.cookie)).status).toBe(404);
    expect((await call('GET', `/users/${ids.adminUser}`, orgAdmin.cookie)).status).toBe(404);
    const users = json(await call('GET', '/users', orgAdmin.cookie));
    expect(users.items.every((u: { org: { id: string } }) => u.org.id === acme)).toBe(true);
    expect((await call('POST', '/users', orgAdmin.cookie, { displayName: 'Sneaky', orgId: ids.masterOrg, roleId: ids.adminRole })).status).toBe(404);
    expect((await call('DELETE', `/users/${ids.adminUser}`, orgAdmin.cookie)).status).toBe(404);
  });

  it('an org admin cannot grant what the organisation may not grant, nor change grants or the catalogue', async () => {
    const refused = await call('PUT', `/roles/${acmeReader}/permissions/${secret}`, orgAdmin.cookie);
    expect(refused.status).toBe(403);
    expect(json(refused).detail).toMatch(/may not grant/);
    expect((await call('PUT', `/orgs/${acme}/permissions/${secret}`, orgAdmin.cookie)).status).toBe(403);
    expect((await call('POST', '/permissions', orgAdmin.cookie, { scope: 'mine:x', displayName: 'x' })).status).toBe(403);
    expect((await call('PUT', `/roles/${ids.adminRole}/permissions/${secret}`, orgAdmin.cookie)).status).toBe(404);
    expect((await forward(member.cookie, '?perm=secret:read')).status).toBe(403);
  });

  it('an org admin manages their own users', async () => {
    const renamed = await call('PATCH', `/users/${member.id}`, orgAdmin.cookie, { displayName: 'Mo Renamed' });
    expect(json(renamed).displayName).toBe('Mo Renamed');
    expect(json(await call('PATCH', `/users/${member.id}`, orgAdmin.cookie, { email: 'mo@acme.example', emailVerified: true, username: 'mo' }))).toMatchObject({
      email: 'mo@acme.example',
      emailVerified: true,
      username: 'mo',
    });
    expect((await call('PATCH', `/users/${ids.adminUser}`, orgAdmin.cookie, { email: 'hijack@acme.example' })).status).toBe(404);
    expect((await forward(member.cookie, '')).headers['remote-name']).toBe('Mo Renamed');
    expect((await call('DELETE', `/users/${member.id}/sessions`, orgAdmin.cookie)).status).toBe(204);
    expect((await forward(member.cookie, '')).status).toBe(401);
  });

  it('lists and revokes a user\'s open links (a new one replaces the last), within the org admin\'s organisation only', async () => {
    const tokenLive = async (token: string) => (await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token } })).status === 200;
    const wrongChat = json(await call('POST', `/users/${member.id}/link`, orgAdmin.cookie));
    const link = json(await call('POST', `/users/${member.id}/link`, orgAdmin.cookie));
    expect(link.replaced).toBe(1);
    expect(await tokenLive(wrongChat.token)).toBe(false);
    const listed = json(await call('GET', `/users/${member.id}/links`, orgAdmin.cookie));
    expect(listed).toEqual([{ id: link.id, kind: 'reset', createdAt: expect.any(String), expiresAt: link.expiresAt }]);

    // Another organisation's user, and its links, do not exist for the org admin.
    const masterLink = json(await call('POST', `/users/${ids.adminUser}/link`, admin));
    expect((await call('GET', `/users/${ids.adminUser}/links`, orgAdmin.cookie)).status).toBe(404);
    expect((await call('DELETE', `/users/${ids.adminUser}/links/${masterLink.id}`, orgAdmin.cookie)).status).toBe(404);
    expect((await call('DELETE', `/users/${member.id}/links/${masterLink.id}`, orgAdmin.cookie)).status).toBe(404);
    expect(await tokenLive(masterLink.token)).toBe(true);
    expect((await call('DELETE', `/users/${ids.adminUser}/links/${masterLink.id}`, admin)).status).toBe(204);

    expect((await call('DELETE', `/users/${member.id}/links/${link.id}`, orgAdmin.cookie)).status).toBe(204);
    expect(await tokenLive(link.token)).toBe(false);
    expect(json(await call('GET', `/users/${member.id}/links`, orgAdmin.cookie))).toEqual([]);
    expect((await call('DELETE', `/users/${member.id}/links/${link.id}`, orgAdmin.cookie)).status).toBe(404);
    expect((await call('DELETE', `/users/${member.id}/links/nope`, orgAdmin.cookie)).status).toBe(400);
    const audit = json(await call('GET', `/audit?user=${member.id}&per_page=100`, admin)).items;
    expect(audit.filter((e: { detail: { op?: string } }) => e.detail.op === 'revoke_link')).toEqual([expect.objectContaining({ target: member.id, detail: { op: 'revoke_link', linkId: link.id, orgName: 'Org With Admin' } })]);
  });

  it('records admin changes and sign-ins in the audit log, scoped by organisation', async () => {
    const all = json(await call('GET', '/audit?per_page=100', admin));
    const actions = new Set(all.items.map((e: { action: string }) => e.action));
    for (const action of ['sign_in', 'passkey_added', 'admin_change']) expect(actions.has(action)).toBe(true);
    const mine = json(await call('GET', '/audit?per_page=100', orgAdmin.cookie));
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e: { orgId: string | null }) => e.orgId === acme)).toBe(true);
    const byUser = json(await call('GET', `/audit?user=${member.id}`, admin));
    expect(byUser.items.every((e: { actor: { id: string } | null; target: string }) => e.actor?.id === member.id || e.target === member.id)).toBe(true);
    expect(byUser.items.length).toBeGreaterThan(0);
  });
});
