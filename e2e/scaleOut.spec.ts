/**
 * Three instances on one PostgreSQL behind HAProxy balancing round-robin (docs/scale-out.md's
 * configuration), in front of an upstream app: a passkey sign-in in Chromium whose ceremony and
 * session land on different instances, forward auth through every instance, a sign-out refused
 * everywhere within a second (and the propagation delay measured), then PostgreSQL restarted and
 * an instance killed under load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import pg from 'pg';
import { addVirtualAuthenticator } from './support/authenticator.js';
import { APP_HOST } from './support/hosts.js';
import { freePort } from './support/childProcess.js';
import { startUpstream, UPSTREAM_DUMP_TESTID, type RunningUpstream } from './support/upstream.js';
import { HAPROXY_LUA, configBlocks, substitute, type RunningProxy } from './support/reverseProxy.js';
import { SCALE_OUT_DOC, forwardOn as forwardOnHost, metric, quantile, signIn, startBalancer, startInstance, untilRefused as untilRefusedOnHost, type Instance } from './support/scaleOut.js';
import { createTestDatabase, startPostgres, type PostgresCluster, type TestPostgresDatabase } from '../server/testing/postgres.js';
import { rawRequest, type RawResponse } from '../server/testing/rawHttp.js';
import { openCeremony } from '../server/testing/wsClient.js';
import { SoftAuthenticator } from '../server/testing/softAuthenticator.js';
import { LOCAL_COOKIE_NAME } from '../server/sessions/cookie.js';
import { DATABASE_UNAVAILABLE_DETAIL } from '../server/http/databaseUnavailable.js';

/** Sign-out must reach every instance within this. */
const PROPAGATION_BOUND_MS = 1_000;
/** Revocations measured for the propagation delay. */
const REVOCATIONS = 60;

test.describe.configure({ mode: 'serial' });

let postgres: PostgresCluster;
let database: TestPostgresDatabase;
let upstream: RunningUpstream;
let instances: Instance[];
let balancer: RunningProxy;
let proxyPort: number;
/** A second administrator with a software passkey, for what Node drives without the browser. */
let operator: { key: SoftAuthenticator; orgId: string };

const appHost = () => `${APP_HOST}:${proxyPort}`;
const origin = () => `http://${appHost()}`;
/** Each sign-in from Node comes from its own address (the instances trust this process as their proxy), so rate limits stay out of the way. */
let clientNumber = 0;
const nextClient = () => `198.51.100.${(clientNumber++ % 250) + 1}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  postgres = await startPostgres();
  database = await createTestDatabase(postgres.url);
  upstream = await startUpstream();
  proxyPort = await freePort();
  // Started together on an empty database: migrations and the bootstrap take turns under their lock.
  instances = await Promise.all([0, 1, 2].map((index) => startInstance(index, database.url, proxyPort)));
  balancer = await startBalancer(proxyPort, instances, upstream.port);
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const instance of instances ?? []) await testInfo.attach(`${instance.name} output`, { body: instance.process.output(), contentType: 'text/plain' });
  if (balancer) await testInfo.attach('haproxy output', { body: balancer.output(), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await balancer?.stop();
  await Promise.all((instances ?? []).map((instance) => instance.process.stop()));
  await upstream?.stop();
  postgres?.stop();
});

/** Forward auth asked of one instance directly, as the proxy asks it. */
const forwardOn = (instance: Instance, cookie: string): Promise<RawResponse> => forwardOnHost(instance, appHost(), cookie);

/** An API call to one instance (same-origin, as the app host's pages make them). */
const apiOn = (instance: Instance, method: string, path: string, cookie: string, body?: unknown): Promise<RawResponse> =>
  rawRequest(instance.port, {
    method,
    path,
    host: appHost(),
    headers: [['Cookie', cookie], ['Origin', origin()], ['Content-Type', 'application/json']],
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A passkey authentication on `ceremony`, its code redeemed on `session`; returns the cookie pair. */
const signInAcross = (key: SoftAuthenticator, ceremony: Instance, session: Instance): Promise<string> =>
  signIn(key, { ceremonyPort: ceremony.port, sessionPort: session.port, host: appHost(), forwardedFor: nextClient() });

/** Milliseconds from `since` until forward auth on `instance` refuses `cookie` (polling back to back). */
const untilRefused = (instance: Instance, cookie: string, since: number): Promise<number> => untilRefusedOnHost(instance, appHost(), cookie, since);

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies(origin())).find((candidate) => candidate.name === LOCAL_COOKIE_NAME);
  expect(cookie, 'the session cookie for the app host').toBeDefined();
  return `${LOCAL_COOKIE_NAME}=${cookie!.value}`;
}

const succeededSignIns = () => Promise.all(instances.map((instance) => metric(instance, 'ceremonies_succeeded_total{kind="authenticate"}')));

test('a passkey sign-in with ceremony and session on different instances passes forward auth on every one; sign-out is refused on all within a second', async ({ page }) => {
  const links = instances.map((instance) => instance.bootstrapLink()).filter(Boolean);
  expect(links, 'exactly one instance bootstrapped the shared database').toHaveLength(1);
  await addVirtualAuthenticator(page);
  const appUrl = `${origin()}/notes/`;

  await test.step('the administrator registers through the balancer', async () => {
    await page.goto(links[0]!);
    const setSession = page.waitForResponse(`${origin()}/auth/api/set-session`);
    await page.getByTestId('register-button').click();
    expect((await setSession).status()).toBe(200);
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
  });

  await test.step('signs in on the app page: the ceremony on one instance, set-session on another', async () => {
    await page.addInitScript(() => {
      const { PublicKeyCredential } = globalThis as unknown as { PublicKeyCredential: object };
      Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: async () => false });
    });
    // Round-robin nearly always splits the two; should other requests fall between them so that it does not, sign in again.
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId('signout-button').click();
      await expect(page.getByTestId('signin-button')).toBeVisible();
      expect((await page.goto(appUrl))!.status()).toBe(401);
      const before = await succeededSignIns();
      const setSession = page.waitForResponse(`${origin()}/auth/api/set-session`);
      await page.getByTestId('signin-button').click();
      const sessionOn = (await setSession).headers()['x-served-by'];
      await expect(page.getByTestId(UPSTREAM_DUMP_TESTID)).toBeVisible();
      const after = await succeededSignIns();
      const ceremonyOn = instances.filter((_, index) => after[index]! > before[index]!).map((instance) => instance.name);
      expect(ceremonyOn).toHaveLength(1);
      expect(instances.map((instance) => instance.name)).toContain(sessionOn);
      if (ceremonyOn[0] !== sessionOn) break;
      expect(attempt, 'ceremony and set-session on different instances').toBeLessThan(3);
      await page.goto(`${origin()}/auth/`);
    }
  });

  const cookie = await sessionCookie(page);

  await test.step('forward auth passes on every instance, directly and through the balancer', async () => {
    for (const instance of instances) expect((await forwardOn(instance, cookie)).status, instance.name).toBe(204);
    const before = await Promise.all(instances.map((instance) => metric(instance, 'forward_decisions_total{status="204"}')));
    for (let n = 0; n < 6; n++) {
      const response = await rawRequest(proxyPort, { path: `/notes/${n}`, host: appHost(), headers: [['Cookie', cookie]] });
      expect(response.status).toBe(200);
    }
    const after = await Promise.all(instances.map((instance) => metric(instance, 'forward_decisions_total{status="204"}')));
    for (const [index, instance] of instances.entries()) expect(after[index]! - before[index]!, instance.name).toBeGreaterThan(0);
  });

  await test.step('a second administrator with a software passkey, for the tests driven from Node', async () => {
    const me = JSON.parse((await apiOn(instances[0]!, 'GET', '/auth/api/admin/me', cookie)).body) as { org: { id: string } };
    const org = JSON.parse((await apiOn(instances[1]!, 'GET', `/auth/api/admin/orgs/${me.org.id}`, cookie)).body) as { roles: { id: string; displayName: string }[] };
    const adminRole = org.roles.find((role) => role.displayName === 'Administrator')!;
    const created = await apiOn(instances[2]!, 'POST', '/auth/api/admin/users', cookie, { displayName: 'Operator', orgId: me.org.id, roleId: adminRole.id });
    expect(created.status, created.body).toBe(201);
    const link = await apiOn(instances[0]!, 'POST', `/auth/api/admin/users/${(JSON.parse(created.body) as { id: string }).id}/link`, cookie);
    const key = new SoftAuthenticator();
    const socket = await openCeremony(instances[1]!.port, '/auth/ws/register', { origin: origin(), host: appHost() });
    socket.ws.send(JSON.stringify({ type: 'start', token: (JSON.parse(link.body) as { token: string }).token }));
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'register') throw new Error(`expected register options, got ${JSON.stringify(options)}`);
    socket.ws.send(JSON.stringify({ type: 'response', response: key.register(options.options, origin()) }));
    expect((await socket.next()).type).toBe('success');
    operator = { key, orgId: me.org.id };
  });

  await test.step('signing out through the balancer is refused on every instance within a second', async () => {
    await page.goto(`${origin()}/auth/`);
    const logout = page.waitForResponse(`${origin()}/auth/api/logout`);
    await page.getByTestId('signout-button').click();
    expect((await logout).status()).toBe(204);
    const since = performance.now();
    const delays = await Promise.all(instances.map((instance) => untilRefused(instance, cookie, since)));
    for (const delay of delays) expect(delay).toBeLessThan(PROPAGATION_BOUND_MS);
  });
});

test(`propagation of a sign-out to the other instances, over ${REVOCATIONS} revocations`, async ({}, testInfo) => {
  const delays: number[] = [];
  for (let n = 0; n < REVOCATIONS; n++) {
    const [a, b, c] = [instances[n % 3]!, instances[(n + 1) % 3]!, instances[(n + 2) % 3]!];
    const cookie = await signInAcross(operator.key, a, b);
    // Every instance has the identity cached.
    for (const instance of instances) expect((await forwardOn(instance, cookie)).status).toBe(204);
    const logout = await apiOn(c, 'POST', '/auth/api/logout', cookie);
    expect(logout.status).toBe(204);
    const since = performance.now();
    expect((await forwardOn(c, cookie)).status, 'refused at once where it was signed out').toBe(401);
    const others = await Promise.all([a, b].map((instance) => untilRefused(instance, cookie, since)));
    delays.push(Math.max(...others));
  }
  const summary = { revocations: REVOCATIONS, p50Ms: +quantile(delays, 0.5).toFixed(1), p99Ms: +quantile(delays, 0.99).toFixed(1), maxMs: +Math.max(...delays).toFixed(1) };
  // The figure docs/scale-out.md reports: from the sign-out's answer until both other instances refuse the session.
  console.log(`sign-out propagation: ${JSON.stringify(summary)}`);
  testInfo.annotations.push({ type: 'propagation', description: JSON.stringify(summary) });
  expect(summary.maxMs).toBeLessThan(PROPAGATION_BOUND_MS);
});

test("the compose file's HAProxy configuration is the tested one with service names, and passes haproxy -c", () => {
  // Docker is not available here: the compose file itself is not run, but what it mounts is checked.
  const compose = readFileSync('docs/compose/haproxy.cfg', 'utf8');
  const serverChecks = ' check inter 500ms fall 2 rise 2';
  const documented = substitute(configBlocks('haproxy', SCALE_OUT_DOC)[0]!.replaceAll(serverChecks, ''), [
    ['bind :80\n', 'bind :8080\n'],
    ['10.0.0.11:4401', 'passkey-auth-1:4401'],
    ['10.0.0.12:4401', 'passkey-auth-2:4401'],
    ['10.0.0.13:4401', 'passkey-auth-3:4401'],
    ['127.0.0.1:8080', 'app:80'],
  ]);
  // What only the compose file has: its header comment, Docker's DNS, and the servers' checks given once for all.
  const composeOnly = [/^(#.*\n)+/, /^resolvers docker\n( {4}.*\n)+\n/m, new RegExp(`^ {4}default-server${serverChecks} resolvers docker .*\n`, 'm')];
  expect(composeOnly.reduce((text, part) => text.replace(part, ''), compose)).toBe(documented);

  // The compose file mounts files that exist and publishes HAProxy's port, the one of the instances' origin.
  const composition = readFileSync('docs/compose/scale-out.yml', 'utf8');
  const mounted = [...composition.matchAll(/^ +- (\.{1,2}\/[^:]+):/gm)].map((match) => match[1]!);
  expect(mounted).toEqual(['./haproxy.cfg', '../proxy/haproxy/passkey-auth.lua']);
  for (const source of mounted) expect(existsSync(join('docs/compose', source)), source).toBe(true);
  const port = /^ {4}bind :(\d+)$/m.exec(compose)![1];
  expect(composition).toContain(`- "${port}:${port}"`);
  expect(composition).toContain(`PASSKEY_AUTH_ORIGINS: http://app.localhost:${port}\n`);

  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-compose-'));
  try {
    writeFileSync(join(dir, 'haproxy.cfg'), substitute(compose, [['/etc/haproxy/passkey-auth.lua', HAPROXY_LUA]]));
    const check = spawnSync('/usr/sbin/haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `request` back to back on `lanes` loops until `stop()`; returns every status (0 = no answer). */
function load(lanes: number, request: (n: number) => Promise<number>) {
  const statuses: number[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: lanes }, async () => {
    while (running) statuses.push(await request(n++).catch(() => 0));
  });
  return { statuses, stop: async () => ((running = false), await Promise.all(loops), statuses) };
}

test('PostgreSQL restarted under load: 503 while it is down, recovery by itself, no acknowledged write lost', async () => {
  test.setTimeout(90_000);
  const cookie = await signInAcross(operator.key, instances[0]!, instances[1]!);
  const acknowledged: string[] = [];
  const writes = load(2, async (n) => {
    const name = `Load ${n}`;
    const response = await rawRequest(proxyPort, {
      method: 'POST',
      path: '/auth/api/admin/users',
      host: appHost(),
      headers: [['Cookie', cookie], ['Origin', origin()], ['Content-Type', 'application/json']],
      body: JSON.stringify({ displayName: name, orgId: operator.orgId }),
    });
    if (response.status === 201) acknowledged.push(name);
    else expect([response.status, JSON.parse(response.body)]).toEqual([503, { detail: DATABASE_UNAVAILABLE_DETAIL }]);
    return response.status;
  });
  const forwards = load(2, async (n) => (await rawRequest(proxyPort, { path: `/notes/load-${n}`, host: appHost(), headers: [['Cookie', cookie]] })).status);
  await new Promise((resolve) => setTimeout(resolve, 500));

  await test.step('while PostgreSQL is down: the API answers 503 with JSON, forward auth 503 (fail closed), nobody crashes', async () => {
    postgres.halt();
    const api = await apiOn(instances[2]!, 'GET', '/auth/api/admin/me', cookie);
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body)).toEqual({ detail: DATABASE_UNAVAILABLE_DETAIL });
    for (const instance of instances) {
      const forward = await forwardOn(instance, cookie);
      expect(forward.status, instance.name).toBe(503);
      expect(JSON.parse(forward.body)).toEqual({ detail: DATABASE_UNAVAILABLE_DETAIL });
    }
    expect((await rawRequest(proxyPort, { path: '/notes/down', host: appHost(), headers: [['Cookie', cookie]] })).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  });

  await test.step('PostgreSQL back: every instance serves again without a restart', async () => {
    postgres.resume();
    const since = Date.now();
    for (const instance of instances) {
      await expect.poll(async () => (await forwardOn(instance, cookie)).status, { timeout: 15_000, intervals: [100] }).toBe(204);
    }
    console.log(`recovered ${Date.now() - since} ms after PostgreSQL was back`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  const writeStatuses = await writes.stop();
  const forwardStatuses = await forwards.stop();
  for (const instance of instances) expect(instance.process.child.exitCode, `${instance.name} still runs`).toBeNull();
  expect(new Set(writeStatuses)).toEqual(new Set([201, 503]));
  expect(new Set(forwardStatuses)).toEqual(new Set([200, 503]));

  await test.step('every acknowledged write is in the database', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ display_name: string }>("select display_name from users where display_name like 'Load %'");
    await client.end();
    const stored = new Set(rows.map((row) => row.display_name));
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  });
});

test('one instance killed with SIGKILL under load: HAProxy sends its traffic to the others', async () => {
  const cookie = await signInAcross(operator.key, instances[1]!, instances[2]!);
  const forwards = load(3, async (n) => (await rawRequest(proxyPort, { path: `/notes/kill-${n}`, host: appHost(), headers: [['Cookie', cookie]] })).status);
  const api = load(1, async () => (await rawRequest(proxyPort, { method: 'POST', path: '/auth/api/validate', host: appHost(), headers: [['Cookie', cookie], ['Origin', origin()]] })).status);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const victim = instances[0]!;
  victim.process.child.kill('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const forwardStatuses = await forwards.stop();
  const apiStatuses = await api.stop();
  expect(victim.process.child.signalCode).toBe('SIGKILL');
  expect(forwardStatuses.length).toBeGreaterThan(50);
  expect(forwardStatuses.filter((status) => status !== 200)).toEqual([]);
  expect(apiStatuses.filter((status) => status !== 200)).toEqual([]);
});
