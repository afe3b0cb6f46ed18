/**
 * Host-mode routing, against the real app over real HTTP: every case of
 * test/fixtures/hostmode-cases.json, then edge cases of our own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { decideHostRoute, isCanonicalPath } from './hostmode.js';
import { isResetToken } from '../../shared/resetToken.js';
import { packageRoot } from '../packageRoot.js';

interface HostCase {
  mode: 'multi' | 'dedicated';
  host: string;
  method: string;
  path: string;
  expect: { serve?: string; redirect?: string; status?: number; pass?: boolean };
}

const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test/fixtures/hostmode-cases.json'), 'utf8')) as {
  authHost: string;
  cases: HostCase[];
};
const asset = readdirSync(join(packageRoot(), 'dist/spa/assets')).find((name) => name.endsWith('.js'))!;

const servers: Record<HostCase['mode'], TestServer> = {} as never;
const tokens: Record<HostCase['mode'], string> = {} as never;

beforeAll(async () => {
  servers.multi = await startTestServer(['--rp-id', 'example.com']);
  servers.dedicated = await startTestServer(['--rp-id', 'example.com', '--auth-host', fixture.authHost]);
  for (const mode of ['multi', 'dedicated'] as const) {
    const { token } = await bootstrap(servers[mode].deps.database.db, Date.now());
    tokens[mode] = token!;
  }
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

function send(mode: HostCase['mode'], host: string, method: string, path: string): Promise<RawResponse> {
  const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
  return rawRequest(servers[mode].port, { method, host, path, headers: { 'content-type': 'application/json' }, body });
}

/** The host-mode layer says why it refused; a route's own 404 (or any other answer) says something else. */
function isHostModeNotFound(response: RawResponse): boolean {
  return response.status === 404 && response.headers['x-passkey-auth-refused'] !== undefined;
}

describe('host-mode cases from the shared fixture', () => {
  it('has all 70 cases', () => {
    expect(fixture.cases).toHaveLength(70);
  });

  it.each(fixture.cases.map((c) => [`${c.mode} ${c.method} ${c.host}${c.path} → ${JSON.stringify(c.expect)}`, c] as const))('%s', async (_, c) => {
    const path = c.path.replace('{token}', tokens[c.mode]).replace('{asset}', asset);
    const response = await send(c.mode, c.host, c.method, path);
    if (c.expect.serve === 'asset') {
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toContain('immutable');
      expect(response.headers['content-type']).toContain('javascript');
    } else if (c.expect.serve) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toContain(`<meta name="passkey-auth-view" content="${c.expect.serve}"`);
    } else if (c.expect.redirect) {
      expect(response.status).toBe(307);
      expect(response.headers.location).toBe(c.expect.redirect.replace('{token}', tokens[c.mode]));
    } else if (c.expect.status) {
      expect(response.status).toBe(c.expect.status);
      expect(isHostModeNotFound(response)).toBe(true);
    } else {
      expect(c.expect.pass).toBe(true);
      expect(response.status).not.toBe(307);
      expect(isHostModeNotFound(response)).toBe(false);
    }
  });
});

describe('host-mode edge cases', () => {
  const authHost = 'auth.example.com';

  it('keeps the query string and the port of the configured auth host, never the request host', async () => {
    const server = await startTestServer(['--rp-id', 'example.com', '--auth-host', 'auth.example.com:8443']);
    try {
      const response = await rawRequest(server.port, { host: 'evil.example.com', path: '/auth/admin/?tab=users&x=%2F' });
      expect(response.status).toBe(307);
      expect(response.headers.location).toBe('//auth.example.com:8443/admin/?tab=users&x=%2F');
      const spoofed = await rawRequest(server.port, {
        host: 'app.example.com',
        path: '/admin/',
        headers: { 'x-forwarded-host': 'evil.test', forwarded: 'host=evil.test' },
      });
      expect(spoofed.headers.location).toBe('//auth.example.com:8443/admin/');
    } finally {
      await server.close();
    }
  });

  it('moves the authorization endpoint to the configured issuer, never a host from the request', async () => {
    const server = await startTestServer(['--rp-id', 'example.com', '--auth-host', 'auth.example.com:8443', '--issuer', 'https://auth.example.com:8443/auth']);
    try {
      const response = await rawRequest(server.port, {
        host: 'app.example.com',
        path: '/auth/oidc/authorize?state=%2F&x',
        headers: { 'x-forwarded-host': 'evil.test', forwarded: 'host=evil.test' },
      });
      expect(response.status).toBe(307);
      expect(response.headers.location).toBe('https://auth.example.com:8443/auth/oidc/authorize?state=%2F&x');
      expect(response.headers['cache-control']).toBe('no-store');
      // On the issuer's host, whatever the port the proxy shows, it stays.
      expect((await rawRequest(server.port, { host: 'AUTH.example.com:443', path: '/auth/oidc/authorize' })).status).not.toBe(307);
    } finally {
      await server.close();
    }
  });

  it('compares the Host header case-insensitively and without port', async () => {
    const response = await send('dedicated', 'AUTH.Example.COM:4401', 'GET', '/admin/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('content="admin"');
    expect((await send('dedicated', 'App.Example.com:8080', 'GET', '/auth/api/user/display-name')).status).toBe(404);
  });

  it('matches restricted namespaces by whole segment', async () => {
    // user-info is unrestricted; user/ and admin/ are not, nor adminx or users (no such routes: the router 404s them).
    expect(isHostModeNotFound(await send('dedicated', 'app.example.com', 'POST', '/auth/api/user-info'))).toBe(false);
    expect(isHostModeNotFound(await send('dedicated', 'app.example.com', 'GET', '/auth/api/user'))).toBe(true);
    expect(isHostModeNotFound(await send('dedicated', 'app.example.com', 'GET', '/auth/api/ws'))).toBe(true);
    expect(isHostModeNotFound(await send('dedicated', 'app.example.com', 'GET', '/auth/ws'))).toBe(true);
  });

  it.each([
    '/auth/api/%61dmin/orgs',
    '/auth/api/admin%2Forgs',
    '/auth/api%2Fadmin/orgs',
    '/auth/api/x/../admin/orgs',
    '/auth/api/%2e%2e/api/admin/orgs',
    '/auth/api/./admin/orgs',
    '//auth/api/admin/orgs',
    '/auth//api/admin/orgs',
    '/auth/api//admin/orgs',
    '/auth/api/ADMIN/orgs',
    '/auth/api\\admin/orgs',
    '/auth/%77s/register',
  ])('never lets %s reach a restricted route off the auth host', async (path) => {
    const response = await send('dedicated', 'app.example.com', 'GET', path);
    // 400 when Node's HTTP layer already refuses the request target, else the host-mode 404.
    expect([400, 404]).toContain(response.status);
  });

  it('only strips /auth as a whole leading segment', async () => {
    expect((await send('dedicated', 'app.example.com', 'GET', '/authadmin/')).status).toBe(404);
    expect((await send('dedicated', 'auth.example.com', 'GET', '/auth')).headers.location).toBe('//auth.example.com/');
  });

  it('refuses non-GET methods on pages with 405 and serves HEAD', async () => {
    expect((await send('multi', 'app.example.com', 'POST', '/auth/')).status).toBe(405);
    const head = await send('multi', 'app.example.com', 'HEAD', '/auth/');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers 404 for malformed tokens and unknown pages, in both modes', async () => {
    for (const path of ['/auth/abandon.ability', '/auth/abandon.ability.able.about.notaword', '/auth/nothing-here', '/nothing-here']) {
      expect((await send('multi', 'x.example.com', 'GET', path)).status).toBe(404);
    }
    expect((await send('dedicated', authHost, 'GET', '/abandon.ability.able.about')).status).toBe(404);
  });

  it('answers a browser at a mistyped link with the 404 page, and a program with JSON', async () => {
    const mistyped = `/auth/${tokens.multi.replace(/.$/, '')}.`;
    const page = await rawRequest(servers.multi.port, { host: 'x.example.com', path: mistyped, headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-passkey-auth-refused']).toBe('unknown-path');
    expect(page.body).toContain('<meta name="passkey-auth-view" content="notFound"');
    // The page is the same whatever the words: the server looks nothing up for it.
    const other = await rawRequest(servers.multi.port, { host: 'x.example.com', path: '/auth/abandon.ability.able.about.abov', headers: { accept: 'text/html' } });
    expect(other.body).toBe(page.body);

    const program = await send('multi', 'x.example.com', 'GET', mistyped);
    expect(program.status).toBe(404);
    expect(JSON.parse(program.body)).toEqual({ detail: 'Not found' });
    const post = await rawRequest(servers.multi.port, { method: 'POST', host: 'x.example.com', path: mistyped, headers: { accept: 'text/html', 'content-type': 'application/json' }, body: '{}' });
    expect(post.headers['content-type']).toContain('application/json');
    // Restricted namespaces stay JSON even for a browser.
    const restricted = await rawRequest(servers.dedicated.port, { host: 'app.example.com', path: '/auth/api/admin/orgs', headers: { accept: 'text/html' } });
    expect(restricted.headers['content-type']).toContain('application/json');
  });

  it('accepts a capitalised token as typed on a phone', async () => {
    const response = await send('multi', 'app.example.com', 'GET', `/auth/${tokens.multi.replace(/^./, (c) => c.toUpperCase())}`);
    expect(response.body).toContain('content="reset"');
  });
});

describe('decideHostRoute (pure)', () => {
  it('classifies without a server', () => {
    expect(decideHostRoute('appHost', '/auth/ws/register', isResetToken, false)).toEqual({ kind: 'notFound', reason: 'restricted' });
    expect(decideHostRoute('authHost', '/auth/restricted', isResetToken, true)).toEqual({ kind: 'redirect', path: '/restricted' });
    expect(decideHostRoute('multi', '/restricted', isResetToken, false)).toEqual({ kind: 'notFound', reason: 'unknown' });
    // Only the authorization endpoint itself moves: not its neighbours, not a look-alike.
    expect(decideHostRoute('multi', '/auth/oidc/authorize', isResetToken, false)).toEqual({ kind: 'toIssuer' });
    expect(decideHostRoute('appHost', '/auth/oidc/authorize/x', isResetToken, false)).toEqual({ kind: 'pass' });
    expect(decideHostRoute('appHost', '/auth/oidc/token', isResetToken, false)).toEqual({ kind: 'pass' });
    expect(decideHostRoute('appHost', '/oidc/authorize', isResetToken, false)).toEqual({ kind: 'notFound', reason: 'unknown' });
    // The hosted app pages move like the authorization endpoint they stand for; nothing else under /auth/app/ is a page.
    expect(decideHostRoute('appHost', '/auth/app/login', isResetToken, false)).toEqual({ kind: 'toIssuer' });
    expect(decideHostRoute('authHost', '/auth/app/register', isResetToken, true)).toEqual({ kind: 'pass' });
    expect(decideHostRoute('appHost', '/auth/app/login/x', isResetToken, false)).toEqual({ kind: 'notFound', reason: 'unknown' });
    expect(decideHostRoute('authHost', '/app/login', isResetToken, true)).toEqual({ kind: 'notFound', reason: 'unknown' });
    // The sign-out page moves too (and its after-page); the confirmation it posts refuses other hosts itself.
    expect(decideHostRoute('appHost', '/auth/oidc/logout', isResetToken, false)).toEqual({ kind: 'toIssuer' });
    expect(decideHostRoute('multi', '/auth/oidc/logout/done', isResetToken, false)).toEqual({ kind: 'toIssuer' });
    expect(decideHostRoute('appHost', '/auth/oidc/logout/confirm', isResetToken, false)).toEqual({ kind: 'pass' });
    expect(decideHostRoute('authHost', '/auth/oidc/logout', isResetToken, true)).toEqual({ kind: 'pass' });
  });

  it.each(['/a//b', '/a/./b', '/a/../b', '/a%2Fb', 'relative', '/a\\b'])('treats %s as not canonical', (path) => {
    expect(isCanonicalPath(path)).toBe(false);
  });
});
