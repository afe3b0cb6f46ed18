import { describe, expect, it } from 'vitest';
import { foldForSearch } from './searchFold.js';

describe('foldForSearch', () => {
  it('drops case and accents', () => {
    expect(foldForSearch('Zoë ÅNGSTRÖM')).toBe('zoe angstrom');
    expect(foldForSearch('José Müller-Łukasz')).toBe('jose muller-łukasz');
  });

  it('keeps what is not a letter with marks, wildcards included', () => {
    expect(foldForSearch('ada.l_%@Example.COM')).toBe('ada.l_%@example.com');
    expect(foldForSearch('李小龍')).toBe('李小龍');
  });
});
