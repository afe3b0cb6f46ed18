/** Whole passkey flows over the real server, for integration tests. */
import { expect } from 'vitest';
import { startCeremony, type SocketHeaders } from './wsClient.js';
import { rawRequest } from './rawHttp.js';
import { startTestServer, type TestServer } from './testServer.js';
import type { TestDatabase } from './testDatabase.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { SoftAuthenticator } from './softAuthenticator.js';
import type { ServerMessage } from '../../shared/ws.js';

export type Success = Extract<ServerMessage, { type: 'success' }>;

export interface Page {
  /** The page's origin, e.g. `http://localhost:4401` or `https://app.example.com`. */
  origin: string;
  /** Host header for requests to the server (defaults to the origin's host). */
  host?: string;
}

const hostOf = (page: Page) => page.host ?? new URL(page.origin).host;

/** Runs a registration ceremony, with a link `token` or a recently authenticated `cookie`; returns the server's success message. */
export async function registerPasskey(port: number, authenticator: SoftAuthenticator, page: Page, token?: string, cookie?: string): Promise<Success> {
  const socket = await startCeremony(port, '/auth/ws/register', { origin: page.origin, host: hostOf(page), cookie }, { type: 'start', ...(token ? { token } : {}) });
  const options = await socket.next();
  if (options.type !== 'options' || options.ceremony !== 'register') throw new Error(`expected register options, got ${JSON.stringify(options)}`);
  socket.ws.send(JSON.stringify({ type: 'response', response: authenticator.register(options.options, page.origin) }));
  const result = await socket.next();
  if (result.type !== 'success') throw new Error(`registration failed: ${JSON.stringify(result)}`);
  expect(await socket.closed).toBe(1000);
  return result;
}

/** Runs an authentication ceremony; returns the server's success message. */
export async function authenticate(port: number, authenticator: SoftAuthenticator, page: Page, headers: Partial<SocketHeaders> = {}): Promise<Success> {
  const socket = await startCeremony(port, '/auth/ws/authenticate', { origin: page.origin, host: hostOf(page), ...headers });
  const options = await socket.next();
  if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error(`expected authenticate options, got ${JSON.stringify(options)}`);
  socket.ws.send(JSON.stringify({ type: 'response', response: authenticator.authenticate(options.options, page.origin) }));
  const result = await socket.next();
  if (result.type !== 'success') throw new Error(`authentication failed: ${JSON.stringify(result)}`);
  return result;
}

/** Redeems an exchange code on `host`; returns the `name=value` cookie pair. */
export async function setSession(port: number, code: string, host: string, origin?: string): Promise<string> {
  const response = await rawRequest(port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization: `Bearer ${code}`, ...(origin ? { origin } : {}) } });
  expect(response.status, response.body).toBe(200);
  const setCookie = String(response.headers['set-cookie']);
  return setCookie.slice(0, setCookie.indexOf(';'));
}

/** Signs in with `authenticator` on `page` and redeems the code there; returns the `name=value` cookie pair. */
export async function signIn(port: number, authenticator: SoftAuthenticator, page: Page): Promise<string> {
  return setSession(port, (await authenticate(port, authenticator, page)).code, hostOf(page), page.origin);
}

/** Starts a test server with these flags, bootstraps it and registers the first admin's passkey on `page`. */
export async function startWithAdmin(flags: string[], authenticator: SoftAuthenticator, page: Page, options: { database?: TestDatabase } = {}): Promise<TestServer> {
  const server = await startTestServer(flags, undefined, options);
  const { token } = await bootstrap(server.deps.database.db, Date.now());
  await registerPasskey(server.port, authenticator, page, token!); // a fresh database always waits for its first admin
  return server;
}

/** A JSON API call with a cookie, as a same-origin page would make it. */
export function api(port: number, method: string, path: string, options: { host: string; cookie?: string; body?: unknown; origin?: string }) {
  return rawRequest(port, {
    method,
    host: options.host,
    path,
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/**
 * Has an admin (signed in with `adminCookie` on `page`) create a user, then registers a fresh
 * authenticator with the user's registration link and signs them in there.
 */
export async function onboard(
  port: number,
  page: Page,
  adminCookie: string,
  user: { displayName: string; orgId: string; roleId: string; email?: string; username?: string },
): Promise<{ id: string; cookie: string; key: SoftAuthenticator }> {
  const call = async (path: string, body?: unknown) => {
    const response = await api(port, 'POST', `/auth/api/admin${path}`, { host: hostOf(page), cookie: adminCookie, body, origin: page.origin });
    expect(response.status, response.body).toBeLessThan(300);
    return JSON.parse(response.body);
  };
  const { id } = await call('/users', user);
  const link = await call(`/users/${id}/link`);
  const key = new SoftAuthenticator();
  const success = await registerPasskey(port, key, page, link.token);
  return { id, cookie: await setSession(port, success.code, hostOf(page), page.origin), key };
}
