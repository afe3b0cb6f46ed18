#!/usr/bin/env node
/**
 * The `passkey-auth` command: parses configuration, opens the database,
 * starts the server and reports where it listens; `passkey-auth backup` backs the database up,
 * `passkey-auth copy-db` copies it into PostgreSQL.
 */
import { USAGE, describeDatabase, parseCli, type Config, type Listen } from './config.js';
import { reportConfigError } from './cli/configError.js';
import { openDatabase } from './db/database.js';
import { createApp } from './app.js';
import { startServer } from './server.js';
import { loadSpaFiles } from './ui/spaFiles.js';
import { VERSION } from './version.js';
import { bootstrap } from './bootstrap/bootstrap.js';
import { resetLink, uiUrl } from './links.js';
import { startSweeping } from './maintenance/sweep.js';
import { startLogoutWorker } from './logout/logoutWorker.js';
import { configWarnings } from './configWarnings.js';
import { exitOnSignals, shutDown } from './shutdown.js';
import { BACKUP_COMMAND, backupCommand } from './backup/backupCommand.js';
import { COPY_DB_COMMAND, copyDbCommand } from './copydb/copyDbCommand.js';
import { createLogger, type Logger } from './log/logger.js';
import { MetricsOff } from './metrics/metricsOff.js';
import type { PrometheusMetrics } from './metrics/prometheusMetrics.js';
import type { MetricsServer } from './metrics/metricsServer.js';
import { joinCluster, singleInstance } from './cluster/cluster.js';
import { collectStartupGarbage } from './startupGarbage.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === BACKUP_COMMAND) return void (process.exitCode = await backupCommand(argv.slice(1), process.env));
  if (argv[0] === COPY_DB_COMMAND) return void (process.exitCode = await copyDbCommand(argv.slice(1)));

  let config: Config;
  try {
    const cli = parseCli(argv, process.env);
    if (cli.kind === 'help') return void process.stdout.write(USAGE);
    if (cli.kind === 'version') return void process.stdout.write(`passkey-auth ${VERSION}\n`);
    config = cli.config;
  } catch (error) {
    process.exit(reportConfigError('passkey-auth', error));
  }

  const log = createLogger(config.logFormat);
  for (const warning of configWarnings(config)) log.warn(`passkey-auth: WARNING: ${warning}`);
  const spa = loadSpaFiles();
  // Metrics off (no --metrics-listen, the default): prom-client is never loaded, and queries go untimed.
  const prometheus = config.metricsListen ? (await import('./metrics/prometheusMetrics.js')).createPrometheusMetrics() : null;
  const metrics = prometheus ?? new MetricsOff();
  const database = await openDatabase(config.database, {
    ...(prometheus && { observe: (event) => prometheus.databaseLog(event) }),
    onIdleError: (error) => log.warn('a pooled database connection failed while idle; it will be replaced', { error }),
  });
  const first = await bootstrap(database.db, Date.now());
  // Instances sharing PostgreSQL keep their caches in step and elect who runs background jobs.
  const cluster = config.database.kind === 'postgres' ? joinCluster(config.database.url, database.db, log) : singleInstance();
  const { app, upgrade, fastPath, services, closeWebSockets } = createApp({ config, database, spa, version: VERSION, now: Date.now, log, metrics, cluster });
  // The OIDC provider's RS256 key exists from the first start on (generating an RSA key takes a moment).
  await services.signingKeys.ensureKey('RS256');
  // Start-up's dead objects freed before the first request, not whenever V8 next collects in full.
  collectStartupGarbage();
  const running = await startServer({ app, listen: config.listen, upgrade, fastPath, untrustedProxies: services.untrustedProxies, connectionLimits: config.connections, trustedProxies: config.trustedProxies });
  const metricsServer = config.metricsListen && prometheus && (await serveMetrics(config.metricsListen, prometheus, log));
  const stopSweeping = startSweeping(services);
  const logoutWorker = startLogoutWorker(services);
  const stopBackground = async () => void (await Promise.all([stopSweeping(), logoutWorker.stop()]));

  const mode = config.authHost ? `dedicated auth host ${config.authHostAuthority}` : 'every host under /auth/';
  log.info(`passkey-auth ${VERSION} listening on ${running.address} (${mode}; UI at ${uiUrl(config)}; database ${describeDatabase(config.database)})`);
  if (metricsServer) log.info(`metrics at ${metricsServer.address}/metrics`);

  if (first.token) {
    // Printed on purpose, the one secret that is: the operator needs it to register the first passkey.
    const note = 'No administrator has a passkey yet. Open this one-time link to register the first one (valid 24 hours; restart for a new one)';
    const link = resetLink(config, first.token);
    // A terminal shows the link on a line of its own (the e2e harness finds it there); JSON readers get a field.
    if (config.logFormat === 'json') log.info(note, { link });
    else log.info(`\n${note}:\n\n  ${link}\n`);
  } else if (first.linkIssuedElsewhere) {
    log.info('No administrator has a passkey yet: another instance printed the one-time link moments ago (see its log, or restart this one 15 seconds later for a new link)');
  }

  const graceMs = config.shutdownGraceMs;
  // Metrics are served while the server drains, and close last.
  const stop = async () => {
    await shutDown({ server: running, closeWebSockets, stopSweeping: stopBackground, cluster, database, graceMs, log });
    await metricsServer?.close();
  };
  exitOnSignals(stop, graceMs, log);
}

/** Serves `metrics` on `listen`; the listener's module is loaded only then. */
async function serveMetrics(listen: Listen, metrics: PrometheusMetrics, log: Logger): Promise<MetricsServer> {
  const { startMetricsServer } = await import('./metrics/metricsServer.js');
  return startMetricsServer(listen, metrics, (error) => log.error('metrics scrape failed', { error }));
}

main().catch((error: unknown) => {
  process.stderr.write(`passkey-auth: ${(error as Error).message ?? error}\n`);
  process.exit(1);
});
