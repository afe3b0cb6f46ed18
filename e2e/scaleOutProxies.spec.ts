/**
 * docs/scale-out.md's nginx and Caddy configurations (each proxy page's configuration with the
 * instances in place of the single one) in front of three instances on one PostgreSQL, one proxy
 * after the other on the same port: through each, the sign-in page, the API and the passkey
 * ceremonies answer, a signed-in person passes forward auth, a sign-out is refused on every
 * instance within a second, and every instance serves some of the requests; then, with one
 * instance killed, each proxy sends its share to the others.
 */
import { test, expect } from '@playwright/test';
import { APP_HOST } from './support/hosts.js';
import { freePort } from './support/childProcess.js';
import { startUpstream, type RunningUpstream } from './support/upstream.js';
import type { RunningProxy } from './support/reverseProxy.js';
import { metric, signIn, startInstance, startScaledProxy, untilRefused, type Instance, type ScaledProxyKind } from './support/scaleOut.js';
import { createTestDatabase, startPostgres, type PostgresCluster } from '../server/testing/postgres.js';
import { rawRequest, type RawRequest, type RawResponse } from '../server/testing/rawHttp.js';
import { openCeremony } from '../server/testing/wsClient.js';
import { SoftAuthenticator } from '../server/testing/softAuthenticator.js';

/** Sign-out must reach every instance within this. */
const PROPAGATION_BOUND_MS = 1_000;
const KINDS: readonly ScaledProxyKind[] = ['nginx', 'caddy'];

test.describe.configure({ mode: 'serial' });

let postgres: PostgresCluster;
let upstream: RunningUpstream;
let instances: Instance[];
let proxyPort: number;
/** The proxy of the running test, for its output should the test fail. */
let proxy: RunningProxy | undefined;
/** The administrator the bootstrap link made, with a software passkey. */
let admin: { key: SoftAuthenticator; id: string };

const appHost = () => `${APP_HOST}:${proxyPort}`;
const origin = () => `http://${appHost()}`;
/** A request to the app host through the proxy. */
const send = (request: Omit<RawRequest, 'host'>): Promise<RawResponse> => rawRequest(proxyPort, { ...request, host: appHost() });
const signInThroughProxy = () => signIn(admin.key, { ceremonyPort: proxyPort, sessionPort: proxyPort, host: appHost() });
/** One sample of a metric from every instance, in order. */
const onEveryInstance = (sample: string) => Promise.all(instances.map((instance) => metric(instance, sample)));

test.beforeAll(async () => {
  test.setTimeout(60_000);
  postgres = await startPostgres();
  const database = await createTestDatabase(postgres.url);
  upstream = await startUpstream();
  proxyPort = await freePort();
  instances = await Promise.all([0, 1, 2].map((index) => startInstance(index, database.url, proxyPort)));
  // The link is printed right after "listening on", maybe in a later chunk of output.
  await expect.poll(() => instances.map((instance) => instance.bootstrapLink()).filter(Boolean).length).toBe(1);
  const link = instances.map((instance) => instance.bootstrapLink()).find(Boolean)!;
  const key = new SoftAuthenticator();
  const socket = await openCeremony(instances[0]!.port, '/auth/ws/register', { origin: origin(), host: appHost() });
  socket.ws.send(JSON.stringify({ type: 'start', token: new URL(link).pathname.slice('/auth/'.length) }));
  const options = await socket.next();
  if (options.type !== 'options' || options.ceremony !== 'register') throw new Error(`expected register options, got ${JSON.stringify(options)}`);
  socket.ws.send(JSON.stringify({ type: 'response', response: key.register(options.options, origin()) }));
  const registered = await socket.next();
  if (registered.type !== 'success') throw new Error(`registration failed: ${JSON.stringify(registered)}`);
  admin = { key, id: registered.user.id };
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const instance of instances ?? []) await testInfo.attach(`${instance.name} output`, { body: instance.process.output(), contentType: 'text/plain' });
    if (proxy) await testInfo.attach(`${proxy.kind} output`, { body: proxy.output(), contentType: 'text/plain' });
  }
  await proxy?.stop();
  proxy = undefined;
});

test.afterAll(async () => {
  await Promise.all((instances ?? []).map((instance) => instance.process.stop()));
  await upstream?.stop();
  postgres?.stop();
});

for (const kind of KINDS) {
  test(`${kind} with docs/scale-out.md's configuration: sign-in, forward auth and sign-out through it, spread over every instance`, async () => {
    proxy = await startScaledProxy(kind, proxyPort, instances, upstream.port);

    await test.step('the sign-in page and the API answer through the proxy; the app needs a session', async () => {
      const page = await send({ path: '/auth/', headers: [['Accept', 'text/html']] });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const anonymous = await send({ path: '/notes/', headers: [['Accept', 'application/json']] });
      expect(anonymous.status).toBe(401);
      expect(JSON.parse(anonymous.body)).toMatchObject({ auth: { mode: 'login' } });
    });

    let cookie = '';
    await test.step('passkey sign-ins through the proxy run their ceremonies on every instance', async () => {
      const before = await onEveryInstance('ceremonies_succeeded_total{kind="authenticate"}');
      // Round-robin over a ceremony and a set-session per sign-in: three sign-ins visit every instance.
      for (let attempt = 1; ; attempt++) {
        cookie = await signInThroughProxy();
        const after = await onEveryInstance('ceremonies_succeeded_total{kind="authenticate"}');
        if (after.every((count, index) => count > before[index]!)) break;
        expect(attempt, 'sign-ins until every instance ran a ceremony').toBeLessThan(6);
      }
    });

    await test.step('forward auth through the proxy passes the person to the app, answered by every instance', async () => {
      const before = await onEveryInstance('forward_decisions_total{status="204"}');
      for (let n = 0; n < 6; n++) {
        const response = await send({ path: `/notes/${kind}-${n}`, headers: [['Cookie', cookie]] });
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body).headers['remote-user']).toEqual([admin.id]);
      }
      const after = await onEveryInstance('forward_decisions_total{status="204"}');
      for (const [index, instance] of instances.entries()) expect(after[index]! - before[index]!, instance.name).toBeGreaterThan(0);
    });

    await test.step('signed out through the proxy: refused there and on every instance within a second', async () => {
      const logout = await send({ method: 'POST', path: '/auth/api/logout', headers: [['Cookie', cookie], ['Origin', origin()]] });
      expect(logout.status).toBe(204);
      const since = performance.now();
      const delays = await Promise.all(instances.map((instance) => untilRefused(instance, appHost(), cookie, since)));
      for (const delay of delays) expect(delay).toBeLessThan(PROPAGATION_BOUND_MS);
      expect((await send({ path: `/notes/${kind}-after-logout`, headers: [['Cookie', cookie]] })).status).toBe(401);
    });
  });
}

test('one instance killed with SIGKILL: nginx and Caddy send its share to the others', async () => {
  const victim = instances[0]!;
  victim.process.child.kill('SIGKILL');
  await new Promise((resolve) => victim.process.child.once('exit', resolve));
  for (const kind of KINDS) {
    proxy = await startScaledProxy(kind, proxyPort, instances, upstream.port);
    // Sign-ins (ceremony and set-session) and forward auth, each turn of round-robin meeting the dead instance.
    for (let n = 0; n < 3; n++) {
      const cookie = await signInThroughProxy();
      for (let m = 0; m < 3; m++) expect((await send({ path: `/notes/${kind}-${n}-${m}`, headers: [['Cookie', cookie]] })).status, kind).toBe(200);
    }
    await proxy.stop();
    proxy = undefined;
  }
});
