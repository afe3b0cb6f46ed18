/**
 * Reading the five words of a link as a person typed or a chat mangled it: capitals, spaces,
 * `%20` or dashes instead of dots, a trailing `.` or `/`, a whole URL pasted, a word cut short
 * or misspelt. A pure function, used by the page a mistyped link lands on and by the form where
 * a person types the words. It only spells: whether the link exists is for the link's own page
 * to say.
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { RESET_TOKEN_WORDS } from './resetToken.js';

/** What some text comes to as link words. */
export type LinkWordsReading =
  /** Five recognised words: the token they spell (canonical form); `corrected` when a word was not spelt as in the list. */
  | { kind: 'token'; token: string; corrected: boolean }
  /** Three or more words recognised, but not five of them: those, in order. */
  | { kind: 'incomplete'; words: string[] }
  /** Nothing that looks like link words (two English words in a path are no link). */
  | { kind: 'none' };

/** BIP-39 English words are unique on their first four letters (the list was made so). */
const PREFIX_LENGTH = 4;
/** Fewer recognised words than this are more likely an ordinary path (`/no-such-page`) than part of a link. */
const MIN_WORDS_OF_A_LINK = 3;
const WORDS = new Set(wordlist);
const BY_PREFIX = new Map(wordlist.filter((word) => word.length >= PREFIX_LENGTH).map((word) => [word.slice(0, PREFIX_LENGTH), word]));

/**
 * Reads link words out of `text`: a path (`/auth/abandon.ability…`), a URL or words typed with
 * any separators. Each word is recognised by its first four letters, or else as the one list
 * word closest to it (at most one edit for short words, two for longer ones).
 * @example readLinkWords('/auth/Abandon.abilty.able.about.above.') // { kind: 'token', token: 'abandon.ability.able.about.above', corrected: true }
 */
export function readLinkWords(text: string): LinkWordsReading {
  const groups = wordsPart(text).match(/[a-z]+/g) ?? [];
  const words = groups.map(recogniseWord);
  const recognised = words.filter((word): word is string => word !== null);
  if (recognised.length === RESET_TOKEN_WORDS && words.length === RESET_TOKEN_WORDS) {
    return { kind: 'token', token: recognised.join('.'), corrected: recognised.some((word, i) => word !== groups[i]) };
  }
  return recognised.length >= MIN_WORDS_OF_A_LINK ? { kind: 'incomplete', words: recognised } : { kind: 'none' };
}

/**
 * The part of `text` that can hold the words: decoded, lower case, without a URL's scheme and
 * host (`localhost` would read as "local") nor the UI's `auth/` segment (it would read as "author").
 */
function wordsPart(text: string): string {
  return decodePercents(text)
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/, '')
    .replace(/^\/*auth(\/|$)/, '');
}

/** `%20` and friends as characters; a stray `%` stays (it separates words like any other non-letter). */
function decodePercents(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%[0-9a-f]{2}/gi, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  }
}

/** The list word `typed` stands for, or null when it cannot be told. */
export function recogniseWord(typed: string): string | null {
  if (WORDS.has(typed)) return typed;
  if (typed.length >= PREFIX_LENGTH) {
    const byPrefix = BY_PREFIX.get(typed.slice(0, PREFIX_LENGTH));
    if (byPrefix) return byPrefix;
  }
  // List words have three letters or more: a shorter scrap is too little to guess from.
  return typed.length >= 3 ? nearestWord(typed, typed.length > 4 ? 2 : 1) : null;
}

/** The one list word within `maxEdits` of `typed` that is closer than every other, or null. */
function nearestWord(typed: string, maxEdits: number): string | null {
  let best: string | null = null;
  let bestDistance = maxEdits + 1;
  let tied = false;
  for (const word of wordlist) {
    if (Math.abs(word.length - typed.length) > maxEdits) continue;
    const distance = editDistance(typed, word);
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
      tied = false;
    } else if (distance === bestDistance) {
      tied = true;
    }
  }
  return best !== null && !tied ? best : null;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b` (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}
