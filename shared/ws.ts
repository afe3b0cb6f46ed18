/**
 * The passkey ceremonies' WebSocket protocol, shared by server and SPA.
 *
 * One ceremony per connection:
 *   client connects, sends `start` (a register socket's carries the link token, if any)
 *   server sends     `options`
 *   client sends     `response` (the browser's credential, JSON-encoded)
 *   server sends     `success` (with a single-use exchange code) and closes 1000,
 *                    or `error` and closes with one of {@link CLOSE}.
 * A server that shuts down closes every open ceremony with 1001 and no message first.
 * Any other message, a second `start` or `response`, or silence past the timeout ends the socket.
 * The URL takes no query string: proxies log URLs, so a link token never travels in one.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

export const WS_PATHS = {
  authenticate: '/auth/ws/authenticate',
  register: '/auth/ws/register',
} as const;

export type CeremonyKind = keyof typeof WS_PATHS;

/** Close codes; 4xxx mirror HTTP statuses so a log reader knows them at once. */
export const CLOSE = {
  done: 1000,
  /** The server is shutting down (WebSocket's "going away"); try again once it is back. */
  shuttingDown: 1001,
  tooBig: 1009,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  timeout: 4408,
  conflict: 4409,
  rateLimited: 4429,
  internal: 4500,
} as const;

/** How long a ceremony may take from connection to response. */
export const CEREMONY_TIMEOUT_MS = 120_000;

export type ServerMessage =
  | { type: 'options'; ceremony: 'authenticate'; options: PublicKeyCredentialRequestOptionsJSON; reauth: boolean }
  | { type: 'options'; ceremony: 'register'; options: PublicKeyCredentialCreationOptionsJSON; user: { id: string; displayName: string } }
  | { type: 'success'; code: string; user: { id: string; displayName: string }; credentialId: string }
  | { type: 'error'; detail: string; code: ErrorCode };

/** Machine-readable reason in an `error` message (the close code says the class). */
export type ErrorCode =
  | 'bad_message'
  | 'unknown_credential'
  | 'verification_failed'
  | 'token_invalid'
  | 'reauth_required'
  | 'account_host_only'
  | 'credential_exists'
  | 'timeout'
  | 'rate_limited'
  | 'internal';

/** The client's first frame; `token` (a reset, device or bootstrap link's) only on a register socket. */
export type StartMessage = { type: 'start'; token?: string };

export type ClientMessage =
  | StartMessage
  | { type: 'response'; response: AuthenticationResponseJSON }
  | { type: 'response'; response: RegistrationResponseJSON };
