import { describe, expect, it } from 'vitest';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { editDistance, readLinkWords, recogniseWord } from './linkWords.js';
import { isResetToken } from './resetToken.js';

const TOKEN = 'abandon.ability.collect.zebra.about';

describe('readLinkWords', () => {
  it.each([
    ['the token itself', TOKEN],
    ['a path under /auth/', `/auth/${TOKEN}`],
    ['a path at the root of the auth host', `/${TOKEN}`],
    ['a whole URL pasted', `https://localhost:4401/auth/${TOKEN}`],
    ['capitals from a phone keyboard', 'Abandon.Ability.COLLECT.zebra.About'],
    ['a trailing dot from the end of a sentence', `${TOKEN}.`],
    ['a trailing slash', `/auth/${TOKEN}/`],
    ['spaces instead of dots', 'abandon ability collect zebra about'],
    ['%20 instead of dots', '/auth/abandon%20ability%20collect%20zebra%20about'],
    ['dashes and commas', 'abandon-ability, collect - zebra,about'],
    ['surrounding punctuation from chat', `(${TOKEN}).`],
    ['a misspelt word', '/auth/abandon.ability.colect.zebra.about'],
    ['a word cut short after four letters', 'aban.abil.coll.zebr.abou'],
    ['two letters swapped', 'abandon.ability.colelct.zebra.about'],
    ['a stray percent sign', 'abandon%20ability%%20collect%20zebra%20about'],
  ])('recognises %s', (_, text) => {
    expect(readLinkWords(text)).toMatchObject({ kind: 'token', token: TOKEN });
  });

  it('says when it changed the spelling of a word, not when it only dropped separators and capitals', () => {
    expect(readLinkWords('Abandon ability COLLECT zebra about.')).toEqual({ kind: 'token', token: TOKEN, corrected: false });
    expect(readLinkWords('abandon ability colect zebra about')).toEqual({ kind: 'token', token: TOKEN, corrected: true });
    expect(readLinkWords('aban abil coll zebr abou')).toEqual({ kind: 'token', token: TOKEN, corrected: true });
  });

  it('spells a token the link page accepts', () => {
    const reading = readLinkWords('Abandon abilty colect zebra about.');
    expect(reading.kind === 'token' && isResetToken(reading.token)).toBe(true);
  });

  it('keeps the words it recognised when one is missing or unreadable', () => {
    expect(readLinkWords('/auth/abandon.ability.zebra.about')).toEqual({ kind: 'incomplete', words: ['abandon', 'ability', 'zebra', 'about'] });
    expect(readLinkWords('abandon.ability.qqq.zebra.about')).toEqual({ kind: 'incomplete', words: ['abandon', 'ability', 'zebra', 'about'] });
    expect(readLinkWords(`${TOKEN}.zebra`)).toEqual({ kind: 'incomplete', words: [...TOKEN.split('.'), 'zebra'] });
  });

  it('does not read the auth segment or the host as words', () => {
    expect(readLinkWords('/auth/')).toEqual({ kind: 'none' });
    expect(readLinkWords('http://localhost/auth')).toEqual({ kind: 'none' });
    expect(readLinkWords('')).toEqual({ kind: 'none' });
    expect(readLinkWords('/auth/123/456')).toEqual({ kind: 'none' });
  });

  it('takes fewer than three recognised words for an ordinary path, not a link', () => {
    expect(readLinkWords('/auth/no-such-page')).toEqual({ kind: 'none' });
    expect(readLinkWords('abandon.ability')).toEqual({ kind: 'none' });
    expect(readLinkWords('abandon.ability.zebra')).toEqual({ kind: 'incomplete', words: ['abandon', 'ability', 'zebra'] });
  });
});

describe('recogniseWord', () => {
  it('knows every list word by itself and by its first four letters', () => {
    for (const word of wordlist) {
      expect(recogniseWord(word)).toBe(word);
      if (word.length >= 4) expect(recogniseWord(`${word.slice(0, 4)}x`)).toBe(word);
    }
  });

  it('refuses to guess between equally close words', () => {
    // "bal" is one edit from "ball" and "bag"...: no single answer.
    expect(recogniseWord('bal')).toBeNull();
    expect(recogniseWord('no')).toBeNull();
    expect(recogniseWord('xyzzyq')).toBeNull();
  });
});

describe('editDistance', () => {
  it('counts inserts, deletes, replacements and swaps of neighbours', () => {
    expect(editDistance('collect', 'collect')).toBe(0);
    expect(editDistance('colect', 'collect')).toBe(1);
    expect(editDistance('colelct', 'collect')).toBe(1);
    expect(editDistance('cat', 'dog')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
