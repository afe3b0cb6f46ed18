/**
 * Passkey Auth behind real reverse proxies (nginx, Caddy, HAProxy), each running the configuration
 * its page in docs/proxy/ shows (support/reverseProxy.ts). One Passkey Auth under /auth/ on the app
 * host `app.example.localhost:PROXY_PORT`; the app is an upstream that echoes the headers it gets.
 */
import { readFileSync } from 'node:fs';
import { expect, test as base } from './support/fixtures.js';
import { APP_HOST, DEDICATED_RP_ID } from './support/hosts.js';
import { rawRequest, type RawRequest, type RawResponse } from '../server/testing/rawHttp.js';
import { HAPROXY_LUA, PROXY_KINDS, fencedBlocks, proxyDoc, startProxy, type ProxyKind, type RunningProxy } from './support/reverseProxy.js';
import { freePort } from './support/childProcess.js';
import { startUpstream, UPSTREAM_DUMP_TESTID, type RunningUpstream, type SeenRequest } from './support/upstream.js';
import { LOCAL_COOKIE_NAME, SECURE_COOKIE_NAME } from '../server/sessions/cookie.js';

/** The permission `/reports/` needs in every documented configuration; the administrator lacks it. */
const REPORTS_PERMISSION = 'app:read';
/** Identity headers a client forges; none may reach the app. */
const FORGED: [string, string][] = [
  ['Remote-User', 'someone-else'],
  ['Remote-User', 'someone-else-again'],
  ['remote-groups', 'auth:admin,app:read'],
  ['Remote-Name', 'Mallory'],
  ['Remote-Credential', 'forged'],
  // Apps create and match accounts by these two.
  ['Remote-Email', 'mallory@example.com'],
  ['Remote-Username', 'mallory'],
  // CGI-style apps read this as REMOTE_USER too.
  ['Remote_User', 'underscore-alias'],
];
/** Headers no configuration may pass, whatever the proxy: the underscore alias of an identity header. */
const NEVER_PASSED = ['remote_user'];
/** Proxies whose configuration drops every client `Remote-*` header, not only the ones Passkey Auth sends. */
const DROPS_EVERY_REMOTE_HEADER: Record<ProxyKind, boolean> = { nginx: false, caddy: true, haproxy: true };
/** Proxies whose configuration removes the session cookie by both its names (nginx's names the one of HTTPS hosts, which the test renames). */
const STRIPS_BOTH_COOKIE_NAMES: Record<ProxyKind, boolean> = { nginx: false, caddy: true, haproxy: true };

interface ProxyFixtures {
  proxyKind: ProxyKind;
  proxyPort: number;
  upstream: RunningUpstream;
  /** The proxy in front of the server and upstream (not `proxy`: that is Playwright's browser proxy option). */
  reverseProxy: RunningProxy;
}

const test = base.extend<ProxyFixtures>({
  proxyKind: ['nginx', { option: true }],
  proxyPort: async ({}, use) => use(await freePort()),
  // Passkey Auth answers for the app host, whose origin is the proxy's.
  serverOptions: async ({ proxyPort }, use) =>
    use({ rpId: DEDICATED_RP_ID, origins: [`http://${APP_HOST}:${proxyPort}`], flags: ['--trusted-proxy', '127.0.0.1'] }),
  upstream: async ({}, use) => {
    const upstream = await startUpstream();
    try {
      await use(upstream);
    } finally {
      await upstream.stop();
    }
  },
  reverseProxy: async ({ proxyKind, proxyPort, server, upstream }, use, testInfo) => {
    const proxy = await startProxy(proxyKind, { proxy: proxyPort, auth: server.port, app: upstream.port });
    try {
      await use(proxy);
    } finally {
      await proxy.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach(`${proxyKind} output`, { body: proxy.output(), contentType: 'text/plain' });
      }
    }
  },
});

/** The upstream's record of the last request it saw for `path` (the path without its query). */
function lastSeen(upstream: RunningUpstream, path: string): SeenRequest | undefined {
  return upstream.seen.filter((request) => request.url.split('?')[0] === path).pop();
}

/** The cookies a request reached the app with (`name=value` each), over all its `Cookie` headers. */
function cookiesSeen(request: SeenRequest): string[] {
  return (request.headers['cookie'] ?? []).flatMap((value) => value.split(';')).map((pair) => pair.trim()).filter(Boolean);
}

const isSessionCookie = (pair: string) => pair.startsWith(`${LOCAL_COOKIE_NAME}=`);

/** The `Remote-*` headers a request reached the app with. */
function remoteHeaders(request: SeenRequest): Record<string, string[]> {
  return Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.startsWith('remote-')));
}

test('the documented HAProxy Lua action is the shipped file', () => {
  const blocks = fencedBlocks(readFileSync(proxyDoc('haproxy'), 'utf8'), 'lua');
  expect(blocks).toHaveLength(1);
  expect(blocks[0]).toBe(readFileSync(HAPROXY_LUA, 'utf8'));
});

for (const kind of PROXY_KINDS) {
  test.describe(kind, () => {
    test.use({ proxyKind: kind });

    test(`signs in, passes the identity and refuses forgeries behind ${kind}`, async ({ server, reverseProxy: proxy, upstream, page, authenticator }) => {
      const send = (request: Omit<RawRequest, 'host'>): Promise<RawResponse> => rawRequest(proxy.port, { ...request, host: `${APP_HOST}:${proxy.port}` });
      const appUrl = `${proxy.origin}/notes/?sort=new`;
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));

      await test.step('an anonymous visit gets the sign-in page with status 401; API clients get JSON', async () => {
        const response = await page.goto(appUrl);
        expect(response!.status()).toBe(401);
        await expect(page.getByTestId('signin-button')).toBeVisible();
        await expect(page).toHaveURL(appUrl);

        const api = await send({ path: '/notes/', headers: [['Accept', 'application/json']] });
        expect(api.status).toBe(401);
        expect(JSON.parse(api.body)).toMatchObject({ auth: { mode: 'login' } });
        expect(upstream.seen).toEqual([]);
      });

      await test.step('forged Remote-* headers without a session get 401 and never reach the app', async () => {
        const forged = await send({ path: '/notes/', headers: FORGED });
        expect(forged.status).toBe(401);
        const forgedPost = await send({ method: 'POST', path: '/notes/', headers: [...FORGED, ['Content-Type', 'text/plain']], body: 'hello' });
        expect(forgedPost.status).toBe(401);
        expect(upstream.seen).toEqual([]);
      });

      let adminId = '';
      await test.step('the bootstrap link registers the administrator through the proxy', async () => {
        expect(server.bootstrapLink.startsWith(`${proxy.origin}/auth/`)).toBe(true);
        await page.goto(server.bootstrapLink);
        const setSession = page.waitForResponse(`${proxy.origin}/auth/api/set-session`);
        await page.getByTestId('register-button').click();
        expect((await setSession).status()).toBe(200);
        await expect(page.getByTestId('account-name')).toHaveText('Admin');
        // Who the administrator is, in Passkey Auth's own words (not from forward auth).
        const validate = await page.evaluate(async () => (await fetch('/auth/api/validate', { method: 'POST' })).json());
        adminId = (validate as { user: { id: string } }).user.id;
        expect(adminId).toMatch(/^[0-9a-f-]{36}$/);
        expect(sockets).toContain(`ws://${APP_HOST}:${proxy.port}/auth/ws/register`);
        expect(await authenticator.credentials()).toHaveLength(1);
      });

      await test.step('after signing out, the passkey signs in on the app page and the page reloads to the app', async () => {
        await page.getByTestId('signout-button').click();
        await expect(page.getByTestId('signin-button')).toBeVisible();
        sockets.length = 0;

        // Without this the page offers the passkey as autofill at once and the virtual authenticator
        // takes it before the button can be clicked; the button makes the sign-in deterministic.
        await page.addInitScript(() => {
          const { PublicKeyCredential } = globalThis as unknown as { PublicKeyCredential: object };
          Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: async () => false });
        });
        const response = await page.goto(appUrl);
        expect(response!.status()).toBe(401);
        await page.getByTestId('signin-button').click();
        const dump = page.getByTestId(UPSTREAM_DUMP_TESTID);
        await expect(dump).toBeVisible();
        await expect(page).toHaveURL(appUrl);
        expect(sockets).toContain(`ws://${APP_HOST}:${proxy.port}/auth/ws/authenticate`);

        const seen = JSON.parse((await dump.textContent())!) as SeenRequest;
        expect(seen.url).toBe('/notes/?sort=new');
        expect(seen.headers['remote-user']).toEqual([adminId]);
        expect(seen.headers['remote-name']).toEqual(['Admin']);
        expect(seen.headers['remote-groups']).toHaveLength(1);
        expect(seen.headers['remote-groups']![0]!.split(',')).toContain('auth:admin');
        for (const name of ['remote-org', 'remote-org-name', 'remote-role', 'remote-role-name', 'remote-session-expires', 'remote-credential']) {
          expect(seen.headers[name], name).toHaveLength(1);
        }
      });

      const cookie = (await page.context().cookies(proxy.origin)).find((candidate) => candidate.name === LOCAL_COOKIE_NAME);
      expect(cookie, 'the session cookie for the app host').toBeDefined();
      const session = `${LOCAL_COOKIE_NAME}=${cookie!.value}`;
      const cookieHeader: [string, string] = ['Cookie', session];

      await test.step('signed in, forged Remote-* headers are replaced by the real identity', async () => {
        const response = await send({ path: '/notes/forged', headers: [cookieHeader, ...FORGED, ['remote-phone', '+1 555 0100']] });
        expect(response.status).toBe(200);
        const seen = lastSeen(upstream, '/notes/forged')!;
        expect(seen.headers['remote-user']).toEqual([adminId]);
        expect(seen.headers['remote-name']).toEqual(['Admin']);
        expect(seen.headers['remote-groups']).toHaveLength(1);
        expect(seen.headers['remote-groups']![0]!.split(',')).not.toContain(REPORTS_PERMISSION);
        expect(seen.headers['remote-credential']).not.toContain('forged');
        for (const name of NEVER_PASSED) expect(seen.headers[name], name).toBeUndefined();
        // The administrator has neither yet: the forged ones are dropped, not passed on.
        expect(seen.headers['remote-email']).toBeUndefined();
        expect(seen.headers['remote-username']).toBeUndefined();
        if (DROPS_EVERY_REMOTE_HEADER[kind]) expect(Object.keys(remoteHeaders(seen))).not.toContain('remote-phone');
      });

      await test.step('with a verified email and a username, the app gets Remote-Email and Remote-Username', async () => {
        const patch = await send({
          method: 'PATCH',
          path: `/auth/api/admin/users/${adminId}`,
          headers: [cookieHeader, ['Origin', proxy.origin], ['Content-Type', 'application/json']],
          body: JSON.stringify({ email: 'admin@example.com', emailVerified: true, username: 'admin' }),
        });
        expect(patch.status, patch.body).toBe(200);
        expect((await send({ path: '/notes/named', headers: [cookieHeader, ...FORGED] })).status).toBe(200);
        const seen = lastSeen(upstream, '/notes/named')!;
        expect(seen.headers['remote-email']).toEqual(['admin@example.com']);
        expect(seen.headers['remote-username']).toEqual(['admin']);
        expect(seen.headers['remote-user']).toEqual([adminId]);
      });

      await test.step("the app gets its own cookies, never Passkey Auth's session cookie", async () => {
        const cases: { cookies: string[]; app: string[] }[] = [
          { cookies: [`theme=dark; ${session}; lang=en`], app: ['theme=dark', 'lang=en'] },
          { cookies: [`${session}; theme=dark`], app: ['theme=dark'] },
          { cookies: [`theme=dark;${session}`], app: ['theme=dark'] },
          { cookies: [session], app: [] },
          // Two Cookie headers (HTTP/2 clients send one per cookie).
          { cookies: ['theme=dark', session], app: ['theme=dark'] },
          // Names that merely contain the session's are the app's.
          {
            cookies: [`my-${LOCAL_COOKIE_NAME}=1; ${session}; ${LOCAL_COOKIE_NAME}-theme=2`],
            app: [`my-${LOCAL_COOKIE_NAME}=1`, `${LOCAL_COOKIE_NAME}-theme=2`],
          },
        ];
        if (STRIPS_BOTH_COOKIE_NAMES[kind]) cases.push({ cookies: [`${SECURE_COOKIE_NAME}=token-of-an-https-host; ${session}; theme=dark`], app: ['theme=dark'] });
        for (const [index, { cookies, app }] of cases.entries()) {
          const path = `/notes/cookies-${index}`;
          const response = await send({ path, headers: cookies.map((value): [string, string] => ['Cookie', value]) });
          expect(response.status, 'forward auth still gets the session cookie').toBe(200);
          expect(cookiesSeen(lastSeen(upstream, path)!), cookies.join(' | ')).toEqual(app);
        }
      });

      await test.step("a client's own X-Forwarded-Host is not believed", async () => {
        // The session belongs to the app host: a forwarded host believed from the client would turn this into 401.
        const response = await send({ path: '/notes/host', headers: [cookieHeader, ['X-Forwarded-Host', `other.${DEDICATED_RP_ID}`]] });
        expect(response.status).toBe(200);
        expect(lastSeen(upstream, '/notes/host')!.headers['remote-user']).toEqual([adminId]);
      });

      await test.step('a location that needs app:read gives 403 and the access-denied page', async () => {
        const response = await page.goto(`${proxy.origin}/reports/monthly`);
        expect(response!.status()).toBe(403);
        await expect(page.getByRole('heading', { name: "You don't have access" })).toBeVisible();
        await expect(page.getByTestId('switch-account-button')).toBeVisible();
        await expect(page.getByTestId('account-name')).toHaveText('Admin');

        const api = await send({ path: '/reports/monthly', headers: [cookieHeader] });
        expect(api.status).toBe(403);
        expect(JSON.parse(api.body)).toMatchObject({ auth: { mode: 'forbidden' } });
        expect(lastSeen(upstream, '/reports/monthly')).toBeUndefined();
      });

      await test.step('after logging out through the proxy, the same cookie gets 401', async () => {
        const before = await send({ path: '/notes/', headers: [cookieHeader] });
        expect(before.status).toBe(200);
        const logout = await send({ method: 'POST', path: '/auth/api/logout', headers: [cookieHeader] });
        expect(logout.status).toBe(204);
        const after = await send({ path: '/notes/after-logout', headers: [cookieHeader] });
        expect(after.status).toBe(401);
        expect(lastSeen(upstream, '/notes/after-logout')).toBeUndefined();

        const response = await page.goto(appUrl);
        expect(response!.status()).toBe(401);
      });

      await test.step('no request reached the app with the session cookie, the browser\'s included', async () => {
        expect(upstream.seen.length).toBeGreaterThan(0);
        for (const request of upstream.seen) expect(cookiesSeen(request).filter(isSessionCookie), request.url).toEqual([]);
      });
    });
  });
}
