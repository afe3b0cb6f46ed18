/**
 * A change to a per-instance cache, as instances tell each other over PostgreSQL `NOTIFY`:
 * JSON text no longer than a notification may carry, checked with a schema on arrival.
 */
import { z } from 'zod';

/** PostgreSQL refuses a `NOTIFY` payload of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

/** Drop these keys of cache `cache`, or (`keys: 'all'`) everything in it. */
export interface CacheChange {
  cache: string;
  keys: readonly string[] | 'all';
}

/** A change as sent: `from` names the sending instance, which skips its own notifications. */
const PAYLOAD = z.object({
  from: z.string(),
  cache: z.string(),
  keys: z.union([z.array(z.string()), z.literal('all')]),
});

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The payloads that carry `change` from instance `from`: one when it fits, else the keys split
 * over several (each within {@link MAX_PAYLOAD_BYTES}). A key too long to fit any payload on
 * its own turns the change into "drop everything", which is always correct, only slower.
 */
export function encodeCacheChange(from: string, change: CacheChange): string[] {
  const encode = (keys: readonly string[] | 'all') => JSON.stringify({ from, cache: change.cache, keys });
  const whole = encode(change.keys);
  if (bytes(whole) <= MAX_PAYLOAD_BYTES || change.keys === 'all') return [whole];
  const overhead = bytes(encode([]));
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = overhead;
  for (const key of change.keys) {
    // Each key adds its JSON text and a comma.
    const keySize = bytes(JSON.stringify(key)) + 1;
    if (overhead + keySize > MAX_PAYLOAD_BYTES) return [encode('all')];
    if (size + keySize > MAX_PAYLOAD_BYTES) {
      payloads.push(encode(batch));
      batch = [];
      size = overhead;
    }
    batch.push(key);
    size += keySize;
  }
  if (batch.length > 0) payloads.push(encode(batch));
  return payloads;
}

/** A received payload as `{ from, change }`, or null when it is not one of ours. */
export function decodeCacheChange(payload: string): { from: string; change: CacheChange } | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = PAYLOAD.safeParse(json);
  if (!parsed.success) return null;
  const { from, cache, keys } = parsed.data;
  return { from, change: { cache, keys } };
}
