/**
 * autocannon as the load generator, for machines without wrk: it runs in this
 * process and records latency in whole milliseconds.
 */
import type { AutocannonRequest } from 'autocannon';
import type { LoadRun, RequestSpec } from './load.js';
import { cookieFor } from './tokens.js';
import type { Bench } from './workspace.js';

/** Runs autocannon for `seconds` against `port`; the cookie cycles on from `spec.tokens.cursor`. */
export async function runAutocannon({ options }: Bench, port: number, spec: RequestSpec, seconds: number): Promise<LoadRun> {
  const { default: autocannon } = await import('autocannon');
  const { tokens } = spec;
  let k = tokens?.cursor ?? 0;
  const request: AutocannonRequest = { method: spec.method, path: spec.path, headers: { ...spec.headers } };
  // Only with tokens: a setupRequest key that is present but undefined breaks autocannon.
  if (tokens) {
    request.setupRequest = (next) => {
      next.headers = { ...next.headers, cookie: cookieFor(tokens, k) };
      k = k + 1 === tokens.count ? 0 : k + 1;
      return next;
    };
  }
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: seconds,
    timeout: 5,
    requests: [request],
    excludeErrorStats: false, // latencies of 401s count too
  });
  if (tokens) tokens.cursor = k;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    errorDetail: { errors: result.errors, timeouts: result.timeouts },
    statuses,
  };
}
