/**
 * An app behind the proxy sees its visitors' cookies for its own host. With a dedicated auth host,
 * these tests play that app: holding a visitor's app-host cookie, it tries to change the visitor's
 * account (a device link, a passkey of its own, deleting a passkey, ending other sessions). Each try
 * must be refused; signing itself out stays allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { startCeremony } from '../testing/wsClient.js';
import { api, authenticate, registerPasskey, setSession, signIn, startWithAdmin } from '../testing/flows.js';
import { CLOSE } from '../../shared/ws.js';

const AUTH_HOST = 'auth.example.com';
const APP_HOST = 'app.example.com';
const authPage = { origin: `https://${AUTH_HOST}`, host: AUTH_HOST };
/** A page on the app host runs its ceremony over the auth host's socket. */
const appPage = { origin: `https://${APP_HOST}`, host: AUTH_HOST };
const ACCOUNT_PAGE = `https://${AUTH_HOST}/`;

let server: TestServer;
const visitorsPhone = new SoftAuthenticator();

/** A call the app makes on its own host with the visitor's cookie. */
const onAppHost = (method: string, path: string, cookie: string, body?: unknown) =>
  api(server.port, method, path, { host: APP_HOST, cookie, origin: appPage.origin, body });
const onAuthHost = (method: string, path: string, cookie: string, body?: unknown) =>
  api(server.port, method, path, { host: AUTH_HOST, cookie, origin: authPage.origin, body });
const sessionIdOf = async (cookie: string, host: string) => JSON.parse((await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).body).sessionId as string;
const isSignedIn = async (cookie: string, host: string) => (await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status === 200;

beforeAll(async () => {
  server = await startWithAdmin(['--rp-id', 'example.com', '--auth-host', AUTH_HOST], visitorsPhone, authPage);
});
afterAll(() => server.close());

/** The visitor (the administrator) has just signed in on the app host: their passkey use is recent. */
const visitApp = async () => setSession(server.port, (await authenticate(server.port, visitorsPhone, appPage)).code, APP_HOST, appPage.origin);

/**
 * The takeover: a device link made with `cookie` on `host`, a passkey of the attacker's registered
 * with it, a sign-in with that passkey on the auth host, and the admin API. Returns where it stopped.
 */
async function takeOver(cookie: string, host: string) {
  const link = await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin: `https://${host}`, body: {} });
  if (link.status !== 200) return { refused: link.status, detail: JSON.parse(link.body).detail };
  const attackers = new SoftAuthenticator();
  await registerPasskey(server.port, attackers, authPage, JSON.parse(link.body).token);
  const adminMe = await onAuthHost('GET', '/auth/api/admin/me', await signIn(server.port, attackers, authPage));
  return { adminApi: adminMe.status };
}

describe('a session on an app host cannot change the account', () => {
  it('cannot create a device link, which would enrol a passkey of the app and reach the admin API with it', async () => {
    expect(await takeOver(await visitApp(), APP_HOST)).toEqual({
      refused: 403,
      detail: `A sign-in on ${APP_HOST} cannot change your account: add or delete passkeys and end other sessions on your account page, ${ACCOUNT_PAGE}`,
    });
  });

  it('cannot register a passkey over the auth host socket with its cookie', async () => {
    const cookie = await visitApp();
    const socket = await startCeremony(server.port, '/auth/ws/register', { origin: appPage.origin, host: AUTH_HOST, cookie });
    try {
      expect(await socket.next()).toMatchObject({ type: 'error', code: 'account_host_only' });
      expect(await socket.closed).toBe(CLOSE.forbidden);
    } finally {
      socket.ws.close();
    }
  });

  it('cannot delete a passkey', async () => {
    const spare = new SoftAuthenticator();
    const authCookie = await signIn(server.port, visitorsPhone, authPage);
    const { credentialId } = await registerPasskey(server.port, spare, authPage, undefined, authCookie);
    const cookie = await visitApp();
    const response = await onAppHost('DELETE', `/auth/api/credential/${credentialId}`, cookie);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toContain(ACCOUNT_PAGE);
    expect(await isSignedIn(await signIn(server.port, spare, authPage), AUTH_HOST)).toBe(true);
  });

  it('can neither list nor revoke device links', async () => {
    const link = JSON.parse((await onAuthHost('POST', '/auth/api/create-link', await signIn(server.port, visitorsPhone, authPage), {})).body);
    const cookie = await visitApp();
    expect((await onAppHost('GET', '/auth/api/user/links', cookie)).status).toBe(404);
    expect((await onAppHost('DELETE', `/auth/api/user/links/${link.id}`, cookie)).status).toBe(404);
    expect((await api(server.port, 'POST', '/auth/api/user-info', { host: AUTH_HOST, body: { token: link.token } })).status).toBe(200);
  });

  it('cannot end another session, but can end its own', async () => {
    const authCookie = await signIn(server.port, visitorsPhone, authPage);
    const cookie = await visitApp();
    const other = await onAppHost('DELETE', `/auth/api/session/${await sessionIdOf(authCookie, AUTH_HOST)}`, cookie);
    expect(other.status).toBe(403);
    expect(await isSignedIn(authCookie, AUTH_HOST)).toBe(true);

    const own = await onAppHost('DELETE', `/auth/api/session/${await sessionIdOf(cookie, APP_HOST)}`, cookie);
    expect(own.status).toBe(204);
    expect(await isSignedIn(cookie, APP_HOST)).toBe(false);
  });

  it('learns from user-info only what its host needs: not the passkeys, nor the other sessions and their addresses', async () => {
    const authCookie = await signIn(server.port, visitorsPhone, authPage);
    const cookie = await visitApp();
    const response = await onAppHost('POST', '/auth/api/user-info', cookie, {});
    expect(response.status).toBe(200);
    const info = JSON.parse(response.body);
    expect(Object.keys(info).sort()).toEqual(['accountUrl', 'isAdmin', 'kind', 'org', 'permissions', 'recentAuthUntil', 'role', 'session', 'sessionId', 'user', 'view']);
    expect(info).toMatchObject({ view: 'appHost', user: { displayName: 'Admin' }, permissions: ['auth:admin'], accountUrl: ACCOUNT_PAGE });
    expect(info.session).toMatchObject({ id: info.sessionId, host: APP_HOST, current: true });
    expect(response.body).not.toContain(await sessionIdOf(authCookie, AUTH_HOST));

    const account = JSON.parse((await onAuthHost('POST', '/auth/api/user-info', authCookie, {})).body);
    expect(account.view).toBe('account');
    expect(account.sessions.map((session: { host: string }) => session.host)).toContain(APP_HOST);
    expect(account.credentials.length).toBeGreaterThan(0);
  });

  it('can sign out', async () => {
    const cookie = await visitApp();
    expect((await onAppHost('POST', '/auth/api/logout', cookie)).status).toBe(204);
    expect(await isSignedIn(cookie, APP_HOST)).toBe(false);
  });
});

describe('a session on the auth host', () => {
  it('creates the device link that the takeover needs', async () => {
    expect(await takeOver(await signIn(server.port, visitorsPhone, authPage), AUTH_HOST)).toEqual({ adminApi: 200 });
  });

  it('ends an app host session and deletes a passkey', async () => {
    const cookie = await signIn(server.port, visitorsPhone, authPage);
    const { credentialId } = await registerPasskey(server.port, new SoftAuthenticator(), authPage, undefined, cookie);
    const appCookie = await visitApp();
    expect((await onAuthHost('DELETE', `/auth/api/session/${await sessionIdOf(appCookie, APP_HOST)}`, cookie)).status).toBe(204);
    expect(await isSignedIn(appCookie, APP_HOST)).toBe(false);
    expect((await onAuthHost('DELETE', `/auth/api/credential/${credentialId}`, cookie)).status).toBe(204);
  });
});
