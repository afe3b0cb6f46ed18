import { describe, expect, it } from 'vitest';
import { serialize } from 'hono/utils/cookie';
import { cookieNameFor, readSessionToken, sessionCookieOptions } from './cookie.js';

/** The Set-Cookie value hono/cookie writes for a session cookie on `host`. */
const sessionCookie = (host: string, token: string, maxAge: number) => serialize(cookieNameFor(host), token, { ...sessionCookieOptions(host), maxAge });

describe('session cookie', () => {
  it('is __Host- prefixed and Secure on real hosts, plain on local development hosts', () => {
    expect(sessionCookie('app.example.com', 'tok', 60)).toBe('__Host-passkey-auth=tok; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(sessionCookie('auth.localhost', 'tok', 60)).toBe('passkey-auth=tok; Max-Age=60; Path=/; HttpOnly; SameSite=Lax');
  });

  it('reads only the name that belongs to the host', () => {
    const header = 'a=1; passkey-auth=local; __Host-passkey-auth=secure; z=9';
    expect(readSessionToken(header, 'app.example.com')).toBe('secure');
    expect(readSessionToken(header, 'localhost')).toBe('local');
    // A cookie tossed from a sibling subdomain cannot carry the __Host- prefix, so it is ignored.
    expect(readSessionToken('passkey-auth=tossed', 'app.example.com')).toBeNull();
    expect(readSessionToken('passkey-auth-x=1; xpasskey-auth=2', 'localhost')).toBeNull();
    expect(readSessionToken('passkey-auth=', 'localhost')).toBeNull();
    expect(readSessionToken(undefined, 'localhost')).toBeNull();
  });
});
