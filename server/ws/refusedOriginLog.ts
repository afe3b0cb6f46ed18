/**
 * Says in the log when a passkey ceremony was refused for its page's origin: almost always an
 * address missing from `--origin` (`127.0.0.1` for `localhost`, a proxy on another port), which
 * the browser reports to the page only as a failed WebSocket. Each origin is logged at most once
 * per 15 minutes, and all of them at most 10 times a minute, so a flood of made-up origins
 * cannot flood the log.
 */
import { formatOriginRule, type OriginRule } from '../config.js';
import { rateLimiter } from '../http/rateLimit.js';

const PER_ORIGIN_INTERVAL_MS = 15 * 60_000;
const MAX_ORIGINS_REMEMBERED = 1_000;
const MAX_LINES_PER_MINUTE = 10;
/** Longer Origin headers are cut in the log line: no real origin comes close. */
const MAX_LOGGED_LENGTH = 200;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * @param options.origins the configured origin rules, named in the log line
 * @param options.now clock in ms
 * @param options.log where the line goes (the service log's `warn` in production)
 * @returns a function to call with the `Origin` header of each refused upgrade
 * @example const noteRefusedOrigin = refusedOriginLog({ origins: config.origins, now: Date.now, log: (line) => services.log.warn(line) });
 */
export function refusedOriginLog(options: { origins: readonly OriginRule[]; now: () => number; log: (line: string) => void }): (origin: string | undefined) => void {
  const allowed = options.origins.map(formatOriginRule).join(', ');
  const perOrigin = rateLimiter(1, PER_ORIGIN_INTERVAL_MS, MAX_ORIGINS_REMEMBERED);
  const overall = rateLimiter(MAX_LINES_PER_MINUTE, 60_000, 1);
  return (origin) => {
    const now = options.now();
    const key = origin === undefined ? '' : origin.slice(0, MAX_LOGGED_LENGTH);
    if (!perOrigin.take(key, now) || !overall.take('all', now)) return;
    const page = origin === undefined ? 'without an Origin header (not a browser page)' : `from a page at ${JSON.stringify(key)}`;
    // Only a well-formed origin is worth adding; a fix is offered for nothing else.
    const fix = origin !== undefined && ORIGIN.test(origin) ? ` If that is an address of yours, start with --origin ${origin}, or open the page at an allowed origin.` : '';
    options.log(`passkey-auth: refused a passkey ceremony ${page}: not an allowed origin (allowed: ${allowed}).${fix} (Logged at most every 15 minutes per origin.)`);
  };
}
