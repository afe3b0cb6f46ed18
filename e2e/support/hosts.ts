/**
 * Host names the browser tests use, and how Chromium resolves them.
 *
 * Dedicated mode needs two hosts under one RP ID, in a secure context over plain http, with a
 * cookie the server may set without `Secure`: that means names under `localhost`. The RP ID
 * cannot be `localhost` itself: Chromium treats `localhost` as a bare top-level domain, so a
 * page at `http://app.localhost` may not claim it ("The relying party ID is not a registrable
 * domain suffix of, nor equal to the current domain"). `example.localhost` is a registrable
 * domain, so `auth.example.localhost` and `app.example.localhost` can both claim it.
 */

/** WebAuthn RP ID of the dedicated-mode server. */
export const DEDICATED_RP_ID = 'example.localhost';
/** The dedicated auth host (without port). */
export const AUTH_HOST = `auth.${DEDICATED_RP_ID}`;
/** An app host protected by the dedicated auth host (without port). */
export const APP_HOST = `app.${DEDICATED_RP_ID}`;
/** A host under the RP ID that is not among the server's `--origin`s. */
export const STRANGER_HOST = `stranger.${DEDICATED_RP_ID}`;

/** A host outside `localhost` names: over plain http it is no secure context, so WebAuthn is missing there. */
export const PLAIN_HTTP_HOST = 'plain-http.test';

/**
 * Chromium's `--host-resolver-rules`: every test host goes to the loopback address the test
 * servers listen on (Chromium would otherwise try `::1` first for `localhost` names).
 */
export const HOST_RESOLVER_RULES = ['localhost', AUTH_HOST, APP_HOST, STRANGER_HOST, PLAIN_HTTP_HOST].map((host) => `MAP ${host} 127.0.0.1`).join(', ');
