/**
 * Double-submit CSRF token, for clients that name no page: a state-changing request that carries
 * our CSRF cookie but neither `Origin` nor `Sec-Fetch-Site` (an old browser, a web view, a cookie-jar
 * script) must repeat the cookie's value in `X-CSRF-Token`. A cross-site form can make a browser send
 * the cookie, never read it into a header. Requests that name their page keep the Origin check of
 * ./sameOrigin.ts, which runs before this; requests without the cookie carry no browser session of ours
 * (every session cookie is sent with its CSRF cookie: ./requestSession.ts) and pass as before.
 *
 * The token is an HMAC of the session token, so it is bound to the session: a cookie planted from a
 * sibling host, or left from an earlier session, does not match. It reveals nothing of the session token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppContext } from '../services.js';
import { cookieNameFor, csrfCookieNameFor } from '../sessions/cookie.js';
import { isSafeMethod } from './sameOrigin.js';

export const CSRF_HEADER = 'X-CSRF-Token';
const HMAC_LABEL = 'passkey-auth csrf';

/** The CSRF token of the session with this token (43 base64url characters). */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update(HMAC_LABEL).digest('base64url');
}

/** Compares two tokens in constant time (their length, 43 characters when well-formed, is no secret). */
export function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a state-changing request without `Origin` and `Sec-Fetch-Site` passes: it carries no CSRF
 * cookie, or a header equal to the cookie, which (with a session cookie) is that session's token.
 */
export function passesCsrfCheck(cookies: { csrf: string | undefined; session: string | undefined }, header: string | undefined): boolean {
  if (cookies.csrf === undefined) return true;
  if (header === undefined || !sameToken(header, cookies.csrf)) return false;
  return cookies.session === undefined || sameToken(cookies.csrf, csrfTokenFor(cookies.session));
}

/**
 * Refuses with 403 a state-changing request that names no page and fails {@link passesCsrfCheck}.
 * @param hostOf the request's host, lower case, without port (`services.hostOf`): it picks the cookie names
 * @example app.use('/auth/api/*', sameOrigin(config.origins), csrfToken(services.hostOf))
 */
export const csrfToken = (hostOf: (c: AppContext) => string): MiddlewareHandler =>
  async function csrfTokenCheck(c, next) {
    if (isSafeMethod(c.req.method)) return next();
    // A page named itself: the Origin check has judged it.
    if (c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined) return next();
    const host = hostOf(c);
    const cookies = { csrf: getCookie(c, csrfCookieNameFor(host)), session: getCookie(c, cookieNameFor(host)) };
    if (!passesCsrfCheck(cookies, c.req.header(CSRF_HEADER))) {
      return c.json({ detail: `CSRF token missing or wrong: send the value of the ${csrfCookieNameFor(host)} cookie in the ${CSRF_HEADER} header` }, 403);
    }
    return next();
  };
