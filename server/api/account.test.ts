/**
 * Session and account endpoints against the real server: cookies, CSRF,
 * sensitive actions needing a recent passkey use, and host binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { openCeremony } from '../testing/wsClient.js';
import { api, authenticate, registerPasskey, setSession, signIn as signInWith, startWithAdmin } from '../testing/flows.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
let server: TestServer;
const phone = new SoftAuthenticator();

const signIn = (authenticator = phone) => signInWith(server.port, authenticator, { origin });
const adminCall = (cookie: string, method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host, cookie, body, origin });
const userInfo = async (cookie: string) => JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, cookie, body: {} })).body);

beforeAll(async () => {
  server = await startWithAdmin(['--origin', origin], phone, { origin });
});
afterAll(() => server.close());

describe('validate', () => {
  it('answers 401 without a session and 200 with one', async () => {
    expect((await api(server.port, 'POST', '/auth/api/validate', { host })).status).toBe(401);
    const cookie = await signIn();
    const response = await api(server.port, 'POST', '/auth/api/validate', { host, cookie });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ valid: true, user: { displayName: 'Admin' }, renewed: false });
  });

  it('renews after the throttle interval, not before, and not with renew=0', async () => {
    const cookie = await signIn();
    server.advanceClock(6 * 60 * 1000);
    try {
      const skipped = await api(server.port, 'POST', '/auth/api/validate?renew=0', { host, cookie });
      expect(JSON.parse(skipped.body).renewed).toBe(false);
      const renewed = await api(server.port, 'POST', '/auth/api/validate', { host, cookie });
      expect(JSON.parse(renewed.body).renewed).toBe(true);
      expect(String(renewed.headers['set-cookie'])).toContain(cookie);
      const again = await api(server.port, 'POST', '/auth/api/validate', { host, cookie });
      expect(JSON.parse(again.body).renewed).toBe(false);
    } finally {
      server.advanceClock(-6 * 60 * 1000);
    }
  });

  it('rejects a bad renew value with 400 and a session after its idle expiry with 401', async () => {
    const cookie = await signIn();
    expect((await api(server.port, 'POST', '/auth/api/validate?renew=yes', { host, cookie })).status).toBe(400);
    server.advanceClock(8 * 24 * 60 * 60 * 1000);
    try {
      expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status).toBe(401);
    } finally {
      server.advanceClock(-8 * 24 * 60 * 60 * 1000);
    }
  });

  it('does not accept a cookie on another host', async () => {
    const cookie = await signIn();
    expect((await api(server.port, 'POST', '/auth/api/validate', { host: 'other.localhost:4401', cookie })).status).toBe(401);
  });
});

describe('cross-site request forgery', () => {
  it.each([
    ['POST', '/auth/api/logout'],
    ['POST', '/auth/api/create-link'],
    ['POST', '/auth/api/user/logout-all'],
    ['PUT', '/auth/api/user/display-name'],
    ['PUT', '/auth/api/user/email'],
    ['PUT', '/auth/api/user/username'],
    ['POST', '/auth/api/set-session'],
  ])('refuses %s %s from a foreign Origin', async (method, path) => {
    const cookie = await signIn();
    const response = await api(server.port, method, path, { host, cookie, origin: 'https://evil.example', body: { displayName: 'pwned' } });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(/Cross-site/);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status).toBe(200);
  });

  it('refuses a cross-site Sec-Fetch-Site without Origin, and a null Origin', async () => {
    const cookie = await signIn();
    const forged = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/logout', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(forged.status).toBe(403);
    const nullOrigin = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/logout', headers: { cookie, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status).toBe(200);
  });

  it('accepts the same origin, and audits the sign-out', async () => {
    const cookie = await signIn();
    expect((await api(server.port, 'POST', '/auth/api/logout', { host, cookie, origin })).status).toBe(204);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status).toBe(401);
    const signedOut = await server.deps.database.db.selectFrom('audit_log').select(['target']).where('action', '=', 'signed_out').orderBy('id', 'desc').limit(1).executeTakeFirst();
    expect(signedOut).toEqual({ target: 'localhost' });
  });
});

describe('sessions', () => {
  it('lists sessions, ends another one, and its cookie stops working', async () => {
    const mine = await signIn();
    const other = await signIn();
    const info = await userInfo(mine);
    const otherId = info.sessions.find((s: { current: boolean; id: string }) => !s.current && s.id).id;
    const otherInfo = await userInfo(other);
    expect(otherInfo.sessionId).not.toBe(info.sessionId);
    const end = await api(server.port, 'DELETE', `/auth/api/session/${otherInfo.sessionId}`, { host, cookie: mine, origin });
    expect(end.status).toBe(204);
    expect(otherId).toBeTruthy();
    const ended = await server.deps.database.db.selectFrom('audit_log').select(['target', 'detail']).where('action', '=', 'session_ended').orderBy('id', 'desc').limit(1).executeTakeFirst();
    expect(ended).toEqual({ target: otherInfo.sessionId, detail: JSON.stringify({ host: 'localhost' }) });
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie: other })).status).toBe(401);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie: mine })).status).toBe(200);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const cookie = await signIn();
    expect((await api(server.port, 'DELETE', '/auth/api/session/nope', { host, cookie })).status).toBe(400);
    expect((await api(server.port, 'DELETE', '/auth/api/session/0190b1c4-0000-7000-8000-000000000000', { host, cookie })).status).toBe(404);
  });

  it('logout-all ends every session of the user', async () => {
    const a = await signIn();
    const b = await signIn();
    expect((await api(server.port, 'POST', '/auth/api/user/logout-all', { host, cookie: a, origin })).status).toBe(204);
    for (const cookie of [a, b]) expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status).toBe(401);
  });

  it('replaces the previous session of the same browser on set-session', async () => {
    const first = await signIn();
    const code = (await authenticate(server.port, phone, { origin })).code;
    const response = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization: `Bearer ${code}`, cookie: first } });
    expect(response.status).toBe(200);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie: first })).status).toBe(401);
  });

  it('answers 400 for a malformed Authorization header', async () => {
    for (const authorization of ['', 'Basic abc', 'Bearer short', 'Bearer has spaces in it ok']) {
      const response = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization } });
      expect(response.status).toBe(400);
    }
  });
});

describe('passkeys and device links', () => {
  it('creates a device link that registers a second device, single use', async () => {
    const cookie = await signIn();
    const link = await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} });
    expect(link.status).toBe(200);
    const { url, token, expiresAt } = JSON.parse(link.body);
    expect(url).toBe(`${origin}/auth/${token}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    const about = await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token } });
    expect(JSON.parse(about.body)).toMatchObject({ kind: 'token', tokenKind: 'device', user: { displayName: 'Admin' } });
    const laptop = new SoftAuthenticator();
    await registerPasskey(server.port, laptop, { origin }, token);
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token } })).status).toBe(404);
    expect((await userInfo(cookie)).credentials.length).toBeGreaterThanOrEqual(2);
  });

  it("tells a person's first passkey from another one: firstPasskey in what a link is for", async () => {
    const cookie = await signIn();
    const tokenInfo = async (token: string) => JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token } })).body);
    const deviceLink = JSON.parse((await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} })).body);
    expect(await tokenInfo(deviceLink.token)).toMatchObject({ tokenKind: 'device', firstPasskey: false });

    const { org, role } = await userInfo(cookie);
    const newcomer = JSON.parse((await adminCall(cookie, 'POST', '/users', { displayName: 'Newcomer', orgId: org.id, roleId: role.id })).body);
    const welcome = JSON.parse((await adminCall(cookie, 'POST', `/users/${newcomer.id}/link`)).body);
    expect(await tokenInfo(welcome.token)).toMatchObject({ tokenKind: 'reset', user: { displayName: 'Newcomer' }, firstPasskey: true });
    await registerPasskey(server.port, new SoftAuthenticator(), { origin }, welcome.token);
    const replacement = JSON.parse((await adminCall(cookie, 'POST', `/users/${newcomer.id}/link`)).body);
    expect(await tokenInfo(replacement.token)).toMatchObject({ tokenKind: 'reset', firstPasskey: false });
  });

  it('answers 400 for a malformed token and 404 for an unknown one', async () => {
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token: 'nope' } })).status).toBe(400);
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token: 'abandon.ability.able.about.above' } })).status).toBe(404);
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token: 1 } })).status).toBe(400);
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host, body: { other: 1 } })).status).toBe(400);
  });

  it('needs a recent authentication to create a link or delete a passkey', async () => {
    const cookie = await signIn();
    const { credentials } = await userInfo(cookie);
    server.advanceClock(11 * 60 * 1000);
    try {
      const link = await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} });
      expect(link.status).toBe(401);
      expect(JSON.parse(link.body)).toMatchObject({ reauth: true });
      const del = await api(server.port, 'DELETE', `/auth/api/credential/${credentials[0].id}`, { host, cookie, origin });
      expect(del.status).toBe(401);
    } finally {
      server.advanceClock(-11 * 60 * 1000);
    }
  });

  it('deletes a passkey with its sessions, and refuses to delete the last one', async () => {
    const spare = new SoftAuthenticator();
    const cookie = await signIn();
    await registerPasskey(server.port, spare, { origin }, undefined, cookie);
    const spareCookie = await signIn(spare);
    const spareId = (await userInfo(spareCookie)).credentials.find((c: { current: boolean }) => c.current).id;
    expect((await api(server.port, 'DELETE', `/auth/api/credential/${spareId}`, { host, cookie, origin })).status).toBe(204);
    expect((await api(server.port, 'POST', '/auth/api/validate', { host, cookie: spareCookie })).status).toBe(401);
    expect((await api(server.port, 'DELETE', `/auth/api/credential/${spareId}`, { host, cookie, origin })).status).toBe(404);

    const { credentials } = await userInfo(cookie);
    for (const credential of credentials.filter((c: { current: boolean }) => !c.current)) {
      expect((await api(server.port, 'DELETE', `/auth/api/credential/${credential.id}`, { host, cookie, origin })).status).toBe(204);
    }
    const current = (await userInfo(cookie)).credentials[0];
    const last = await api(server.port, 'DELETE', `/auth/api/credential/${current.id}`, { host, cookie, origin });
    expect(last.status).toBe(409);
    expect(JSON.parse(last.body).detail).toMatch(/lock you out/);
  });
});

describe('own device links', () => {
  const links = async (cookie: string) => JSON.parse((await api(server.port, 'GET', '/auth/api/user/links', { host, cookie })).body);
  const createLink = async (cookie: string) => JSON.parse((await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} })).body);
  const isLive = async (token: string) => (await api(server.port, 'POST', '/auth/api/user-info', { host, body: { token } })).status === 200;

  it('a new device link replaces the open one, so a link sent to the wrong place dies', async () => {
    const cookie = await signIn();
    await createLink(cookie);
    const wrongChat = await createLink(cookie);
    const right = await createLink(cookie);
    expect(right.replaced).toBe(1);
    expect(await isLive(wrongChat.token)).toBe(false);
    expect(await isLive(right.token)).toBe(true);
  });

  it('lists open device links by id and times, never the token, and revokes one with an audit entry', async () => {
    const cookie = await signIn();
    const link = await createLink(cookie);
    const listed = await links(cookie);
    expect(listed).toEqual([{ id: link.id, kind: 'device', createdAt: expect.any(String), expiresAt: link.expiresAt }]);

    expect((await api(server.port, 'DELETE', `/auth/api/user/links/${link.id}`, { host, cookie, origin })).status).toBe(204);
    expect(await isLive(link.token)).toBe(false);
    expect(await links(cookie)).toEqual([]);
    expect((await api(server.port, 'DELETE', `/auth/api/user/links/${link.id}`, { host, cookie, origin })).status).toBe(404);
    expect((await api(server.port, 'DELETE', '/auth/api/user/links/nope', { host, cookie, origin })).status).toBe(400);
    expect((await api(server.port, 'GET', '/auth/api/user/links', { host })).status).toBe(401);
    const me = JSON.parse((await adminCall(cookie, 'GET', '/me')).body);
    const audit = JSON.parse((await adminCall(cookie, 'GET', `/audit?user=${me.user.id}&per_page=100`)).body).items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'link_revoked', detail: { linkId: link.id, kind: 'device' } }));
  });

  it("neither lists nor revokes an admin's registration link for the person, nor another person's link", async () => {
    const cookie = await signIn();
    const me = JSON.parse((await adminCall(cookie, 'GET', '/me')).body);
    const adminLink = JSON.parse((await adminCall(cookie, 'POST', `/users/${me.user.id}/link`)).body);
    expect((await links(cookie)).map((link: { id: string }) => link.id)).not.toContain(adminLink.id);
    expect((await api(server.port, 'DELETE', `/auth/api/user/links/${adminLink.id}`, { host, cookie, origin })).status).toBe(404);
    expect(await isLive(adminLink.token)).toBe(true);

    const other = JSON.parse((await adminCall(cookie, 'POST', '/users', { displayName: 'Other', orgId: me.org.id, roleId: JSON.parse((await adminCall(cookie, 'GET', `/orgs/${me.org.id}`)).body).roles[0].id })).body);
    const otherKey = new SoftAuthenticator();
    const registered = await registerPasskey(server.port, otherKey, { origin }, JSON.parse((await adminCall(cookie, 'POST', `/users/${other.id}/link`)).body).token);
    const otherCookie = await setSession(server.port, registered.code, host, origin);
    const otherLink = await createLink(otherCookie);
    expect((await api(server.port, 'DELETE', `/auth/api/user/links/${otherLink.id}`, { host, cookie, origin })).status).toBe(404);
    expect(await isLive(otherLink.token)).toBe(true);
  });
});

describe('display name', () => {
  it('changes the name and refuses empty, long or control-character names', async () => {
    const cookie = await signIn();
    for (const displayName of ['', '   ', 'x'.repeat(65), 'a\u0000b']) {
      expect((await api(server.port, 'PUT', '/auth/api/user/display-name', { host, cookie, body: { displayName } })).status).toBe(400);
    }
    expect((await api(server.port, 'PUT', '/auth/api/user/display-name', { host, cookie, body: { name: 'x' } })).status).toBe(400);
    expect((await rawRequest(server.port, { method: 'PUT', host, path: '/auth/api/user/display-name', headers: { cookie, 'content-type': 'application/json' }, body: '{bad' })).status).toBe(400);
    const ok = await api(server.port, 'PUT', '/auth/api/user/display-name', { host, cookie, body: { displayName: '  Ada   Lovelace ' } });
    expect(JSON.parse(ok.body).user.displayName).toBe('Ada Lovelace');
    expect((await userInfo(cookie)).user.displayName).toBe('Ada Lovelace');
  });
});

describe('passkey names', () => {
  const rename = (cookie: string, id: string, body: unknown) => api(server.port, 'PUT', `/auth/api/user/credential/${id}/name`, { host, cookie, body });

  it('renames a passkey of ones own, audited, and refuses a name another of them has', async () => {
    const cookie = await signIn();
    await registerPasskey(server.port, new SoftAuthenticator(), { origin }, undefined, cookie);
    const [mine, other] = (await userInfo(cookie)).credentials as Array<{ id: string; name: string; current: boolean }>;
    const renamed = await rename(cookie, mine!.id, { name: '  Work   laptop ' });
    expect(renamed.status).toBe(200);
    expect(JSON.parse(renamed.body).credential).toMatchObject({ id: mine!.id, name: 'Work laptop', current: mine!.current });
    expect((await userInfo(cookie)).credentials.find((c: { id: string }) => c.id === mine!.id).name).toBe('Work laptop');
    // Only letter case differs from its own name: allowed. From another passkey's: the same name to a reader.
    expect((await rename(cookie, mine!.id, { name: 'work laptop' })).status).toBe(200);
    const clash = await rename(cookie, other!.id, { name: 'WORK LAPTOP' });
    expect(clash.status).toBe(409);
    expect(JSON.parse(clash.body).detail).toBe('Another of your passkeys already has this name');

    const me = await userInfo(cookie);
    const audit = JSON.parse((await api(server.port, 'GET', `/auth/api/admin/audit?user=${me.user.id}&per_page=100`, { host, cookie, origin })).body).items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'passkey_renamed', target: mine!.id, detail: { name: 'Work laptop' } }));
  });

  it('refuses names a display name may not have, unknown passkeys, and strangers', async () => {
    const cookie = await signIn();
    const { id } = (await userInfo(cookie)).credentials[0];
    for (const name of ['', '  ', 'x'.repeat(65), 'a\u0000b', 'evil\u202Etxt.exe', 'a\u200Bb']) {
      expect((await rename(cookie, id, { name })).status, JSON.stringify(name)).toBe(400);
    }
    expect((await rename(cookie, id, { displayName: 'x' })).status).toBe(400);
    expect((await rename(cookie, 'not-a-uuid', { name: 'x' })).status).toBe(400);
    expect((await rename(cookie, '01900000-0000-7000-8000-000000000000', { name: 'x' })).status).toBe(404);
    expect((await api(server.port, 'PUT', `/auth/api/user/credential/${id}/name`, { host, body: { name: 'x' } })).status).toBe(401);
  });
});

describe('own email and username', () => {
  const put = (cookie: string, field: 'email' | 'username', body: unknown) => api(server.port, 'PUT', `/auth/api/user/${field}`, { host, cookie, body });

  it('a person sets, changes and removes their own; their own change unverifies the address', async () => {
    const cookie = await signIn();
    const me = await userInfo(cookie);
    expect(me.user).toMatchObject({ email: null, emailVerified: false, username: null });
    expect((await adminCall(cookie, 'PATCH', `/users/${me.user.id}`, { email: 'admin@example.com', emailVerified: true })).status).toBe(200);
    expect((await userInfo(cookie)).user).toMatchObject({ email: 'admin@example.com', emailVerified: true });

    // The same address again changes nothing; another one (even only in case) is the person's word alone.
    expect(JSON.parse((await put(cookie, 'email', { email: 'admin@example.com' })).body).user.emailVerified).toBe(true);
    const changed = await put(cookie, 'email', { email: ' Admin@Example.com ' });
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.body).user).toMatchObject({ email: 'Admin@Example.com', emailVerified: false });
    expect((await userInfo(cookie)).user).toMatchObject({ email: 'Admin@Example.com', emailVerified: false });

    expect(JSON.parse((await put(cookie, 'username', { username: 'The.Admin' })).body).user.username).toBe('the.admin');
    expect((await userInfo(cookie)).user.username).toBe('the.admin');
    expect(JSON.parse((await put(cookie, 'email', { email: null })).body).user).toMatchObject({ email: null, emailVerified: false });
    expect(JSON.parse((await put(cookie, 'username', { username: null })).body).user.username).toBeNull();

    const audit = JSON.parse((await adminCall(cookie, 'GET', `/audit?user=${me.user.id}&per_page=100`)).body).items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'email_changed', detail: { email: 'Admin@Example.com' } }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'username_changed', detail: { username: 'the.admin' } }));
  });

  it("refuses someone else's email or username with 409, ignoring case, and bad values with 400", async () => {
    const cookie = await signIn();
    const me = await userInfo(cookie);
    const created = await adminCall(cookie, 'POST', '/users', { displayName: 'Taken', orgId: me.org.id, roleId: me.role.id, email: 'taken@example.com', username: 'taken' });
    expect(created.status).toBe(201);
    const email = await put(cookie, 'email', { email: 'TAKEN@example.com' });
    expect(email.status).toBe(409);
    expect(JSON.parse(email.body).detail).toMatch(/email address/);
    const username = await put(cookie, 'username', { username: 'Taken' });
    expect(username.status).toBe(409);
    expect(JSON.parse(username.body).detail).toMatch(/username/);
    for (const body of [{ email: 'nope' }, { email: 'a@b', emailVerified: true }, {}, { email: 42 }]) expect((await put(cookie, 'email', body)).status).toBe(400);
    for (const body of [{ username: 'has space' }, { username: '-x' }, { username: '' }, {}]) expect((await put(cookie, 'username', body)).status).toBe(400);
    expect((await userInfo(cookie)).user).toMatchObject({ email: null, username: null });
    expect((await put('', 'email', { email: 'a@b' })).status).toBe(401);
  });
});

describe('dedicated auth host', () => {
  let dedicated: TestServer;
  const authOrigin = 'https://auth.example.com';
  const appOrigin = 'https://app.example.com';
  const device = new SoftAuthenticator();

  beforeAll(async () => {
    dedicated = await startWithAdmin(['--rp-id', 'example.com', '--auth-host', 'auth.example.com'], device, { origin: authOrigin });
  });
  afterAll(() => dedicated.close());

  it('signs in on an app host through the auth host socket, with a secure cookie for the app host', async () => {
    const success = await authenticate(dedicated.port, device, { origin: appOrigin, host: 'auth.example.com' });
    // The code belongs to app.example.com: redeeming it on the auth host fails.
    const wrongHost = await rawRequest(dedicated.port, { method: 'POST', host: 'auth.example.com', path: '/auth/api/set-session', headers: { authorization: `Bearer ${success.code}` } });
    expect(wrongHost.status).toBe(403);
    expect(JSON.parse(wrongHost.body).detail).toBe(
      'The sign-in code was issued for app.example.com, but this request is for auth.example.com: a reverse proxy in front must pass the Host header unchanged',
    );
    const again = await authenticate(dedicated.port, device, { origin: appOrigin, host: 'auth.example.com' });
    const response = await rawRequest(dedicated.port, { method: 'POST', host: 'app.example.com', path: '/auth/api/set-session', headers: { authorization: `Bearer ${again.code}`, origin: appOrigin } });
    expect(response.status).toBe(200);
    const [setCookie, setCsrfCookie] = response.headers['set-cookie'] as string[];
    expect(setCookie).toMatch(/^__Host-passkey-auth=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(setCsrfCookie).toMatch(/^__Host-passkey-auth-csrf=[^;]+; Max-Age=\d+; Path=\/; Secure; SameSite=Lax$/);
    const cookie = setCookie!.slice(0, setCookie!.indexOf(';'));
    const info = JSON.parse((await api(dedicated.port, 'POST', '/auth/api/user-info', { host: 'app.example.com', cookie, body: {} })).body);
    expect(info.session.host).toBe('app.example.com');
    expect(info.accountUrl).toBe('https://auth.example.com/');
    expect(info.user.email).toBeUndefined();
    expect((await api(dedicated.port, 'PUT', '/auth/api/user/email', { host: 'app.example.com', cookie, origin: appOrigin, body: { email: 'a@b' } })).status).toBe(404);
    expect((await api(dedicated.port, 'POST', '/auth/api/validate', { host: 'auth.example.com', cookie })).status).toBe(401);
  });

  it("lists the person's apps (hosts their permissions count on or they are signed in on, never the auth host) and every permission they hold", async () => {
    const onAuthHost = { host: 'auth.example.com', origin: authOrigin };
    const cookie = await signInWith(dedicated.port, device, { origin: authOrigin, host: 'auth.example.com' });
    const admin = (method: string, path: string, body?: unknown) => api(dedicated.port, method, `/auth/api/admin${path}`, { ...onAuthHost, cookie, body });
    const userInfoOn = async (onHost: string, withCookie: string) =>
      JSON.parse((await api(dedicated.port, 'POST', '/auth/api/user-info', { host: onHost, cookie: withCookie, body: {} })).body);
    const { org, role } = await userInfoOn('auth.example.com', cookie);
    const wiki = JSON.parse((await admin('POST', '/permissions', { scope: 'wiki:edit', displayName: 'Edit the wiki', domain: 'Wiki.Example.com' })).body);
    expect((await admin('PUT', `/orgs/${org.id}/permissions/${wiki.id}`)).status).toBe(204);
    expect((await admin('PUT', `/roles/${role.id}/permissions/${wiki.id}`)).status).toBe(204);
    const appCookie = await setSession(dedicated.port, (await authenticate(dedicated.port, device, { origin: appOrigin, host: 'auth.example.com' })).code, 'app.example.com', appOrigin);

    const account = await userInfoOn('auth.example.com', cookie);
    expect(account.apps).toEqual([
      { kind: 'proxied', host: 'app.example.com', url: 'https://app.example.com/', permissions: [], signedIn: true },
      { kind: 'proxied', host: 'wiki.example.com', url: 'https://wiki.example.com/', permissions: ['wiki:edit'], signedIn: false },
    ]);
    expect(account.allPermissions).toContainEqual({ scope: 'wiki:edit', displayName: 'Edit the wiki', domain: 'wiki.example.com' });
    expect(account.allPermissions).toContainEqual({ scope: 'auth:admin', displayName: 'Master administrator', domain: null });
    expect(account.permissions).not.toContain('wiki:edit');

    // The app behind an app host learns neither the person's other apps nor what counts elsewhere.
    const onApp = await userInfoOn('app.example.com', appCookie);
    expect(onApp.apps).toBeUndefined();
    expect(onApp.allPermissions).toBeUndefined();
  });

  it('links point at the auth host root', async () => {
    const cookie = await signInWith(dedicated.port, device, { origin: authOrigin, host: 'auth.example.com' });
    const link = JSON.parse((await api(dedicated.port, 'POST', '/auth/api/create-link', { host: 'auth.example.com', cookie, origin: authOrigin, body: {} })).body);
    expect(link.url).toBe(`https://auth.example.com/${link.token}`);
  });
});

describe('rate limits', () => {
  it('limits ceremonies and secret guesses per client address', async () => {
    const limited = await startTestServer(['--origin', origin], { ceremoniesPerMinute: 3, secretsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await api(limited.port, 'POST', '/auth/api/user-info', { host, body: { token: 'abandon.ability.able.about.above' } });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      for (let i = 0; i < 3; i++) (await openCeremony(limited.port, '/auth/ws/authenticate', { origin, host })).ws.close();
      await expect(openCeremony(limited.port, '/auth/ws/authenticate', { origin, host })).rejects.toThrow('HTTP 429');
    } finally {
      await limited.close();
    }
  });
});
