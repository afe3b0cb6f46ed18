/**
 * The identity and Bearer-token caches' store: lru-cache (O(1) lookups and evictions, least
 * recently used out first, like every bounded cache here), bounded by a count of entries each of
 * size 1 (`maxSize`) rather than by `max`, because `max` makes lru-cache allocate its slot
 * arrays for the whole bound when the server starts, used or not.
 *
 * Measured (Node 20, heap plus array buffers held by the cache itself, keys and values apart):
 *
 * | entries  | `max: 100_000` | `maxSize: 100_000` | with a `ttl`: `max` | `maxSize` |
 * |---------:|---------------:|-------------------:|--------------------:|----------:|
 * |    1,000 |       2.7 MiB  |          0.1 MiB   |            4.3 MiB  |   0.1 MiB |
 * |   10,000 |       3.1 MiB  |          0.8 MiB   |            4.7 MiB  |   1.0 MiB |
 * |   50,000 |       4.1 MiB  |          3.3 MiB   |            5.6 MiB  |   4.3 MiB |
 * |  100,000 |       5.3 MiB  |          7.2 MiB   |            6.9 MiB  |   9.1 MiB |
 *
 * Growing arrays cost ≈ 65–80 bytes an entry against ≈ 25, so the full 100,000 costs ≈ 2 MiB more
 * (next to the 40–130 MiB the identities themselves then take); below ≈ 50,000 entries, which is
 * every instance short of a very large one, it is less, and an idle server keeps nothing.
 * A two-generation Map (this cache's rule before lru-cache) would hold ≈ 0.5 MiB at 10,000 but
 * keeps a session in use only when used once in every half-bound of new ones, and has no entry
 * age: not worth a second eviction rule.
 */
import { LRUCache } from 'lru-cache';

const ONE = () => 1;

/**
 * @param maxEntries how many entries it keeps at most
 * @param ttlMs when set, an entry is not served once this old
 */
export function growingLruCache<K extends {}, V extends {}>(maxEntries: number, ttlMs?: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ maxSize: maxEntries, sizeCalculation: ONE, ...(ttlMs ? { ttl: ttlMs } : {}) });
}
