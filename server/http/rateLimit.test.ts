import { describe, expect, it } from 'vitest';
import { rateLimiter } from './rateLimit.js';
import { addressKey } from './rateLimitKeys.js';

const MINUTE = 60_000;

function takeTimes(take: () => boolean, times: number): boolean[] {
  return Array.from({ length: times }, take);
}

describe('rateLimiter', () => {
  it('allows the limit per key and window, then refuses until the window ends', () => {
    const limiter = rateLimiter(3, MINUTE);
    expect(takeTimes(() => limiter.take('ip:a', 0), 4)).toEqual([true, true, true, false]);
    expect(limiter.take('ip:b', 0)).toBe(true);
    expect(limiter.take('ip:a', MINUTE - 1)).toBe(false);
    expect(limiter.take('ip:a', MINUTE)).toBe(true);
  });

  it('gives each key its own window, so no moment resets everybody', () => {
    const limiter = rateLimiter(1, MINUTE);
    expect(limiter.take('ip:a', 0)).toBe(true);
    expect(limiter.take('ip:b', 30_000)).toBe(true);
    expect(limiter.take('ip:a', MINUTE)).toBe(true);
    expect(limiter.take('ip:b', MINUTE)).toBe(false);
  });

  it('needs every key within its limit, and counts nothing when one is spent', () => {
    const limiter = rateLimiter(2, MINUTE);
    expect(limiter.take(['ip:a', 'account:1'], 0)).toBe(true);
    expect(limiter.take(['ip:b', 'account:1'], 0)).toBe(true);
    // The account is spent: a third address gets nowhere with it, but keeps its own budget.
    expect(limiter.take(['ip:c', 'account:1'], 0)).toBe(false);
    expect(takeTimes(() => limiter.take(['ip:c', 'account:2'], 0), 3)).toEqual([true, true, false]);
  });

  it('does not reset a spent key when a flood of new keys fills the table', () => {
    const limiter = rateLimiter(30, MINUTE, 1000);
    takeTimes(() => limiter.take('ip:abuser', 0), 30);
    expect(limiter.take('ip:abuser', 1)).toBe(false);
    // 100,000 distinct IPv6 addresses, as in the review: the table holds 1,000.
    for (let i = 0; i < 100_000; i++) limiter.take(addressKey(`2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`), 2);
    expect(limiter.take('ip:abuser', 3)).toBe(false);
    expect(limiter.take('ip:abuser', MINUTE)).toBe(true);
  });

  it('forgets the least recently used key with budget left when full', () => {
    const limiter = rateLimiter(2, MINUTE, 2);
    limiter.take('ip:old', 0);
    limiter.take('ip:recent', 1);
    limiter.take('ip:old', 2); // spent now, so it stays
    expect(limiter.take('ip:new', 3)).toBe(true); // forgot ip:recent
    expect(limiter.take('ip:old', 4)).toBe(false);
    expect(takeTimes(() => limiter.take('ip:recent', 5), 3)).toEqual([true, true, false]);
  });

  it('refuses new keys rather than forget spent ones, until their windows end', () => {
    const limiter = rateLimiter(1, MINUTE, 2);
    limiter.take('ip:a', 0);
    limiter.take('ip:b', 0);
    expect(limiter.take('ip:c', 1)).toBe(false);
    expect(limiter.take('ip:a', 2)).toBe(false);
    expect(limiter.take('ip:c', MINUTE)).toBe(true);
  });

  it('gives one IPv6 /64 one budget', () => {
    const limiter = rateLimiter(3, MINUTE);
    const results = [1, 2, 3, 4].map((host) => limiter.take(addressKey(`2001:db8:7:7::${host}`), 0));
    expect(results).toEqual([true, true, true, false]);
  });
});
