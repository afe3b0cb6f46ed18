import { describe, expect, it } from 'vitest';
import { isPublished, keyState, rotationSchedule, signerOf } from './keySchedule.js';
import { MAX_SIGNED_TOKEN_LIFETIME_S } from '../../shared/oidc.js';

const HOUR = 3_600_000;
const MAX_MS = MAX_SIGNED_TOKEN_LIFETIME_S * 1000;

describe('keyState', () => {
  const retiring = { signs_from: 0, retired_at: 10 * HOUR, published_until: 10 * HOUR + MAX_MS };
  it('walks next → signing → retired → expired', () => {
    expect(keyState({ signs_from: 5, retired_at: null, published_until: null }, 4)).toBe('next');
    expect(keyState(retiring, 10 * HOUR - 1)).toBe('signing');
    expect(keyState(retiring, 10 * HOUR)).toBe('retired');
    expect(keyState(retiring, 10 * HOUR + MAX_MS - 1)).toBe('retired');
    expect(keyState(retiring, 10 * HOUR + MAX_MS)).toBe('expired');
  });

  it('publishes every state but expired, the next key included', () => {
    expect(isPublished({ signs_from: 5, retired_at: null, published_until: null }, 0)).toBe(true);
    expect(isPublished(retiring, 10 * HOUR + MAX_MS - 1)).toBe(true);
    expect(isPublished(retiring, 10 * HOUR + MAX_MS)).toBe(false);
  });
});

describe('rotationSchedule and signerOf', () => {
  it('hands signing over at the end of the delay, per algorithm', () => {
    const { signsFrom, publishedUntil } = rotationSchedule(HOUR, 24 * HOUR, false);
    expect(signsFrom).toBe(25 * HOUR);
    expect(publishedUntil).toBe(25 * HOUR + MAX_MS);
    const keys = [
      { kid: 'new', alg: 'RS256' as const, signs_from: signsFrom, retired_at: null, published_until: null },
      { kid: 'old', alg: 'RS256' as const, signs_from: 0, retired_at: signsFrom, published_until: publishedUntil },
      { kid: 'ec', alg: 'ES256' as const, signs_from: 0, retired_at: null, published_until: null },
    ];
    expect(signerOf(keys, 'RS256', 25 * HOUR - 1)?.kid).toBe('old');
    expect(signerOf(keys, 'RS256', 25 * HOUR)?.kid).toBe('new');
    expect(signerOf(keys, 'ES256', 25 * HOUR)?.kid).toBe('ec');
    expect(signerOf(keys, 'EdDSA', 25 * HOUR)).toBeUndefined();
  });

  it('lets the first key of an algorithm sign at once', () => {
    expect(rotationSchedule(HOUR, 24 * HOUR, true).signsFrom).toBe(HOUR);
  });
});
