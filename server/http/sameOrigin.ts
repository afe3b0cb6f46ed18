/**
 * Cross-site request forgery defence for state-changing requests. A browser names the page
 * that sent a request in `Origin`; it must be one of the allowed origins (`--origin`, matched
 * by scheme, host and port exactly as the passkey ceremonies match them), else 403.
 *
 * The request's own `Host` plays no part: a page can hold a session only by running a ceremony,
 * and ceremonies run only from allowed origins, so no legitimate page is left out; and `Host`
 * cannot tell an `http://` page from the `https://` one behind a TLS proxy.
 *
 * Without `Origin`, a `Sec-Fetch-Site` other than `same-origin`/`none` is refused too. Requests
 * with neither header do not come from a browser page (curl, a proxy) and carry no ambient
 * authority to abuse, so they pass.
 */
import type { MiddlewareHandler } from 'hono';
import type { OriginRule } from '../config.js';
import { allowedOrigin } from '../webauthn/origins.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Methods that only read: no CSRF defence applies to them. */
export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method);

/** True when a request with these headers may change state. */
export function isSameOriginRequest(origin: string | undefined, secFetchSite: string | undefined, origins: readonly OriginRule[]): boolean {
  if (origin !== undefined) return allowedOrigin(origin, origins) !== null;
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

/**
 * Refuses state-changing requests from pages outside the allowed origins with 403.
 * @param origins the configured origin rules (`config.origins`)
 * @example app.use('/auth/api/*', sameOrigin(config.origins))
 */
export const sameOrigin = (origins: readonly OriginRule[]): MiddlewareHandler =>
  async function sameOriginCheck(c, next) {
    if (isSafeMethod(c.req.method)) return next();
    if (!isSameOriginRequest(c.req.header('origin'), c.req.header('sec-fetch-site'), origins)) {
      return c.json({ detail: 'Cross-site request refused: this endpoint only accepts requests from its own site' }, 403);
    }
    return next();
  };
