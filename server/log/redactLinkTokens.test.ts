import { describe, expect, it } from 'vitest';
import { redactLinkTokens } from './redactLinkTokens.js';

describe('redactLinkTokens', () => {
  it('replaces a path segment that is a link token, in any case or encoding', () => {
    expect(redactLinkTokens('/abandon.ability.able.about.above')).toBe('/[link]');
    expect(redactLinkTokens('/auth/Abandon.Ability.Able.About.Above?x=1')).toBe('/auth/[link]?x=1');
    expect(redactLinkTokens('/auth/abandon%2Eability.able.about.above')).toBe('/auth/[link]');
  });

  it('leaves other paths and every query alone', () => {
    expect(redactLinkTokens('/reports/2026.11.30')).toBe('/reports/2026.11.30');
    expect(redactLinkTokens('/auth/abandon.ability.able.about')).toBe('/auth/abandon.ability.able.about');
    expect(redactLinkTokens('/%E0%A4%A')).toBe('/%E0%A4%A');
    expect(redactLinkTokens('/q?t=abandon.ability.able.about.above')).toBe('/q?t=abandon.ability.able.about.above');
  });
});
