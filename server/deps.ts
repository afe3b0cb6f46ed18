import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import type { SpaFiles } from './ui/spaFiles.js';
import type { Logger } from './log/logger.js';
import type { Metrics } from './metrics/metrics.js';
import type { Cluster } from './cluster/cluster.js';

/** What the app is built from: made once at start-up in main.ts (or by a test) and passed down. */
export interface AppDeps {
  config: Config;
  database: OpenDatabase;
  spa: SpaFiles;
  version: string;
  /** Current time in ms; injectable so tests can move the clock. */
  now: () => number;
  /** Per-IP attempts per minute; defaults suit production ({@link DEFAULT_RATE_LIMITS}). */
  rateLimits?: RateLimits;
  /** Where log lines go; by default a logger in `config.logFormat` on stdout and stderr. */
  log?: Logger;
  /** The Prometheus metrics, when start-up made them for `--metrics-listen` (to hook the database before the app exists); else metrics off. */
  metrics?: Metrics;
  /** How this instance coordinates with others on a shared database (server/cluster/); by default a single instance. */
  cluster?: Pick<Cluster, 'changes' | 'leader'>;
}

export interface RateLimits {
  /** Passkey ceremonies started. */
  ceremoniesPerMinute: number;
  /** Secrets presented (exchange codes, link tokens). */
  secretsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { ceremoniesPerMinute: 30, secretsPerMinute: 30 };
