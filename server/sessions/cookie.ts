/**
 * The session cookie. `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax, Path=/
 * on every host except local development names (localhost, *.localhost and
 * loopback addresses), where browsers allow plain http and the prefix cannot be used.
 * Routes read and write it with hono/cookie; forward auth reads it with {@link readSessionToken}.
 */
import type { CookieOptions } from 'hono/utils/cookie';

export const SECURE_COOKIE_NAME = '__Host-passkey-auth';
export const LOCAL_COOKIE_NAME = 'passkey-auth';
/** The CSRF cookie sent with every session cookie (server/http/csrfToken.ts); readable by the page's scripts. */
export const SECURE_CSRF_COOKIE_NAME = '__Host-passkey-auth-csrf';
export const LOCAL_CSRF_COOKIE_NAME = 'passkey-auth-csrf';

/** Hosts where plain-http development is allowed (a Secure cookie would not be stored over http). */
export function isLocalDevHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

/** The cookie name used on `host` (lower case, without port). Only that name is read there. */
export function cookieNameFor(host: string): string {
  return isLocalDevHost(host) ? LOCAL_COOKIE_NAME : SECURE_COOKIE_NAME;
}

/** The CSRF cookie's name on `host`. */
export function csrfCookieNameFor(host: string): string {
  return isLocalDevHost(host) ? LOCAL_CSRF_COOKIE_NAME : SECURE_CSRF_COOKIE_NAME;
}

/** The session cookie's attributes on `host`, for hono/cookie's `setCookie` / `deleteCookie`. */
export function sessionCookieOptions(host: string): CookieOptions {
  return { path: '/', httpOnly: true, sameSite: 'Lax', secure: !isLocalDevHost(host) };
}

/** The CSRF cookie's attributes: the session cookie's, but readable by scripts (they copy it into a header). */
export function csrfCookieOptions(host: string): CookieOptions {
  return { ...sessionCookieOptions(host), httpOnly: false };
}

/**
 * Finds the session token in a Cookie header for a request to `host` (lower case,
 * without port: what `hostWithoutPort` gives). Hand-rolled (no per-cookie allocation)
 * because forward auth runs it on every proxied request.
 */
export function readSessionToken(cookieHeader: string | undefined, host: string): string | null {
  if (!cookieHeader) return null;
  const name = cookieNameFor(host);
  let start = 0;
  while (start < cookieHeader.length) {
    while (cookieHeader.charCodeAt(start) === 32) start++;
    let end = cookieHeader.indexOf(';', start);
    if (end === -1) end = cookieHeader.length;
    if (cookieHeader.startsWith(name, start) && cookieHeader.charCodeAt(start + name.length) === 61 /* = */) {
      const value = cookieHeader.slice(start + name.length + 1, end).trim();
      return value === '' ? null : value;
    }
    start = end + 1;
  }
  return null;
}
