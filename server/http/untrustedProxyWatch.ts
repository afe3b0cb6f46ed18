/**
 * Notices requests that carry `X-Forwarded-For` from a peer that is not a
 * `--trusted-proxy`: almost always a proxy whose operator forgot the flag, so
 * every visitor shares the proxy's rate limits and connection cap, and sessions show its address.
 * It says so in the log (at most once per interval) and in the health endpoint.
 */
import type { TrustedProxyCheck } from './clientIp.js';

const HEADER = 'x-forwarded-for';
const LOG_INTERVAL_MS = 15 * 60_000;

export interface UntrustedProxySighting {
  /** The peer that sent `X-Forwarded-For`. */
  peer: string;
  /** When it last did, in ms. */
  lastSeen: number;
}

export interface UntrustedProxyWatch {
  /** Looks at one request's peer and raw headers (the `rawHeaders` name/value list: no header object is built). */
  observe(peer: string | undefined, rawHeaders: readonly string[]): void;
  /** The latest sighting since start, or null. */
  latest(): UntrustedProxySighting | null;
}

/**
 * @param options.isTrusted the `--trusted-proxy` check
 * @param options.now clock in ms
 * @param options.log where the warning goes (the service log's `warn` in production)
 * @example const watch = untrustedProxyWatch({ isTrusted, now: Date.now, log: (line) => services.log.warn(line) }); watch.observe(req.socket.remoteAddress, req.rawHeaders);
 */
export function untrustedProxyWatch(options: { isTrusted: TrustedProxyCheck; now: () => number; log: (line: string) => void }): UntrustedProxyWatch {
  let latest: UntrustedProxySighting | null = null;
  let loggedAt = -Infinity;
  return {
    observe(peer, rawHeaders) {
      if (peer === undefined || !hasHeader(rawHeaders, HEADER) || options.isTrusted(peer)) return;
      const now = options.now();
      latest = { peer, lastSeen: now };
      if (now - loggedAt < LOG_INTERVAL_MS) return;
      loggedAt = now;
      options.log(
        `passkey-auth: WARNING: requests from ${peer} carry X-Forwarded-For, but ${peer} is not a --trusted-proxy: ` +
          `every visitor behind it shares its rate limits and connection cap, and sessions show its address. ` +
          `If it is your proxy, start with --trusted-proxy ${peer} (this warning repeats at most every 15 minutes).`,
      );
    },
    latest: () => latest,
  };
}

/** Whether a raw header list names `lowerName`; the length test skips almost every other name cheaply. */
function hasHeader(rawHeaders: readonly string[], lowerName: string): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true;
  }
  return false;
}
