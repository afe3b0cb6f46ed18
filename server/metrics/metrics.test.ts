/**
 * The metrics against the real server: real requests move the counters that a scrape
 * of the metrics listener reads, and the public port never serves them.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { openCeremony, startCeremony } from '../testing/wsClient.js';
import { rawRequest } from '../testing/rawHttp.js';
import { api, authenticate, registerPasskey, signIn } from '../testing/flows.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { startMetricsServer, type MetricsServer } from './metricsServer.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
/** Secrets presented per minute and address (set-session counts too: the flows below spend some). */
const SECRETS_PER_MINUTE = 20;
let server: TestServer;
let metricsServer: MetricsServer;
let cookie: string;
const phone = new SoftAuthenticator();
const scrapeErrors: unknown[] = [];

beforeAll(async () => {
  server = await startTestServer(['--origin', origin, '--trusted-proxy', '127.0.0.1'], { ceremoniesPerMinute: 1_000, secretsPerMinute: SECRETS_PER_MINUTE });
  const { token } = await bootstrap(server.deps.database.db, Date.now());
  await registerPasskey(server.port, phone, { origin }, token!);
  cookie = await signIn(server.port, phone, { origin });
  metricsServer = await startMetricsServer({ kind: 'tcp', host: '127.0.0.1', port: 0 }, server.metrics, (error) => scrapeErrors.push(error));
});
afterAll(async () => {
  await metricsServer?.close();
  await server?.close();
});

function get(url: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The scraped metrics as series text (`name{label="value"}`) → value; a series never touched is absent. */
async function scrape(): Promise<Map<string, number>> {
  const response = await get(`${metricsServer.address}/metrics`);
  expect(response.status).toBe(200);
  expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of response.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** How much each series moved while `work` ran. */
async function moved(series: readonly string[], work: () => Promise<unknown>): Promise<number[]> {
  const before = await scrape();
  await work();
  const after = await scrape();
  return series.map((name) => (after.get(name) ?? 0) - (before.get(name) ?? 0));
}

const forward = (headers: Record<string, string> = {}, path = '/auth/api/forward') => rawRequest(server.port, { path, host, headers });

describe('metrics', () => {
  it('count forward decisions by status, with their latency', async () => {
    const series = [
      'passkey_auth_forward_decisions_total{status="204"}',
      'passkey_auth_forward_decisions_total{status="401"}',
      'passkey_auth_forward_decisions_total{status="400"}',
      'passkey_auth_forward_duration_seconds_count',
      'passkey_auth_forward_duration_seconds_bucket{le="1"}',
    ];
    const statuses: number[] = [];
    expect(
      await moved(series, async () => {
        statuses.push((await forward({ cookie })).status, (await forward({ cookie })).status, (await forward()).status, (await forward({}, '/auth/api/forward?perm=')).status);
      }),
    ).toEqual([2, 1, 1, 4, 4]);
    expect(statuses).toEqual([204, 204, 401, 400]);
  });

  it('count identity-cache hits and misses', async () => {
    const series = ['passkey_auth_identity_cache_lookups_total{result="hit"}', 'passkey_auth_identity_cache_lookups_total{result="miss"}'];
    const fresh = await signIn(server.port, phone, { origin });
    // A new session: the first lookup reads the database, the second is answered from memory.
    expect(await moved(series, async () => [await forward({ cookie: fresh }), await forward({ cookie: fresh })])).toEqual([1, 1]);
  });

  it('count ceremonies started, succeeded and failed, and the open WebSockets', async () => {
    const series = [
      'passkey_auth_ceremonies_started_total{kind="authenticate"}',
      'passkey_auth_ceremonies_succeeded_total{kind="authenticate"}',
      'passkey_auth_ceremonies_failed_total{kind="authenticate",reason="bad_message"}',
      'passkey_auth_ceremonies_failed_total{kind="authenticate",reason="closed"}',
    ];
    const work = async () => {
      await authenticate(server.port, phone, { origin });
      const refused = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host }, { type: 'start' });
      await refused.next();
      refused.ws.send('not json');
      await refused.closed;
      const open = await openCeremony(server.port, '/auth/ws/authenticate', { origin, host });
      await expect.poll(async () => (await scrape()).get('passkey_auth_websockets_open')).toBe(1);
      open.ws.close();
      await open.closed;
      await expect.poll(async () => (await scrape()).get('passkey_auth_websockets_open')).toBe(0);
    };
    expect(await moved(series, work)).toEqual([3, 1, 1, 1]);
  });

  it('count rate-limit refusals by limiter', async () => {
    const series = ['passkey_auth_rate_limit_refusals_total{limiter="secrets"}', 'passkey_auth_rate_limit_refusals_total{limiter="ceremonies"}'];
    const statuses: number[] = [];
    // From an address of its own (the test process is the trusted proxy), so that no other test's budget is spent.
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' };
    const work = async () => {
      for (let i = 0; i <= SECRETS_PER_MINUTE; i++) {
        statuses.push((await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/user-info', headers, body: JSON.stringify({ token: 'zoo.zoo.zoo.zoo.zoo' }) })).status);
      }
    };
    expect(await moved(series, work)).toEqual([1, 0]);
    expect(statuses.at(-1)).toBe(429);
  });

  it('report the live sessions, read from the database on scrape', async () => {
    const { live } = await server.deps.database.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('live')).where('expires_at', '>', Date.now()).executeTakeFirstOrThrow();
    expect(live).toBeGreaterThanOrEqual(2);
    expect((await scrape()).get('passkey_auth_sessions_active')).toBe(live);
    expect(await moved(['passkey_auth_sessions_active'], () => signIn(server.port, phone, { origin }))).toEqual([1]);
  });

  it('time database queries by operation and count failed ones by code', async () => {
    // An unknown table: SQLite's SQLITE_ERROR, PostgreSQL's SQLSTATE 42P01 (undefined_table).
    const code = server.deps.database.dialect === 'sqlite' ? 'SQLITE_ERROR' : '42P01';
    const series = ['passkey_auth_database_query_duration_seconds_count{operation="select"}', `passkey_auth_database_errors_total{code="${code}"}`];
    const work = async () => {
      await api(server.port, 'GET', '/auth/api/user', { host, cookie });
      await expect(server.deps.database.db.selectFrom('no_such_table' as never).selectAll().execute()).rejects.toThrow(/no such table|relation "no_such_table" does not exist/);
    };
    const [selects, errors] = await moved(series, work);
    expect(selects).toBeGreaterThan(0);
    expect(errors).toBe(1);
  });

  it("include Node's process metrics", async () => {
    const samples = await scrape();
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect([...samples.keys()].some((name) => name.startsWith('nodejs_eventloop_lag_seconds'))).toBe(true);
    expect(scrapeErrors).toEqual([]);
  });
});

describe('the metrics listener', () => {
  it('serves GET and HEAD /metrics only', async () => {
    expect((await get(`${metricsServer.address}/metrics`, 'HEAD')).status).toBe(200);
    expect((await get(`${metricsServer.address}/metrics`, 'POST')).status).toBe(405);
    expect((await get(`${metricsServer.address}/`)).status).toBe(404);
    expect((await get(`${metricsServer.address}/auth/api/forward`)).status).toBe(404);
  });

  it('is not the public port: there /metrics is 404', async () => {
    const response = await rawRequest(server.port, { path: '/metrics', host });
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('passkey_auth_');
  });
});

describe('--metrics-listen', () => {
  it('refuses a bad address at start, naming the flag', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--metrics-listen', '9464'], { encoding: 'utf8', timeout: 15_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('passkey-auth: --metrics-listen expects HOST:PORT, :PORT, [IPv6]:PORT or unix:/path, got "9464"');
  });
});
