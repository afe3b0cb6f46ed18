/**
 * The attacks of issue 11 finding 7 against the real server: a page on another port of the same
 * host signing a session out, and a `text/plain` (or form) body creating an organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const adminKey = new SoftAuthenticator();
let server: TestServer;

beforeAll(async () => {
  server = await startWithAdmin(['--origin', origin], adminKey, { origin });
});
afterAll(() => server.close());

const isSignedIn = async (cookie: string) => (await api(server.port, 'POST', '/auth/api/validate', { host, cookie })).status === 200;
const orgNames = async (cookie: string) =>
  (JSON.parse((await api(server.port, 'GET', '/auth/api/admin/orgs?per_page=100', { host, cookie })).body) as { items: { displayName: string }[] }).items.map((org) => org.displayName);

describe('Origin must be an allowed origin: scheme, host and port', () => {
  it.each(['http://localhost:9999', 'https://localhost:4401', 'http://localhost', 'http://evil.localhost:4401'])('refuses a sign-out from %s', async (foreign) => {
    const cookie = await signIn(server.port, adminKey, { origin });
    const response = await api(server.port, 'POST', '/auth/api/logout', { host, cookie, origin: foreign });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(/^Cross-site request refused/);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('accepts the allowed origin', async () => {
    const cookie = await signIn(server.port, adminKey, { origin });
    expect((await api(server.port, 'POST', '/auth/api/logout', { host, cookie, origin })).status).toBe(204);
    expect(await isSignedIn(cookie)).toBe(false);
  });
});

describe('bodies must be declared JSON', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('refuses to create an organisation from a %s body', async (contentType) => {
    const cookie = await signIn(server.port, adminKey, { origin });
    const displayName = `Planted by ${contentType}`;
    const response = await rawRequest(server.port, {
      method: 'POST',
      host,
      path: '/auth/api/admin/orgs',
      headers: { cookie, 'content-type': contentType },
      body: JSON.stringify({ displayName }),
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body).detail).toMatch(/application\/json/);
    expect(await orgNames(cookie)).not.toContain(displayName);
  });

  it('refuses a body without Content-Type, and accepts JSON with a charset', async () => {
    const cookie = await signIn(server.port, adminKey, { origin });
    const unlabelled = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/admin/orgs', headers: { cookie }, body: '{"displayName":"Unlabelled"}' });
    expect(unlabelled.status).toBe(415);
    const labelled = await rawRequest(server.port, {
      method: 'POST',
      host,
      path: '/auth/api/admin/orgs',
      headers: { cookie, 'content-type': 'application/json; charset=utf-8' },
      body: '{"displayName":"Labelled"}',
    });
    expect(labelled.status).toBe(201);
    expect(await orgNames(cookie)).toEqual(expect.arrayContaining(['Labelled']));
    expect(await orgNames(cookie)).not.toContain('Unlabelled');
  });

  it('lets requests without a body through without a Content-Type', async () => {
    const cookie = await signIn(server.port, adminKey, { origin });
    expect((await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/logout', headers: { cookie } })).status).toBe(204);
  });
});
