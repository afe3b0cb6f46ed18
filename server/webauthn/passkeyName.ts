/**
 * The name a new passkey gets, so that a person can tell their passkeys apart before they rename
 * any: the authenticator's product name when its AAGUID is listed, else the browser and system that
 * registered it, else "Passkey"; made distinct among the person's passkeys with " (2)", " (3)", ….
 */
import { DISPLAY_NAME_MAX } from '../../shared/api.js';
import { describeUserAgent } from '../../shared/userAgent.js';
import { authenticatorName } from './authenticatorName.js';

/** The name when nothing is known about the authenticator or the browser. */
export const GENERIC_PASSKEY_NAME = 'Passkey';

/** What registration knows about a new passkey. */
export interface NewPasskeyFacts {
  aaguid: string;
  /** The User-Agent of the registering request. */
  userAgent: string;
}

/** Names that differ only by letter case are the same name to a reader. */
export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** `text` cut to `max` characters, with an ellipsis for the loose end (no dangling space or dash before it). */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const characters = [...text];
  while (characters.join('').length > max - 1) characters.pop();
  return `${characters.join('').replace(/[\s\p{P}]+$/u, '')}…`;
}

/**
 * `base`, or `base (2)`, `base (3)`, … : the first that none of `taken` equals (ignoring case),
 * each within `max` characters (the base is shortened to make room for its number).
 */
export function distinctName(base: string, taken: readonly string[], max = DISPLAY_NAME_MAX): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const candidate = shorten(base, max - suffix.length) + suffix;
    if (!taken.some((name) => sameName(name, candidate))) return candidate;
  }
}

/** The name of a newly registered passkey, distinct from the `taken` names of the person's other passkeys. */
export function newPasskeyName(facts: NewPasskeyFacts, taken: readonly string[]): string {
  const base = authenticatorName(facts.aaguid) ?? describeUserAgent(facts.userAgent) ?? GENERIC_PASSKEY_NAME;
  return distinctName(base, taken);
}
