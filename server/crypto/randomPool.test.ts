import { describe, expect, it } from 'vitest';
import { randomFromPool } from './randomPool.js';

describe('randomFromPool', () => {
  it('hands out fresh bytes in memory of their own, never the same twice, across refills', () => {
    const seen = new Set<string>();
    // 1,000 draws of 32 bytes span eight refills of the 4 KiB pool.
    for (let i = 0; i < 1000; i++) {
      const bytes = randomFromPool(32);
      expect(bytes.byteLength).toBe(32);
      expect(bytes.buffer.byteLength).toBe(32);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('draws of other sizes share the pool, and a draw larger than it is refused', () => {
    expect(randomFromPool(4096).byteLength).toBe(4096);
    expect(randomFromPool(7).byteLength).toBe(7);
    expect(() => randomFromPool(4097)).toThrow(RangeError);
  });

  it('bytes look random: each bit set about half the time', () => {
    const bytes = randomFromPool(4096);
    let ones = 0;
    for (const byte of bytes) for (let bit = 0; bit < 8; bit++) ones += (byte >> bit) & 1;
    // 32,768 fair bits: mean 16,384, standard deviation 90.5; ±1,000 is over 11 deviations.
    expect(Math.abs(ones - 16_384)).toBeLessThan(1000);
  });
});
