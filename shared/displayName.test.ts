import { describe, expect, it } from 'vitest';
import { checkDisplayName, normaliseDisplayName } from './displayName.js';

describe('checkDisplayName', () => {
  it('trims and joins white space, and keeps names in any script', () => {
    for (const [input, name] of [
      ['  Ada   Lovelace ', 'Ada Lovelace'],
      ['José Müller', 'José Müller'],
      ['محمد علي', 'محمد علي'],
      ['מרים', 'מרים'],
      ['می\u200Cخواهم', 'می\u200Cخواهم'], // Persian with a zero-width non-joiner
      ['क्\u200Dष', 'क्\u200Dष'], // Devanagari with a zero-width joiner
      ['Team 👩\u200D💻', 'Team 👩\u200D💻'], // an emoji ZWJ sequence
      ['x'.repeat(64), 'x'.repeat(64)],
    ]) {
      expect(checkDisplayName(input!)).toEqual({ ok: true, name });
    }
  });

  it.each([
    ['empty', '   ', /1 to 64 characters/],
    ['too long', 'x'.repeat(65), /1 to 64 characters/],
    ['a control character', 'a\u0000b', /control characters/],
    ['a right-to-left override', 'Ada\u202Egnp.exe', /text-direction controls/],
    ['a left-to-right override', '\u202DAda', /text-direction controls/],
    ['an embedding', 'A\u202Bda', /text-direction controls/],
    ['an isolate', 'Ada\u2067x\u2069', /text-direction controls/],
    ['a right-to-left mark', 'Ada\u200F', /text-direction controls/],
    ['an Arabic letter mark', 'Ada\u061C', /text-direction controls/],
    ['a zero-width space', 'Ad\u200Ba', /invisible characters/],
    ['a word joiner', 'Ad\u2060a', /invisible characters/],
    ['a soft hyphen', 'Ad\u00ADa', /invisible characters/],
    ['a Hangul filler', '\u3164', /invisible characters/],
    ['tag characters', 'Ada\u{E0041}\u{E0042}', /invisible characters/],
    ['a lone high surrogate', 'Ada\uD83D', /broken character/],
    ['a lone low surrogate', '\uDC00Ada', /broken character/],
    ['only joiners', '\u200D\u200C', /letter, digit or symbol/],
  ])('refuses %s', (_, input, problem) => {
    const checked = checkDisplayName(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
    expect(normaliseDisplayName(input)).toBeNull();
  });
});
