/**
 * Cross-site request forgery defence for state-changing requests: a browser
 * request whose `Origin` (or, lacking it, `Sec-Fetch-Site`) shows another site is
 * refused with 403. Requests without either header do not come from a browser
 * page (curl, a proxy) and carry no ambient authority to abuse, so they pass.
 */
import type { MiddlewareHandler } from 'hono';
import { hostWithoutPort } from '../../shared/host.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when a request with these headers may change state. */
export function isSameOriginRequest(origin: string | undefined, secFetchSite: string | undefined, hostHeader: string | undefined): boolean {
  if (origin !== undefined) {
    if (origin === 'null') return false;
    try {
      // Ports are ignored as cookies ignore them: a port gives no isolation worth defending here.
      return new URL(origin).hostname.toLowerCase() === hostWithoutPort(hostHeader ?? '');
    } catch {
      return false;
    }
  }
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

/** Middleware refusing cross-site state-changing requests. */
export const sameOrigin = (): MiddlewareHandler =>
  async function sameOriginCheck(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (!isSameOriginRequest(c.req.header('origin'), c.req.header('sec-fetch-site'), c.req.header('host'))) {
      return c.json({ detail: 'Cross-site request refused: this endpoint only accepts requests from its own site' }, 403);
    }
    return next();
  };
