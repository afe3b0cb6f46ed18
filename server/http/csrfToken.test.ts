/**
 * The double-submit CSRF token against the real server: a state-changing request that carries our
 * cookies but names no page (neither `Origin` nor `Sec-Fetch-Site`) must repeat the CSRF cookie in
 * `X-CSRF-Token`; one that names its page keeps the Origin check alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { authenticate, startWithAdmin } from '../testing/flows.js';
import { cookieHeader, cookiesSet } from '../testing/cookieJar.js';
import { csrfTokenFor, passesCsrfCheck } from './csrfToken.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const key = new SoftAuthenticator();
let server: TestServer;

beforeAll(async () => {
  server = await startWithAdmin(['--origin', origin], key, { origin });
});
afterAll(() => server.close());

/** Signs in as a browser would and keeps both cookies the answer sets. */
async function signInKeepingCookies(): Promise<{ session: string; csrf: string }> {
  const { code } = await authenticate(server.port, key, { origin });
  const response = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization: `Bearer ${code}`, origin } });
  expect(response.status).toBe(200);
  const cookies = cookiesSet(response);
  return { session: cookies['passkey-auth']!, csrf: cookies['passkey-auth-csrf']! };
}

const logout = (cookies: Record<string, string>, headers: Record<string, string> = {}) =>
  rawRequest(server.port, { method: 'POST', host, path: '/auth/api/logout', headers: { cookie: cookieHeader(cookies), ...headers } });
const isSignedIn = async (session: string) =>
  (await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/validate', headers: { cookie: `passkey-auth=${session}`, origin } })).status === 200;

describe('the CSRF cookie', () => {
  it('comes with the session cookie: an HMAC of its token, readable by scripts', async () => {
    const { session, csrf } = await signInKeepingCookies();
    expect(csrf).toBe(csrfTokenFor(session));
    expect(csrf).not.toBe(session);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is cleared with the session cookie at sign-out', async () => {
    const { session, csrf } = await signInKeepingCookies();
    const response = await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { origin });
    expect(response.status).toBe(204);
    expect(cookiesSet(response)).toEqual({ 'passkey-auth': '', 'passkey-auth-csrf': '' });
  });
});

describe('a state-changing request with neither Origin nor Sec-Fetch-Site', () => {
  it('is refused without the X-CSRF-Token header', async () => {
    const { session, csrf } = await signInKeepingCookies();
    const response = await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toBe('CSRF token missing or wrong: send the value of the passkey-auth-csrf cookie in the X-CSRF-Token header');
    expect(await isSignedIn(session)).toBe(true);
  });

  it('is refused with a wrong token', async () => {
    const { session, csrf } = await signInKeepingCookies();
    const wrong = `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`;
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { 'x-csrf-token': wrong })).status).toBe(403);
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { 'x-csrf-token': '' })).status).toBe(403);
    expect(await isSignedIn(session)).toBe(true);
  });

  it("is refused with a planted cookie and its matching header: the token must be the session's", async () => {
    const { session } = await signInKeepingCookies();
    const planted = csrfTokenFor('some other session token');
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': planted }, { 'x-csrf-token': planted })).status).toBe(403);
    expect(await isSignedIn(session)).toBe(true);
  });

  it('passes with the matching token', async () => {
    const { session, csrf } = await signInKeepingCookies();
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { 'x-csrf-token': csrf })).status).toBe(204);
    expect(await isSignedIn(session)).toBe(false);
  });

  it('passes without our CSRF cookie: a script holding only the session cookie, as before', async () => {
    const { session } = await signInKeepingCookies();
    expect((await logout({ 'passkey-auth': session })).status).toBe(204);
    expect(await isSignedIn(session)).toBe(false);
  });
});

describe('a request that names its page keeps the Origin check alone', () => {
  it('passes from the allowed Origin without a token', async () => {
    const { session, csrf } = await signInKeepingCookies();
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { origin })).status).toBe(204);
  });

  it('passes with Sec-Fetch-Site: same-origin without a token', async () => {
    const { session, csrf } = await signInKeepingCookies();
    expect((await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { 'sec-fetch-site': 'same-origin' })).status).toBe(204);
  });

  it('is refused from a foreign Origin even with the matching token', async () => {
    const { session, csrf } = await signInKeepingCookies();
    const response = await logout({ 'passkey-auth': session, 'passkey-auth-csrf': csrf }, { origin: 'http://localhost:9999', 'x-csrf-token': csrf });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(/^Cross-site request refused/);
  });
});

describe('passesCsrfCheck', () => {
  const session = 'a'.repeat(43);
  const csrf = csrfTokenFor(session);
  it.each([
    ['no CSRF cookie', { csrf: undefined, session }, undefined, true],
    ['cookie and equal header', { csrf, session }, csrf, true],
    ['cookie, no header', { csrf, session }, undefined, false],
    ['header of another length', { csrf, session }, `${csrf}x`, false],
    ['cookie and header equal, but not the session\'s', { csrf: 'x'.repeat(43), session }, 'x'.repeat(43), false],
    ['cookie and header equal, no session cookie', { csrf: 'x'.repeat(43), session: undefined }, 'x'.repeat(43), true],
  ] as const)('%s', (_name, cookies, header, expected) => {
    expect(passesCsrfCheck(cookies, header)).toBe(expected);
  });
});
