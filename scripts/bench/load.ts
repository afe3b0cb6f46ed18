/**
 * One load run against a server with the chosen generator (wrk or autocannon),
 * reported in one shape with every response's status counted.
 */
import { runAutocannon } from './autocannon.js';
import type { TokenSet } from './tokens.js';
import type { Bench } from './workspace.js';
import { runWrk } from './wrk.js';

/** The requests of one case: `method path` with fixed headers and, optionally, a session cookie cycling through `tokens`. */
export interface RequestSpec {
  /** The case id; names the generated wrk script. */
  id: string;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  tokens?: TokenSet;
}

export interface LoadRun {
  requests: number;
  seconds: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Socket errors and timeouts, in total and by kind. */
  errors: number;
  errorDetail: Record<string, number>;
  /** Responses by status code. */
  statuses: Record<string, number>;
}

/** Loads the server on `port` with `spec`'s requests for `seconds`; advances `spec.tokens.cursor`. */
export function load(bench: Bench, port: number, spec: RequestSpec, seconds: number): Promise<LoadRun> {
  return bench.options.tool === 'wrk' ? runWrk(bench, port, spec, seconds) : runAutocannon(bench, port, spec, seconds);
}
