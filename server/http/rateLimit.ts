/**
 * A rate limiter for ceremonies and secrets: a fixed window per key, counted in
 * memory (each instance limits what it sees). A request names several keys (its
 * address, the account or link it targets) and must be within the limit of each.
 *
 * The table is bounded without handing budget back: a key that has used up its
 * window stays until that window ends, whatever else arrives. When the table is
 * full, the least recently used key that still has budget is forgotten (at worst
 * it starts afresh: it was within its limit anyway). Only when every entry is a
 * spent key (more than `maxKeys` exhausted keys within one window) are new keys
 * refused until windows end: fail closed rather than reset the abusers' counts.
 */
export interface RateLimiter {
  /**
   * Counts one attempt against each key; false (nothing counted) when any key has
   * used its limit in its window, or when a new key finds the table full of spent keys.
   */
  take(keys: string | readonly string[], now: number): boolean;
}

interface Window {
  start: number;
  count: number;
}

/**
 * @param limit attempts allowed per key and window
 * @param windowMs window length; each key's window starts at its first attempt
 * @param maxKeys memory bound over all keys
 * @example const limiter = rateLimiter(30, 60_000); if (!limiter.take([addressKey(ip)], Date.now())) answer429();
 */
export function rateLimiter(limit: number, windowMs: number, maxKeys = 100_000): RateLimiter {
  // Keys with budget left, least recently used first: the ones eviction may forget.
  const open = new Map<string, Window>();
  // Keys that used their limit, by when that happened: kept until their window ends.
  const spent = new Map<string, number>();

  const isSpent = (key: string, now: number): boolean => {
    const end = spent.get(key);
    if (end === undefined) return false;
    if (now < end) return true;
    spent.delete(key);
    return false;
  };

  /** Makes room for one more key; false when only spent keys within their window fill the table. */
  const makeRoom = (now: number): boolean => {
    for (const [key, end] of spent) {
      if (open.size + spent.size < maxKeys || now < end) break;
      spent.delete(key);
    }
    for (const key of open.keys()) {
      if (open.size + spent.size < maxKeys) break;
      open.delete(key);
    }
    return open.size + spent.size < maxKeys;
  };

  const count = (key: string, now: number): boolean => {
    let window = open.get(key);
    if (window) open.delete(key);
    else if (!makeRoom(now)) return false;
    if (!window || now - window.start >= windowMs) window = { start: now, count: 0 };
    window.count++;
    if (window.count >= limit) spent.set(key, window.start + windowMs);
    else open.set(key, window);
    return true;
  };

  return {
    take(keys, now) {
      const all = typeof keys === 'string' ? [keys] : keys;
      if (all.some((key) => isSpent(key, now))) return false;
      return all.every((key) => count(key, now));
    },
  };
}
