/**
 * Forward auth against the real server: verdicts, headers, bodies by Accept,
 * host binding, and that every change to a session takes effect on the next request.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { addPermissionToRole } from '../db/orgs.js';
import { grantPermissionToOrg, insertPermission } from '../db/permissions.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, registerPasskey, signIn as signInWith, startWithAdmin } from '../testing/flows.js';
import { createForwardLog } from './forwardLog.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
let server: TestServer;
const phone = new SoftAuthenticator();

const app1 = 'http://app1.localhost:4401';
const signIn = () => signInWith(server.port, phone, { origin });
/** Asks as the documented proxies do: from a trusted proxy (loopback here), with the app's host in X-Forwarded-Host. */
function forward(query: string, headers: Record<string, string> = {}) {
  return rawRequest(server.port, { host: 'passkey-auth.internal:4401', path: `/auth/api/forward${query}`, headers: { 'x-forwarded-host': 'localhost', ...headers } });
}

/** What the server writes to stdout (its forward log) while `action` runs. */
async function stdoutOf(action: () => Promise<unknown>): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  try {
    await action();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    spy.mockRestore();
  }
  return text;
}

beforeAll(async () => {
  server = await startWithAdmin(['--origin', origin, '--origin', app1, '--trusted-proxy', '127.0.0.1'], phone, { origin });
});
afterAll(() => server.close());

describe('forward verdicts', () => {
  it('answers 204 with the identity headers for a valid session', async () => {
    const cookie = await signIn();
    const response = await forward('?perm=auth:admin', { cookie });
    expect(response.status).toBe(204);
    const info = JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, cookie, body: {} })).body);
    expect(response.headers).toMatchObject({
      'remote-user': info.user.id,
      'remote-name': 'Admin',
      'remote-org': info.org.id,
      'remote-org-name': 'Main organisation',
      'remote-role': info.role.id,
      'remote-role-name': 'Administrator',
      'remote-groups': 'auth:admin',
      'remote-credential': info.credentials[0].id,
      'cache-control': 'no-store',
    });
    expect(Date.parse(String(response.headers['remote-session-expires']))).toBeGreaterThan(Date.now());
    expect(response.body).toBe('');
  });

  it('answers 401 JSON without a session, and a sign-in page to browsers', async () => {
    const json = await forward('');
    expect(json.status).toBe(401);
    expect(JSON.parse(json.body)).toEqual({ detail: 'Not signed in on this host', auth: { mode: 'login', url: 'http://localhost:4401/auth/' } });
    const html = await forward('', { accept: 'text/html,application/xhtml+xml' });
    expect(html.status).toBe(401);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<meta name="passkey-auth-view" content="main"');
    expect(html.body).toContain('<meta name="passkey-auth-forward" content="login"');
  });

  it('answers 403 when a permission is missing, with the access-denied page for browsers', async () => {
    const cookie = await signIn();
    expect((await forward('?perm=app:read', { cookie })).status).toBe(403);
    expect(JSON.parse((await forward('?perm=app:read', { cookie })).body).auth.mode).toBe('forbidden');
    const html = await forward('?perm=auth:admin&perm=app:read', { cookie, accept: 'text/html' });
    expect(html.status).toBe(403);
    expect(html.body).toContain('content="restricted"');
    expect((await forward('?perm=app:read|auth:*', { cookie })).status).toBe(204);
    expect((await forward('?perm=auth:**%20app:x|auth:admin', { cookie })).status).toBe(204);
  });

  it('answers 401 reauth when max_age is not met', async () => {
    const cookie = await signIn();
    expect((await forward('?max_age=5m', { cookie })).status).toBe(204);
    server.advanceClock(6 * 60 * 1000);
    try {
      const stale = await forward('?max_age=5m', { cookie });
      expect(stale.status).toBe(401);
      expect(JSON.parse(stale.body).auth.mode).toBe('reauth');
      expect((await forward('?max_age=1h', { cookie })).status).toBe(204);
    } finally {
      server.advanceClock(-6 * 60 * 1000);
    }
  });

  it('answers 400 for a malformed query without echoing it', async () => {
    const cookie = await signIn();
    for (const query of ['?perm=a||b', '?perm=<script>', '?max_age=soon', '?perm=a+b', '?evil=%3Cscript%3E']) {
      const response = await forward(query, { cookie });
      expect(response.status).toBe(400);
      expect(response.body).not.toContain('script');
      expect(response.body).not.toContain('soon');
    }
  });

  it('binds sessions to their host', async () => {
    const cookie = await signIn();
    expect((await forward('', { cookie, 'x-forwarded-host': 'other.localhost' })).status).toBe(401);
    // Without X-Forwarded-Host the Host header names the host.
    expect((await rawRequest(server.port, { host: 'localhost:9999', path: '/auth/api/forward', headers: { cookie } })).status).toBe(204);
    // Header names and host names in any case; the right-most X-Forwarded-Host entry counts (the proxy's own).
    const shouting = { 'X-FORWARDED-HOST': 'other.localhost, LocalHost:443', COOKIE: cookie };
    expect((await rawRequest(server.port, { host: 'proxy.internal', path: '/auth/api/forward', headers: shouting })).status).toBe(204);
  });

  it('answers an absolute-form request target as its origin form', async () => {
    const cookie = await signIn();
    const absolute = await rawRequest(server.port, { host: 'passkey-auth.internal:4401', path: `http://passkey-auth.internal:4401/auth/api/forward?perm=auth:admin`, headers: { 'x-forwarded-host': 'localhost', cookie } });
    expect(absolute.status).toBe(204);
    expect((await rawRequest(server.port, { host, path: `http://${host}/auth/api/forward` })).status).toBe(401);
  });

  it('leaves other methods and look-alike paths to the router', async () => {
    expect((await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/forward' })).status).toBe(405);
    expect((await rawRequest(server.port, { host, path: '/auth/api/forwardx' })).status).toBe(404);
  });
});

describe('forwarded headers are believed from trusted proxies only', () => {
  it("keeps a permission scoped to app1 from passing on app2 through an appended X-Forwarded-Host", async () => {
    const { db } = server.deps.database;
    const admin = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    const permission = await insertPermission(db, { scope: 'app:deploy', displayName: 'Deploy app1', domain: 'app1.localhost' }, Date.now());
    await grantPermissionToOrg(db, admin.org_id, permission.id);
    await addPermissionToRole(db, admin.role_id, permission.id);
    server.services.identities.clear();
    const cookie = await signInWith(server.port, phone, { origin: app1 });
    expect((await forward('?perm=app:deploy', { cookie, 'x-forwarded-host': 'app1.localhost' })).status).toBe(204);
    // A visitor of app2 sends their app1 cookie and "X-Forwarded-Host: app1"; app2's proxy appends the real host.
    const chained = await forward('?perm=app:deploy', { cookie, 'x-forwarded-host': 'app1.localhost, app2.localhost' });
    expect(chained.status).toBe(401);
  });

  it("logs the client's address that a trusted proxy forwarded, not the proxy's", async () => {
    const logging = await startTestServer(['--origin', origin, '--trusted-proxy', '127.0.0.1', '--forward-log', 'all']);
    try {
      const lines = await stdoutOf(() => rawRequest(logging.port, { host: 'localhost', path: '/auth/api/forward', headers: { 'x-forwarded-for': '203.0.113.7' } }));
      expect(lines).toContain('forward 401 host=localhost user=- ip=203.0.113.7 ');
    } finally {
      await logging.close();
    }
  });

  it('ignores X-Forwarded-Host from any peer when no proxy is trusted: Host names the host', async () => {
    const untrusting = await startTestServer(['--origin', origin]);
    try {
      const ask = (headers: Record<string, string>) => rawRequest(untrusting.port, { host: 'localhost', path: '/auth/api/forward', headers });
      const lines = await stdoutOf(async () => expect((await ask({ 'x-forwarded-host': 'evil.example', 'x-forwarded-uri': '/forged' })).status).toBe(401));
      expect(lines).toContain('host=localhost ');
      expect(lines).not.toContain('evil.example');
      expect(lines).not.toContain('/forged');
    } finally {
      await untrusting.close();
    }
  });
});

describe('changes take effect on the next request', () => {
  it('logout', async () => {
    const cookie = await signIn();
    expect((await forward('', { cookie })).status).toBe(204);
    await api(server.port, 'POST', '/auth/api/logout', { host, cookie });
    expect((await forward('', { cookie })).status).toBe(401);
  });

  it('ending the session from another one', async () => {
    const cookie = await signIn();
    const other = await signIn();
    expect((await forward('', { cookie })).status).toBe(204);
    const id = JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, cookie, body: {} })).body).sessionId;
    await api(server.port, 'DELETE', `/auth/api/session/${id}`, { host, cookie: other });
    expect((await forward('', { cookie })).status).toBe(401);
  });

  it('deleting the passkey a session signed in with', async () => {
    const cookie = await signIn();
    const spare = new SoftAuthenticator();
    await registerPasskey(server.port, spare, { origin }, undefined, cookie);
    const spareCookie = await signInWith(server.port, spare, { origin });
    expect((await forward('', { cookie: spareCookie })).status).toBe(204);
    const info = JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, cookie: spareCookie, body: {} })).body);
    const spareId = info.credentials.find((c: { current: boolean }) => c.current).id;
    expect((await api(server.port, 'DELETE', `/auth/api/credential/${spareId}`, { host, cookie })).status).toBe(204);
    expect((await forward('', { cookie: spareCookie })).status).toBe(401);
  });

  it('renewal moves Remote-Session-Expires', async () => {
    const cookie = await signIn();
    const before = (await forward('', { cookie })).headers['remote-session-expires'];
    server.advanceClock(6 * 60 * 1000);
    try {
      await api(server.port, 'POST', '/auth/api/validate', { host, cookie });
      const after = (await forward('', { cookie })).headers['remote-session-expires'];
      expect(Date.parse(String(after))).toBeGreaterThan(Date.parse(String(before)));
    } finally {
      server.advanceClock(-6 * 60 * 1000);
    }
  });

  it('a display name change (identities are reloaded after changes to people)', async () => {
    const cookie = await signIn();
    expect((await forward('', { cookie })).headers['remote-name']).not.toContain('UTF-8');
    await api(server.port, 'PUT', '/auth/api/user/display-name', { host, cookie, body: { displayName: 'Zoë Ångström' } });
    expect((await forward('', { cookie })).headers['remote-name']).toBe("UTF-8''Zo%C3%AB%20%C3%85ngstr%C3%B6m");
  });
});

describe('email and username headers', () => {
  const adminPatch = async (port: number, cookie: string, body: Record<string, unknown>) => {
    const id = JSON.parse((await api(port, 'POST', '/auth/api/user-info', { host, cookie, body: {} })).body).user.id;
    expect((await api(port, 'PATCH', `/auth/api/admin/users/${id}`, { host, cookie, origin, body })).status).toBe(200);
    return id as string;
  };

  it("sends Remote-Username and a verified Remote-Email, reloaded after the person's and an admin's changes", async () => {
    const cookie = await signIn();
    const before = (await forward('', { cookie })).headers;
    expect(before).not.toHaveProperty('remote-email');
    expect(before).not.toHaveProperty('remote-username');
    try {
      // The person's own changes: a username at once, an address only once an admin vouches for it.
      await api(server.port, 'PUT', '/auth/api/user/username', { host, cookie, body: { username: 'ada' } });
      await api(server.port, 'PUT', '/auth/api/user/email', { host, cookie, body: { email: 'ada@example.com' } });
      const own = (await forward('', { cookie })).headers;
      expect(own['remote-username']).toBe('ada');
      expect(own).not.toHaveProperty('remote-email');
      await adminPatch(server.port, cookie, { emailVerified: true, username: 'lovelace' });
      const vouched = (await forward('', { cookie })).headers;
      expect(vouched['remote-email']).toBe('ada@example.com');
      expect(vouched['remote-username']).toBe('lovelace');
      await adminPatch(server.port, cookie, { email: 'countess@example.com' });
      expect((await forward('', { cookie })).headers).not.toHaveProperty('remote-email');
    } finally {
      await adminPatch(server.port, cookie, { email: null, username: null });
    }
  });

  it.each(['username', 'email'] as const)('--remote-user %s carries that field, and the id while the person has none verified', async (field) => {
    const key = new SoftAuthenticator();
    const chosen = await startWithAdmin(['--origin', origin, '--remote-user', field], key, { origin });
    try {
      const cookie = await signInWith(chosen.port, key, { origin });
      const remoteUser = async () => (await rawRequest(chosen.port, { host, path: '/auth/api/forward', headers: { cookie } })).headers['remote-user'];
      const id = await adminPatch(chosen.port, cookie, { email: 'ada@example.com' });
      expect(await remoteUser()).toBe(id);
      await adminPatch(chosen.port, cookie, { emailVerified: true, username: 'ada' });
      expect(await remoteUser()).toBe(field === 'email' ? 'ada@example.com' : 'ada');
    } finally {
      await chosen.close();
    }
  });
});

describe('validate takes the same perm and max_age', () => {
  it('answers 403, 401 reauth and 200', async () => {
    const cookie = await signIn();
    expect((await api(server.port, 'POST', '/auth/api/validate?perm=auth:admin&renew=0', { host, cookie })).status).toBe(200);
    expect((await api(server.port, 'POST', '/auth/api/validate?perm=nope', { host, cookie })).status).toBe(403);
    expect((await api(server.port, 'POST', '/auth/api/validate?perm=a||b', { host, cookie })).status).toBe(400);
    server.advanceClock(2 * 60 * 1000);
    try {
      const stale = await api(server.port, 'POST', '/auth/api/validate?max_age=1m', { host, cookie });
      expect(stale.status).toBe(401);
      expect(JSON.parse(stale.body).reauth).toBe(true);
    } finally {
      server.advanceClock(-2 * 60 * 1000);
    }
  });
});

describe('forward log', () => {
  it('writes denied decisions with the original method and URI, sanitised', async () => {
    const lines: string[] = [];
    const log = createForwardLog('denied', (text) => lines.push(text));
    expect([log.wants(204), log.wants(401), log.wants(403)]).toEqual([false, true, true]);
    expect([createForwardLog('all').wants(204), createForwardLog('none').wants(401)]).toEqual([true, false]);
    log.write({ status: 401, host: 'app.example.com', userId: null, ip: '1.2.3.4', method: 'POST', uri: '/reports?x=1\nforged line' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('')).toBe('forward 401 host=app.example.com user=- ip=1.2.3.4 POST /reports?x=1\\x0aforged\\x20line\n');
  });
});
