/**
 * Metrics off, the default (no `--metrics-listen`): nothing serves metrics, so nothing is
 * recorded. A recorder with the app's {@link Metrics} interface whose every method does
 * nothing: the counting code stays the same either way, prom-client is never loaded (≈ 1.5 MiB
 * of heap once imported), no request updates a counter and no query is timed (main.ts
 * gives the database no `observe` hook then).
 */
import type { Metrics } from './metrics.js';

const nothing = (): void => {};

export class MetricsOff implements Metrics {
  readonly forward = { observe: nothing };
  readonly ceremonies = { started: nothing, succeeded: nothing, failed: nothing };
  readonly openWebSockets = { inc: nothing, dec: nothing };
  readonly rateLimitRefused = nothing;
  readonly backchannelLogout = nothing;
  readonly readOnScrape = nothing;
}
