/**
 * How long a link stays valid, in one wording everywhere: "valid for 7 days" before it is made,
 * just after, and in the list of open links (not "expires in 6 days" a second later).
 */
import { countLabel } from './format';

const UNITS: [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
/** A link made a moment ago has a little less than its lifetime left: that still counts as the whole unit. */
const ALMOST_WHOLE = 0.98;

/** "7 days", "1 hour", "40 minutes": the largest unit the time nearly fills, rounded. */
export function durationLabel(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms >= size * ALMOST_WHOLE) ?? ['minute', 60_000];
  return countLabel(Math.max(1, Math.round(ms / size)), unit);
}

/** "valid for 7 days", for a link expiring at `expiresAt`. */
export function validFor(expiresAt: string, now: number): string {
  return `valid for ${durationLabel(Date.parse(expiresAt) - now)}`;
}
