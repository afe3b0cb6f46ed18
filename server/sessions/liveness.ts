/**
 * The one rule for whether a session still counts. Every lookup applies it: the
 * session service (cookie → session row), forward auth and validate (cookie →
 * cached identity), and the lists of a person's sessions.
 */

/** Whether a session with this expiry has lapsed at `now` (the sweeper deletes exactly these, in SQL). */
export function hasLapsed(expiresAt: number, now: number): boolean {
  return expiresAt <= now;
}

/** Whether a session signs in a request to `host` at `now`: not lapsed, and bound to that very host. */
export function isLiveOn(session: { readonly expiresAt: number; readonly host: string }, host: string, now: number): boolean {
  return !hasLapsed(session.expiresAt, now) && session.host === host;
}
