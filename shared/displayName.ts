/**
 * The rule for display names (people, organisations, roles, permissions), shared by the
 * server, which enforces it, and the SPA, which says it before sending. A name is shown to
 * other people, often beside the page's own text, so it must be visible text only: a
 * right-to-left override in a name reversed the text that followed it on the page.
 */
import { DISPLAY_NAME_MAX } from './api.js';

/** Half of a UTF-16 pair without its other half: not text, and invalid UTF-8 once stored. */
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;
/** Marks and embeddings, overrides and isolates that change the direction of the text around them. */
const DIRECTION = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/**
 * Characters that show nothing: zero-width space, word joiner and invisible operators, soft
 * hyphen, Hangul fillers, deprecated format controls, the BOM, interlinear annotations and the
 * tag characters that can smuggle hidden text. Zero-width (non-)joiners stay allowed: scripts
 * such as Persian and Devanagari and emoji sequences need them.
 */
const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B\u2060-\u2064\u206A-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export type DisplayNameCheck = { ok: true; name: string } | { ok: false; problem: string };

/**
 * Tidies a display name (trimmed, each run of white space one space) and checks it.
 * `problem` completes the sentence "Display name …".
 */
export function checkDisplayName(input: string): DisplayNameCheck {
  const name = input.trim().replace(/\s+/g, ' ');
  const refuse = (problem: string): DisplayNameCheck => ({ ok: false, problem });
  if (name.length === 0 || name.length > DISPLAY_NAME_MAX) return refuse(`must be 1 to ${DISPLAY_NAME_MAX} characters`);
  if (LONE_SURROGATE.test(name)) return refuse('holds a broken character (half of a UTF-16 surrogate pair)');
  if (CONTROL.test(name)) return refuse('must not hold control characters');
  if (DIRECTION.test(name)) return refuse('must not hold text-direction controls (such as U+202E), which can reorder the text around it');
  if (INVISIBLE.test(name)) return refuse('must not hold invisible characters (such as U+200B, a zero-width space)');
  if (!VISIBLE.test(name)) return refuse('must hold a letter, digit or symbol');
  return { ok: true, name };
}

/** The tidied name, or null when {@link checkDisplayName} refuses it. */
export function normaliseDisplayName(input: string): string | null {
  const checked = checkDisplayName(input);
  return checked.ok ? checked.name : null;
}
