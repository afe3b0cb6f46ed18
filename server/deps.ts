import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import type { SpaFiles } from './ui/spaFiles.js';

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
}

export interface RateLimits {
  /** Passkey ceremonies started. */
  ceremoniesPerMinute: number;
  /** Secrets presented (exchange codes, link tokens). */
  secretsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { ceremoniesPerMinute: 30, secretsPerMinute: 30 };
