import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, decodeCacheChange, encodeCacheChange } from './cacheChange.js';

/** A 32-byte hash as the identity cache keys it: one char per byte, many outside ASCII. */
const hashKey = (n: number) => Buffer.alloc(32, n).toString('latin1');

describe('cache change payloads', () => {
  it('round-trips a change in one payload when it fits', () => {
    const payloads = encodeCacheChange('instance-a', { cache: 'identities', keys: [hashKey(0), hashKey(200)] });
    expect(payloads).toHaveLength(1);
    expect(decodeCacheChange(payloads[0]!)).toEqual({ from: 'instance-a', change: { cache: 'identities', keys: [hashKey(0), hashKey(200)] } });
    expect(decodeCacheChange(encodeCacheChange('b', { cache: 'identities', keys: 'all' })[0]!)).toEqual({ from: 'b', change: { cache: 'identities', keys: 'all' } });
  });

  it('splits many keys over payloads that each fit a NOTIFY, losing none', () => {
    const keys = Array.from({ length: 1000 }, (_, n) => hashKey(n % 256) + String(n));
    const payloads = encodeCacheChange('instance-a', { cache: 'identities', keys });
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payloads.flatMap((payload) => decodeCacheChange(payload)!.change.keys)).toEqual(keys);
  });

  it('turns a key too long for any payload into "drop everything"', () => {
    const payloads = encodeCacheChange('a', { cache: 'identities', keys: ['short', 'x'.repeat(MAX_PAYLOAD_BYTES)] });
    expect(payloads.map((payload) => decodeCacheChange(payload)!.change)).toEqual([{ cache: 'identities', keys: 'all' }]);
  });

  it('ignores payloads that are not cache changes', () => {
    for (const payload of ['', 'not json', '{}', '{"from":"a","cache":"identities","keys":"some"}', '{"from":"a","cache":"identities","keys":[1]}']) {
      expect(decodeCacheChange(payload), payload).toBeNull();
    }
  });
});
