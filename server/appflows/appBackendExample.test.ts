/**
 * docs/examples/app-backend.mjs, the example in docs/apps.md, run as it is (a child process, not
 * a copy) against the real server: a person signed in to Passkey Auth goes through the backend's
 * /login, the hosted page and /callback, and the backend knows them; it refreshes an expired
 * access token, and its /logout ends the grant.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestServer } from '../testing/testServer.js';
import { freePort } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, browse } from '../testing/oidcFlows.js';
import { registerApp } from '../testing/appFlows.js';
import { packageRoot } from '../packageRoot.js';
import type { OidcClient } from '../db/oidcClients.js';

const EXAMPLE = join(packageRoot(), 'docs', 'examples', 'app-backend.mjs');

let server: TestServer;
let cookie: string;
let app: OidcClient;
let backend: ChildProcess;
let appUrl: string;

beforeAll(async () => {
  const phone = new SoftAuthenticator();
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  cookie = await signIn(server.port, phone, AUTH_PAGE);
  const orgId = (await server.deps.database.db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
  appUrl = `http://127.0.0.1:${await freePort()}`;
  app = await registerApp(server, orgId, { redirectUris: [`${appUrl}/callback`] });
  backend = spawn(process.execPath, [EXAMPLE], { env: { ...process.env, AUTH_URL: server.url, APP_URL: appUrl, APP_ID: app.id }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    backend.stdout!.setEncoding('utf8').on('data', (text: string) => text.includes('listening') && resolve());
    backend.once('exit', (code) => reject(new Error(`the example exited with ${code}`)));
  });
});
afterAll(async () => {
  backend?.kill();
  await server?.close();
});

/** The browser at the backend, with its cookie `sid`. */
async function visit(path: string, sid: string | null): Promise<Response> {
  return fetch(`${appUrl}${path}`, { redirect: 'manual', headers: sid ? { cookie: sid } : {} });
}

it('signs a person in through the hosted page, knows them, refreshes, and logs out', async () => {
  expect(await (await visit('/', null)).text()).toBe('Not signed in: /login');

  // The backend sends the browser to the hosted page, which moves to the issuer's host and answers with the callback.
  const login = await visit('/login', null);
  expect(login.status).toBe(302);
  const sid = login.headers.get('set-cookie')!.split(';')[0]!;
  const hostedPage = new URL(login.headers.get('location')!);
  expect(hostedPage.pathname).toBe('/auth/app/login');
  const moved = await fetch(hostedPage, { redirect: 'manual' });
  expect(moved.status).toBe(307);
  const onIssuer = new URL(moved.headers.get('location')!);
  expect(onIssuer.origin).toBe(new URL(ISSUER).origin);
  const answer = await browse(server, onIssuer, cookie);
  expect(answer.status).toBe(302);
  const callback = new URL(String(answer.headers.location));
  expect(`${callback.origin}${callback.pathname}`).toBe(`${appUrl}/callback`);

  const back = await visit(`${callback.pathname}${callback.search}`, sid);
  expect(back.status, await back.clone().text()).toBe(302);
  expect(await (await visit('/', sid)).text()).toBe('Signed in as Admin (auth:admin)');

  // The access token expires; the backend's check fails and it refreshes once.
  server.advanceClock((app.accessTokenTtl + 1) * 1000);
  expect(await (await visit('/', sid)).text()).toBe('Signed in as Admin (auth:admin)');

  expect((await visit('/logout', sid)).status).toBe(302);
  expect(await (await visit('/', sid)).text()).toBe('Not signed in: /login');
  const grants = await server.deps.database.db.selectFrom('oidc_grants').select('revoked_at').where('client_id', '=', app.id).execute();
  expect(grants).toHaveLength(1);
  expect(grants[0]!.revoked_at).toEqual(expect.any(Number));
});
