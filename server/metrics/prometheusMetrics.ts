/**
 * The service's Prometheus metrics: one registry per app, holding every metric the
 * service reports. Code that counts gets the metric (or a label child resolved
 * here, once) and never builds label objects per request; values that live
 * elsewhere (live sessions in the database, the identity cache's counts) are read
 * when Prometheus scrapes. Made, and prom-client loaded, only for `--metrics-listen`
 * (served by server/metrics/metricsServer.ts).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LogEvent } from 'kysely';
import type { Metrics, ScrapeSources } from './metrics.js';

/** Forward-auth statuses, counted through children resolved once; anything else counts as `other`. */
const FORWARD_STATUSES = [204, 400, 401, 403] as const;

/** Forward auth answers in tens of microseconds; the buckets resolve that, and a stall up to a second. */
const FORWARD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1];
/** SQLite queries take microseconds to milliseconds; a busy database, seconds (busy_timeout is 5 s). */
const QUERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1, 5];

/** The metrics with Prometheus's registry behind them, and the database's query timings. */
export interface PrometheusMetrics extends Metrics {
  registry: Registry;
  /** kysely's `log` hook: query durations by operation, and errors by driver code. */
  databaseLog(event: LogEvent): void;
}

const PREFIX = 'passkey_auth_';

/** Builds a fresh registry with every metric at zero. */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  let sources: ScrapeSources | null = null;

  const decisions = new Counter({ name: `${PREFIX}forward_decisions_total`, help: 'Forward-auth decisions by HTTP status', labelNames: ['status'], registers: [registry] });
  const forwardSeconds = new Histogram({ name: `${PREFIX}forward_duration_seconds`, help: 'Time to decide a forward-auth request, in-process', buckets: FORWARD_BUCKETS, registers: [registry] });
  const byStatus = new Map(FORWARD_STATUSES.map((status) => [status as number, decisions.labels(String(status))]));
  const otherStatus = decisions.labels('other');
  // A child even without labels: observing through it skips building a closure and label object per call.
  const forwardLatency = forwardSeconds.labels();

  const started = new Counter({ name: `${PREFIX}ceremonies_started_total`, help: 'Passkey ceremonies started (WebSockets opened)', labelNames: ['kind'], registers: [registry] });
  const succeeded = new Counter({ name: `${PREFIX}ceremonies_succeeded_total`, help: 'Passkey ceremonies that succeeded', labelNames: ['kind'], registers: [registry] });
  const failed = new Counter({ name: `${PREFIX}ceremonies_failed_total`, help: 'Passkey ceremonies that failed, by the error code sent (closed: the client left)', labelNames: ['kind', 'reason'], registers: [registry] });

  const openWebSockets = new Gauge({ name: `${PREFIX}websockets_open`, help: 'Open passkey-ceremony WebSockets', registers: [registry] });
  new Gauge({
    name: `${PREFIX}sessions_active`,
    help: 'Sessions not yet expired (read from the database on scrape)',
    registers: [registry],
    async collect() {
      if (sources) this.set(await sources.liveSessions());
    },
  });
  new Counter({
    name: `${PREFIX}identity_cache_lookups_total`,
    help: 'Forward-auth identity-cache lookups by result (hit: no database read)',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      if (!sources) return;
      const { hits, misses } = sources.identityCacheCounts();
      this.reset();
      this.inc({ result: 'hit' }, hits);
      this.inc({ result: 'miss' }, misses);
    },
  });

  const refusals = new Counter({ name: `${PREFIX}rate_limit_refusals_total`, help: 'Requests refused by a rate limiter', labelNames: ['limiter'], registers: [registry] });
  const backchannel = new Counter({ name: `${PREFIX}backchannel_logout_deliveries_total`, help: 'Back-channel logout delivery attempts by result', labelNames: ['result'], registers: [registry] });
  const querySeconds = new Histogram({ name: `${PREFIX}database_query_duration_seconds`, help: 'Database query time by operation (queries through kysely)', labelNames: ['operation'], buckets: QUERY_BUCKETS, registers: [registry] });
  const databaseErrors = new Counter({ name: `${PREFIX}database_errors_total`, help: 'Failed database queries by driver error code', labelNames: ['code'], registers: [registry] });

  return {
    registry,
    forward: {
      observe(status, seconds) {
        (byStatus.get(status) ?? otherStatus).inc();
        forwardLatency.observe(seconds);
      },
    },
    ceremonies: {
      started: (kind) => started.inc({ kind }),
      succeeded: (kind) => succeeded.inc({ kind }),
      failed: (kind, reason) => failed.inc({ kind, reason }),
    },
    openWebSockets,
    rateLimitRefused: (limiter) => refusals.inc({ limiter }),
    backchannelLogout: (result) => backchannel.inc({ result }),
    databaseLog(event) {
      if (event.level === 'query') querySeconds.observe({ operation: operationOf(event.query.query.kind) }, event.queryDurationMillis / 1000);
      else databaseErrors.inc({ code: errorCode(event.error) });
    },
    readOnScrape(value) {
      sources = value;
    },
  };
}

/** `SelectQueryNode` → `select`; a bounded label whatever the query. */
function operationOf(kind: string): string {
  const match = /^(Select|Insert|Update|Delete)QueryNode$/.exec(kind);
  return match ? match[1]!.toLowerCase() : 'other';
}

/** The driver's error code (`SQLITE_BUSY`, a PostgreSQL SQLSTATE), or `unknown`: codes are a bounded set, messages are not. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'unknown';
}
