/**
 * A fixed-window rate limiter keyed by client (IP), for ceremonies and token
 * guesses. In memory: each instance limits what it sees.
 */
export interface RateLimiter {
  /** Counts one attempt; false when the key is over its limit in this window. */
  take(key: string, now: number): boolean;
}

/**
 * @param limit attempts allowed per window and key
 * @param windowMs window length
 * @param maxKeys memory bound: past it, the oldest window is dropped whole
 */
export function rateLimiter(limit: number, windowMs: number, maxKeys = 100_000): RateLimiter {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    take(key, now) {
      if (now - windowStart >= windowMs || counts.size >= maxKeys) {
        windowStart = now;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count <= limit;
    },
  };
}
