import { DISPLAY_NAME_MAX } from './api.js';

/** Trims a display name; null when it is empty, too long, or holds control characters. */
export function normaliseDisplayName(input: string): string | null {
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > DISPLAY_NAME_MAX || /\p{Cc}/u.test(name)) return null;
  return name;
}
