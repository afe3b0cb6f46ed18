/**
 * Reading an RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2-3): who asks
 * to end which sign-in, and where the browser may go afterwards. The browser is sent back only to a
 * `post_logout_redirect_uri` registered, exactly, for the client the request proves or names; a
 * request that proves nothing (no or an invalid `id_token_hint`, a `client_id` that contradicts it)
 * may still name a registered place to return to, but only after the person confirmed.
 */
import type { JWTPayload } from 'jose';
import type { OidcClient } from '../db/oidcClients.js';

/** What a verified `id_token_hint` says: whose sign-in (`sid`) ended at which app. */
export interface LogoutHint {
  sub: string;
  /** The sign-in (session) the ID token was issued in; null in an ID token without one. */
  sid: string | null;
  clientId: string;
}

export interface EndSessionRequest {
  /** The verified hint, or null (none, or not one of our ID tokens, or contradicted by `client_id`). */
  hint: LogoutHint | null;
  /** Where the browser goes after signing out: a registered URI with `state` added, or null for our own page. */
  returnTo: string | null;
  /** True when the request proves itself (a valid hint with a sign-in and a registered URI): sign out without asking. */
  proven: boolean;
}

/** How the request reaches our keys and clients. */
export interface EndSessionLookups {
  /** The ID token's claims when we signed it (expired or not), else null. */
  verifyIdToken(token: string): Promise<JWTPayload | null>;
  findClient(clientId: string): Promise<OidcClient | undefined>;
}

/** The hint's claims as a {@link LogoutHint}, or null when they are not those of our ID token. */
export function logoutHint(claims: JWTPayload | null): LogoutHint | null {
  if (!claims || typeof claims.sub !== 'string') return null;
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  // Our ID tokens have one audience, the client; `azp` names it too.
  if (audiences.length !== 1 || typeof audiences[0] !== 'string') return null;
  return { sub: claims.sub, sid: typeof claims.sid === 'string' ? claims.sid : null, clientId: audiences[0] };
}

/** `uri` with `state` added to its query (kept as it was when there is no state). */
export function withState(uri: string, state: string | undefined): string {
  if (state === undefined) return uri;
  const url = new URL(uri);
  url.searchParams.append('state', state);
  return url.toString();
}

/**
 * Reads the request's parameters (`id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`;
 * others, such as `logout_hint` and `ui_locales`, are ignored).
 */
export async function readEndSessionRequest(params: Readonly<Record<string, string>>, lookups: EndSessionLookups): Promise<EndSessionRequest> {
  const verified = params.id_token_hint ? logoutHint(await lookups.verifyIdToken(params.id_token_hint)) : null;
  // A client_id that is not the hint's audience: trust neither to pick where the browser goes.
  if (verified && params.client_id !== undefined && params.client_id !== verified.clientId) return { hint: null, returnTo: null, proven: false };
  const clientId = verified?.clientId ?? params.client_id;
  const client = clientId === undefined ? undefined : await lookups.findClient(clientId);
  const uri = params.post_logout_redirect_uri;
  const registered = client !== undefined && uri !== undefined && client.postLogoutRedirectUris.includes(uri);
  const returnTo = registered ? withState(uri, params.state) : null;
  return { hint: verified, returnTo, proven: verified !== null && verified.sid !== null && returnTo !== null };
}
