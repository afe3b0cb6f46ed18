/**
 * The service's metrics as the code that counts sees them: what is recorded, not how. With
 * `--metrics-listen` a Prometheus registry records it (prometheusMetrics.ts, served by
 * metricsServer.ts); without, the default, nothing does (metricsOff.ts) and prom-client is
 * never loaded.
 */
import type { ErrorCode } from '../../shared/ws.js';

/** The two passkey ceremonies, as the WebSocket paths name them. */
export type CeremonyKind = 'authenticate' | 'register';
/** Why a ceremony did not succeed: the error code the client got, or `closed` when the client left first. */
export type CeremonyFailure = ErrorCode | 'closed';
/** The rate limiters (server/services.ts `limits`). */
export type LimiterName = 'ceremonies' | 'secrets';
/** How a back-channel logout delivery attempt ended: delivered, failed (retried later), or the last one failed. */
export type BackchannelResult = 'delivered' | 'failed' | 'gave_up';

/** What forward auth counts per decision: its status and latency. */
export interface ForwardMetrics {
  /** Counts one decision and its duration in seconds. */
  observe(status: number, seconds: number): void;
}

/** What a ceremony socket reports over its life. */
export interface CeremonyMetrics {
  started(kind: CeremonyKind): void;
  succeeded(kind: CeremonyKind): void;
  failed(kind: CeremonyKind, reason: CeremonyFailure): void;
}

/** Values read on each scrape rather than counted as they happen. */
export interface ScrapeSources {
  /** Sessions not yet lapsed (one indexed count in the database). */
  liveSessions(): Promise<number>;
  /** Identity-cache lookups so far. */
  identityCacheCounts(): { hits: number; misses: number };
}

/** A gauge moved up and down as things open and close. */
export interface UpDownGauge {
  inc(): void;
  dec(): void;
}

/** What the app records as it runs. */
export interface Metrics {
  forward: ForwardMetrics;
  ceremonies: CeremonyMetrics;
  /** Open ceremony WebSockets: `inc()` when one opens, `dec()` when it closes. */
  openWebSockets: UpDownGauge;
  /** Counts a refusal by a rate limiter. */
  rateLimitRefused(limiter: LimiterName): void;
  /** Counts a back-channel logout delivery attempt by its result. */
  backchannelLogout(result: BackchannelResult): void;
  /** Where scrape-time values come from; set once the services exist. */
  readOnScrape(sources: ScrapeSources): void;
}

