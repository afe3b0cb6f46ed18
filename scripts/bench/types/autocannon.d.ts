// The parts of autocannon (which ships no types) that scripts/bench/autocannon.ts uses.
declare module 'autocannon' {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    /** Mutates each request before it is sent; returns it. */
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  }

  interface AutocannonOptions {
    url: string;
    connections: number;
    /** Seconds. */
    duration: number;
    /** Seconds before a request counts as timed out. */
    timeout: number;
    requests: AutocannonRequest[];
    excludeErrorStats: boolean;
  }

  interface AutocannonResult {
    requests: { total: number };
    /** Seconds. */
    duration: number;
    /** Milliseconds, whole. */
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
  }

  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
