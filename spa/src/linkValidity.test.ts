import { describe, expect, it } from 'vitest';
import { ADMIN_LINK_LIFETIME_MS, DEVICE_LINK_LIFETIME_MS } from '../../shared/resetToken';
import { durationLabel, validFor } from './linkValidity';

const NOW = Date.parse('2026-11-30T09:00:00Z');

describe('durationLabel', () => {
  it('says a lifetime the same before and just after the link is made', () => {
    expect(durationLabel(ADMIN_LINK_LIFETIME_MS)).toBe('7 days');
    expect(durationLabel(ADMIN_LINK_LIFETIME_MS - 5_000)).toBe('7 days');
    expect(durationLabel(DEVICE_LINK_LIFETIME_MS)).toBe('1 hour');
    expect(durationLabel(DEVICE_LINK_LIFETIME_MS - 5_000)).toBe('1 hour');
  });

  it('rounds within the largest unit the time nearly fills', () => {
    expect(durationLabel(6.4 * 86_400_000)).toBe('6 days');
    expect(durationLabel(30 * 3_600_000)).toBe('1 day');
    expect(durationLabel(5 * 3_600_000)).toBe('5 hours');
    expect(durationLabel(40 * 60_000)).toBe('40 minutes');
    expect(durationLabel(10_000)).toBe('1 minute');
  });
});

describe('validFor', () => {
  it('words the time left until expiry', () => {
    expect(validFor(new Date(NOW + ADMIN_LINK_LIFETIME_MS - 1000).toISOString(), NOW)).toBe('valid for 7 days');
  });
});
