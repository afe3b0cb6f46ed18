/**
 * Starts the real app on a real port with a fresh database (an SQLite file in a temp dir, or a
 * PostgreSQL database when the run targets it: testDatabase.ts), for integration tests.
 * The SPA must be built (`npm run build`).
 */
import { createServer, type AddressInfo } from 'node:net';
import { parseCli } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createApp } from '../app.js';
import { startServer } from '../server.js';
import { loadSpaFiles } from '../ui/spaFiles.js';
import type { AppDeps, RateLimits } from '../deps.js';
import type { Services } from '../services.js';
import { createEmptyDatabase, type TestDatabase } from './testDatabase.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../metrics/prometheusMetrics.js';
import { startLogoutWorker, type LogoutWorker } from '../logout/logoutWorker.js';

export interface TestServer {
  port: number;
  url: string;
  deps: AppDeps;
  services: Services;
  /** The app's metrics, recorded as with `--metrics-listen` (a test serves them with startMetricsServer). */
  metrics: PrometheusMetrics;
  /** Sends back-channel logout notices (polling, as in production); `runOnce` sends what is due now. */
  logoutWorker: LogoutWorker;
  /** Moves the server's clock forward. */
  advanceClock(ms: number): void;
  /** What shutdown does to ceremony sockets: refuse new ones, close open ones with 1001. */
  closeWebSockets(): void;
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now, for flags that must name the port (`--listen`, `--issuer`). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the app with these CLI flags (plus a temp database and, unless `--listen` is among them, a free port on 127.0.0.1).
 * Rate limits are lifted unless given: suites make many ceremonies from one address.
 * @param options.database a database to use and keep (a restart on the same database); by default a fresh one, removed on close
 */
export async function startTestServer(flags: string[] = [], rateLimits: RateLimits = { ceremoniesPerMinute: 10_000, secretsPerMinute: 10_000 }, options: { database?: TestDatabase } = {}): Promise<TestServer> {
  const empty = options.database ?? (await createEmptyDatabase());
  const cli = parseCli([...flags, '--db', empty.location], {});
  if (cli.kind !== 'run') throw new Error('test flags must start the server');
  // A test that needs the port in its flags (an --issuer on it) picks one with freePort and passes --listen.
  const config = flags.includes('--listen') ? cli.config : { ...cli.config, listen: { kind: 'tcp' as const, host: '127.0.0.1', port: 0 } };
  const metrics = createPrometheusMetrics();
  const database = await openDatabase(config.database, { observe: (event) => metrics.databaseLog(event) });
  let offset = 0;
  const deps: AppDeps = { config, database, spa: loadSpaFiles(), version: 'test', now: () => Date.now() + offset, rateLimits, metrics };
  const { app, upgrade, fastPath, services, closeWebSockets } = createApp(deps);
  const running = await startServer({ app, listen: config.listen, upgrade, fastPath, untrustedProxies: services.untrustedProxies, connectionLimits: config.connections, trustedProxies: config.trustedProxies });
  const port = Number(new URL(running.address).port);
  const logoutWorker = startLogoutWorker(services);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    deps,
    services,
    metrics,
    logoutWorker,
    advanceClock: (ms) => void (offset += ms),
    closeWebSockets,
    close: async () => {
      await running.close();
      await logoutWorker.stop();
      await database.close();
      if (!options.database) await empty.remove();
    },
  };
}
