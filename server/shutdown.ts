/**
 * Clean shutdown on SIGTERM and SIGINT: stop accepting, let requests in flight finish within
 * the grace period, close ceremony WebSockets with 1001, stop housekeeping, checkpoint the WAL
 * and close the database, exit 0. A second signal exits at once.
 */
import { constants } from 'node:os';
import type { RunningServer } from './server.js';
import type { OpenDatabase } from './db/database.js';
import type { Logger } from './log/logger.js';
import type { Cluster } from './cluster/cluster.js';

export interface ShutdownParts {
  server: Pick<RunningServer, 'drain'>;
  /** Starts the closing handshake of every ceremony WebSocket. */
  closeWebSockets: () => void;
  /** Stops housekeeping and the back-channel logout worker; resolves once work under way has finished. */
  stopSweeping: () => Promise<void>;
  /** Leaves the other instances (its connections go before the database's pool). */
  cluster: Pick<Cluster, 'close'>;
  database: Pick<OpenDatabase, 'close'>;
  graceMs: number;
  log: Pick<Logger, 'warn'>;
}

/** Runs the shutdown steps in order; the database closes only after the last request that could write to it. */
export async function shutDown(parts: ShutdownParts): Promise<void> {
  // Draining stops accepting at once; WebSockets count as open connections until their handshake ends.
  const drained = parts.server.drain(parts.graceMs);
  parts.closeWebSockets();
  const [cut] = await Promise.all([drained, parts.stopSweeping()]);
  if (cut > 0) parts.log.warn(`passkey-auth: cut ${cut} connection(s) still open after the ${parts.graceMs / 1000} s grace period`);
  await parts.cluster.close();
  await parts.database.close();
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On the first SIGTERM or SIGINT runs `stop` and exits 0 (1 if `stop` failed); a second
 * signal exits at once with 128 + its number, as a shell reports a death by that signal.
 */
export function exitOnSignals(stop: () => Promise<void>, graceMs: number, log: Pick<Logger, 'info' | 'warn' | 'error'>): void {
  let stopping = false;
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    if (stopping) {
      log.warn(`passkey-auth: second ${signal}: exiting now, without waiting for requests in flight`);
      process.exit(128 + constants.signals[signal]);
    }
    stopping = true;
    log.info(`passkey-auth: ${signal}: shutting down (requests in flight get up to ${graceMs / 1000} s; send it again to exit at once)`);
    stop().then(
      () => {
        log.info('passkey-auth: stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error(`passkey-auth: shutdown failed: ${(error as Error).message ?? error}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
