/**
 * Reset and device-addition tokens: five words from the BIP-39 English list
 * joined by dots (2048^5 ≈ 2^55 possibilities). The list was designed for
 * people copying words by hand: short, common, no two sharing their first
 * four letters, so a token is easy to type from a phone screen.
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const RESET_TOKEN_WORDS = 5;

/** What a token is for: `bootstrap` (the first admin's passkey), `device` (add a device), `reset` (lost passkeys). */
export type ResetTokenKind = 'bootstrap' | 'device' | 'reset';

/** Device links a person makes for themselves are used at once: an hour. */
export const DEVICE_LINK_LIFETIME_MS = 60 * 60 * 1000;
/** Registration links an admin makes travel by mail or chat: a week. */
export const ADMIN_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const WORDS = new Set(wordlist);

/** Normalises what a person typed (phone keyboards capitalise) to the canonical form. */
export function normaliseResetToken(token: string): string {
  return token.trim().toLowerCase();
}

/**
 * Decides whether a path segment is a well-formed reset token. The one
 * place that answers this question, for routing and for the API alike.
 */
export function isResetToken(segment: string): boolean {
  const words = normaliseResetToken(segment).split('.');
  return words.length === RESET_TOKEN_WORDS && words.every((word) => WORDS.has(word));
}

/** Builds a token from random numbers, one per word: 16-bit values keep it unbiased (2048 divides 65536). */
export function resetTokenFromRandom(random: ArrayLike<number>): string {
  const words: string[] = [];
  for (let i = 0; i < RESET_TOKEN_WORDS; i++) words.push(wordlist[(random[i] ?? 0) % wordlist.length]!);
  return words.join('.');
}
