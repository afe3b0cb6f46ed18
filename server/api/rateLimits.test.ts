/**
 * Rate limits against the real server, as an attacker with many addresses would
 * meet them: the test process is the trusted proxy and names the client in
 * `X-Forwarded-For`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { startCeremony } from '../testing/wsClient.js';
import { rawRequest } from '../testing/rawHttp.js';
import { registerPasskey, signIn } from '../testing/flows.js';
import { bootstrap } from '../bootstrap/bootstrap.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const LIMIT = 3;
let server: TestServer;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startTestServer(['--origin', origin, '--trusted-proxy', '127.0.0.1'], { ceremoniesPerMinute: LIMIT, secretsPerMinute: LIMIT });
  const { token } = await bootstrap(server.deps.database.db, Date.now());
  await registerPasskey(server.port, phone, { origin }, token!);
});
afterAll(() => server.close());

/** `POST user-info` with a link token, from `forwardedFor` as the proxy reports it. */
async function statusOfUserInfo(forwardedFor: string, token: string): Promise<number> {
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor };
  return (await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/user-info', headers, body: JSON.stringify({ token }) })).status;
}

describe('rate limits hold against many addresses', () => {
  it('limits one link token presented from many addresses, not other tokens', async () => {
    const target = 'zoo.zoo.zoo.zoo.zoo';
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 2; i++) statuses.push(await statusOfUserInfo(`203.0.113.${i}`, target));
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect(await statusOfUserInfo('203.0.113.99', 'abandon.ability.able.about.above')).toBe(404);
  });

  it('counts every address of an IPv6 /64 as one client', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 1; i++) statuses.push(await statusOfUserInfo(`2001:db8:5:5::${i}`, `abandon.ability.able.about.${['above', 'absent', 'absorb', 'abstract'][i - 1]}`));
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(await statusOfUserInfo('2001:db8:5:6::1', 'abandon.ability.able.about.access')).toBe(404);
  });

  it('limits ceremonies aimed at one account from many addresses', async () => {
    const cookie = await signIn(server.port, phone, { origin });
    // Registering the first passkey counted one ceremony on the account; re-authentications count on.
    const closes: Array<number | string> = [];
    for (let i = 1; i <= LIMIT; i++) {
      const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host, cookie, forwardedFor: `198.51.100.${i}` });
      const first = await socket.next();
      closes.push(first.type === 'error' ? first.code : first.type);
      socket.ws.close();
      await socket.closed;
    }
    expect(closes).toEqual(['options', 'options', 'rate_limited']);
  });
});
