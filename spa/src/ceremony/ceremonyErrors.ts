/**
 * Every way a passkey ceremony can fail, turned into a {@link CeremonyError} whose message a
 * person can act on (spa/src/errorMessage.ts shows it). Raw errors go to the console for whoever debugs.
 */
import { WebAuthnError, browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { CLOSE, type CeremonyKind, type ErrorCode } from '../../../shared/ws';
import { GENERIC_ERROR } from '../errorMessage';
import { CeremonyError } from './CeremonyError';

const UNREACHABLE = 'Cannot reach the sign-in service. Check your connection and try again.';
const CONNECTION_LOST = 'The connection to the sign-in service was lost. Try again.';
const TIMED_OUT = 'The passkey request took too long. Try again.';
const RATE_LIMITED = 'Too many attempts. Wait a minute, then try again.';
const SHUTTING_DOWN = 'The sign-in service is restarting. Try again in a moment.';
/** A page that registers offers "Sign in with it instead" as a link beside this (reason `credential_exists`). */
const ALREADY_REGISTERED = 'This device already has a passkey for this account.';
export const ALREADY_REGISTERED_REASON = 'credential_exists' satisfies ErrorCode;

const CANCELLED: Record<CeremonyKind, string> = {
  authenticate: 'Sign-in was cancelled or timed out, or this device has no passkey for this site.',
  register: 'Creating the passkey was cancelled or timed out.',
};

/** Server `error` codes whose wording the page sets itself; the rest use the server's detail. */
const SERVER_MESSAGES: Partial<Record<ErrorCode, string>> = {
  unknown_credential: 'This passkey is not registered here (it may have been deleted). Try another passkey.',
  credential_exists: ALREADY_REGISTERED,
  token_invalid: 'This link has expired or was already used.',
  timeout: TIMED_OUT,
  rate_limited: RATE_LIMITED,
};

/** The server sent `{ type: 'error' }`. */
export function serverError(detail: string, code: ErrorCode): CeremonyError {
  return new CeremonyError(SERVER_MESSAGES[code] ?? detail, { reason: code });
}

/** The socket closed before the ceremony finished. */
export function closeError(code: number, opened: boolean): CeremonyError {
  if (!opened) return new CeremonyError(UNREACHABLE, { reason: 'unreachable' });
  if (code === CLOSE.timeout) return new CeremonyError(TIMED_OUT, { reason: 'timeout' });
  if (code === CLOSE.rateLimited) return new CeremonyError(RATE_LIMITED, { reason: 'rate_limited' });
  if (code === CLOSE.shuttingDown) return new CeremonyError(SHUTTING_DOWN, { reason: 'shutting_down' });
  return new CeremonyError(CONNECTION_LOST, { reason: 'closed' });
}

/**
 * `set-session` succeeded but the next request was not signed in: the browser blocks cookies,
 * or a reverse proxy dropped `Set-Cookie` on the way out or `Cookie` on the way in.
 */
export function cookieRefusedError(): CeremonyError {
  const message = navigator.cookieEnabled
    ? 'You signed in, but the sign-in cookie did not come back with the next request. Allow cookies for this site; ' +
      'if Passkey Auth runs behind a reverse proxy, check that it passes Set-Cookie, Cookie and Host unchanged on /auth/ ' +
      '(see the proxy examples in its docs/proxy folder).'
    : 'You signed in, but this browser blocks cookies for this site. Allow cookies for it, then sign in again.';
  return new CeremonyError(message, { reason: 'cookie_refused' });
}

/** The server sent something the protocol does not allow at this point. */
export function protocolError(): CeremonyError {
  return new CeremonyError(GENERIC_ERROR, { reason: 'bad_message' });
}

/** `startAuthentication` / `startRegistration` failed. */
export function browserError(error: unknown, kind: CeremonyKind): CeremonyError {
  if (error instanceof CeremonyError) return error;
  console.warn('Passkey ceremony failed in the browser:', error);
  if (!browserSupportsWebAuthn()) return new CeremonyError('This browser does not support passkeys. Try an up-to-date browser, or another device.');
  if (error instanceof WebAuthnError) {
    switch (error.code) {
      case 'ERROR_CEREMONY_ABORTED':
        return new CeremonyError(CANCELLED[kind], { silent: true });
      case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
        return new CeremonyError(ALREADY_REGISTERED, { reason: ALREADY_REGISTERED_REASON });
      case 'ERROR_INVALID_DOMAIN':
      case 'ERROR_INVALID_RP_ID':
        return new CeremonyError('Passkeys are not set up for this address. Open this page from its usual address, or ask your administrator.');
      case 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT':
      case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
        return new CeremonyError('This authenticator cannot store a passkey protected by a PIN or biometrics. Try another device.');
    }
  }
  if (error instanceof Error && error.name === 'NotAllowedError') return new CeremonyError(CANCELLED[kind], { reason: 'refused' });
  return new CeremonyError('Your device could not complete the passkey request. Try again, or use another device.');
}
