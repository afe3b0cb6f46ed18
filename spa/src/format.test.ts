import { describe, expect, it } from 'vitest';
import { countLabel, isolate, relativeTime } from './format';

// The wording is the runtime locale's; what these check is the unit and the count chosen.
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const NOW = Date.parse('2026-06-15T12:00:00Z');
const at = (secondsFromNow: number) => new Date(NOW + secondsFromNow * 1000).toISOString();

describe('relativeTime', () => {
  it('says "now" for anything under a minute, either way', () => {
    expect(relativeTime(at(0), NOW)).toBe(relative.format(0, 'second'));
    expect(relativeTime(at(-59), NOW)).toBe(relative.format(0, 'second'));
    expect(relativeTime(at(59), NOW)).toBe(relative.format(0, 'second'));
  });

  it('uses the largest whole unit, rounding towards zero', () => {
    expect(relativeTime(at(-60), NOW)).toBe(relative.format(-1, 'minute'));
    expect(relativeTime(at(-5 * 60 - 59), NOW)).toBe(relative.format(-5, 'minute'));
    expect(relativeTime(at(2 * 3600 + 10), NOW)).toBe(relative.format(2, 'hour'));
    expect(relativeTime(at(-86_400 * 6), NOW)).toBe(relative.format(-6, 'day'));
    expect(relativeTime(at(86_400 * 7), NOW)).toBe(relative.format(1, 'week'));
    expect(relativeTime(at(-86_400 * 45), NOW)).toBe(relative.format(-1, 'month'));
    expect(relativeTime(at(86_400 * 800), NOW)).toBe(relative.format(2, 'year'));
  });
});

describe('countLabel', () => {
  it('uses the singular for exactly one, the plural otherwise', () => {
    expect(countLabel(1, 'user')).toBe('1 user');
    expect(countLabel(0, 'user')).toBe('0 users');
    expect(countLabel(3, 'user')).toBe('3 users');
    expect(countLabel(2, 'passkey', 'passkeys')).toBe('2 passkeys');
    expect(countLabel(2, 'entry', 'entries')).toBe('2 entries');
  });
});
